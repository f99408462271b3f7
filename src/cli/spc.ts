/**
 * `openehcp spc`: Making Data Count XmR analysis of one series (contracts/cli.md).
 */
import {
  analyseSeries,
  DEFAULT_SPC_OPTIONS,
  SpcInputError,
  type ImprovementDirection,
  type SpcOptions,
} from '../domain/spc/xmr.js';
import { UserFacingError } from '../errors.js';
import { checkInput, describeValue, readJsonInput } from './input.js';
import { z } from 'zod';

const DIRECTIONS = ['increase', 'decrease', 'neutral'] as const satisfies readonly ImprovementDirection[];
const TWO_OF_THREE = ['mdc2023', 'plotthedots'] as const;

const wholeNumber = (min: number) =>
  z.int({ error: (issue) => `must be a whole number, ${min} or more, not ${describeValue(issue.input)}` }).min(min, {
    error: (issue) => `must be a whole number, ${min} or more, not ${describeValue(issue.input)}`,
  });

const rebaseMessage = (points: number, value: unknown) =>
  `must be the index of a point after the first (1 to ${points - 1}), not ${describeValue(value)}`;

/** The options given, without those left out (analyseSeries takes its defaults for them). */
function withoutUnset(options: Record<string, unknown>): Partial<SpcOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/** The options object: every key known, every value of its kind; rebaseAt indexes a point of the `points`. */
function optionsSchema(points: number) {
  return z.strictObject(
    {
      screenOutliers: z.boolean({ error: 'must be true or false' }).optional(),
      baselinePoints: wholeNumber(2).nullable().optional(),
      shiftLength: wholeNumber(2).optional(),
      trendLength: wholeNumber(2).optional(),
      twoOfThree: z
        .enum(TWO_OF_THREE, {
          error: (issue) => `must be "mdc2023" or "plotthedots", not ${describeValue(issue.input)}`,
        })
        .optional(),
      rebaseAt: z
        .array(
          z
            .int({ error: (issue) => rebaseMessage(points, issue.input) })
            .min(1, { error: (issue) => rebaseMessage(points, issue.input) })
            .max(points - 1, { error: (issue) => rebaseMessage(points, issue.input) }),
          { error: 'must be a list of point indexes' },
        )
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown option (known: ${Object.keys(DEFAULT_SPC_OPTIONS).join(', ')})`
          : 'must be a JSON object',
    },
  );
}

/** The document `openehcp spc` reads (contracts/cli.md). */
function spcInput(points: number) {
  return z.object(
    {
      values: z
        .array(
          z
            .number({ error: (issue) => `must be a number or null (a gap), not ${describeValue(issue.input)}` })
            .nullable(),
          { error: 'must be a list of numbers (null for a gap)' },
        )
        .refine((values) => values.filter((v) => v !== null).length >= 2, {
          error: (issue) =>
            `need at least 2 numbers, not ${(issue.input as unknown[]).filter((v) => v !== null).length}`,
        }),
      improvementDirection: z.enum(DIRECTIONS, {
        error: (issue) => `must be "increase", "decrease" or "neutral", not ${describeValue(issue.input)}`,
      }),
      target: z.number({ error: (issue) => `must be a number or null, not ${describeValue(issue.input)}` }).nullish(),
      options: optionsSchema(points).nullish(),
    },
    { error: 'must be a JSON object with "values" and "improvementDirection"' },
  );
}

export async function spcCommand(opts: { input?: string | undefined }) {
  const doc = await readJsonInput(opts.input);
  const points = Array.isArray((doc as { values?: unknown } | null)?.values)
    ? (doc as { values: unknown[] }).values.length
    : 0;
  const { values, improvementDirection, target, options } = checkInput(spcInput(points), doc);
  let result;
  try {
    result = analyseSeries(values, improvementDirection, target ?? null, withoutUnset(options ?? {}));
  } catch (err) {
    if (err instanceof SpcInputError) throw new UserFacingError(err.message);
    throw err;
  }
  const last = result.groups[result.groups.length - 1]!;
  return {
    mean: result.mean,
    lpl: result.lpl,
    upl: result.upl,
    nearLpl: result.nearLpl,
    nearUpl: result.nearUpl,
    // A gap (null) is a month with no point (spc-method.md: a gap, not a zero); `index` places each point in the input.
    points: result.points.flatMap((p) =>
      p.value === null
        ? []
        : [
            {
              index: p.index,
              value: p.value,
              mean: p.mean,
              lpl: p.lpl,
              upl: p.upl,
              nearLpl: p.nearLpl,
              nearUpl: p.nearUpl,
              pointType: p.pointType,
              rules: p.rules,
              group: p.group,
            },
          ],
    ),
    variation: result.variation,
    assurance: result.assurance,
    // Beyond the contract: the icon with its side, whether the limits are trial limits, and each group's limits.
    variationIcon: result.variationIcon,
    trialLimits: last.trial,
    noVariation: last.noVariation,
    groups: result.groups.map((g) => ({
      start: g.start,
      end: g.end,
      baselineCount: g.baselineCount,
      mean: g.mean,
      amr: g.amr,
      lpl: g.lpl,
      upl: g.upl,
      trial: g.trial,
    })),
  };
}
