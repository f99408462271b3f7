/**
 * The forecast's rolling-origin back-test (issue 25; Hyndman and Athanasopoulos, Forecasting: Principles and Practice,
 * 3rd ed., section 5.10, "time series cross-validation"): the method is run as if each of the last 12 months' first day
 * were "today", using only what was known then, and what it forecast for each month up to 6 months ahead (or to the
 * end of last month, whichever is sooner) is set beside what happened. 12 origins give 6 + 6 + ... + 3 + 2 + 1 = 57
 * month-points.
 *
 * For each measure (plans issued in the month; the share of them issued within 20 weeks; requests open at the month's
 * end in each age band) it counts the month-points inside the forecast's 10th to 90th percentile range (a method that
 * is right has about 8 in 10 inside; the goal is 70% to 90%), and the mean absolute error of the forecast's median
 * beside that of a naive forecast: the average of the 3 whole months before the origin (section 5.2's "average
 * method" on the last 3 months). A month-point counts for a measure only where it has all three figures: what
 * happened, the forecast and the naive forecast (the share has none in a month with no plans issued).
 *
 * The ranges tested are the recalibrated ones (recalibrate.ts): each origin's range corrected by the errors of the
 * forecasts made in the 12 months before it, of months that had ended by then. So the method is run from 12 more
 * origins before the 12 tested (`recalibrationOrigins`), whose forecasts only give those errors; the table also keeps
 * how many months the simulation's own range held, before the correction.
 *
 * This module is the arithmetic: given the cases, and each origin's forecast by month, the table. Calibrating and
 * simulating from each origin is the service's (services/forecastRunner.ts).
 */
import { addMonths } from '../dates/months.js';
import { daysBetween, type LocalDate } from '../dates/localDate.js';
import {
  COUNT_BOUNDS,
  RECALIBRATION_MONTHS,
  recalibrateRange,
  correctionFor,
  horizonOf,
  recalibrationsAt,
  type StoredCorrection,
  SHARE_BOUNDS,
  type PastForecast,
  type Recalibration,
} from './recalibrate.js';
import { issuedBetween, type CaseHistory } from './calibrate.js';

/** How many origins, how many months ahead from each at most, and how many months the naive forecast averages. */
export const BACK_TEST_ORIGINS = 12;
export const BACK_TEST_MONTHS_AHEAD = 6;
export const NAIVE_MONTHS = 3;

/** A forecast's range for one month: the 10th, 50th and 90th percentiles over its simulated futures. */
export interface Range {
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

/** What the method forecast from one origin: one entry per month from the origin's (see `backTestMonths`). */
export interface OriginForecast {
  origin: LocalDate;
  months: { issued: Range; share: Range; openByAge: Range[] }[];
}

export type BackTestMeasureId = 'issued' | 'share' | 'open';

/** One month-point of one measure: the forecast's range, the naive forecast and what happened. */
export interface BackTestPoint {
  origin: LocalDate;
  /** YYYY-MM. */
  month: string;
  /** The range as the forecast states it: the simulation's, recalibrated by the errors known at the origin. */
  forecast: Range;
  /** The simulation's own range, before the correction. */
  raw: Range;
  /** Whether there were enough past errors to correct it (else `forecast` is `raw`). */
  corrected: boolean;
  naive: number;
  actual: number;
  inside: boolean;
  /** Whether the simulation's own range held what happened. */
  insideRaw: boolean;
}

export interface BackTestMeasure {
  id: BackTestMeasureId;
  /** The age band (index into `ageBands`' bands) for open requests; null otherwise. */
  band: number | null;
  points: BackTestPoint[];
  inside: number;
  /** The points inside the simulation's own range (before the correction). */
  insideRaw: number;
  /** Mean absolute error of the forecast's median, and of the naive forecast, over the same points (null: none). */
  forecastError: number | null;
  naiveError: number | null;
  /**
   * The corrections for a forecast made this month (the live forecast's), by horizon, from every origin's errors; null:
   * too few (a back-test stored before corrections were taken by horizon holds one for every month).
   */
  correctionNow: StoredCorrection;
}

export interface BackTestResult {
  /** The month (YYYY-MM) it was worked out in: the back-test looks at whole past months only. */
  month: string;
  origins: LocalDate[];
  ageBands: number[];
  measures: BackTestMeasure[];
  /** How many months before each origin its correction's errors come from (absent from older stored back-tests). */
  recalibrationMonths: number;
}

/** The origins for a back-test worked out on `today`: the first of each of the last 12 whole months, oldest first. */
export function backTestOrigins(today: LocalDate): LocalDate[] {
  const thisMonth = `${today.slice(0, 7)}-01` as LocalDate;
  return Array.from({ length: BACK_TEST_ORIGINS }, (_, i) => addMonths(thisMonth, i - BACK_TEST_ORIGINS));
}

/**
 * The origins before the tested ones, whose forecasts give the errors that correct the first tested origins' ranges:
 * the first of each of the 12 months before the first tested origin, oldest first.
 */
export function recalibrationOrigins(today: LocalDate): LocalDate[] {
  const first = backTestOrigins(today)[0]!;
  return Array.from({ length: RECALIBRATION_MONTHS }, (_, i) => addMonths(first, i - RECALIBRATION_MONTHS));
}

/**
 * The first days of the months forecast from `origin`, and the first day after the last of them: up to 6 months
 * ahead, and no later than the end of last month (the month before `today`'s).
 */
export function backTestMonths(origin: LocalDate, today: LocalDate): LocalDate[] {
  const thisMonth = `${today.slice(0, 7)}-01` as LocalDate;
  const starts: LocalDate[] = [origin];
  while (starts.length <= BACK_TEST_MONTHS_AHEAD && starts[starts.length - 1]! < thisMonth) {
    starts.push(addMonths(origin, starts.length));
  }
  return starts;
}

/**
 * Requests open at the start of `date` (at the end of the day before it), by age band: received before it and not yet
 * ended (the final plan issued, closed, or decided not to assess or not to issue), with the age in weeks from receipt
 * to `date`. Band k holds ages from edge k - 1 up to (not including) edge k, as the simulation counts them.
 */
export function openByAgeAt(cases: readonly CaseHistory[], date: LocalDate, ageBands: readonly number[]): number[] {
  const counts = new Array<number>(ageBands.length + 1).fill(0);
  const before = (d: LocalDate | null) => d !== null && d < date;
  for (const c of cases) {
    if (!before(c.received) || before(c.finalIssued) || before(c.closed)) continue;
    if (before(c.decided) && c.assess === false) continue;
    if (before(c.issueDecided) && c.issue === false) continue;
    const age = daysBetween(c.received, date) / 7;
    let band = 0;
    while (band < ageBands.length && age >= ageBands[band]!) band++;
    counts[band]!++;
  }
  return counts;
}

/** What happened in each calendar month (from its first day): plans issued, those within 20 weeks, open at its end. */
interface Actual {
  issued: number;
  within: number;
  openAtEnd: number[];
}

/**
 * The back-test's table: for each measure, the month-points inside the forecast's range and the mean absolute errors
 * of the forecast's median and of the naive forecast, from what happened in the cases.
 */
export function backTestTable(
  cases: readonly CaseHistory[],
  ageBands: readonly number[],
  forecasts: readonly OriginForecast[],
  today: LocalDate,
): BackTestResult {
  const actuals = new Map<string, Actual>();
  /** What happened in the month starting `start`. */
  const actual = (start: LocalDate): Actual => {
    let a = actuals.get(start);
    if (!a) {
      const end = addMonths(start, 1);
      a = { ...issuedBetween(cases, start, end), openAtEnd: openByAgeAt(cases, end, ageBands) };
      actuals.set(start, a);
    }
    return a;
  };
  const bandCount = ageBands.length + 1;
  const kinds: { id: BackTestMeasureId; band: number | null }[] = [
    { id: 'issued', band: null },
    { id: 'share', band: null },
    ...Array.from({ length: bandCount }, (_, band) => ({ id: 'open' as const, band })),
  ];
  // Every origin's month-points with the simulation's own range: the tested origins' and, before them, the ones that
  // only give errors for the correction.
  const past = kinds.map(() => [] as (PastForecast & { naive: number })[]);
  for (const f of forecasts) {
    const before = Array.from({ length: NAIVE_MONTHS }, (_, i) => actual(addMonths(f.origin, i - NAIVE_MONTHS)));
    const issuedBefore = before.reduce((n, a) => n + a.issued, 0);
    const naive = {
      issued: issuedBefore / NAIVE_MONTHS,
      // The share of the plans issued in those months within 20 weeks (none issued: no naive forecast).
      share: issuedBefore > 0 ? before.reduce((n, a) => n + a.within, 0) / issuedBefore : null,
      open: (band: number) => before.reduce((n, a) => n + a.openAtEnd[band]!, 0) / NAIVE_MONTHS,
    };
    const starts = backTestMonths(f.origin, today).slice(0, -1);
    starts.forEach((start, i) => {
      const forecast = f.months[i];
      if (!forecast) return;
      const happened = actual(start);
      kinds.forEach((m, k) => {
        const [range, naiveValue, actualValue] =
          m.id === 'issued'
            ? [forecast.issued, naive.issued, happened.issued]
            : m.id === 'share'
              ? [forecast.share, naive.share, happened.issued > 0 ? happened.within / happened.issued : null]
              : [forecast.openByAge[m.band!] ?? null, naive.open(m.band!), happened.openAtEnd[m.band!]!];
        if (!range || range.p10 === null || range.p50 === null || range.p90 === null) return;
        if (naiveValue === null || actualValue === null) return;
        past[k]!.push({
          origin: f.origin,
          month: start.slice(0, 7),
          raw: { p10: range.p10, p50: range.p50, p90: range.p90 },
          naive: naiveValue,
          actual: actualValue,
        });
      });
    });
  }

  const tested = new Set(backTestOrigins(today));
  // Inclusive of both ends (with a little room for the shares' rounding): a count on the 10th percentile is in.
  const holds = (r: Range, v: number) => v >= r.p10! - 1e-9 && v <= r.p90! + 1e-9;
  const measures: BackTestMeasure[] = kinds.map((m, k) => {
    const bounds = m.id === 'share' ? SHARE_BOUNDS : COUNT_BOUNDS;
    const corrections = new Map<LocalDate, (Recalibration | null)[]>();
    const points = past[k]!.filter((p) => tested.has(p.origin)).map((p): BackTestPoint => {
      if (!corrections.has(p.origin)) {
        corrections.set(p.origin, recalibrationsAt(past[k]!, p.origin, BACK_TEST_MONTHS_AHEAD));
      }
      const correction = correctionFor(corrections.get(p.origin), horizonOf(p.origin, p.month));
      const forecast = recalibrateRange(p.raw, correction, bounds);
      return {
        origin: p.origin,
        month: p.month,
        forecast,
        raw: p.raw,
        corrected: correction !== null,
        naive: p.naive,
        actual: p.actual,
        inside: holds(forecast, p.actual),
        insideRaw: holds(p.raw, p.actual),
      };
    });
    const n = points.length;
    return {
      ...m,
      points,
      inside: points.filter((p) => p.inside).length,
      insideRaw: points.filter((p) => p.insideRaw).length,
      forecastError: n ? points.reduce((s, p) => s + Math.abs(p.forecast.p50! - p.actual), 0) / n : null,
      naiveError: n ? points.reduce((s, p) => s + Math.abs(p.naive - p.actual), 0) / n : null,
      correctionNow: recalibrationsAt(past[k]!, `${today.slice(0, 7)}-01` as LocalDate, BACK_TEST_MONTHS_AHEAD),
    };
  });
  return {
    month: today.slice(0, 7),
    origins: forecasts.map((f) => f.origin).filter((o) => tested.has(o)),
    ageBands: [...ageBands],
    measures,
    recalibrationMonths: RECALIBRATION_MONTHS,
  };
}
