/**
 * The annual review of an EHC plan (Children and Families Act 2014 s.44; SEND Regulations 2014 regs 18-22;
 * shared/reference/statutory-timescales.md rows 6-11 and part 0): when it is due, its steps, what each step may
 * record, the events the statutory clock reads, and what to do next.
 *
 * A review runs from the day its 12 months began (the plan's issue or the last review's decision) to its decision
 * (maintain, amend or cease), which concludes the review and starts the next 12 months. When the decision is to amend,
 * the proposed amendments go with the notice (R (L, M and P) v Devon CC [2022] EWHC 493 (Admin)); the family has at
 * least 15 days to comment (reg 22(2)(c)); the amended plan, or a notice of not amending, follows within 8 weeks of
 * the notice (reg 22(3), (4)).
 */
import { ageInYears, formatLongDate, type LocalDate } from '../dates/localDate.js';
import { periodStartingWithEnds } from '../dates/months.js';
import { commentWindowEnds } from '../dates/service.js';
import { computeClock, dutyStatus, type Duty } from '../statutory/clock.js';
import type { ProcessEvent } from '../statutory/events.js';
import { addDays } from '../dates/localDate.js';
import {
  ANNUAL_REVIEW_MONTHS,
  REVIEW_INVITATIONS_DAYS_BEFORE,
  UNDER_FIVE_REVIEW_AGE,
  UNDER_FIVE_REVIEW_MONTHS,
} from '../statutory/periods.js';
import type { WorkingDayCalendar } from '../dates/workingDays.js';

/** Which rule gave a plan's review date. */
export type ReviewDueRule = 'cfa_s44_1' | 'cop_9_178';

export const REVIEW_DUE_RULE_NAMES: Record<ReviewDueRule, string> = {
  cfa_s44_1: '12 months (Children and Families Act 2014 s.44(1))',
  cop_9_178: 'Under 5: every 3 to 6 months (SEND Code of Practice 9.178)',
};

export const REVIEW_DECISIONS = ['maintain', 'amend', 'cease'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const REVIEW_DECISION_NAMES: Record<ReviewDecision, string> = {
  maintain: 'Keep the plan as it is',
  amend: 'Amend the plan',
  cease: 'Cease to maintain the plan',
};

/** Who may be asked for advice for a review (reg 20(4): the school and the professionals). */
export const REVIEW_ADVICE_FROM = {
  school: 'The school or setting',
  educational_psychology: 'Educational psychology',
  health: 'Health',
  social_care: 'Social care',
  other: 'Other professionals',
} as const;
export type ReviewAdviceFrom = keyof typeof REVIEW_ADVICE_FROM;

/**
 * When the plan's current review must be completed: by the end of the 12 months starting with the day the plan was
 * issued or last reviewed (CFA s.44(1); P7). For a child under 5 on that day, the Code of Practice (9.178) asks for a
 * review every 3 to 6 months: the end of the 6 months starting with it (P8), which is always the earlier date.
 *
 * A plan amended or replaced after a reassessment (SEND Regulations 2014 reg 27(1)) is made afresh from an EHC needs
 * assessment, so its 12 months start again with the day it was issued, as a new plan's do (s.44(1)(a)). The product
 * takes this rule; the Act does not say it in terms (statutory-timescales.md has no row for it).
 */
export function reviewDue(
  plan: { firstIssuedDate: LocalDate; lastReviewDate: LocalDate | null; lastReassessedDate?: LocalDate | null },
  dateOfBirth: LocalDate,
): { cycleStart: LocalDate; due: LocalDate; rule: ReviewDueRule; statutoryDue: LocalDate } {
  let cycleStart =
    plan.lastReviewDate && plan.lastReviewDate > plan.firstIssuedDate ? plan.lastReviewDate : plan.firstIssuedDate;
  if (plan.lastReassessedDate && plan.lastReassessedDate > cycleStart) cycleStart = plan.lastReassessedDate;
  const statutoryDue = periodStartingWithEnds(cycleStart, ANNUAL_REVIEW_MONTHS);
  if (ageInYears(dateOfBirth, cycleStart) < UNDER_FIVE_REVIEW_AGE) {
    return {
      cycleStart,
      due: periodStartingWithEnds(cycleStart, UNDER_FIVE_REVIEW_MONTHS),
      rule: 'cop_9_178',
      statutoryDue,
    };
  }
  return { cycleStart, due: statutoryDue, rule: 'cfa_s44_1', statutoryDue };
}

/** What a review has recorded so far (every date a calendar date; null until the step is recorded). */
export interface ReviewRecord {
  cycleStart: LocalDate;
  meetingDate: LocalDate | null;
  invitationsSentDate: LocalDate | null;
  adviceRequestedDate: LocalDate | null;
  adviceCirculatedDate: LocalDate | null;
  meetingHeldDate: LocalDate | null;
  reportSentDate: LocalDate | null;
  decision: ReviewDecision | null;
  decisionDate: LocalDate | null;
  outcome: 'amended' | 'not_amended' | null;
  outcomeDate: LocalDate | null;
}

/** A review cycle before any step of it is recorded. */
export function emptyReview(cycleStart: LocalDate): ReviewRecord {
  return {
    cycleStart,
    meetingDate: null,
    invitationsSentDate: null,
    adviceRequestedDate: null,
    adviceCirculatedDate: null,
    meetingHeldDate: null,
    reportSentDate: null,
    decision: null,
    decisionDate: null,
    outcome: null,
    outcomeDate: null,
  };
}

/** The plan a review belongs to, as the refusals need it. */
export interface ReviewedPlan {
  firstIssuedDate: LocalDate;
  ceasedDate: LocalDate | null;
}

export const REVIEW_STEPS = ['arrange', 'advice', 'held', 'report', 'decision', 'outcome'] as const;
export type ReviewStep = (typeof REVIEW_STEPS)[number];

/** The input of each step, as its form gives it (dates parsed already). */
export type ReviewStepInput =
  | { step: 'arrange'; meetingDate: LocalDate; invitationsSentDate: LocalDate }
  | {
      step: 'advice';
      adviceRequestedDate: LocalDate;
      adviceFrom: ReviewAdviceFrom[];
      adviceCirculatedDate: LocalDate | null;
    }
  | { step: 'held'; meetingHeldDate: LocalDate }
  | { step: 'report'; reportSentDate: LocalDate }
  | { step: 'decision'; decision: ReviewDecision; decisionDate: LocalDate; amendedSections: number }
  | { step: 'outcome'; outcome: 'amended' | 'not_amended'; outcomeDate: LocalDate; familyResponded: boolean };

export type ReviewFieldErrors = { field: string; text: string }[];

const long = (d: LocalDate) => formatLongDate(d);

/** Which steps are open now: each in its order, none after the review is completed. */
export function openSteps(r: ReviewRecord): ReviewStep[] {
  if (reviewCompleted(r)) return [];
  if (r.decision !== null) return r.decision === 'amend' ? ['outcome'] : [];
  const steps: ReviewStep[] = ['arrange', 'advice'];
  if (r.meetingDate !== null) steps.push('held');
  if (r.meetingHeldDate !== null) steps.push('report', 'decision');
  return steps;
}

/** A review is completed by its decision to maintain or cease, or, when amending, by the amended plan or the notice of not amending. */
export function reviewCompleted(r: ReviewRecord): boolean {
  if (r.decision === null) return false;
  return r.decision !== 'amend' || r.outcome !== null;
}

/** The last day of the family's 15 days to comment on the proposed amendments (reg 22(2)(c); P3: sent by email). */
export function amendmentCommentsEnd(r: ReviewRecord): LocalDate | null {
  return r.decision === 'amend' && r.decisionDate ? commentWindowEnds(r.decisionDate) : null;
}

/**
 * The refusals of a step: dates in the future for what has happened, a meeting before the plan existed, a decision
 * before the meeting, an amendment notice on a ceased plan, an amended plan before the family's 15 days are over
 * (unless they have responded). Each against its form field, in words a caseworker can act on.
 */
export function checkReviewStep(
  plan: ReviewedPlan,
  r: ReviewRecord,
  input: ReviewStepInput,
  today: LocalDate,
): ReviewFieldErrors {
  const errors: ReviewFieldErrors = [];
  if (!openSteps(r).includes(input.step)) {
    errors.push({ field: '', text: STEP_CLOSED[input.step] });
    return errors;
  }
  const happened = (field: string, what: string, date: LocalDate) => {
    if (date > today) errors.push({ field, text: `${what} must be today or in the past` });
  };
  const notBefore = (field: string, what: string, date: LocalDate, earliest: LocalDate, earliestIs: string) => {
    if (date < earliest) errors.push({ field, text: `${what} must be on or after ${earliestIs} (${long(earliest)})` });
  };
  const afterPlan = (field: string, what: string, date: LocalDate) =>
    notBefore(field, what, date, plan.firstIssuedDate, 'the date the plan was issued');
  switch (input.step) {
    case 'arrange':
      afterPlan('meetingDate', 'The review meeting', input.meetingDate);
      happened('invitationsSentDate', 'The date the invitations were sent', input.invitationsSentDate);
      afterPlan('invitationsSentDate', 'The date the invitations were sent', input.invitationsSentDate);
      if (input.invitationsSentDate > input.meetingDate && input.meetingDate >= plan.firstIssuedDate) {
        errors.push({ field: 'invitationsSentDate', text: 'The invitations must be sent before the meeting' });
      }
      break;
    case 'advice':
      happened('adviceRequestedDate', 'The date advice was asked for', input.adviceRequestedDate);
      afterPlan('adviceRequestedDate', 'The date advice was asked for', input.adviceRequestedDate);
      if (input.adviceFrom.length === 0) {
        errors.push({ field: 'adviceFrom', text: 'Select who was asked for advice' });
      }
      if (input.adviceCirculatedDate) {
        happened('adviceCirculatedDate', 'The date the advice was sent out', input.adviceCirculatedDate);
        notBefore(
          'adviceCirculatedDate',
          'The date the advice was sent out',
          input.adviceCirculatedDate,
          input.adviceRequestedDate,
          'the date it was asked for',
        );
      }
      break;
    case 'held':
      happened('meetingHeldDate', 'The date the meeting was held', input.meetingHeldDate);
      afterPlan('meetingHeldDate', 'The date the meeting was held', input.meetingHeldDate);
      break;
    case 'report':
      happened('reportSentDate', 'The date the report was sent', input.reportSentDate);
      notBefore(
        'reportSentDate',
        'The date the report was sent',
        input.reportSentDate,
        r.meetingHeldDate!,
        'the meeting',
      );
      break;
    case 'decision':
      if (input.decision === 'amend' && plan.ceasedDate !== null) {
        errors.push({
          field: 'decision',
          text: `The plan was ceased on ${long(plan.ceasedDate)}: an amendment notice cannot be sent on a ceased plan`,
        });
      }
      happened('decisionDate', 'The date the family was told the decision', input.decisionDate);
      notBefore(
        'decisionDate',
        'The date the family was told the decision',
        input.decisionDate,
        r.meetingHeldDate!,
        'the review meeting',
      );
      if (input.decision === 'amend' && input.amendedSections === 0 && plan.ceasedDate === null) {
        errors.push({
          field: 'amendments',
          text: 'Change at least one section: the proposed amendments go with the notice (Devon judgment)',
        });
      }
      break;
    case 'outcome': {
      happened('outcomeDate', 'The date', input.outcomeDate);
      notBefore('outcomeDate', 'The date', input.outcomeDate, r.decisionDate!, 'the amendment notice');
      const commentsEnd = amendmentCommentsEnd(r)!;
      if (input.outcome === 'amended' && !input.familyResponded && input.outcomeDate <= commentsEnd) {
        errors.push({
          field: 'outcomeDate',
          text: `The family has until ${long(commentsEnd)} to comment on the proposed amendments. Issue the amended plan after that, or record that they have responded`,
        });
      }
      break;
    }
  }
  return errors;
}

const STEP_CLOSED: Record<ReviewStep, string> = {
  arrange: 'The meeting cannot be arranged now: the review has a decision',
  advice: 'Advice cannot be recorded now: the review has a decision',
  held: 'Record the meeting’s date and invitations before recording that it was held',
  report: 'Record that the meeting was held before the report',
  decision: 'Record that the meeting was held before the decision: a decision cannot come before the meeting',
  outcome: 'The amended plan follows only a decision to amend that has not been completed',
};

/** The review's steps as the statutory clock's events: its 12 months start with `cycleStart` (CFA s.44(1)). */
export function reviewClockEvents(r: ReviewRecord): ProcessEvent[] {
  const events: ProcessEvent[] = [{ type: 'plan_issued', date: r.cycleStart }];
  if (r.invitationsSentDate) events.push({ type: 'review_invitations_sent', date: r.invitationsSentDate });
  const meeting = r.meetingHeldDate ?? r.meetingDate;
  if (meeting) events.push({ type: 'review_meeting', date: meeting });
  if (r.reportSentDate) events.push({ type: 'review_report_sent', date: r.reportSentDate });
  if (r.decision && r.decisionDate) {
    events.push({ type: 'review_decision', date: r.decisionDate, outcome: r.decision });
    if (r.decision === 'amend') events.push({ type: 'amendment_notice_sent', date: r.decisionDate });
  }
  // reg 22(3), (4): the amended plan, or the notice of not amending, ends the 8 weeks the same way.
  if (r.outcomeDate) events.push({ type: 'amended_plan_issued', date: r.outcomeDate });
  return events;
}

/** A duty of the review as its page lists it: the clock's duties for this cycle, and the advice sent out in time. */
export interface ReviewDuty extends Duty {
  name: string;
}

const REVIEW_DUTY_NAMES: Record<string, string> = {
  complete_annual_review: 'Complete the review (the decision told to the family)',
  send_review_invitations: 'Send the invitations to the review meeting',
  circulate_review_advice: 'Send out the advice before the meeting',
  send_review_report: 'Send the review report',
  notify_review_decision: 'Tell the family the review decision',
  issue_amended_plan: 'Issue the amended plan or a notice of not amending',
};

/**
 * The review's duties as of `today`, by due date: the 12 months (CFA s.44(1)), invitations 2 weeks before the
 * meeting (reg 20(3)), advice sent out 2 weeks before it (reg 20(4)), the report within 2 weeks of it (reg 20(7)),
 * the decision within 4 weeks of it (reg 20(10); Devon), the amended plan within 8 weeks of the notice (reg 22(3)).
 */
export function reviewDuties(r: ReviewRecord, today: LocalDate, calendar?: WorkingDayCalendar): ReviewDuty[] {
  const result = computeClock(reviewClockEvents(r), today, calendar);
  // The next cycle's duty (complete_annual_review:2) belongs to the next review, not this one.
  const duties: ReviewDuty[] = result.deadlines
    .filter((d) => !/:\d+$/.test(d.id))
    .map((d) => ({ ...d, name: REVIEW_DUTY_NAMES[d.id] ?? d.id }));
  const meeting = r.meetingHeldDate ?? r.meetingDate;
  if (meeting && r.adviceRequestedDate) {
    const due = addDays(meeting, -REVIEW_INVITATIONS_DAYS_BEFORE);
    const done = r.adviceCirculatedDate && r.adviceCirculatedDate <= meeting ? r.adviceCirculatedDate : null;
    duties.push({
      id: 'circulate_review_advice',
      due,
      completed: done,
      status: dutyStatus(due, done, today),
      basis: 'SEND Regulations 2014 reg 20(4), 21(4)',
      name: REVIEW_DUTY_NAMES.circulate_review_advice!,
    });
  }
  return duties.sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
}

/** What to do next on a review, and by when (null once it is completed). */
export function reviewNextStep(
  r: ReviewRecord,
  duties: readonly ReviewDuty[],
): { step: ReviewStep; text: string; due: LocalDate | null; overdue: boolean } | null {
  if (reviewCompleted(r)) return null;
  const due = (id: string) => duties.find((d) => d.id === id);
  const make = (step: ReviewStep, text: string, duty: ReviewDuty | undefined) => ({
    step,
    text,
    due: duty?.due ?? null,
    overdue: duty?.status === 'overdue',
  });
  if (r.decision === 'amend') {
    return make('outcome', 'Issue the amended plan, or a notice of not amending', due('issue_amended_plan'));
  }
  if (r.meetingDate === null) {
    return make('arrange', 'Arrange the review meeting and send the invitations', due('complete_annual_review'));
  }
  if (r.adviceRequestedDate === null) {
    return make('advice', 'Ask the school and professionals for advice', due('send_review_invitations'));
  }
  if (r.meetingHeldDate === null) return make('held', 'Record that the review meeting was held', undefined);
  if (r.reportSentDate === null) return make('report', 'Send the review report', due('send_review_report'));
  return make('decision', 'Decide and tell the family: maintain, amend or cease', due('notify_review_decision'));
}

/** The duty the reviews list orders a plan by: the review's next duty not done, or the 12 months when none is open. */
export function reviewNextDeadline(duties: readonly ReviewDuty[]): { duty: string; due: LocalDate } | null {
  let next: ReviewDuty | null = null;
  for (const d of duties) if (d.completed === null && (next === null || d.due < next.due)) next = d;
  return next ? { duty: next.id, due: next.due } : null;
}

export const REVIEW_LIST_DUTY_NAMES: Record<string, string> = {
  ...REVIEW_DUTY_NAMES,
  complete_annual_review: 'Complete the annual review',
  review_after_transfer: 'Review the plan transferred in (reg 15(5))',
};

/**
 * A plan's next review deadline, as the reviews list orders it: the review's next duty not done, but never later
 * than the day the review is due by its rule (for a child under 5, Code of Practice 9.178's 6 months come first).
 */
export function planReviewDeadline(
  due: { due: LocalDate },
  r: ReviewRecord | null,
  today: LocalDate,
  calendar?: WorkingDayCalendar,
): { duty: string; due: LocalDate } {
  const fromReview = r ? reviewNextDeadline(reviewDuties(r, today, calendar)) : null;
  const undecided = r === null || r.decision === null;
  if (undecided && (fromReview === null || due.due < fromReview.due)) {
    return { duty: 'complete_annual_review', due: due.due };
  }
  return fromReview ?? { duty: 'complete_annual_review', due: due.due };
}
