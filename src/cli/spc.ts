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
import { readJsonInput } from './input.js';

const DIRECTIONS: readonly ImprovementDirection[] = ['increase', 'decrease', 'neutral'];
const TWO_OF_THREE = ['mdc2023', 'plotthedots'] as const;

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function wholeNumber(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new UserFacingError(`options.${name}: must be a whole number, ${min} or more, not ${describe(value)}`);
  }
  return value;
}

/** The options object: every key known, every value of its kind. */
function parseOptions(raw: unknown, points: number): Partial<SpcOptions> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UserFacingError('options: must be a JSON object');
  const options: Partial<SpcOptions> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key) {
      case 'screenOutliers':
        if (typeof value !== 'boolean') throw new UserFacingError(`options.screenOutliers: must be true or false`);
        options.screenOutliers = value;
        break;
      case 'baselinePoints':
        options.baselinePoints = value === null ? null : wholeNumber(key, value, 2);
        break;
      case 'shiftLength':
      case 'trendLength':
        options[key] = wholeNumber(key, value, 2);
        break;
      case 'twoOfThree':
        if (!TWO_OF_THREE.includes(value as (typeof TWO_OF_THREE)[number])) {
          throw new UserFacingError(`options.twoOfThree: must be "mdc2023" or "plotthedots", not ${describe(value)}`);
        }
        options.twoOfThree = value as (typeof TWO_OF_THREE)[number];
        break;
      case 'rebaseAt':
        if (!Array.isArray(value)) throw new UserFacingError('options.rebaseAt: must be a list of point indexes');
        options.rebaseAt = value.map((v, i) => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v >= points) {
            throw new UserFacingError(
              `options.rebaseAt[${i}]: must be the index of a point after the first (1 to ${points - 1}), not ${describe(v)}`,
            );
          }
          return v;
        });
        break;
      default:
        throw new UserFacingError(
          `options.${key}: unknown option (known: ${[...Object.keys(DEFAULT_SPC_OPTIONS)].join(', ')})`,
        );
    }
  }
  return options;
}

export async function spcCommand(opts: { input?: string | undefined }) {
  const doc = await readJsonInput(opts.input);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UserFacingError('input: must be a JSON object with "values" and "improvementDirection"');
  }
  const { values, improvementDirection, target, options } = doc as Record<string, unknown>;
  if (!Array.isArray(values)) throw new UserFacingError('values: must be a list of numbers (null for a gap)');
  values.forEach((v, i) => {
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new UserFacingError(`values[${i}]: must be a number or null (a gap), not ${describe(v)}`);
    }
  });
  const present = values.filter((v) => v !== null).length;
  if (present < 2) throw new UserFacingError(`values: need at least 2 numbers, not ${present}`);
  if (!DIRECTIONS.includes(improvementDirection as ImprovementDirection)) {
    throw new UserFacingError(
      `improvementDirection: must be "increase", "decrease" or "neutral", not ${describe(improvementDirection)}`,
    );
  }
  if (target !== undefined && target !== null && (typeof target !== 'number' || !Number.isFinite(target))) {
    throw new UserFacingError(`target: must be a number or null, not ${describe(target)}`);
  }
  let result;
  try {
    result = analyseSeries(
      values as (number | null)[],
      improvementDirection as ImprovementDirection,
      target ?? null,
      parseOptions(options, values.length),
    );
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
