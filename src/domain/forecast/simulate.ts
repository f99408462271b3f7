/**
 * A continuous-time discrete-event Monte Carlo simulation of the EHC pipeline (shared/reference/forecasting.md).
 *
 * Cases arrive as a Poisson process (thinned for seasonality) and pass through the stages in order. A stage with
 * servers serves first come, first served; a stage without (a pure delay) holds each case for its service time. After
 * each stage a case goes on with the stage's proceed probability, or leaves. Capacity changes take effect at their
 * week: new servers start on the queue at once; when servers are removed, cases in service finish first.
 *
 * Statistics cover cases that arrive after the warm-up and before the horizon; the simulation runs on until every
 * one of them has left (or can never be served), so late arrivals are not cut short. Periods count completions by
 * the week they happen, for every case (the starting backlog too), for fan charts.
 *
 * The stages are in tandem and each serves in the order cases reach it, so a replication is simulated a stage at a
 * time rather than through one calendar of events: every case's passage through stage 1, then through stage 2, and so
 * on. At a stage with servers, cases taken in the order they reached it each start when the earliest server is free
 * (first come, first served, exactly as an event calendar would have it); the cases leaving a stage, put in the order
 * they finish, are the next stage's arrivals. Each stage's random numbers are drawn in the same order as events would
 * draw them (service times as cases start, proceed decisions as they finish), and the open cases at each period's end
 * are counted from the times each case came and went. This does the work of the event calendar's millions of heap
 * operations with a short sort per stage (issue 7's speed target).
 *
 * Each replication has its own random streams per purpose (domain/forecast/random.ts): reproducible by seed, and
 * common random numbers across scenarios that differ in capacity.
 */
import { Streams } from './random.js';
import { stageLoads, WEEKS_A_YEAR, type Scenario, type Service } from './scenario.js';

/** Service distributions as numbers, so the hot loop switches instead of calling through closures. */
const EXPONENTIAL = 0;
const FIXED = 1;
const LOGNORMAL = 2;
const EMPIRICAL = 3;
const EMPIRICAL_BY_AGE = 4;

export interface StageResult {
  id: string;
  /** Mean time from reaching the stage to starting service (0 for a pure delay). */
  meanWaitWeeks: number;
  /** Share of cases reaching the stage that waited at all. */
  shareWaiting: number;
  /** Busy server-time over available server-time in the statistics window; null for a pure delay. */
  utilisation: number | null;
  /** Mean number of cases reaching the stage per replication. */
  reached: number;
}

export interface PeriodResult {
  fromWeek: number;
  toWeek: number;
  completed: Percentiles;
  /** Share of that period's completions that took no longer than the target (null in replications with none). */
  shareWithinTarget: Percentiles;
  /** Cases still open at the end of the period, by age band (scenario.ageBands), and in all. */
  openByAge: Percentiles[];
  open: Percentiles;
  /**
   * How far the starting backlog's long waiters (already over the target time at the start) push the period's share
   * within target down: the share without them less the share with them (null in replications with no completions).
   */
  longWaiterPushDown: Percentiles;
}

export interface Percentiles {
  p10: number | null;
  p50: number | null;
  p90: number | null;
  mean: number | null;
}

export interface SimulationResult {
  overall: {
    meanTimeInSystemWeeks: number | null;
    shareWithinTarget: number | null;
    /** Mean number completed (all stages passed) per replication. */
    completed: number;
    /** Mean number that left before the end (not proceeding at some stage) per replication. */
    left: number;
    /** Time-average number of cases in the pipeline over the statistics window. */
    meanInSystem: number;
  };
  stages: StageResult[];
  periods: PeriodResult[];
  /** Standard errors of the replication means (Monte Carlo error). */
  standardError: {
    meanTimeInSystemWeeks: number | null;
    shareWithinTarget: number | null;
    stages: { id: string; meanWaitWeeks: number | null; shareWaiting: number | null }[];
  };
  /** A stage whose long-run load is at or above 1: its queue grows without bound. */
  unstable: boolean;
  warnings: LoadWarning[];
}

/**
 * A stage whose long-run demand is at or above its capacity (its queue grows without bound): the stage, and demand
 * over capacity (1.09: demand is 109% of capacity; null: it has no capacity at all). Pages word it (web/).
 */
export interface LoadWarning {
  stage: string;
  load: number | null;
}

/** Growable per-case storage: numbers (Float64Array) or whole numbers (Int32Array, for case numbers and periods). */
class Column<A extends Float64Array | Int32Array> {
  values: A;
  constructor(private readonly make: (n: number) => A) {
    this.values = make(4096);
  }
  ensure(n: number) {
    if (n <= this.values.length) return;
    let size = this.values.length;
    while (size < n) size *= 2;
    const next = this.make(size);
    next.set(this.values);
    this.values = next;
  }
}
const numbers = (n: number) => new Float64Array(n);
const wholeNumbers = (n: number) => new Int32Array(n);

/**
 * When each server of a stage is next free: a binary min-heap of times, so the case at the head of the queue takes
 * the earliest free server.
 */
class ServerTimes {
  private times = new Float64Array(64);
  size = 0;
  clear() {
    this.size = 0;
  }
  /** The earliest time a server is free (Infinity when there are none). */
  earliest(): number {
    return this.size > 0 ? this.times[0]! : Infinity;
  }
  push(time: number) {
    if (this.size === this.times.length) {
      const next = new Float64Array(this.times.length * 2);
      next.set(this.times);
      this.times = next;
    }
    const times = this.times;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= time) break;
      times[i] = times[parent]!;
      i = parent;
    }
    times[i] = time;
  }
  /** The earliest free server takes a case, and is free again at times[i] (the time read here: a number passed to a
   * method that is not inlined is boxed). */
  takeEarliest(times: Float64Array, i: number) {
    this.siftDown(times[i]!, this.size);
  }
  /** Takes the earliest free server away. */
  removeEarliest() {
    const n = --this.size;
    if (n > 0) this.siftDown(this.times[n]!, n);
  }
  /** Puts `time` at the top of the first n and moves it down to its place. */
  private siftDown(time: number, n: number) {
    const times = this.times;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && times[child + 1]! < times[child]!) child++;
      if (times[child]! >= time) break;
      times[i] = times[child]!;
      i = child;
    }
    times[i] = time;
  }
}

/**
 * Puts the first n case numbers of `ids` in the order of their times (non-negative; Infinity last), into `out`: a
 * least-significant-digit radix sort on the times scaled to 32 bits, three passes of 11 bits. It is stable, so cases
 * whose times agree to within a 2^32th of the largest keep the order they came in (the order they reached the stage).
 */
class TimeSorter {
  private keys = new Uint32Array(4096);
  private keysOut = new Uint32Array(4096);
  private tmp = new Int32Array(4096);
  private readonly counts = new Int32Array(2048);

  sort(ids: Int32Array, n: number, time: Float64Array, out: Int32Array) {
    // Often they already are (a fixed delay, a single server): then they are copied as they are.
    let sorted = true;
    for (let i = 1; i < n; i++) {
      if (time[ids[i]!]! < time[ids[i - 1]!]!) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      out.set(ids.subarray(0, n));
      return;
    }
    if (this.keys.length < n) {
      let size = this.keys.length;
      while (size < n) size *= 2;
      this.keys = new Uint32Array(size);
      this.keysOut = new Uint32Array(size);
      this.tmp = new Int32Array(size);
    }
    let max = 0;
    for (let i = 0; i < n; i++) {
      const t = time[ids[i]!]!;
      if (t > max && t !== Infinity) max = t;
    }
    const scale = max > 0 ? 4294967040 / max : 0;
    const keys = this.keys;
    for (let i = 0; i < n; i++) {
      const t = time[ids[i]!]!;
      keys[i] = t === Infinity ? 4294967295 : (t * scale) >>> 0;
    }
    // Three passes, lowest bits first: ids -> out, out -> tmp, tmp -> out (so the result lands in `out`).
    this.pass(ids, keys, out, this.keysOut, n, 0);
    this.pass(out, this.keysOut, this.tmp, keys, n, 11);
    this.pass(this.tmp, keys, out, this.keysOut, n, 22);
  }

  private pass(from: Int32Array, fromKeys: Uint32Array, to: Int32Array, toKeys: Uint32Array, n: number, shift: number) {
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(fromKeys[i]! >>> shift) & 2047]!++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = fromKeys[i]!;
      const at = counts[(key >>> shift) & 2047]!++;
      to[at] = from[i]!;
      toKeys[at] = key;
    }
  }
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p10: null, p50: null, p90: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  // The nearest-rank definition on the replications (each replication is one equally likely future).
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p10: at(10), p50: at(50), p90: at(90), mean: values.reduce((a, b) => a + b, 0) / values.length };
}

function meanAndError(values: number[]): { mean: number | null; error: number | null } {
  if (values.length === 0) return { mean: null, error: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return { mean, error: null };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, error: Math.sqrt(variance / values.length) };
}

/** What one replication found: plain numbers, so that replications run in other threads can be sent back. */
export interface Replication {
  /** Over the cases that arrived in the statistics window and completed; null if none did. */
  meanTime: number | null;
  shareWithin: number | null;
  completed: number;
  left: number;
  inSystem: number;
  stageWait: (number | null)[];
  stageShareWaiting: (number | null)[];
  stageUtilisation: (number | null)[];
  stageReached: number[];
  periodCompleted: number[];
  periodWithin: (number | null)[];
  /** [period * (bands + 1) + band]: cases open at the period's end in each age band. */
  periodOpen: number[];
  /** Completions in each period of cases that were already over the target time at the start. */
  periodLongWaiters: number[];
}

/** Runs every replication of a scenario and summarises them. */
export function simulate(scenario: Scenario): SimulationResult {
  return summarise(scenario, simulateReplications(scenario, 0, scenario.replications));
}

/** How a case's stay ends. */
const LEFT = 0;
const COMPLETED = 1;
/** Never: it waits at a stage that has no servers and will have none. */
const STUCK = 2;

/** Places in Pipeline.sums. */
const IN_SYSTEM_AREA = 0;
const TIME_SUM = 1;

/**
 * Runs replications `from` to `to` - 1 of a scenario. Each replication's random streams depend only on the seed and its
 * number, so replications split across threads and put back in order give exactly the result of one thread.
 */
export function simulateReplications(scenario: Scenario, from: number, to: number): Replication[] {
  const pipeline = new Pipeline(scenario);
  const results: Replication[] = [];
  for (let rep = from; rep < to; rep++) results.push(pipeline.replicate(rep));
  return results;
}

/**
 * One scenario's pipeline, set up once and replicated many times. Its helpers are methods rather than closures made
 * for each run: the compiler inlines a method into the loops once and for all, where a new closure on every run (every
 * chunk a worker is sent) undid its work each time and cost more than the simulation for the first few hundred
 * replications. Every number that changes per case lives in typed arrays.
 */
class Pipeline {
  private readonly stageCount: number;
  private readonly factors: readonly number[] | null;
  private readonly maxFactor: number;
  private readonly peakMean: number;
  private readonly periodCount: number;
  private readonly periodStart: number;
  private readonly periodEnd: number;
  /** Durations are sums of floating-point times: one exactly on the target counts as within it. */
  private readonly targetLimit: number;
  private readonly bandCount: number;
  /**
   * Open cases are counted by the day they arrived (backlog cases arrived before 0), so that the number in each age
   * band at a period's end is a few sums over days.
   */
  private readonly dayOffset: number;
  private readonly dayCount: number;
  private readonly openByDay: Int32Array;
  /**
   * A case is open at a period's end if it came before it and had not gone by it. Each case adds 1 from the first
   * period it is open at to the first it is not, by its day of arrival: [period * dayCount + day].
   */
  private readonly openChanges: Int32Array;
  // Each stage's parameters in typed arrays, for the hot loop.
  private readonly queued: Uint8Array;
  private readonly kindOf: Uint8Array;
  private readonly paramA: Float64Array;
  private readonly paramB: Float64Array;
  private readonly proceed: Float64Array;
  private readonly empirical: Float64Array[] = [];
  private readonly ageEdges: Float64Array[] = [];
  private readonly ageGroups: Float64Array[][] = [];
  /**
   * For an empirical stage, each list of times (one, or one per age group) sorted, with its tail (`tailOf`): for the
   * time left of a backlog case (`remainingTime`).
   */
  private readonly sortedTimes: Float64Array[][] = [];
  private readonly tailFrom: Float64Array[] = [];
  private readonly tailMean: Float64Array[] = [];
  /** Capacity changes in the order they happen (several at one week: the last stands). */
  private readonly changes: { atWeek: number; servers: number }[][];
  /** Server-time available in the statistics window: the same in every replication. */
  private readonly serverArea: number[];
  /** The backlog's cases (numbered first, in the order given) at each stage. */
  private readonly backlogAt: number[][];

  private readonly arrivedAt = new Column(numbers);
  private readonly reachedAt = new Column(numbers);
  /** For a starting backlog case: the time it has already spent at its stage. */
  private readonly elapsedAt = new Column(numbers);
  private readonly doneAt = new Column(numbers);
  /** The first period at whose end the case is open (it came before it). */
  private readonly firstOpen = new Column(wholeNumbers);
  /** The cases reaching the current stage in the order they reach it, the next stage's, and the finishing order. */
  private reaching = new Column(wholeNumbers);
  private reachingNext = new Column(wholeNumbers);
  private readonly finishing = new Column(wholeNumbers);
  private readonly sorter = new TimeSorter();
  private readonly free = new ServerTimes();
  private capacity = 0;
  /** Stream 0: arrivals; 1 + 2s: stage s's service times; 2 + 2s: stage s's proceed decisions. */
  private readonly streams: Streams;

  // A replication's sums and counts.
  private readonly busyArea: Float64Array;
  private readonly waitSum: Float64Array;
  private readonly waitCount: Float64Array;
  private readonly waitedCount: Float64Array;
  private readonly periodCompleted: Float64Array;
  private readonly periodWithin: Float64Array;
  private readonly periodOpen: Float64Array;
  private readonly periodLongWaiters: Float64Array;
  /** Time in the pipeline within the window, and times to completion ([IN_SYSTEM_AREA], [TIME_SUM]). */
  private readonly sums = new Float64Array(2);
  private completed = 0;
  private left = 0;
  private within = 0;
  /** The period of the last case to leave (cases leave a stage in the order they finish). */
  private exitPeriod = 0;

  constructor(private readonly scenario: Scenario) {
    const { stages, horizonWeeks, targetWeeks } = scenario;
    const stageCount = (this.stageCount = stages.length);
    this.factors = scenario.arrivals.weeklyFactors;
    this.maxFactor = this.factors ? Math.max(...this.factors) : 1;
    this.peakMean = scenario.arrivals.ratePerWeek > 0 ? 1 / (scenario.arrivals.ratePerWeek * this.maxFactor) : 0;
    const periods = scenario.periods;
    const periodCount = (this.periodCount = Math.max(0, periods.length - 1));
    this.periodStart = periodCount > 0 ? periods[0]! : 0;
    this.periodEnd = periodCount > 0 ? periods[periodCount]! : 0;
    this.targetLimit = targetWeeks + 1e-9;
    this.bandCount = scenario.ageBands.length + 1;
    const oldest = scenario.backlog.reduce((m, b) => Math.max(m, b.ageWeeks), 0);
    this.dayOffset = Math.ceil(oldest * 7) + 1;
    this.dayCount = this.dayOffset + Math.ceil(horizonWeeks * 7) + 2;
    this.openByDay = new Int32Array(this.dayCount);
    this.openChanges = new Int32Array((periodCount + 1) * this.dayCount);

    this.queued = new Uint8Array(stageCount);
    this.kindOf = new Uint8Array(stageCount);
    this.paramA = new Float64Array(stageCount);
    this.paramB = new Float64Array(stageCount);
    this.proceed = new Float64Array(stageCount);
    stages.forEach((stage, i) => {
      this.queued[i] = stage.servers === null ? 0 : 1;
      this.proceed[i] = stage.proceedProbability;
      const sv: Service = stage.service;
      this.empirical[i] = new Float64Array(0);
      this.ageEdges[i] = new Float64Array(0);
      this.ageGroups[i] = [];
      this.sortedTimes[i] = [];
      switch (sv.distribution) {
        case 'exponential':
          this.kindOf[i] = EXPONENTIAL;
          this.paramA[i] = sv.meanWeeks;
          break;
        case 'fixed':
          this.kindOf[i] = FIXED;
          this.paramA[i] = sv.weeks;
          break;
        case 'lognormal': {
          this.kindOf[i] = LOGNORMAL;
          const sigma2 = Math.log(1 + (sv.sdWeeks * sv.sdWeeks) / (sv.meanWeeks * sv.meanWeeks));
          this.paramA[i] = Math.log(sv.meanWeeks) - sigma2 / 2;
          this.paramB[i] = Math.sqrt(sigma2);
          break;
        }
        case 'empirical':
          this.kindOf[i] = EMPIRICAL;
          this.empirical[i] = Float64Array.from(sv.weeks);
          this.sortedTimes[i] = [Float64Array.from(sv.weeks).sort()];
          break;
        case 'empiricalByAge':
          this.kindOf[i] = EMPIRICAL_BY_AGE;
          this.ageEdges[i] = Float64Array.from(sv.ageEdges);
          this.ageGroups[i] = sv.groups.map((g) => Float64Array.from(g));
          this.sortedTimes[i] = sv.groups.map((g) => Float64Array.from(g).sort());
          break;
      }
    });
    const tails = this.sortedTimes.map((lists) => lists.map(tailOf));
    this.tailFrom = tails.map((t) => Float64Array.from(t, (x) => x.from));
    this.tailMean = tails.map((t) => Float64Array.from(t, (x) => x.mean));
    this.changes = stages.map((s) => [...s.capacityChanges].sort((a, b) => a.atWeek - b.atWeek));
    this.serverArea = stages.map((stage, s) => {
      if (stage.servers === null) return 0;
      let area = 0;
      let servers = stage.servers;
      let since = 0;
      for (const change of this.changes[s]!) {
        area += servers * Math.max(0, this.clip(change.atWeek) - this.clip(since));
        servers = change.servers;
        since = change.atWeek;
      }
      return area + servers * Math.max(0, horizonWeeks - this.clip(since));
    });
    this.backlogAt = stages.map((_, s) => scenario.backlog.flatMap((b, i) => (b.stage === s ? [i] : [])));
    // The last stream draws the replication's arrival rate (parameter uncertainty), only when it has one.
    this.streams = new Streams(2 + 2 * stageCount);
    this.busyArea = new Float64Array(stageCount);
    this.waitSum = new Float64Array(stageCount);
    this.waitCount = new Float64Array(stageCount);
    this.waitedCount = new Float64Array(stageCount);
    this.periodCompleted = new Float64Array(periodCount);
    this.periodWithin = new Float64Array(periodCount);
    this.periodOpen = new Float64Array(periodCount * this.bandCount);
    this.periodLongWaiters = new Float64Array(periodCount);
  }

  /** A time clipped to the statistics window. */
  private clip(t: number): number {
    const { warmupWeeks, horizonWeeks } = this.scenario;
    return t < warmupWeeks ? warmupWeeks : t > horizonWeeks ? horizonWeeks : t;
  }

  private dayOf(arrival: number): number {
    return Math.floor(arrival * 7) + this.dayOffset;
  }

  private ensureCases(n: number) {
    if (n <= this.capacity) return;
    for (const column of [this.arrivedAt, this.reachedAt, this.elapsedAt, this.doneAt]) column.ensure(n);
    for (const column of [this.firstOpen, this.reaching, this.reachingNext, this.finishing]) column.ensure(n);
    this.capacity = this.arrivedAt.values.length;
  }

  /** One replication: its own random numbers, from the seed and its number. */
  replicate(rep: number): Replication {
    const { scenario, stageCount, periodCount, sums } = this;
    const { stages, warmupWeeks, horizonWeeks } = scenario;
    this.streams.reseed(scenario.seed, rep);
    for (const totals of [this.busyArea, this.waitSum, this.waitCount, this.waitedCount]) totals.fill(0);
    for (const totals of [this.periodCompleted, this.periodWithin, this.periodOpen, this.periodLongWaiters]) {
      totals.fill(0);
    }
    this.openByDay.fill(0);
    this.openChanges.fill(0);
    sums.fill(0);
    this.completed = 0;
    this.left = 0;
    this.within = 0;

    const cases = this.arrive();
    // Stage 1 is reached by its backlog (at the start), then by the new requests in the order they came.
    let n = 0;
    const reachedAt = this.reachedAt.values;
    const reaching = this.reaching.values;
    for (const c of this.backlogAt[0]!) {
      reachedAt[c] = 0;
      reaching[n++] = c;
    }
    const arrivedAt = this.arrivedAt.values;
    for (let c = scenario.backlog.length; c < cases; c++) {
      reachedAt[c] = arrivedAt[c]!;
      reaching[n++] = c;
    }
    for (let s = 0; s < stageCount; s++) {
      this.serve(s, n);
      n = this.finish(s, n);
    }

    // The open cases at each period's end, by age band.
    const { openByDay, openChanges, dayCount } = this;
    for (let p = 0; p < periodCount; p++) {
      const row = p * dayCount;
      for (let d = 0; d < dayCount; d++) openByDay[d] = openByDay[d]! + openChanges[row + d]!;
      this.snapshot(p, scenario.periods[p + 1]!);
    }

    const { completed, waitCount, waitSum, waitedCount, busyArea, serverArea, periodCompleted, periodWithin } = this;
    return {
      meanTime: completed > 0 ? sums[TIME_SUM]! / completed : null,
      shareWithin: completed > 0 ? this.within / completed : null,
      completed,
      left: this.left,
      inSystem: sums[IN_SYSTEM_AREA]! / (horizonWeeks - warmupWeeks),
      stageWait: stages.map((_, i) => (waitCount[i]! > 0 ? waitSum[i]! / waitCount[i]! : null)),
      stageShareWaiting: stages.map((_, i) => (waitCount[i]! > 0 ? waitedCount[i]! / waitCount[i]! : null)),
      stageUtilisation: stages.map((_, i) => (serverArea[i]! > 0 ? busyArea[i]! / serverArea[i]! : null)),
      stageReached: Array.from(waitCount),
      periodCompleted: Array.from(periodCompleted),
      periodWithin: Array.from(periodCompleted, (count, i) => (count > 0 ? periodWithin[i]! / count : null)),
      periodOpen: Array.from(this.periodOpen),
      periodLongWaiters: Array.from(this.periodLongWaiters),
    };
  }

  /** Numbers the backlog first, then the new requests as they come (none at or after the horizon); returns the count. */
  private arrive(): number {
    const { scenario, periodCount, peakMean, factors, maxFactor, streams } = this;
    const { periods, horizonWeeks } = scenario;
    let cases = scenario.backlog.length;
    this.ensureCases(cases);
    let backlogFirstOpen = 0;
    while (backlogFirstOpen < periodCount && periods[backlogFirstOpen + 1]! <= 0) backlogFirstOpen++;
    scenario.backlog.forEach((b, c) => {
      this.arrivedAt.values[c] = -b.ageWeeks;
      this.elapsedAt.values[c] = b.stageAgeWeeks;
      this.firstOpen.values[c] = backlogFirstOpen;
    });
    if (peakMean === 0) return cases;
    const factorCount = factors ? factors.length : 0;
    // This replication's rate: ratePerWeek x exp(level + slope x t), its parameters drawn from their distribution.
    const { logRateSd, logGrowthSdPerYear } = scenario.arrivals;
    const uncertain = logRateSd > 0 || logGrowthSdPerYear > 0;
    const rateStream = 1 + 2 * this.stageCount;
    const level = uncertain ? logRateSd * streams.normal(rateStream) : 0;
    const slope = uncertain ? (logGrowthSdPerYear * streams.normal(rateStream)) / WEEKS_A_YEAR : 0;
    // Candidates come at the largest rate of the horizon; each is kept with probability its rate / that.
    const most = Math.exp(level + Math.max(0, slope * horizonWeeks));
    const candidateMean = peakMean / most;
    const thinned = factorCount > 0 || uncertain;
    let period = 0;
    let t = 0;
    for (;;) {
      t += candidateMean * streams.exponential(0);
      if (t >= horizonWeeks) break;
      // Thinned for seasonality and the drawn rate: kept with probability (factor x rate) / (largest of each).
      if (thinned) {
        const factor = factorCount > 0 ? factors![Math.floor(t) % factorCount]! : 1;
        const drawn = uncertain ? Math.exp(level + slope * t) : 1;
        if (streams.next(0) * (factorCount > 0 ? maxFactor : 1) * most >= factor * drawn) continue;
      }
      this.ensureCases(cases + 1);
      this.arrivedAt.values[cases] = t;
      this.elapsedAt.values[cases] = 0;
      // Open from the first period end after it came.
      while (period < periodCount && periods[period + 1]! <= t) period++;
      this.firstOpen.values[cases] = period;
      cases++;
    }
    return cases;
  }

  /**
   * Stage s serves the n cases reaching it, in the order they reach it: a stage with servers first come, first
   * served (each case in turn takes the earliest free server, once it has reached the stage); a pure delay starts each
   * case as it reaches it. Sets when each will be done.
   */
  private serve(s: number, n: number) {
    const { scenario, streams, free, paramA, paramB, waitSum, waitCount, waitedCount, busyArea } = this;
    const { warmupWeeks, horizonWeeks } = scenario;
    const ids = this.reaching.values;
    const reachedAt = this.reachedAt.values;
    const arrivedAt = this.arrivedAt.values;
    const elapsedAt = this.elapsedAt.values;
    const doneAt = this.doneAt.values;
    const isQueued = this.queued[s] === 1;
    const kind = this.kindOf[s];
    const serviceStream = 1 + 2 * s;
    let servers = isQueued ? scenario.stages[s]!.servers! : 0;
    free.clear();
    for (let k = 0; k < servers; k++) free.push(0);
    const stageChanges = this.changes[s]!;
    let change = 0;
    for (let i = 0; i < n; i++) {
      const c = ids[i]!;
      const reached = reachedAt[c]!;
      let start = reached;
      if (isQueued) {
        start = free.earliest();
        if (start < reached) start = reached;
        // Changes of capacity by the time it would start: new servers are free from their week; removed ones go as
        // they become free (so cases in service finish first).
        while (change < stageChanges.length && start >= stageChanges[change]!.atWeek) {
          const { atWeek, servers: next } = stageChanges[change++]!;
          for (; servers < next; servers++) free.push(atWeek);
          for (; servers > next; servers--) free.removeEarliest();
          start = free.earliest();
          if (start < reached) start = reached;
        }
        if (start === Infinity) {
          doneAt[c] = Infinity;
          continue;
        }
      }
      const a = arrivedAt[c]!;
      if (a >= warmupWeeks && a < horizonWeeks) {
        const wait = start - reached;
        waitSum[s] = waitSum[s]! + wait;
        waitCount[s] = waitCount[s]! + 1;
        if (wait > 0) waitedCount[s] = waitedCount[s]! + 1;
      }
      // A backlog case keeps its time at the stage so far only if it is in service from the start (a server was free
      // for it); one that has to queue starts afresh.
      let elapsed = elapsedAt[c]!;
      if (elapsed > 0) {
        elapsedAt[c] = 0;
        if (start !== reached) elapsed = 0;
      }
      // The common distributions are drawn here rather than through serviceTime (a number returned from a function
      // that is not inlined is boxed: an allocation a case).
      let done: number;
      if (elapsed > 0) done = start + this.remainingTime(s, elapsed, reached - elapsed - a);
      else if (kind === LOGNORMAL) done = start + Math.exp(paramA[s]! + paramB[s]! * streams.normal(serviceStream));
      else if (kind === EXPONENTIAL) done = start + paramA[s]! * streams.exponential(serviceStream);
      else if (kind === FIXED) done = start + paramA[s]!;
      // (The case's age when it reached the stage picks the group of times for deadline-driven work.)
      else done = start + this.serviceTime(s, reached - a);
      doneAt[c] = done;
      if (isQueued) {
        free.takeEarliest(doneAt, c);
        const busyFrom = this.clip(start);
        const busyUntil = this.clip(done);
        if (busyUntil > busyFrom) busyArea[s] = busyArea[s]! + (busyUntil - busyFrom);
      }
    }
  }

  /**
   * The n cases at stage s, in the order they finish: each goes on to the next stage (after that stage's backlog) or
   * leaves. Returns how many reach the next stage.
   */
  private finish(s: number, n: number): number {
    const { streams, proceed } = this;
    this.sorter.sort(this.reaching.values, n, this.doneAt.values, this.finishing.values);
    const order = this.finishing.values;
    const doneAt = this.doneAt.values;
    const reachedAt = this.reachedAt.values;
    const last = s + 1 === this.stageCount;
    const next = this.reachingNext.values;
    let m = 0;
    if (!last) {
      for (const c of this.backlogAt[s + 1]!) {
        reachedAt[c] = 0;
        next[m++] = c;
      }
    }
    this.exitPeriod = 0;
    for (let i = 0; i < n; i++) {
      const c = order[i]!;
      const done = doneAt[c]!;
      if (done === Infinity) this.leave(c, STUCK);
      // A stage everyone passes draws no number (the draw could only say "go on").
      else if (proceed[s]! < 1 && streams.next(2 + 2 * s) >= proceed[s]!) this.leave(c, LEFT);
      else if (last) this.leave(c, COMPLETED);
      else {
        reachedAt[c] = done;
        next[m++] = c;
      }
    }
    const reaching = this.reaching;
    this.reaching = this.reachingNext;
    this.reachingNext = reaching;
    return m;
  }

  /**
   * Case c leaves the pipeline when it is done at its stage (Infinity: never), completed or not. (Its time is read
   * here rather than passed: a number passed to a function that is not inlined is boxed, an allocation a case.)
   */
  private leave(c: number, how: number) {
    const { scenario, sums, periodCount, dayCount } = this;
    const { periods, warmupWeeks, horizonWeeks } = scenario;
    const t = this.doneAt.values[c]!;
    const a = this.arrivedAt.values[c]!;
    const counts = a >= warmupWeeks && a < horizonWeeks;
    const from = this.clip(a > 0 ? a : 0);
    const until = this.clip(t);
    if (until > from) sums[IN_SYSTEM_AREA] = sums[IN_SYSTEM_AREA]! + (until - from);
    // The period ends at or before t (the cases come in the order they finish, so from the last case's count).
    let exitPeriod = this.exitPeriod;
    if (t === Infinity) exitPeriod = periodCount;
    else {
      while (exitPeriod > 0 && periods[exitPeriod]! > t) exitPeriod--;
      while (exitPeriod < periodCount && periods[exitPeriod + 1]! <= t) exitPeriod++;
    }
    this.exitPeriod = exitPeriod;
    const open = this.firstOpen.values[c]!;
    if (open < exitPeriod) {
      const day = this.dayOf(a);
      this.openChanges[open * dayCount + day]!++;
      this.openChanges[exitPeriod * dayCount + day]!--;
    }
    if (how === LEFT) {
      if (counts) this.left++;
    } else if (how === COMPLETED) {
      const time = t - a;
      const within = time <= this.targetLimit;
      if (counts) {
        this.completed++;
        sums[TIME_SUM] = sums[TIME_SUM]! + time;
        if (within) this.within++;
      }
      if (t >= this.periodStart && t < this.periodEnd) {
        // The periods ended by t are before this one.
        const p = exitPeriod;
        this.periodCompleted[p] = this.periodCompleted[p]! + 1;
        if (within) this.periodWithin[p] = this.periodWithin[p]! + 1;
        if (a < -scenario.targetWeeks) this.periodLongWaiters[p] = this.periodLongWaiters[p]! + 1;
      }
    }
  }

  /** Counts the open cases by age band at the end of period p (time t). */
  private snapshot(p: number, t: number) {
    const { openByDay, periodOpen } = this;
    const bandEdges = this.scenario.ageBands;
    const lastDay = Math.min(openByDay.length - 1, this.dayOf(t));
    // Walking back from the newest arrivals: band k holds ages in [edge k-1, edge k).
    let band = 0;
    let nextEdgeDay = band < bandEdges.length ? this.dayOf(t - bandEdges[band]!) : -1;
    const base = p * this.bandCount;
    for (let d = lastDay; d >= 0; d--) {
      while (band < bandEdges.length && d <= nextEdgeDay) {
        band++;
        nextEdgeDay = band < bandEdges.length ? this.dayOf(t - bandEdges[band]!) : -1;
      }
      const count = openByDay[d]!;
      if (count !== 0) periodOpen[base + band] = periodOpen[base + band]! + count;
    }
  }

  /** A service time at stage s for a case that reached it aged `age` weeks. */
  private serviceTime(s: number, age: number): number {
    const { streams, paramA, paramB } = this;
    switch (this.kindOf[s]) {
      case EXPONENTIAL:
        return paramA[s]! * streams.exponential(1 + 2 * s);
      case FIXED:
        return paramA[s]!;
      case LOGNORMAL:
        return Math.exp(paramA[s]! + paramB[s]! * streams.normal(1 + 2 * s));
      case EMPIRICAL: {
        const list = this.empirical[s]!;
        return list[Math.floor(streams.next(1 + 2 * s) * list.length)]!;
      }
      default: {
        const list = this.ageGroups[s]![this.groupOf(s, age)]!;
        return list[Math.floor(streams.next(1 + 2 * s) * list.length)]!;
      }
    }
  }

  /** The age group (empiricalByAge) of a case that reached stage s aged `age` weeks. */
  private groupOf(s: number, age: number): number {
    const edges = this.ageEdges[s]!;
    let g = 0;
    while (g < edges.length && age >= edges[g]!) g++;
    return g;
  }

  /**
   * The time left at stage s for a case that has spent `elapsed` there: a service time drawn given that it is longer
   * than `elapsed`, less `elapsed`. An exponential time is memoryless (the time left has the same distribution). An
   * empirical one is drawn from the times longer than `elapsed`, each as likely; a case in the tail (`tailOf`: as old
   * as the longest tenth of the times, or older than all of them) has an exponential time left with the tail's mean
   * excess. A lognormal one is drawn again until longer than `elapsed`; a case so old that 100 draws are not (under 1%
   * are longer) has an exponential time left with the lognormal's hazard at its age, from Mills' ratio (1 - Phi(z) is
   * about phi(z) / z for large z, so the hazard is about z / (sigma x elapsed), z = (ln elapsed - mu) / sigma).
   */
  private remainingTime(s: number, elapsed: number, age: number): number {
    const { streams, paramA, paramB } = this;
    const stream = 1 + 2 * s;
    switch (this.kindOf[s]) {
      case FIXED:
        return Math.max(0, paramA[s]! - elapsed);
      case EXPONENTIAL:
        return paramA[s]! * streams.exponential(stream);
      case LOGNORMAL: {
        if (paramB[s] === 0) return Math.max(0, Math.exp(paramA[s]!) - elapsed);
        for (let tries = 0; tries < 100; tries++) {
          const t = Math.exp(paramA[s]! + paramB[s]! * streams.normal(stream));
          if (t > elapsed) return t - elapsed;
        }
        const z = (Math.log(elapsed) - paramA[s]!) / paramB[s]!;
        return ((paramB[s]! * elapsed) / z) * streams.exponential(stream);
      }
      default: {
        const g = this.kindOf[s] === EMPIRICAL ? 0 : this.groupOf(s, age);
        if (elapsed >= this.tailFrom[s]![g]!) return this.tailMean[s]![g]! * streams.exponential(stream);
        const list = this.sortedTimes[s]![g]!;
        // The first time longer than `elapsed` (there is one: the tail starts at or below the longest).
        let lo = 0;
        let hi = list.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (list[mid]! > elapsed) hi = mid;
          else lo = mid + 1;
        }
        return list[lo + Math.floor(streams.next(stream) * (list.length - lo))]! - elapsed;
      }
    }
  }
}

/** The share of a list of times that makes its tail (`tailOf`). */
const TAIL_SHARE = 0.1;

/**
 * The tail of a sorted list of service times, for a case that has already been at the stage as long as its longest
 * times or longer, where the list itself has little or nothing left to draw from: a peaks-over-threshold fit with an
 * exponential excess (the generalised Pareto with shape 0; Davison and Smith, "Models for exceedances over high
 * thresholds", JRSS B 52, 1990). The threshold `from` is the time just below the longest tenth of the list; over it
 * the excess is exponential with the mean excess of that tenth (its maximum-likelihood estimate), so the hazard is
 * constant there and the time left of a case at or past the threshold is exponential with that mean, whatever its age
 * (memoryless). A stage's times from the history (calibrate.ts) already end in an exponential tail fitted to the
 * cases still open (survival.ts), so this carries that tail on; the longest times seen alone would give none. A list
 * of fewer than two times has no tail: a case at or past its longest is done at once.
 */
export function tailOf(sorted: Float64Array): { from: number; mean: number } {
  const n = sorted.length;
  const count = Math.ceil(TAIL_SHARE * n);
  if (n < 2 || count >= n) return { from: n > 0 ? sorted[n - 1]! : 0, mean: 0 };
  const from = sorted[n - count - 1]!;
  let excess = 0;
  for (let i = n - count; i < n; i++) excess += sorted[i]! - from;
  return { from, mean: excess / count };
}

/** The replications summarised: means with their standard errors, fan-chart percentiles by period, load warnings. */
export function summarise(scenario: Scenario, reps: readonly Replication[]): SimulationResult {
  const { stages, periods } = scenario;
  const periodCount = Math.max(0, periods.length - 1);
  const present = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  const repMeanTime = present(reps.map((r) => r.meanTime));
  const repShareWithin = present(reps.map((r) => r.shareWithin));
  const repCompleted = reps.map((r) => r.completed);
  const repLeft = reps.map((r) => r.left);
  const repInSystem = reps.map((r) => r.inSystem);
  const repStageWait = stages.map((_, i) => present(reps.map((r) => r.stageWait[i]!)));
  const repStageShareWaiting = stages.map((_, i) => present(reps.map((r) => r.stageShareWaiting[i]!)));
  const repStageUtilisation = stages.map((_, i) => present(reps.map((r) => r.stageUtilisation[i]!)));
  const repStageReached = stages.map((_, i) => reps.map((r) => r.stageReached[i]!));
  const repPeriodCompleted = Array.from({ length: periodCount }, (_, p) => reps.map((r) => r.periodCompleted[p]!));
  const repPeriodWithin = Array.from({ length: periodCount }, (_, p) => present(reps.map((r) => r.periodWithin[p]!)));
  const bandCount = scenario.ageBands.length + 1;
  const openAt = (p: number, band: number) => reps.map((r) => r.periodOpen[p * bandCount + band]!);
  const pushDown = (p: number) =>
    present(
      reps.map((r) => {
        const n = r.periodCompleted[p]!;
        const others = n - r.periodLongWaiters[p]!;
        if (n === 0 || others === 0) return null;
        const within = r.periodWithin[p]! * n;
        return within / others - within / n;
      }),
    );
  const openTotal = (p: number) =>
    reps.map((r) => r.periodOpen.slice(p * bandCount, (p + 1) * bandCount).reduce((a, b) => a + b, 0));
  const mean = (values: number[]) => meanAndError(values).mean;
  const time = meanAndError(repMeanTime);
  const share = meanAndError(repShareWithin);
  const loads = stageLoads(scenario);
  const warnings: LoadWarning[] = loads
    .filter((l) => l.load !== null && l.load >= 1)
    .map((l) => ({ stage: l.id, load: l.load === Infinity ? null : l.load }));
  return {
    overall: {
      meanTimeInSystemWeeks: time.mean,
      shareWithinTarget: share.mean,
      completed: mean(repCompleted) ?? 0,
      left: mean(repLeft) ?? 0,
      meanInSystem: mean(repInSystem) ?? 0,
    },
    stages: stages.map((s, i) => ({
      id: s.id,
      meanWaitWeeks: mean(repStageWait[i]!) ?? 0,
      shareWaiting: mean(repStageShareWaiting[i]!) ?? 0,
      utilisation: s.servers === null ? null : mean(repStageUtilisation[i]!),
      reached: mean(repStageReached[i]!) ?? 0,
    })),
    periods: Array.from({ length: periodCount }, (_, p) => ({
      fromWeek: periods[p]!,
      toWeek: periods[p + 1]!,
      completed: percentiles(repPeriodCompleted[p]!),
      shareWithinTarget: percentiles(repPeriodWithin[p]!),
      openByAge: Array.from({ length: bandCount }, (_, band) => percentiles(openAt(p, band))),
      open: percentiles(openTotal(p)),
      longWaiterPushDown: percentiles(pushDown(p)),
    })),
    standardError: {
      meanTimeInSystemWeeks: time.error,
      shareWithinTarget: share.error,
      stages: stages.map((s, i) => ({
        id: s.id,
        meanWaitWeeks: meanAndError(repStageWait[i]!).error,
        shareWaiting: meanAndError(repStageShareWaiting[i]!).error,
      })),
    },
    unstable: warnings.length > 0,
    warnings,
  };
}
