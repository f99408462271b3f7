/**
 * Emails that carry a one-time link (an invitation, a password reset, a parent's invitation to link their child).
 *
 * The message is recorded in the outbox like every other, but with the link taken out of the stored copy: the outbox
 * page is read by caseworkers and administrators, and a working link there would let any of them take over the
 * account. When GOV.UK Notify is configured the message itself carries the link; when it is not (the local outbox
 * only), nothing reaches the person, so the caller gets the link back to show once to the person who asked for it.
 */
import type { Db } from '../data/db.js';
import { insertNotification, setNotificationStatus } from '../data/repositories/notifications.js';
import type { EmailSender } from '../notify/sender.js';

/** What the stored copy says in place of the link. */
export const LINK_REMOVED = '[one-time link: not kept in the outbox]';

export interface AccountEmail {
  laCode: string;
  /** Unique for this message in the LA (for example `account-link:<link id>`). */
  dedupeKey: string;
  kind: 'account_set_up' | 'password_reset' | 'parent_invitation';
  to: string;
  subject: string;
  /** The body, given the link to put in it. */
  body: (link: string) => string;
  link: string;
}

export type AccountEmailResult =
  | { delivered: 'notify' }
  /** Notify is not configured, or refused the message: the link, for the person who asked, to pass on themselves. */
  | { delivered: 'not_sent'; link: string; reason: 'no_notify' | 'notify_failed' };

/**
 * Records the message (without its link) in the caller's transaction; call `deliver` after the transaction commits.
 */
export async function recordAccountEmail(db: Db, email: AccountEmail): Promise<string | undefined> {
  return insertNotification(db, {
    laCode: email.laCode,
    dedupeKey: email.dedupeKey,
    kind: email.kind,
    requestId: null,
    adviceRequestId: null,
    toEmail: email.to,
    subject: email.subject,
    body: email.body(LINK_REMOVED),
    status: 'outbox',
    dueOn: null,
  });
}

/** Sends a recorded message with its link through Notify, when configured, and records what happened. */
export async function deliverAccountEmail(
  db: Db,
  sender: EmailSender,
  notificationId: string,
  email: AccountEmail,
): Promise<AccountEmailResult> {
  if (sender.name !== 'notify') return { delivered: 'not_sent', link: email.link, reason: 'no_notify' };
  const result = await sender.send({
    to: email.to,
    subject: email.subject,
    body: email.body(email.link),
    reference: notificationId,
  });
  if (result.status === 'sent') {
    await setNotificationStatus(db, notificationId, { status: 'sent', notifyId: result.notifyId });
    return { delivered: 'notify' };
  }
  await setNotificationStatus(db, notificationId, {
    status: 'failed',
    error: result.status === 'failed' ? result.error : null,
  });
  return { delivered: 'not_sent', link: email.link, reason: 'notify_failed' };
}
