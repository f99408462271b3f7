/**
 * A scenario of the EHC pipeline for the simulator (shared/reference/forecasting.md): arrivals, stages with capacity
 * or pure delay, service-time distributions, proceed probabilities, an initial backlog and capacity changes over time.
 * `parseScenario` reads one from JSON (the `openehcp forecast` contract in shared/contracts/cli.md) and refuses an
 * impossible one with a message naming the field at fault.
 */
import { DECIDE_WHETHER_TO_ASSESS_WEEKS, FINAL_PLAN_WEEKS } from '../statutory/periods.js';

export type Service =
  | { distribution: 'exponential'; meanWeeks: number }
  | { distribution: 'fixed'; weeks: number }
  | { distribution: 'lognormal'; meanWeeks: number; sdWeeks: number }
  | { distribution: 'empirical'; weeks: readonly number[] }
  /**
   * Times seen, grouped by how old the case was when it reached the stage: group i holds cases aged under
   * ageEdges[i] (and at least ageEdges[i - 1]); the last group, the rest. Work that is driven by deadlines (an old
   * case hurried through, a young one left to wait) keeps that shape.
   */
  | { distribution: 'empiricalByAge'; ageEdges: readonly number[]; groups: readonly (readonly number[])[] };

export interface Stage {
  id: string;
  /** How many cases can be in service at once; null for a pure delay (no queue). */
  servers: number | null;
  service: Service;
  /** The share of cases that go on to the next stage (or, at the last stage, complete); the rest leave. */
  proceedProbability: number;
  /** From `atWeek` (since the start of the simulation), `servers` servers. */
  capacityChanges: readonly { atWeek: number; servers: number }[];
}

export interface Scenario {
  seed: number;
  replications: number;
  warmupWeeks: number;
  horizonWeeks: number;
  /** The standard the share "within target" is judged against (20 weeks for an EHC plan: FINAL_PLAN_WEEKS). */
  targetWeeks: number;
  arrivals: {
    ratePerWeek: number;
    /** Seasonality: a multiplier of the rate for each week of a repeating cycle (52 for a school year). */
    weeklyFactors: readonly number[] | null;
    /**
     * The rate's own uncertainty (parameter uncertainty, not the simulation's noise): each replication draws its rate
     * as ratePerWeek x exp(logRateSd Z1 + logGrowthSdPerYear Z2 t / 52.18) at week t, Z1 and Z2 standard normal, the
     * standard errors of the calibration's Poisson regression. 0 (the default): the rate as given.
     */
    logRateSd: number;
    logGrowthSdPerYear: number;
  };
  stages: readonly Stage[];
  /**
   * Cases already in the pipeline at the start: the stage they are at, how long ago they arrived, and how long they
   * have been at that stage (at a pure delay, their remaining time is drawn given the time already spent).
   */
  backlog: readonly { stage: number; ageWeeks: number; stageAgeWeeks: number }[];
  /** Boundaries (weeks) of the periods over which completions are counted, for fan charts; empty for none. */
  periods: readonly number[];
  /**
   * Edges (weeks) of the age bands the cases still open at the end of each period are counted in: [6, 20, 52] gives
   * under 6 weeks, 6 to 20, 20 to 52 and 52 or more.
   */
  ageBands: readonly number[];
}

/** Weeks a year, for growth rates. */
export const WEEKS_A_YEAR = 365.25 / 7;

/** The age bands open cases are counted in unless a scenario says otherwise: the 6-week and 20-week limits, a year. */
export const DEFAULT_AGE_BANDS = [DECIDE_WHETHER_TO_ASSESS_WEEKS, FINAL_PLAN_WEEKS, 52] as const;

/** An impossible or unreadable scenario; `field` is the path of the field at fault ("stages[1].servers"). */
export class ScenarioError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** The most case-visits one run may simulate (replications x arrivals x stages), so that no run takes hours. */
export const MAX_WORK = 400_000_000;
/** The most stages a pipeline may have. */
export const MAX_STAGES = 16;
/** The most cases one replication may hold (arrivals and backlog). */
export const MAX_CASES = 20_000_000;

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number(field: string, value: unknown, rule: { min?: number; above?: number; max?: number; whole?: boolean }) {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.whole || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const kind = rule.whole ? 'a whole number' : 'a number';
    const range =
      rule.above !== undefined
        ? `greater than ${rule.above}`
        : rule.min !== undefined && rule.max !== undefined
          ? `from ${rule.min} to ${rule.max}`
          : rule.min !== undefined
            ? `${rule.min} or more`
            : rule.max !== undefined
              ? `${rule.max} or less`
              : '';
    throw new ScenarioError(field, `must be ${kind}${range ? ` ${range}` : ''}, not ${describe(value)}`);
  }
  return value;
}

function service(field: string, raw: unknown): Service {
  if (!isObject(raw)) throw new ScenarioError(field, 'must be an object with a "distribution"');
  switch (raw.distribution) {
    case 'exponential':
      return { distribution: 'exponential', meanWeeks: number(`${field}.meanWeeks`, raw.meanWeeks, { above: 0 }) };
    case 'fixed':
      return { distribution: 'fixed', weeks: number(`${field}.weeks`, raw.weeks, { min: 0 }) };
    case 'lognormal':
      return {
        distribution: 'lognormal',
        meanWeeks: number(`${field}.meanWeeks`, raw.meanWeeks, { above: 0 }),
        sdWeeks: number(`${field}.sdWeeks`, raw.sdWeeks, { min: 0 }),
      };
    case 'empirical': {
      if (!Array.isArray(raw.weeks) || raw.weeks.length === 0) {
        throw new ScenarioError(`${field}.weeks`, 'must be a non-empty list of durations in weeks');
      }
      return {
        distribution: 'empirical',
        weeks: raw.weeks.map((w, i) => number(`${field}.weeks[${i}]`, w, { min: 0 })),
      };
    }
    case 'empiricalByAge': {
      if (!Array.isArray(raw.ageEdges) || raw.ageEdges.length === 0) {
        throw new ScenarioError(
          `${field}.ageEdges`,
          'must be a non-empty list of ages in weeks, each greater than the last',
        );
      }
      const ageEdges: number[] = [];
      for (const [i, a] of (raw.ageEdges as unknown[]).entries()) {
        ageEdges.push(number(`${field}.ageEdges[${i}]`, a, i === 0 ? { min: 0 } : { above: ageEdges[i - 1]! }));
      }
      if (!Array.isArray(raw.groups) || raw.groups.length !== ageEdges.length + 1) {
        throw new ScenarioError(
          `${field}.groups`,
          `must be ${ageEdges.length + 1} lists of durations, one more than the edges`,
        );
      }
      const groups = raw.groups.map((g: unknown, i: number) => {
        if (!Array.isArray(g) || g.length === 0) {
          throw new ScenarioError(`${field}.groups[${i}]`, 'must be a non-empty list of durations in weeks');
        }
        return g.map((w, k) => number(`${field}.groups[${i}][${k}]`, w, { min: 0 }));
      });
      return { distribution: 'empiricalByAge', ageEdges, groups };
    }
    default:
      throw new ScenarioError(
        `${field}.distribution`,
        `must be "exponential", "fixed", "lognormal", "empirical" or "empiricalByAge", not ${describe(raw.distribution)}`,
      );
  }
}

/** The mean of a service-time distribution, in weeks. */
export function meanOf(s: Service): number {
  switch (s.distribution) {
    case 'exponential':
    case 'lognormal':
      return s.meanWeeks;
    case 'fixed':
      return s.weeks;
    case 'empirical':
      return s.weeks.reduce((a, b) => a + b, 0) / s.weeks.length;
    case 'empiricalByAge': {
      const all = s.groups.flat();
      return all.reduce((a, b) => a + b, 0) / all.length;
    }
  }
}

/** Reads and checks a scenario; defaults: seed 1, 100 replications, no warm-up, a 20-week target, no backlog. */
export function parseScenario(raw: unknown): Scenario {
  if (!isObject(raw)) throw new ScenarioError('input', 'must be a JSON object with "arrivals" and "stages"');
  const seed = raw.seed === undefined ? 1 : number('seed', raw.seed, { whole: true, min: 0, max: 2 ** 32 - 1 });
  const replications =
    raw.replications === undefined
      ? 100
      : number('replications', raw.replications, { whole: true, min: 1, max: 100_000 });
  const warmupWeeks = raw.warmupWeeks === undefined ? 0 : number('warmupWeeks', raw.warmupWeeks, { min: 0 });
  const horizonWeeks = number('horizonWeeks', raw.horizonWeeks, { above: warmupWeeks });
  const targetWeeks =
    raw.targetWeeks === undefined ? FINAL_PLAN_WEEKS : number('targetWeeks', raw.targetWeeks, { above: 0 });

  if (!isObject(raw.arrivals)) throw new ScenarioError('arrivals', 'must be an object with "ratePerWeek"');
  const ratePerWeek = number('arrivals.ratePerWeek', raw.arrivals.ratePerWeek, { min: 0 });
  let weeklyFactors: number[] | null = null;
  if (raw.arrivals.weeklyFactors !== undefined && raw.arrivals.weeklyFactors !== null) {
    if (!Array.isArray(raw.arrivals.weeklyFactors) || raw.arrivals.weeklyFactors.length === 0) {
      throw new ScenarioError('arrivals.weeklyFactors', 'must be a non-empty list of multipliers');
    }
    weeklyFactors = raw.arrivals.weeklyFactors.map((f, i) => number(`arrivals.weeklyFactors[${i}]`, f, { min: 0 }));
    if (weeklyFactors.every((f) => f === 0)) {
      throw new ScenarioError('arrivals.weeklyFactors', 'must not all be 0');
    }
  }

  const logRateSd =
    raw.arrivals.logRateSd === undefined ? 0 : number('arrivals.logRateSd', raw.arrivals.logRateSd, { min: 0, max: 1 });
  const logGrowthSdPerYear =
    raw.arrivals.logGrowthSdPerYear === undefined
      ? 0
      : number('arrivals.logGrowthSdPerYear', raw.arrivals.logGrowthSdPerYear, { min: 0, max: 1 });

  if (!Array.isArray(raw.stages) || raw.stages.length === 0 || raw.stages.length > MAX_STAGES) {
    throw new ScenarioError('stages', `must be a list of 1 to ${MAX_STAGES} stages`);
  }
  const ids = new Set<string>();
  const stages: Stage[] = raw.stages.map((s, i) => {
    const field = `stages[${i}]`;
    if (!isObject(s)) throw new ScenarioError(field, 'must be an object');
    if (typeof s.id !== 'string' || s.id.trim() === '') throw new ScenarioError(`${field}.id`, 'must be a name');
    if (ids.has(s.id)) throw new ScenarioError(`${field}.id`, `"${s.id}" is used by an earlier stage`);
    ids.add(s.id);
    const servers =
      s.servers === null || s.servers === undefined
        ? null
        : number(`${field}.servers`, s.servers, { whole: true, min: 1 });
    const proceedProbability =
      s.proceedProbability === undefined
        ? 1
        : number(`${field}.proceedProbability`, s.proceedProbability, { min: 0, max: 1 });
    let capacityChanges: { atWeek: number; servers: number }[] = [];
    if (s.capacityChanges !== undefined) {
      if (!Array.isArray(s.capacityChanges)) {
        throw new ScenarioError(`${field}.capacityChanges`, 'must be a list of { "atWeek", "servers" }');
      }
      if (servers === null && s.capacityChanges.length > 0) {
        throw new ScenarioError(`${field}.capacityChanges`, 'a pure delay (servers null) has no capacity to change');
      }
      capacityChanges = s.capacityChanges.map((c, k) => {
        if (!isObject(c)) throw new ScenarioError(`${field}.capacityChanges[${k}]`, 'must be { "atWeek", "servers" }');
        return {
          atWeek: number(`${field}.capacityChanges[${k}].atWeek`, c.atWeek, { min: 0 }),
          servers: number(`${field}.capacityChanges[${k}].servers`, c.servers, { whole: true, min: 0 }),
        };
      });
      capacityChanges.sort((a, b) => a.atWeek - b.atWeek);
    }
    return { id: s.id, servers, service: service(`${field}.service`, s.service), proceedProbability, capacityChanges };
  });

  const backlog: { stage: number; ageWeeks: number; stageAgeWeeks: number }[] = [];
  if (raw.backlog !== undefined) {
    if (!Array.isArray(raw.backlog)) throw new ScenarioError('backlog', 'must be a list of { "stage", "ageWeeks" }');
    raw.backlog.forEach((b, i) => {
      if (!isObject(b)) throw new ScenarioError(`backlog[${i}]`, 'must be { "stage", "ageWeeks" }');
      const stage = stages.findIndex((s) => s.id === b.stage);
      if (stage < 0)
        throw new ScenarioError(`backlog[${i}].stage`, `must be the id of a stage, not ${describe(b.stage)}`);
      const ageWeeks = number(`backlog[${i}].ageWeeks`, b.ageWeeks, { min: 0 });
      const stageAgeWeeks =
        b.stageAgeWeeks === undefined
          ? 0
          : number(`backlog[${i}].stageAgeWeeks`, b.stageAgeWeeks, { min: 0, max: ageWeeks + 1e-9 });
      backlog.push({ stage, ageWeeks, stageAgeWeeks });
    });
  }

  const periods: number[] = [];
  if (raw.periods !== undefined) {
    if (!Array.isArray(raw.periods) || raw.periods.length < 2) {
      throw new ScenarioError('periods', 'must be a list of at least 2 boundaries in weeks');
    }
    for (const [i, p] of (raw.periods as unknown[]).entries()) {
      periods.push(number(`periods[${i}]`, p, i === 0 ? { min: 0 } : { above: periods[i - 1]! }));
    }
  }

  let ageBands: number[] = [...DEFAULT_AGE_BANDS];
  if (raw.ageBands !== undefined) {
    if (!Array.isArray(raw.ageBands) || raw.ageBands.length === 0 || raw.ageBands.length > 8) {
      throw new ScenarioError('ageBands', 'must be a list of 1 to 8 ages in weeks, each greater than the last');
    }
    ageBands = [];
    for (const [i, a] of (raw.ageBands as unknown[]).entries()) {
      ageBands.push(number(`ageBands[${i}]`, a, { above: i === 0 ? 0 : ageBands[i - 1]! }));
    }
  }

  const peakFactor = weeklyFactors ? Math.max(...weeklyFactors) : 1;
  if (ratePerWeek * peakFactor * horizonWeeks * 1.2 + backlog.length > MAX_CASES) {
    throw new ScenarioError(
      'arrivals.ratePerWeek',
      `too many cases for one replication (at most ${MAX_CASES.toLocaleString('en-GB')}): use a shorter horizon`,
    );
  }
  const work = replications * (ratePerWeek * horizonWeeks + backlog.length) * stages.length;
  if (work > MAX_WORK) {
    throw new ScenarioError(
      'replications',
      `the run is too large (${Math.round(work).toLocaleString('en-GB')} case-stages; at most ${MAX_WORK.toLocaleString('en-GB')}): use fewer replications or a shorter horizon`,
    );
  }
  return {
    seed,
    replications,
    warmupWeeks,
    horizonWeeks,
    targetWeeks,
    arrivals: { ratePerWeek, weeklyFactors, logRateSd, logGrowthSdPerYear },
    stages,
    backlog,
    periods,
    ageBands,
  };
}

/**
 * Each stage's load in the long run: its arrivals (those that reach it) times the mean service time, over its final
 * number of servers. At or above 1 the queue grows without bound; the simulation still runs (to its horizon) and says so.
 */
export function stageLoads(s: Scenario): { id: string; arrivalsPerWeek: number; load: number | null }[] {
  const meanFactor = s.arrivals.weeklyFactors
    ? s.arrivals.weeklyFactors.reduce((a, b) => a + b, 0) / s.arrivals.weeklyFactors.length
    : 1;
  let rate = s.arrivals.ratePerWeek * meanFactor;
  return s.stages.map((stage) => {
    const servers = stage.capacityChanges.length
      ? stage.capacityChanges[stage.capacityChanges.length - 1]!.servers
      : stage.servers;
    const arrivalsPerWeek = rate;
    rate *= stage.proceedProbability;
    if (servers === null) return { id: stage.id, arrivalsPerWeek, load: null };
    const demand = arrivalsPerWeek * meanOf(stage.service);
    return { id: stage.id, arrivalsPerWeek, load: servers === 0 ? (demand > 0 ? Infinity : 0) : demand / servers };
  });
}
