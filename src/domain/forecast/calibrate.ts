/**
 * Calibration of the pipeline simulation from the case history (shared/reference/forecasting.md): weekly arrivals
 * with their seasonality over the school year, the conversion rates (decisions to assess, decisions to issue), the
 * time each stage takes, each stage's throughput, and the open cases today as the starting backlog.
 *
 * The stages, as the product models the EHC pipeline: decision (request to the decision whether to assess), advice
 * (decision to the last advice received), drafting (last advice to the decision whether to issue) and final (decision
 * to issue to the final plan). Times are in weeks (days / 7). The window is the period of history calibrated on:
 * cases received in it give arrivals; stages ended in it give durations and conversions.
 */
import { daysBetween, type LocalDate } from '../dates/localDate.js';

export interface CaseHistory {
  received: LocalDate;
  /** The decision whether to assess, and whether it was to assess. */
  decided: LocalDate | null;
  assess: boolean | null;
  /** The last advice received (the end of the advice stage). */
  adviceDone: LocalDate | null;
  /** The decision whether to issue a plan, and whether it was to issue. */
  issueDecided: LocalDate | null;
  issue: boolean | null;
  finalIssued: LocalDate | null;
  /** Closed without a plan at some other point (withdrawn, moved away): not open, not a conversion. */
  closed: LocalDate | null;
}

export const PIPELINE_STAGES = ['decision', 'advice', 'drafting', 'final'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export interface DurationSummary {
  n: number;
  meanWeeks: number | null;
  sdWeeks: number | null;
  p50Weeks: number | null;
  p90Weeks: number | null;
  /** Every duration seen (weeks), for an empirical distribution. */
  weeks: number[];
}

export interface Calibration {
  from: LocalDate;
  to: LocalDate;
  arrivals: {
    ratePerWeek: number;
    /** 52 multipliers (mean 1) by week of the year, from 2 or more years of history; null with less. */
    weeklyFactors: number[] | null;
    /** The week of the year `to` falls in (0-51): the factors' offset for a simulation starting then. */
    startWeekOfYear: number;
  };
  conversion: {
    assess: { rate: number | null; n: number };
    issue: { rate: number | null; n: number };
  };
  durations: Record<PipelineStage, DurationSummary>;
  /** Cases finishing each stage per week in the window. */
  throughputPerWeek: Record<PipelineStage, number>;
  /** The open cases at `to`: the stage each is in, how long ago it arrived and how long it has been at that stage. */
  backlog: { stage: PipelineStage; ageWeeks: number; stageAgeWeeks: number }[];
}

const weeks = (from: LocalDate, to: LocalDate) => daysBetween(from, to) / 7;

/** Week of the year, 0 to 51 (days 1-7 are week 0; the last day or two of a year join week 51). */
export function weekOfYear(date: LocalDate): number {
  const startOfYear = `${date.slice(0, 4)}-01-01` as LocalDate;
  return Math.min(51, Math.floor(daysBetween(startOfYear, date) / 7));
}

function summary(values: number[]): DurationSummary {
  if (values.length === 0) return { n: 0, meanWeeks: null, sdWeeks: null, p50Weeks: null, p90Weeks: null, weeks: [] };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { n: values.length, meanWeeks: mean, sdWeeks: sd, p50Weeks: at(0.5), p90Weeks: at(0.9), weeks: sorted };
}

/**
 * Seasonality: arrivals by week of the year over whole years of the window, smoothed over three weeks (school terms
 * move by a week or so from year to year), as multipliers of the mean week.
 */
function seasonality(received: LocalDate[], from: LocalDate, to: LocalDate): number[] | null {
  const years = Math.floor(daysBetween(from, to) / 365);
  if (years < 2) return null;
  const counts = new Array<number>(52).fill(0);
  for (const r of received) counts[weekOfYear(r)]!++;
  const smoothed = counts.map((_, w) => (counts[(w + 51) % 52]! + counts[w]! + counts[(w + 1) % 52]!) / 3);
  const mean = smoothed.reduce((a, b) => a + b, 0) / 52;
  if (mean === 0) return null;
  return smoothed.map((c) => c / mean);
}

/**
 * Calibrates on the cases' history between `from` and `to` (inclusive of both). With `recentFrom`, the arrival rate,
 * conversions and stage times come from the recent part only (a service that has changed is forecast as it is now),
 * and the seasonality from the whole window.
 */
export function calibrate(
  cases: readonly CaseHistory[],
  from: LocalDate,
  to: LocalDate,
  options: { recentFrom?: LocalDate } = {},
): Calibration {
  const allReceived = cases.map((c) => c.received).filter((d) => d >= from && d <= to);
  const start = options.recentFrom && options.recentFrom > from ? options.recentFrom : from;
  const inWindow = (d: LocalDate | null): d is LocalDate => d !== null && d >= start && d <= to;
  const windowWeeks = Math.max(1, weeks(start, to) + 1 / 7);
  const received = cases.map((c) => c.received).filter(inWindow);

  const durations: Record<PipelineStage, number[]> = { decision: [], advice: [], drafting: [], final: [] };
  let decidedN = 0;
  let assessed = 0;
  let issueN = 0;
  let issued = 0;
  const backlog: Calibration['backlog'] = [];
  for (const c of cases) {
    if (inWindow(c.decided)) {
      durations.decision.push(weeks(c.received, c.decided));
      decidedN++;
      if (c.assess) assessed++;
    }
    if (c.assess && c.decided && inWindow(c.adviceDone)) durations.advice.push(weeks(c.decided, c.adviceDone));
    if (c.adviceDone && inWindow(c.issueDecided)) {
      durations.drafting.push(weeks(c.adviceDone, c.issueDecided));
      issueN++;
      if (c.issue) issued++;
    }
    if (c.issue && c.issueDecided && inWindow(c.finalIssued))
      durations.final.push(weeks(c.issueDecided, c.finalIssued));

    // Open at `to`: received by then, and neither finished nor closed by then.
    const by = (d: LocalDate | null) => d !== null && d <= to;
    if (c.received > to || by(c.finalIssued) || by(c.closed)) continue;
    if (by(c.decided) && c.assess === false) continue;
    if (by(c.issueDecided) && c.issue === false) continue;
    const stage: PipelineStage = !by(c.decided)
      ? 'decision'
      : !by(c.adviceDone)
        ? 'advice'
        : !by(c.issueDecided)
          ? 'drafting'
          : 'final';
    const stageStart = { decision: c.received, advice: c.decided, drafting: c.adviceDone, final: c.issueDecided }[
      stage
    ]!;
    backlog.push({ stage, ageWeeks: weeks(c.received, to), stageAgeWeeks: weeks(stageStart, to) });
  }

  return {
    from,
    to,
    arrivals: {
      ratePerWeek: received.length / windowWeeks,
      weeklyFactors: seasonality(allReceived, from, to),
      startWeekOfYear: weekOfYear(to),
    },
    conversion: {
      assess: { rate: decidedN ? assessed / decidedN : null, n: decidedN },
      issue: { rate: issueN ? issued / issueN : null, n: issueN },
    },
    durations: {
      decision: summary(durations.decision),
      advice: summary(durations.advice),
      drafting: summary(durations.drafting),
      final: summary(durations.final),
    },
    throughputPerWeek: {
      decision: durations.decision.length / windowWeeks,
      advice: durations.advice.length / windowWeeks,
      drafting: durations.drafting.length / windowWeeks,
      final: durations.final.length / windowWeeks,
    },
    backlog,
  };
}

/**
 * The simulation scenario a calibration describes, starting at its `to` date: each stage a pure delay drawn from the
 * stage times seen (so today's waits are carried forward as they are), the conversion rates as proceed probabilities,
 * the seasonality turned to start at today's week of the year, and today's open cases as the backlog. Capacity
 * changes are added to it by scenarios; periods are week boundaries for the fan charts.
 */
export function scenarioFromCalibration(
  calibration: Calibration,
  options: { horizonWeeks: number; replications: number; seed: number; periods: number[]; targetWeeks?: number },
): Record<string, unknown> {
  const factors = calibration.arrivals.weeklyFactors;
  const start = calibration.arrivals.startWeekOfYear;
  const stage = (id: PipelineStage, proceedProbability: number | null) => {
    const d = calibration.durations[id];
    return {
      id,
      servers: null,
      service: d.n > 0 ? { distribution: 'empirical', weeks: d.weeks } : { distribution: 'fixed', weeks: 0 },
      proceedProbability: proceedProbability ?? 1,
    };
  };
  return {
    seed: options.seed,
    replications: options.replications,
    warmupWeeks: 0,
    horizonWeeks: options.horizonWeeks,
    targetWeeks: options.targetWeeks ?? 20,
    arrivals: {
      ratePerWeek: calibration.arrivals.ratePerWeek,
      weeklyFactors: factors ? factors.map((_, w) => factors[(w + start) % 52]!) : null,
    },
    stages: [
      stage('decision', calibration.conversion.assess.rate),
      stage('advice', null),
      stage('drafting', calibration.conversion.issue.rate),
      stage('final', null),
    ],
    backlog: calibration.backlog,
    periods: options.periods,
  };
}

/** Final plans issued between two dates (inclusive of `from`, exclusive of `to`), and how many within `targetWeeks`. */
export function issuedBetween(
  cases: readonly CaseHistory[],
  from: LocalDate,
  to: LocalDate,
  targetWeeks = 20,
): { issued: number; within: number } {
  let issued = 0;
  let within = 0;
  for (const c of cases) {
    if (c.finalIssued === null || c.finalIssued < from || c.finalIssued >= to) continue;
    issued++;
    if (weeks(c.received, c.finalIssued) <= targetWeeks + 1e-9) within++;
  }
  return { issued, within };
}
