/**
 * The headline figures of a SEN2 return, counted from the return itself as DfE counts them for its statistics
 * (shared/reference/sen2/dfe_ehcp_2025_data-guidance.txt: requests.csv, assessments.csv, timeliness_20_week.csv,
 * plans at January): the year is the calendar year before the return's; 20 weeks is 140 days from the request
 * (statutory-timescales.md P12); "excluding exceptions" leaves out plans with Week20 = 1.
 */
import { daysBetween, type LocalDate } from '../dates/localDate.js';
import { FINAL_PLAN_DAYS } from '../statutory/periods.js';
import { referencePeriod } from './census.js';
import type { Sen2Return } from './model.js';

export interface Sen2Counts {
  persons: number;
  /** Requests received in the year (requests_received_in_year). */
  requestsReceived: number;
  /** Decisions to assess made in the year (request outcome Y dated in the year). */
  decisionsToAssess: number;
  /** Decisions not to assess made in the year. */
  decisionsNotToAssess: number;
  /** New plans issued in the year (assessment outcome Y dated in the year): plans_issued_den. */
  plansIssued: number;
  plansWithin20Weeks: number;
  /** Plans issued with no 20-week exception (plans_issued_den_ex), and of those, within 20 weeks. */
  plansIssuedExcl: number;
  plansWithin20WeeksExcl: number;
  /** Decisions in the year not to issue a plan after assessment. */
  notIssued: number;
  /** Plans active on the census date (ActivePlans records). */
  activePlans: number;
  /** Plans that ended in the year or before the census date. */
  ceasedPlans: number;
}

export function sen2Counts(ret: Sen2Return): Sen2Counts {
  const { from, to } = referencePeriod(ret.header.year);
  const inYear = (date: LocalDate | undefined): date is LocalDate => date !== undefined && date >= from && date <= to;
  const counts: Sen2Counts = {
    persons: ret.persons.length,
    requestsReceived: 0,
    decisionsToAssess: 0,
    decisionsNotToAssess: 0,
    plansIssued: 0,
    plansWithin20Weeks: 0,
    plansIssuedExcl: 0,
    plansWithin20WeeksExcl: 0,
    notIssued: 0,
    activePlans: 0,
    ceasedPlans: 0,
  };
  for (const p of ret.persons) {
    for (const r of p.requests) {
      if (inYear(r.receivedDate)) counts.requestsReceived += 1;
      if (inYear(r.requestOutcomeDate)) {
        if (r.requestOutcome === 'Y') counts.decisionsToAssess += 1;
        if (r.requestOutcome === 'N') counts.decisionsNotToAssess += 1;
      }
      const a = r.assessment;
      if (a && inYear(a.assessmentOutcomeDate)) {
        if (a.assessmentOutcome === 'N') counts.notIssued += 1;
        if (a.assessmentOutcome === 'Y') {
          const within =
            r.receivedDate !== undefined && daysBetween(r.receivedDate, a.assessmentOutcomeDate) <= FINAL_PLAN_DAYS;
          counts.plansIssued += 1;
          if (within) counts.plansWithin20Weeks += 1;
          if (a.week20 !== '1') {
            counts.plansIssuedExcl += 1;
            if (within) counts.plansWithin20WeeksExcl += 1;
          }
        }
      }
      if (a?.namedPlan?.ceaseDate && a.namedPlan.ceaseDate >= from) counts.ceasedPlans += 1;
      // A plan transferred out carries ActivePlans for its TransferLA only: it is not active.
      if (r.activePlans && !r.activePlans.transferLa) counts.activePlans += 1;
    }
  }
  return counts;
}
