/**
 * What importing a SEN2 return (or the product's CSV, read into the same model) would create: children, their
 * requests with the events that tell their story so far, and plans, each matched against what the LA already holds
 * so that importing the same file twice creates nothing the second time.
 *
 * Matching: a child by UPN, else ULN (each with the date of birth), else surname, forename and date of birth; a request by child and date received;
 * a plan by child and start date. A record wholly before the year (request and assessment outcome H) becomes a plan
 * with no request, as such records carry no request details. Outcomes become the product's own records as
 * fromCases.ts reads them back, so that exporting what was imported gives the same return.
 */
import type { LocalDate } from '../dates/localDate.js';
import { referencePeriod } from './census.js';
import type { Sen2ChildFacts } from './fromCases.js';
import type { Sen2Person, Sen2Request, Sen2Return, Sen2Setting } from './model.js';
import { SEN_SETTING_NAMES } from './codes.js';

/** A name for a setting known only by its SEN2 identifier (the file carries no names). */
function settingName(s: { settingUrn: string | null; settingUkprn: string | null; senSetting: string | null }) {
  if (s.settingUrn) return `Setting with URN ${s.settingUrn}`;
  if (s.settingUkprn) return `Provider with UKPRN ${s.settingUkprn}`;
  if (s.senSetting) return SEN_SETTING_NAMES[s.senSetting] ?? s.senSetting;
  return null;
}

/** A child to create: what the return says of them, with the setting as the children table holds it. */
export type ImportChild = Omit<Sen2ChildFacts, 'setting'> & {
  settingName: string | null;
  settingUrn: string | null;
  settingUkprn: string | null;
  senSetting: string | null;
};

export interface ImportRequest {
  id: string;
  childId: string;
  receivedDate: LocalDate;
  requestSource: string | null;
  stage: string;
  open: boolean;
  assessmentDecision: 'assess' | 'not_assess' | null;
  assessmentDecisionDate: LocalDate | null;
  issueDecision: 'issue' | 'not_issue' | null;
  issueDecisionDate: LocalDate | null;
  finalIssuedDate: LocalDate | null;
  exceptionReason: string | null;
  closedDate: LocalDate | null;
}

export interface ImportPlanRow {
  id: string;
  childId: string;
  requestId: string | null;
  status: 'active' | 'ceased';
  firstIssuedDate: LocalDate;
  ceasedDate: LocalDate | null;
  ceasedReason: string | null;
  lastReviewDate: LocalDate | null;
  /** Section I: the setting the plan names. */
  named: { settingUrn: string | null; settingUkprn: string | null; senSetting: string | null } | null;
  /** TransferLA (item 5.1): the LA a plan ended by a transfer out (CeaseReason 5) went to. */
  transferLa?: string | null;
}

export interface ImportEvent {
  childId: string;
  requestId: string;
  type: string;
  occurredOn: LocalDate;
  data: Record<string, unknown>;
}

export interface ImportRecords {
  children: ImportChild[];
  requests: ImportRequest[];
  plans: ImportPlanRow[];
  events: ImportEvent[];
}

export interface PersonOutcome {
  /** 1-based position of the person in the file. */
  person: number;
  name: string;
  child: 'new' | 'existing';
  requestsCreated: number;
  requestsExisting: number;
  plansCreated: number;
  plansExisting: number;
}

export interface ImportPlan {
  records: ImportRecords;
  persons: PersonOutcome[];
  /** SEN2 items the product does not keep, with how many records had them (they are not imported). */
  notKept: { item: string; count: number }[];
}

/** A child already held (or made earlier in the same file), with the identifiers a match must not contradict. */
export interface KnownChild {
  id: string;
  upn: string | null;
  uln: string | null;
}

export interface Existing {
  childByKey: ReadonlyMap<string, KnownChild>;
  requestKeys: ReadonlySet<string>;
  planKeys: ReadonlySet<string>;
}

/** The keys a child is matched by, most specific first. */
export function childMatchKeys(c: {
  upn?: string | null | undefined;
  uln?: string | null | undefined;
  familyName: string;
  givenName: string;
  dateOfBirth: string;
}): string[] {
  // An identifier matches only with the same date of birth: two children given one UPN by mistake stay two.
  const keys: string[] = [];
  if (c.upn) keys.push(`upn:${c.upn.toUpperCase()}|${c.dateOfBirth}`);
  if (c.uln) keys.push(`uln:${c.uln}|${c.dateOfBirth}`);
  keys.push(`name:${c.familyName.trim().toLowerCase()}|${c.givenName.trim().toLowerCase()}|${c.dateOfBirth}`);
  return keys;
}

const NOT_KEPT: [string, (r: Sen2Request) => unknown][] = [
  ['RYA', (r) => r.rya],
  ['RequestMediation', (r) => r.requestMediation],
  ['RequestTribunal', (r) => r.requestTribunal],
  ['Exported', (r) => r.exported],
  ['AssessmentMediation', (r) => r.assessment?.assessmentMediation],
  ['AssessmentTribunal', (r) => r.assessment?.assessmentTribunal],
  ['OtherMediation', (r) => r.assessment?.otherMediation],
  ['OtherTribunal', (r) => r.assessment?.otherTribunal],
  ['PlanRes', (r) => r.assessment?.namedPlan?.planRes],
  ['PlanWBP', (r) => r.assessment?.namedPlan?.planWbp],
  ['PB', (r) => r.assessment?.namedPlan?.pb],
  ['OA', (r) => r.assessment?.namedPlan?.oa],
  ['DP', (r) => r.assessment?.namedPlan?.dp],
  ['PlanDetail[2]', (r) => r.assessment?.namedPlan?.planDetails[1]],
  ['PlacementDetail[2]', (r) => r.activePlans?.placements[1]],
  ['EntryDate', (r) => r.activePlans?.placements[0]?.entryDate],
  ['ReviewMeeting', (r) => r.activePlans?.reviewMeeting],
  ['ReviewOutcome', (r) => r.activePlans?.reviewOutcome],
  ['ReviewDraft', (r) => r.activePlans?.reviewDraft],
  ['PhaseTransferDueDate', (r) => r.activePlans?.phaseTransferDueDate],
  ['PhaseTransferFinalDate', (r) => r.activePlans?.phaseTransferFinalDate],
];

const settingOf = (s: Sen2Setting | undefined) => ({
  settingUrn: s?.urn ?? null,
  settingUkprn: s?.ukprn ?? null,
  senSetting: s?.senSetting ?? null,
});

/** The request row an outcome pair stands for (fromCases.ts reads it back to the same outcomes). */
function requestRow(
  r: Sen2Request,
  id: string,
  childId: string,
  receivedDate: LocalDate,
  yearStart: LocalDate,
): ImportRequest {
  const row: ImportRequest = {
    id,
    childId,
    receivedDate,
    requestSource: r.requestSource ?? null,
    stage: 'deciding_whether_to_assess',
    open: true,
    assessmentDecision: null,
    assessmentDecisionDate: null,
    issueDecision: null,
    issueDecisionDate: null,
    finalIssuedDate: null,
    exceptionReason: null,
    closedDate: null,
  };
  // SEN2 gives no date for a withdrawal. The file shows the request was live in its year, so the withdrawal is dated
  // the later of the request and the first day of that year.
  const withdrawnOn = receivedDate > yearStart ? receivedDate : yearStart;
  const close = (stage: string, on: LocalDate | null) => {
    row.stage = stage;
    row.open = false;
    row.closedDate = on;
  };
  switch (r.requestOutcome) {
    case 'N':
      row.assessmentDecision = 'not_assess';
      row.assessmentDecisionDate = r.requestOutcomeDate ?? null;
      close('not_assessed', row.assessmentDecisionDate);
      return row;
    case 'W':
      close('withdrawn', withdrawnOn);
      return row;
    case 'Y':
    case 'H':
      row.assessmentDecision = 'assess';
      row.assessmentDecisionDate = r.requestOutcome === 'Y' ? (r.requestOutcomeDate ?? null) : null;
      row.stage = 'gathering_advice';
      break;
    default:
      return row;
  }
  const a = r.assessment;
  switch (a?.assessmentOutcome) {
    case 'Y':
      row.issueDecision = 'issue';
      if (a.assessmentOutcomeDate) {
        row.finalIssuedDate = a.assessmentOutcomeDate;
        row.exceptionReason = a.week20 === '1' ? 'reg10_4' : null;
        close('final_plan_issued', a.assessmentOutcomeDate);
      } else row.stage = 'drafting_plan';
      break;
    case 'N':
      row.issueDecision = 'not_issue';
      row.issueDecisionDate = a.assessmentOutcomeDate ?? null;
      close('not_issued', row.issueDecisionDate);
      break;
    case 'W':
      close('withdrawn', withdrawnOn);
      break;
    default:
      break;
  }
  return row;
}

/**
 * The case events that tell an imported request's story, so the case page, the clock and the measures work. A
 * decision to issue has no date in SEN2: its event is dated the final plan, or if there is none yet, the day of the
 * import (it must be in the record for the clock to know no "no plan" notice is due).
 */
function eventsFor(row: ImportRequest, recordedOn: LocalDate): ImportEvent[] {
  const base = { childId: row.childId, requestId: row.id };
  const events: ImportEvent[] = [
    { ...base, type: 'request_received', occurredOn: row.receivedDate, data: { source: 'sen2_import' } },
  ];
  if (row.assessmentDecision && row.assessmentDecisionDate) {
    events.push({
      ...base,
      type: 'assessment_decision',
      occurredOn: row.assessmentDecisionDate,
      data: { outcome: row.assessmentDecision },
    });
  }
  if (row.issueDecision === 'not_issue' && row.issueDecisionDate) {
    events.push({ ...base, type: 'issue_decision', occurredOn: row.issueDecisionDate, data: { outcome: 'not_issue' } });
  }
  if (row.issueDecision === 'issue') {
    events.push({
      ...base,
      type: 'issue_decision',
      occurredOn: row.finalIssuedDate ?? recordedOn,
      data: { outcome: 'issue', dateNotKnown: true },
    });
  }
  if (row.finalIssuedDate)
    events.push({ ...base, type: 'final_plan_issued', occurredOn: row.finalIssuedDate, data: {} });
  return events;
}

function childOf(p: Sen2Person, id: string): ImportChild {
  // The child's setting and needs are those of an active plan, if the file has one.
  const active = p.requests.find((r) => r.activePlans)?.activePlans;
  const placement = active?.placements.find((x) => x.placementRank === '1') ?? active?.placements[0];
  const need = (rank: '1' | '2') => active?.senNeeds.find((n) => n.senTypeRank === rank)?.senType ?? null;
  const setting = settingOf(placement);
  return {
    id,
    givenName: p.forename,
    familyName: p.surname,
    dateOfBirth: p.personBirthDate,
    sex: p.sex ?? null,
    ethnicity: p.ethnicity ?? null,
    postcode: p.postCode ?? null,
    upn: p.upn ?? null,
    uln: p.uln ?? null,
    upnUnknown: p.upnUnknown ?? null,
    primaryNeed: need('1'),
    secondaryNeed: need('2'),
    settingName: settingName(setting),
    ...setting,
  };
}

export function planImport(
  ret: Sen2Return,
  existing: Existing,
  newId: () => string,
  recordedOn: LocalDate,
): ImportPlan {
  const { from } = referencePeriod(ret.header.year);
  const records: ImportRecords = { children: [], requests: [], plans: [], events: [] };
  const persons: PersonOutcome[] = [];
  const childByKey = new Map(existing.childByKey);
  const requestKeys = new Set(existing.requestKeys);
  const planKeys = new Set(existing.planKeys);
  const notKept = new Map<string, number>();

  ret.persons.forEach((p, index) => {
    const keys = childMatchKeys({ ...p, familyName: p.surname, givenName: p.forename, dateOfBirth: p.personBirthDate });
    // Same name and birthday is the same child only if no UPN or ULN on either side says otherwise.
    const agrees = (c: KnownChild) =>
      (!p.upn || !c.upn || p.upn.toUpperCase() === c.upn.toUpperCase()) && (!p.uln || !c.uln || p.uln === c.uln);
    const found = keys.map((k) => childByKey.get(k)).find((c) => c !== undefined && agrees(c))?.id;
    const childId = found ?? newId();
    if (!found) {
      records.children.push(childOf(p, childId));
      const known = { id: childId, upn: p.upn ?? null, uln: p.uln ?? null };
      for (const k of keys) if (!childByKey.has(k)) childByKey.set(k, known);
    }
    const outcome: PersonOutcome = {
      person: index + 1,
      name: `${p.forename} ${p.surname}`,
      child: found ? 'existing' : 'new',
      requestsCreated: 0,
      requestsExisting: 0,
      plansCreated: 0,
      plansExisting: 0,
    };
    for (const r of p.requests) {
      for (const [item, get] of NOT_KEPT) if (get(r) !== undefined) notKept.set(item, (notKept.get(item) ?? 0) + 1);
      const historical = r.requestOutcome === 'H' && r.assessment?.assessmentOutcome === 'H';
      let requestId: string | null = null;
      if (!historical && r.receivedDate) {
        const key = `${childId}|${r.receivedDate}`;
        if (requestKeys.has(key)) outcome.requestsExisting += 1;
        else {
          requestKeys.add(key);
          const row = requestRow(r, newId(), childId, r.receivedDate, from);
          records.requests.push(row);
          records.events.push(...eventsFor(row, recordedOn));
          requestId = row.id;
          outcome.requestsCreated += 1;
        }
      }
      const plan = r.assessment?.namedPlan;
      if (plan?.startDate) {
        const key = `${childId}|${plan.startDate}`;
        if (planKeys.has(key)) outcome.plansExisting += 1;
        else {
          planKeys.add(key);
          const named = plan.planDetails.find((d) => d.placementRank === '1') ?? plan.planDetails[0];
          records.plans.push({
            id: newId(),
            childId,
            requestId,
            status: plan.ceaseDate ? 'ceased' : 'active',
            firstIssuedDate: plan.startDate,
            ceasedDate: plan.ceaseDate ?? null,
            ceasedReason: plan.ceaseReason ?? null,
            lastReviewDate: r.activePlans?.lastReview ?? null,
            named: named ? settingOf(named) : null,
            ...(plan.ceaseDate && r.activePlans?.transferLa ? { transferLa: r.activePlans.transferLa } : {}),
          });
          outcome.plansCreated += 1;
        }
      }
    }
    persons.push(outcome);
  });
  return {
    records,
    persons,
    notKept: [...notKept].map(([item, count]) => ({ item, count })).sort((a, b) => b.count - a.count),
  };
}
