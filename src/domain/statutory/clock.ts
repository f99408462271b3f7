/**
 * The statutory clock: every duty of an EHC process, its due date, whether and when it was done, and its status as
 * of a date (shared/reference/statutory-timescales.md part 0; contracts/cli.md `openehcp deadlines`).
 *
 * Exceptions never move a due date (rule P11): they set `exceptionApplies`. Due dates never roll forward off a
 * weekend or bank holiday (rule P9). Events may come in any order; the clock works from their dates.
 */
import { addDays, daysBetween, type LocalDate } from '../dates/localDate.js';
import { lastDayBefore, periodStartingWithEnds } from '../dates/months.js';
import { commentWindowEnds, deemedServed } from '../dates/service.js';
import { englandAndWales, type WorkingDayCalendar } from '../dates/workingDays.js';
import type { ProcessEvent } from './events.js';

export type DutyStatus = 'met' | 'missed' | 'pending' | 'overdue';

export interface Duty {
  id: string;
  due: LocalDate;
  completed: LocalDate | null;
  status: DutyStatus;
  basis: string;
}

export interface ClockMeasures {
  /** P12: the final plan was issued within 140 days of the request; null until it is issued. */
  finalPlanWithin20Weeks: boolean | null;
  daysToFinalPlan: number | null;
  /** P11: an exception under reg 10(4) was recorded (due dates do not move). */
  exceptionApplies: boolean;
  /** P3/P4: the last day of the family's 15-day comment window on the latest draft, from its deemed service. */
  draftCommentWindowEnds: LocalDate | null;
}

export interface ClockResult {
  deadlines: Duty[];
  measures: ClockMeasures;
}

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

const byDate = (a: { date: LocalDate }, b: { date: LocalDate }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** Events grouped by type: one field per type, so every group object has the same shape (fast property access). */
class EventGroups {
  request_received: Of<'request_received'>[] | undefined = undefined;
  assessment_decision: Of<'assessment_decision'>[] | undefined = undefined;
  advice_requested: Of<'advice_requested'>[] | undefined = undefined;
  advice_received: Of<'advice_received'>[] | undefined = undefined;
  issue_decision: Of<'issue_decision'>[] | undefined = undefined;
  draft_served: Of<'draft_served'>[] | undefined = undefined;
  final_plan_issued: Of<'final_plan_issued'>[] | undefined = undefined;
  exception: Of<'exception'>[] | undefined = undefined;
  plan_issued: Of<'plan_issued'>[] | undefined = undefined;
  review_invitations_sent: Of<'review_invitations_sent'>[] | undefined = undefined;
  review_meeting: Of<'review_meeting'>[] | undefined = undefined;
  review_report_sent: Of<'review_report_sent'>[] | undefined = undefined;
  review_decision: Of<'review_decision'>[] | undefined = undefined;
  amendment_notice_sent: Of<'amendment_notice_sent'>[] | undefined = undefined;
  amended_plan_issued: Of<'amended_plan_issued'>[] | undefined = undefined;
  phase_transfer: Of<'phase_transfer'>[] | undefined = undefined;
  phase_transfer_plan_finalised: Of<'phase_transfer_plan_finalised'>[] | undefined = undefined;
  reassessment_requested: Of<'reassessment_requested'>[] | undefined = undefined;
  reassessment_decision: Of<'reassessment_decision'>[] | undefined = undefined;
  reassessed_plan_issued: Of<'reassessed_plan_issued'>[] | undefined = undefined;
  transfer_in: Of<'transfer_in'>[] | undefined = undefined;
  parent_informed_after_transfer: Of<'parent_informed_after_transfer'>[] | undefined = undefined;
  mediation_ended: Of<'mediation_ended'>[] | undefined = undefined;
  mediation_certificate_issued: Of<'mediation_certificate_issued'>[] | undefined = undefined;
  tribunal_order: Of<'tribunal_order'>[] | undefined = undefined;
}

/** Events grouped by type, each group in date order (stable for equal dates). */
function group(events: readonly ProcessEvent[]): EventGroups {
  const groups = new EventGroups();
  let unsorted: ProcessEvent[][] | undefined;
  for (const e of events) {
    // One case per type: each store goes to a known field rather than a computed key.
    let list: ProcessEvent[];
    switch (e.type) {
      case 'request_received':
        list = groups.request_received ??= [];
        break;
      case 'assessment_decision':
        list = groups.assessment_decision ??= [];
        break;
      case 'advice_requested':
        list = groups.advice_requested ??= [];
        break;
      case 'advice_received':
        list = groups.advice_received ??= [];
        break;
      case 'issue_decision':
        list = groups.issue_decision ??= [];
        break;
      case 'draft_served':
        list = groups.draft_served ??= [];
        break;
      case 'final_plan_issued':
        list = groups.final_plan_issued ??= [];
        break;
      case 'exception':
        list = groups.exception ??= [];
        break;
      case 'plan_issued':
        list = groups.plan_issued ??= [];
        break;
      case 'review_invitations_sent':
        list = groups.review_invitations_sent ??= [];
        break;
      case 'review_meeting':
        list = groups.review_meeting ??= [];
        break;
      case 'review_report_sent':
        list = groups.review_report_sent ??= [];
        break;
      case 'review_decision':
        list = groups.review_decision ??= [];
        break;
      case 'amendment_notice_sent':
        list = groups.amendment_notice_sent ??= [];
        break;
      case 'amended_plan_issued':
        list = groups.amended_plan_issued ??= [];
        break;
      case 'phase_transfer':
        list = groups.phase_transfer ??= [];
        break;
      case 'phase_transfer_plan_finalised':
        list = groups.phase_transfer_plan_finalised ??= [];
        break;
      case 'reassessment_requested':
        list = groups.reassessment_requested ??= [];
        break;
      case 'reassessment_decision':
        list = groups.reassessment_decision ??= [];
        break;
      case 'reassessed_plan_issued':
        list = groups.reassessed_plan_issued ??= [];
        break;
      case 'transfer_in':
        list = groups.transfer_in ??= [];
        break;
      case 'parent_informed_after_transfer':
        list = groups.parent_informed_after_transfer ??= [];
        break;
      case 'mediation_ended':
        list = groups.mediation_ended ??= [];
        break;
      case 'mediation_certificate_issued':
        list = groups.mediation_certificate_issued ??= [];
        break;
      case 'tribunal_order':
        list = groups.tribunal_order ??= [];
        break;
    }
    // Most timelines arrive in date order: sort only the groups that do not.
    if (list.length > 0 && list[list.length - 1]!.date > e.date && !unsorted?.includes(list))
      (unsorted ??= []).push(list);
    list.push(e);
  }
  if (unsorted) for (const list of unsorted) list.sort(byDate);
  return groups;
}

function pushDuty(
  deadlines: Duty[],
  asOf: LocalDate,
  id: string,
  due: LocalDate,
  completed: LocalDate | null | undefined,
  basis: string,
): void {
  const done = completed ?? null;
  deadlines.push({ id, due, completed: done, status: dutyStatus(due, done, asOf), basis });
}

/** Due date, then id. Insertion sort: a case has a handful of duties, mostly pushed in order already. */
function sortByDueThenId(duties: Duty[]): void {
  for (let i = 1; i < duties.length; i++) {
    const x = duties[i]!;
    let j = i - 1;
    while (j >= 0) {
      const y = duties[j]!;
      if (y.due < x.due || (y.due === x.due && y.id <= x.id)) break;
      duties[j + 1] = y;
      j -= 1;
    }
    duties[j + 1] = x;
  }
}

/** An empty list to loop over when a case has no events of a type (no new array per case). */
const NONE: never[] = [];

/** The first event in `list` dated on or after `from` and (when given) before `until`. */
function firstBetween<E extends { date: LocalDate }>(
  list: E[] | undefined,
  from: LocalDate,
  until?: LocalDate,
): E | undefined {
  if (!list) return undefined;
  for (const e of list) if (e.date >= from && (until === undefined || e.date < until)) return e;
  return undefined;
}

/** Suffix for the 2nd, 3rd... occurrence of a repeating duty: `send_review_report`, `send_review_report:2`. */
const nth = (id: string, index: number) => (index === 0 ? id : `${id}:${index + 1}`);

export function computeClock(
  events: readonly ProcessEvent[],
  asOf: LocalDate,
  calendar: WorkingDayCalendar = englandAndWales,
): ClockResult {
  const g = group(events);
  const deadlines: Duty[] = [];

  // The assessment: request to final plan.
  const request = g.request_received?.[0];
  const assessDecision = g.assessment_decision?.[0];
  const issueDecision = g.issue_decision?.[0];
  const finalPlan = g.final_plan_issued?.[0];
  if (request) {
    const r = request.date;
    pushDuty(
      deadlines,
      asOf,
      'decide_whether_to_assess',
      addDays(r, 42),
      assessDecision?.date,
      BASIS.decide_whether_to_assess,
    );
    if (assessDecision?.outcome !== 'not_assess') {
      if (!issueDecision || issueDecision.outcome === 'not_issue') {
        pushDuty(
          deadlines,
          asOf,
          'notify_decision_not_to_issue',
          addDays(r, 112),
          issueDecision?.date,
          BASIS.notify_decision_not_to_issue,
        );
      }
      if (issueDecision?.outcome !== 'not_issue') {
        pushDuty(deadlines, asOf, 'issue_final_plan', addDays(r, 140), finalPlan?.date, BASIS.issue_final_plan);
      }
    }
  }

  // Advice: 6 weeks from each request for advice (reg 8(1)).
  const adviceRequested = g.advice_requested ?? NONE;
  for (let i = 0; i < adviceRequested.length; i++) {
    const a = adviceRequested[i]!;
    // A repeated request for the same advice does not restart its clock.
    let repeat = false;
    for (let j = 0; j < i && !repeat; j++) repeat = adviceRequested[j]!.adviceId === a.adviceId;
    if (repeat) continue;
    let received: LocalDate | null = null;
    for (const x of g.advice_received ?? NONE) {
      if (x.adviceId === a.adviceId) {
        received = x.date;
        break;
      }
    }
    pushDuty(deadlines, asOf, `advice:${a.adviceId}`, addDays(a.date, 42), received, BASIS.advice);
  }

  // Annual review cycles: 12 months starting with the plan, then with each review decision (CFA s.44(1)).
  const firstPlan = g.plan_issued?.[0];
  if (firstPlan) {
    let start = firstPlan.date;
    for (let cycle = 0; cycle < 100; cycle++) {
      // The decision that ends this cycle: on or after the plan; after the decision that began a later cycle.
      const decision = firstBetween(g.review_decision, cycle === 0 ? start : addDays(start, 1));
      const id = nth('complete_annual_review', cycle);
      pushDuty(deadlines, asOf, id, periodStartingWithEnds(start, 12), decision?.date, BASIS.complete_annual_review);
      if (!decision || decision.outcome === 'cease') break;
      start = decision.date;
    }
  }

  // Each review meeting: invitations 2 weeks before, report 2 weeks after, decision 4 weeks after (Devon).
  const meetings = g.review_meeting ?? NONE;
  for (let i = 0; i < meetings.length; i++) {
    const m = meetings[i]!;
    const previous = meetings[i - 1]?.date;
    const next = meetings[i + 1]?.date;
    const invitations = (g.review_invitations_sent ?? NONE)
      .filter((x) => x.date <= m.date && (!previous || x.date > previous))
      .at(-1);
    pushDuty(
      deadlines,
      asOf,
      nth('send_review_invitations', i),
      addDays(m.date, -14),
      invitations?.date,
      BASIS.send_review_invitations,
    );
    pushDuty(
      deadlines,
      asOf,
      nth('send_review_report', i),
      addDays(m.date, 14),
      firstBetween(g.review_report_sent, m.date, next)?.date,
      BASIS.send_review_report,
    );
    pushDuty(
      deadlines,
      asOf,
      nth('notify_review_decision', i),
      addDays(m.date, 28),
      firstBetween(g.review_decision, m.date, next)?.date,
      BASIS.notify_review_decision,
    );
  }

  // Amendments: the final amended plan within 8 weeks of the amendment notice (reg 22(3)).
  const notices = g.amendment_notice_sent ?? NONE;
  for (let i = 0; i < notices.length; i++) {
    const n = notices[i]!;
    const done = firstBetween(g.amended_plan_issued, n.date, notices[i + 1]?.date);
    pushDuty(deadlines, asOf, nth('issue_amended_plan', i), addDays(n.date, 56), done?.date, BASIS.issue_amended_plan);
  }

  // Phase transfer: before 15 February (school) or 31 March (secondary to post-16) of the transfer year (reg 18; P10).
  const transfers = g.phase_transfer ?? NONE;
  for (let i = 0; i < transfers.length; i++) {
    const p = transfers[i]!;
    const due = p.route === 'school' ? lastDayBefore(p.transferYear, 2, 15) : lastDayBefore(p.transferYear, 3, 31);
    pushDuty(
      deadlines,
      asOf,
      nth('finalise_phase_transfer', i),
      due,
      g.phase_transfer_plan_finalised?.[i]?.date,
      BASIS.finalise_phase_transfer,
    );
  }

  // Reassessment: decide within 15 days (reg 25); the plan within 14 weeks of deciding to reassess (reg 27(2)).
  const reassessments = g.reassessment_requested ?? NONE;
  for (let i = 0; i < reassessments.length; i++) {
    const r = reassessments[i]!;
    const decision = firstBetween(g.reassessment_decision, r.date);
    pushDuty(
      deadlines,
      asOf,
      nth('decide_reassessment', i),
      addDays(r.date, 15),
      decision?.date,
      BASIS.decide_reassessment,
    );
    if (decision?.outcome === 'reassess') {
      const issued = firstBetween(g.reassessed_plan_issued, decision.date);
      pushDuty(
        deadlines,
        asOf,
        nth('issue_reassessed_plan', i),
        addDays(decision.date, 98),
        issued?.date,
        BASIS.issue_reassessed_plan,
      );
    }
  }

  // Transfer in from another LA (reg 15(4), 15(5)).
  const transfersIn = g.transfer_in ?? NONE;
  for (let i = 0; i < transfersIn.length; i++) {
    const t = transfersIn[i]!;
    const informed = firstBetween(g.parent_informed_after_transfer, t.date);
    pushDuty(
      deadlines,
      asOf,
      nth('inform_parent_after_transfer', i),
      addDays(t.date, 42),
      informed?.date,
      BASIS.inform_parent_after_transfer,
    );
    const byPlan = periodStartingWithEnds(t.lastReviewOrPlanDate, 12);
    const byTransfer = periodStartingWithEnds(t.date, 3);
    const reviewed = firstBetween(g.review_decision, t.date);
    pushDuty(
      deadlines,
      asOf,
      nth('review_after_transfer', i),
      byPlan > byTransfer ? byPlan : byTransfer,
      reviewed?.date,
      BASIS.review_after_transfer,
    );
  }

  // Mediation certificate: 3 working days (regs 34-39; P6).
  const mediations = g.mediation_ended ?? NONE;
  for (let i = 0; i < mediations.length; i++) {
    const m = mediations[i]!;
    const issued = firstBetween(g.mediation_certificate_issued, m.date);
    pushDuty(
      deadlines,
      asOf,
      nth('issue_mediation_certificate', i),
      calendar.nthWorkingDayAfter(m.date, 3),
      issued?.date,
      BASIS.issue_mediation_certificate,
    );
  }

  // Tribunal orders (reg 44(2)), each step completed by the matching event on or after the order.
  for (const o of g.tribunal_order ?? NONE) {
    const d = o.date;
    const after = <E extends { date: LocalDate }>(list: E[] | undefined) => firstBetween(list, d)?.date;
    switch (o.order) {
      case 'section_i':
        pushDuty(deadlines, asOf, 'tribunal:section_i', addDays(d, 14), after(g.amended_plan_issued), BASIS.tribunal);
        break;
      case 'amend_b_f':
        pushDuty(deadlines, asOf, 'tribunal:amend_b_f', addDays(d, 35), after(g.amended_plan_issued), BASIS.tribunal);
        break;
      case 'make_and_maintain':
        pushDuty(
          deadlines,
          asOf,
          'tribunal:make_and_maintain_draft',
          addDays(d, 35),
          after(g.draft_served),
          BASIS.tribunal,
        );
        pushDuty(
          deadlines,
          asOf,
          'tribunal:make_and_maintain_final',
          addDays(d, 77),
          after(g.final_plan_issued),
          BASIS.tribunal,
        );
        break;
      case 'assess': {
        pushDuty(
          deadlines,
          asOf,
          'tribunal:assess_notify',
          addDays(d, 14),
          after(g.assessment_decision),
          BASIS.tribunal,
        );
        const decision = firstBetween(g.issue_decision, d);
        if (!decision || decision.outcome === 'not_issue') {
          pushDuty(deadlines, asOf, 'tribunal:assess_no_plan', addDays(d, 70), decision?.date, BASIS.tribunal);
        }
        if (decision?.outcome !== 'not_issue') {
          pushDuty(
            deadlines,
            asOf,
            'tribunal:assess_final',
            addDays(d, 98),
            after(g.final_plan_issued),
            BASIS.tribunal,
          );
        }
        break;
      }
    }
  }

  sortByDueThenId(deadlines);

  const days = request && finalPlan ? daysBetween(request.date, finalPlan.date) : null;
  const lastDraft = g.draft_served?.at(-1);
  return {
    deadlines,
    measures: {
      finalPlanWithin20Weeks: days === null ? null : days <= 140,
      daysToFinalPlan: days,
      exceptionApplies: (g.exception?.length ?? 0) > 0,
      draftCommentWindowEnds: lastDraft
        ? commentWindowEnds(deemedServed(lastDraft.date, lastDraft.method, calendar))
        : null,
    },
  };
}
