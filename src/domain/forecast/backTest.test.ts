/**
 * The rolling-origin back-test's arithmetic (issue 25; Hyndman and Athanasopoulos, FPP3 section 5.10): which months
 * each origin forecasts, what happened in them, the naive forecast (the average of the 3 whole months before the
 * origin, FPP3 section 5.2), and for each measure the months inside the 10th to 90th percentile range and the mean
 * absolute errors. Every figure below is worked out by hand from the cases listed.
 */
import { describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from '../dates/localDate.js';
import {
  backTestMonths,
  backTestOrigins,
  backTestTable,
  openByAgeAt,
  recalibrationOrigins,
  type OriginForecast,
} from './backTest.js';
import { calibrate, type CaseHistory } from './calibrate.js';

const d = (s: string) => s as LocalDate;

/** A request that became a plan: decided after 3 weeks, advice in after 5, decided to issue after 6. */
function plan(finalIssued: string, weeks: number): CaseHistory {
  const received = addDays(d(finalIssued), -7 * weeks);
  return {
    received,
    decided: addDays(received, 21),
    assess: true,
    adviceDone: addDays(received, 35),
    issueDecided: addDays(received, 42),
    issue: true,
    finalIssued: d(finalIssued),
    closed: null,
  };
}

// Plans issued, with weeks from request to plan (within 20 weeks: <= 20).
const CASES: CaseHistory[] = [
  plan('2026-06-10', 14), // A, received 4 March
  plan('2026-06-20', 30), // B, late, received 22 November 2025
  plan('2026-07-15', 10), // C, received 6 May
  plan('2026-08-05', 12), // D, received 13 May
  plan('2026-08-12', 25), // E, late, received 18 February
  plan('2026-08-26', 18), // F, received 22 April
  plan('2026-09-09', 8), // G, received 15 July
  plan('2026-09-23', 22), // H, late, received 22 April
  plan('2026-11-04', 15), // I, received 22 July
  plan('2026-11-11', 16), // J, received 22 July
  plan('2026-11-18', 40), // K, late, received 11 February
  plan('2026-11-25', 19), // L, received 15 July
  // M: assessed, then withdrawn on 10 October before the advice was in.
  {
    received: d('2026-08-20'),
    decided: d('2026-09-10'),
    assess: true,
    adviceDone: null,
    issueDecided: null,
    issue: null,
    finalIssued: null,
    closed: d('2026-10-10'),
  },
  // N: decided on 20 October not to assess.
  {
    received: d('2026-09-15'),
    decided: d('2026-10-20'),
    assess: false,
    adviceDone: null,
    issueDecided: null,
    issue: null,
    finalIssued: null,
    closed: null,
  },
];

describe('the origins and the months each forecasts', () => {
  it('takes the first of each of the last 12 whole months, each forecasting up to 6 months to the end of last month: 57 month-points', () => {
    const today = d('2026-12-15');
    const origins = backTestOrigins(today);
    expect(origins[0]).toBe('2025-12-01');
    expect(origins[11]).toBe('2026-11-01');
    expect(origins).toHaveLength(12);
    // December 2025: December to May (6 months); November 2026: November only.
    expect(backTestMonths(d('2025-12-01'), today)).toEqual([
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
    ]);
    expect(backTestMonths(d('2026-11-01'), today)).toEqual(['2026-11-01', '2026-12-01']);
    // 7 origins with 6 months, then 5, 4, 3, 2, 1.
    expect(origins.reduce((n, o) => n + backTestMonths(o, today).length - 1, 0)).toBe(57);
  });
});

describe('requests open at a month’s end, by age', () => {
  it('counts those received and not yet ended, by weeks since the request (an age on a band’s edge is in the band above)', () => {
    // On 1 October: I and J (received 22 July: 10.1 weeks), L (15 July: 11.1 weeks), K (11 February: 33.1 weeks),
    // M (20 August: exactly 6 weeks, so 6 to 20), N (15 September: 2.3 weeks). G and H were issued in September.
    expect(openByAgeAt(CASES, d('2026-10-01'), [6, 20])).toEqual([1, 4, 1]);
    // On 1 November: M was withdrawn and N decided not to assess in October; I, J, K and L are open.
    expect(openByAgeAt(CASES, d('2026-11-01'), [6, 20])).toEqual([0, 3, 1]);
  });

  it('agrees with the calibration’s open cases at the end of the day before', () => {
    for (const date of ['2026-07-01', '2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01']) {
      const open = openByAgeAt(CASES, d(date), []).reduce((a, b) => a + b, 0);
      const dayBefore = addDays(d(date), -1);
      expect(calibrate(CASES, d('2025-01-01'), dayBefore).backlog).toHaveLength(open);
    }
  });
});

describe('the table', () => {
  // One origin, 1 September 2026, forecasting September, October and November.
  const forecast: OriginForecast = {
    origin: d('2026-09-01'),
    months: [
      {
        issued: { p10: 1, p50: 2, p90: 3 },
        share: { p10: 0.4, p50: 0.6, p90: 0.8 },
        openByAge: [{ p10: 5, p50: 7, p90: 9 }],
      },
      {
        issued: { p10: 1, p50: 3, p90: 5 },
        share: { p10: 0.5, p50: 0.7, p90: 0.9 },
        openByAge: [{ p10: 5, p50: 6, p90: 8 }],
      },
      {
        issued: { p10: 2, p50: 4, p90: 4 },
        share: { p10: 0.8, p50: 0.85, p90: 1 },
        openByAge: [{ p10: 1, p50: 3, p90: 5 }],
      },
    ],
  };
  // One age band (all ages), so that the open requests are one measure.
  const table = backTestTable(CASES, [], [forecast], d('2026-12-15'));
  const measure = (id: string) => table.measures.find((m) => m.id === id)!;

  it('plans issued: September 2 (inside 1 to 3), October 0 (outside 1 to 5), November 4 (inside 2 to 4: the 90th percentile is in)', () => {
    const issued = measure('issued');
    expect(issued.points.map((p) => [p.month, p.actual, p.inside])).toEqual([
      ['2026-09', 2, true],
      ['2026-10', 0, false],
      ['2026-11', 4, true],
    ]);
    expect(issued.inside).toBe(2);
    // Naive: June 2, July 1, August 3 plans: 2 a month. Errors: forecast (0 + 3 + 0) / 3 = 1; naive (0 + 2 + 2) / 3.
    expect(issued.points.every((p) => p.naive === 2)).toBe(true);
    expect(issued.forecastError).toBeCloseTo(1, 12);
    expect(issued.naiveError).toBeCloseTo(4 / 3, 12);
  });

  it('the share within 20 weeks: months with no plan issued are left out', () => {
    const share = measure('share');
    // September: G within, H not (1 of 2); October: none issued; November: I, J and L within, K not (3 of 4).
    expect(share.points.map((p) => [p.month, p.actual, p.inside])).toEqual([
      ['2026-09', 0.5, true],
      ['2026-11', 0.75, false],
    ]);
    // Naive: June to August, A, C, D and F of the 6 plans within 20 weeks: 2/3 in every month.
    expect(share.points[0]!.naive).toBeCloseTo(2 / 3, 12);
    // Forecast (|0.6 - 0.5| + |0.85 - 0.75|) / 2 = 0.1; naive (1/6 + 1/12) / 2 = 0.125.
    expect(share.forecastError).toBeCloseTo(0.1, 12);
    expect(share.naiveError).toBeCloseTo(0.125, 12);
  });

  it('requests open at the month’s end, against the average at the ends of the 3 months before', () => {
    const open = measure('open');
    // Open on 1 October: I, J, K, L, M, N (6); 1 November: I, J, K, L (4); 1 December: none.
    expect(open.points.map((p) => [p.month, p.actual, p.inside])).toEqual([
      ['2026-09', 6, true],
      ['2026-10', 4, false],
      ['2026-11', 0, false],
    ]);
    // Naive: open on 1 July (C, D, E, F, H, K: 6), 1 August (D to L: 9) and 1 September (G to M: 7): 22/3.
    expect(open.points[0]!.naive).toBeCloseTo(22 / 3, 12);
    // Forecast (1 + 2 + 3) / 3 = 2; naive (4/3 + 10/3 + 22/3) / 3 = 4.
    expect(open.forecastError).toBeCloseTo(2, 12);
    expect(open.naiveError).toBeCloseTo(4, 12);
    expect(table.origins).toEqual(['2026-09-01']);
    expect(table.month).toBe('2026-12');
  });
});

describe('the ranges tested are corrected by the errors known at each origin', () => {
  it('runs 12 more origins before the tested ones, only for their errors', () => {
    const today = d('2026-12-15');
    expect(recalibrationOrigins(today)[0]).toBe('2024-12-01');
    expect(recalibrationOrigins(today)[11]).toBe('2025-11-01');
  });

  it('an origin with 20 or more known errors gets the corrected range; the simulation’s own is kept beside it', () => {
    const today = d('2026-12-15');
    // Every origin forecasts 10 to 12 plans (median 11) a month. Before December 2025 no plan was issued at all, so
    // each error was (0 - 11) / 1 = -11, and both percentiles of the errors are -11: the range 10 to 12 becomes
    // 11 - 11 x 1 to 11 - 11 x 1, that is 0 to 0.
    const constant = (origin: LocalDate): OriginForecast => ({
      origin,
      months: Array.from({ length: 6 }, () => ({
        issued: { p10: 10, p50: 11, p90: 12 },
        share: { p10: null, p50: null, p90: null },
        openByAge: [],
      })),
    });
    const origins = [...recalibrationOrigins(today), ...backTestOrigins(today)];
    const table = backTestTable(CASES, [], origins.map(constant), today);
    expect(table.origins).toEqual(backTestOrigins(today));
    expect(table.recalibrationMonths).toBe(12);
    const issued = table.measures.find((m) => m.id === 'issued')!;
    const december = issued.points.find((p) => p.origin === '2025-12-01' && p.month === '2025-12')!;
    expect(december.raw).toEqual({ p10: 10, p50: 11, p90: 12 });
    expect(december.corrected).toBe(true);
    expect(december.forecast).toEqual({ p10: 0, p50: 0, p90: 0 });
    // Nothing was issued in December 2025: inside the corrected range, outside the simulation's own.
    expect(december.actual).toBe(0);
    expect([december.inside, december.insideRaw]).toEqual([true, false]);
    expect(issued.insideRaw).toBe(0);
    // Only the 12 tested origins' month-points are in the table: 57 of them.
    expect(issued.points).toHaveLength(57);
  });
});
