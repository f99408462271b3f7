/**
 * Will the target be met, and what would it take? (shared/reference/forecasting.md)
 *
 * - P(target met by date): the share of replications in which the share of that period's completions within the
 *   target time reaches the target (a replication with no completions in the period does not meet it).
 * - The capacity solver: the smallest number of extra servers at one stage (from the start, on top of any planned
 *   changes) for which that probability reaches the level asked for. Every candidate is simulated with the same
 *   random numbers (common random numbers), so the probability moves with capacity and not with chance, and the
 *   search is a bisection between a capacity that fails and one that meets it.
 */
import { recalibrationMap, SHARE_BOUNDS, type Recalibration } from './recalibrate.js';
import { ScenarioError, type Scenario } from './scenario.js';
import { percentiles, simulateReplications, type Replication } from './simulate.js';

export interface PeriodTarget {
  /** Index of the period (scenario.periods) the target is judged in. */
  period: number;
  /** The share of completions within the target time to reach (0.6 for 60%). */
  shareWithinTarget: number;
}

/**
 * The share of replications in which the period's share within the target time reaches the target. With a correction
 * by the method's past errors (recalibrate.ts), each replication's share is first moved by the map that takes the
 * period's 10th and 90th percentiles to the corrected ones, as the forecast's stated ranges are.
 */
export function probabilityMet(
  replications: readonly Replication[],
  target: PeriodTarget,
  correction: Recalibration | null = null,
): number {
  if (replications.length === 0) return 0;
  const shares: number[] = [];
  for (const r of replications) {
    const share = r.periodWithin[target.period];
    if (share !== null && share !== undefined) shares.push(share);
  }
  const map = correction ? recalibrationMap(percentiles(shares), correction, SHARE_BOUNDS) : (v: number) => v;
  let met = 0;
  for (const share of shares) if (map(share) >= target.shareWithinTarget - 1e-12) met++;
  return met / replications.length;
}

/**
 * The scenario with `extra` more servers at a stage from `atWeek` on (from the start by default): planned changes from
 * then on move up by as many.
 */
export function withExtraServers(scenario: Scenario, stage: number, extra: number, atWeek = 0): Scenario {
  return {
    ...scenario,
    stages: scenario.stages.map((s, i) => {
      if (i !== stage || s.servers === null || extra === 0) return s;
      if (atWeek <= 0) {
        return {
          ...s,
          servers: s.servers + extra,
          capacityChanges: s.capacityChanges.map((c) => ({ ...c, servers: c.servers + extra })),
        };
      }
      const before = s.capacityChanges.filter((c) => c.atWeek < atWeek);
      const serversThen = before.length ? before[before.length - 1]!.servers : s.servers;
      return {
        ...s,
        capacityChanges: [
          ...before,
          { atWeek, servers: serversThen + extra },
          ...s.capacityChanges.filter((c) => c.atWeek >= atWeek).map((c) => ({ ...c, servers: c.servers + extra })),
        ],
      };
    }),
  };
}

export interface CapacitySolution {
  /** The smallest extra (in the units asked for) found to reach the probability; null if even `maxExtra` does not. */
  extra: number | null;
  probability: number | null;
  /** Every capacity judged on all the replications, with its probability, in the order tried. */
  tried: { extra: number; probability: number }[];
  /** Capacities tried in the search on fewer replications. */
  screened: { extra: number; probability: number }[];
}

export interface SolveOptions {
  /** The chance wanted (0-1]. */
  probability: number;
  /** The most extra to try, in units. */
  maxExtra: number;
  /** From which week the extra capacity works (0: from the start). */
  atWeek?: number;
  /** Servers per unit of extra (servers per educational psychologist, say); 1 by default. */
  serversPerUnit?: number;
  /** Runs replications `from` to `to` - 1 of a scenario (on worker threads, say); in this thread by default. */
  run?: (scenario: Scenario, from: number, to: number) => Promise<Replication[]>;
  /**
   * Replications for the search (default: a fifth of the scenario's, at least 100): the search finds a candidate on
   * these, then the candidate and its neighbours are judged on all of them (the first ones reused: the same futures).
   */
  screenReplications?: number;
  /** Told after each capacity tried. */
  onTried?: (tried: { extra: number; probability: number }) => void;
  /** The correction of the share's range by the method's past errors, as the forecast states it (none by default). */
  correction?: Recalibration | null;
}

/**
 * The smallest whole number of extra units (people, or servers) at a stage for which the chance of meeting the target
 * reaches the level asked for, by bisection between a capacity that fails and one that meets it, every candidate on
 * the same random numbers.
 */
export async function solveCapacity(
  scenario: Scenario,
  stageId: string,
  target: PeriodTarget,
  options: SolveOptions,
): Promise<CapacitySolution> {
  const stage = scenario.stages.findIndex((s) => s.id === stageId);
  if (stage < 0) throw new ScenarioError('stage', `must be the id of a stage, not ${JSON.stringify(stageId)}`);
  if (scenario.stages[stage]!.servers === null) {
    throw new ScenarioError('stage', `${stageId} is a pure delay: it has no capacity to add`);
  }
  if (target.period < 0 || target.period >= scenario.periods.length - 1) {
    throw new ScenarioError('target.period', 'must be the index of one of the scenario’s periods');
  }
  if (!(options.probability > 0 && options.probability <= 1)) {
    throw new ScenarioError('probability', 'must be more than 0 and at most 1');
  }
  const perUnit = options.serversPerUnit ?? 1;
  const run =
    options.run ?? ((s: Scenario, from: number, to: number) => Promise.resolve(simulateReplications(s, from, to)));
  const total = scenario.replications;
  const screen = Math.min(total, options.screenReplications ?? Math.max(100, Math.ceil(total / 5)));
  const screened: { extra: number; probability: number }[] = [];
  const tried: { extra: number; probability: number }[] = [];
  /** The first `screen` replications of each capacity, kept to be reused by the full judgement. */
  const firstReps = new Map<number, Replication[]>();
  const build = (extra: number) => withExtraServers(scenario, stage, Math.round(extra * perUnit), options.atWeek ?? 0);

  const screenMeets = async (extra: number) => {
    let reps = firstReps.get(extra);
    if (!reps) {
      reps = await run(build(extra), 0, screen);
      firstReps.set(extra, reps);
      const probability = probabilityMet(reps, target, options.correction ?? null);
      screened.push({ extra, probability });
      options.onTried?.({ extra, probability });
    }
    return probabilityMet(reps, target, options.correction ?? null) >= options.probability;
  };
  const judge = async (extra: number) => {
    const known = tried.find((t) => t.extra === extra);
    if (known) return known.probability;
    const first = firstReps.get(extra) ?? (await run(build(extra), 0, screen));
    const rest = screen < total ? await run(build(extra), screen, total) : [];
    const probability = probabilityMet([...first, ...rest], target, options.correction ?? null);
    tried.push({ extra, probability });
    options.onTried?.({ extra, probability });
    return probability;
  };
  const meets = async (extra: number) => (await judge(extra)) >= options.probability;

  // The search, on the first replications: doubling from 1 (answers are mostly small) until a capacity meets the
  // chance, then bisection between the last that failed and the first that met it.
  let candidate: number | null;
  if (await screenMeets(0)) candidate = 0;
  else {
    let fails = 0;
    let passes: number | null = null;
    for (let step = 1; passes === null; step = Math.min(options.maxExtra, step * 2)) {
      if (await screenMeets(step)) passes = step;
      else if (step === options.maxExtra) break;
      else fails = step;
    }
    while (passes !== null && passes - fails > 1) {
      const mid = Math.floor((fails + passes) / 2);
      if (await screenMeets(mid)) passes = mid;
      else fails = mid;
    }
    candidate = passes;
  }
  // The judgement, on all of them: walk from the candidate to the smallest that meets with one fewer failing. One
  // fewer need not be judged on all when the search's futures already put it well short (more than three standard
  // errors, at least that of a chance of one half, below the chance wanted).
  const clearlyShort = (extra: number) => {
    const seen = screened.find((t) => t.extra === extra);
    if (!seen || screen >= total) return false;
    const error = Math.sqrt(Math.max(seen.probability * (1 - seen.probability), 0.25) / screen);
    return seen.probability + 3 * error < options.probability;
  };
  let k = candidate ?? options.maxExtra;
  if (await meets(k)) {
    while (k > 0 && !clearlyShort(k - 1) && (await meets(k - 1))) k--;
    return { extra: k, probability: await judge(k), tried, screened };
  }
  while (k < options.maxExtra) {
    k++;
    if (await meets(k)) return { extra: k, probability: await judge(k), tried, screened };
  }
  return { extra: null, probability: await judge(options.maxExtra), tried, screened };
}
