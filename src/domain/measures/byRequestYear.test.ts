/**
 * Decisions within 6 weeks by the calendar year the request was received, as DfE's statistics group them (requests.csv:
 * request_outcome_six_weeks / request_outcome_over_6_weeks, "on a calendar year basis"); 6 weeks is 42 days (SEND
 * Regulations 2014 reg 5(1)).
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { decisionsWithin6WeeksByRequestYear, type RequestDecisionFacts } from './byRequestYear.js';

const d = (s: string) => s as LocalDate;
const req = (received: string, decided: string | null, withdrawn: string | null = null): RequestDecisionFacts => ({
  receivedDate: d(received),
  assessmentDecisionDate: decided ? d(decided) : null,
  withdrawnDate: withdrawn ? d(withdrawn) : null,
});

describe('decisions within 6 weeks, by the year the request was received', () => {
  const today = d('2026-12-06');
  const requests = [
    // 2025: decided on day 42 (within), day 43 (late); a December request decided in January 2026 counts in 2025.
    req('2025-03-02', '2025-04-13'),
    req('2025-03-02', '2025-04-14'),
    req('2025-12-10', '2026-01-15'),
    // Withdrawn before a decision: left out.
    req('2025-06-01', null, '2025-06-20'),
    // 2026: one within; one undecided for 50 days (overdue: it can only be late); one undecided for 10 days (not
    // judged yet); one received in 2024 (outside the 2 years asked for).
    req('2026-02-01', '2026-03-01'),
    req('2026-10-17', null),
    req('2026-11-26', null),
    req('2024-05-01', '2024-05-20'),
  ];

  it('groups by the year of the request, not of the decision, newest year first', () => {
    const [y2026, y2025] = decisionsWithin6WeeksByRequestYear(requests, today, 2);
    expect(y2025).toEqual({
      year: 2025,
      received: 4,
      within: 2,
      late: 1,
      overdue: 0,
      pending: 0,
      withdrawn: 1,
      value: (100 * 2) / 3,
      provisional: false,
    });
    expect(y2026!.year).toBe(2026);
    expect([y2026!.received, y2026!.within, y2026!.late, y2026!.overdue, y2026!.pending]).toEqual([3, 1, 1, 1, 1]);
    expect(y2026!.value).toBe(50);
  });

  it('marks the current year provisional, and a past year whose requests are still inside their 6 weeks', () => {
    const [y2026, y2025] = decisionsWithin6WeeksByRequestYear(requests, today, 2);
    expect(y2026!.provisional).toBe(true);
    expect(y2025!.provisional).toBe(false);
    // On 5 January 2026 the request of 10 December 2025 is undecided and inside its 6 weeks: 2025 is not final yet.
    const early = decisionsWithin6WeeksByRequestYear(requests, d('2026-01-05'), 2);
    expect(early[1]!.year).toBe(2025);
    expect(early[1]!.pending).toBe(1);
    expect(early[1]!.provisional).toBe(true);
  });

  it('has no figure for a year with nothing judged', () => {
    const [y] = decisionsWithin6WeeksByRequestYear([req('2026-12-01', null)], today, 1);
    expect(y).toMatchObject({ received: 1, pending: 1, value: null, provisional: true });
  });
});
