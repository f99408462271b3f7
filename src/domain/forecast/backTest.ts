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
 * This module is the arithmetic: given the cases, and each origin's forecast by month, the table. Calibrating and
 * simulating from each origin is the service's (services/forecastRunner.ts).
 */
import { addMonths } from '../dates/months.js';
import { daysBetween, type LocalDate } from '../dates/localDate.js';
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
  forecast: Range;
  naive: number;
  actual: number;
  inside: boolean;
}

export interface BackTestMeasure {
  id: BackTestMeasureId;
  /** The age band (index into `ageBands`' bands) for open requests; null otherwise. */
  band: number | null;
  points: BackTestPoint[];
  inside: number;
  /** Mean absolute error of the forecast's median, and of the naive forecast, over the same points (null: none). */
  forecastError: number | null;
  naiveError: number | null;
}

export interface BackTestResult {
  /** The month (YYYY-MM) it was worked out in: the back-test looks at whole past months only. */
  month: string;
  origins: LocalDate[];
  ageBands: number[];
  measures: BackTestMeasure[];
}

/** The origins for a back-test worked out on `today`: the first of each of the last 12 whole months, oldest first. */
export function backTestOrigins(today: LocalDate): LocalDate[] {
  const thisMonth = `${today.slice(0, 7)}-01` as LocalDate;
  return Array.from({ length: BACK_TEST_ORIGINS }, (_, i) => addMonths(thisMonth, i - BACK_TEST_ORIGINS));
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
  const measures: BackTestMeasure[] = kinds.map((m) => ({
    ...m,
    points: [],
    inside: 0,
    forecastError: null,
    naiveError: null,
  }));

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
      for (const m of measures) {
        const [range, naiveValue, actualValue] =
          m.id === 'issued'
            ? [forecast.issued, naive.issued, happened.issued]
            : m.id === 'share'
              ? [forecast.share, naive.share, happened.issued > 0 ? happened.within / happened.issued : null]
              : [forecast.openByAge[m.band!] ?? null, naive.open(m.band!), happened.openAtEnd[m.band!]!];
        if (!range || range.p10 === null || range.p50 === null || range.p90 === null) continue;
        if (naiveValue === null || actualValue === null) continue;
        // Inclusive of both ends (with a little room for the shares' rounding): a count on the 10th percentile is in.
        const inside = actualValue >= range.p10 - 1e-9 && actualValue <= range.p90 + 1e-9;
        m.points.push({
          origin: f.origin,
          month: start.slice(0, 7),
          forecast: { p10: range.p10, p50: range.p50, p90: range.p90 },
          naive: naiveValue,
          actual: actualValue,
          inside,
        });
      }
    });
  }
  for (const m of measures) {
    const n = m.points.length;
    m.inside = m.points.filter((p) => p.inside).length;
    m.forecastError = n ? m.points.reduce((s, p) => s + Math.abs(p.forecast.p50! - p.actual), 0) / n : null;
    m.naiveError = n ? m.points.reduce((s, p) => s + Math.abs(p.naive - p.actual), 0) / n : null;
  }
  return {
    month: today.slice(0, 7),
    origins: forecasts.map((f) => f.origin),
    ageBands: [...ageBands],
    measures,
  };
}
