/**
 * The events of an EHC process, as the statutory clock reads them (contracts/cli.md, `openehcp deadlines`), and
 * their validation: every problem is reported with the path of the field at fault.
 */
import { parseLocalDate, type LocalDate } from '../dates/localDate.js';
import { SERVICE_METHODS, type ServiceMethod } from '../dates/service.js';

/**
 * The exceptions the SEND Regulations 2014 allow to a time limit (statutory-timescales.md rows 1, 2, 5, 14 and rule
 * P11): reg 5(4) to the 6-week decision whether to assess, reg 8(2) to a body's advice, reg 10(4) to the 16- and
 * 20-week limits (reg 13(3) applies it to the final plan), reg 27(3) to the plan after a reassessment.
 */
export const EXCEPTION_REASONS = [
  'reg10_4_a',
  'reg10_4_b',
  'reg10_4_c',
  'reg10_4_d',
  'reg5_4_a',
  'reg5_4_b',
  'reg5_4_c',
  'reg8_2_a',
  'reg8_2_b',
  'reg8_2_c',
  'reg27_3_a',
  'reg27_3_b',
  'reg27_3_c',
  'reg27_3_d',
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

/** The regulation an exception reason comes from: its code up to the last letter (`reg8_2_c` -> `reg8_2`). */
export type ExceptionRegulation = 'reg5_4' | 'reg8_2' | 'reg10_4' | 'reg27_3';

/**
 * Which duty each regulation's exceptions apply to, and how to cite it. A school or setting closure is an exception
 * to the decision (reg 5(4)(a)) and the plan (reg 10(4)(a), (b)), never to a body's advice (reg 8(2); CoP 9.42).
 */
export const EXCEPTION_RULES: Record<ExceptionRegulation, { duty: string; citation: string }> = {
  reg5_4: { duty: 'decide_whether_to_assess', citation: 'reg 5(4)' },
  reg8_2: { duty: 'advice', citation: 'reg 8(2)' },
  reg10_4: { duty: 'issue_final_plan', citation: 'reg 10(4)' }, // applied to the final plan by reg 13(3)
  reg27_3: { duty: 'issue_reassessed_plan', citation: 'reg 27(3)' },
};

export function exceptionRegulation(reason: ExceptionReason): ExceptionRegulation {
  return reason.slice(0, reason.lastIndexOf('_')) as ExceptionRegulation;
}

/** The duties an exception can be recorded against: `advice:<adviceId>`, and a repeated reassessment's `:<n>`. */
const EXCEPTION_DUTY = /^(decide_whether_to_assess|issue_final_plan|issue_reassessed_plan(:[1-9]\d*)?|advice:.+)$/;

/** The duty id without its advice id or repeat number: `advice:ep` -> `advice`. */
const dutyBase = (duty: string) => duty.replace(/:.*$/, '');

/** Whether an exception for `reason` can apply to `duty` (a duty id as the clock lists it). */
export function exceptionFits(reason: ExceptionReason, duty: string): boolean {
  return EXCEPTION_DUTY.test(duty) && EXCEPTION_RULES[exceptionRegulation(reason)].duty === dutyBase(duty);
}

/**
 * The duty an exception applies to: the one it names, else the one its regulation covers (reg 8(2) exceptions must
 * name their advice, so they always have one once parsed).
 */
export function exceptionDuty(e: { reason: ExceptionReason; duty?: string }): string {
  return e.duty ?? EXCEPTION_RULES[exceptionRegulation(e.reason)].duty;
}

/** An exception to the 20-week duty (SEN2 Week20; P12 "excluding exceptions"). */
export const TWENTY_WEEK_DUTY = 'issue_final_plan';

/**
 * Whether a request's stored exception reason is one to the 20-week duty: a reg 10(4) reason (reg 13(3)), or
 * `reg10_4`, a SEN2 return's Week20 flag, which does not say which paragraph.
 */
export function isTwentyWeekException(reason: string | null): boolean {
  return reason !== null && /^reg10_4(_[a-d])?$/.test(reason);
}
export const TRIBUNAL_ORDERS = ['section_i', 'amend_b_f', 'make_and_maintain', 'assess'] as const;
export type TribunalOrder = (typeof TRIBUNAL_ORDERS)[number];

export type ProcessEvent =
  | { type: 'request_received'; date: LocalDate }
  | { type: 'assessment_decision'; date: LocalDate; outcome: 'assess' | 'not_assess' }
  | { type: 'advice_requested'; date: LocalDate; adviceId: string; adviceType?: string }
  | { type: 'advice_received'; date: LocalDate; adviceId: string }
  | { type: 'issue_decision'; date: LocalDate; outcome: 'issue' | 'not_issue' }
  | { type: 'draft_served'; date: LocalDate; method: ServiceMethod }
  | { type: 'final_plan_issued'; date: LocalDate }
  | {
      type: 'exception';
      date: LocalDate;
      reason: ExceptionReason;
      duty?: string;
      from?: LocalDate;
      to?: LocalDate;
    }
  | { type: 'request_withdrawn'; date: LocalDate }
  | { type: 'plan_issued'; date: LocalDate }
  | { type: 'review_invitations_sent'; date: LocalDate }
  | { type: 'review_meeting'; date: LocalDate }
  | { type: 'review_report_sent'; date: LocalDate }
  | { type: 'review_decision'; date: LocalDate; outcome: 'maintain' | 'amend' | 'cease' }
  | { type: 'amendment_notice_sent'; date: LocalDate }
  | { type: 'amended_plan_issued'; date: LocalDate }
  | { type: 'phase_transfer'; date: LocalDate; transferYear: number; route: 'school' | 'post16' }
  | { type: 'phase_transfer_plan_finalised'; date: LocalDate }
  | { type: 'reassessment_requested'; date: LocalDate }
  | { type: 'reassessment_decision'; date: LocalDate; outcome: 'reassess' | 'not_reassess' }
  | { type: 'reassessed_plan_issued'; date: LocalDate }
  | { type: 'transfer_in'; date: LocalDate; lastReviewOrPlanDate: LocalDate }
  | { type: 'parent_informed_after_transfer'; date: LocalDate }
  | { type: 'mediation_ended'; date: LocalDate }
  | { type: 'mediation_certificate_issued'; date: LocalDate }
  | { type: 'tribunal_order'; date: LocalDate; order: TribunalOrder };

export type EventType = ProcessEvent['type'];

type FieldSpec =
  | { kind: 'date'; optional?: boolean }
  | { kind: 'enum'; values: readonly string[]; optional?: boolean }
  | { kind: 'text'; optional?: boolean }
  | { kind: 'year' };

const SPECS: Record<EventType, Record<string, FieldSpec>> = {
  request_received: {},
  assessment_decision: { outcome: { kind: 'enum', values: ['assess', 'not_assess'] } },
  advice_requested: { adviceId: { kind: 'text' }, adviceType: { kind: 'text', optional: true } },
  advice_received: { adviceId: { kind: 'text' } },
  issue_decision: { outcome: { kind: 'enum', values: ['issue', 'not_issue'] } },
  draft_served: { method: { kind: 'enum', values: SERVICE_METHODS } },
  final_plan_issued: {},
  exception: {
    reason: { kind: 'enum', values: EXCEPTION_REASONS },
    duty: { kind: 'text', optional: true },
    from: { kind: 'date', optional: true },
    to: { kind: 'date', optional: true },
  },
  request_withdrawn: {},
  plan_issued: {},
  review_invitations_sent: {},
  review_meeting: {},
  review_report_sent: {},
  review_decision: { outcome: { kind: 'enum', values: ['maintain', 'amend', 'cease'] } },
  amendment_notice_sent: {},
  amended_plan_issued: {},
  phase_transfer: { transferYear: { kind: 'year' }, route: { kind: 'enum', values: ['school', 'post16'] } },
  phase_transfer_plan_finalised: {},
  reassessment_requested: {},
  reassessment_decision: { outcome: { kind: 'enum', values: ['reassess', 'not_reassess'] } },
  reassessed_plan_issued: {},
  transfer_in: { lastReviewOrPlanDate: { kind: 'date' } },
  parent_informed_after_transfer: {},
  mediation_ended: {},
  mediation_certificate_issued: {},
  tribunal_order: { order: { kind: 'enum', values: TRIBUNAL_ORDERS } },
};

export const EVENT_TYPES = Object.keys(SPECS) as EventType[];

/** Events of the assessment itself: none may be dated before the request was received. */
const ASSESSMENT_EVENTS = new Set<EventType>([
  'assessment_decision',
  'advice_requested',
  'advice_received',
  'issue_decision',
  'draft_served',
  'final_plan_issued',
  'exception',
  'request_withdrawn',
]);

export class EventValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseDate(value: unknown, field: string): LocalDate {
  if (value === undefined || value === null || value === '') throw new EventValidationError(field, 'required');
  const d = parseLocalDate(value);
  if (!d) {
    throw new EventValidationError(
      field,
      typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? `${value} is not a real date`
        : `must be a date as YYYY-MM-DD, not ${JSON.stringify(value)}`,
    );
  }
  return d;
}

/** Checks one event and returns it typed, or throws naming the field at fault (e.g. `events[2].outcome`). */
export function parseEvent(raw: unknown, path: string): ProcessEvent {
  if (!isRecord(raw)) throw new EventValidationError(path, 'must be an object');
  const type = raw.type;
  if (type === undefined) throw new EventValidationError(`${path}.type`, 'required');
  if (typeof type !== 'string' || !(type in SPECS)) {
    throw new EventValidationError(`${path}.type`, `unknown event type ${JSON.stringify(type)}`);
  }
  const spec = SPECS[type as EventType];
  const out: Record<string, unknown> = { type, date: parseDate(raw.date, `${path}.date`) };
  for (const [name, field] of Object.entries(spec)) {
    const value = raw[name];
    const at = `${path}.${name}`;
    if (value === undefined || value === null) {
      if ('optional' in field && field.optional) continue;
      throw new EventValidationError(at, 'required');
    }
    switch (field.kind) {
      case 'date':
        out[name] = parseDate(value, at);
        break;
      case 'enum':
        if (typeof value !== 'string' || !field.values.includes(value)) {
          throw new EventValidationError(at, `must be one of ${field.values.join(', ')}, not ${JSON.stringify(value)}`);
        }
        out[name] = value;
        break;
      case 'text':
        if (typeof value !== 'string' || value.trim() === '' || value.length > 100) {
          throw new EventValidationError(at, 'must be text of 1 to 100 characters');
        }
        out[name] = value;
        break;
      case 'year':
        if (!Number.isInteger(value) || (value as number) < 2014 || (value as number) > 2100) {
          throw new EventValidationError(at, `must be a year from 2014 to 2100, not ${JSON.stringify(value)}`);
        }
        out[name] = value;
        break;
    }
  }
  return out as ProcessEvent;
}

/** Checks a whole list of events for one process: each event, then how they fit together. */
export function parseEvents(raw: unknown, path = 'events'): ProcessEvent[] {
  if (!Array.isArray(raw)) throw new EventValidationError(path, 'required, a list of events');
  const events = raw.map((e, i) => parseEvent(e, `${path}[${i}]`));
  const requests = events.flatMap((e, i) => (e.type === 'request_received' ? [i] : []));
  if (requests.length > 1) {
    throw new EventValidationError(`${path}[${requests[1]}].type`, 'a process has only one request_received');
  }
  const requestIndex = requests[0];
  if (requestIndex !== undefined) {
    const received = events[requestIndex]!.date;
    events.forEach((e, i) => {
      // A reassessment's exceptions belong to the plan's later life, not to this request.
      const ofRequest = e.type !== 'exception' || exceptionDuty(e) !== 'issue_reassessed_plan';
      if (ASSESSMENT_EVENTS.has(e.type) && ofRequest && e.date < received) {
        throw new EventValidationError(
          `${path}[${i}].date`,
          `${e.date} is before the request was received (${received})`,
        );
      }
    });
  }
  // Each advice's first request (a repeated request does not restart its clock).
  const requested = new Map<string, LocalDate>();
  for (const e of events) {
    if (e.type !== 'advice_requested') continue;
    const first = requested.get(e.adviceId);
    if (first === undefined || e.date < first) requested.set(e.adviceId, e.date);
  }
  events.forEach((e, i) => {
    if (e.type === 'advice_received') {
      const on = requested.get(e.adviceId);
      if (on === undefined) {
        throw new EventValidationError(
          `${path}[${i}].adviceId`,
          `no advice_requested event has adviceId ${JSON.stringify(e.adviceId)}`,
        );
      }
      if (e.date < on) {
        throw new EventValidationError(
          `${path}[${i}].date`,
          `${e.date} is before the advice ${JSON.stringify(e.adviceId)} was requested (${on})`,
        );
      }
    }
    if (e.type === 'exception') checkException(e, `${path}[${i}]`, requested);
  });
  return events;
}

/** P11: an exception names a duty its regulation covers, and its dates run forwards. */
function checkException(e: Of<'exception'>, at: string, advice: ReadonlyMap<string, LocalDate>): void {
  const regulation = EXCEPTION_RULES[exceptionRegulation(e.reason)];
  if (e.duty === undefined) {
    if (regulation.duty === 'advice') {
      throw new EventValidationError(
        `${at}.duty`,
        `required for a ${regulation.citation} exception: the advice it applies to, as advice:<adviceId>`,
      );
    }
  } else if (!EXCEPTION_DUTY.test(e.duty)) {
    throw new EventValidationError(
      `${at}.duty`,
      `must be decide_whether_to_assess, advice:<adviceId>, issue_final_plan or issue_reassessed_plan, not ${JSON.stringify(e.duty)}`,
    );
  } else if (!exceptionFits(e.reason, e.duty)) {
    throw new EventValidationError(
      `${at}.reason`,
      `${e.reason} cannot apply to ${e.duty}: a ${regulation.citation} exception applies only to ${regulation.duty === 'advice' ? 'advice:<adviceId>' : regulation.duty}`,
    );
  } else if (e.duty.startsWith('advice:') && !advice.has(e.duty.slice('advice:'.length))) {
    throw new EventValidationError(
      `${at}.duty`,
      `no advice_requested event has adviceId ${JSON.stringify(e.duty.slice('advice:'.length))}`,
    );
  }
  if (e.from !== undefined && e.to !== undefined && e.to < e.from) {
    throw new EventValidationError(`${at}.to`, `${e.to} is before from (${e.from})`);
  }
}

type Of<T extends EventType> = Extract<ProcessEvent, { type: T }>;
