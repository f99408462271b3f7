/**
 * The emails an administrator's changes send: an invitation to set up a new account (a one-time link, through
 * services/accountEmails.ts), and a notice to someone who already has an account elsewhere that they now have roles in
 * this council too (no link: they sign in as they already do).
 */
import type { Db } from '../../data/db.js';
import { insertNotification, setNotificationStatus } from '../../data/repositories/notifications.js';
import { lifetimeText } from '../../domain/access/accountLinks.js';
import { ROLE_NAMES, type Role } from '../../domain/access/roles.js';
import type { EmailSender } from '../../notify/sender.js';
import type { AccountEmail } from '../accountEmails.js';

function roleList(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_NAMES[r]).join(', ');
}

/** The invitation to set up an account: its one-time link (3 days), the council, the roles given. */
export function invitationEmail(invite: {
  laCode: string;
  laName: string;
  linkId: string;
  to: string;
  name: string;
  roles: readonly Role[];
  link: string;
}): AccountEmail {
  return {
    laCode: invite.laCode,
    dedupeKey: `account-link:${invite.linkId}`,
    kind: 'account_set_up',
    to: invite.to,
    subject: `Set up your OpenEHCP account for ${invite.laName}`,
    body: (address: string) =>
      [
        `Dear ${invite.name},`,
        '',
        `${invite.laName} has given you an OpenEHCP account (${roleList(invite.roles)}).`,
        '',
        'Use this link to set up how you sign in:',
        '',
        address,
        '',
        `The link works once and stops working after ${lifetimeText('set_up')}. If it has stopped working, ask your administrator for a new one.`,
      ].join('\n'),
    link: invite.link,
  };
}

export interface AccessNotice {
  laCode: string;
  laName: string;
  /** Unique for this message in the LA. */
  key: string;
  to: string;
  name: string;
  roles: readonly Role[];
  signInAddress: string;
}

export interface RecordedNotice {
  id: string;
  email: { to: string; subject: string; body: string };
}

/**
 * Records (in the caller's transaction) the notice to someone with an account already, at another council on the same
 * service, that they now hold roles here as well. No link to use once: they sign in as before.
 */
export async function recordAccessNotice(db: Db, notice: AccessNotice): Promise<RecordedNotice | undefined> {
  const email = {
    to: notice.to,
    subject: `You now have access to ${notice.laName} in OpenEHCP`,
    body: [
      `Dear ${notice.name},`,
      '',
      `${notice.laName} has given you these roles in OpenEHCP: ${roleList(notice.roles)}.`,
      '',
      `Sign in as you already do, and choose ${notice.laName}: ${notice.signInAddress}`,
    ].join('\n'),
  };
  const id = await insertNotification(db, {
    laCode: notice.laCode,
    dedupeKey: notice.key,
    kind: 'access_given',
    requestId: null,
    adviceRequestId: null,
    toEmail: email.to,
    subject: email.subject,
    body: email.body,
    status: 'outbox',
    dueOn: null,
  });
  return id ? { id, email } : undefined;
}

/** Sends a recorded notice through Notify, when configured (after the transaction commits), and records how it went. */
export async function deliverAccessNotice(db: Db, sender: EmailSender, notice: RecordedNotice): Promise<void> {
  if (sender.name !== 'notify') return;
  const result = await sender.send({ ...notice.email, reference: notice.id });
  await setNotificationStatus(
    db,
    notice.id,
    result.status === 'sent'
      ? { status: 'sent', notifyId: result.notifyId }
      : { status: 'failed', error: result.status === 'failed' ? result.error : null },
  );
}
