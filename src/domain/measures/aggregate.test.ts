import { describe, expect, it } from 'vitest';
import { aggregateMeasures } from './aggregate.js';
import type { MeasureValue } from './monthly.js';

const v = (
  measure: string,
  numerator: number | null,
  denominator: number | null,
  value: number | null,
): MeasureValue => ({
  measure,
  month: '2025-03',
  dimension: 'all',
  category: 'all',
  numerator,
  denominator,
  value,
});

describe('adding measures up across LAs', () => {
  it('works a rate out again from the summed parts, not by averaging the rates', () => {
    // 9 of 10 (90%) and 1 of 90 (1.1%): together 10 of 100 = 10%, not the 45.6% an average of rates would give.
    const out = aggregateMeasures([
      [v('plans_within_20_weeks_incl', 9, 10, 90), v('plans_issued', 10, null, 10)],
      [v('plans_within_20_weeks_incl', 1, 90, 100 / 90), v('plans_issued', 90, null, 90)],
    ]);
    const rate = out.find((x) => x.measure === 'plans_within_20_weeks_incl')!;
    expect([rate.numerator, rate.denominator, rate.value]).toEqual([10, 100, 10]);
    expect(out.find((x) => x.measure === 'plans_issued')!.value).toBe(100);
  });

  it('leaves out medians, percentiles and ratios, which do not add up', () => {
    const out = aggregateMeasures([[v('median_weeks_to_plan', null, 3, 20), v('caseload_per_caseworker', 4, 2, 2)]]);
    expect(out).toEqual([]);
  });

  it('keeps a month with nothing to judge as a gap', () => {
    const out = aggregateMeasures([
      [v('plans_within_20_weeks_incl', null, 0, null)],
      [v('plans_within_20_weeks_incl', null, 0, null)],
    ]);
    expect(out[0]!.value).toBeNull();
  });
});
