/**
 * Adds measures up across LAs (a region, or England): counts and the numerators and denominators of rates add; the
 * rate is worked out again from the sums. A median or a percentile cannot be added up from each LA's figure, so those
 * are left out (they need the plans themselves), as is caseload per caseworker.
 */
import { MEASURE_BY_ID, type MeasureValue } from './monthly.js';

export function aggregateMeasures(byLa: readonly (readonly MeasureValue[])[]): MeasureValue[] {
  const sums = new Map<string, MeasureValue>();
  for (const values of byLa) {
    for (const v of values) {
      const kind = MEASURE_BY_ID.get(v.measure)?.kind;
      if (kind !== 'rate' && kind !== 'count') continue;
      const key = `${v.measure}\u0000${v.month}\u0000${v.dimension}\u0000${v.category}`;
      const sum = sums.get(key);
      if (!sum) {
        sums.set(key, {
          ...v,
          numerator: v.numerator ?? 0,
          denominator: kind === 'rate' ? (v.denominator ?? 0) : null,
        });
        continue;
      }
      sum.numerator! += v.numerator ?? 0;
      if (kind === 'rate') sum.denominator! += v.denominator ?? 0;
    }
  }
  const out = [...sums.values()];
  for (const v of out) {
    const kind = MEASURE_BY_ID.get(v.measure)!.kind;
    v.value = kind === 'rate' ? (v.denominator! > 0 ? (100 * v.numerator!) / v.denominator! : null) : v.numerator;
  }
  return out;
}
