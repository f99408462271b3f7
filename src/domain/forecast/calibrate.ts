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
import { erlangC } from './queueing.js';
import { WEEKS_A_YEAR } from './scenario.js';
import { survivalQuantiles, type Observation } from './survival.js';

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
  /** Cases that finished (events) and cases still in the stage (censored) in the cohort. */
  n: number;
  censored: number;
  meanWeeks: number | null;
  sdWeeks: number | null;
  p50Weeks: number | null;
  p90Weeks: number | null;
  /**
   * The distribution (weeks) as 200 quantiles of its Kaplan-Meier estimate (survival.ts): the cases that started the
   * stage in the window, those still in it counted as censored, so the long tail of an open backlog is not lost.
   */
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
    /** The expected requests in a mean week of the year at `to` (the trend's level then, not the window's mean). */
    ratePerWeek: number;
    /** 52 multipliers (mean 1) by week of the year, from 2 or more years of history; null with less. */
    weeklyFactors: number[] | null;
    /** The week of the year `to` falls in (0-51): the factors' offset for a simulation starting then. */
    startWeekOfYear: number;
    /**
     * The trend: growth a year (0.1 = 10% more requests a year), fitted with the seasonality over the whole window
     * (two years or more; 0 with less), and its standard error.
     */
    growthPerYear: number;
    growthSe: number;
    /** The standard error of log(ratePerWeek) (Poisson regression). */
    logRateSe: number;
  };
  conversion: {
    assess: { rate: number | null; n: number };
    issue: { rate: number | null; n: number };
  };
  /** Time in each stage (waiting included), for the cases that started it in the window (open ones censored). */
  durations: Record<PipelineStage, DurationSummary>;
  /** Cases finishing each stage per week in the window. */
  throughputPerWeek: Record<PipelineStage, number>;
  /**
   * A stage with a queue (QUEUED_STAGES): the cases it finishes a week while it has a queue, servers / mean service
   * time (`queueAt`); null if its cases never queued (it has only shown it can do what came).
   */
  capacityPerWeek: Record<PipelineStage, number | null>;
  /**
   * A stage with a queue: its servers (cases in hand at once) and its service time, queueing taken out (see
   * `reconstructService`); null for the others or with no history.
   */
  queues: Record<PipelineStage, { servers: number; service: DurationSummary } | null>;
  /** The open cases at `to`: the stage each is in, how long ago it arrived and how long it has been at that stage. */
  backlog: { stage: PipelineStage; ageWeeks: number; stageAgeWeeks: number }[];
}

const weeks = (from: LocalDate, to: LocalDate) => daysBetween(from, to) / 7;

/** Week of the year, 0 to 51 (days 1-7 are week 0; the last day or two of a year join week 51). */
export function weekOfYear(date: LocalDate): number {
  const startOfYear = `${date.slice(0, 4)}-01-01` as LocalDate;
  return Math.min(51, Math.floor(daysBetween(startOfYear, date) / 7));
}

function summary(observations: readonly Observation[], ages: number[]): DurationSummary {
  const ended = observations.filter((o) => o.ended).map((o) => o.weeks);
  const censored = observations.length - ended.length;
  const sorted = survivalQuantiles(observations);
  if (sorted.length === 0) {
    return { n: 0, censored, meanWeeks: null, sdWeeks: null, p50Weeks: null, p90Weeks: null, weeks: [], byAge: null };
  }
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const sd = Math.sqrt(sorted.reduce((a, v) => a + (v - mean) ** 2, 0) / sorted.length);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return {
    n: ended.length,
    censored,
    meanWeeks: mean,
    sdWeeks: sd,
    p50Weeks: at(0.5),
    p90Weeks: at(0.9),
    weeks: sorted,
    byAge: groupByAge(ended, ages),
  };
}

/**
 * Seasonality: arrivals by week of the year over the last whole years of the window, each divided by the trend's level then,
 * smoothed over three weeks (school terms move by a week or so from year to year), as multipliers of the mean week.
 */
function seasonality(received: LocalDate[], from: LocalDate, to: LocalDate, growth: number): number[] | null {
  const years = Math.floor(daysBetween(from, to) / 365);
  if (years < 2) return null;
  const counts = new Array<number>(52).fill(0);
  // Whole years only (ending at `to`): a part year would count its weeks once more than the rest.
  const since = addDays(to, -Math.floor(years * 365.25));
  // A request t years before `to` counts as exp(growth x t) of one at `to`'s level.
  for (const r of received) {
    if (r > since) counts[weekOfYear(r)]! += Math.exp((growth * weeks(r, to)) / WEEKS_A_YEAR);
  }
  const smoothed = counts.map((_, w) => (counts[(w + 51) % 52]! + counts[w]! + counts[(w + 1) % 52]!) / 3);
  const mean = smoothed.reduce((a, b) => a + b, 0) / 52;
  if (mean === 0) return null;
  return smoothed.map((c) => c / mean);
}

/**
 * The trend in requests: a Poisson regression of the weekly counts on time, with the seasonal factors as an offset,
 * log E[count in week w] = a + b t_w + log(f_w x days_w / 7), t in years before `to` (negative), fitted by Newton's
 * method (McCullagh and Nelder, Generalized Linear Models, 2nd ed., ch. 6). exp(a) is the rate of a mean week at
 * `to`; exp(b) - 1 the growth a year; their standard errors from the inverse Fisher information.
 */
function trend(
  received: LocalDate[],
  from: LocalDate,
  to: LocalDate,
  factors: number[] | null,
): { rate: number; growth: number; growthSe: number; logRateSe: number } {
  const totalDays = daysBetween(from, to) + 1;
  const n = Math.ceil(totalDays / 7);
  const y = new Array<number>(n).fill(0);
  for (const r of received) y[Math.floor(daysBetween(from, r) / 7)]!++;
  const t: number[] = [];
  const offset: number[] = [];
  for (let w = 0; w < n; w++) {
    const days = Math.min(7, totalDays - 7 * w);
    let weight = 0;
    for (let d = 0; d < days; d++) weight += (factors ? factors[weekOfYear(addDays(from, 7 * w + d))]! : 1) / 7;
    offset.push(weight);
    t.push(-weeks(addDays(from, 7 * w + (days - 1) / 2), to) / WEEKS_A_YEAR);
  }
  const total = y.reduce((a, b) => a + b, 0);
  const exposure = offset.reduce((a, b) => a + b, 0);
  if (total === 0 || exposure === 0) return { rate: 0, growth: 0, growthSe: 0, logRateSe: 0 };
  const fitTrend = Math.floor(totalDays / 365) >= 2;
  let a = Math.log(total / exposure);
  let b = 0;
  let info = [exposure, 0, 0];
  for (let iter = 0; iter < 50; iter++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    for (let w = 0; w < n; w++) {
      const mu = offset[w]! * Math.exp(a + b * t[w]!);
      g0 += y[w]! - mu;
      g1 += (y[w]! - mu) * t[w]!;
      h00 += mu;
      h01 += mu * t[w]!;
      h11 += mu * t[w]! * t[w]!;
    }
    info = [h00, h01, h11];
    if (!fitTrend) {
      a += g0 / h00;
      if (Math.abs(g0 / h00) < 1e-12) break;
      continue;
    }
    const det = h00 * h11 - h01 * h01;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-12) break;
  }
  const [h00, h01, h11] = info as [number, number, number];
  const det = h00 * h11 - h01 * h01;
  return {
    rate: Math.exp(a),
    growth: Math.exp(b) - 1,
    growthSe: fitTrend && det > 0 ? Math.exp(b) * Math.sqrt(h00 / det) : 0,
    logRateSe: fitTrend && det > 0 ? Math.sqrt(h11 / det) : Math.sqrt(1 / h00),
  };
}

/** A case's time at a stage: when it started, when it ended (null if not by `to`), and whether it left there. */
interface Span {
  start: LocalDate;
  end: LocalDate | null;
  /** Closed (withdrawn, moved away) while at the stage, by `to`: it left without finishing. */
  left: LocalDate | null;
  age: number;
}

function spanAt(c: CaseHistory, stage: PipelineStage, to: LocalDate): Span | null {
  const known = (d: LocalDate | null) => (d !== null && d <= to ? d : null);
  const [start, end] =
    stage === 'decision'
      ? [known(c.received), known(c.decided)]
      : stage === 'advice'
        ? [c.assess ? known(c.decided) : null, known(c.adviceDone)]
        : stage === 'drafting'
          ? [known(c.adviceDone), known(c.issueDecided)]
          : [c.issue ? known(c.issueDecided) : null, known(c.finalIssued)];
  if (start === null) return null;
  const closed = known(c.closed);
  const left = end === null && closed !== null && closed >= start ? closed : null;
  return { start, end, left, age: weeks(c.received, start) };
}

/**
 * Service times at a stage whose cases are served first come, first served by `servers` at once, from when each
 * started and ended the stage (Kiefer and Wolfowitz's recursion for the G/G/c queue): case i (in order of starting)
 * is served from max(its start, the previous case's service start, the (i - c)-th departure of all), so its queueing
 * is that less its start and its service is the rest. Departures not yet made (after `to`) leave later cases
 * unserved: those are still queueing (null); cases in service at `to` are censored.
 */
function reconstructService(spans: readonly Span[], servers: number, to: LocalDate): (Observation | null)[] {
  const departures = spans
    .map((s) => s.end ?? s.left)
    .filter((d): d is LocalDate => d !== null)
    .map((d) => daysBetween(to, d))
    .sort((a, b) => a - b);
  let previous = -Infinity;
  return spans.map((s, i) => {
    const arrived = daysBetween(to, s.start);
    const freed = i >= servers ? departures[i - servers] : -Infinity;
    if (freed === undefined) return null;
    const served = Math.max(arrived, previous, freed);
    previous = served;
    if (served > 0) return null;
    if (s.left) return null;
    return s.end ? { weeks: (daysBetween(to, s.end) - served) / 7, ended: true } : { weeks: -served / 7, ended: false };
  });
}

/** A stage that has never had a queue is modelled as one where this share at most wait, at its busiest. */
const NO_QUEUE_WAIT = 0.05;

/** The share of service times that may come out negative (work not strictly first come, first served). */
const OVERTAKING_TOLERANCE = 0.05;

function correlation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/**
 * A queued stage: its servers, service times and capacity, from when its cases started and ended it. Service times
 * do not depend on how busy the stage was when a case came (each case needs what it needs); the time in the stage
 * does, by the queueing. So the servers are the fewest for which the service times `reconstructService` leaves
 * (the time in the stage less the queueing that many servers imply) no longer grow shorter the more cases were in
 * the stage when each came (correlation <= 0, counting down from no queueing at all): fewer servers would count service as queueing; more, queueing as
 * service. The capacity is then servers / mean service time (Little's law for a busy stage's servers), the cases a
 * week it finishes while it has a queue. A stage whose cases never queued at any such number has only shown it can
 * take what came: enough servers that a queue would be rare (Erlang C, P(wait) <= NO_QUEUE_WAIT) at the most cases
 * it has had in hand, and no capacity is claimed. Service times are for the cases that started it in the window,
 * those still in service censored.
 */
function queueAt(spans: readonly Span[], windowStart: LocalDate, to: LocalDate) {
  const recent = spans.map((s, i) => (s.start >= windowStart ? i : -1)).filter((i) => i >= 0);
  // The cases in the stage when each came (those before it not yet gone): the busyness a service time must not follow.
  const gone = spans.map((s) => s.end ?? s.left);
  const inStage = recent.map((i) => {
    let n = 0;
    for (let j = 0; j < i; j++) if (gone[j] === null || gone[j]! > spans[i]!.start) n++;
    return n;
  });
  const finished = recent.map((i, k) => [i, k] as const).filter(([i]) => spans[i]!.end !== null);
  if (finished.length < 2) return null;
  // From as many servers as there were ever cases in the stage (no queueing: service = time in stage) down, the
  // first number at which the service times stop growing with the cases there.
  const most = Math.max(1, ...inStage) + 1;
  let servers = most;
  let obs = reconstructService(spans, servers, to);
  // No fewer than make more than OVERTAKING_TOLERANCE of them finish before their service could begin.
  let fewest = 1;
  for (; fewest < most; fewest++) {
    const o = reconstructService(spans, fewest, to);
    if (finished.filter(([i]) => o[i] && o[i].weeks < 0).length <= OVERTAKING_TOLERANCE * finished.length) break;
  }
  for (; servers > fewest; servers--) {
    obs = reconstructService(spans, servers, to);
    const pairs = finished.filter(([i]) => obs[i]);
    const service = pairs.map(([i]) => obs[i]!.weeks);
    if (
      correlation(
        service,
        pairs.map(([, k]) => inStage[k]!),
      ) <= 0
    )
      break;
  }
  const observations = recent.flatMap((i) => {
    const o = obs[i] ?? null;
    return o ? [{ weeks: Math.max(0, o.weeks), ended: o.ended }] : [];
  });
  // Queued: a case's service began after it came (by a day or more).
  const queued = recent.some((i) => {
    const o = obs[i] ?? null;
    const s = spans[i]!;
    return o === null ? s.left === null : o.ended && weeks(s.start, s.end!) - o.weeks >= 1 / 7;
  });
  if (!queued) {
    servers = Math.max(servers, most - 1);
    while (erlangC(servers, most - 1) > NO_QUEUE_WAIT) servers++;
  }
  return { servers, observations, queued };
}

/**
 * Calibrates on the cases' history between `from` and `to` (inclusive of both), using only what was known at `to`.
 * With `recentFrom`, conversions and stage times come from the recent part only (a service that has changed is
 * forecast as it is now); the arrivals' trend and seasonality come from the whole window.
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

  let decidedN = 0;
  let assessed = 0;
  let issueN = 0;
  let issued = 0;
  const backlog: Calibration['backlog'] = [];
  const finishedInWindow: Record<PipelineStage, number> = { decision: 0, advice: 0, drafting: 0, final: 0 };
  for (const c of cases) {
    if (inWindow(c.decided)) {
      finishedInWindow.decision++;
      decidedN++;
      if (c.assess) assessed++;
    }
    if (c.assess && c.decided && inWindow(c.adviceDone)) finishedInWindow.advice++;
    if (c.adviceDone && inWindow(c.issueDecided)) {
      finishedInWindow.drafting++;
      issueN++;
      if (c.issue) issued++;
    }
    if (c.issue && c.issueDecided && inWindow(c.finalIssued)) finishedInWindow.final++;

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

  const durations = {} as Record<PipelineStage, DurationSummary>;
  const capacityPerWeek = {} as Record<PipelineStage, number | null>;
  const queues = {} as Calibration['queues'];
  for (const stage of PIPELINE_STAGES) {
    const spans = cases
      .map((c) => spanAt(c, stage, to))
      .filter((s): s is Span => s !== null)
      .sort((a, b) => a.start.localeCompare(b.start));
    const cohort = spans.filter((s) => s.start >= start);
    durations[stage] = summary(
      cohort.map((s) =>
        s.end ? { weeks: weeks(s.start, s.end), ended: true } : { weeks: weeks(s.start, s.left ?? to), ended: false },
      ),
      cohort.filter((s) => s.end).map((s) => s.age),
    );
    capacityPerWeek[stage] = null;
    queues[stage] = null;
    if (!QUEUED_STAGES.includes(stage)) continue;
    const queue = queueAt(spans, start, to);
    if (!queue) continue;
    const service = summary(queue.observations, []);
    capacityPerWeek[stage] = queue.queued && service.meanWeeks ? queue.servers / service.meanWeeks : null;
    queues[stage] = { servers: queue.servers, service };
  }

  // The trend and the seasonality, each fitted with the other taken out, in turn until they settle (a few rounds).
  let fitted = trend(allReceived, from, to, null);
  let weeklyFactors: number[] | null = null;
  for (let round = 0; round < 6; round++) {
    weeklyFactors = seasonality(allReceived, from, to, Math.log(1 + fitted.growth));
    fitted = trend(allReceived, from, to, weeklyFactors);
  }
  return {
    from,
    to,
    arrivals: {
      ratePerWeek: fitted.rate,
      weeklyFactors,
      startWeekOfYear: weekOfYear(to),
      growthPerYear: fitted.growth,
      growthSe: fitted.growthSe,
      logRateSe: fitted.logRateSe,
    },
    conversion: {
      assess: { rate: decidedN ? assessed / decidedN : null, n: decidedN },
      issue: { rate: issueN ? issued / issueN : null, n: issueN },
    },
    durations,
    throughputPerWeek: {
      decision: finishedInWindow.decision / windowWeeks,
      advice: finishedInWindow.advice / windowWeeks,
      drafting: finishedInWindow.drafting / windowWeeks,
      final: finishedInWindow.final / windowWeeks,
    },
    capacityPerWeek,
    queues,
    // Oldest at its stage first: a stage with servers takes its backlog in that order.
    backlog: backlog.sort((a, b) => b.stageAgeWeeks - a.stageAgeWeeks),
  };
}

/** A scenario as plain data, before `parseScenario` checks it: what scenarios change. */
export interface RawScenario {
  arrivals: { ratePerWeek: number; weeklyFactors: number[] | null; [field: string]: unknown };
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
 * Servers for a stage with capacity: the cases it serves at once, found from its history with the queueing taken out
 * (`queueAt`), so that servers x mean service time = its capacity (Little's law for the servers of a busy stage).
 * Null for a stage with no history.
 */
export function stageServers(calibration: Calibration, stage: PipelineStage): number | null {
  return calibration.queues[stage]?.servers ?? null;
}

/**
 * The arrival multipliers for the simulation: the seasonality turned to start at `to`'s week of the year, times the
 * trend's growth since `to`, one a week for the whole horizon (so the cycle never repeats within it).
 */
function futureFactors(calibration: Calibration, horizonWeeks: number): number[] | null {
  const { weeklyFactors: factors, startWeekOfYear: start, growthPerYear } = calibration.arrivals;
  if (!factors && growthPerYear === 0) return null;
  const length = Math.max(52, Math.ceil(horizonWeeks) + 1);
  const logGrowth = Math.log(1 + growthPerYear) / WEEKS_A_YEAR;
  return Array.from({ length }, (_, w) => (factors ? factors[(w + start) % 52]! : 1) * Math.exp(logGrowth * w));
}

/**
 * The simulation scenario a calibration describes, starting at its `to` date. Decision and final are pure delays drawn
 * from the stage times (Kaplan-Meier, open cases censored); advice and drafting are queues with the servers and the
 * service times (queueing taken out) their history shows: so with demand under the capacity today's times carry
 * forward, demand over it builds a queue, and capacity added by a plan's actions (servers in proportion to staff)
 * drains it. The conversion rates are proceed probabilities, the arrivals grow with the trend and follow the
 * seasonality from today's week of the year, and today's open cases are the backlog (oldest at its stage first).
 * Periods are week boundaries for the fan charts.
 */
export function scenarioFromCalibration(
  calibration: Calibration,
  options: { horizonWeeks: number; replications: number; seed: number; periods: number[]; targetWeeks?: number },
): RawScenario {
  const stage = (id: PipelineStage, proceedProbability: number | null) => {
    const queue = QUEUED_STAGES.includes(id) ? calibration.queues[id] : null;
    const d = queue ? queue.service : calibration.durations[id];
    return {
      id,
      servers: queue ? queue.servers : null,
      service: d.byAge
        ? { distribution: 'empiricalByAge', ...d.byAge }
        : d.weeks.length > 0
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
      weeklyFactors: futureFactors(calibration, options.horizonWeeks),
      // The demand's parameter uncertainty, drawn for each replication (simulate.ts).
      logRateSd: Math.min(1, calibration.arrivals.logRateSe),
      logGrowthSdPerYear: Math.min(1, calibration.arrivals.growthSe / (1 + calibration.arrivals.growthPerYear)),
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
