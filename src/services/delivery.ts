/**
 * Handing recorded messages to GOV.UK Notify, once each. Every message is first recorded (status 'pending'); whoever
 * sends it claims its row in the database first (claimNotification), so that the send after a step, the job that tries
 * again, and a second process running the same job never give Notify the same message twice, and a message Notify has
 * accepted is never sent again. A failure that may pass (no answer, a 5xx, a 429) is tried again later with growing
 * waits, up to MAX_SEND_ATTEMPTS over about a day; a refusal (400: the address or number) is not, and the caseworker
 * is told on the case page (domain/messages/delivery.ts).
 */
import type { Db } from '../data/db.js';
import {
  claimNotification,
  failInterruptedNotifications,
  notificationsToTry,
  recordSendOutcome,
} from '../data/repositories/notifications.js';
import { afterFailure, INTERRUPTED_AFTER_MINUTES, RETRY_WAITS_MINUTES } from '../domain/messages/delivery.js';
import type { EmailSender, SendResult } from '../notify/sender.js';

export type DeliveryOutcome = 'sent' | 'outbox' | 'retrying' | 'failed' | 'not_claimed';

/** Tries to send one recorded message now (when it is not someone else's, sent, or not yet due); records the outcome. */
export async function deliverNotification(
  db: Db,
  sender: EmailSender,
  id: string,
  now: Date = new Date(),
): Promise<DeliveryOutcome> {
  const row = await claimNotification(db, id, now);
  if (!row) return 'not_claimed';
  let result: SendResult;
  try {
    if (row.channel === 'sms') {
      result =
        row.toPhone && sender.sendSms
          ? await sender.sendSms({ to: row.toPhone, body: row.body, reference: row.id })
          : { status: 'outbox' };
    } else {
      result = row.toEmail
        ? await sender.send({ to: row.toEmail, subject: row.subject, body: row.body, reference: row.id })
        : { status: 'outbox' };
    }
  } catch (err) {
    // A sender that threw (not Notify's client, which answers): as if Notify could not be reached.
    result = { status: 'failed', error: err instanceof Error ? err.message : String(err), temporary: true };
  }
  if (result.status === 'sent') {
    await recordSendOutcome(db, row.id, { status: 'sent', notifyId: result.notifyId });
    return 'sent';
  }
  if (result.status === 'outbox') {
    await recordSendOutcome(db, row.id, { status: 'outbox' });
    return 'outbox';
  }
  const next = afterFailure(row.attempts, result.temporary ? 'temporary' : 'permanent', now);
  await recordSendOutcome(
    db,
    row.id,
    next.status === 'retrying'
      ? { status: 'retrying', error: result.error, nextAttemptAt: next.nextAttemptAt }
      : { status: 'failed', error: result.error, failure: next.failure },
  );
  return next.status;
}

/** What a retry run did. */
export interface RetrySummary {
  tried: number;
  sent: number;
  retrying: number;
  failed: number;
  interrupted: number;
}

/** A never-tried message older than this is not sent late (the longest a retried one can wait, in all). */
const NEVER_TRIED_WITHIN_MS = RETRY_WAITS_MINUTES.reduce((a, b) => a + b, 0) * 60_000;

/**
 * The retry run (the message-retries job, every few minutes): every message whose next try is due, and any recorded but
 * never tried, is tried; messages left 'sending' by a stopped process are marked failed (never resent). Safe to run
 * twice at once: each message is claimed by one run.
 */
export async function retryDueMessages(db: Db, sender: EmailSender, now: Date = new Date()): Promise<RetrySummary> {
  const summary: RetrySummary = { tried: 0, sent: 0, retrying: 0, failed: 0, interrupted: 0 };
  summary.interrupted = await failInterruptedNotifications(
    db,
    new Date(now.getTime() - INTERRUPTED_AFTER_MINUTES * 60_000),
    'The service stopped while sending this message: it may not have arrived',
  );
  for (const id of await notificationsToTry(db, now, new Date(now.getTime() - NEVER_TRIED_WITHIN_MS))) {
    const outcome = await deliverNotification(db, sender, id, now);
    if (outcome === 'not_claimed') continue;
    summary.tried += 1;
    if (outcome === 'sent' || outcome === 'outbox') summary.sent += 1;
    else if (outcome === 'retrying') summary.retrying += 1;
    else summary.failed += 1;
  }
  return summary;
}
