/**
 * NHS England "Making Data Count" statistical process control: the XmR (individuals and moving range) chart, its
 * special-cause rules and its variation and assurance icons, as set out in shared/reference/spc-method.md.
 *
 * A series is a list of monthly values, with null for a month that has no value (a gap, not a zero). It may be cut
 * into groups ("rebased" at a point, with a reason); each group has its own mean and limits, worked out from its first
 * `baselinePoints` values when that is set ("fix after N points") and from all its values otherwise.
 */

export type ImprovementDirection = 'increase' | 'decrease' | 'neutral';

/**
 * Which points count towards "two of three beyond 2 sigma": `mdc2023` (Making Data Count, November 2023) counts every
 * point beyond the 2-sigma line, including those beyond 3 sigma; `plotthedots` (the older NHSRplotthedots rule) counts
 * only points between the 2-sigma and 3-sigma lines.
 */
export type TwoOfThreeVariant = 'mdc2023' | 'plotthedots';

export interface SpcOptions {
  /** Screen moving ranges (Nelson): drop those at or above 3.267 x AMR and work out the AMR once more. MDC: off. */
  screenOutliers: boolean;
  /** Work out each group's limits from its first N values and project them forward; null: from all its values. */
  baselinePoints: number | null;
  /** Points in a run on one side of the mean that make a shift. */
  shiftLength: number;
  /** Points in a run each strictly above (or below) the one before that make a trend. */
  trendLength: number;
  twoOfThree: TwoOfThreeVariant;
  /** Indexes of the points that start a new group (a rebase). */
  rebaseAt: number[];
}

export const DEFAULT_SPC_OPTIONS: SpcOptions = {
  screenOutliers: false,
  baselinePoints: null,
  shiftLength: 7,
  trendLength: 7,
  twoOfThree: 'mdc2023',
  rebaseAt: [],
};

/** XmR scaling: 3 / d2 with d2 = 1.128 for moving ranges of two points. */
export const LIMIT_FACTOR = 2.66;
/** Nelson's screening limit for moving ranges: D4 = 3.267. */
export const SCREENING_FACTOR = 3.267;
/** Fewer baseline values than this and the limits are "trial" limits (spc-method.md). */
export const TRIAL_BELOW_POINTS = 12;

export type SpcRule = 'outside_limits' | 'shift' | 'trend' | 'two_of_three';
/** Precedence when rules disagree about a point (spc-method.md): the first that flags it decides its type. */
export const RULE_PRECEDENCE: readonly SpcRule[] = ['outside_limits', 'trend', 'two_of_three', 'shift'];

export type PointType =
  'common_cause' | 'special_cause_improvement' | 'special_cause_concern' | 'special_cause_neutral';

/** The variation icon: the latest point's type, with the side it is on when it is special cause. */
export type VariationIcon =
  | 'common_cause'
  | 'improvement_high'
  | 'improvement_low'
  | 'concern_high'
  | 'concern_low'
  | 'neutral_high'
  | 'neutral_low'
  | 'no_variation';

export type Assurance = 'consistent_pass' | 'consistent_fail' | 'inconsistent';

export interface GroupLimits {
  /** Index of the group's first point. */
  start: number;
  /** Index after the group's last point. */
  end: number;
  /** Values the limits were worked out from. */
  baselineCount: number;
  mean: number | null;
  /** Average moving range (after screening, when that is on); null when there is no pair of adjacent values. */
  amr: number | null;
  lpl: number | null;
  upl: number | null;
  nearLpl: number | null;
  nearUpl: number | null;
  /** Fewer than TRIAL_BELOW_POINTS baseline values. */
  trial: boolean;
  /** Every baseline value is the same (AMR 0): no limits to judge points by, and no point is called special. */
  noVariation: boolean;
}

export interface SpcPoint {
  index: number;
  value: number | null;
  group: number;
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  nearLpl: number | null;
  nearUpl: number | null;
  pointType: PointType;
  /** Every rule that flags the point, in precedence order. */
  rules: SpcRule[];
  /** The side the deciding rule puts the point on; null for common cause. */
  side: 'high' | 'low' | null;
}

export interface SpcResult {
  points: SpcPoint[];
  groups: GroupLimits[];
  /** Of the last group. */
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  nearLpl: number | null;
  nearUpl: number | null;
  /** The type of the last point with a value. */
  variation: PointType;
  variationIcon: VariationIcon;
  /** Null without a target or with a neutral direction (or when the last group has no limits). */
  assurance: Assurance | null;
}

export class SpcInputError extends Error {}

function average(xs: number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Moving ranges between neighbouring values inside [start, end); a gap (null) breaks the pair. */
function movingRanges(values: (number | null)[], start: number, end: number): number[] {
  const ranges: number[] = [];
  for (let i = start + 1; i < end; i++) {
    const a = values[i - 1];
    const b = values[i];
    if (a !== null && a !== undefined && b !== null && b !== undefined) ranges.push(Math.abs(b - a));
  }
  return ranges;
}

function groupLimits(values: (number | null)[], start: number, end: number, options: SpcOptions): GroupLimits {
  // The baseline: the group's first `baselinePoints` values (gaps do not count), or all of them.
  let baselineEnd = end;
  let baselineCount = 0;
  for (let i = start; i < end; i++) {
    if (values[i] === null) continue;
    baselineCount++;
    if (options.baselinePoints !== null && baselineCount === options.baselinePoints) {
      baselineEnd = i + 1;
      break;
    }
  }
  const baseline = values.slice(start, baselineEnd).filter((v): v is number => v !== null);
  const none = { lpl: null, upl: null, nearLpl: null, nearUpl: null };
  if (baseline.length === 0) {
    return { start, end, baselineCount: 0, mean: null, amr: null, ...none, trial: true, noVariation: false };
  }
  const mean = average(baseline);
  let ranges = movingRanges(values, start, baselineEnd);
  const trial = baseline.length < TRIAL_BELOW_POINTS;
  if (ranges.length === 0) {
    return { start, end, baselineCount: baseline.length, mean, amr: null, ...none, trial, noVariation: false };
  }
  let amr = average(ranges);
  if (options.screenOutliers && amr > 0) {
    const limit = SCREENING_FACTOR * amr;
    const kept = ranges.filter((r) => r < limit);
    if (kept.length > 0 && kept.length < ranges.length) {
      ranges = kept;
      amr = average(ranges);
    }
  }
  const half = LIMIT_FACTOR * amr;
  const nearHalf = (2 / 3) * half;
  return {
    start,
    end,
    baselineCount: baseline.length,
    mean,
    amr,
    lpl: mean - half,
    upl: mean + half,
    nearLpl: mean - nearHalf,
    nearUpl: mean + nearHalf,
    trial,
    noVariation: amr === 0,
  };
}

/** Runs of consecutive values (no gap) inside one group: the unit the run rules look along. */
function runs(values: (number | null)[], groups: GroupLimits[]): number[][] {
  const out: number[][] = [];
  for (const g of groups) {
    let current: number[] = [];
    for (let i = g.start; i < g.end; i++) {
      if (values[i] === null) {
        if (current.length > 0) out.push(current);
        current = [];
      } else current.push(i);
    }
    if (current.length > 0) out.push(current);
  }
  return out;
}

type Side = 'high' | 'low';

function validate(values: readonly (number | null)[], options: SpcOptions): void {
  values.forEach((v, i) => {
    if (v !== null && !Number.isFinite(v)) throw new SpcInputError(`values[${i}]: must be a number`);
  });
  if (values.filter((v) => v !== null).length < 2) throw new SpcInputError('values: need at least 2 points');
  for (const [name, min] of [
    ['shiftLength', 2],
    ['trendLength', 2],
  ] as const) {
    const n = options[name];
    if (!Number.isInteger(n) || n < min)
      throw new SpcInputError(`options.${name}: must be a whole number, ${min} or more`);
  }
  if (options.baselinePoints !== null && (!Number.isInteger(options.baselinePoints) || options.baselinePoints < 2)) {
    throw new SpcInputError('options.baselinePoints: must be a whole number, 2 or more, or null');
  }
  for (const r of options.rebaseAt) {
    if (!Number.isInteger(r) || r <= 0 || r >= values.length) {
      throw new SpcInputError(`options.rebaseAt: ${r} is not the index of a point after the first`);
    }
  }
}

/**
 * The XmR analysis of one series. `target` is optional; with a neutral direction there is no assurance and special
 * causes are "neutral".
 */
export function analyseSeries(
  values: readonly (number | null)[],
  direction: ImprovementDirection,
  target: number | null = null,
  partialOptions: Partial<SpcOptions> = {},
): SpcResult {
  const options: SpcOptions = { ...DEFAULT_SPC_OPTIONS, ...partialOptions };
  validate(values, options);
  const series = [...values];
  const starts = [...new Set([0, ...options.rebaseAt])].sort((a, b) => a - b);
  const groups = starts.map((start, g) => groupLimits(series, start, starts[g + 1] ?? series.length, options));
  const groupOf = new Array<number>(series.length);
  groups.forEach((g, gi) => {
    for (let i = g.start; i < g.end; i++) groupOf[i] = gi;
  });

  // Each rule's verdict on each point, with the side it puts the point on.
  const flags: Map<SpcRule, Side>[] = series.map(() => new Map<SpcRule, Side>());
  const limitsUsable = (g: GroupLimits) => g.upl !== null && !g.noVariation;

  series.forEach((v, i) => {
    const g = groups[groupOf[i]!]!;
    if (v === null || !limitsUsable(g)) return;
    if (v > g.upl!) flags[i]!.set('outside_limits', 'high');
    else if (v < g.lpl!) flags[i]!.set('outside_limits', 'low');
  });

  for (const run of runs(series, groups)) {
    const g = groups[groupOf[run[0]!]!]!;
    const value = (i: number) => series[i]!;
    // Shift: shiftLength or more in a row on one side of the mean; a point on the mean breaks the run.
    if (g.mean !== null && !g.noVariation) {
      const mean = g.mean;
      const sideOf = (j: number) => Math.sign(value(run[j]!) - mean);
      let from = 0;
      for (let k = 1; k <= run.length; k++) {
        const side = sideOf(from);
        if (k < run.length && side !== 0 && sideOf(k) === side) continue;
        if (side !== 0 && k - from >= options.shiftLength) {
          for (let j = from; j < k; j++) flags[run[j]!]!.set('shift', side > 0 ? 'high' : 'low');
        }
        from = k;
      }
    }
    // Trend: trendLength or more in a row, each strictly above (or below) the one before; a tie breaks it.
    for (const dir of [1, -1] as const) {
      let from = 0;
      for (let k = 1; k <= run.length; k++) {
        if (k < run.length && (value(run[k]!) - value(run[k - 1]!)) * dir > 0) continue;
        if (k - from >= options.trendLength) {
          for (let j = from; j < k; j++) flags[run[j]!]!.set('trend', dir > 0 ? 'high' : 'low');
        }
        from = k;
      }
    }
    // Two of three: in any three in a row, two or more beyond the same 2-sigma line with all three on that side of
    // the mean; only the points beyond 2 sigma are flagged.
    if (limitsUsable(g)) {
      const beyond = (i: number, side: Side) => {
        const x = value(i);
        const past = side === 'high' ? x > g.nearUpl! : x < g.nearLpl!;
        if (!past) return false;
        if (options.twoOfThree === 'mdc2023') return true;
        return side === 'high' ? x <= g.upl! : x >= g.lpl!;
      };
      for (let k = 0; k + 2 < run.length; k++) {
        const window = [run[k]!, run[k + 1]!, run[k + 2]!];
        for (const side of ['high', 'low'] as const) {
          const sameSide = window.every((i) => (side === 'high' ? value(i) > g.mean! : value(i) < g.mean!));
          const past = window.filter((i) => beyond(i, side));
          if (sameSide && past.length >= 2) for (const i of past) flags[i]!.set('two_of_three', side);
        }
      }
    }
  }

  const points: SpcPoint[] = series.map((value, index) => {
    const group = groupOf[index]!;
    const g = groups[group]!;
    const rules = RULE_PRECEDENCE.filter((r) => flags[index]!.has(r));
    const deciding = rules[0];
    const side = deciding ? flags[index]!.get(deciding)! : null;
    let pointType: PointType = 'common_cause';
    if (side) {
      if (direction === 'neutral') pointType = 'special_cause_neutral';
      else {
        const good = (direction === 'increase') === (side === 'high');
        pointType = good ? 'special_cause_improvement' : 'special_cause_concern';
      }
    }
    return {
      index,
      value,
      group,
      mean: g.mean,
      lpl: g.lpl,
      upl: g.upl,
      nearLpl: g.nearLpl,
      nearUpl: g.nearUpl,
      pointType,
      rules,
      side,
    };
  });

  const last = groups[groups.length - 1]!;
  const lastPoint = [...points].reverse().find((p) => p.value !== null)!;
  const lastGroup = groups[lastPoint.group]!;
  let variationIcon: VariationIcon;
  if (lastPoint.side) {
    const kind =
      lastPoint.pointType === 'special_cause_improvement'
        ? 'improvement'
        : lastPoint.pointType === 'special_cause_concern'
          ? 'concern'
          : 'neutral';
    variationIcon = `${kind}_${lastPoint.side}` as VariationIcon;
  } else variationIcon = lastGroup.noVariation ? 'no_variation' : 'common_cause';

  return {
    points,
    groups,
    mean: last.mean,
    lpl: last.lpl,
    upl: last.upl,
    nearLpl: last.nearLpl,
    nearUpl: last.nearUpl,
    variation: lastPoint.pointType,
    variationIcon,
    assurance: assuranceOf(last, direction, target),
  };
}

/**
 * The assurance icon from the latest group's process limits: can the process be relied on to meet the target?
 * A target exactly on a limit is "inconsistent" (strict inequalities, spc-method.md).
 */
export function assuranceOf(
  limits: Pick<GroupLimits, 'lpl' | 'upl'>,
  direction: ImprovementDirection,
  target: number | null,
): Assurance | null {
  if (target === null || direction === 'neutral' || limits.lpl === null || limits.upl === null) return null;
  const higherIsBetter = direction === 'increase';
  if (target > limits.upl) return higherIsBetter ? 'consistent_fail' : 'consistent_pass';
  if (target < limits.lpl) return higherIsBetter ? 'consistent_pass' : 'consistent_fail';
  return 'inconsistent';
}
