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
 * Each replication has its own random streams per purpose (domain/forecast/random.ts): reproducible by seed, and
 * common random numbers across scenarios that differ in capacity.
 */
import { EventHeap } from './heap.js';
import { Streams } from './random.js';
import { stageLoads, type Scenario, type Service } from './scenario.js';

const ARRIVAL = 0;
const COMPLETE = 1;
const CAPACITY = 2;
/** An event's payload: (index << 6) | (stage << 2) | kind, with stages < 16 and indexes < 2^25. */
const STAGE_BITS = 4;

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
  warnings: string[];
}

/** Growable numeric storage for per-case values. */
class Column {
  values = new Float64Array(4096);
  ensure(n: number) {
    if (n <= this.values.length) return;
    let size = this.values.length;
    while (size < n) size *= 2;
    const next = new Float64Array(size);
    next.set(this.values);
    this.values = next;
  }
}

/**
 * A first-in-first-out ring of case indexes, each with a time. It serves as a stage's queue (first come, first
 * served; the time unused) and for completions at a stage whose service time is fixed: cases start in time order, so
 * they finish in time order, and the ring replaces the heap for them.
 */
class TimedFifo {
  private times = new Float64Array(256);
  private items = new Int32Array(256);
  private head = 0;
  size = 0;
  clear() {
    this.head = 0;
    this.size = 0;
  }
  push(time: number, x: number) {
    if (this.size === this.items.length) {
      const n = this.items.length;
      const times = new Float64Array(n * 2);
      const items = new Int32Array(n * 2);
      for (let i = 0; i < this.size; i++) {
        times[i] = this.times[(this.head + i) % n]!;
        items[i] = this.items[(this.head + i) % n]!;
      }
      this.times = times;
      this.items = items;
      this.head = 0;
    }
    const at = (this.head + this.size) % this.items.length;
    this.times[at] = time;
    this.items[at] = x;
    this.size++;
  }
  /** The earliest time (Infinity when empty). */
  peekTime(): number {
    return this.size > 0 ? this.times[this.head]! : Infinity;
  }
  shift(): number {
    const x = this.items[this.head]!;
    this.head = (this.head + 1) % this.items.length;
    this.size--;
    return x;
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

/**
 * Runs replications `from` to `to` - 1 of a scenario. Each replication's random streams depend only on the seed and its
 * number, so replications split across threads and put back in order give exactly the result of one thread.
 */
export function simulateReplications(scenario: Scenario, from: number, to: number): Replication[] {
  const { stages, warmupWeeks, horizonWeeks, targetWeeks } = scenario;
  const stageCount = stages.length;
  const factors = scenario.arrivals.weeklyFactors;
  const factorCount = factors ? factors.length : 0;
  const maxFactor = factors ? Math.max(...factors) : 1;
  const peakMean = scenario.arrivals.ratePerWeek > 0 ? 1 / (scenario.arrivals.ratePerWeek * maxFactor) : 0;
  const periods = scenario.periods;
  const periodCount = Math.max(0, periods.length - 1);
  const periodStart = periodCount > 0 ? periods[0]! : 0;
  const periodEnd = periodCount > 0 ? periods[periodCount]! : 0;
  // Durations are sums of floating-point times: one exactly on the target counts as within it.
  const targetLimit = targetWeeks + 1e-9;
  // Open cases are counted by the day they arrived (backlog cases arrived before 0), so that the number in each age
  // band at a period's end is a few sums over days.
  const bandEdges = scenario.ageBands;
  const bandCount = bandEdges.length + 1;
  const oldest = scenario.backlog.reduce((m, b) => Math.max(m, b.ageWeeks), 0);
  const dayOffset = Math.ceil(oldest * 7) + 1;
  const openByDay = new Int32Array(dayOffset + Math.ceil(horizonWeeks * 7) + 2);
  const dayOf = (arrival: number) => Math.floor(arrival * 7) + dayOffset;

  // Each stage's parameters in typed arrays, for the hot loop.
  const queued = new Uint8Array(stageCount);
  const kindOf = new Uint8Array(stageCount);
  const paramA = new Float64Array(stageCount);
  const paramB = new Float64Array(stageCount);
  const proceed = new Float64Array(stageCount);
  const empirical: Float64Array[] = [];
  const ageEdges: Float64Array[] = [];
  const ageGroups: Float64Array[][] = [];
  stages.forEach((stage, i) => {
    queued[i] = stage.servers === null ? 0 : 1;
    proceed[i] = stage.proceedProbability;
    const sv: Service = stage.service;
    empirical[i] = new Float64Array(0);
    ageEdges[i] = new Float64Array(0);
    ageGroups[i] = [];
    switch (sv.distribution) {
      case 'exponential':
        kindOf[i] = EXPONENTIAL;
        paramA[i] = sv.meanWeeks;
        break;
      case 'fixed':
        kindOf[i] = FIXED;
        paramA[i] = sv.weeks;
        break;
      case 'lognormal': {
        kindOf[i] = LOGNORMAL;
        const sigma2 = Math.log(1 + (sv.sdWeeks * sv.sdWeeks) / (sv.meanWeeks * sv.meanWeeks));
        paramA[i] = Math.log(sv.meanWeeks) - sigma2 / 2;
        paramB[i] = Math.sqrt(sigma2);
        break;
      }
      case 'empirical':
        kindOf[i] = EMPIRICAL;
        empirical[i] = Float64Array.from(sv.weeks);
        break;
      case 'empiricalByAge':
        kindOf[i] = EMPIRICAL_BY_AGE;
        ageEdges[i] = Float64Array.from(sv.ageEdges);
        ageGroups[i] = sv.groups.map((g) => Float64Array.from(g));
        break;
    }
  });

  const heap = new EventHeap();
  const fixedDone = stages.map(() => new TimedFifo());
  const fixedStages = stages.map((_, i) => i).filter((i) => kindOf[i] === FIXED);
  /** The next arrival's time (kept out of the heap: arrivals come in order); Infinity when there are no more. */
  let arrivalAt = Infinity;
  const arrivedAt = new Column();
  const reachedStageAt = new Column();
  /** For a starting backlog case at a pure delay: the time it has already spent there. */
  const elapsedAt = new Column();
  const queues = stages.map(() => new TimedFifo());
  // Stream 0: arrivals; 1 + 2s: stage s's service times; 2 + 2s: stage s's proceed decisions.
  const streams = new Streams(1 + 2 * stageCount);

  const results: Replication[] = [];

  const busy = new Float64Array(stageCount);
  const servers = new Float64Array(stageCount);
  const busyArea = new Float64Array(stageCount);
  const serverArea = new Float64Array(stageCount);
  const lastChange = new Float64Array(stageCount);
  const waitSum = new Float64Array(stageCount);
  const waitCount = new Float64Array(stageCount);
  const waitedCount = new Float64Array(stageCount);
  const periodCompleted = new Float64Array(periodCount);
  const periodWithin = new Float64Array(periodCount);
  const periodOpen = new Float64Array(periodCount * bandCount);
  const periodLongWaiters = new Float64Array(periodCount);
  /** Counts the open cases by age band at the end of period p (time t). */
  const snapshot = (p: number, t: number) => {
    const lastDay = Math.min(openByDay.length - 1, dayOf(t));
    // Walking back from the newest arrivals: band k holds ages in [edge k-1, edge k).
    let band = 0;
    let nextEdgeDay = band < bandEdges.length ? dayOf(t - bandEdges[band]!) : -1;
    const base = p * bandCount;
    for (let d = lastDay; d >= 0; d--) {
      while (band < bandEdges.length && d <= nextEdgeDay) {
        band++;
        nextEdgeDay = band < bandEdges.length ? dayOf(t - bandEdges[band]!) : -1;
      }
      const n = openByDay[d]!;
      if (n !== 0) periodOpen[base + band] = periodOpen[base + band]! + n;
    }
  };

  const clip = (t: number) => (t < warmupWeeks ? warmupWeeks : t > horizonWeeks ? horizonWeeks : t);
  /** Brings a stage's busy and available server-time in the window up to `now`, before either changes. */
  const account = (s: number, now: number) => {
    const from = clip(lastChange[s]!);
    const to = clip(now);
    if (to > from) {
      busyArea[s] = busyArea[s]! + busy[s]! * (to - from);
      serverArea[s] = serverArea[s]! + servers[s]! * (to - from);
    }
    lastChange[s] = now;
  };
  /** A service time at stage s for a case that reached it aged `age` weeks. */
  const serviceTime = (s: number, age: number): number => {
    switch (kindOf[s]) {
      case EXPONENTIAL:
        return streams.exponential(1 + 2 * s, paramA[s]!);
      case FIXED:
        return paramA[s]!;
      case LOGNORMAL:
        return Math.exp(paramA[s]! + paramB[s]! * streams.normal(1 + 2 * s));
      case EMPIRICAL: {
        const list = empirical[s]!;
        return list[Math.floor(streams.next(1 + 2 * s) * list.length)]!;
      }
      default: {
        const edges = ageEdges[s]!;
        let g = 0;
        while (g < edges.length && age >= edges[g]!) g++;
        const list = ageGroups[s]![g]!;
        return list[Math.floor(streams.next(1 + 2 * s) * list.length)]!;
      }
    }
  };
  /**
   * The time left at stage s for a case that has spent `elapsed` there: a service time drawn given that it is longer
   * than `elapsed`, less `elapsed`. A case older than nearly every time seen (none of 100 draws longer) is taken to
   * finish within the day.
   */
  const remainingTime = (s: number, elapsed: number, age: number): number => {
    if (kindOf[s] === FIXED) return Math.max(0, paramA[s]! - elapsed);
    for (let tries = 0; tries < 100; tries++) {
      const t = serviceTime(s, age);
      if (t > elapsed) return t - elapsed;
    }
    return 1 / 7;
  };
  /** A case starts service at stage s: its wait is recorded (if it counts) and its completion scheduled. */
  const startService = (c: number, s: number, now: number) => {
    const a = arrivedAt.values[c]!;
    if (a >= warmupWeeks && a < horizonWeeks) {
      const wait = now - reachedStageAt.values[c]!;
      waitSum[s] = waitSum[s]! + wait;
      waitCount[s] = waitCount[s]! + 1;
      if (wait > 0) waitedCount[s] = waitedCount[s]! + 1;
    }
    const elapsed = elapsedAt.values[c]!;
    // The case's age when it reached the stage (a backlog case reached it `elapsed` weeks before the start).
    const age = reachedStageAt.values[c]! - elapsed - a;
    if (elapsed > 0) {
      elapsedAt.values[c] = 0;
      heap.push(now + remainingTime(s, elapsed, age), (c << 6) | (s << 2) | COMPLETE);
    } else if (kindOf[s] === FIXED) fixedDone[s]!.push(now + paramA[s]!, (c << 6) | (s << 2) | COMPLETE);
    else heap.push(now + serviceTime(s, age), (c << 6) | (s << 2) | COMPLETE);
  };
  const reachStage = (c: number, s: number, now: number) => {
    reachedStageAt.values[c] = now;
    if (queued[s] === 0) {
      startService(c, s, now);
    } else if (busy[s]! < servers[s]!) {
      account(s, now);
      busy[s] = busy[s]! + 1;
      startService(c, s, now);
    } else {
      queues[s]!.push(now, c);
    }
  };
  /** The next arrival after `now`, thinned for seasonality; none at or after the horizon. */
  const nextArrival = (now: number) => {
    arrivalAt = Infinity;
    if (peakMean === 0) return;
    let t = now;
    for (;;) {
      t += streams.exponential(0, peakMean);
      if (t >= horizonWeeks) return;
      if (factorCount === 0 || streams.next(0) * maxFactor < factors![Math.floor(t) % factorCount]!) break;
    }
    arrivalAt = t;
  };

  for (let rep = from; rep < to; rep++) {
    streams.reseed(scenario.seed, rep);
    heap.clear();
    for (const q of queues) q.clear();
    for (const f of fixedDone) f.clear();
    busy.fill(0);
    busyArea.fill(0);
    serverArea.fill(0);
    lastChange.fill(0);
    waitSum.fill(0);
    waitCount.fill(0);
    waitedCount.fill(0);
    periodCompleted.fill(0);
    periodWithin.fill(0);
    periodOpen.fill(0);
    periodLongWaiters.fill(0);
    openByDay.fill(0);
    let nextSnapshot = 0;
    stages.forEach((stage, i) => {
      servers[i] = stage.servers ?? 0;
      stage.capacityChanges.forEach((change, k) => heap.push(change.atWeek, (k << 6) | (i << 2) | CAPACITY));
    });

    let cases = 0;
    let inSystem = 0;
    let inSystemArea = 0;
    let lastInSystemChange = 0;
    let completed = 0;
    let left = 0;
    let timeSum = 0;
    let within = 0;
    const inSystemChanges = (now: number, delta: number) => {
      const from = clip(lastInSystemChange);
      const to = clip(now);
      if (to > from) inSystemArea += inSystem * (to - from);
      lastInSystemChange = now;
      inSystem += delta;
    };
    const addCase = (arrival: number, stage: number, now: number, elapsed: number) => {
      const c = cases++;
      arrivedAt.ensure(cases);
      reachedStageAt.ensure(cases);
      elapsedAt.ensure(cases);
      arrivedAt.values[c] = arrival;
      // A backlog case at a stage with servers is in service (with its time there so far) if a server is free for
      // it, or waits in the queue; so a stage's backlog should come oldest first.
      elapsedAt.values[c] = queued[stage] === 0 || busy[stage]! < servers[stage]! ? elapsed : 0;
      openByDay[dayOf(arrival)]!++;
      inSystemChanges(now, 1);
      reachStage(c, stage, now);
    };

    for (const b of scenario.backlog) addCase(-b.ageWeeks, b.stage, 0, b.stageAgeWeeks);
    nextArrival(0);

    for (;;) {
      // The next event: the heap's earliest, the next arrival, or the earliest end of a fixed-length service.
      let now = heap.size > 0 ? heap.peekTime() : Infinity;
      let from = -1;
      if (arrivalAt < now) {
        now = arrivalAt;
        from = -2;
      }
      for (const f of fixedStages) {
        const t = fixedDone[f]!.peekTime();
        if (t < now) {
          now = t;
          from = f;
        }
      }
      while (nextSnapshot < periodCount && periods[nextSnapshot + 1]! <= now) {
        snapshot(nextSnapshot, periods[nextSnapshot + 1]!);
        nextSnapshot++;
      }
      if (now === Infinity) break;
      const payload = from === -2 ? ARRIVAL : from >= 0 ? fixedDone[from]!.shift() : heap.pop();
      const kind = payload & 3;
      const s = (payload >> 2) & ((1 << STAGE_BITS) - 1);
      const index = payload >>> 6;
      if (kind === ARRIVAL) {
        addCase(now, 0, now, 0);
        nextArrival(now);
        continue;
      }
      if (kind === CAPACITY) {
        account(s, now);
        servers[s] = stages[s]!.capacityChanges[index]!.servers;
        const queue = queues[s]!;
        while (queue.size > 0 && busy[s]! < servers[s]) {
          busy[s] = busy[s]! + 1;
          startService(queue.shift(), s, now);
        }
        continue;
      }
      // Case `index` finishes its service at stage s.
      if (queued[s] === 1) {
        account(s, now);
        busy[s] = busy[s]! - 1;
        const queue = queues[s]!;
        if (queue.size > 0 && busy[s] < servers[s]!) {
          busy[s] = busy[s] + 1;
          startService(queue.shift(), s, now);
        }
      }
      const arrival = arrivedAt.values[index]!;
      const counts = arrival >= warmupWeeks && arrival < horizonWeeks;
      // A stage everyone passes draws no number (the draw could only say "go on").
      if (proceed[s]! < 1 && streams.next(2 + 2 * s) >= proceed[s]!) {
        openByDay[dayOf(arrival)]!--;
        inSystemChanges(now, -1);
        if (counts) left++;
        continue;
      }
      if (s + 1 < stageCount) {
        reachStage(index, s + 1, now);
        continue;
      }
      openByDay[dayOf(arrival)]!--;
      inSystemChanges(now, -1);
      const time = now - arrival;
      if (counts) {
        completed++;
        timeSum += time;
        if (time <= targetLimit) within++;
      }
      if (now >= periodStart && now < periodEnd) {
        let p = 0;
        while (now >= periods[p + 1]!) p++;
        periodCompleted[p] = periodCompleted[p]! + 1;
        if (time <= targetLimit) periodWithin[p] = periodWithin[p]! + 1;
        if (arrival < -targetWeeks) periodLongWaiters[p] = periodLongWaiters[p]! + 1;
      }
    }
    const end = Math.max(horizonWeeks, lastInSystemChange);
    inSystemChanges(end, 0);
    for (let s = 0; s < stageCount; s++) account(s, end);

    results.push({
      meanTime: completed > 0 ? timeSum / completed : null,
      shareWithin: completed > 0 ? within / completed : null,
      completed,
      left,
      inSystem: inSystemArea / (horizonWeeks - warmupWeeks),
      stageWait: stages.map((_, i) => (waitCount[i]! > 0 ? waitSum[i]! / waitCount[i]! : null)),
      stageShareWaiting: stages.map((_, i) => (waitCount[i]! > 0 ? waitedCount[i]! / waitCount[i]! : null)),
      stageUtilisation: stages.map((_, i) => (serverArea[i]! > 0 ? busyArea[i]! / serverArea[i]! : null)),
      stageReached: Array.from(waitCount),
      periodCompleted: Array.from(periodCompleted),
      periodWithin: Array.from(periodCompleted, (n, i) => (n > 0 ? periodWithin[i]! / n : null)),
      periodOpen: Array.from(periodOpen),
      periodLongWaiters: Array.from(periodLongWaiters),
    });
  }
  return results;
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
  const warnings = loads
    .filter((l) => l.load !== null && l.load >= 1)
    .map(
      (l) =>
        `stage ${l.id}: demand is ${l.load === Infinity ? 'more than its capacity (none)' : `${Math.round(l.load! * 100)}% of its capacity`}, so its queue grows without bound`,
    );
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
