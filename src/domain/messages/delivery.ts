/**
 * Delivering a message through GOV.UK Notify: which failures are worth trying again, when the next try is, when to give
 * up, and how a message that finally failed is told to the caseworker.
 *
 * Notify's API answers 400 when the message itself is wrong (an address or number it will not send to): sending it
 * again cannot help. A network error, a 5xx (Notify or its providers unwell) or a 429 (rate limit) may pass later: the
 * message is tried again with growing waits, MAX_SEND_ATTEMPTS times in all over about a day, and then given up on.
 * Anything else Notify refuses (403: the service's key) is not retried, as the people running the service must act.
 */
import { formatLongDate, londonDate } from '../dates/localDate.js';

/** 'temporary': may pass if tried again later; 'permanent': will not. */
export type SendFailureKind = 'temporary' | 'permanent';

/** How many times in all a message is handed to Notify before it is given up on. */
export const MAX_SEND_ATTEMPTS = 6;

/**
 * The waits (minutes) after the 1st, 2nd, ... failed try before the next: the sixth and last try is 5 + 30 + 120 + 360
 * + 900 minutes (23 hours 35 minutes) after the first.
 */
export const RETRY_WAITS_MINUTES: readonly number[] = [5, 30, 120, 360, 900];

/**
 * A message left 'sending' this long was being sent by a process that stopped: Notify may have accepted it, so it is
 * never sent again; it is marked failed so that the caseworker can check it arrived.
 */
export const INTERRUPTED_AFTER_MINUTES = 15;

/** Notify's HTTP status (undefined: no answer at all) as a kind of failure. */
export function failureKindOf(httpStatus: number | undefined): SendFailureKind {
  if (httpStatus === undefined) return 'temporary';
  if (httpStatus === 429 || httpStatus >= 500) return 'temporary';
  return 'permanent';
}

/** Why a message finally failed. */
export type FinalFailure = 'refused' | 'unreachable' | 'interrupted';

export type AfterFailure = { status: 'retrying'; nextAttemptAt: Date } | { status: 'failed'; failure: FinalFailure };

/** What happens to a message after its `attempts`-th try (counting that one) failed, at `now`. */
export function afterFailure(attempts: number, kind: SendFailureKind, now: Date): AfterFailure {
  if (kind === 'permanent') return { status: 'failed', failure: 'refused' };
  if (attempts >= MAX_SEND_ATTEMPTS) return { status: 'failed', failure: 'unreachable' };
  const wait = RETRY_WAITS_MINUTES[Math.max(0, attempts - 1)] ?? RETRY_WAITS_MINUTES.at(-1)!;
  return { status: 'retrying', nextAttemptAt: new Date(now.getTime() + wait * 60_000) };
}

/** Who a message was to, as recorded ('parent', 'young_person', 'school', 'provider', 'escalation', 'caseworker'). */
export type RecipientRole = 'parent' | 'young_person' | 'school' | 'provider' | 'escalation' | 'caseworker';

function recipientInWords(role: string | null, childName: string): string {
  switch (role) {
    case 'parent':
      return `${childName}'s parent or carer`;
    case 'young_person':
      return childName;
    case 'school':
      return 'the school or setting';
    case 'provider':
      return 'the advice giver';
    case 'escalation':
      return "the advice giver's service manager";
    case 'caseworker':
      return 'the caseworker';
    default:
      return 'the person it was for';
  }
}

/** What a message was about, by its kind. */
const TOPICS: Record<string, string> = {
  family_assessment_decision: 'the decision whether to assess',
  family_advice_in: 'the advice all being in',
  family_draft_served: 'the draft plan',
  family_final_plan: 'the final plan',
  family_caseworker: 'their caseworker',
  family_late: 'a late step',
  reminder: 'advice that is due',
  overdue: 'overdue advice',
  escalation: 'overdue advice',
  consultation_overdue: 'the consultation about naming the school or setting',
};

function failureInWords(failure: string | null, channel: string): string {
  switch (failure) {
    case 'refused':
      return channel === 'sms' ? 'the number was refused' : 'the address was refused';
    case 'interrupted':
      return 'the service stopped while sending it, so it may not have arrived';
    default:
      return `GOV.UK Notify could not take it after ${MAX_SEND_ATTEMPTS} tries over about a day`;
  }
}

export interface FailedMessage {
  kind: string;
  channel: string;
  toRole: string | null;
  failure: string | null;
  /** When it was last tried (or recorded, if never tried). */
  at: Date;
}

/**
 * A message that finally failed, for the caseworker: "We could not send the email to Sam Jones's parent or carer about
 * the draft plan on 3 March 2026: the address was refused. Contact them another way."
 */
export function failedMessageInWords(m: FailedMessage, childName: string): string {
  const what = m.channel === 'sms' ? 'the text message' : 'the email';
  const topic = TOPICS[m.kind] ?? 'this case';
  return (
    `We could not send ${what} to ${recipientInWords(m.toRole, childName)} about ${topic} on ` +
    `${formatLongDate(londonDate(m.at))}: ${failureInWords(m.failure, m.channel)}. Contact them another way.`
  );
}
