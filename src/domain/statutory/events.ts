/**
 * The events of an EHC process, as the statutory clock reads them (contracts/cli.md, `openehcp deadlines`), and
 * their validation: each event against its type's zod schema, then how the events fit together; every problem is
 * reported with the path of the field at fault.
 */
import { z } from 'zod';
import { parseLocalDate, type LocalDate } from '../dates/localDate.js';
import { SERVICE_METHODS, type ServiceMethod } from '../dates/service.js';
import { firstIssue, pathText } from '../schemaIssues.js';

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

const quoted = (value: unknown) => JSON.stringify(value);
const missing = (value: unknown) => value === undefined || value === null;
/** A message for a field's wrong value, or `required` when it is left out (null counts as left out). */
const unlessMissing = (message: (input: unknown) => string) => (issue: { input: unknown }) =>
  missing(issue.input) ? 'required' : message(issue.input);
/** An optional field: left out or null, it is absent. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const notADate = (input: unknown) => `must be a date as YYYY-MM-DD, not ${quoted(input)}`;
const date = z
  .string({ error: unlessMissing(notADate) })
  .refine((v) => v !== '', { error: 'required', abort: true })
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v), { error: (issue) => notADate(issue.input), abort: true })
  .refine((v) => parseLocalDate(v) !== null, { error: (issue) => `${String(issue.input)} is not a real date` })
  .transform((v) => v as LocalDate);

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: unlessMissing((input) => `must be one of ${values.join(', ')}, not ${quoted(input)}`) });

const TEXT = 'must be text of 1 to 100 characters';
const text = z.string({ error: unlessMissing(() => TEXT) }).refine((v) => v.trim() !== '' && v.length <= 100, TEXT);

const yearMessage = unlessMissing((input) => `must be a year from 2014 to 2100, not ${quoted(input)}`);
const year = z.int({ error: yearMessage }).min(2014, { error: yearMessage }).max(2100, { error: yearMessage });

/** Each event type's fields besides its type and date, in the order they are checked. */
const FIELDS = {
  request_received: {},
  assessment_decision: { outcome: oneOf(['assess', 'not_assess']) },
  advice_requested: { adviceId: text, adviceType: optional(text) },
  advice_received: { adviceId: text },
  issue_decision: { outcome: oneOf(['issue', 'not_issue']) },
  draft_served: { method: oneOf(SERVICE_METHODS) },
  final_plan_issued: {},
  exception: {
    reason: oneOf(EXCEPTION_REASONS),
    duty: optional(text),
    from: optional(date),
    to: optional(date),
  },
  request_withdrawn: {},
  plan_issued: {},
  review_invitations_sent: {},
  review_meeting: {},
  review_report_sent: {},
  review_decision: { outcome: oneOf(['maintain', 'amend', 'cease']) },
  amendment_notice_sent: {},
  amended_plan_issued: {},
  phase_transfer: { transferYear: year, route: oneOf(['school', 'post16']) },
  phase_transfer_plan_finalised: {},
  reassessment_requested: {},
  reassessment_decision: { outcome: oneOf(['reassess', 'not_reassess']) },
  reassessed_plan_issued: {},
  transfer_in: { lastReviewOrPlanDate: date },
  parent_informed_after_transfer: {},
  mediation_ended: {},
  mediation_certificate_issued: {},
  tribunal_order: { order: oneOf(TRIBUNAL_ORDERS) },
} satisfies Record<EventType, z.ZodRawShape>;

export const EVENT_TYPES = Object.keys(FIELDS) as EventType[];

/** One event: its type picks the fields it must have; a type that is not one of these is named as unknown. */
const eventSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((type) => z.object({ type: z.literal(type), date, ...FIELDS[type] })) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<EventType> }>,
    ...z.ZodObject<{ type: z.ZodLiteral<EventType> }>[],
  ],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return 'must be an object';
      const type = (issue.input as { type?: unknown }).type;
      return type === undefined ? 'required' : `unknown event type ${quoted(type)}`;
    },
  },
);

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

/** Checks one event and returns it typed, or throws naming the field at fault (e.g. `events[2].outcome`). */
export function parseEvent(raw: unknown, path: string): ProcessEvent {
  const result = eventSchema.safeParse(raw);
  if (result.success) return result.data as ProcessEvent;
  const { path: at, message } = firstIssue(result.error);
  throw new EventValidationError(pathText(at, path), message);
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
