/** Reading a case's history for the calibration, and the chance of a month's share from stored futures. */
import { describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from '../domain/dates/localDate.js';
import type { CaseHistory } from '../domain/forecast/calibrate.js';
import type { MeasureCase } from '../domain/measures/monthly.js';
import { backTest, BACK_TEST_MONTHS, chanceOfShare, historyOf, type StoredForecast } from './forecasts.js';

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

describe('the back-test', () => {
  it('forecasts each of the last 6 whole months from what was known before them, beside what happened', async () => {
    // A steady service: 10 requests a week for three years; all assessed and issued; a decision after 6 weeks, advice
    // after 5 more, drafting 1, the final plan 4 weeks later (1 in 5 take 14: late).
    const cases: CaseHistory[] = [];
    for (let day = 0; day < 3 * 365; day++) {
      for (let k = 0; k < (day % 7 < 5 ? 2 : 0); k++) {
        const received = addDays(d('2023-12-01'), day);
        const decided = addDays(received, 42);
        const adviceDone = addDays(decided, 35);
        const issueDecided = addDays(adviceDone, 7);
        const late = (day + k) % 5 === 0;
        cases.push({
          received,
          decided,
          assess: true,
          adviceDone,
          issueDecided,
          issue: true,
          finalIssued: addDays(issueDecided, late ? 98 : 28),
          closed: null,
        });
      }
    }
    const test = (await backTest(cases, d('2026-11-28')))!;
    expect(test.from).toBe('2026-05-01');
    expect(test.months.map((m) => m.month)).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    expect(test.months).toHaveLength(BACK_TEST_MONTHS);
    // 4 in 5 within 20 weeks (the late ones take 30): what happened, and inside the forecast's range most months.
    for (const m of test.months) expect(m.actualShare).toBeCloseTo(0.8, 1);
    const inside = (actual: number | null, p: { p10: number | null; p90: number | null }) =>
      actual !== null && actual >= p.p10! && actual <= p.p90!;
    expect(test.months.filter((m) => inside(m.actualIssued, m.issued)).length).toBeGreaterThanOrEqual(4);
    expect(test.months.filter((m) => inside(m.actualShare, m.share)).length).toBeGreaterThanOrEqual(4);
  });
});
