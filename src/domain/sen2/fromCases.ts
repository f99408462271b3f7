/**
 * The SEN2 return made from case records (shared/reference/sen2/README.md sections 1 to 3).
 *
 * Return Y holds every request for assessment that was live at some time in calendar year Y-1 (received in it, or
 * received earlier and not yet ended by its first day), every plan active on the census date, and every plan that
 * ceased between the first day of Y-1 and the census date. Everything is as it stood on the census date: an event
 * dated after it has not happened yet.
 *
 * Outcomes:
 * - RequestOutcome: Y or N with the date of the decision (when the family was told); H when the decision was made
 *   before the year (or its date is not known); W withdrawn before a decision; A not yet decided.
 * - AssessmentOutcome: Y with the date the final plan was issued (and Week20: whether an exception to the 20-week
 *   duty applies, reg 10(4) applied by reg 13(3));
 *   Y with no date when the LA decided to issue but has not yet; N with the date the family was told no plan would
 *   be issued; H when that happened before the year; W withdrawn; A not yet decided.
 * - A record wholly before the year (request H and assessment H) carries only its outcomes, plan and active-plan
 *   details: the guide lets the other request items be left out. A plan with no request on record (brought over from
 *   an earlier system) is such a record.
 * - NamedPlan: its start (the first issue), the setting named in section I (or, when the plan names none, the setting
 *   the child attends), and its ending. ActivePlans: the placement the child attends, the primary and secondary needs,
 *   and the review and phase-transfer items (activePlanReviews.ts). A plan transferred out to another LA in the period
 *   ends on the day of the transfer with CeaseReason 5, and its ActivePlans holds only TransferLA, the new LA's code
 *   (item 5.1).
 */
import { phaseTransferItems, reviewItems, type Sen2ReviewFacts, type Sen2TransferFacts } from './activePlanReviews.js';
import { isSen2Year } from './census.js';
import type { LocalDate } from '../dates/localDate.js';
import type {
  Sen2ActivePlans,
  Sen2Assessment,
  Sen2Header,
  Sen2NamedPlan,
  Sen2Person,
  Sen2Request,
  Sen2Return,
  Sen2Setting,
} from './model.js';

export interface Sen2SettingFacts {
  urn: string | null;
  ukprn: string | null;
  /** SEN2 SENSetting code, for a child in no setting with a URN or UKPRN. */
  senSetting: string | null;
}

export interface Sen2ChildFacts {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: LocalDate;
  sex: string | null;
  ethnicity: string | null;
  postcode: string | null;
  upn: string | null;
  uln: string | null;
  upnUnknown: string | null;
  primaryNeed: string | null;
  secondaryNeed: string | null;
  setting: Sen2SettingFacts;
  /** The setting's name, for the phase-transfer cohort (a Year 2 child moves only from an infant school). */
  settingName?: string | null;
}

export interface Sen2RequestFacts {
  id: string;
  childId: string;
  receivedDate: LocalDate;
  requestSource: string | null;
  assessmentDecision: 'assess' | 'not_assess' | null;
  /** Null when the decision is known but not its date (a record brought over as historical). */
  assessmentDecisionDate: LocalDate | null;
  issueDecision: 'issue' | 'not_issue' | null;
  issueDecisionDate: LocalDate | null;
  finalIssuedDate: LocalDate | null;
  withdrawn: boolean;
  withdrawnDate: LocalDate | null;
  /** An exception to the 20-week limit applies (reg 10(4), applied by reg 13(3); SEN2 Week20); not one to another duty. */
  exception: boolean;
}

export interface Sen2PlanFacts {
  id: string;
  childId: string;
  requestId: string | null;
  firstIssuedDate: LocalDate;
  ceasedDate: LocalDate | null;
  /** SEN2 CeaseReason code, 1 to 9. */
  ceasedReason: string | null;
  lastReviewDate: LocalDate | null;
  /** The setting named in section I of the latest final plan, if it names one that SEN2 can identify. */
  named: Sen2SettingFacts | null;
  /**
   * The LA the plan was transferred to (SEND Regulations 2014 reg 15), when it ended by a transfer out: its CeaseDate
   * is the day of the transfer, CeaseReason 5, and the return of that year gives the new LA in TransferLA (item 5.1).
   */
  transferLa?: string | null;
}

export interface Sen2Facts {
  children: readonly Sen2ChildFacts[];
  requests: readonly Sen2RequestFacts[];
  plans: readonly Sen2PlanFacts[];
  /** The plans' annual reviews and recorded phase transfers (SEN2 items 5.4a-d, 5.6a/b). */
  reviews?: readonly Sen2ReviewFacts[];
  phaseTransfers?: readonly Sen2TransferFacts[];
}

export interface Sen2Window {
  /** First and last day of the calendar year the return covers. */
  from: LocalDate;
  to: LocalDate;
  /** The census date: the day the caseload is taken, and the day the records are read as of. */
  census: LocalDate;
}

function setting(s: Sen2SettingFacts, rank: '1' | '2'): Sen2Setting {
  const out: Sen2Setting = {};
  // One identifier only, the most specific the record holds (the checks report a setting with none).
  if (s.urn) out.urn = s.urn;
  else if (s.ukprn) out.ukprn = s.ukprn;
  else if (s.senSetting) out.senSetting = s.senSetting;
  out.placementRank = rank;
  return out;
}

/** The person-level records of return `year`, from the LA's case facts. */
export function sen2FromCases(facts: Sen2Facts, window: Sen2Window, header: Sen2Header): Sen2Return {
  if (!isSen2Year(header.year)) throw new RangeError(`the ${header.year} return is not one the product can write`);
  const { from, to, census } = window;
  const known = (date: LocalDate | null): date is LocalDate => date !== null && date <= census;

  const isActive = (p: Sen2PlanFacts) => p.firstIssuedDate <= census && !known(p.ceasedDate);
  const ceasedRecently = (p: Sen2PlanFacts) => known(p.ceasedDate) && p.ceasedDate >= from;
  const plansByRequest = new Map<string, Sen2PlanFacts>();
  const plansWithoutRequest = new Map<string, Sen2PlanFacts[]>();
  for (const p of facts.plans) {
    if (p.firstIssuedDate > census) continue;
    if (p.requestId) plansByRequest.set(p.requestId, p);
    else plansWithoutRequest.set(p.childId, [...(plansWithoutRequest.get(p.childId) ?? []), p]);
  }
  const children = new Map(facts.children.map((c) => [c.id, c]));
  const byPlan = <T extends { planId: string }>(rows: readonly T[] = []) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.planId);
      if (list) list.push(row);
      else map.set(row.planId, [row]);
    }
    return map;
  };
  const reviewsByPlan = byPlan(facts.reviews);
  const transfersByPlan = byPlan(facts.phaseTransfers);

  /** When the request ended as of the census date, or null if it had not. */
  const ended = (r: Sen2RequestFacts): LocalDate | null => {
    const dates: LocalDate[] = [];
    if (r.withdrawn && r.withdrawnDate) dates.push(r.withdrawnDate);
    if (r.assessmentDecision === 'not_assess' && r.assessmentDecisionDate) dates.push(r.assessmentDecisionDate);
    if (r.issueDecision === 'not_issue' && r.issueDecisionDate) dates.push(r.issueDecisionDate);
    if (r.finalIssuedDate) dates.push(r.finalIssuedDate);
    const first = dates.filter(known).sort()[0];
    return first ?? null;
  };

  const namedPlan = (p: Sen2PlanFacts, child: Sen2ChildFacts): Sen2NamedPlan => {
    const plan: Sen2NamedPlan = {
      startDate: p.firstIssuedDate,
      planDetails: [setting(p.named ?? child.setting, '1')],
    };
    if (known(p.ceasedDate)) {
      plan.ceaseDate = p.ceasedDate;
      if (p.ceasedReason) plan.ceaseReason = p.ceasedReason;
    }
    return plan;
  };

  const activePlans = (p: Sen2PlanFacts, child: Sen2ChildFacts): Sen2ActivePlans => {
    const needs: Sen2ActivePlans['senNeeds'] = [];
    if (child.primaryNeed) needs.push({ senType: child.primaryNeed, senTypeRank: '1' });
    if (child.secondaryNeed) needs.push({ senType: child.secondaryNeed, senTypeRank: '2' });
    return {
      placements: [setting(child.setting, '1')],
      senNeeds: needs,
      ...reviewItems(reviewsByPlan.get(p.id) ?? [], p.lastReviewDate, census),
      ...phaseTransferItems(
        p,
        { dateOfBirth: child.dateOfBirth, settingName: child.settingName ?? null },
        transfersByPlan.get(p.id) ?? [],
        Number(from.slice(0, 4)),
        census,
      ),
    };
  };

  // A plan transferred out in the period: ActivePlans carries only TransferLA (its placements and needs are the new LA's).
  const transferredOut = (p: Sen2PlanFacts): Sen2ActivePlans | undefined =>
    p.transferLa && ceasedRecently(p) ? { transferLa: p.transferLa, placements: [], senNeeds: [] } : undefined;
  const planParts = (p: Sen2PlanFacts | undefined, child: Sen2ChildFacts) =>
    p ? { namedPlan: namedPlan(p, child), active: isActive(p) ? activePlans(p, child) : transferredOut(p) } : undefined;

  const requestRecord = (r: Sen2RequestFacts, child: Sen2ChildFacts): Sen2Request => {
    const decided =
      r.assessmentDecision !== null && (r.assessmentDecisionDate === null || known(r.assessmentDecisionDate));
    const withdrawn = r.withdrawn && known(r.withdrawnDate ?? r.receivedDate);
    const out: Sen2Request = {};
    if (decided) {
      const date = r.assessmentDecisionDate;
      if (date === null || date < from) out.requestOutcome = 'H';
      else {
        out.requestOutcome = r.assessmentDecision === 'assess' ? 'Y' : 'N';
        out.requestOutcomeDate = date;
      }
    } else out.requestOutcome = withdrawn ? 'W' : 'A';

    const plan = plansByRequest.get(r.id);
    if (r.assessmentDecision === 'assess' && decided) {
      const a: Sen2Assessment = {};
      const final = known(r.finalIssuedDate) ? r.finalIssuedDate : null;
      const notIssued = r.issueDecision === 'not_issue' && known(r.issueDecisionDate) ? r.issueDecisionDate : null;
      const issueDecided = r.issueDecision === 'issue' && (r.issueDecisionDate === null || known(r.issueDecisionDate));
      if (final) {
        if (final < from) a.assessmentOutcome = 'H';
        else {
          a.assessmentOutcome = 'Y';
          a.assessmentOutcomeDate = final;
          a.week20 = r.exception ? '1' : '0';
        }
      } else if (notIssued) {
        if (notIssued < from) a.assessmentOutcome = 'H';
        else {
          a.assessmentOutcome = 'N';
          a.assessmentOutcomeDate = notIssued;
        }
      } else if (withdrawn) a.assessmentOutcome = 'W';
      else a.assessmentOutcome = issueDecided ? 'Y' : 'A';
      const parts = planParts(plan, child);
      if (parts && a.assessmentOutcome !== 'A' && a.assessmentOutcome !== 'W') a.namedPlan = parts.namedPlan;
      out.assessment = a;
      if (parts?.active) out.activePlans = parts.active;
    }
    // A record wholly before the year keeps only its outcomes and plan (README section 4: H lets the rest go).
    if (!(out.requestOutcome === 'H' && out.assessment?.assessmentOutcome === 'H')) {
      const head: Sen2Request = { receivedDate: r.receivedDate };
      if (r.requestSource) head.requestSource = r.requestSource;
      return { ...head, ...out };
    }
    return out;
  };

  const historicalRecord = (p: Sen2PlanFacts, child: Sen2ChildFacts): Sen2Request => {
    const parts = planParts(p, child)!;
    const out: Sen2Request = {
      requestOutcome: 'H',
      assessment: { assessmentOutcome: 'H', namedPlan: parts.namedPlan },
    };
    if (parts.active) out.activePlans = parts.active;
    return out;
  };

  const recordsByChild = new Map<string, { key: string; request: Sen2Request }[]>();
  const addRecord = (childId: string, key: string, request: Sen2Request) => {
    recordsByChild.set(childId, [...(recordsByChild.get(childId) ?? []), { key, request }]);
  };

  for (const r of facts.requests) {
    const child = children.get(r.childId);
    if (!child || r.receivedDate > to) continue;
    const end = ended(r);
    const plan = plansByRequest.get(r.id);
    const planCounts = plan !== undefined && (isActive(plan) || ceasedRecently(plan));
    if (r.receivedDate < from && end !== null && end < from && !planCounts) continue;
    addRecord(child.id, `${r.receivedDate}`, requestRecord(r, child));
  }
  for (const [childId, plans] of plansWithoutRequest) {
    const child = children.get(childId);
    if (!child) continue;
    for (const p of plans) {
      if (isActive(p) || ceasedRecently(p)) addRecord(childId, `~${p.firstIssuedDate}`, historicalRecord(p, child));
    }
  }

  const persons: (Sen2Person & { sortKey: string })[] = [];
  for (const [childId, records] of recordsByChild) {
    const c = children.get(childId)!;
    records.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const person: Sen2Person & { sortKey: string } = {
      sortKey: [c.familyName, c.givenName, c.dateOfBirth, c.upn ?? '', c.uln ?? '', c.postcode ?? '', c.id].join(
        '\u0000',
      ),
      surname: c.familyName,
      forename: c.givenName,
      personBirthDate: c.dateOfBirth,
      requests: records.map((r) => r.request),
    };
    if (c.sex) person.sex = c.sex;
    if (c.ethnicity) person.ethnicity = c.ethnicity;
    if (c.postcode) person.postCode = c.postcode;
    if (c.upn) person.upn = c.upn;
    if (c.uln) person.uln = c.uln;
    if (!c.upn && !c.uln && c.upnUnknown) person.upnUnknown = c.upnUnknown;
    persons.push(person);
  }
  persons.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  return { header, persons: persons.map(({ sortKey: _sortKey, ...p }) => p) };
}
