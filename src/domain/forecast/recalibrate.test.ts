/**
 * Correcting a forecast's range by the errors of its own past forecasts (empirical prediction intervals: Williams and
 * Goodman 1971; Hyndman and Athanasopoulos, FPP3 section 5.5), with split conformal prediction's order statistics
 * (Lei, G'Sell, Rinaldo, Tibshirani and Wasserman, JASA 113, 2018). Figures worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { addMonths } from '../dates/months.js';
import { Streams } from './random.js';
import {
  COUNT_BOUNDS,
  RECALIBRATION_MIN_ERRORS,
  RECALIBRATION_MONTHS,
  correctionFor,
  horizonOf,
  recalibrateRange,
  recalibrationAt,
  recalibrationsAt,
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
  it('takes the conformal order statistics of (what happened - median) / half-range: of n, the floor(0.1(n + 1))-th and ceil(0.9(n + 1))-th', () => {
    expect(RECALIBRATION_MIN_ERRORS).toBe(9);
    expect(RECALIBRATION_MONTHS).toBe(12);
    const c = recalibrationAt(PAST, d('2026-06-01'))!;
    // Sorted errors -3, -2.5, ..., 6.5 (n = 20): the floor(2.1) = 2nd is -2.5 and the ceil(18.9) = 19th is 6.
    expect(c.q10).toBe(-2.5);
    expect(c.q90).toBe(6);
    expect(c.n).toBe(20);
    // With the fewest errors, 9, the range runs from the smallest to the largest.
    const nine = recalibrationAt(PAST.slice(0, 9), d('2026-06-01'))!;
    expect([nine.q10, nine.q90, nine.n]).toEqual([-3, 1, 9]);
  });

  it('holds a next error 8 times in 10 or more, where interpolated percentiles of few errors hold it less often', () => {
    // Exchangeable errors (standard normal, by Box-Muller from a seeded stream): the next error falls inside the
    // conformal range with probability at least 0.8 for any n (Lei et al., JASA 113, 2018, theorem 2.1); the 10th
    // and 90th percentiles interpolated (type 7) hold it (n - 1) / (n + 1) x 0.8 of the time, 0.64 for n = 9.
    const streams = new Streams(1);
    const normal = () => Math.sqrt(-2 * Math.log(1 - streams.next(0))) * Math.cos(2 * Math.PI * streams.next(0));
    for (const n of [9, 12, 20]) {
      streams.reseed(20261207, n);
      let conformal = 0;
      let interpolated = 0;
      const trials = 10_000;
      for (let t = 0; t < trials; t++) {
        const past = Array.from({ length: n }, () => ({
          origin: d('2026-01-01'),
          month: '2026-01',
          raw: { p10: -1, p50: 0, p90: 1 },
          actual: normal(),
        }));
        const c = recalibrationAt(past, d('2026-06-01'))!;
        const next = normal();
        if (next >= c.q10 && next <= c.q90) conformal++;
        const sorted = past.map((f) => f.actual).sort((a, b) => a - b);
        const at = (p: number) => {
          const i = p * (n - 1);
          return sorted[Math.floor(i)]! + (sorted[Math.ceil(i)]! - sorted[Math.floor(i)]!) * (i - Math.floor(i));
        };
        if (next >= at(0.1) && next <= at(0.9)) interpolated++;
      }
      expect(conformal / trials).toBeGreaterThanOrEqual(0.79);
      expect(interpolated / trials).toBeLessThan(0.78);
    }
  });

  it('uses only errors known at the origin: months that had ended, from forecasts at most 12 months before', () => {
    // On 1 March, January's and February's forecasts are known (8 of the 20): too few. On 1 April, 12.
    expect(recalibrationAt(PAST, d('2026-03-01'))).toBeNull();
    expect(recalibrationAt(PAST, d('2026-04-01'))?.n).toBe(12);
    // On 1 April 2027, forecasts made in January to March 2026 are more than 12 months old: 8 left, too few.
    expect(recalibrationAt(PAST, d('2027-04-01'))).toBeNull();
    expect(recalibrationAt(PAST, d('2027-03-01'))?.n).toBe(12);
    // A forecast with no width gives no error.
    const nine = PAST.slice(0, 9);
    const flat = [...nine.slice(0, 8), { ...nine[8]!, raw: { p10: 5, p50: 5, p90: 5 } }];
    expect(recalibrationAt(nine, d('2026-06-01'))).not.toBeNull();
    expect(recalibrationAt(flat, d('2026-06-01'))).toBeNull();
  });

  it('corrects each horizon by the errors of forecasts made as far ahead, or by all where those are too few', () => {
    // Twelve origins, each forecasting its own month (horizon 0: errors -0.5 to 0.6) and the month after next
    // (horizon 2: errors 4 times as large); the next month (horizon 1) was forecast from only 5 of them.
    const past: PastForecast[] = [];
    for (let k = 0; k < 12; k++) {
      const origin = addMonths(d('2025-01-01'), k);
      const error = (k - 5) / 10;
      const at = (h: number, e: number) => ({
        origin,
        month: addMonths(origin, h).slice(0, 7),
        raw: { p10: 90, p50: 100, p90: 110 },
        actual: 100 + 10 * e,
      });
      past.push(at(0, error), at(2, 4 * error));
      if (k < 5) past.push(at(1, 0));
    }
    expect(horizonOf(d('2025-11-01'), '2026-01')).toBe(2);
    const origin = d('2026-01-01');
    const byHorizon = recalibrationsAt(past, origin, 4);
    // Horizon 0: the 12 errors -0.5 ... 0.6, of which the floor(1.3) = 1st and the ceil(11.7) = 12th.
    expect(byHorizon[0]).toEqual({ q10: -0.5, q90: 0.6, n: 12 });
    // Horizon 2: the forecasts of months that had ended by 1 January (from origins to October 2025: 10), 4 times as
    // wide: the floor(1.1) = 1st and the ceil(9.9) = 10th.
    expect(byHorizon[2]).toEqual({ q10: -2, q90: 1.6, n: 10 });
    // Horizons 1 and 3, with too few of their own (5 and none): every horizon's errors together.
    const pooled = recalibrationAt(past, origin)!;
    expect(pooled.n).toBe(27);
    expect(byHorizon[1]).toEqual(pooled);
    expect(byHorizon[3]).toEqual(pooled);
    // A month after the last horizon takes the last's; a correction stored before there were horizons serves all.
    expect(correctionFor(byHorizon, 0)).toEqual(byHorizon[0]);
    expect(correctionFor(byHorizon, 23)).toEqual(byHorizon[3]);
    expect(correctionFor({ q10: -2, q90: 2, n: 40 }, 5)).toEqual({ q10: -2, q90: 2, n: 40 });
    expect(correctionFor(null, 0)).toBeNull();
    expect(correctionFor(undefined, 0)).toBeNull();
  });

  it('moves a new range: median + q10 x half-range to median + q90 x half-range, the median by the same straight line', () => {
    const c = recalibrationAt(PAST, d('2026-06-01'))!;
    const unrounded = { min: 0, max: Infinity, whole: false };
    const r = recalibrateRange({ p10: 90, p50: 100, p90: 110 }, c, unrounded);
    expect(r.p10).toBeCloseTo(75, 12);
    expect(r.p90).toBeCloseTo(160, 12);
    // 75 + (100 - 90) x (160 - 75) / 20.
    expect(r.p50).toBeCloseTo(117.5, 12);
    // Each future's figure by the same map, so chances from the futures agree with the range.
    const map = recalibrationMap({ p10: 90, p50: 100, p90: 110 }, c, unrounded);
    expect(map(110)).toBeCloseTo(160, 12);
    expect(map(120)).toBeCloseTo(202.5, 12);
    // A count of plans stays a whole number.
    expect(recalibrateRange({ p10: 90, p50: 100, p90: 110 }, c, COUNT_BOUNDS)).toEqual({ p10: 75, p50: 118, p90: 160 });
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
