/**
 * Writes a SEN2 return as XML for a collection year, with the element names and order of that year's schema
 * (services/schemas/sen2-YYYY.xsd). The years differ in one place: 2025 puts LastReview straight after ReviewMeeting, 2026 puts
 * it last in ActivePlans. Values are escaped by the XML builder; undefined values are left out.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { isSen2Year, type Sen2Year } from './census.js';
import type { Sen2ActivePlans, Sen2Return, Sen2Setting } from './model.js';

type Fields = [string, string | undefined][];

function add(parent: XMLBuilder, fields: Fields): void {
  for (const [name, value] of fields) if (value !== undefined && value !== '') parent.ele(name).txt(value);
}

function settingFields(s: Sen2Setting): Fields {
  return [
    ['URN', s.urn],
    ['UKPRN', s.ukprn],
    ['SENSetting', s.senSetting],
    ['SENSettingOther', s.senSettingOther],
    ['PlacementRank', s.placementRank],
  ];
}

function activePlans(parent: XMLBuilder, a: Sen2ActivePlans, year: Sen2Year): void {
  const el = parent.ele('ActivePlans');
  add(el, [['TransferLA', a.transferLa]]);
  for (const p of a.placements) {
    const pd = el.ele('PlacementDetail');
    add(pd, [
      ...settingFields(p),
      ['EntryDate', p.entryDate],
      ['LeavingDate', p.leavingDate],
      ['SENunitIndicator', p.senUnitIndicator],
      ['ResourcedProvisionIndicator', p.resourcedProvisionIndicator],
      ['Res', p.res],
      ['WBP', p.wbp],
    ]);
  }
  for (const n of a.senNeeds) {
    add(el.ele('SENneed'), [
      ['SENtype', n.senType],
      ['SENtypeRank', n.senTypeRank],
    ]);
  }
  const reviews: Fields = [
    ['ReviewMeeting', a.reviewMeeting],
    ...(year === 2025 ? ([['LastReview', a.lastReview]] as Fields) : []),
    ['ReviewOutcome', a.reviewOutcome],
    ['ReviewDraft', a.reviewDraft],
    ['PhaseTransferDueDate', a.phaseTransferDueDate],
    ['PhaseTransferFinalDate', a.phaseTransferFinalDate],
    ...(year === 2026 ? ([['LastReview', a.lastReview]] as Fields) : []),
  ];
  add(el, reviews);
}

export function writeSen2(ret: Sen2Return, year: number): string {
  if (!isSen2Year(year)) throw new RangeError(`SEN2 ${year} cannot be written: the product writes 2025 and 2026`);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('Message');
  const header = root.ele('Header');
  const h = ret.header;
  add(header.ele('CollectionDetails'), [
    ['Collection', 'SEN2'],
    ['Year', String(h.year)],
    ['ReferenceDate', h.referenceDate],
  ]);
  add(header.ele('Source'), [
    ['SourceLevel', 'L'],
    ['LEA', h.lea],
    ['SoftwareCode', h.softwareCode],
    ['Release', h.release],
    ['SerialNo', h.serialNo],
    ['DateTime', h.dateTime],
    ['DMO', h.dmo],
    ['DCO', h.dco],
    ['DSCO', h.dsco],
  ]);
  const persons = root.ele('Persons');
  for (const p of ret.persons) {
    const person = persons.ele('Person');
    add(person, [
      ['Surname', p.surname],
      ['Forename', p.forename],
      ['PersonBirthDate', p.personBirthDate],
      ['Sex', p.sex],
      ['Ethnicity', p.ethnicity],
      ['PostCode', p.postCode],
      ['UPN', p.upn],
      ['UniqueLearnerNumber', p.uln],
      ['UPNunknown', p.upnUnknown],
    ]);
    for (const r of p.requests) {
      const request = person.ele('Requests');
      add(request, [
        ['ReceivedDate', r.receivedDate],
        ['RequestSource', r.requestSource],
        ['RYA', r.rya],
        ['RequestOutcomeDate', r.requestOutcomeDate],
        ['RequestOutcome', r.requestOutcome],
        ['RequestMediation', r.requestMediation],
        ['RequestTribunal', r.requestTribunal],
        ['Exported', r.exported],
      ]);
      if (r.assessment) {
        const a = r.assessment;
        const assessment = request.ele('Assessment');
        add(assessment, [
          ['AssessmentOutcome', a.assessmentOutcome],
          ['AssessmentOutcomeDate', a.assessmentOutcomeDate],
          ['AssessmentMediation', a.assessmentMediation],
          ['AssessmentTribunal', a.assessmentTribunal],
          ['OtherMediation', a.otherMediation],
          ['OtherTribunal', a.otherTribunal],
          ['Week20', a.week20],
        ]);
        if (a.namedPlan) {
          const n = a.namedPlan;
          const plan = assessment.ele('NamedPlan');
          add(plan, [['StartDate', n.startDate]]);
          for (const d of n.planDetails) {
            add(plan.ele('PlanDetail'), [
              ...settingFields(d),
              ['SENunitIndicator', d.senUnitIndicator],
              ['ResourcedProvisionIndicator', d.resourcedProvisionIndicator],
            ]);
          }
          add(plan, [
            ['PlanRes', n.planRes],
            ['PlanWBP', n.planWbp],
            ['PB', n.pb],
            ['OA', n.oa],
            ['DP', n.dp],
            ['CeaseDate', n.ceaseDate],
            ['CeaseReason', n.ceaseReason],
          ]);
        }
      }
      if (r.activePlans) activePlans(request, r.activePlans, year);
    }
  }
  return root.end({ prettyPrint: true });
}
