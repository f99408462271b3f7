/**
 * Recalibrating the forecast's ranges by its own past errors (issue 25: "ranges that contain what then happens about
 * 8 times in 10").
 *
 * The simulation's futures vary only as the model does: its arrivals, stage times and conversions as calibrated. What
 * it leaves out (a service speeding up, months that vary more than the model's randomness) shows in the back-test as
 * ranges too narrow and medians off to one side. So each measure's range is corrected by how the same method's
 * forecasts compared with what happened over the 12 months before (empirical prediction intervals, Williams and
 * Goodman, JASA 66, 1971; and Hyndman and Athanasopoulos, Forecasting: Principles and Practice, 3rd ed., section 5.5,
 * for prediction intervals from the distribution of past forecast errors):
 *
 * - each past forecast's error, scaled by its own range: r = (what happened - median) / half the 10th-90th range;
 * - the 10th and 90th percentiles of those errors, q10 and q90 (a model that is right has about -1 and +1);
 * - the new range is median + q10 x half-range to median + q90 x half-range, and every simulated future's figure is
 *   moved by the straight-line map that takes the old 10th and 90th percentiles to the new ones, so the chances worked
 *   out from the futures agree with the range shown.
 *
 * Only errors that were known at the time are used: forecasts of months that ended before the forecast being
 * corrected was made, from origins at most 12 months before it. With fewer than 20 such errors, the range is left as
 * the simulation made it.
 */
import { addMonths } from '../dates/months.js';
import type { LocalDate } from '../dates/localDate.js';

/** How far back the errors are taken from: forecasts made at most this many months before. */
export const RECALIBRATION_MONTHS = 12;
/** The fewest errors a correction is made from. */
export const RECALIBRATION_MIN_ERRORS = 20;

export interface Range {
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

/** A past forecast of one month, and what happened. */
export interface PastForecast {
  /** The first day of the month it was made on. */
  origin: LocalDate;
  /** The month forecast (YYYY-MM). */
  month: string;
  /** The simulation's range, before any correction. */
  raw: Range;
  actual: number;
}

/** The correction: the 10th and 90th percentiles of the scaled errors, and how many errors they come from. */
export interface Recalibration {
  q10: number;
  q90: number;
  n: number;
}

/** The p-th quantile of sorted values, interpolated between order statistics (Hyndman and Fan's type 7). */
function quantile(sorted: readonly number[], p: number): number {
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * The correction for a forecast made on `origin`, from the past forecasts of months that ended by then, made at most
 * 12 months before it; null with fewer than 20 of them (a forecast whose range has no width gives no error).
 */
export function recalibrationAt(past: readonly PastForecast[], origin: LocalDate): Recalibration | null {
  const earliest = addMonths(origin, -RECALIBRATION_MONTHS);
  const errors: number[] = [];
  for (const f of past) {
    if (`${f.month}-01` >= origin || f.origin < earliest) continue;
    const { p10, p50, p90 } = f.raw;
    if (p10 === null || p50 === null || p90 === null || !(p90 > p10)) continue;
    errors.push((f.actual - p50) / ((p90 - p10) / 2));
  }
  if (errors.length < RECALIBRATION_MIN_ERRORS) return null;
  errors.sort((a, b) => a - b);
  return { q10: quantile(errors, 0.1), q90: quantile(errors, 0.9), n: errors.length };
}

/** Where a figure can be: a count is a whole number, never below 0; a share is from 0 to 1. */
export interface Bounds {
  min: number;
  max: number;
  /** Moved figures are rounded to whole numbers (a count of plans or requests). */
  whole: boolean;
}
export const COUNT_BOUNDS: Bounds = { min: 0, max: Infinity, whole: true };
export const SHARE_BOUNDS: Bounds = { min: 0, max: 1, whole: false };

/**
 * The straight-line map for one month's figure: the simulation's 10th and 90th percentiles go to the corrected ones
 * (a range with no width is moved, not stretched: it stays as it is). Kept within the bounds, and a count stays a
 * whole number.
 */
export function recalibrationMap(
  range: Range,
  correction: Recalibration | null,
  bounds: Bounds,
): (value: number) => number {
  const { p10, p50, p90 } = range;
  if (!correction || p10 === null || p50 === null || p90 === null || !(p90 > p10)) return (v) => v;
  const half = (p90 - p10) / 2;
  const lo = p50 + correction.q10 * half;
  const hi = p50 + correction.q90 * half;
  const slope = (hi - lo) / (p90 - p10);
  return (v) => {
    const moved = Math.min(bounds.max, Math.max(bounds.min, lo + (v - p10) * slope));
    return bounds.whole ? Math.round(moved) : moved;
  };
}

/** A range corrected (the map is increasing, so the percentiles of the moved futures are the moved percentiles). */
export function recalibrateRange(range: Range, correction: Recalibration | null, bounds: Bounds): Range {
  const map = recalibrationMap(range, correction, bounds);
  const at = (v: number | null) => (v === null ? null : map(v));
  return { p10: at(range.p10), p50: at(range.p50), p90: at(range.p90) };
}
