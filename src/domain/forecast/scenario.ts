/**
 * A scenario of the EHC pipeline for the simulator (shared/reference/forecasting.md): arrivals, stages with capacity
 * or pure delay, service-time distributions, proceed probabilities, an initial backlog and capacity changes over time.
 * `parseScenario` reads one from JSON (the `openehcp forecast` contract in shared/contracts/cli.md) and refuses an
 * impossible one with a message naming the field at fault.
 */
import { z } from 'zod';
import { firstIssue, pathText } from '../schemaIssues.js';
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

interface NumberRule {
  min?: number;
  above?: number;
  max?: number;
  whole?: boolean;
}

/** "must be a whole number from 1 to 100000, not 0": what a number field must be, and what it was. */
function numberMessage(rule: NumberRule) {
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
  return (issue: { input: unknown }) => `must be ${kind}${range ? ` ${range}` : ''}, not ${describe(issue.input)}`;
}

/** A finite number (zod's numbers refuse Infinity and NaN) within the rule, with the rule's one message. */
function num(rule: NumberRule) {
  const error = numberMessage(rule);
  let schema = z.number({ error });
  // Any whole number (not only the safe integers z.int() allows): a million servers is a scenario, not an error.
  if (rule.whole) schema = schema.refine(Number.isInteger, { error });
  if (rule.min !== undefined) schema = schema.min(rule.min, { error });
  if (rule.above !== undefined) schema = schema.gt(rule.above, { error });
  if (rule.max !== undefined) schema = schema.max(rule.max, { error });
  return schema;
}

/**
 * Checks `value` against a schema made for it (one that depends on other values of the document) and adds its first
 * issue, if any, at `path`. Returns whether it passed.
 */
function checkWith(schema: z.ZodType, value: unknown, ctx: z.RefinementCtx, path: PropertyKey[]): boolean {
  const result = schema.safeParse(value);
  if (result.success) return true;
  const { path: inner, message } = firstIssue(result.error);
  ctx.addIssue({ code: 'custom', path: [...path, ...inner], message });
  return false;
}

/** A list of numbers, the first within `first`, each after it greater than the one before (named if it is not). */
function increasing(first: NumberRule, message: string, lengths: { min: number; max?: number }) {
  let list = z.array(z.unknown(), { error: message }).min(lengths.min, { error: message });
  if (lengths.max !== undefined) list = list.max(lengths.max, { error: message });
  return list
    .superRefine((values, ctx) => {
      values.every((v, i) => checkWith(num(i === 0 ? first : { above: values[i - 1] as number }), v, ctx, [i]));
    })
    .transform((values) => values as number[]);
}

const durations = (message: string) => z.array(num({ min: 0 }), { error: message }).min(1, { error: message });

const DISTRIBUTIONS = '"exponential", "fixed", "lognormal", "empirical" or "empiricalByAge"';

const serviceSchema = z.discriminatedUnion(
  'distribution',
  [
    z.object({ distribution: z.literal('exponential'), meanWeeks: num({ above: 0 }) }),
    z.object({ distribution: z.literal('fixed'), weeks: num({ min: 0 }) }),
    z.object({ distribution: z.literal('lognormal'), meanWeeks: num({ above: 0 }), sdWeeks: num({ min: 0 }) }),
    z.object({
      distribution: z.literal('empirical'),
      weeks: durations('must be a non-empty list of durations in weeks'),
    }),
    z
      .object({
        distribution: z.literal('empiricalByAge'),
        ageEdges: increasing({ min: 0 }, 'must be a non-empty list of ages in weeks, each greater than the last', {
          min: 1,
        }),
        groups: z.unknown().optional(),
      })
      .superRefine((s, ctx) => {
        // How many groups depends on the edges: one more. The count is checked before what is in each group.
        const count = s.ageEdges.length + 1;
        const message = `must be ${count} lists of durations, one more than the edges`;
        if (
          checkWith(z.array(z.unknown(), { error: message }).length(count, { error: message }), s.groups, ctx, [
            'groups',
          ])
        ) {
          checkWith(z.array(durations('must be a non-empty list of durations in weeks')), s.groups, ctx, ['groups']);
        }
      })
      .transform((s) => ({ ...s, groups: s.groups as number[][] })),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be ${DISTRIBUTIONS}, not ${describe((issue.input as { distribution?: unknown }).distribution)}`
        : 'must be an object with a "distribution"',
  },
);

const stageSchema = z
  .object(
    {
      id: z.string({ error: 'must be a name' }).refine((id) => id.trim() !== '', 'must be a name'),
      servers: num({ whole: true, min: 1 }).nullish(),
      proceedProbability: num({ min: 0, max: 1 }).default(1),
      capacityChanges: z
        .array(
          z.object(
            { atWeek: num({ min: 0 }), servers: num({ whole: true, min: 0 }) },
            { error: 'must be { "atWeek", "servers" }' },
          ),
          { error: 'must be a list of { "atWeek", "servers" }' },
        )
        .default([]),
      service: serviceSchema,
    },
    { error: 'must be an object' },
  )
  .superRefine((s, ctx) => {
    if (s.servers == null && s.capacityChanges.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['capacityChanges'],
        message: 'a pure delay (servers null) has no capacity to change',
      });
    }
  })
  .transform((s): Stage => ({
    id: s.id,
    servers: s.servers ?? null,
    service: s.service,
    proceedProbability: s.proceedProbability,
    capacityChanges: [...s.capacityChanges].sort((a, b) => a.atWeek - b.atWeek),
  }));

const BACKLOG_ITEM = 'must be { "stage", "ageWeeks" }';

const scenarioSchema = z
  .object(
    {
      seed: num({ whole: true, min: 0, max: 2 ** 32 - 1 }).default(1),
      replications: num({ whole: true, min: 1, max: 100_000 }).default(100),
      warmupWeeks: num({ min: 0 }).default(0),
      horizonWeeks: num({ above: 0 }),
      targetWeeks: num({ above: 0 }).default(FINAL_PLAN_WEEKS),
      arrivals: z.object(
        {
          ratePerWeek: num({ min: 0 }),
          weeklyFactors: z
            .array(num({ min: 0 }), { error: 'must be a non-empty list of multipliers' })
            .min(1, { error: 'must be a non-empty list of multipliers' })
            .refine((factors) => factors.some((f) => f !== 0), 'must not all be 0')
            .nullish(),
          logRateSd: num({ min: 0, max: 1 }).default(0),
          logGrowthSdPerYear: num({ min: 0, max: 1 }).default(0),
        },
        { error: 'must be an object with "ratePerWeek"' },
      ),
      stages: z
        .array(stageSchema, { error: `must be a list of 1 to ${MAX_STAGES} stages` })
        .min(1, { error: `must be a list of 1 to ${MAX_STAGES} stages` })
        .max(MAX_STAGES, { error: `must be a list of 1 to ${MAX_STAGES} stages` })
        .superRefine((stages, ctx) => {
          const at = stages.findIndex((s, i) => stages.findIndex((t) => t.id === s.id) < i);
          if (at >= 0) {
            ctx.addIssue({
              code: 'custom',
              path: [at, 'id'],
              message: `"${stages[at]!.id}" is used by an earlier stage`,
            });
          }
        }),
      backlog: z
        .array(
          z
            .object(
              { stage: z.unknown().optional(), ageWeeks: num({ min: 0 }), stageAgeWeeks: z.unknown().default(0) },
              { error: BACKLOG_ITEM },
            )
            .superRefine((b, ctx) => {
              // Time at its stage is part of the case's age.
              checkWith(num({ min: 0, max: b.ageWeeks + 1e-9 }), b.stageAgeWeeks, ctx, ['stageAgeWeeks']);
            })
            .transform((b) => ({ ...b, stageAgeWeeks: b.stageAgeWeeks as number })),
          { error: 'must be a list of { "stage", "ageWeeks" }' },
        )
        .default([]),
      periods: increasing({ min: 0 }, 'must be a list of at least 2 boundaries in weeks', { min: 2 }).default([]),
      ageBands: increasing({ above: 0 }, 'must be a list of 1 to 8 ages in weeks, each greater than the last', {
        min: 1,
        max: 8,
      }).default([...DEFAULT_AGE_BANDS]),
    },
    { error: 'must be a JSON object with "arrivals" and "stages"' },
  )
  .superRefine((raw, ctx) => {
    if (raw.horizonWeeks <= raw.warmupWeeks) {
      ctx.addIssue({
        code: 'custom',
        path: ['horizonWeeks'],
        message: numberMessage({ above: raw.warmupWeeks })({ input: raw.horizonWeeks }),
      });
    }
    raw.backlog.forEach((b, i) => {
      if (!raw.stages.some((s) => s.id === b.stage)) {
        ctx.addIssue({
          code: 'custom',
          path: ['backlog', i, 'stage'],
          message: `must be the id of a stage, not ${describe(b.stage)}`,
        });
      }
    });
    const peakFactor = raw.arrivals.weeklyFactors ? Math.max(...raw.arrivals.weeklyFactors) : 1;
    if (raw.arrivals.ratePerWeek * peakFactor * raw.horizonWeeks * 1.2 + raw.backlog.length > MAX_CASES) {
      ctx.addIssue({
        code: 'custom',
        path: ['arrivals', 'ratePerWeek'],
        message: `too many cases for one replication (at most ${MAX_CASES.toLocaleString('en-GB')}): use a shorter horizon`,
      });
    }
    const work =
      raw.replications * (raw.arrivals.ratePerWeek * raw.horizonWeeks + raw.backlog.length) * raw.stages.length;
    if (work > MAX_WORK) {
      ctx.addIssue({
        code: 'custom',
        path: ['replications'],
        message: `the run is too large (${Math.round(work).toLocaleString('en-GB')} case-stages; at most ${MAX_WORK.toLocaleString('en-GB')}): use fewer replications or a shorter horizon`,
      });
    }
  });

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

/**
 * Reads and checks a scenario against its schema; defaults: seed 1, 100 replications, no warm-up, a 20-week target, no
 * backlog. Throws ScenarioError naming the first field at fault.
 */
export function parseScenario(raw: unknown): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    const { path, message } = firstIssue(result.error);
    throw new ScenarioError(pathText(path) || 'input', message);
  }
  const { seed, replications, warmupWeeks, horizonWeeks, targetWeeks, arrivals, stages, backlog, periods, ageBands } =
    result.data;
  return {
    seed,
    replications,
    warmupWeeks,
    horizonWeeks,
    targetWeeks,
    arrivals: {
      ratePerWeek: arrivals.ratePerWeek,
      weeklyFactors: arrivals.weeklyFactors ?? null,
      logRateSd: arrivals.logRateSd,
      logGrowthSdPerYear: arrivals.logGrowthSdPerYear,
    },
    stages,
    backlog: backlog.map((b) => ({
      stage: stages.findIndex((s) => s.id === b.stage),
      ageWeeks: b.ageWeeks,
      stageAgeWeeks: b.stageAgeWeeks,
    })),
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
