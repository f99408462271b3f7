/**
 * From a stored case (its timeline and advice requests) to the events the statutory clock reads, and the duty that
 * falls due next.
 */
import type { LocalDate } from '../dates/localDate.js';
import { CalendarCoverageError, type WorkingDayCalendar } from '../dates/workingDays.js';
import { computeClock, type ClockResult, type Duty } from '../statutory/clock.js';
import {
  EventValidationError,
  EXCEPTION_REASONS,
  exceptionDuty,
  exceptionFits,
  exceptionRegulation,
  parseEvents,
  type ExceptionReason,
  type ExceptionRegulation,
  type ProcessEvent,
} from '../statutory/events.js';
import { ADVICE_TYPE_NAMES } from './stages.js';

export interface StoredEvent {
  type: string;
  occurredOn: string;
  data: unknown;
}

export interface StoredAdvice {
  id: string;
  adviceType: string;
  requestedDate: string;
  receivedDate: string | null;
}

/** Timeline events the clock reads directly; advice comes from the advice requests themselves. */
const CLOCK_TYPES = new Set([
  'request_received',
  'assessment_decision',
  'issue_decision',
  'draft_served',
  'final_plan_issued',
  'exception',
  'request_withdrawn',
]);

/**
 * The clock's events for a case. Throws EventValidationError (naming the event) when the stored record cannot be
 * read by the clock, e.g. a decision dated before the request.
 */
export function clockEventsFor(events: readonly StoredEvent[], advice: readonly StoredAdvice[]): ProcessEvent[] {
  const raw: unknown[] = [];
  for (const e of events) {
    if (!CLOCK_TYPES.has(e.type)) continue;
    const data = typeof e.data === 'object' && e.data !== null ? e.data : {};
    raw.push({ ...data, type: e.type, date: e.occurredOn });
  }
  for (const a of advice) {
    raw.push({ type: 'advice_requested', date: a.requestedDate, adviceId: a.id, adviceType: a.adviceType });
    if (a.receivedDate) raw.push({ type: 'advice_received', date: a.receivedDate, adviceId: a.id });
  }
  return parseEvents(raw, 'timeline');
}

/**
 * The duty a caseload orders a request by: the one not yet done that falls due soonest, with advice duties named by
 * their advice type (`advice:educational_psychology`), as the caseload shows them. Null when nothing is left to do.
 */
export function caseNextDuty(
  events: readonly StoredEvent[],
  advice: readonly StoredAdvice[],
  asOf: LocalDate,
  calendar?: WorkingDayCalendar,
): { duty: string; due: LocalDate } | null {
  const next = nextDuty(computeClock(clockEventsFor(events, advice), asOf, calendar));
  if (!next) return null;
  const adviceType = advice.find((a) => `advice:${a.id}` === next.id)?.adviceType;
  return { duty: adviceType ? `advice:${adviceType}` : next.id, due: next.due };
}

/**
 * The duties of a case an exception can be recorded against (P11): those not met in time, in due-date order, each with the reasons that can
 * apply to it, grouped by regulation: reg 5(4) for the decision, reg 8(2) for each advice, reg 10(4) for the plan.
 */
export function exceptionChoices(
  result: ClockResult,
): { id: string; reasons: { regulation: ExceptionRegulation; reasons: ExceptionReason[] }[] }[] {
  const out = [];
  for (const d of result.deadlines) {
    // A duty met in time needs no defence.
    if (d.status === 'met') continue;
    const fitting = EXCEPTION_REASONS.filter((r) => exceptionFits(r, d.id));
    if (fitting.length === 0) continue;
    const byRegulation = new Map<ExceptionRegulation, ExceptionReason[]>();
    for (const r of fitting) {
      const regulation = exceptionRegulation(r);
      byRegulation.set(regulation, [...(byRegulation.get(regulation) ?? []), r]);
    }
    out.push({ id: d.id, reasons: [...byRegulation].map(([regulation, reasons]) => ({ regulation, reasons })) });
  }
  return out;
}

/**
 * The choices for a stored case, with each duty's name; none when its deadlines cannot be worked out (the case page
 * says why).
 */
export function caseExceptionChoices(
  events: readonly StoredEvent[],
  advice: readonly StoredAdvice[],
  asOf: LocalDate,
  calendar?: WorkingDayCalendar,
): (ReturnType<typeof exceptionChoices>[number] & { name: string })[] {
  let result: ClockResult;
  try {
    result = computeClock(clockEventsFor(events, advice), asOf, calendar);
  } catch (err) {
    if (err instanceof EventValidationError || err instanceof CalendarCoverageError) return [];
    throw err;
  }
  const adviceTypes = Object.fromEntries(advice.map((a) => [a.id, a.adviceType]));
  return exceptionChoices(result).map((c) => ({ ...c, name: dutyName(c.id, adviceTypes) }));
}

/** The exceptions recorded on a case, each with the duty it applies to (stored reg 10(4) ones: the final plan). */
export function recordedExceptions(
  events: readonly ProcessEvent[],
): { duty: string; reason: ExceptionReason; from: LocalDate; to: LocalDate | null }[] {
  return events.flatMap((e) =>
    e.type === 'exception'
      ? [{ duty: exceptionDuty(e), reason: e.reason, from: e.from ?? e.date, to: e.to ?? null }]
      : [],
  );
}

/** The duty not yet done whose due date is soonest (overdue ones first, as their dates are earliest). */
export function nextDuty(result: ClockResult): Duty | null {
  let next: Duty | null = null;
  for (const d of result.deadlines) if (d.completed === null && (next === null || d.due < next.due)) next = d;
  return next;
}

const DUTY_NAMES: Record<string, string> = {
  decide_whether_to_assess: 'Decide whether to assess',
  notify_decision_not_to_issue: 'Tell the family if no plan will be issued',
  issue_final_plan: 'Issue the final plan',
  complete_annual_review: 'Complete the annual review',
  send_review_invitations: 'Send review meeting invitations',
  send_review_report: 'Send the review report',
  notify_review_decision: 'Tell the family the review decision',
  issue_amended_plan: 'Issue the amended plan',
  finalise_phase_transfer: 'Finalise the plan for the phase transfer',
  decide_reassessment: 'Decide whether to reassess',
  issue_reassessed_plan: 'Issue the plan after reassessment',
  inform_parent_after_transfer: 'Tell the family after a transfer in',
  review_after_transfer: 'Review the plan after a transfer in',
  issue_mediation_certificate: 'Issue the mediation certificate',
  'tribunal:section_i': 'Tribunal order: amend section I',
  'tribunal:amend_b_f': 'Tribunal order: amend sections B and F',
  'tribunal:make_and_maintain_draft': 'Tribunal order: issue a draft plan',
  'tribunal:make_and_maintain_final': 'Tribunal order: issue the final plan',
  'tribunal:assess_notify': 'Tribunal order: tell the family about the assessment',
  'tribunal:assess_no_plan': 'Tribunal order: tell the family if no plan will be issued',
  'tribunal:assess_final': 'Tribunal order: issue the final plan',
};

/** A duty's name in plain English: "Issue the final plan", "Educational psychology advice". */
export function dutyName(id: string, adviceTypes: Readonly<Record<string, string>> = {}): string {
  if (id.startsWith('advice:')) {
    // `advice:<advice request id>` with the types given, or `advice:<advice type>` as the caseload stores it.
    const key = id.slice('advice:'.length);
    const type = adviceTypes[key] ?? key;
    const label =
      type && type in ADVICE_TYPE_NAMES ? ADVICE_TYPE_NAMES[type as keyof typeof ADVICE_TYPE_NAMES] : 'Requested';
    return `${label} advice`;
  }
  // Most duties are named as they are (the caseload names 25 a page); a repeated duty ends ":<number>".
  if (Object.hasOwn(DUTY_NAMES, id)) return DUTY_NAMES[id]!;
  const [base, n] = id.split(/:(?=\d+$)/);
  const name = (Object.hasOwn(DUTY_NAMES, base!) ? DUTY_NAMES[base!] : undefined) ?? base!.replaceAll('_', ' ');
  return n ? `${name} (${n})` : name;
}
