/**
 * The Making Data Count rules (shared/reference/spc-method.md), each on a series built by hand so that the expected
 * answer can be worked out on paper. Most series start with a fixed baseline of ten points alternating 10, 12:
 * mean 11, every moving range 2, AMR 2, process limits 11 +/- 2.66 x 2 = 5.68 and 16.32, 2-sigma lines
 * 11 +/- (2/3)(5.32) = 7.4533 and 14.5467.
 */
import { describe, expect, it } from 'vitest';
import { analyseSeries, assuranceOf, SpcInputError, type SpcPoint } from './xmr.js';

const BASE = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12];
/** The same baseline ending below the mean, so that a run above the mean starts after it. */
const BASE_LOW_END = [12, 10, 12, 10, 12, 10, 12, 10, 12, 10];
const fixed = { baselinePoints: 10 };
const after = (points: SpcPoint[]) => points.slice(BASE.length);
const flagged = (points: SpcPoint[]) => points.filter((p) => p.rules.length > 0).map((p) => p.index);

describe('limits (XmR)', () => {
  it('puts the centre line at the mean and the limits at 2.66 average moving ranges, near limits at two thirds', () => {
    const r = analyseSeries(BASE, 'increase');
    expect(r.mean).toBe(11);
    expect(r.groups[0]!.amr).toBe(2);
    expect(r.upl).toBeCloseTo(16.32, 10);
    expect(r.lpl).toBeCloseTo(5.68, 10);
    expect(r.nearUpl).toBeCloseTo(14.546667, 5);
    expect(r.nearLpl).toBeCloseTo(7.453333, 5);
    expect(r.points.every((p) => p.pointType === 'common_cause')).toBe(true);
  });

  it('calls limits from fewer than 12 values trial limits', () => {
    expect(analyseSeries(BASE, 'increase').groups[0]!.trial).toBe(true);
    expect(analyseSeries([...BASE, 10, 12], 'increase').groups[0]!.trial).toBe(false);
  });

  it('fixes the limits after the baseline points and projects them forward', () => {
    const r = analyseSeries([...BASE, 14, 14, 14], 'increase', null, fixed);
    expect(r.mean).toBe(11);
    expect(r.points[12]!.upl).toBeCloseTo(16.32, 10);
    // Unfixed, the later points move the mean.
    expect(analyseSeries([...BASE, 14, 14, 14], 'increase').mean).toBeCloseTo(152 / 13, 10);
  });

  it('screens moving ranges at 3.267 AMR only when asked (MDC does not; NHSRplotthedots does)', () => {
    // Ten moving ranges of 2 then two of 28: AMR = (18 + 56) / 11; screening drops the two 28s (>= 21.98), AMR 2.
    const values = [...BASE, 40, 12];
    expect(analyseSeries(values, 'increase').groups[0]!.amr).toBeCloseTo(74 / 11, 10);
    expect(analyseSeries(values, 'increase', null, { screenOutliers: true }).groups[0]!.amr).toBeCloseTo(2, 10);
  });

  it('does not let a moving range span a missing month', () => {
    // Pairs (10,12) and (20,22): AMR 2, not (2 + 8 + 2) / 3.
    const r = analyseSeries([10, 12, null, 20, 22], 'increase');
    expect(r.groups[0]!.amr).toBe(2);
    expect(r.points[2]!.value).toBeNull();
    expect(r.points[2]!.pointType).toBe('common_cause');
  });

  it('gives each rebased group its own mean and limits', () => {
    const r = analyseSeries([10, 12, 10, 12, 20, 22, 20, 22], 'increase', null, { rebaseAt: [4] });
    expect(r.groups.map((g) => g.mean)).toEqual([11, 21]);
    expect(r.points[5]!.mean).toBe(21);
    expect(r.mean).toBe(21);
    // Without the rebase, one mean of 16 and the second half sits above it.
    expect(analyseSeries([10, 12, 10, 12, 20, 22, 20, 22], 'increase').mean).toBe(16);
  });
});

describe('special-cause rules', () => {
  it('outside the limits: strictly above the upper or below the lower limit', () => {
    const high = analyseSeries([...BASE, 17], 'increase', null, fixed);
    expect(high.points[10]!.rules).toEqual(['outside_limits']);
    expect(high.points[10]!.pointType).toBe('special_cause_improvement');
    const low = analyseSeries([...BASE, 5], 'increase', null, fixed);
    expect(low.points[10]!.pointType).toBe('special_cause_concern');
    // Exactly on the limit is inside.
    const onLimit = analyseSeries([...BASE, 11 + 2.66 * 2], 'increase', null, fixed);
    expect(onLimit.points[10]!.rules).toEqual([]);
  });

  it('names the point by the improvement direction: higher is worse when lower is better, neutral otherwise', () => {
    expect(analyseSeries([...BASE, 17], 'decrease', null, fixed).points[10]!.pointType).toBe('special_cause_concern');
    expect(analyseSeries([...BASE, 17], 'neutral', null, fixed).points[10]!.pointType).toBe('special_cause_neutral');
  });

  it('shift: 7 points in a row on one side of the mean, all flagged; 6 are not a shift', () => {
    const seven = analyseSeries([...BASE_LOW_END, 11.5, 11.5, 11.5, 11.5, 11.5, 11.5, 11.5], 'decrease', null, fixed);
    expect(flagged(seven.points)).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(
      after(seven.points).every((p) => p.rules.join() === 'shift' && p.pointType === 'special_cause_concern'),
    ).toBe(true);
    const six = analyseSeries([...BASE_LOW_END, 11.5, 11.5, 11.5, 11.5, 11.5, 11.5], 'decrease', null, fixed);
    expect(flagged(six.points)).toEqual([]);
    // The baseline's last point (12, above the mean) joins a run that follows it: 1 + 6 make a shift.
    const joined = analyseSeries([...BASE, 11.5, 11.5, 11.5, 11.5, 11.5, 11.5], 'decrease', null, fixed);
    expect(flagged(joined.points)).toEqual([9, 10, 11, 12, 13, 14, 15]);
  });

  it('shift: a point exactly on the mean breaks the run', () => {
    const broken = analyseSeries(
      [...BASE_LOW_END, 11.5, 11.5, 11.5, 11, 11.5, 11.5, 11.5, 11.5],
      'increase',
      null,
      fixed,
    );
    expect(flagged(broken.points)).toEqual([]);
  });

  it('shift length is configurable', () => {
    const r = analyseSeries([...BASE, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5], 'increase', null, { ...fixed, shiftLength: 6 });
    expect(flagged(r.points)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(r.points[15]!.pointType).toBe('special_cause_concern');
  });

  it('trend: 7 points each strictly higher than the one before, all flagged; 6 are not; a tie breaks it', () => {
    const rising = [9, 9.5, 10, 10.5, 11, 11.5, 12];
    const seven = analyseSeries([...BASE, ...rising], 'increase', null, fixed);
    expect(flagged(seven.points)).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(seven.points[16]!.rules).toEqual(['trend']);
    expect(seven.points[16]!.pointType).toBe('special_cause_improvement');
    expect(flagged(analyseSeries([...BASE, ...rising.slice(1)], 'increase', null, fixed).points)).toEqual([]);
    const tie = [9, 9.5, 10, 10, 10.5, 11, 11.5];
    expect(flagged(analyseSeries([...BASE, ...tie], 'increase', null, fixed).points)).toEqual([]);
    const falling = analyseSeries([...BASE, ...[...rising].reverse()], 'increase', null, fixed);
    expect(falling.points[16]!.pointType).toBe('special_cause_concern');
    expect(falling.points[16]!.side).toBe('low');
  });

  it('trend: the run may start inside the baseline', () => {
    // 10, 12 at the end of the baseline, then 12.5 ... : only 12 -> 12.5 -> ... counts (10 -> 12 also rises).
    const r = analyseSeries([...BASE, 12.5, 13, 13.5, 14, 14.2], 'increase', null, fixed);
    expect(flagged(r.points)).toEqual([8, 9, 10, 11, 12, 13, 14]);
  });

  it('two of three beyond 2 sigma on the same side, all three on that side of the mean: only those two flagged', () => {
    const r = analyseSeries([...BASE, 15, 11.2, 15], 'increase', null, fixed);
    expect(flagged(r.points)).toEqual([10, 12]);
    expect(r.points[10]!.rules).toEqual(['two_of_three']);
    expect(r.points[11]!.pointType).toBe('common_cause');
    // The middle point below the mean: not all three on one side.
    expect(flagged(analyseSeries([...BASE, 15, 10.8, 15], 'increase', null, fixed).points)).toEqual([]);
    // Beyond opposite lines do not count together.
    expect(flagged(analyseSeries([...BASE, 15, 11.2, 7], 'increase', null, fixed).points)).toEqual([]);
  });

  it('two of three: MDC 2023 counts points beyond 3 sigma too; the NHSRplotthedots variant does not', () => {
    const values = [...BASE, 17, 11.5, 15];
    const mdc = analyseSeries(values, 'increase', null, fixed);
    expect(mdc.points[10]!.rules).toEqual(['outside_limits', 'two_of_three']);
    expect(mdc.points[12]!.rules).toEqual(['two_of_three']);
    const older = analyseSeries(values, 'increase', null, { ...fixed, twoOfThree: 'plotthedots' });
    expect(older.points[10]!.rules).toEqual(['outside_limits']);
    expect(older.points[12]!.rules).toEqual([]);
  });

  it('precedence when rules disagree: outside limits, then trend, then two of three, then shift', () => {
    // Seven points below the mean (a shift, low) that each rise (a trend, high): the trend decides.
    const r = analyseSeries([...BASE, 8, 8.5, 9, 9.5, 10, 10.2, 10.4], 'increase', null, fixed);
    expect(r.points[16]!.rules).toEqual(['trend', 'shift']);
    expect(r.points[16]!.side).toBe('high');
    expect(r.points[16]!.pointType).toBe('special_cause_improvement');
    // A point below the lower limit at the end of a rising trend: the limit decides.
    const fall = analyseSeries([...BASE, 1, 1.5, 2, 2.5, 3, 3.5, 4], 'increase', null, fixed);
    expect(fall.points[16]!.rules).toEqual(['outside_limits', 'trend', 'two_of_three', 'shift']);
    expect(fall.points[16]!.pointType).toBe('special_cause_concern');
  });

  it('runs do not cross a missing month or a rebase', () => {
    const gap = analyseSeries(
      [...BASE_LOW_END, 11.5, 11.5, 11.5, null, 11.5, 11.5, 11.5, 11.5],
      'increase',
      null,
      fixed,
    );
    expect(flagged(gap.points)).toEqual([]);
    const rebased = analyseSeries([1, 2, 3, 4, 5, 6, 7, 8], 'increase', null, { rebaseAt: [4] });
    expect(flagged(rebased.points)).toEqual([]);
    expect(flagged(analyseSeries([1, 2, 3, 4, 5, 6, 7, 8], 'increase').points)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('zero variation', () => {
  it('does not call every point special cause: "no variation" instead', () => {
    const r = analyseSeries([100, 100, 100, 100, 100, 100, 100, 100], 'increase', 90);
    expect(r.groups[0]!.noVariation).toBe(true);
    expect(r.points.every((p) => p.pointType === 'common_cause')).toBe(true);
    expect(r.variationIcon).toBe('no_variation');
    expect(r.assurance).toBe('consistent_pass');
  });
});

describe('icons', () => {
  it('the variation icon is the last point, with its side', () => {
    expect(analyseSeries([...BASE, 17], 'increase', null, fixed).variationIcon).toBe('improvement_high');
    expect(analyseSeries([...BASE, 5], 'decrease', null, fixed).variationIcon).toBe('improvement_low');
    expect(analyseSeries([...BASE, 17], 'decrease', null, fixed).variationIcon).toBe('concern_high');
    expect(analyseSeries([...BASE, 5], 'increase', null, fixed).variationIcon).toBe('concern_low');
    expect(analyseSeries([...BASE, 5], 'neutral', null, fixed).variationIcon).toBe('neutral_low');
    expect(analyseSeries([...BASE, 11], 'increase', null, fixed).variationIcon).toBe('common_cause');
    // The last point with a value counts, not a missing last month.
    const r = analyseSeries([...BASE, 17, null], 'increase', null, fixed);
    expect(r.variation).toBe('special_cause_improvement');
  });

  it('assurance, higher is better: a target above the upper limit fails consistently, below the lower passes', () => {
    const limits = { lpl: 5.68, upl: 16.32 };
    expect(assuranceOf(limits, 'increase', 17)).toBe('consistent_fail');
    expect(assuranceOf(limits, 'increase', 5)).toBe('consistent_pass');
    expect(assuranceOf(limits, 'increase', 11)).toBe('inconsistent');
    expect(assuranceOf(limits, 'increase', 16.32)).toBe('inconsistent');
  });

  it('assurance, lower is better: mirrored', () => {
    const limits = { lpl: 5.68, upl: 16.32 };
    expect(assuranceOf(limits, 'decrease', 17)).toBe('consistent_pass');
    expect(assuranceOf(limits, 'decrease', 5)).toBe('consistent_fail');
    expect(assuranceOf(limits, 'decrease', 5.68)).toBe('inconsistent');
  });

  it('no assurance without a target or with a neutral direction; it uses the latest group', () => {
    expect(analyseSeries(BASE, 'increase').assurance).toBeNull();
    expect(analyseSeries(BASE, 'neutral', 12).assurance).toBeNull();
    const r = analyseSeries([10, 12, 10, 12, 30, 32, 30, 32], 'increase', 20, { rebaseAt: [4] });
    expect(r.assurance).toBe('consistent_pass');
  });
});

describe('input', () => {
  it('refuses fewer than two values, values that are not numbers and impossible options', () => {
    expect(() => analyseSeries([5], 'increase')).toThrow(SpcInputError);
    expect(() => analyseSeries([5, null], 'increase')).toThrow('at least 2');
    expect(() => analyseSeries([5, Number.NaN], 'increase')).toThrow('values[1]');
    expect(() => analyseSeries([5, 6], 'increase', null, { shiftLength: 1 })).toThrow('shiftLength');
    expect(() => analyseSeries([5, 6], 'increase', null, { baselinePoints: 1 })).toThrow('baselinePoints');
    expect(() => analyseSeries([5, 6], 'increase', null, { rebaseAt: [2] })).toThrow('rebaseAt');
  });
});
