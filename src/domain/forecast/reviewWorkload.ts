/**
 * The annual reviews' share of caseworkers' time, for the forecast (issue 28): caseworkers run the reviews of the LA's
 * plans (CFA s.44) and write the new plans, so a review backlog cleared, or every review held on time, takes time the
 * drafting of new plans then does not get.
 *
 * Time is counted as the caseload counts it (domain/casework/processes.ts, ./workload.ts): a request in hand weighs
 * by its stage, and a review being run weighs REVIEW_WEIGHT for the REVIEW_LOAD_WEEKS it is in hand. By Little's law the
 * reviews in hand are the reviews concluded a week times the weeks each is in hand, so the reviews' load now is last
 * year's weekly rate x REVIEW_LOAD_WEEKS x REVIEW_WEIGHT, and the requests' load is today's open requests weighted by
 * stage. The calibration sees the drafting stage's capacity as it has been, with the reviews as they have been; a
 * scenario that runs more reviews than that takes the extra load from the requests' share, and so from the drafting
 * stage's servers in proportion (fewer reviews give it back). A planning model with stated assumptions, not a time
 * study: a council with its own changes the weights.
 */
import { weightedCaseload } from '../casework/workload.js';
import { REVIEW_LOAD_WEEKS, REVIEW_WEIGHT } from '../casework/processes.js';
import { type LocalDate } from '../dates/localDate.js';
import { WEEKS_A_YEAR } from './scenario.js';

/** A review's cycle: the next review is due 12 months after the last (CFA s.44(1)). */
const MONTHS_BETWEEN_REVIEWS = 12;

export interface ReviewWorkloadInput {
  asOf: LocalDate;
  /** Each active plan's current review due date (overdue ones before asOf). */
  dueDates: readonly LocalDate[];
  /** Reviews concluded (the decision sent after the meeting) in the 12 months to asOf. */
  concludedLastYear: number;
  /** The LA's open requests by stage: the caseworkers' other work. */
  openRequestsByStage: Readonly<Record<string, number>>;
}

export interface ReviewWorkload {
  /** Reviews past their due date today. */
  overdue: number;
  /** Reviews concluded a week over the last 12 months. */
  concludedPerWeek: number;
  /** Caseworkers' load now: reviews being run, and requests weighted by stage (load units). */
  reviewLoad: number;
  requestLoad: number;
  /** The reviews' share of caseworkers' time now (0-1); null when there is no work at all. */
  reviewShare: number | null;
}

export type ReviewPolicy =
  /** Reviews run as they have been over the last year: the calibrated capacity as it is. */
  | { kind: 'as_now' }
  /**
   * Every review held by its due date from next month, and the overdue ones cleared evenly over the next
   * `clearOverdueMonths` whole months (each then due again 12 months later).
   */
  | { kind: 'on_time'; clearOverdueMonths: number };

export function reviewWorkload(input: ReviewWorkloadInput): ReviewWorkload {
  const concludedPerWeek = input.concludedLastYear / WEEKS_A_YEAR;
  const reviewLoad = concludedPerWeek * REVIEW_LOAD_WEEKS * REVIEW_WEIGHT;
  const requestLoad = weightedCaseload(input.openRequestsByStage);
  const total = reviewLoad + requestLoad;
  return {
    overdue: input.dueDates.filter((d) => d < input.asOf).length,
    concludedPerWeek,
    reviewLoad,
    requestLoad,
    reviewShare: total > 0 ? reviewLoad / total : null,
  };
}

/**
 * Reviews concluded in each month of the forecast under "every review on time": `months` are 'YYYY-MM' from this
 * month; a review due in a month is concluded in it, and again 12 months later; the overdue ones are spread evenly
 * over months 1 to clearOverdueMonths (month 0 is the rest of this month), each due again 12 months after.
 */
export function reviewsOnTimeByMonth(
  dueDates: readonly LocalDate[],
  asOf: LocalDate,
  months: readonly string[],
  clearOverdueMonths: number,
): number[] {
  const index = new Map(months.map((m, i) => [m, i]));
  const counts = months.map(() => 0);
  const count = (i: number) => {
    for (let at = i; at < counts.length; at += MONTHS_BETWEEN_REVIEWS) counts[at]!++;
  };
  const overdue = dueDates.filter((d) => d < asOf);
  overdue.forEach((_, k) => count(1 + Math.floor((k * clearOverdueMonths) / overdue.length)));
  for (const due of dueDates) {
    // Due today or later: in its month, if that is in the forecast (later ones fall beyond it, and so do theirs).
    const i = due < asOf ? undefined : index.get(due.slice(0, 7));
    if (i !== undefined) count(i);
  }
  return counts;
}

/**
 * The drafting stage's capacity under a review policy, month by month, as a factor of its calibrated capacity: 1 as
 * now; under "on time", 1 - (the month's reviews a week - last year's) x REVIEW_LOAD_WEEKS x REVIEW_WEIGHT / the
 * requests' load, never below 0. `weeksInMonth[i]` is month i's length in the forecast (the first is part of a month).
 */
export function draftingCapacityFactors(
  workload: ReviewWorkload,
  policy: ReviewPolicy,
  reviewsByMonth: readonly number[],
  weeksInMonth: readonly number[],
): number[] {
  if (policy.kind === 'as_now' || workload.requestLoad <= 0) return weeksInMonth.map(() => 1);
  return weeksInMonth.map((weeks, i) => {
    const perWeek = weeks > 0 ? reviewsByMonth[i]! / weeks : workload.concludedPerWeek;
    const extraLoad = (perWeek - workload.concludedPerWeek) * REVIEW_LOAD_WEEKS * REVIEW_WEIGHT;
    return Math.max(0, 1 - extraLoad / workload.requestLoad);
  });
}
