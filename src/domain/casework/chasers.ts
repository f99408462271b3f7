/**
 * Chasers for advice (the service's own practice on top of reg 8(1)'s 6 weeks): a reminder to the provider 1 week
 * before the due date; a notice on the day the advice becomes overdue (the day after the due date, rule P1: the due
 * date itself is still in time); and when it is 2 weeks overdue (14 days after the due date), an escalation to the
 * provider's service manager (the designated clinical officer for health).
 *
 * Each chaser belongs to one due date and is sent once. When the service was not running on the day a chaser fell
 * due, only the latest chaser that applies is sent: a provider who is two weeks late gets the escalation, not three
 * messages at once.
 */
import { addDays, formatLongDate, type LocalDate } from '../dates/localDate.js';
import {
  ADVICE_DAYS,
  ADVICE_WEEKS,
  DAYS_IN_WEEK,
  FINAL_PLAN_WEEKS,
  SETTING_CONSULTATION_DAYS,
} from '../statutory/periods.js';
import { consultationResponseDue } from './consultation.js';

/** The service's practice (not the law): remind 1 week before the due date. */
const REMINDER_DAYS_BEFORE = 7;
/**
 * The service's practice (not the law): escalate to the provider's service manager 2 weeks after the due date. The
 * escalation's subject says so in weeks.
 */
const ESCALATION_WEEKS_AFTER = 2;
const ESCALATION_DAYS_AFTER = ESCALATION_WEEKS_AFTER * DAYS_IN_WEEK;

export type ChaserKind = 'reminder' | 'overdue' | 'escalation';

export interface OutstandingAdvice {
  adviceId: string;
  adviceType: string;
  adviceTypeName: string;
  provider: string;
  requestedDate: LocalDate;
  childReference: string;
  requestReference: string;
  /** The request in the provider's work list (<BASE_URL>/advice/:adviceId), where they give the advice online. */
  link?: string | null;
}

export interface Chaser {
  kind: ChaserKind;
  /** The day the chaser falls to be sent. */
  on: LocalDate;
  /** The advice's due date (requested + 6 weeks, ADVICE_DAYS: reg 8(1)). */
  due: LocalDate;
  /** One key per advice, kind and due date: the outbox refuses a second message with the same key. */
  key: string;
  subject: string;
  body: string;
}

/** When each chaser falls due for advice requested on `requested`. */
export function chaserDates(requested: LocalDate): { due: LocalDate; dates: Record<ChaserKind, LocalDate> } {
  const due = addDays(requested, ADVICE_DAYS);
  return {
    due,
    dates: {
      reminder: addDays(due, -REMINDER_DAYS_BEFORE),
      overdue: addDays(due, 1),
      escalation: addDays(due, ESCALATION_DAYS_AFTER),
    },
  };
}

const ORDER: readonly ChaserKind[] = ['escalation', 'overdue', 'reminder'];

/**
 * The chaser to send today for outstanding advice, or null: the latest kind whose day has come. `sent` lists the
 * kinds already sent for this due date; nothing is sent again, and nothing earlier than what was sent.
 */
export function chaserFor(advice: OutstandingAdvice, today: LocalDate, sent: readonly ChaserKind[]): Chaser | null {
  const { due, dates } = chaserDates(advice.requestedDate);
  const kind = ORDER.find((k) => dates[k] <= today);
  if (!kind) return null;
  // Already sent this kind, or a later one: nothing new.
  if (ORDER.slice(0, ORDER.indexOf(kind) + 1).some((k) => sent.includes(k))) return null;
  const { subject, body } = message(kind, advice, due);
  const link = advice.link ? `\n\nOpen the request and give the advice online: ${advice.link}` : '';
  return { kind, on: dates[kind], due, key: `advice:${advice.adviceId}:${kind}:${due}`, subject, body: body + link };
}

/** The message: which child by reference only (never a name in an email), what is late and since when. */
function message(kind: ChaserKind, a: OutstandingAdvice, due: LocalDate): { subject: string; body: string } {
  const what = `${a.adviceTypeName} advice for child ${a.childReference} (EHC needs assessment ${a.requestReference})`;
  const requested = `requested from ${a.provider} on ${formatLongDate(a.requestedDate)}`;
  const overdueSince = formatLongDate(addDays(due, 1));
  switch (kind) {
    case 'reminder':
      return {
        subject: `Reminder: advice due ${formatLongDate(due)} for child ${a.childReference}`,
        body: `${what} was ${requested}. It is due by ${formatLongDate(due)}, ${ADVICE_WEEKS} weeks after the request (SEND Regulations 2014, regulation 8(1)). Please send it by then, or tell the caseworker now if it will be late.`,
      };
    case 'overdue':
      return {
        subject: `Overdue: advice for child ${a.childReference}`,
        body: `${what} was ${requested} and was due by ${formatLongDate(due)}. It has been overdue since ${overdueSince}. The council must issue the plan within ${FINAL_PLAN_WEEKS} weeks of the request, so late advice delays the child's plan. Please send it as soon as possible.`,
      };
    case 'escalation':
      return {
        subject: `Escalation: advice for child ${a.childReference} is ${ESCALATION_WEEKS_AFTER} weeks overdue`,
        body: `${what} was ${requested} and was due by ${formatLongDate(due)}. It has been overdue since ${overdueSince} and reminders have not produced it. As the service manager, please make sure it is sent as soon as possible.`,
      };
  }
}

/** A consultation with a school or setting about naming it in section I, not yet answered. */
export interface OutstandingConsultation {
  consultationId: string;
  settingName: string;
  sentDate: LocalDate;
  childReference: string;
  requestReference: string;
  /** The consultation on the school's own list (<BASE_URL>/consultations/:id), where they answer it online. */
  link?: string | null;
}

/**
 * The chaser to a school that has not answered a consultation within its 15 days (SEND Code of Practice 9.83,
 * consultation.ts): due the day after the reply was due (rule P1: the due date itself is still in time), sent once
 * (`alreadySent`: one was recorded for this consultation and recipient), or null.
 */
export function consultationChaserFor(
  c: OutstandingConsultation,
  today: LocalDate,
  alreadySent: boolean,
): Chaser | null {
  const due = consultationResponseDue(c.sentDate);
  const on = addDays(due, 1);
  if (alreadySent || today < on) return null;
  const link = c.link ? `\n\nOpen the consultation and answer it online: ${c.link}` : '';
  return {
    kind: 'overdue',
    on,
    due,
    key: `consultation:${c.consultationId}:overdue:${due}`,
    subject: `Overdue: your reply to a consultation for child ${c.childReference}`,
    body:
      `${c.settingName} was consulted on ${formatLongDate(c.sentDate)} about being named in section I of the EHC plan for child ${c.childReference} (EHC needs assessment ${c.requestReference}). ` +
      `The reply was due by ${formatLongDate(due)}, within ${SETTING_CONSULTATION_DAYS} days (SEND Code of Practice 9.83). Please say whether the school can meet the child's needs as soon as possible: the council must issue the plan on time.` +
      link,
  };
}

/** Someone a consultation chaser goes to: a school user (by id), or the caseworker when the school has none. */
export interface ConsultationRecipient {
  /** What makes their copy unique: the user's id, or 'caseworker'. */
  key: string;
  email: string | null;
  role: 'school' | 'caseworker';
}

/**
 * Who is sent the consultation chaser now: each of the school's users as they are today (not only those there when it
 * was first chased: a member of staff added since is told too), each once (`chased`: the keys already sent to); the
 * caseworker, once, only while the school has no user.
 */
export function consultationChaserRecipients(
  schoolUsers: readonly { id: string; email: string }[],
  caseworkerEmail: string | null,
  chased: ReadonlySet<string>,
): ConsultationRecipient[] {
  const everyone: ConsultationRecipient[] = schoolUsers.length
    ? schoolUsers.map((u) => ({ key: u.id, email: u.email, role: 'school' as const }))
    : [{ key: 'caseworker', email: caseworkerEmail, role: 'caseworker' as const }];
  return everyone.filter((r) => !chased.has(r.key));
}
