/**
 * The checks on a SEN2 return that the schema cannot express, derived from the DfE guide
 * (shared/reference/sen2/README.md section 4; DfE's numbered rules are not public). Each problem is a line
 * `ERROR <xpath>: <message>` (COLLECT would refuse it) or `QUERY <xpath>: <message>` (to check, and explain if right).
 */
import { ageInYears, daysBetween } from '../dates/localDate.js';
import { hasUpnForm, isValidUpn } from '../identifiers/upn.js';
import { PLACEMENT_SETTING_CODES, PLAN_SETTING_CODES } from './codes.js';
import { referencePeriod } from './census.js';
import type { Sen2Return, Sen2Setting } from './model.js';

const OFFICERS = { dmo: 'medical officer', dco: 'clinical officer', dsco: 'social care officer' } as const;

export interface Sen2Problem {
  level: 'ERROR' | 'QUERY';
  path: string;
  message: string;
}

export function formatProblem(p: Sen2Problem): string {
  return `${p.level} ${p.path}: ${p.message}`;
}

export interface CheckScope {
  /** The header's items (officers, reference date): not for cases brought in from a file. */
  header?: boolean;
  /**
   * Requests received within the return's year: not for a CSV of today's cases, which may hold requests received
   * since.
   */
  withinYear?: boolean;
}

export function checkSen2(
  ret: Sen2Return,
  year: number,
  scope: CheckScope = { header: true, withinYear: true },
): Sen2Problem[] {
  const problems: Sen2Problem[] = [];
  const error = (path: string, message: string) => problems.push({ level: 'ERROR', path, message });
  const query = (path: string, message: string) => problems.push({ level: 'QUERY', path, message });

  const setting = (path: string, s: Sen2Setting, placement: boolean) => {
    const given = [s.urn && 'URN', s.ukprn && 'UKPRN', s.senSetting && 'SENSetting'].filter(Boolean);
    if (given.length !== 1) {
      error(path, `give exactly one of URN, UKPRN or SENSetting, not ${given.length ? given.join(' and ') : 'none'}`);
    }
    if (!s.placementRank) error(`${path}/PlacementRank`, 'a placement rank (1 or 2) is needed');
    if (s.senSetting && !(placement ? PLACEMENT_SETTING_CODES : PLAN_SETTING_CODES).includes(s.senSetting)) {
      error(`${path}/SENSetting`, `${s.senSetting} is not a setting code${placement ? '' : ' for a named plan'}`);
    }
    if (s.senSettingOther && s.senSetting !== 'OTH') {
      query(`${path}/SENSettingOther`, 'a description of the setting is given only with SENSetting OTH');
    }
  };

  const source = '/Message/Header/Source';
  const period = referencePeriod(year);
  for (const [field, name] of [
    ['dmo', 'DMO'],
    ['dco', 'DCO'],
    ['dsco', 'DSCO'],
  ] as const) {
    if (scope.header && ret.header[field] === undefined && (field !== 'dsco' || year >= 2026)) {
      error(`${source}/${name}`, `say whether the LA has a designated ${OFFICERS[field]} in post (Y, N or R)`);
    }
  }
  if (scope.header && ret.header.referenceDate && ret.header.referenceDate !== period.census) {
    query(
      '/Message/Header/CollectionDetails/ReferenceDate',
      `${ret.header.referenceDate} is not the ${year} census date (${period.census})`,
    );
  }

  const upns = new Map<string, number>();
  for (const p of ret.persons) if (p.upn) upns.set(p.upn, (upns.get(p.upn) ?? 0) + 1);

  ret.persons.forEach((p, pi) => {
    const person = `/Message/Persons/Person[${pi + 1}]`;
    if (!p.sex) error(`${person}/Sex`, 'the sex is required (M or F)');
    if (!p.ethnicity) error(`${person}/Ethnicity`, 'the ethnicity is required (a CBDS code, or REFU or NOBT)');
    if (!p.upn && !p.uln && !p.upnUnknown)
      error(person, 'give a UPN, a ULN, or the reason neither is known (UPNunknown)');
    if (p.upn && (upns.get(p.upn) ?? 0) > 1) {
      query(`${person}/UPN`, `UPN ${p.upn} is given for ${upns.get(p.upn)} persons: is one child recorded twice?`);
    }
    const ageAtCensus = p.personBirthDate ? ageInYears(p.personBirthDate, period.census) : null;
    if (p.upnUnknown === 'UN1' && ageAtCensus !== null && ageAtCensus >= 6) {
      query(
        `${person}/UPNunknown`,
        `UN1 is for a child under 6 with no UPN; this child is ${ageAtCensus} at the census`,
      );
    }
    if (p.requests.length === 0)
      query(person, 'a person with no request, assessment or plan is not part of the return');
    // A UPN of the wrong form is the schema's error; one of the right form may still fail its check letter.
    if (p.upn && hasUpnForm(p.upn) && !isValidUpn(p.upn)) {
      query(`${person}/UPN`, `${p.upn} fails the UPN check letter`);
    }
    if (p.upn && p.upnUnknown) query(`${person}/UPNunknown`, 'a reason for no UPN is given beside a UPN');

    p.requests.forEach((r, ri) => {
      const request = `${person}/Requests[${ri + 1}]`;
      const outcome = r.requestOutcome;
      if (!r.requestSource && outcome !== 'H') {
        if (year >= 2026) error(`${request}/RequestSource`, 'who made the request is required from the 2026 return');
        else query(`${request}/RequestSource`, 'who made the request is voluntary in 2025 but required from 2026');
      }
      if (scope.withinYear && r.receivedDate && r.receivedDate > period.to) {
        error(
          `${request}/ReceivedDate`,
          `the request was received after ${period.to}, the end of the year the return covers`,
        );
      }
      if (outcome !== 'H' && !r.receivedDate)
        error(`${request}/ReceivedDate`, 'the date the request was received is needed');
      if (r.receivedDate && p.personBirthDate) {
        const age = daysBetween(p.personBirthDate, r.receivedDate) / 365.25;
        if (age < 0 || age >= 26)
          query(`${request}/ReceivedDate`, `the child would be ${Math.floor(age)} at the request: outside 0 to 25`);
      }
      if ((outcome === 'Y' || outcome === 'N') && !r.requestOutcomeDate) {
        error(`${request}/RequestOutcomeDate`, `the date the family was told is needed for outcome ${outcome}`);
      }
      if ((outcome === 'A' || outcome === 'W' || outcome === 'H') && r.requestOutcomeDate) {
        error(`${request}/RequestOutcomeDate`, `no decision date is given for outcome ${outcome}`);
      }
      if ((outcome === 'A' || outcome === 'W' || outcome === 'N') && r.assessment) {
        error(`${request}/Assessment`, `there is no assessment after request outcome ${outcome}`);
      }
      if (r.receivedDate && r.requestOutcomeDate && r.requestOutcomeDate < r.receivedDate) {
        error(`${request}/RequestOutcomeDate`, 'the decision is dated before the request was received');
      }
      const a = r.assessment;
      if (a) {
        const path = `${request}/Assessment`;
        // Y with no date is a plan agreed but not yet issued (README section 3); once a plan has started it is dated.
        if ((a.assessmentOutcome === 'N' || (a.assessmentOutcome === 'Y' && a.namedPlan)) && !a.assessmentOutcomeDate) {
          error(
            `${path}/AssessmentOutcomeDate`,
            a.assessmentOutcome === 'N'
              ? 'the date the family was told no plan would be issued is needed for outcome N'
              : 'the date the plan was issued is needed once it has been',
          );
        }
        if ((a.assessmentOutcome === 'A' || a.assessmentOutcome === 'W') && (a.namedPlan || a.assessmentOutcomeDate)) {
          error(path, `nothing further is given after assessment outcome ${a.assessmentOutcome}`);
        }
        if (a.assessmentOutcome === 'Y' && a.assessmentOutcomeDate && a.week20 === undefined) {
          query(`${path}/Week20`, 'say whether a 20-week exception applies to the plan issued');
        }
        if (a.assessmentOutcomeDate && r.requestOutcomeDate && a.assessmentOutcomeDate < r.requestOutcomeDate) {
          error(`${path}/AssessmentOutcomeDate`, 'the outcome is dated before the decision to assess');
        }
        const plan = a.namedPlan;
        if (plan) {
          if (!plan.startDate) error(`${path}/NamedPlan/StartDate`, 'a named plan needs the date it started');
          plan.planDetails.forEach((d, di) => setting(`${path}/NamedPlan/PlanDetail[${di + 1}]`, d, false));
          if (plan.planDetails.length > 2) error(`${path}/NamedPlan`, 'at most 2 plan details');
          if (plan.ceaseDate && !plan.ceaseReason)
            error(`${path}/NamedPlan/CeaseReason`, 'a ceased plan needs its reason');
          if (plan.ceaseReason && !plan.ceaseDate)
            error(`${path}/NamedPlan/CeaseDate`, 'a reason to cease needs the date the plan ended');
        }
      }
      const active = r.activePlans;
      if (active?.transferLa) {
        // A plan transferred out (reg 15): TransferLA with the plan's end, CeaseReason 5, and nothing else.
        const path = `${request}/ActivePlans/TransferLA`;
        if (r.assessment?.namedPlan?.ceaseReason !== '5') {
          error(path, 'TransferLA is given only for a plan transferred to another LA (CeaseReason 5)');
        }
      } else if (active) {
        const path = `${request}/ActivePlans`;
        if (!r.assessment?.namedPlan) error(path, 'an active plan needs its named plan (Assessment/NamedPlan)');
        if (r.assessment?.namedPlan?.ceaseDate && r.assessment.namedPlan.ceaseDate <= period.census) {
          error(path, 'a plan that ceased by the census date is not active');
        }
        if (ageAtCensus !== null && (ageAtCensus < 0 || ageAtCensus >= 26)) {
          query(path, `the young person is ${ageAtCensus} at the census: outside 0 to 25`);
        }
        if (active.placements.length === 0) error(path, 'an active plan needs at least one placement');
        active.placements.forEach((pl, k) => setting(`${path}/PlacementDetail[${k + 1}]`, pl, true));
        if (active.senNeeds.length < 1 || active.senNeeds.length > 2)
          error(path, 'an active plan needs 1 or 2 SEN needs');
        if (active.senNeeds.filter((n) => n.senTypeRank === '1').length !== 1) {
          error(path, 'exactly one SEN need is the primary one (rank 1)');
        }
      }
    });
  });
  return problems;
}
