/**
 * Reading a case's history for the calibration, the chance of a month's share from stored futures, and the back-test
 * over 12 origins (issue 25) on a steady service.
 */
import { describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from '../domain/dates/localDate.js';
import type { CaseHistory } from '../domain/forecast/calibrate.js';
import type { MeasureCase } from '../domain/measures/monthly.js';
import { addMonths } from '../domain/dates/months.js';
import type { BackTestResult } from '../domain/forecast/backTest.js';
import { issuedBetween } from '../domain/forecast/calibrate.js';
import { forecastFromOrigin } from './forecastRunner.js';
import type { Replication } from '../domain/forecast/simulate.js';
import { backTest, chanceOfShare, headlineErrors, historyOf, recalibrated, type StoredForecast } from './forecasts.js';

const d = (s: string) => s as LocalDate;
const base: MeasureCase = {
  receivedDate: d('2025-01-06'),
  assessmentDecision: 'assess',
  assessmentDecisionDate: d('2025-02-17'),
  issueDecision: null,
  issueDecisionDate: null,
  finalIssuedDate: null,
  withdrawnDate: null,
  exception: false,
  advice: [
    {
      adviceType: 'educational_psychology',
      provider: 'EP',
      requestedDate: d('2025-02-18'),
      receivedDate: d('2025-03-28'),
    },
    { adviceType: 'health', provider: 'NHS', requestedDate: d('2025-02-18'), receivedDate: d('2025-03-14') },
  ],
  primaryNeed: null,
  team: null,
  dateOfBirth: null,
  caseworkerId: null,
};

describe('a case’s history for the calibration', () => {
  it('ends the advice stage with the last advice received, and not before every advice is in', () => {
    expect(historyOf(base).adviceDone).toBe('2025-03-28');
    const waiting = { ...base, advice: [...base.advice, { ...base.advice[0]!, receivedDate: null }] };
    expect(historyOf(waiting).adviceDone).toBeNull();
    expect(historyOf({ ...base, assessmentDecision: 'not_assess' }).assess).toBe(false);
  });
});

describe('the chance of a month’s share', () => {
  const forecast = {
    months: [{ month: '2026-07' }],
    replicationShares: [[0.5, 0.6, 0.7, null]],
  } as unknown as StoredForecast;
  it('counts the futures reaching the share (a month with no plans does not), and knows no month outside', () => {
    expect(chanceOfShare(forecast, '2026-07', 60)).toBe(0.5);
    expect(chanceOfShare(forecast, '2026-07', 70)).toBe(0.25);
    expect(chanceOfShare(forecast, '2027-01', 60)).toBeNull();
  });
});

/**
 * A steady service: 10 requests a week (2 each weekday) from 1 December 2023 for three years; all assessed and issued;
 * a decision after 6 weeks, advice after 5 more, drafting 1, the final plan 4 weeks later (1 in 5 take 14: late).
 */
function steadyCounty(): CaseHistory[] {
  const cases: CaseHistory[] = [];
  for (let day = 0; day < 3 * 365; day++) {
    for (let k = 0; k < (day % 7 < 5 ? 2 : 0); k++) {
      cases.push(request(addDays(d('2023-12-01'), day), (day + k) % 5 === 0));
    }
  }
  return cases;
}

function request(received: LocalDate, late: boolean): CaseHistory {
  const decided = addDays(received, 42);
  const adviceDone = addDays(decided, 35);
  const issueDecided = addDays(adviceDone, 7);
  return {
    received,
    decided,
    assess: true,
    adviceDone,
    issueDecided,
    issue: true,
    finalIssued: addDays(issueDecided, late ? 98 : 28),
    closed: null,
  };
}

/** Each origin's forecast ranges, from a back-test's points, by origin. */
function forecastsByOrigin(test: BackTestResult): Map<string, string> {
  const by = new Map<string, string[]>();
  for (const m of test.measures) {
    for (const p of m.points) {
      by.set(p.origin, [
        ...(by.get(p.origin) ?? []),
        `${m.id}${m.band ?? ''} ${p.month} ${JSON.stringify(p.forecast)}`,
      ]);
    }
  }
  return new Map([...by].map(([origin, lines]) => [origin, lines.join('\n')]));
}

describe('the back-test over 12 origins', () => {
  const today = d('2026-11-28');
  const cases = steadyCounty();

  it('forecasts 57 month-points from the first of each of the last 12 months, beside what the cases say happened', async () => {
    const test = (await backTest(cases, today, { replications: 40 }))!;
    expect(test.origins[0]).toBe('2025-11-01');
    expect(test.origins).toHaveLength(12);
    const issued = test.measures.find((m) => m.id === 'issued')!;
    expect(issued.points).toHaveLength(57);
    for (const p of issued.points) {
      const start = d(`${p.month}-01`);
      expect(p.actual).toBe(issuedBetween(cases, start, addMonths(start, 1)).issued);
    }
    // Plans every month, so every month-point has a share; and the 4 age bands of open requests.
    expect(test.measures.find((m) => m.id === 'share')!.points).toHaveLength(57);
    expect(test.measures.filter((m) => m.id === 'open').map((m) => m.points.length)).toEqual([57, 57, 57, 57]);
    // 4 in 5 within 20 weeks (the late ones take 30), month after month: so is the share the cases give.
    for (const p of test.measures.find((m) => m.id === 'share')!.points) expect(p.actual).toBeCloseTo(0.8, 1);
  }, 120_000);

  it('a request made after an origin changes the forecasts from later origins only', async () => {
    const before = forecastsByOrigin((await backTest(cases, today, { replications: 40 }))!);
    // 40 more requests on 10 June 2026: after the origins up to 1 June, before those from 1 July.
    const more = Array.from({ length: 40 }, (_, i) => request(d('2026-06-10'), i % 2 === 0));
    const after = forecastsByOrigin((await backTest([...cases, ...more], today, { replications: 40 }))!);
    const unchanged = [...before.keys()].filter((origin) => before.get(origin) === after.get(origin));
    expect(unchanged).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
    ]);
  }, 120_000);
});

describe('the forecast from an origin', () => {
  it('reads nothing dated on or after the origin: later decisions, plans, withdrawals and requests change nothing', () => {
    const cases = steadyCounty();
    const origin = d('2026-05-01');
    const today = d('2026-11-28');
    const forecast = forecastFromOrigin(cases, origin, today, 30);
    expect(forecast!.months).toHaveLength(6);
    // A forecast made as the origin day began: what happened that day (the months compared start with it) is unknown.
    const later = (date: LocalDate | null, days: number) =>
      date !== null && date >= origin ? addDays(date, days) : date;
    const rewritten: CaseHistory[] = [
      ...cases.map((c, i) => ({
        ...c,
        decided: later(c.decided, 3),
        adviceDone: later(c.adviceDone, 10),
        issueDecided: later(c.issueDecided, 10),
        finalIssued: later(c.finalIssued, 30),
        closed: c.received < origin && i % 7 === 0 ? origin : c.closed,
      })),
      ...Array.from({ length: 50 }, () => request(d('2026-05-01'), false)),
    ];
    expect(forecastFromOrigin(rewritten, origin, today, 30)).toEqual(forecast);
    // The same change a day earlier than the origin does change it: the comparison above can fail.
    const earlier = [...cases, ...Array.from({ length: 50 }, () => request(d('2026-04-30'), false))];
    expect(forecastFromOrigin(earlier, origin, today, 30)).not.toEqual(forecast);
  });
});

describe('the Monte Carlo error of the headline figures', () => {
  it('totals each future over the whole months (not the rest of this one), the share over all their plans', () => {
    // Future k: 5 plans in the rest of this month (left out), then 10 + k (half within 20 weeks) and 20 (a quarter).
    const futures = Array.from(
      { length: 100 },
      (_, k) => ({ periodCompleted: [5, 10 + k, 20], periodWithin: [1, 0.5, 0.25] }) as unknown as Replication,
    );
    const e = headlineErrors(futures);
    expect(e.months).toBe(2);
    // Totals 30 to 129: the 10th percentile (nearest rank) is the 10th smallest, 39; the 90th the 90th, 119.
    expect([e.issued.p10, e.issued.p90]).toEqual([39, 119]);
    // Future k: (10 + k) / 2 + 5 of 30 + k plans within 20 weeks, rising with k; the 10th smallest is future 9's.
    expect(e.share!.p10).toBeCloseTo(14.5 / 39, 12);
    // Steady: a standard error of a twentieth of the 80% range, (119 - 39) / 20 = 4 plans.
    expect(e.issued.tolerance).toBeCloseTo(4, 12);
    // Evenly spaced totals: the 10th percentile's error is (the 16th less the 4th) / 3.92 = 3.06.
    expect(e.issued.se.p10).toBeCloseTo(12 / (2 * 1.959964), 6);
  });
});

describe('the live forecast’s ranges, corrected by the back-test’s errors', () => {
  const measure = (id: 'issued' | 'share' | 'open', band: number | null, q: [number, number] | null) => ({
    id,
    band,
    points: [],
    inside: 0,
    insideRaw: 0,
    forecastError: null,
    naiveError: null,
    correctionNow: q ? { q10: q[0], q90: q[1], n: 57 } : null,
  });
  const tested: BackTestResult = {
    month: '2026-12',
    origins: [d('2026-11-01')],
    ageBands: [20],
    recalibrationMonths: 12,
    measures: [
      measure('issued', null, [-2, 2]),
      measure('share', null, [-1, 3]),
      measure('open', 0, [-1, 1]),
      measure('open', 1, null),
    ],
  };
  const ranges = {
    months: [{ month: '2026-12', completed: { p10: 10, p50: 12, p90: 14 } }],
    shareWithin: [{ p10: 0.4, p50: 0.5, p90: 0.6 }],
    replicationShares: [[0.4, 0.45, 0.5, 0.55, 0.6, null]],
    ageBands: [20],
    openByAge: [
      [
        { p10: 1, p50: 2, p90: 3 },
        { p10: 4, p50: 5, p90: 6 },
      ],
    ],
  };

  it('moves each range by its measure’s correction, and each future’s share by the same map', () => {
    const r = recalibrated(ranges, tested);
    // Plans issued: 12 -/+ 2 half-ranges of 2: 8 to 16, the median 8 + (12 - 10) x 8 / 4 = 12.
    expect(r.months[0]!.completed).toEqual({ p10: 8, p50: 12, p90: 16 });
    // The share: 0.5 - 1 x 0.1 to 0.5 + 3 x 0.1, that is 0.4 to 0.8; each future's share v becomes 0.4 + (v - 0.4) x 2.
    expect(r.shareWithin[0]!.p10).toBeCloseTo(0.4, 12);
    expect(r.shareWithin[0]!.p50).toBeCloseTo(0.6, 12);
    expect(r.shareWithin[0]!.p90).toBeCloseTo(0.8, 12);
    expect(r.replicationShares[0]!.map((v) => (v === null ? null : Number(v.toFixed(12))))).toEqual([
      0.4,
      0.5,
      0.6,
      0.7,
      0.8,
      null,
    ]);
    // The chance of 70% or more comes from the moved futures: 2 of 6.
    const stored = { months: r.months, replicationShares: r.replicationShares } as unknown as StoredForecast;
    expect(chanceOfShare(stored, '2026-12', 70)).toBeCloseTo(2 / 6, 12);
    // Open requests: the first band by its correction (a right model: unchanged), the second has none.
    expect(r.openByAge[0]).toEqual(ranges.openByAge[0]);
    expect(r.recalibration.openByAge).toEqual([{ q10: -1, q90: 1, n: 57 }, null]);
  });

  it('moves each month by the correction at its horizon: this month by the first, a month past the last by the last', () => {
    const byHorizon = { q10: -1, q90: 1, n: 12 };
    const wide = { q10: -3, q90: 3, n: 12 };
    const horizons: BackTestResult = {
      ...tested,
      measures: [{ ...tested.measures[0]!, correctionNow: [byHorizon, null, wide] }],
    };
    const month = (m: string) => ({ month: m, completed: { p10: 10, p50: 12, p90: 14 } });
    const r = recalibrated(
      {
        ...ranges,
        months: ['2026-12', '2027-01', '2027-02', '2027-08'].map(month),
        shareWithin: [],
        replicationShares: [],
        openByAge: [],
      },
      horizons,
    );
    expect(r.months.map((m) => m.completed)).toEqual([
      // Horizon 0: a right model, unchanged; horizon 1: no correction; horizons 2 and 6: 12 -/+ 3 half-ranges of 2.
      { p10: 10, p50: 12, p90: 14 },
      { p10: 10, p50: 12, p90: 14 },
      { p10: 6, p50: 12, p90: 18 },
      { p10: 6, p50: 12, p90: 18 },
    ]);
  });

  it('leaves the ranges as the simulation made them without a back-test, or with other age bands', () => {
    const none = recalibrated(ranges, null);
    expect(none.months).toEqual(ranges.months);
    expect(none.replicationShares).toEqual(ranges.replicationShares);
    expect(none.recalibration).toEqual({ issued: null, share: null, openByAge: [null, null] });
    const otherBands = recalibrated(ranges, { ...tested, ageBands: [26] });
    expect(otherBands.recalibration.openByAge).toEqual([null, null]);
    expect(otherBands.recalibration.issued).toEqual({ q10: -2, q90: 2, n: 57 });
  });
});
