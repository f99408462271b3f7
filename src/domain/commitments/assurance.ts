/**
 * Assurance for one commitment: is it on its way to its target? Three views of the same monthly series, as the NHS
 * "Making Data Count" method reads a metric against a target (shared/reference/spc-method.md):
 *
 * - variation: the XmR chart of the series, and the special-cause signal of the latest month (domain/spc/xmr.ts);
 * - assurance: whether the process limits lie wholly on the right side of the target (consistently passes), wholly on
 *   the wrong side (consistently fails), or straddle it (hit and miss);
 * - trajectory: the commitment's own promised path, a straight line from the baseline through each milestone to the
 *   target, against which each milestone month and the latest month are judged met or missed.
 *
 * Which side is right is the commitment's polarity: for "increase", at or above the line; for "decrease", at or below.
 *
 * The status says both in one: the trajectory answers "is the latest month where we promised to be by now?", the
 * assurance "will the process, as it runs, meet the target?". A latest month on the trajectory while the process limits
 * all lie on the wrong side of the target (consistently fails) is not "on track": the promised path reaches the target
 * only if the process changes, so the status says so (`on_trajectory_process_fails`). Unless the latest month is
 * itself a special cause of improvement: then the process is changing, and limits worked out from how it ran before say
 * nothing about where it is going (the method would rebase once the change is sustained).
 */
import { analyseSeries, type Assurance, type SpcResult, type VariationIcon } from '../spc/xmr.js';

export type Polarity = 'increase' | 'decrease';

/** YYYY-MM. */
export type Month = string;

export interface MonthValue {
  month: Month;
  value: number | null;
}

export interface AssuranceInput {
  polarity: Polarity;
  /** The month the baseline describes (the start of the trajectory), if known. */
  baseline: { month: Month | null; value: number } | null;
  milestones: readonly { month: Month; value: number }[];
  target: { month: Month; value: number };
  /** The measure's monthly values, consecutive months, oldest first. */
  series: readonly MonthValue[];
}

export type MilestoneStatus = 'met' | 'missed' | 'not_due' | 'no_data';

export interface JudgedMilestone {
  month: Month;
  value: number;
  /** The measure's value in that month, when there is one. */
  actual: number | null;
  status: MilestoneStatus;
  isTarget: boolean;
}

export type CommitmentStatus =
  | 'no_data'
  /** The latest month meets the trajectory, and the process could meet the target (its limits do not all miss it). */
  | 'on_track'
  /**
   * The latest month meets the trajectory, but the process limits lie wholly on the wrong side of the target: as the
   * process runs now it will not meet the target; it has to change to stay on the trajectory.
   */
  | 'on_trajectory_process_fails'
  | 'off_track'
  | 'target_met'
  | 'target_missed'
  /** Figures exist but the trajectory has not started (the latest month is before the baseline or first milestone). */
  | 'not_yet_judged';

export interface CommitmentAssurance {
  /** The chart's months: the series' months, then on to the target's month if that is later. */
  months: Month[];
  values: (number | null)[];
  /** The promised value in each of those months (null outside the trajectory). */
  trajectory: (number | null)[];
  /** The XmR analysis of the series (null with fewer than two values). */
  spc: SpcResult | null;
  variationIcon: VariationIcon | null;
  assurance: Assurance | null;
  /**
   * The latest month's figure against what was expected of it: the trajectory's value, or once the target date has
   * passed (`pastTarget`), the target itself, which the commitment is held to from then on.
   */
  latest: { month: Month; value: number; expected: number | null; onTrack: boolean | null; pastTarget: boolean } | null;
  milestones: JudgedMilestone[];
  status: CommitmentStatus;
  /** The latest month is a special cause on the wrong side. */
  concern: boolean;
}

export function monthIndex(month: Month): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthAt(index: number): Month {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Whether `value` is on the right side of `line` (on the line counts as meeting it). */
export function meets(value: number, line: number, polarity: Polarity): boolean {
  return polarity === 'increase' ? value >= line : value <= line;
}

/**
 * The promised value in each month: straight lines between the anchor points (baseline, milestones, target), ordered
 * by month; null before the first anchor and after the last. Two anchors in one month: the later in the list wins.
 */
export function trajectoryFor(anchors: readonly { month: Month; value: number }[], months: readonly Month[]) {
  const byMonth = new Map<number, number>();
  for (const a of anchors) byMonth.set(monthIndex(a.month), a.value);
  const points = [...byMonth.entries()].sort((a, b) => a[0] - b[0]);
  return months.map((m) => {
    const i = monthIndex(m);
    if (points.length === 0 || i < points[0]![0] || i > points[points.length - 1]![0]) return null;
    for (let k = 0; k < points.length; k++) {
      const [at, value] = points[k]!;
      if (at === i) return value;
      const next = points[k + 1];
      if (next && at < i && i < next[0]) return value + ((next[1] - value) * (i - at)) / (next[0] - at);
    }
    return null;
  });
}

/** The assurance of a commitment from its measure's series. */
export function assess(input: AssuranceInput): CommitmentAssurance {
  const { polarity, series } = input;
  const seriesMonths = series.map((p) => p.month);
  const lastSeriesIndex = seriesMonths.length ? monthIndex(seriesMonths[seriesMonths.length - 1]!) : null;
  const targetIndex = monthIndex(input.target.month);
  const months = [...seriesMonths];
  if (lastSeriesIndex !== null) {
    for (let i = lastSeriesIndex + 1; i <= targetIndex; i++) months.push(monthAt(i));
  }
  const values = [...series.map((p) => p.value), ...new Array<null>(months.length - series.length).fill(null)];
  const anchors = [
    ...(input.baseline?.month ? [{ month: input.baseline.month, value: input.baseline.value }] : []),
    ...input.milestones,
    { month: input.target.month, value: input.target.value },
  ];
  const trajectory = trajectoryFor(anchors, months);

  const seriesValues = series.map((p) => p.value);
  const spc =
    seriesValues.filter((v) => v !== null).length >= 2
      ? analyseSeries(seriesValues, polarity, input.target.value)
      : null;

  let latest: CommitmentAssurance['latest'] = null;
  for (let i = series.length - 1; i >= 0; i--) {
    const value = series[i]!.value;
    if (value === null) continue;
    const pastTarget = monthIndex(series[i]!.month) > targetIndex;
    const expected = trajectory[i] ?? (pastTarget ? input.target.value : null);
    latest = {
      month: series[i]!.month,
      value,
      expected,
      onTrack: expected === null ? null : meets(value, expected, polarity),
      pastTarget,
    };
    break;
  }

  const valueIn = new Map(series.map((p) => [p.month, p.value]));
  const judged: JudgedMilestone[] = [
    ...input.milestones.map((m) => ({ ...m, isTarget: false })),
    { ...input.target, isTarget: true },
  ]
    .sort((a, b) => monthIndex(a.month) - monthIndex(b.month))
    .map((m) => {
      const actual = valueIn.get(m.month) ?? null;
      const due = lastSeriesIndex !== null && monthIndex(m.month) <= lastSeriesIndex;
      const status: MilestoneStatus = !due
        ? 'not_due'
        : actual === null
          ? 'no_data'
          : meets(actual, m.value, polarity)
            ? 'met'
            : 'missed';
      return { month: m.month, value: m.value, actual, status, isTarget: m.isTarget };
    });

  const targetJudged = judged.find((m) => m.isTarget)!;
  const improving = spc?.variationIcon === 'improvement_high' || spc?.variationIcon === 'improvement_low';
  const status: CommitmentStatus =
    targetJudged.status === 'met'
      ? 'target_met'
      : targetJudged.status === 'missed'
        ? 'target_missed'
        : latest === null
          ? 'no_data'
          : latest.onTrack === null
            ? 'not_yet_judged'
            : !latest.onTrack
              ? 'off_track'
              : spc?.assurance === 'consistent_fail' && !improving
                ? 'on_trajectory_process_fails'
                : 'on_track';

  const variationIcon = spc?.variationIcon ?? null;
  return {
    months,
    values,
    trajectory,
    spc,
    variationIcon,
    assurance: spc?.assurance ?? null,
    latest,
    milestones: judged,
    status,
    concern: variationIcon === 'concern_high' || variationIcon === 'concern_low',
  };
}
