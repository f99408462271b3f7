/**
 * Local accounts: the links that let a person set or reset their own password. (Setting up a council, invitations
 * and the administrators' pages build on this.)
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { roleAssignments, users } from '../data/schema.js';
import { lifetimeText } from '../domain/access/accountLinks.js';
import type { EmailSender } from '../notify/sender.js';
import { createAccountLink } from './accountLinks.js';
import { deliverAccountEmail, recordAccountEmail, type AccountEmailResult } from './accountEmails.js';
import type { Clock } from './clock.js';

export interface PasswordResetRequest {
  userId: string;
  /** The LA the reset is sent in (the administrator's, or the user's own). */
  laCode: string;
  /** The administrator who asked, or null when the user asked for themselves. */
  requestedBy: string | null;
  ip: string;
  requestId?: string;
}

export function createAccountService(database: Database, clock: Clock, sender: EmailSender, baseUrl: string) {
  const { db } = database;

  /**
   * Sends a user a password-reset link (1 hour, single use), recorded in the outbox without the link and audited.
   * Undefined when the user holds no role in that LA (nothing is made or sent).
   */
  async function sendPasswordReset(request: PasswordResetRequest): Promise<AccountEmailResult | undefined> {
    const now = clock.now();
    const made = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ email: users.email, displayName: users.displayName })
        .from(users)
        .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
        .where(and(eq(users.id, request.userId), eq(roleAssignments.laCode, request.laCode)))
        .limit(1);
      const user = rows[0];
      if (!user) return undefined;
      const { token, link } = await createAccountLink(
        tx,
        {
          purpose: 'reset_password',
          userId: request.userId,
          email: user.email,
          laCode: request.laCode,
          createdBy: request.requestedBy,
        },
        now,
      );
      const email = {
        laCode: request.laCode,
        dedupeKey: `account-link:${link.id}`,
        kind: 'password_reset' as const,
        to: user.email,
        subject: 'Reset your OpenEHCP password',
        body: (address: string) =>
          [
            `Dear ${user.displayName},`,
            '',
            'Use this link to choose a new password for OpenEHCP:',
            '',
            address,
            '',
            `The link works once and stops working after ${lifetimeText('reset_password')}.`,
            '',
            'If you did not ask for this, you can ignore this email: your password has not changed.',
          ].join('\n'),
        link: `${baseUrl}/account/reset-password/${token}`,
      };
      const notificationId = await recordAccountEmail(tx, email);
      await appendAudit(tx, {
        userId: request.requestedBy ?? request.userId,
        laCode: request.laCode,
        action: 'password_reset_sent',
        entityType: 'user',
        entityId: request.userId,
        ip: request.ip,
        requestId: request.requestId,
        detail: {
          linkId: link.id,
          expiresAt: link.expiresAt.toISOString(),
          byAdministrator: request.requestedBy !== null,
        },
      });
      return { email, notificationId };
    });
    if (!made?.notificationId) return undefined;
    return deliverAccountEmail(db, sender, made.notificationId, made.email);
  }

  return { sendPasswordReset };
}

export type AccountService = ReturnType<typeof createAccountService>;
