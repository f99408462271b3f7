/**
 * The statutory clock: every duty of an EHC process, its due date, whether and when it was done, and its status as
 * of a date (shared/reference/statutory-timescales.md part 0; contracts/cli.md `openehcp deadlines`).
 *
 * Exceptions never move a due date (rule P11): each is listed on the duty it applies to, and one to the 20-week duty
 * sets `exceptionApplies`. Due dates never roll forward off a weekend or bank holiday (rule P9). A withdrawn request's
 * undone duties end: they are listed apart, in `ended`, never as pending or overdue. Events may come in any order;
 * the clock works from their dates.
 */
import { dayNumberOf, fromDayNumber, toDayNumber, type LocalDate } from '../dates/localDate.js';
import { periodStartingWithEndsDay } from '../dates/months.js';
import { commentWindowEnds, deemedServed } from '../dates/service.js';
import { englandAndWales, type WorkingDayCalendar } from '../dates/workingDays.js';
import {
  exceptionDuty,
  exceptionRegulation,
  TWENTY_WEEK_DUTY,
  type EventType,
  type ExceptionReason,
  type ProcessEvent,
} from './events.js';
import {
  ADVICE_DAYS,
  AMENDED_PLAN_DAYS,
  ANNUAL_REVIEW_MONTHS,
  DECIDE_REASSESSMENT_DAYS,
  DECIDE_WHETHER_TO_ASSESS_DAYS,
  DECISION_NOT_TO_ISSUE_DAYS,
  FINAL_PLAN_DAYS,
  INFORM_PARENT_AFTER_TRANSFER_DAYS,
  MEDIATION_CERTIFICATE_WORKING_DAYS,
  PHASE_TRANSFER_BEFORE,
  REASSESSED_PLAN_DAYS,
  REVIEW_AFTER_TRANSFER_MONTHS,
  REVIEW_DECISION_DAYS,
  REVIEW_INVITATIONS_DAYS_BEFORE,
  REVIEW_REPORT_DAYS,
  TRIBUNAL_ORDER_DAYS,
} from './periods.js';

export type DutyStatus = 'met' | 'missed' | 'pending' | 'overdue';

export interface Duty {
  id: string;
  due: LocalDate;
  completed: LocalDate | null;
  status: DutyStatus;
  basis: string;
  /** P11: the reasons of the exceptions recorded against this duty (its due date does not move); absent if none. */
  exceptions?: ExceptionReason[];
}

/** A duty of a withdrawn request that was not done: no longer owed, so neither pending nor overdue. */
export interface EndedDuty {
  id: string;
  due: LocalDate;
  basis: string;
  /** The day the request was withdrawn. */
  endedOn: LocalDate;
}

export interface ClockMeasures {
  /** P12: the final plan was issued within 140 days of the request; null until it is issued. */
  finalPlanWithin20Weeks: boolean | null;
  daysToFinalPlan: number | null;
  /**
   * P11, P12: an exception to the 20-week duty (issue_final_plan: a reg 10(4) reason, applied by reg 13(3)) was
   * recorded, so "excluding exceptions" leaves the case out (SEN2 Week20). Due dates do not move.
   */
  exceptionApplies: boolean;
  /** P3/P4: the last day of the family's 15-day comment window on the latest draft, from its deemed service. */
  draftCommentWindowEnds: LocalDate | null;
}

export interface ClockResult {
  deadlines: Duty[];
  measures: ClockMeasures;
  /** The duties a request_withdrawn event ended (beyond the contract: it allows extra fields). */
  ended: EndedDuty[];
}

/** The duties of the request itself, which its withdrawal ends (the plan's later duties are not the request's). */
const REQUEST_DUTIES = new Set(['decide_whether_to_assess', 'notify_decision_not_to_issue', 'issue_final_plan']);

const REGS = 'SEND Regulations 2014';
export const BASIS = {
  decide_whether_to_assess: `${REGS} reg 5(1)`,
  advice: `${REGS} reg 8(1)`,
  notify_decision_not_to_issue: `${REGS} reg 10(1)`,
  issue_final_plan: `${REGS} reg 13(2)`,
  complete_annual_review: 'Children and Families Act 2014 s.44(1)',
  send_review_invitations: `${REGS} reg 20(3), 21(3)`,
  send_review_report: `${REGS} reg 20(7)-(8), 21(7)`,
  notify_review_decision: `${REGS} reg 20(10), 21(9); R (L, M and P) v Devon CC [2022] EWHC 493 (Admin)`,
  issue_amended_plan: `${REGS} reg 22(3)`,
  finalise_phase_transfer: `${REGS} reg 18`,
  decide_reassessment: `${REGS} reg 25`,
  issue_reassessed_plan: `${REGS} reg 27(2)`,
  inform_parent_after_transfer: `${REGS} reg 15(4)`,
  review_after_transfer: `${REGS} reg 15(5)`,
  issue_mediation_certificate: `${REGS} regs 34-39`,
  tribunal: `${REGS} reg 44(2)`,
} as const;

export function dutyStatus(due: LocalDate, completed: LocalDate | null, asOf: LocalDate): DutyStatus {
  if (completed !== null) return completed <= due ? 'met' : 'missed';
  return asOf <= due ? 'pending' : 'overdue';
}

type Of<T extends ProcessEvent['type']> = Extract<ProcessEvent, { type: T }>;

/**
 * One type's events in date order (stable for equal dates), with their day numbers. The clock works on day numbers
 * and formats a date only for its output. Groups are reused from case to case, so a national caseload's clock
 * allocates little more than its answers; `n` is the number of events held (entries past it are stale).
 */
class Group<E extends ProcessEvent> {
  readonly items: E[] = [];
  readonly days: number[] = [];
  n = 0;

  add(e: E, day: number): void {
    // Insertion: most timelines arrive in date order, so this is usually a plain append.
    let i = this.n++;
    while (i > 0 && this.days[i - 1]! > day) {
      this.items[i] = this.items[i - 1]!;
      this.days[i] = this.days[i - 1]!;
      i -= 1;
    }
    this.items[i] = e;
    this.days[i] = day;
  }

  /** The first event, or undefined. */
  first(): E | undefined {
    return this.n > 0 ? this.items[0] : undefined;
  }

  /** The index of the first event dated on or after day `from` and before day `until`; -1 when there is none. */
  firstBetween(from: number, until = Infinity): number {
    for (let i = 0; i < this.n; i++) {
      const day = this.days[i]!;
      if (day >= from && day < until) return i;
    }
    return -1;
  }
}

/** Events grouped by type: a field per type (the compiler checks none is missing), read by name. */
class EventGroups implements Record<EventType, Group<ProcessEvent>> {
  readonly request_received = new Group<Of<'request_received'>>();
  readonly assessment_decision = new Group<Of<'assessment_decision'>>();
  readonly advice_requested = new Group<Of<'advice_requested'>>();
  readonly advice_received = new Group<Of<'advice_received'>>();
  readonly issue_decision = new Group<Of<'issue_decision'>>();
  readonly draft_served = new Group<Of<'draft_served'>>();
  readonly final_plan_issued = new Group<Of<'final_plan_issued'>>();
  readonly exception = new Group<Of<'exception'>>();
  readonly request_withdrawn = new Group<Of<'request_withdrawn'>>();
  readonly plan_issued = new Group<Of<'plan_issued'>>();
  readonly review_invitations_sent = new Group<Of<'review_invitations_sent'>>();
  readonly review_meeting = new Group<Of<'review_meeting'>>();
  readonly review_report_sent = new Group<Of<'review_report_sent'>>();
  readonly review_decision = new Group<Of<'review_decision'>>();
  readonly amendment_notice_sent = new Group<Of<'amendment_notice_sent'>>();
  readonly amended_plan_issued = new Group<Of<'amended_plan_issued'>>();
  readonly phase_transfer = new Group<Of<'phase_transfer'>>();
  readonly phase_transfer_plan_finalised = new Group<Of<'phase_transfer_plan_finalised'>>();
  readonly reassessment_requested = new Group<Of<'reassessment_requested'>>();
  readonly reassessment_decision = new Group<Of<'reassessment_decision'>>();
  readonly reassessed_plan_issued = new Group<Of<'reassessed_plan_issued'>>();
  readonly transfer_in = new Group<Of<'transfer_in'>>();
  readonly parent_informed_after_transfer = new Group<Of<'parent_informed_after_transfer'>>();
  readonly mediation_ended = new Group<Of<'mediation_ended'>>();
  readonly mediation_certificate_issued = new Group<Of<'mediation_certificate_issued'>>();
  readonly tribunal_order = new Group<Of<'tribunal_order'>>();

  /** Every group by its event type (filing an event by a map lookup measured faster than a 25-way switch). */
  private readonly byType: Map<string, Group<ProcessEvent>> = new Map(
    Object.entries(this).filter((entry): entry is [string, Group<ProcessEvent>] => entry[1] instanceof Group),
  );
  private readonly all = [...this.byType.values()];

  /** Empties every group and fills them from `events`. */
  fill(events: readonly ProcessEvent[]): void {
    for (const group of this.all) group.n = 0;
    for (const e of events) this.byType.get(e.type)!.add(e, toDayNumber(e.date));
  }
}

/** The duties of the case being computed, with their due dates as day numbers for status and ordering. */
class DutyList {
  list: Duty[] = [];
  private readonly dueDays: number[] = [];
  private asOfDay = 0;

  start(asOf: LocalDate): void {
    this.list = [];
    this.asOfDay = toDayNumber(asOf);
  }

  /** A duty due on day `due`, done by `done`'s event at `index` (-1: not done). */
  push(id: string, due: number, done: Group<ProcessEvent>, index: number, basis: string): void {
    let completed: LocalDate | null = null;
    let status: DutyStatus;
    if (index >= 0) {
      completed = done.items[index]!.date;
      status = done.days[index]! <= due ? 'met' : 'missed';
    } else {
      status = this.asOfDay <= due ? 'pending' : 'overdue';
    }
    this.dueDays[this.list.length] = due;
    this.list.push({ id, due: fromDayNumber(due), completed, status, basis });
  }

  /** The duties by due date, then id. Insertion sort: a case has a handful, mostly pushed in order already. */
  sorted(): Duty[] {
    const duties = this.list;
    const days = this.dueDays;
    for (let i = 1; i < duties.length; i++) {
      const x = duties[i]!;
      const xDay = days[i]!;
      let j = i - 1;
      while (j >= 0) {
        const y = duties[j]!;
        const yDay = days[j]!;
        if (yDay < xDay || (yDay === xDay && y.id <= x.id)) break;
        duties[j + 1] = y;
        days[j + 1] = yDay;
        j -= 1;
      }
      duties[j + 1] = x;
      days[j + 1] = xDay;
    }
    return duties;
  }
}

/** Scratch space, reused by every call (computeClock is synchronous, and refills it before use). */
const groups = new EventGroups();
const duties = new DutyList();

/** Suffix for the 2nd, 3rd... occurrence of a repeating duty: `send_review_report`, `send_review_report:2`. */
const nth = (id: string, index: number) => (index === 0 ? id : `${id}:${index + 1}`);

export function computeClock(
  events: readonly ProcessEvent[],
  asOf: LocalDate,
  calendar: WorkingDayCalendar = englandAndWales,
): ClockResult {
  const g = groups;
  g.fill(events);
  const out = duties;
  out.start(asOf);

  // The assessment: request to final plan.
  const request = g.request_received;
  const assessDecision = g.assessment_decision;
  const issueDecision = g.issue_decision;
  const finalPlan = g.final_plan_issued;
  if (request.n > 0) {
    const r = request.days[0]!;
    out.push(
      'decide_whether_to_assess',
      r + DECIDE_WHETHER_TO_ASSESS_DAYS,
      assessDecision,
      assessDecision.n > 0 ? 0 : -1,
      BASIS.decide_whether_to_assess,
    );
    if (assessDecision.first()?.outcome !== 'not_assess') {
      const issueOutcome = issueDecision.first()?.outcome;
      const decided = issueDecision.n > 0 ? 0 : -1;
      if (issueOutcome !== 'issue') {
        // A final plan with no decision recorded (a SEN2 return has none) completes the "no plan" duty too.
        const [done, index] = decided < 0 && finalPlan.n > 0 ? [finalPlan, 0] : [issueDecision, decided];
        out.push(
          'notify_decision_not_to_issue',
          r + DECISION_NOT_TO_ISSUE_DAYS,
          done,
          index,
          BASIS.notify_decision_not_to_issue,
        );
      }
      if (issueOutcome !== 'not_issue') {
        out.push('issue_final_plan', r + FINAL_PLAN_DAYS, finalPlan, finalPlan.n > 0 ? 0 : -1, BASIS.issue_final_plan);
      }
    }
  }

  // Advice: 6 weeks from each request for advice (reg 8(1)).
  const adviceRequested = g.advice_requested;
  const adviceReceived = g.advice_received;
  for (let i = 0; i < adviceRequested.n; i++) {
    const a = adviceRequested.items[i]!;
    // A repeated request for the same advice does not restart its clock.
    let repeat = false;
    for (let j = 0; j < i && !repeat; j++) repeat = adviceRequested.items[j]!.adviceId === a.adviceId;
    if (repeat) continue;
    let received = -1;
    for (let j = 0; j < adviceReceived.n; j++) {
      if (adviceReceived.items[j]!.adviceId === a.adviceId) {
        received = j;
        break;
      }
    }
    out.push(`advice:${a.adviceId}`, adviceRequested.days[i]! + ADVICE_DAYS, adviceReceived, received, BASIS.advice);
  }

  // Annual review cycles: 12 months starting with the plan, then with each review decision (CFA s.44(1)).
  const reviewDecisions = g.review_decision;
  const firstPlan = g.plan_issued.first();
  if (firstPlan) {
    let start = firstPlan.date;
    let startDay = g.plan_issued.days[0]!;
    for (let cycle = 0; cycle < 100; cycle++) {
      // The decision that ends this cycle: on or after the plan; after the decision that began a later cycle.
      const decision = reviewDecisions.firstBetween(cycle === 0 ? startDay : startDay + 1);
      const due = periodStartingWithEndsDay(start, ANNUAL_REVIEW_MONTHS);
      out.push(nth('complete_annual_review', cycle), due, reviewDecisions, decision, BASIS.complete_annual_review);
      if (decision < 0 || reviewDecisions.items[decision]!.outcome === 'cease') break;
      start = reviewDecisions.items[decision]!.date;
      startDay = reviewDecisions.days[decision]!;
    }
  }

  // Each review meeting: invitations 2 weeks before, report 2 weeks after, decision 4 weeks after (Devon).
  const meetings = g.review_meeting;
  const invitations = g.review_invitations_sent;
  for (let i = 0; i < meetings.n; i++) {
    const m = meetings.days[i]!;
    const previous = i > 0 ? meetings.days[i - 1]! : -Infinity;
    const next = i + 1 < meetings.n ? meetings.days[i + 1]! : Infinity;
    // The last invitations sent on or before the meeting and after the previous one.
    let invited = -1;
    for (let j = invitations.n - 1; j >= 0 && invited < 0; j--) {
      const day = invitations.days[j]!;
      if (day <= m && day > previous) invited = j;
    }
    out.push(
      nth('send_review_invitations', i),
      m - REVIEW_INVITATIONS_DAYS_BEFORE,
      invitations,
      invited,
      BASIS.send_review_invitations,
    );
    const reports = g.review_report_sent;
    out.push(
      nth('send_review_report', i),
      m + REVIEW_REPORT_DAYS,
      reports,
      reports.firstBetween(m, next),
      BASIS.send_review_report,
    );
    const decision = reviewDecisions.firstBetween(m, next);
    out.push(
      nth('notify_review_decision', i),
      m + REVIEW_DECISION_DAYS,
      reviewDecisions,
      decision,
      BASIS.notify_review_decision,
    );
  }

  // Amendments: the final amended plan within 8 weeks of the amendment notice (reg 22(3)).
  const notices = g.amendment_notice_sent;
  const amended = g.amended_plan_issued;
  for (let i = 0; i < notices.n; i++) {
    const n = notices.days[i]!;
    const done = amended.firstBetween(n, i + 1 < notices.n ? notices.days[i + 1]! : Infinity);
    out.push(nth('issue_amended_plan', i), n + AMENDED_PLAN_DAYS, amended, done, BASIS.issue_amended_plan);
  }

  // Phase transfer: before 15 February (school) or 31 March (secondary to post-16) of the transfer year (reg 18; P10).
  const transfers = g.phase_transfer;
  const finalised = g.phase_transfer_plan_finalised;
  for (let i = 0; i < transfers.n; i++) {
    const p = transfers.items[i]!;
    const [month, day] = PHASE_TRANSFER_BEFORE[p.route];
    const due = dayNumberOf(p.transferYear, month, day) - 1;
    out.push(
      nth('finalise_phase_transfer', i),
      due,
      finalised,
      i < finalised.n ? i : -1,
      BASIS.finalise_phase_transfer,
    );
  }

  // Reassessment: decide within 15 days (reg 25); the plan within 14 weeks of deciding to reassess (reg 27(2)).
  const reassessments = g.reassessment_requested;
  const reassessDecisions = g.reassessment_decision;
  for (let i = 0; i < reassessments.n; i++) {
    const r = reassessments.days[i]!;
    const decision = reassessDecisions.firstBetween(r);
    out.push(
      nth('decide_reassessment', i),
      r + DECIDE_REASSESSMENT_DAYS,
      reassessDecisions,
      decision,
      BASIS.decide_reassessment,
    );
    if (decision >= 0 && reassessDecisions.items[decision]!.outcome === 'reassess') {
      const decided = reassessDecisions.days[decision]!;
      const issued = g.reassessed_plan_issued;
      const done = issued.firstBetween(decided);
      out.push(
        nth('issue_reassessed_plan', i),
        decided + REASSESSED_PLAN_DAYS,
        issued,
        done,
        BASIS.issue_reassessed_plan,
      );
    }
  }

  // Transfer in from another LA (reg 15(4), 15(5)).
  const transfersIn = g.transfer_in;
  for (let i = 0; i < transfersIn.n; i++) {
    const t = transfersIn.items[i]!;
    const day = transfersIn.days[i]!;
    const informed = g.parent_informed_after_transfer;
    const told = informed.firstBetween(day);
    out.push(
      nth('inform_parent_after_transfer', i),
      day + INFORM_PARENT_AFTER_TRANSFER_DAYS,
      informed,
      told,
      BASIS.inform_parent_after_transfer,
    );
    const byPlan = periodStartingWithEndsDay(t.lastReviewOrPlanDate, ANNUAL_REVIEW_MONTHS);
    const byTransfer = periodStartingWithEndsDay(t.date, REVIEW_AFTER_TRANSFER_MONTHS);
    const reviewed = reviewDecisions.firstBetween(day);
    const due = byPlan > byTransfer ? byPlan : byTransfer;
    out.push(nth('review_after_transfer', i), due, reviewDecisions, reviewed, BASIS.review_after_transfer);
  }

  // Mediation certificate: 3 working days (regs 34-39; P6).
  const mediations = g.mediation_ended;
  const certificates = g.mediation_certificate_issued;
  for (let i = 0; i < mediations.n; i++) {
    const m = mediations.days[i]!;
    const due = calendar.nthWorkingDayAfterDay(m, MEDIATION_CERTIFICATE_WORKING_DAYS);
    const issued = certificates.firstBetween(m);
    out.push(nth('issue_mediation_certificate', i), due, certificates, issued, BASIS.issue_mediation_certificate);
  }

  // Tribunal orders (reg 44(2)), each step completed by the matching event on or after the order.
  const orders = g.tribunal_order;
  for (let i = 0; i < orders.n; i++) {
    const d = orders.days[i]!;
    const step = (id: keyof typeof TRIBUNAL_ORDER_DAYS, done: Group<ProcessEvent>) =>
      out.push(`tribunal:${id}`, d + TRIBUNAL_ORDER_DAYS[id], done, done.firstBetween(d), BASIS.tribunal);
    switch (orders.items[i]!.order) {
      case 'section_i':
        step('section_i', g.amended_plan_issued);
        break;
      case 'amend_b_f':
        step('amend_b_f', g.amended_plan_issued);
        break;
      case 'make_and_maintain':
        step('make_and_maintain_draft', g.draft_served);
        step('make_and_maintain_final', g.final_plan_issued);
        break;
      case 'assess': {
        step('assess_notify', g.assessment_decision);
        const decision = issueDecision.firstBetween(d);
        const outcome = decision >= 0 ? issueDecision.items[decision]!.outcome : undefined;
        if (outcome !== 'issue')
          out.push(
            'tribunal:assess_no_plan',
            d + TRIBUNAL_ORDER_DAYS.assess_no_plan,
            issueDecision,
            decision,
            BASIS.tribunal,
          );
        if (outcome !== 'not_issue') step('assess_final', g.final_plan_issued);
        break;
      }
    }
  }

  const days = request.n > 0 && finalPlan.n > 0 ? finalPlan.days[0]! - request.days[0]! : null;
  const drafts = g.draft_served;
  const lastDraft = drafts.n > 0 ? drafts.items[drafts.n - 1]! : undefined;
  let deadlines = out.sorted();
  let twentyWeekException = false;
  for (let i = 0; i < g.exception.n; i++) {
    const e = g.exception.items[i]!;
    const applies = exceptionDuty(e);
    if (applies === TWENTY_WEEK_DUTY) twentyWeekException = true;
    for (const x of deadlines) {
      // Reg 10(4) is itself the exception to the 16-week "no plan" limit of reg 10(1).
      const covered =
        x.id === applies || (x.id === 'notify_decision_not_to_issue' && exceptionRegulation(e.reason) === 'reg10_4');
      if (covered && !x.exceptions?.includes(e.reason)) (x.exceptions ??= []).push(e.reason);
    }
  }
  const ended: EndedDuty[] = [];
  const withdrawal = g.request_withdrawn.first();
  if (withdrawal) {
    const isRequestDuty = (id: string) => REQUEST_DUTIES.has(id) || id.startsWith('advice:');
    for (const x of deadlines) {
      if (x.completed === null && isRequestDuty(x.id)) {
        ended.push({ id: x.id, due: x.due, basis: x.basis, endedOn: withdrawal.date });
      }
    }
    deadlines = deadlines.filter((x) => x.completed !== null || !isRequestDuty(x.id));
  }
  return {
    deadlines,
    measures: {
      finalPlanWithin20Weeks: days === null ? null : days <= FINAL_PLAN_DAYS,
      daysToFinalPlan: days,
      exceptionApplies: twentyWeekException,
      draftCommentWindowEnds: lastDraft
        ? commentWindowEnds(deemedServed(lastDraft.date, lastDraft.method, calendar))
        : null,
    },
    ended,
  };
}
