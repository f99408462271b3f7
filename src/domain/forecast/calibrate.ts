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
  /** The last advice received (the end of the advice stage), once all the advice asked for is in. */
  adviceDone: LocalDate | null;
  /**
   * Each piece of advice asked for, when it was asked for and received: what was known of the advice stage on an
   * earlier day (`knownAt`). Without it, `adviceDone` is taken as known from its own date.
   */
  advice?: readonly { requested: LocalDate; received: LocalDate | null }[];
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

/** Durations (finished or not) needed before they are grouped by age, and the fewest in a group. */
const BY_AGE_MIN = 200;
const BY_AGE_GROUP_MIN = 40;
const BY_AGE_GROUPS = 5;

/**
 * Durations grouped by age at the stage's start, in up to five groups of about equal size (edges at the quintiles
 * of age, whole days apart); a group with fewer than `BY_AGE_GROUP_MIN` joins the one before it. Each group is the
 * Kaplan-Meier distribution of its cases, those still in the stage censored (`survivalQuantiles`): the finished ones
 * alone would leave out the long tail, and a case already in the stage longer than any of them would be drawn as
 * finishing at once.
 */
function groupByAge(observations: readonly Observation[], ages: readonly number[] | null): DurationSummary['byAge'] {
  if (ages === null || observations.length < BY_AGE_MIN) return null;
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
  const groups: Observation[][] = Array.from({ length: edges.length + 1 }, () => []);
  observations.forEach((o, i) => groups[groupOf(ages[i]!)]!.push(o));
  // Merge small groups (or ones with no finished case) into their neighbour (dropping the edge between them).
  const small = (group: Observation[]) => group.length < BY_AGE_GROUP_MIN || !group.some((o) => o.ended);
  for (let g = groups.length - 1; g > 0; g--) {
    if (small(groups[g]!) || small(groups[g - 1]!)) {
      groups[g - 1] = [...groups[g - 1]!, ...groups[g]!];
      groups.splice(g, 1);
      edges.splice(g - 1, 1);
    }
  }
  if (edges.length === 0) return null;
  return { ageEdges: edges, groups: groups.map((group) => survivalQuantiles(group)) };
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
  /**
   * Time in each stage (waiting included), for the cases that started it in the window (open ones censored) and, past
   * the longest of those, the cases already in it when the window began (left truncated).
   */
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

/** The durations' summary; `ages` (each case's age on reaching the stage) to group them by age too. */
function summary(observations: readonly Observation[], ages: readonly number[] | null): DurationSummary {
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
    byAge: groupByAge(observations, ages),
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
 * The trend is kept only where the history shows one: b at least twice its standard error (about 95% confidence) and
 * the growth between halving and doubling a year. Otherwise the rate is level (no trend, and no trend uncertainty):
 * a few requests all in the last months (a new service's first year) would otherwise be read as growing hundreds of
 * times a year, and carried forward for the whole horizon.
 */
function trend(
  received: LocalDate[],
  from: LocalDate,
  to: LocalDate,
  factors: number[] | null,
  withTrend = true,
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
  const fitTrend = withTrend && Math.floor(totalDays / 365) >= 2;
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
  if (fitTrend) {
    const bSe = det > 0 ? Math.sqrt(h00 / det) : Infinity;
    const shown = Number.isFinite(b) && Math.abs(b) >= 2 * bSe && b >= Math.log(0.5) && b <= Math.log(2);
    if (!shown) return trend(received, from, to, factors, false);
  }
  return {
    rate: Math.exp(a),
    growth: Math.exp(b) - 1,
    growthSe: fitTrend && det > 0 ? Math.exp(b) * Math.sqrt(h00 / det) : 0,
    logRateSe: fitTrend && det > 0 ? Math.sqrt(h11 / det) : Math.sqrt(1 / h00),
  };
}

/**
 * The case as it was known at the end of `to`: the advice stage ends when all the advice asked for by then is in, so
 * advice asked for later (a second report, found to be needed after the first) does not hide, from an earlier day, an
 * advice stage that then looked finished. Later dates are left as they are: `calibrate` reads none after `to`.
 */
export function knownAt(c: CaseHistory, to: LocalDate): CaseHistory {
  if (!c.advice || c.assess !== true || (c.adviceDone !== null && c.adviceDone <= to)) return c;
  const asked = c.advice.filter((a) => a.requested <= to);
  if (asked.length === 0 || asked.some((a) => a.received === null || a.received > to)) return c;
  return { ...c, adviceDone: asked.map((a) => a.received!).reduce((a, b) => (a > b ? a : b)) };
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
 * When each case at a stage began its service, if served first come, first served by `servers` at once, from when
 * each started and ended the stage (Kiefer and Wolfowitz's recursion for the G/G/c queue): case i (in order of
 * starting) is served from max(its start, the previous case's service start, the (i - c)-th departure of all), so its
 * queueing is that less its start and its service is the rest. Days from `to` (0 is `to`, negative before it); NaN
 * for a case still queueing at `to` (departures not yet made leave later cases unserved).
 */
function serviceStarts(stage: StageTimes, servers: number): Float64Array {
  const { arrived, departures } = stage;
  const served = new Float64Array(arrived.length);
  let previous = -Infinity;
  for (let i = 0; i < arrived.length; i++) {
    const freed = i >= servers ? (i - servers < departures.length ? departures[i - servers]! : Infinity) : -Infinity;
    const start = Math.max(arrived[i]!, previous, freed);
    previous = start;
    served[i] = start > 0 ? NaN : start;
  }
  return served;
}

/** A stage's spans as days from `to`, in order of starting, for `serviceStarts`. */
interface StageTimes {
  arrived: Float64Array;
  /** When each ended the stage (NaN: still in it or left without finishing). */
  ended: Float64Array;
  left: Uint8Array;
  /** When each left the stage, ended or not (NaN: still in it). */
  gone: Float64Array;
  /** Every departure by `to` (ended or left), earliest first. */
  departures: Float64Array;
}

function stageTimes(spans: readonly Span[], to: LocalDate): StageTimes {
  const day = (d: LocalDate | null) => (d === null ? NaN : daysBetween(to, d));
  return {
    arrived: Float64Array.from(spans, (s) => day(s.start)),
    ended: Float64Array.from(spans, (s) => day(s.end)),
    left: Uint8Array.from(spans, (s) => (s.left ? 1 : 0)),
    gone: Float64Array.from(spans, (s) => day(s.end ?? s.left)),
    departures: Float64Array.from(spans.flatMap((s) => ((s.end ?? s.left) ? [day(s.end ?? s.left)] : []))).sort(),
  };
}

/** A case's service (weeks): to its end, or to `to` if still in service (censored); null if it left or is queueing. */
function serviceOf(stage: StageTimes, served: Float64Array, i: number): Observation | null {
  if (Number.isNaN(served[i]!) || stage.left[i]) return null;
  const end = stage.ended[i]!;
  return Number.isNaN(end) ? { weeks: -served[i]! / 7, ended: false } : { weeks: (end - served[i]!) / 7, ended: true };
}

/**
 * The cases in the stage when each came (those before it not yet gone, counted with a heap of their departures):
 * the busyness a service time must not follow.
 */
function casesInStage(stage: StageTimes): Int32Array {
  const heap: number[] = [];
  const push = (v: number) => {
    let k = heap.push(v) - 1;
    while (k > 0 && heap[(k - 1) >> 1]! > heap[k]!) {
      [heap[k], heap[(k - 1) >> 1]] = [heap[(k - 1) >> 1]!, heap[k]!];
      k = (k - 1) >> 1;
    }
  };
  const pop = () => {
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let k = 0; ;) {
      const l = 2 * k + 1;
      const m = l + 1 < heap.length && heap[l + 1]! < heap[l]! ? l + 1 : l;
      if (l >= heap.length || heap[m]! >= heap[k]!) return;
      [heap[k], heap[m]] = [heap[m]!, heap[k]!];
      k = m;
    }
  };
  const counts = new Int32Array(stage.arrived.length);
  stage.arrived.forEach((arrived, i) => {
    while (heap.length > 0 && heap[0]! <= arrived) pop();
    counts[i] = heap.length;
    const gone = stage.gone[i]!;
    push(Number.isNaN(gone) ? Infinity : gone);
  });
  return counts;
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
 * The least whole number in [lo, hi] for which `ok` holds, by bisection: `ok` must be false below it and true from
 * it (hi if it holds nowhere below).
 */
function leastWith(lo: number, hi: number, ok: (n: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/** How much lower than with no queueing the spread of service times must be to count as a minimum. */
const CLEAR_MINIMUM = 0.03;

/**
 * Servers from the spread of service times, for a stage whose queue never empties, where the correlation cannot
 * tell: with c' servers instead of c every case's service is counted from c' - c departures earlier (or later), about
 * the same few days for all. But those departures have nothing to do with the case's own service, so they add to the
 * variance of the service times (of the cases that finished in the window) the further c' is from c: the variance is
 * least at the true c. Taken only where that least variance is a clear minimum, CLEAR_MINIMUM below the variance
 * with `hi` servers (a stage that seldom queued has a flat spread, and keeps `hi`). A grid of about 32 numbers, then
 * every number around its best.
 */
function leastSpread(stage: StageTimes, from: number, lo: number, hi: number): number {
  const finished: number[] = [];
  stage.ended.forEach((end, i) => {
    if (end >= from) finished.push(i);
  });
  const spread = (servers: number) => {
    const served = serviceStarts(stage, servers);
    let sum = 0;
    let squares = 0;
    for (const i of finished) {
      const weeks = (stage.ended[i]! - served[i]!) / 7;
      if (Number.isNaN(weeks)) return Infinity;
      sum += weeks;
      squares += weeks * weeks;
    }
    const mean = sum / finished.length;
    return squares / finished.length - mean * mean;
  };
  if (hi - lo < 2 || finished.length < 2) return hi;
  const step = Math.max(1, Math.floor((hi - lo) / 32));
  const none = spread(hi);
  let best = hi;
  let least = none;
  const consider = (servers: number) => {
    const v = spread(servers);
    if (v < least) [best, least] = [servers, v];
  };
  for (let servers = lo; servers < hi; servers += step) consider(servers);
  const around = best;
  for (let servers = Math.max(lo, around - step + 1); servers < Math.min(hi, around + step); servers++)
    consider(servers);
  return least < (1 - CLEAR_MINIMUM) * none ? best : hi;
}

/**
 * A queued stage: its servers, service times and capacity, from when its cases started and ended it. Service times
 * do not depend on how busy the stage was when a case came (each case needs what it needs); the time in the stage
 * does, by the queueing. So the servers are the most for which the service times `serviceStarts` leaves (the time in
 * the stage less the queueing that many servers imply) no longer grow with the cases in the stage when each came
 * (correlation <= 0): more servers would count queueing as service; fewer, service as queueing. Too few servers also
 * make cases finish before their service could begin: no fewer than leave OVERTAKING_TOLERANCE of them so. Both
 * searches are by bisection (more servers, less counted as queueing), so a calibration takes a few dozen
 * reconstructions, not one per candidate. Where service grows with the cases in the stage at no number, the spread
 * decides (`leastSpread`: a queue that never empties). The service times are those of the cases whose service began
 * in the window (in a long queue, most cases that reached the stage in it are still waiting), those still in service
 * censored. The capacity is then servers / mean service time (Little's law for a busy stage's servers), the cases a
 * week it finishes while it has a queue. A stage whose cases never queued at any such number has only shown it can
 * take what came: enough servers that a queue would be rare (Erlang C, P(wait) <= NO_QUEUE_WAIT) at the most cases it
 * has had in hand, and no capacity is claimed.
 */
function queueAt(spans: readonly Span[], windowStart: LocalDate, to: LocalDate) {
  const stage = stageTimes(spans, to);
  const inStage = casesInStage(stage);
  const from = daysBetween(to, windowStart);
  const count = spans.length;
  // The cases in the stage at some time in the window; as many servers as there were ever cases in it when one came
  // is no queueing at all (service = time in stage).
  let most = 1;
  for (let i = 0; i < count; i++) if (!(stage.gone[i]! < from)) most = Math.max(most, inStage[i]! + 1);
  /** The cases whose service began in the window (those still in service censored) with that many servers. */
  const sample = (served: Float64Array) => {
    const out: { i: number; o: Observation }[] = [];
    for (let i = 0; i < count; i++) {
      if (!(served[i]! >= from)) continue;
      const o = serviceOf(stage, served, i);
      if (o) out.push({ i, o });
    }
    return out;
  };
  const finishedAt = (servers: number) => sample(serviceStarts(stage, servers)).filter(({ o }) => o.ended);
  let endedInWindow = 0;
  for (let i = 0; i < count; i++) if (stage.ended[i]! >= from) endedInWindow++;
  if (endedInWindow < 2) return null;
  // No fewer than make more than OVERTAKING_TOLERANCE of them finish before their service could begin.
  const fewest = leastWith(1, most, (servers) => {
    const finished = finishedAt(servers);
    return finished.filter(({ o }) => o.weeks < 0).length <= OVERTAKING_TOLERANCE * finished.length;
  });
  // The most servers (from `fewest` up) at which service no longer grows with the cases in the stage: the least
  // number above it at which it does, less one.
  const grows = (servers: number) => {
    const finished = finishedAt(servers);
    return (
      correlation(
        finished.map(({ o }) => o.weeks),
        finished.map(({ i }) => inStage[i]!),
      ) > 0
    );
  };
  let servers = Math.max(fewest, leastWith(fewest, most + 1, grows) - 1);
  // Service grows with the cases in the stage at no number: no sign of queueing counted as service, but in a queue
  // that never empties none would show. The spread of service times can tell there (`leastSpread`).
  if (servers === most) servers = leastSpread(stage, from, fewest, most);
  const served = serviceStarts(stage, servers);
  const observations = sample(served).map(({ o }) => ({ weeks: Math.max(0, o.weeks), ended: o.ended }));
  // Queued: a case in the stage in the window waited a day or more for its service, or is waiting at `to`.
  let queued = false;
  for (let i = 0; i < count && !queued; i++) {
    if (stage.gone[i]! < from || stage.left[i]) continue;
    queued = Number.isNaN(served[i]!) || served[i]! - stage.arrived[i]! >= 1;
  }
  if (!queued) {
    servers = Math.max(servers, most - 1);
    while (erlangC(servers, most - 1) > NO_QUEUE_WAIT) servers++;
  }
  return { servers, observations, queued };
}

/** The weeks over which a stage's recent throughput bounds its capacity from below (`recentThroughput`). */
const RECENT_THROUGHPUT_WEEKS = 13;

/**
 * The cases a stage finished a week over the last RECENT_THROUGHPUT_WEEKS of the window (or the whole window, if
 * shorter). A stage cannot finish more than its capacity, so this bounds the capacity from below whatever the queueing
 * reconstruction says: each case finished needed a service, so by Little's law its servers were busy on average with
 * this times the mean service time, and it has at least that many.
 */
function recentThroughput(spans: readonly Span[], windowStart: LocalDate, to: LocalDate): number {
  const since = addDays(to, -7 * RECENT_THROUGHPUT_WEEKS + 1);
  const from = since > windowStart ? since : windowStart;
  const finished = spans.filter((s) => s.end !== null && s.end >= from && s.end <= to).length;
  return finished / (weeks(from, to) + 1 / 7);
}

/**
 * Calibrates on the cases' history between `from` and `to` (inclusive of both), using only what was known at `to`.
 * With `recentFrom`, conversions and stage times come from the recent part only (a service that has changed is
 * forecast as it is now); the arrivals' trend and seasonality come from the whole window.
 */
export function calibrate(
  history: readonly CaseHistory[],
  from: LocalDate,
  to: LocalDate,
  options: { recentFrom?: LocalDate } = {},
): Calibration {
  const cases = history.map((c) => knownAt(c, to));
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
    // The cases that reached the stage in the window give its times as far as they can show them (their longest
    // finished stay); beyond that, the cases already in the stage when the window began, seen from then on and only
    // past that longest stay (left truncated, survival.ts), give the tail that a short window cannot see from start
    // to end. (From 0 they would bring back the times of before the window, which is what it leaves out.)
    const duration = (s: Span): Observation =>
      s.end ? { weeks: weeks(s.start, s.end), ended: true } : { weeks: weeks(s.start, s.left ?? to), ended: false };
    const recent = spans.filter((s) => s.start >= start);
    const longest = Math.max(0, ...recent.flatMap((s) => (s.end ? [weeks(s.start, s.end)] : [])));
    const earlier = spans.filter(
      (s) => s.start < start && duration(s).weeks > Math.max(longest, weeks(s.start, start)),
    );
    const cohort = [...recent, ...earlier];
    durations[stage] = summary(
      [
        ...recent.map(duration),
        ...earlier.map((s) => ({ ...duration(s), entered: Math.max(longest, weeks(s.start, start)) })),
      ],
      cohort.map((s) => s.age),
    );
    capacityPerWeek[stage] = null;
    queues[stage] = null;
    if (!QUEUED_STAGES.includes(stage)) continue;
    const queue = queueAt(spans, start, to);
    if (!queue) continue;
    const service = summary(queue.observations, null);
    // No fewer servers than the stage has lately kept busy (`recentThroughput`): where time in the stage has been
    // falling, the reconstruction reads the falling number of cases in it as a queue clearing, and would otherwise
    // give a capacity below what the stage has just finished, a queue at once in every future.
    const busy = recentThroughput(spans, start, to) * (service.meanWeeks ?? 0);
    const servers = Math.max(queue.servers, Math.ceil(busy));
    capacityPerWeek[stage] = queue.queued && service.meanWeeks ? servers / service.meanWeeks : null;
    queues[stage] = { servers, service };
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
