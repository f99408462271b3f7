/**
 * Decisions within 6 weeks as DfE counts them: by the calendar year the request was received, not the month of the
 * decision. DfE's "Education, health and care plans" statistics (requests.csv, from SEN2 module 2; data guidance:
 * "Data is shown on a calendar year basis", request_outcome_six_weeks and request_outcome_over_6_weeks) count each
 * request received in the year once, by whether the decision whether to assess came within 6 weeks (42 days: reg
 * 5(1) of the SEND Regulations 2014, statutory-timescales.md).
 *
 * The monthly measure `decided_within_6_weeks` counts decisions in the month they were made. The two agree over time
 * but not year by year: a request received in December and decided in February is in one year's figure here and in
 * February's there.
 *
 * A request still undecided more than 6 weeks after it was received can only be late: it counts as late now. A request
 * undecided and still inside its 6 weeks is not judged yet, and a request withdrawn before a decision is left out. A
 * year's figure is provisional while it can still change: the year has not ended (more requests will come), or some of
 * its requests are still inside their 6 weeks.
 */
import { daysBetween, type LocalDate } from '../dates/localDate.js';
import { DECIDE_WHETHER_TO_ASSESS_DAYS, DECIDE_WHETHER_TO_ASSESS_WEEKS } from '../statutory/periods.js';

/**
 * Which grouping each figure of a measure uses, in words for its pages: the monthly measure, and DfE's grouping by the
 * year the request was received.
 */
export const GROUPINGS: Record<string, { monthly: string; byRequestYear: string }> = {
  decided_within_6_weeks: {
    monthly:
      'The monthly figures (the chart and its table) count decisions in the calendar month the decision was made, whenever the request was received.',
    byRequestYear: `DfE’s statistics, and England’s figure, count requests by the calendar year they were received: each request once, decided within ${DECIDE_WHETHER_TO_ASSESS_WEEKS} weeks or not. A request still undecided more than ${DECIDE_WHETHER_TO_ASSESS_WEEKS} weeks after it was received counts as late; one still inside its ${DECIDE_WHETHER_TO_ASSESS_WEEKS} weeks is not judged yet; one withdrawn before a decision is left out. A year is provisional while its figure can still change.`,
  },
};

export interface RequestDecisionFacts {
  receivedDate: LocalDate;
  assessmentDecisionDate: LocalDate | null;
  withdrawnDate: LocalDate | null;
}

export interface RequestYearFigure {
  year: number;
  /** Requests received in the year. */
  received: number;
  /** Decided within 6 weeks. */
  within: number;
  /** Decided after 6 weeks, or still undecided after 6 weeks. */
  late: number;
  /** Of `late`, those still undecided. */
  overdue: number;
  /** Undecided and still inside their 6 weeks: not judged yet. */
  pending: number;
  /** Withdrawn before a decision: left out. */
  withdrawn: number;
  /** within / (within + late), as a percentage; null when none is judged. */
  value: number | null;
  provisional: boolean;
}

/** The last `years` calendar years up to today's, newest first. */
export function decisionsWithin6WeeksByRequestYear(
  requests: readonly RequestDecisionFacts[],
  today: LocalDate,
  years: number,
): RequestYearFigure[] {
  const thisYear = Number(today.slice(0, 4));
  const figures = new Map<number, RequestYearFigure>();
  for (let y = thisYear; y > thisYear - years; y--) {
    figures.set(y, {
      year: y,
      received: 0,
      within: 0,
      late: 0,
      overdue: 0,
      pending: 0,
      withdrawn: 0,
      value: null,
      provisional: y >= thisYear,
    });
  }
  for (const r of requests) {
    if (r.receivedDate > today) continue;
    const f = figures.get(Number(r.receivedDate.slice(0, 4)));
    if (!f) continue;
    f.received += 1;
    const decided = r.assessmentDecisionDate !== null && r.assessmentDecisionDate <= today;
    if (decided) {
      if (daysBetween(r.receivedDate, r.assessmentDecisionDate!) <= DECIDE_WHETHER_TO_ASSESS_DAYS) f.within += 1;
      else f.late += 1;
    } else if (r.withdrawnDate !== null && r.withdrawnDate <= today) {
      f.withdrawn += 1;
    } else if (daysBetween(r.receivedDate, today) > DECIDE_WHETHER_TO_ASSESS_DAYS) {
      f.late += 1;
      f.overdue += 1;
    } else {
      f.pending += 1;
    }
  }
  return [...figures.values()].map((f) => ({
    ...f,
    value: f.within + f.late > 0 ? (100 * f.within) / (f.within + f.late) : null,
    provisional: f.provisional || f.pending > 0,
  }));
}
