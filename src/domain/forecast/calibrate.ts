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
import { addDays, daysBetween, type LocalDate } from '../dates/localDate.js';
import { FINAL_PLAN_WEEKS } from '../statutory/periods.js';

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
  /**
   * The durations grouped by the case's age on reaching the stage (see Service 'empiricalByAge'), when there are
   * enough of them; null otherwise.
   */
  byAge: { ageEdges: number[]; groups: number[][] } | null;
}

/** Durations needed before they are grouped by age, and the fewest in a group. */
const BY_AGE_MIN = 200;
const BY_AGE_GROUP_MIN = 40;
const BY_AGE_GROUPS = 5;

/**
 * Durations grouped by age at the stage's start, in up to five groups of about equal size (edges at the quintiles
 * of age, whole days apart); a group with fewer than `BY_AGE_GROUP_MIN` joins the one before it.
 */
function groupByAge(durations: number[], ages: number[]): DurationSummary['byAge'] {
  if (durations.length < BY_AGE_MIN) return null;
  const sortedAges = [...ages].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let q = 1; q < BY_AGE_GROUPS; q++) {
    const edge = sortedAges[Math.floor((q * sortedAges.length) / BY_AGE_GROUPS)]!;
    if (edges.length === 0 || edge > edges[edges.length - 1]! + 1 / 7 - 1e-9) edges.push(edge);
  }
  const groupOf = (age: number) => {
    let g = 0;
    while (g < edges.length && age >= edges[g]!) g++;
    return g;
  };
  let groups: number[][] = Array.from({ length: edges.length + 1 }, () => []);
  durations.forEach((d, i) => groups[groupOf(ages[i]!)]!.push(d));
  // Merge small groups into their neighbour (dropping the edge between them).
  for (let g = groups.length - 1; g > 0; g--) {
    if (groups[g]!.length < BY_AGE_GROUP_MIN || groups[g - 1]!.length < BY_AGE_GROUP_MIN) {
      groups[g - 1] = [...groups[g - 1]!, ...groups[g]!];
      groups.splice(g, 1);
      edges.splice(g - 1, 1);
    }
  }
  if (edges.length === 0) return null;
  groups = groups.map((list) => list.sort((a, b) => a - b));
  return { ageEdges: edges, groups };
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
  /**
   * Each stage's effective capacity, cases a week: the most it finished in any 13 weeks of the window, a week on
   * average (what the stage has shown it can do; the whole window's rate when it is shorter than 13 weeks).
   */
  capacityPerWeek: Record<PipelineStage, number>;
  /** The open cases at `to`: the stage each is in, how long ago it arrived and how long it has been at that stage. */
  backlog: { stage: PipelineStage; ageWeeks: number; stageAgeWeeks: number }[];
}

const weeks = (from: LocalDate, to: LocalDate) => daysBetween(from, to) / 7;

/** The weeks over which a stage's best throughput is taken as its capacity. */
export const CAPACITY_WINDOW_WEEKS = 13;

/** The most cases finished in any `CAPACITY_WINDOW_WEEKS` weeks of [start, to], a week on average. */
function demonstratedCapacity(ends: LocalDate[], start: LocalDate, to: LocalDate, windowWeeks: number): number {
  const totalWeeks = Math.floor(daysBetween(start, to) / 7) + 1;
  if (totalWeeks < CAPACITY_WINDOW_WEEKS) return ends.length / windowWeeks;
  const perWeek = new Array<number>(totalWeeks).fill(0);
  for (const d of ends) perWeek[Math.min(totalWeeks - 1, Math.floor(daysBetween(start, d) / 7))]!++;
  let sum = perWeek.slice(0, CAPACITY_WINDOW_WEEKS).reduce((a, b) => a + b, 0);
  let best = sum;
  for (let w = CAPACITY_WINDOW_WEEKS; w < totalWeeks; w++) {
    sum += perWeek[w]! - perWeek[w - CAPACITY_WINDOW_WEEKS]!;
    if (sum > best) best = sum;
  }
  return best / CAPACITY_WINDOW_WEEKS;
}

/** Week of the year, 0 to 51 (days 1-7 are week 0; the last day or two of a year join week 51). */
export function weekOfYear(date: LocalDate): number {
  const startOfYear = `${date.slice(0, 4)}-01-01` as LocalDate;
  return Math.min(51, Math.floor(daysBetween(startOfYear, date) / 7));
}

function summary(values: number[], ages: number[]): DurationSummary {
  if (values.length === 0) {
    return { n: 0, meanWeeks: null, sdWeeks: null, p50Weeks: null, p90Weeks: null, weeks: [], byAge: null };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return {
    n: values.length,
    meanWeeks: mean,
    sdWeeks: sd,
    p50Weeks: at(0.5),
    p90Weeks: at(0.9),
    weeks: sorted,
    byAge: groupByAge(values, ages),
  };
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
  const ends: Record<PipelineStage, LocalDate[]> = { decision: [], advice: [], drafting: [], final: [] };
  /** Each duration's case age (weeks) at the stage's start. */
  const ages: Record<PipelineStage, number[]> = { decision: [], advice: [], drafting: [], final: [] };
  let decidedN = 0;
  let assessed = 0;
  let issueN = 0;
  let issued = 0;
  const backlog: Calibration['backlog'] = [];
  for (const c of cases) {
    if (inWindow(c.decided)) {
      durations.decision.push(weeks(c.received, c.decided));
      ends.decision.push(c.decided);
      ages.decision.push(0);
      decidedN++;
      if (c.assess) assessed++;
    }
    if (c.assess && c.decided && inWindow(c.adviceDone)) {
      durations.advice.push(weeks(c.decided, c.adviceDone));
      ends.advice.push(c.adviceDone);
      ages.advice.push(weeks(c.received, c.decided));
    }
    if (c.adviceDone && inWindow(c.issueDecided)) {
      durations.drafting.push(weeks(c.adviceDone, c.issueDecided));
      ends.drafting.push(c.issueDecided);
      ages.drafting.push(weeks(c.received, c.adviceDone));
      issueN++;
      if (c.issue) issued++;
    }
    if (c.issue && c.issueDecided && inWindow(c.finalIssued)) {
      durations.final.push(weeks(c.issueDecided, c.finalIssued));
      ends.final.push(c.finalIssued);
      ages.final.push(weeks(c.received, c.issueDecided));
    }

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

  // The rate is of a mean week of the year: over a recent part of the window, the arrivals are divided by the
  // seasonal weight of the weeks it covers rather than by their number (six months over the summer holidays would
  // otherwise make every week look quiet).
  const weeklyFactors = seasonality(allReceived, from, to);
  let weight = windowWeeks;
  if (weeklyFactors && start > from) {
    weight = 0;
    for (let d = 0; d <= daysBetween(start, to); d++) weight += weeklyFactors[weekOfYear(addDays(start, d))]! / 7;
  }
  return {
    from,
    to,
    arrivals: {
      ratePerWeek: weight > 0 ? received.length / weight : 0,
      weeklyFactors,
      startWeekOfYear: weekOfYear(to),
    },
    conversion: {
      assess: { rate: decidedN ? assessed / decidedN : null, n: decidedN },
      issue: { rate: issueN ? issued / issueN : null, n: issueN },
    },
    durations: {
      decision: summary(durations.decision, ages.decision),
      advice: summary(durations.advice, ages.advice),
      drafting: summary(durations.drafting, ages.drafting),
      final: summary(durations.final, ages.final),
    },
    throughputPerWeek: {
      decision: durations.decision.length / windowWeeks,
      advice: durations.advice.length / windowWeeks,
      drafting: durations.drafting.length / windowWeeks,
      final: durations.final.length / windowWeeks,
    },
    capacityPerWeek: {
      decision: demonstratedCapacity(ends.decision, start, to, windowWeeks),
      advice: demonstratedCapacity(ends.advice, start, to, windowWeeks),
      drafting: demonstratedCapacity(ends.drafting, start, to, windowWeeks),
      final: demonstratedCapacity(ends.final, start, to, windowWeeks),
    },
    // Oldest at its stage first: a stage with servers takes its backlog in that order.
    backlog: backlog.sort((a, b) => b.stageAgeWeeks - a.stageAgeWeeks),
  };
}

/** A scenario as plain data, before `parseScenario` checks it: what scenarios change. */
export interface RawScenario {
  arrivals: { ratePerWeek: number; weeklyFactors: number[] | null };
  stages: {
    id: string;
    servers: number | null;
    capacityChanges?: { atWeek: number; servers: number }[];
    [field: string]: unknown;
  }[];
  [field: string]: unknown;
}

/** The stages modelled with capacity (a queue): advice (educational psychologists) and drafting (caseworkers). */
export const QUEUED_STAGES: readonly PipelineStage[] = ['advice', 'drafting'];

/**
 * Servers for a stage with capacity: as many cases in hand at once as finish at its effective capacity when each takes
 * the stage's usual time (Little's law: in hand = rate x time), at least 1. Null for a stage with no history.
 */
export function stageServers(calibration: Calibration, stage: PipelineStage): number | null {
  const d = calibration.durations[stage];
  const capacity = calibration.capacityPerWeek[stage];
  if (d.n === 0 || d.meanWeeks === null || capacity <= 0) return null;
  return Math.max(1, Math.round(capacity * d.meanWeeks));
}

/**
 * The simulation scenario a calibration describes, starting at its `to` date. Decision and final are pure delays drawn
 * from the stage times seen; advice and drafting are queues whose servers are the cases in hand at once at their
 * effective capacity (`stageServers`), each taking a time drawn from the stage times seen: so with demand under the
 * capacity today's times carry forward as they are, demand over it builds a queue, and capacity added by a plan's
 * actions (servers in proportion to staff) drains it. The conversion rates are proceed probabilities, the seasonality
 * turns to start at today's week of the year, and today's open cases are the backlog (oldest at its stage first).
 * Periods are week boundaries for the fan charts.
 */
export function scenarioFromCalibration(
  calibration: Calibration,
  options: { horizonWeeks: number; replications: number; seed: number; periods: number[]; targetWeeks?: number },
): RawScenario {
  const factors = calibration.arrivals.weeklyFactors;
  const start = calibration.arrivals.startWeekOfYear;
  const stage = (id: PipelineStage, proceedProbability: number | null) => {
    const d = calibration.durations[id];
    return {
      id,
      servers: QUEUED_STAGES.includes(id) ? stageServers(calibration, id) : null,
      service: d.byAge
        ? { distribution: 'empiricalByAge', ...d.byAge }
        : d.n > 0
          ? { distribution: 'empirical', weeks: d.weeks }
          : { distribution: 'fixed', weeks: 0 },
      proceedProbability: proceedProbability ?? 1,
    };
  };
  return {
    seed: options.seed,
    replications: options.replications,
    warmupWeeks: 0,
    horizonWeeks: options.horizonWeeks,
    targetWeeks: options.targetWeeks ?? FINAL_PLAN_WEEKS,
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
  targetWeeks = FINAL_PLAN_WEEKS,
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
