/** Reading a case's history for the calibration, and the chance of a month's share from stored futures. */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../domain/dates/localDate.js';
import type { MeasureCase } from '../domain/measures/monthly.js';
import { chanceOfShare, historyOf, type StoredForecast } from './forecasts.js';

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
