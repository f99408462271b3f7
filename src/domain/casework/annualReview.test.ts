import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import {
  emptyReview,
  checkReviewStep,
  openSteps,
  planReviewDeadline,
  reviewDue,
  reviewDuties,
  reviewNextStep,
  type ReviewRecord,
} from './annualReview.js';

const d = (s: string) => s as LocalDate;
const empty = (cycleStart: string): ReviewRecord => emptyReview(d(cycleStart));
const plan = { firstIssuedDate: d('2025-03-10'), ceasedDate: null };
const today = d('2025-12-20');

describe('when a review is due', () => {
  it('CFA s.44(1), P7: 12 months starting with the plan issued Mon 10 Mar 2025 end on Mon 9 Mar 2026', () => {
    expect(reviewDue({ firstIssuedDate: d('2025-03-10'), lastReviewDate: null }, d('2015-06-01'))).toEqual({
      cycleStart: '2025-03-10',
      due: '2026-03-09',
      statutoryDue: '2026-03-09',
      rule: 'cfa_s44_1',
    });
  });
  it('CFA s.44(1): the 12 months start again with the last review (1 Mar 2024 -> 28 Feb 2025, P7)', () => {
    const due = reviewDue({ firstIssuedDate: d('2022-05-01'), lastReviewDate: d('2024-03-01') }, d('2012-01-01'));
    expect(due).toMatchObject({ cycleStart: '2024-03-01', due: '2025-02-28', rule: 'cfa_s44_1' });
  });
  it('a plan issued after a reassessment (reg 27) starts its 12 months again: issued Mon 20 Oct 2025 -> Mon 19 Oct 2026', () => {
    const plan = {
      firstIssuedDate: d('2022-05-01'),
      lastReviewDate: d('2025-03-01'),
      lastReassessedDate: d('2025-10-20'),
    };
    expect(reviewDue(plan, d('2012-01-01'))).toMatchObject({ cycleStart: '2025-10-20', due: '2026-10-19' });
    // A review after the reassessed plan starts them again in its turn.
    expect(reviewDue({ ...plan, lastReviewDate: d('2026-02-02') }, d('2012-01-01')).due).toBe('2027-02-01');
  });
  it('Code of Practice 9.178: a child under 5 is reviewed within 6 months (30 Nov 2025 -> 29 May 2026, P8)', () => {
    const due = reviewDue({ firstIssuedDate: d('2025-11-30'), lastReviewDate: null }, d('2022-04-01'));
    expect(due).toMatchObject({ due: '2026-05-29', rule: 'cop_9_178', statutoryDue: '2026-11-29' });
  });
  it('a child who is 5 on the day the cycle starts is reviewed on the 12 months', () => {
    expect(reviewDue({ firstIssuedDate: d('2025-04-01'), lastReviewDate: null }, d('2020-04-01')).rule).toBe(
      'cfa_s44_1',
    );
  });
});

describe('the refusals (issue 28: bad input)', () => {
  it('a review meeting before the plan existed', () => {
    const errors = checkReviewStep(
      plan,
      empty('2025-03-10'),
      { step: 'arrange', meetingDate: d('2025-02-01'), invitationsSentDate: d('2025-01-15') },
      today,
    );
    expect(errors.map((e) => e.field)).toEqual(['meetingDate', 'invitationsSentDate']);
    expect(errors[0]!.text).toBe('The review meeting must be on or after the date the plan was issued (10 March 2025)');
  });
  it('a decision before the meeting: not open until the meeting is held, and never dated before it', () => {
    const arranged = { ...empty('2025-03-10'), meetingDate: d('2025-11-03'), invitationsSentDate: d('2025-10-17') };
    const early = checkReviewStep(
      plan,
      arranged,
      { step: 'decision', decision: 'maintain', decisionDate: d('2025-11-01'), amendedSections: 0 },
      today,
    );
    expect(early[0]!.text).toMatch(/a decision cannot come before the meeting/);
    const held = { ...arranged, meetingHeldDate: d('2025-11-03') };
    const before = checkReviewStep(
      plan,
      held,
      { step: 'decision', decision: 'maintain', decisionDate: d('2025-11-02'), amendedSections: 0 },
      today,
    );
    expect(before).toEqual([
      {
        field: 'decisionDate',
        text: 'The date the family was told the decision must be on or after the review meeting (3 November 2025)',
      },
    ]);
  });
  it('an amendment notice on a ceased plan', () => {
    const held = { ...empty('2025-03-10'), meetingDate: d('2025-11-03'), meetingHeldDate: d('2025-11-03') };
    const errors = checkReviewStep(
      { ...plan, ceasedDate: d('2025-11-10') },
      held,
      { step: 'decision', decision: 'amend', decisionDate: d('2025-11-20'), amendedSections: 1 },
      today,
    );
    expect(errors[0]).toEqual({
      field: 'decision',
      text: 'The plan was ceased on 10 November 2025: an amendment notice cannot be sent on a ceased plan',
    });
  });
  it('a date in the future for something that has happened', () => {
    const errors = checkReviewStep(
      plan,
      empty('2025-03-10'),
      { step: 'arrange', meetingDate: d('2026-01-20'), invitationsSentDate: d('2025-12-21') },
      today,
    );
    // The meeting may be in the future; the invitations, sent already, may not.
    expect(errors).toEqual([
      { field: 'invitationsSentDate', text: 'The date the invitations were sent must be today or in the past' },
    ]);
  });
  it('reg 22(2)(c): the amended plan not before the family’s 15 days (notice Mon 1 Dec 2025: to Mon 15 Dec)', () => {
    const amending: ReviewRecord = {
      ...empty('2025-03-10'),
      meetingDate: d('2025-11-03'),
      meetingHeldDate: d('2025-11-03'),
      decision: 'amend',
      decisionDate: d('2025-12-01'),
    };
    expect(openSteps(amending)).toEqual(['outcome']);
    const input = { step: 'outcome', outcome: 'amended', familyResponded: false } as const;
    expect(checkReviewStep(plan, amending, { ...input, outcomeDate: d('2025-12-15') }, today)[0]!.text).toMatch(
      /until 15 December 2025 to comment/,
    );
    expect(checkReviewStep(plan, amending, { ...input, outcomeDate: d('2025-12-16') }, today)).toEqual([]);
  });
});

describe('the review on the clock (example C of clock.test.ts, regs 20-22, Devon)', () => {
  const r: ReviewRecord = {
    ...empty('2025-03-10'),
    meetingDate: d('2025-11-03'),
    invitationsSentDate: d('2025-10-17'),
    adviceRequestedDate: d('2025-10-01'),
    adviceCirculatedDate: d('2025-10-24'),
    meetingHeldDate: d('2025-11-03'),
    reportSentDate: d('2025-11-14'),
    decision: 'amend',
    decisionDate: d('2025-12-01'),
  };
  const duties = reviewDuties(r, d('2025-12-05'));
  const byId = Object.fromEntries(duties.map((x) => [x.id, x]));
  it('each duty’s due date and status', () => {
    expect(byId.complete_annual_review).toMatchObject({ due: '2026-03-09', status: 'met' });
    expect(byId.send_review_invitations).toMatchObject({ due: '2025-10-20', status: 'met' }); // reg 20(3)
    expect(byId.circulate_review_advice).toMatchObject({ due: '2025-10-20', status: 'missed' }); // reg 20(4)
    expect(byId.send_review_report).toMatchObject({ due: '2025-11-17', status: 'met' }); // reg 20(7)
    expect(byId.notify_review_decision).toMatchObject({ due: '2025-12-01', status: 'met' }); // reg 20(10)
    expect(byId.issue_amended_plan).toMatchObject({ due: '2026-01-26', status: 'pending' }); // reg 22(3)
    expect(byId['complete_annual_review:2']).toBeUndefined(); // the next review's, not this one's
  });
  it('what to do next: the amended plan by Mon 26 Jan 2026', () => {
    expect(reviewNextStep(r, duties)).toMatchObject({ step: 'outcome', due: '2026-01-26', overdue: false });
  });
  it('the list orders a plan by its next deadline: the 6 months of CoP 9.178 come before the 12', () => {
    const due = reviewDue({ firstIssuedDate: d('2025-11-30'), lastReviewDate: null }, d('2022-04-01'));
    expect(planReviewDeadline(due, null, today)).toEqual({ duty: 'complete_annual_review', due: '2026-05-29' });
    expect(planReviewDeadline({ due: d('2026-03-09') }, r, d('2025-12-05'))).toEqual({
      duty: 'issue_amended_plan',
      due: '2026-01-26',
    });
  });
});
