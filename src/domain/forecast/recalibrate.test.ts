/**
 * Correcting a forecast's range by the errors of its own past forecasts (empirical prediction intervals: Williams and
 * Goodman 1971; Hyndman and Athanasopoulos, FPP3 section 5.5). Figures worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import {
  COUNT_BOUNDS,
  RECALIBRATION_MIN_ERRORS,
  RECALIBRATION_MONTHS,
  recalibrateRange,
  recalibrationAt,
  recalibrationMap,
  SHARE_BOUNDS,
  type PastForecast,
} from './recalibrate.js';

const d = (s: string) => s as LocalDate;

/** 20 forecasts, each 90 to 110 around 100 (half-range 10), whose scaled errors are -3, -2.5, ..., 6.5. */
const PAST: PastForecast[] = Array.from({ length: 20 }, (_, k) => ({
  origin: d(`2026-0${1 + (k % 5)}-01`),
  month: `2026-0${1 + (k % 5)}`,
  raw: { p10: 90, p50: 100, p90: 110 },
  actual: 100 + 10 * (k / 2 - 3),
}));

describe('the correction from past errors', () => {
  it('is the 10th and 90th percentiles of (what happened - median) / half-range, interpolated (type 7)', () => {
    expect(RECALIBRATION_MIN_ERRORS).toBe(20);
    expect(RECALIBRATION_MONTHS).toBe(12);
    const c = recalibrationAt(PAST, d('2026-06-01'))!;
    // Sorted errors -3, -2.5, ...: at 0.1 x 19 = 1.9, -2.5 + 0.9 x 0.5 = -2.05; at 0.9 x 19 = 17.1, 5.5 + 0.1 x 0.5.
    expect(c.q10).toBeCloseTo(-2.05, 12);
    expect(c.q90).toBeCloseTo(5.55, 12);
    expect(c.n).toBe(20);
  });

  it('uses only errors known at the origin: months that had ended, from forecasts at most 12 months before', () => {
    // On 1 May, May's forecasts (4 of the 20) are not yet known: 16 errors, too few.
    expect(recalibrationAt(PAST, d('2026-05-01'))).toBeNull();
    // On 1 February 2027, forecasts made in January 2026 (4 of them) are more than 12 months old: 16 left.
    expect(recalibrationAt(PAST, d('2027-02-01'))).toBeNull();
    expect(recalibrationAt(PAST, d('2027-01-01'))).not.toBeNull();
    // A forecast with no width gives no error.
    const flat = [...PAST.slice(0, 19), { ...PAST[19]!, raw: { p10: 5, p50: 5, p90: 5 } }];
    expect(recalibrationAt(flat, d('2026-06-01'))).toBeNull();
  });

  it('moves a new range: median + q10 x half-range to median + q90 x half-range, the median by the same straight line', () => {
    const c = recalibrationAt(PAST, d('2026-06-01'))!;
    const unrounded = { min: 0, max: Infinity, whole: false };
    const r = recalibrateRange({ p10: 90, p50: 100, p90: 110 }, c, unrounded);
    expect(r.p10).toBeCloseTo(79.5, 12);
    expect(r.p90).toBeCloseTo(155.5, 12);
    // 79.5 + (100 - 90) x (155.5 - 79.5) / 20.
    expect(r.p50).toBeCloseTo(117.5, 12);
    // Each future's figure by the same map, so chances from the futures agree with the range.
    const map = recalibrationMap({ p10: 90, p50: 100, p90: 110 }, c, unrounded);
    expect(map(110)).toBeCloseTo(155.5, 12);
    expect(map(120)).toBeCloseTo(193.5, 12);
    // A count of plans stays a whole number.
    expect(recalibrateRange({ p10: 90, p50: 100, p90: 110 }, c, COUNT_BOUNDS)).toEqual({ p10: 80, p50: 118, p90: 156 });
  });

  it('a right model is left as it is: errors with 10th and 90th percentiles -1 and +1', () => {
    const right = { q10: -1, q90: 1, n: 40 };
    expect(recalibrateRange({ p10: 0.4, p50: 0.5, p90: 0.6 }, right, SHARE_BOUNDS)).toEqual({
      p10: 0.4,
      p50: 0.5,
      p90: 0.6,
    });
  });

  it('keeps counts at 0 or more and shares from 0 to 1; leaves a range with no width, or no correction, alone', () => {
    const wide = { q10: -3, q90: 3, n: 40 };
    expect(recalibrateRange({ p10: 0.8, p50: 0.9, p90: 1 }, wide, SHARE_BOUNDS).p90).toBe(1);
    expect(recalibrateRange({ p10: 1, p50: 2, p90: 3 }, wide, COUNT_BOUNDS).p10).toBe(0);
    expect(recalibrateRange({ p10: 4, p50: 4, p90: 4 }, wide, COUNT_BOUNDS)).toEqual({ p10: 4, p50: 4, p90: 4 });
    expect(recalibrateRange({ p10: 1, p50: 2, p90: 3 }, null, COUNT_BOUNDS)).toEqual({ p10: 1, p50: 2, p90: 3 });
  });
});
