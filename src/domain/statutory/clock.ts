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

/** Events grouped by type, each group in date order (stable for equal dates). */
function group(events: readonly ProcessEvent[]): { [T in ProcessEvent['type']]?: Of<T>[] } {
  const groups: Record<string, ProcessEvent[]> = {};
  let unsorted: ProcessEvent[][] | undefined;
  for (const e of events) {
    const list = groups[e.type];
    if (list === undefined) {
      groups[e.type] = [e];
    } else {
      // Most timelines arrive in date order: sort only the groups that do not.
      if (list[list.length - 1]!.date > e.date && !unsorted?.includes(list)) (unsorted ??= []).push(list);
      list.push(e);
    }
  }
  if (unsorted) for (const list of unsorted) list.sort(byDate);
  return groups;
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
  function add(id: string, due: LocalDate, completed: LocalDate | null | undefined, basis: string) {
    const done = completed ?? null;
    deadlines.push({ id, due, completed: done, status: dutyStatus(due, done, asOf), basis });
  }

  // The assessment: request to final plan.
  const request = g.request_received?.[0];
  const assessDecision = g.assessment_decision?.[0];
  const issueDecision = g.issue_decision?.[0];
  const finalPlan = g.final_plan_issued?.[0];
  if (request) {
    const r = request.date;
    add('decide_whether_to_assess', addDays(r, 42), assessDecision?.date, BASIS.decide_whether_to_assess);
    if (assessDecision?.outcome !== 'not_assess') {
      if (!issueDecision || issueDecision.outcome === 'not_issue') {
        add('notify_decision_not_to_issue', addDays(r, 112), issueDecision?.date, BASIS.notify_decision_not_to_issue);
      }
      if (issueDecision?.outcome !== 'not_issue') {
        add('issue_final_plan', addDays(r, 140), finalPlan?.date, BASIS.issue_final_plan);
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
    add(`advice:${a.adviceId}`, addDays(a.date, 42), received, BASIS.advice);
  }

  // Annual review cycles: 12 months starting with the plan, then with each review decision (CFA s.44(1)).
  const firstPlan = g.plan_issued?.[0];
  if (firstPlan) {
    let start = firstPlan.date;
    for (let cycle = 0; cycle < 100; cycle++) {
      // The decision that ends this cycle: on or after the plan; after the decision that began a later cycle.
      const decision = firstBetween(g.review_decision, cycle === 0 ? start : addDays(start, 1));
      const id = nth('complete_annual_review', cycle);
      add(id, periodStartingWithEnds(start, 12), decision?.date, BASIS.complete_annual_review);
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
    add(nth('send_review_invitations', i), addDays(m.date, -14), invitations?.date, BASIS.send_review_invitations);
    add(
      nth('send_review_report', i),
      addDays(m.date, 14),
      firstBetween(g.review_report_sent, m.date, next)?.date,
      BASIS.send_review_report,
    );
    add(
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
    add(nth('issue_amended_plan', i), addDays(n.date, 56), done?.date, BASIS.issue_amended_plan);
  }

  // Phase transfer: before 15 February (school) or 31 March (secondary to post-16) of the transfer year (reg 18; P10).
  const transfers = g.phase_transfer ?? NONE;
  for (let i = 0; i < transfers.length; i++) {
    const p = transfers[i]!;
    const due = p.route === 'school' ? lastDayBefore(p.transferYear, 2, 15) : lastDayBefore(p.transferYear, 3, 31);
    add(
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
    add(nth('decide_reassessment', i), addDays(r.date, 15), decision?.date, BASIS.decide_reassessment);
    if (decision?.outcome === 'reassess') {
      const issued = firstBetween(g.reassessed_plan_issued, decision.date);
      add(nth('issue_reassessed_plan', i), addDays(decision.date, 98), issued?.date, BASIS.issue_reassessed_plan);
    }
  }

  // Transfer in from another LA (reg 15(4), 15(5)).
  const transfersIn = g.transfer_in ?? NONE;
  for (let i = 0; i < transfersIn.length; i++) {
    const t = transfersIn[i]!;
    const informed = firstBetween(g.parent_informed_after_transfer, t.date);
    add(
      nth('inform_parent_after_transfer', i),
      addDays(t.date, 42),
      informed?.date,
      BASIS.inform_parent_after_transfer,
    );
    const byPlan = periodStartingWithEnds(t.lastReviewOrPlanDate, 12);
    const byTransfer = periodStartingWithEnds(t.date, 3);
    const reviewed = firstBetween(g.review_decision, t.date);
    add(
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
    add(
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
        add('tribunal:section_i', addDays(d, 14), after(g.amended_plan_issued), BASIS.tribunal);
        break;
      case 'amend_b_f':
        add('tribunal:amend_b_f', addDays(d, 35), after(g.amended_plan_issued), BASIS.tribunal);
        break;
      case 'make_and_maintain':
        add('tribunal:make_and_maintain_draft', addDays(d, 35), after(g.draft_served), BASIS.tribunal);
        add('tribunal:make_and_maintain_final', addDays(d, 77), after(g.final_plan_issued), BASIS.tribunal);
        break;
      case 'assess': {
        add('tribunal:assess_notify', addDays(d, 14), after(g.assessment_decision), BASIS.tribunal);
        const decision = firstBetween(g.issue_decision, d);
        if (!decision || decision.outcome === 'not_issue') {
          add('tribunal:assess_no_plan', addDays(d, 70), decision?.date, BASIS.tribunal);
        }
        if (decision?.outcome !== 'not_issue') {
          add('tribunal:assess_final', addDays(d, 98), after(g.final_plan_issued), BASIS.tribunal);
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
