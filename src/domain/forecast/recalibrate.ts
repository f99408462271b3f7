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
 * - the errors of forecasts made as far ahead as the one being corrected (its horizon: the month it is made in, the
 *   next, and so on), since a month's forecast made five months ahead errs differently from one made in the month
 *   itself even once scaled; where there are too few at that horizon, the errors at every horizon;
 * - the correction's ends are the errors' order statistics that give an 80% range with a finite number of errors, as
 *   split conformal prediction takes them (Vovk, Gammerman and Shafer, Algorithmic Learning in a Random World, 2005;
 *   Lei, G'Sell, Rinaldo, Tibshirani and Wasserman, JASA 113, 2018): of n sorted errors, the floor(0.1 (n + 1))-th
 *   and the ceil(0.9 (n + 1))-th. An interpolated 10th and 90th percentile of few errors is too narrow: a next error
 *   falls outside it more often than 2 times in 10;
 * - the new range is median + q10 x half-range to median + q90 x half-range, and every simulated future's figure is
 *   moved by the straight-line map that takes the old 10th and 90th percentiles to the new ones, so the chances worked
 *   out from the futures agree with the range shown.
 *
 * Only errors that were known at the time are used: forecasts of months that ended before the forecast being
 * corrected was made, from origins at most 12 months before it. With fewer than 9 such errors (the fewest for which
 * those order statistics exist), there is no correction at that horizon from them.
 */
import { addMonths } from '../dates/months.js';
import type { LocalDate } from '../dates/localDate.js';

/** How far back the errors are taken from: forecasts made at most this many months before. */
export const RECALIBRATION_MONTHS = 12;
/**
 * The fewest errors a correction is made from: the ceil(0.9 (n + 1))-th of n errors exists from n = 9 (split conformal
 * prediction's 80% range needs at least 1 / 0.1 - 1 of them).
 */
export const RECALIBRATION_MIN_ERRORS = 9;

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

/** How many months after `origin` (the first of a month) `month` (YYYY-MM) is: 0 for the origin's own month. */
export function horizonOf(origin: LocalDate, month: string): number {
  return (
    (Number(month.slice(0, 4)) - Number(origin.slice(0, 4))) * 12 +
    Number(month.slice(5, 7)) -
    Number(origin.slice(5, 7))
  );
}

/**
 * The correction for a forecast made on `origin`, from the past forecasts of months that ended by then, made at most
 * 12 months before it: those made `horizon` months ahead (all of them when `horizon` is null). Null with fewer than
 * 9 errors (a forecast whose range has no width gives no error).
 */
export function recalibrationAt(
  past: readonly PastForecast[],
  origin: LocalDate,
  horizon: number | null = null,
): Recalibration | null {
  const earliest = addMonths(origin, -RECALIBRATION_MONTHS);
  const errors: number[] = [];
  for (const f of past) {
    if (`${f.month}-01` >= origin || f.origin < earliest) continue;
    if (horizon !== null && horizonOf(f.origin, f.month) !== horizon) continue;
    const { p10, p50, p90 } = f.raw;
    if (p10 === null || p50 === null || p90 === null || !(p90 > p10)) continue;
    errors.push((f.actual - p50) / ((p90 - p10) / 2));
  }
  const n = errors.length;
  if (n < RECALIBRATION_MIN_ERRORS) return null;
  errors.sort((a, b) => a - b);
  // The floor(0.1 (n + 1))-th and ceil(0.9 (n + 1))-th smallest (1-based), as split conformal prediction takes them.
  return { q10: errors[Math.floor(0.1 * (n + 1)) - 1]!, q90: errors[Math.ceil(0.9 * (n + 1)) - 1]!, n };
}

/**
 * A measure's corrections for a forecast made on `origin`, by horizon: [0] for the month it is made in, up to
 * `horizons` - 1; each from the errors at its own horizon, or from those at every horizon where they are too few. The
 * months after the last take the last's (`correctionFor`).
 */
export function recalibrationsAt(
  past: readonly PastForecast[],
  origin: LocalDate,
  horizons: number,
): (Recalibration | null)[] {
  const pooled = recalibrationAt(past, origin);
  return Array.from({ length: horizons }, (_, h) => recalibrationAt(past, origin, h) ?? pooled);
}

/**
 * A measure's stored correction: one per horizon, or (forecasts and back-tests stored before corrections were taken
 * by horizon) one for every month.
 */
export type StoredCorrection = readonly (Recalibration | null)[] | Recalibration | null;

function byHorizon(stored: StoredCorrection): stored is readonly (Recalibration | null)[] {
  return Array.isArray(stored);
}

/** The correction for the month `horizon` months after the forecast's own; a month past the last horizon takes the last's. */
export function correctionFor(stored: StoredCorrection | undefined, horizon: number): Recalibration | null {
  if (stored === undefined || stored === null) return null;
  if (!byHorizon(stored)) return stored;
  return stored.length === 0 ? null : (stored[Math.min(horizon, stored.length - 1)] ?? null);
}

/** Whether a stored correction corrects any month. */
export function corrects(stored: StoredCorrection | undefined): boolean {
  if (stored === undefined || stored === null) return false;
  return byHorizon(stored) ? stored.some((c) => c !== null) : true;
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
