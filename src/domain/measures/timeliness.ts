/**
 * The DfE timeliness and backlog measures, computed from a set of cases (statutory-timescales.md part 0 rule P12 and
 * section 4; DfE "Education, health and care plans" methodology). Each measure states its numerator, denominator and
 * exclusions, so anyone can check it.
 */
import { daysBetween, type LocalDate } from '../dates/localDate.js';
import {
  ADVICE_DAYS,
  ADVICE_WEEKS,
  DECIDE_WHETHER_TO_ASSESS_DAYS,
  DECIDE_WHETHER_TO_ASSESS_WEEKS,
  DECISION_NOT_TO_ISSUE_DAYS,
  DECISION_NOT_TO_ISSUE_WEEKS,
  FINAL_PLAN_DAYS,
  FINAL_PLAN_WEEKS,
} from '../statutory/periods.js';

export interface AdviceFacts {
  adviceType: string;
  requestedDate: LocalDate;
  receivedDate: LocalDate | null;
}

export interface CaseFacts {
  receivedDate: LocalDate;
  assessmentDecision: 'assess' | 'not_assess' | null;
  assessmentDecisionDate: LocalDate | null;
  issueDecision: 'issue' | 'not_issue' | null;
  issueDecisionDate: LocalDate | null;
  finalIssuedDate: LocalDate | null;
  /** Withdrawn or otherwise ended without a decision. */
  withdrawnDate: LocalDate | null;
  /**
   * Week20: an exception to the 20-week duty applies (P11; reg 10(4), applied by reg 13(3)). Exceptions to other
   * duties (reg 5(4), reg 8(2)) do not set it.
   */
  exception: boolean;
  advice: AdviceFacts[];
}

export interface Period {
  /** First day, inclusive. */
  from: LocalDate;
  /** Last day, inclusive. */
  to: LocalDate;
}

export interface RateMeasure {
  id: string;
  label: string;
  numerator: number;
  denominator: number;
  /** Percentage, or null when the denominator is 0. */
  percent: number | null;
  definition: { numerator: string; denominator: string; exclusions: string };
}

const within = (date: LocalDate | null, p: Period): date is LocalDate =>
  date !== null && date >= p.from && date <= p.to;

function rate(
  id: string,
  label: string,
  numerator: number,
  denominator: number,
  definition: RateMeasure['definition'],
): RateMeasure {
  return {
    id,
    label,
    numerator,
    denominator,
    percent: denominator === 0 ? null : (100 * numerator) / denominator,
    definition,
  };
}

/** Whether a request received on `received` has waited over 20 weeks by `asOf`: from its 141st day (P12). */
export function waitedOver20Weeks(received: LocalDate, asOf: LocalDate): boolean {
  return daysBetween(received, asOf) > FINAL_PLAN_DAYS;
}

/** P12: final plans issued within 20 weeks (issue date - request date <= 140 days), with and without exceptions. */
export function finalPlansWithin20Weeks(cases: readonly CaseFacts[], period: Period): [RateMeasure, RateMeasure] {
  let all = 0;
  let allWithin = 0;
  let excl = 0;
  let exclWithin = 0;
  for (const c of cases) {
    if (!within(c.finalIssuedDate, period)) continue;
    const ok = !waitedOver20Weeks(c.receivedDate, c.finalIssuedDate);
    all += 1;
    if (ok) allWithin += 1;
    if (!c.exception) {
      excl += 1;
      if (ok) exclWithin += 1;
    }
  }
  const numerator = `final plans issued in the period within ${FINAL_PLAN_DAYS} days of the request being received`;
  const denominator = 'final plans issued in the period (new plans after an EHC needs assessment)';
  return [
    rate(
      'final_plans_within_20_weeks_incl_exceptions',
      `Final plans issued within ${FINAL_PLAN_WEEKS} weeks, including exceptions`,
      allWithin,
      all,
      {
        numerator,
        denominator,
        exclusions: 'none: plans with an exception to the 20-week limit are counted',
      },
    ),
    rate(
      'final_plans_within_20_weeks_excl_exceptions',
      `Final plans issued within ${FINAL_PLAN_WEEKS} weeks, excluding exceptions`,
      exclWithin,
      excl,
      {
        numerator,
        denominator,
        exclusions:
          'plans with an exception to the 20-week limit (reg 10(4), applied by reg 13(3); SEN2 Week20 = 1) are left out of both numerator and denominator',
      },
    ),
  ];
}

/** Decisions whether to assess made within 6 weeks of the request (reg 5(1)). */
export function requestsDecidedWithin6Weeks(cases: readonly CaseFacts[], period: Period): RateMeasure {
  let n = 0;
  let ok = 0;
  for (const c of cases) {
    if (!within(c.assessmentDecisionDate, period)) continue;
    n += 1;
    if (daysBetween(c.receivedDate, c.assessmentDecisionDate) <= DECIDE_WHETHER_TO_ASSESS_DAYS) ok += 1;
  }
  return rate(
    'requests_decided_within_6_weeks',
    `Requests decided within ${DECIDE_WHETHER_TO_ASSESS_WEEKS} weeks`,
    ok,
    n,
    {
      numerator: `decisions made in the period within ${DECIDE_WHETHER_TO_ASSESS_DAYS} days of the request`,
      denominator: 'decisions whether to assess (to assess or not) made in the period',
      exclusions: 'requests withdrawn before a decision, and requests still undecided',
    },
  );
}

/** Decisions not to issue a plan made within 16 weeks of the request (reg 10(1)). */
export function noPlanDecisionsWithin16Weeks(cases: readonly CaseFacts[], period: Period): RateMeasure {
  let n = 0;
  let ok = 0;
  for (const c of cases) {
    if (c.issueDecision !== 'not_issue' || !within(c.issueDecisionDate, period)) continue;
    n += 1;
    if (daysBetween(c.receivedDate, c.issueDecisionDate) <= DECISION_NOT_TO_ISSUE_DAYS) ok += 1;
  }
  return rate(
    'no_plan_decisions_within_16_weeks',
    `"No plan" decisions within ${DECISION_NOT_TO_ISSUE_WEEKS} weeks`,
    ok,
    n,
    {
      numerator: 'decisions not to issue a plan made in the period within 112 days of the request',
      denominator: 'decisions not to issue a plan made in the period',
      exclusions: 'decisions to issue a plan',
    },
  );
}

/** Advice returned within 6 weeks of being requested (reg 8(1)), for each advice type. */
export function adviceWithin6Weeks(cases: readonly CaseFacts[], period: Period): RateMeasure[] {
  const byType = new Map<string, { n: number; ok: number }>();
  for (const c of cases) {
    for (const a of c.advice) {
      if (!within(a.receivedDate, period)) continue;
      const t = byType.get(a.adviceType) ?? { n: 0, ok: 0 };
      t.n += 1;
      if (daysBetween(a.requestedDate, a.receivedDate) <= ADVICE_DAYS) t.ok += 1;
      byType.set(a.adviceType, t);
    }
  }
  return [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, t]) =>
      rate(`advice_within_6_weeks:${type}`, `Advice returned within ${ADVICE_WEEKS} weeks: ${type}`, t.ok, t.n, {
        numerator: `advice received in the period within ${ADVICE_DAYS} days of being requested`,
        denominator: 'advice of this type received in the period',
        exclusions: 'advice still outstanding (see the open requests measure for waits)',
      }),
    );
}

/**
 * Bands of weeks waiting, edged by the statutory periods: the decision whether to assess (6 weeks, reg 5(1)), a "no
 * plan" decision (16 weeks, reg 10(1)) and the final plan (20 weeks, reg 13(2)). The ids are stored with the figures.
 */
export const AGE_BANDS = [
  { id: '0-6', fromWeeks: 0, toWeeks: DECIDE_WHETHER_TO_ASSESS_WEEKS },
  { id: '6-16', fromWeeks: DECIDE_WHETHER_TO_ASSESS_WEEKS, toWeeks: DECISION_NOT_TO_ISSUE_WEEKS },
  { id: '16-20', fromWeeks: DECISION_NOT_TO_ISSUE_WEEKS, toWeeks: FINAL_PLAN_WEEKS },
  { id: '20-30', fromWeeks: FINAL_PLAN_WEEKS, toWeeks: 30 },
  { id: '30-52', fromWeeks: 30, toWeeks: 52 },
  { id: '52+', fromWeeks: 52, toWeeks: Infinity },
] as const;

/** Whether a request is still open (no final plan, no decision that ends it, not withdrawn) on a date. */
export function isOpenOn(c: CaseFacts, asOf: LocalDate): boolean {
  if (c.receivedDate > asOf) return false;
  const ended = (d: LocalDate | null) => d !== null && d <= asOf;
  if (ended(c.finalIssuedDate) || ended(c.withdrawnDate)) return false;
  if (c.assessmentDecision === 'not_assess' && ended(c.assessmentDecisionDate)) return false;
  if (c.issueDecision === 'not_issue' && ended(c.issueDecisionDate)) return false;
  return true;
}

export interface AgeBandCount {
  band: (typeof AGE_BANDS)[number]['id'];
  count: number;
}

/** Open requests on a date by completed weeks since the request: 0-6 means under 6 weeks, 52+ means 52 or more. */
export function openRequestsByAge(
  cases: readonly CaseFacts[],
  asOf: LocalDate,
): { total: number; bands: AgeBandCount[] } {
  const counts = AGE_BANDS.map(() => 0);
  let total = 0;
  for (const c of cases) {
    if (!isOpenOn(c, asOf)) continue;
    const weeks = daysBetween(c.receivedDate, asOf) / 7;
    const i = AGE_BANDS.findIndex((b) => weeks >= b.fromWeeks && weeks < b.toWeeks);
    counts[i] = counts[i]! + 1;
    total += 1;
  }
  return { total, bands: AGE_BANDS.map((b, i) => ({ band: b.id, count: counts[i]! })) };
}

export interface WeeksToFinalPlan {
  plans: number;
  meanWeeks: number | null;
  /** 90th percentile by the nearest-rank method: the smallest value with at least 90% of plans at or below it. */
  p90Weeks: number | null;
}

/** Weeks from request to final plan for plans issued in the period (including exceptions). */
export function weeksToFinalPlan(cases: readonly CaseFacts[], period: Period): WeeksToFinalPlan {
  const weeks: number[] = [];
  for (const c of cases) {
    if (within(c.finalIssuedDate, period)) weeks.push(daysBetween(c.receivedDate, c.finalIssuedDate) / 7);
  }
  if (weeks.length === 0) return { plans: 0, meanWeeks: null, p90Weeks: null };
  weeks.sort((a, b) => a - b);
  const mean = weeks.reduce((s, w) => s + w, 0) / weeks.length;
  return { plans: weeks.length, meanWeeks: mean, p90Weeks: weeks[Math.ceil(0.9 * weeks.length) - 1]! };
}
