/**
 * Reassessing a child's or young person's needs while their EHC plan is maintained (Children and Families Act 2014
 * s.44(2), (3); SEND Regulations 2014 regs 24-27; shared/reference/statutory-timescales.md rows 13 and 14, and the
 * duties `decide_reassessment` and `issue_reassessed_plan` of part 0): who may ask, the decision and its 15 days, the
 * refusals the law allows, the advice, the draft and the final plan in 14 weeks with reg 27(3)'s exceptions, and the
 * family's right of appeal and mediation when the council refuses.
 *
 * - s.44(2): the council must secure a reassessment when the parent, the young person, the school or college (its
 *   governing body, proprietor or principal) or the health commissioning body asks; s.44(3): it may reassess at any
 *   other time if it thinks it necessary.
 * - reg 24(2): it may refuse when (a) less than 6 months have passed since the last EHC needs assessment, or (b) it
 *   is satisfied a reassessment is not necessary. Paragraph (a) is a "may": a request inside 6 months may still be
 *   met, and a refusal on that ground gives its reason like any other.
 * - reg 25: the decision is notified within 15 days of the request (P2: calendar days, request day excluded); a
 *   refusal states the right of appeal (CFA s.51(2)(d)), its time limits and mediation (reg 32).
 * - reg 26: the assessment's rules (regs 6-9) apply to the reassessment: the advice is sought as for an assessment,
 *   each within 6 weeks of being asked for (reg 8(1)).
 * - reg 27(1): the plan is amended or replaced as after an assessment (a draft, and the family's 15 days to comment,
 *   reg 13(1)); reg 27(2): the final plan within 14 weeks of the notice under reg 25(1), or of the council's own
 *   decision under s.44(3); reg 27(3)(a)-(d): the exceptions (worded as reg 10(4)), which never move the date (P11).
 */
import { formatLongDate, type LocalDate } from '../dates/localDate.js';
import { addMonths } from '../dates/months.js';
import { commentWindowEnds } from '../dates/service.js';
import type { WorkingDayCalendar } from '../dates/workingDays.js';
import { appealBy, mediationContactBy, type AppealDeadline } from '../statutory/appeal.js';
import { BASIS, computeClock, dutyStatus, type Duty } from '../statutory/clock.js';
import { exceptionRegulation, type ExceptionReason, type ProcessEvent } from '../statutory/events.js';
import { ADVICE_DAYS, REASSESSED_PLAN_DAYS } from '../statutory/periods.js';
import { addDays } from '../dates/localDate.js';

/** Who asked for the reassessment, or the council's own decision (s.44(3)). */
export const REASSESSMENT_REQUESTERS = ['parent', 'young_person', 'school', 'health', 'council'] as const;
export type ReassessmentRequester = (typeof REASSESSMENT_REQUESTERS)[number];

export const REQUESTER_NAMES: Record<ReassessmentRequester, { text: string; basis: string }> = {
  parent: { text: 'The child’s parent', basis: 'Children and Families Act 2014 s.44(2)(a)' },
  young_person: { text: 'The young person', basis: 'Children and Families Act 2014 s.44(2)(a)' },
  school: {
    text: 'The school or college (its governing body, proprietor or principal)',
    basis: 'Children and Families Act 2014 s.44(2)(b)',
  },
  health: { text: 'The health commissioning body', basis: 'Children and Families Act 2014 s.44(2)(c)' },
  council: {
    text: 'The council itself: it thinks a reassessment is necessary',
    basis: 'Children and Families Act 2014 s.44(3)',
  },
};

/** reg 24(2): the grounds on which the council may refuse a request. */
export const REFUSAL_GROUNDS = ['within_six_months', 'not_necessary'] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];
export const REFUSAL_GROUND_NAMES: Record<RefusalGround, { text: string; basis: string }> = {
  within_six_months: {
    text: 'Less than 6 months have passed since the last EHC needs assessment',
    basis: 'SEND Regulations 2014 reg 24(2)(a)',
  },
  not_necessary: {
    text: 'A reassessment is not necessary',
    basis: 'SEND Regulations 2014 reg 24(2)(b)',
  },
};

/** reg 24(2)(a): the months within which a request may be refused because of the last assessment. */
export const REASSESSMENT_MIN_MONTHS = 6;

/** The advice sought for a reassessment, as for an assessment (reg 26 applying reg 6(1)(a)-(h)). */
export const REASSESSMENT_ADVICE = {
  family: 'The parent or young person',
  education: 'Educational advice (the school or setting)',
  health: 'Medical advice (health)',
  psychology: 'Psychological advice (an educational psychologist)',
  social_care: 'Social care advice',
  adulthood: 'Preparing for adulthood (from Year 9)',
  other: 'Other advice the council thinks appropriate',
} as const;
export type ReassessmentAdvice = keyof typeof REASSESSMENT_ADVICE;
export const REASSESSMENT_ADVICE_CODES = Object.keys(REASSESSMENT_ADVICE) as ReassessmentAdvice[];

/** reg 27(3)(a)-(d): the exceptions to the 14 weeks. */
export const REASSESSMENT_EXCEPTIONS = [
  'reg27_3_a',
  'reg27_3_b',
  'reg27_3_c',
  'reg27_3_d',
] as const satisfies readonly ExceptionReason[];
export type ReassessmentException = (typeof REASSESSMENT_EXCEPTIONS)[number];
export const REASSESSMENT_EXCEPTION_NAMES: Record<ReassessmentException, string> = {
  reg27_3_a:
    'The council asked a school or college for advice from 1 week before it closed for 4 weeks or more to 1 week before it reopened (reg 27(3)(a))',
  reg27_3_b:
    'The council asked an early years provider for advice from 1 week before it closed for 4 weeks or more to 1 week before it reopened (reg 27(3)(b))',
  reg27_3_c: 'Exceptional personal circumstances affect the child, the parent or the young person (reg 27(3)(c))',
  reg27_3_d: 'The child, the parent or the young person is away from the area for 4 weeks or more (reg 27(3)(d))',
};

export interface RecordedException {
  reason: ReassessmentException;
  from: LocalDate;
  to: LocalDate | null;
}

/** What a reassessment has recorded (null until the step is). */
export interface ReassessmentRecord {
  requestedBy: ReassessmentRequester;
  /** The day the request was received, or (s.44(3)) the day the council decided to reassess. */
  receivedDate: LocalDate;
  /** The day the last EHC needs assessment ended in a plan (the plan's issue, or the last reassessed plan's). */
  lastAssessmentDate: LocalDate;
  decision: 'reassess' | 'not_reassess' | null;
  /** The day the decision was notified (reg 25(1)). */
  decisionDate: LocalDate | null;
  refusalGround: RefusalGround | null;
  adviceRequestedDate: LocalDate | null;
  adviceRequested: ReassessmentAdvice[];
  adviceReceived: ReassessmentAdvice[];
  draftServedDate: LocalDate | null;
  finalIssuedDate: LocalDate | null;
  exceptions: RecordedException[];
}

export const REASSESSMENT_STEPS = ['request', 'decision', 'advice', 'draft', 'final', 'exception'] as const;
export type ReassessmentStep = (typeof REASSESSMENT_STEPS)[number];

/** Each step's input as its form gives it (dates parsed). */
export type ReassessmentStepInput =
  | { step: 'request'; requestedBy: ReassessmentRequester; receivedDate: LocalDate }
  | {
      step: 'decision';
      decision: 'reassess' | 'not_reassess';
      decisionDate: LocalDate;
      refusalGround: RefusalGround | null;
      /** The council's reasons for refusing (told to the family; never on the timeline). */
      refusalReason: string;
    }
  | {
      step: 'advice';
      adviceRequestedDate: LocalDate;
      adviceRequested: ReassessmentAdvice[];
      adviceReceived: ReassessmentAdvice[];
    }
  | { step: 'draft'; draftServedDate: LocalDate }
  | { step: 'final'; finalIssuedDate: LocalDate; familyResponded: boolean }
  | { step: 'exception'; reason: ReassessmentException; from: LocalDate; to: LocalDate | null };

export type ReassessmentFieldErrors = { field: string; text: string }[];

/** The plan a reassessment is of, as the refusals need it. */
export interface ReassessedPlan {
  firstIssuedDate: LocalDate;
  ceasedDate: LocalDate | null;
  /** The day the last reassessed plan was issued, if there was one. */
  lastReassessedDate: LocalDate | null;
}

const long = (d: LocalDate) => formatLongDate(d);

/** The day the last EHC needs assessment ended: the plan's issue, or the last reassessed plan's if later. */
export function lastAssessmentDate(plan: ReassessedPlan): LocalDate {
  const r = plan.lastReassessedDate;
  return r !== null && r > plan.firstIssuedDate ? r : plan.firstIssuedDate;
}

/** reg 24(2)(a): the day from which 6 months have passed since the last assessment (calendar months). */
export function sixMonthsPassedOn(lastAssessment: LocalDate): LocalDate {
  return addMonths(lastAssessment, REASSESSMENT_MIN_MONTHS);
}

/** reg 24(2)(a): less than 6 months had passed since the last assessment on the day the request was received. */
export function withinSixMonths(r: Pick<ReassessmentRecord, 'receivedDate' | 'lastAssessmentDate'>): boolean {
  return r.receivedDate < sixMonthsPassedOn(r.lastAssessmentDate);
}

/** A reassessment as its first step leaves it: the council's own decision (s.44(3)) is its decision to reassess. */
export function newReassessment(
  input: Extract<ReassessmentStepInput, { step: 'request' }>,
  plan: ReassessedPlan,
): ReassessmentRecord {
  const own = input.requestedBy === 'council';
  return {
    requestedBy: input.requestedBy,
    receivedDate: input.receivedDate,
    lastAssessmentDate: lastAssessmentDate(plan),
    decision: own ? 'reassess' : null,
    decisionDate: own ? input.receivedDate : null,
    refusalGround: null,
    adviceRequestedDate: null,
    adviceRequested: [],
    adviceReceived: [],
    draftServedDate: null,
    finalIssuedDate: null,
    exceptions: [],
  };
}

/** Open until the council refuses or the final plan is issued. */
export function reassessmentOpen(r: ReassessmentRecord | null): boolean {
  return r !== null && r.decision !== 'not_reassess' && r.finalIssuedDate === null;
}

/** The steps open now, in order. */
export function openReassessmentSteps(r: ReassessmentRecord | null): ReassessmentStep[] {
  if (r === null || !reassessmentOpen(r)) return ['request'];
  if (r.decision === null) return ['decision'];
  const steps: ReassessmentStep[] = ['advice', 'draft'];
  if (r.draftServedDate !== null) steps.push('final');
  steps.push('exception');
  return steps;
}

/** The last day of the family's 15 days to comment on the draft (reg 27(1) applying reg 13(1); P3, sent by email). */
export function draftCommentsEnd(r: ReassessmentRecord): LocalDate | null {
  return r.draftServedDate ? commentWindowEnds(r.draftServedDate) : null;
}

/** The advice's due date: 6 weeks from asking (reg 8(1), applied by reg 26). */
export function adviceDue(r: ReassessmentRecord): LocalDate | null {
  return r.adviceRequestedDate ? addDays(r.adviceRequestedDate, ADVICE_DAYS) : null;
}

/** Whether every piece of advice asked for is in. */
export function allAdviceIn(r: ReassessmentRecord): boolean {
  return r.adviceRequested.length > 0 && r.adviceRequested.every((a) => r.adviceReceived.includes(a));
}

/**
 * The refusals of a step, each against its form field in words a caseworker can act on: a reassessment of a ceased
 * plan, a second one while one is open, a date in the future for what has happened, a decision before the request,
 * a refusal on the 6-month ground once 6 months have passed, a refusal without its reason, a final plan inside the
 * family's 15 days on the draft, and steps out of order.
 */
export function checkReassessmentStep(
  plan: ReassessedPlan,
  r: ReassessmentRecord | null,
  input: ReassessmentStepInput,
  today: LocalDate,
): ReassessmentFieldErrors {
  if (plan.ceasedDate !== null) {
    return [
      {
        field: '',
        text: `The plan was ceased on ${long(plan.ceasedDate)}: a plan that has ended cannot be reassessed`,
      },
    ];
  }
  if (!openReassessmentSteps(r).includes(input.step)) return [{ field: '', text: stepClosed(r, input.step) }];
  const errors: ReassessmentFieldErrors = [];
  const happened = (field: string, what: string, date: LocalDate) => {
    if (date > today) errors.push({ field, text: `${what} must be today or in the past` });
  };
  const notBefore = (field: string, what: string, date: LocalDate, earliest: LocalDate, earliestIs: string) => {
    if (date < earliest) errors.push({ field, text: `${what} must be on or after ${earliestIs} (${long(earliest)})` });
  };
  switch (input.step) {
    case 'request': {
      const what =
        input.requestedBy === 'council'
          ? 'The date the council decided to reassess'
          : 'The date the request was received';
      happened('receivedDate', what, input.receivedDate);
      notBefore('receivedDate', what, input.receivedDate, plan.firstIssuedDate, 'the date the plan was issued');
      break;
    }
    case 'decision': {
      const c = r!;
      happened('decisionDate', 'The date the family was told the decision', input.decisionDate);
      notBefore(
        'decisionDate',
        'The decision',
        input.decisionDate,
        c.receivedDate,
        'the date the request was received',
      );
      if (input.decision === 'not_reassess') {
        if (input.refusalGround === null) {
          errors.push({ field: 'refusalGround', text: 'Select why the council is refusing the reassessment' });
        } else if (input.refusalGround === 'within_six_months' && !withinSixMonths(c)) {
          errors.push({
            field: 'refusalGround',
            text: `6 months had passed since the last assessment (${long(c.lastAssessmentDate)}) by ${long(sixMonthsPassedOn(c.lastAssessmentDate))}: decide whether a reassessment is necessary (reg 24(2)(b))`,
          });
        }
        if (input.refusalReason.trim() === '') {
          errors.push({
            field: 'refusalReason',
            text:
              input.refusalGround === 'within_six_months'
                ? 'Give the council’s reason: within 6 months it may refuse, but it need not (reg 24(2)(a))'
                : 'Give the council’s reason for refusing',
          });
        }
      }
      break;
    }
    case 'advice': {
      happened('adviceRequestedDate', 'The date advice was asked for', input.adviceRequestedDate);
      notBefore(
        'adviceRequestedDate',
        'The date advice was asked for',
        input.adviceRequestedDate,
        r!.decisionDate!,
        'the decision to reassess',
      );
      if (input.adviceRequested.length === 0) {
        errors.push({ field: 'adviceRequested', text: 'Select whose advice was asked for' });
      }
      if (input.adviceReceived.some((a) => !input.adviceRequested.includes(a))) {
        errors.push({ field: 'adviceReceived', text: 'Advice can be in only from someone who was asked for it' });
      }
      break;
    }
    case 'draft':
      happened('draftServedDate', 'The date the draft plan was sent', input.draftServedDate);
      notBefore(
        'draftServedDate',
        'The date the draft plan was sent',
        input.draftServedDate,
        r!.decisionDate!,
        'the decision to reassess',
      );
      break;
    case 'final': {
      happened('finalIssuedDate', 'The date the final plan was issued', input.finalIssuedDate);
      notBefore(
        'finalIssuedDate',
        'The date the final plan was issued',
        input.finalIssuedDate,
        r!.draftServedDate!,
        'the draft',
      );
      const commentsEnd = draftCommentsEnd(r!)!;
      if (
        !input.familyResponded &&
        input.finalIssuedDate >= r!.draftServedDate! &&
        input.finalIssuedDate <= commentsEnd
      ) {
        errors.push({
          field: 'finalIssuedDate',
          text: `The family has until ${long(commentsEnd)} to comment on the draft (reg 27(1), reg 13(1)). Issue the final plan after that, or record that they have responded`,
        });
      }
      break;
    }
    case 'exception':
      happened('from', 'The date the exception began', input.from);
      notBefore('from', 'The date the exception began', input.from, r!.decisionDate!, 'the decision to reassess');
      if (input.to !== null) {
        happened('to', 'The date the exception ended', input.to);
        notBefore('to', 'The date the exception ended', input.to, input.from, 'the date it began');
      }
      if (exceptionRegulation(input.reason) !== 'reg27_3') {
        errors.push({ field: 'reason', text: 'Select a reason reg 27(3) allows' });
      }
      break;
  }
  return errors;
}

function stepClosed(r: ReassessmentRecord | null, step: ReassessmentStep): string {
  if (step === 'request') {
    return 'A reassessment of this plan is already under way: continue it from its page';
  }
  if (r === null || !reassessmentOpen(r)) return 'Record the request for a reassessment first';
  if (step === 'decision') return 'The decision on this request has been recorded';
  if (r.decision === null) return 'Record the decision to reassess first';
  return 'Record the draft plan before the final plan';
}

/** The reassessment after a step (a new one for the request). */
export function applyReassessmentStep(
  r: ReassessmentRecord | null,
  input: ReassessmentStepInput,
  plan: ReassessedPlan,
): ReassessmentRecord {
  switch (input.step) {
    case 'request':
      return newReassessment(input, plan);
    case 'decision':
      return {
        ...r!,
        decision: input.decision,
        decisionDate: input.decisionDate,
        refusalGround: input.decision === 'not_reassess' ? input.refusalGround : null,
      };
    case 'advice':
      return {
        ...r!,
        adviceRequestedDate: input.adviceRequestedDate,
        adviceRequested: input.adviceRequested,
        adviceReceived: input.adviceReceived,
      };
    case 'draft':
      return { ...r!, draftServedDate: input.draftServedDate };
    case 'final':
      return { ...r!, finalIssuedDate: input.finalIssuedDate };
    case 'exception':
      return { ...r!, exceptions: [...r!.exceptions, { reason: input.reason, from: input.from, to: input.to }] };
  }
}

/** The reassessment as the statutory clock's events (a request the council made itself has no request event). */
export function reassessmentClockEvents(r: ReassessmentRecord): ProcessEvent[] {
  const events: ProcessEvent[] = [];
  if (r.requestedBy !== 'council') events.push({ type: 'reassessment_requested', date: r.receivedDate });
  if (r.decision && r.decisionDate) {
    events.push({ type: 'reassessment_decision', date: r.decisionDate, outcome: r.decision });
  }
  if (r.finalIssuedDate) events.push({ type: 'reassessed_plan_issued', date: r.finalIssuedDate });
  for (const e of r.exceptions) {
    events.push({
      type: 'exception',
      date: e.from,
      reason: e.reason,
      duty: 'issue_reassessed_plan',
      from: e.from,
      ...(e.to ? { to: e.to } : {}),
    });
  }
  return events;
}

export interface ReassessmentDuty extends Duty {
  name: string;
}

const DUTY_NAMES: Record<string, string> = {
  decide_reassessment: 'Tell the family whether the council will reassess',
  issue_reassessed_plan: 'Issue the final plan after the reassessment',
};

/**
 * The reassessment's duties as of `today`, from the statutory clock: the decision within 15 days of the request
 * (reg 25), the final plan within 14 weeks of the decision to reassess (reg 27(2)) with any reg 27(3) exception listed
 * against it (P11: the date does not move). The council's own decision (s.44(3)) starts the 14 weeks; the clock
 * counts them from a request's decision, so here they are counted from the decision the same way.
 */
export function reassessmentDuties(r: ReassessmentRecord, today: LocalDate): ReassessmentDuty[] {
  const events = reassessmentClockEvents(r);
  let duties: Duty[];
  if (r.requestedBy === 'council') {
    const due = addDays(r.decisionDate!, REASSESSED_PLAN_DAYS);
    const exceptions = [...new Set(r.exceptions.map((e) => e.reason))];
    duties = [
      {
        id: 'issue_reassessed_plan',
        due,
        completed: r.finalIssuedDate,
        status: dutyStatus(due, r.finalIssuedDate, today),
        basis: BASIS.issue_reassessed_plan,
        ...(exceptions.length ? { exceptions } : {}),
      },
    ];
  } else {
    duties = computeClock(events, today).deadlines;
  }
  return duties.map((d) => ({ ...d, name: DUTY_NAMES[d.id] ?? d.id }));
}

/** The family's dates after a refusal: appeal (Tribunal rules, CFA s.51(2)(d)) and mediation adviser (reg 33). */
export function refusalAppealDates(
  r: ReassessmentRecord,
  calendar: WorkingDayCalendar,
): { appeal: AppealDeadline; mediationBy: LocalDate } | null {
  if (r.decision !== 'not_reassess' || r.decisionDate === null) return null;
  return { appeal: appealBy(r.decisionDate, null, calendar), mediationBy: mediationContactBy(r.decisionDate) };
}

/** What to do next on a reassessment, and by when (null once it has ended). */
export function reassessmentNextStep(
  r: ReassessmentRecord | null,
  duties: readonly ReassessmentDuty[],
): { step: ReassessmentStep; text: string; duty: string | null; due: LocalDate | null; overdue: boolean } | null {
  if (r === null || !reassessmentOpen(r)) return null;
  const make = (step: ReassessmentStep, text: string, id: string | null) => {
    const duty = id ? duties.find((d) => d.id === id) : undefined;
    return { step, text, duty: duty ? id : null, due: duty?.due ?? null, overdue: duty?.status === 'overdue' };
  };
  if (r.decision === null) {
    return make('decision', 'Decide whether to reassess, and tell the family', 'decide_reassessment');
  }
  if (r.adviceRequestedDate === null) {
    return make('advice', 'Ask for advice, as for an assessment', 'issue_reassessed_plan');
  }
  if (r.draftServedDate === null) {
    return make(
      'draft',
      allAdviceIn(r) ? 'Send the draft plan' : 'Record the advice as it comes in, then send the draft plan',
      'issue_reassessed_plan',
    );
  }
  return make('final', 'Issue the final plan', 'issue_reassessed_plan');
}

/** The duty the reassessments list orders an open reassessment by: its next duty not done. */
export function reassessmentNextDeadline(duties: readonly ReassessmentDuty[]): { duty: string; due: LocalDate } | null {
  let next: ReassessmentDuty | null = null;
  for (const d of duties) if (d.completed === null && (next === null || d.due < next.due)) next = d;
  return next ? { duty: next.id, due: next.due } : null;
}
