/**
 * The accounts an identity provider's sign-in is matched to, inside the caller's transaction: by the provider's
 * identity (issuer and subject) first, so a later change of email at the provider keeps the link; else by email.
 */
import { isParentOf } from '../../data/repositories/users.js';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../data/db.js';
import { appendAudit } from '../../data/repositories/audit.js';
import { markAccountLinkUsed } from '../../data/repositories/accountLinks.js';
import { recordSignIn } from '../../data/repositories/users.js';
import { externalIdentities, roleAssignments, users } from '../../data/schema.js';

export interface MatchedUser {
  id: string;
  disabled: boolean;
}

/** The user an identity at a provider was linked to, if any. */
export async function userByIdentity(db: Db, issuer: string, subject: string): Promise<MatchedUser | undefined> {
  const rows = await db
    .select({ id: users.id, disabled: users.disabled })
    .from(externalIdentities)
    .innerJoin(users, eq(users.id, externalIdentities.userId))
    .where(and(eq(externalIdentities.issuer, issuer), eq(externalIdentities.subject, subject)))
    .limit(1);
  return rows[0];
}

/** The user with this email (in any case), if any. */
export async function userByEmail(db: Db, email: string): Promise<MatchedUser | undefined> {
  const rows = await db
    .select({ id: users.id, disabled: users.disabled })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  return rows[0];
}

/** Whether the user holds a staff role (any role but parent) in some LA, or a parent's role for some child. */
export async function holdsRole(db: Db, userId: string, kind: 'staff' | 'parent'): Promise<boolean> {
  const rows = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, userId),
        kind === 'staff' ? ne(roleAssignments.role, 'parent') : eq(roleAssignments.role, 'parent'),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** The subject the user is already linked to at this issuer, if any. */
export async function subjectAt(db: Db, userId: string, issuer: string): Promise<string | undefined> {
  const rows = await db
    .select({ subject: externalIdentities.subject })
    .from(externalIdentities)
    .where(and(eq(externalIdentities.userId, userId), eq(externalIdentities.issuer, issuer)))
    .limit(1);
  return rows[0]?.subject;
}

export interface AuditContext {
  ip: string;
  requestId?: string;
}

/**
 * Links the identity to the user (audited, with the identity after) unless it is linked already; marks it used now.
 * Returns whether a link was made.
 */
export async function linkIdentity(
  db: Db,
  identity: { userId: string; issuer: string; subject: string },
  now: Date,
  ctx: AuditContext & { laCode: string | null },
): Promise<boolean> {
  const inserted = await db
    .insert(externalIdentities)
    .values({ ...identity, lastUsedAt: now })
    .onConflictDoNothing()
    .returning({ id: externalIdentities.id });
  if (inserted.length === 0) {
    await db
      .update(externalIdentities)
      .set({ lastUsedAt: now })
      .where(and(eq(externalIdentities.issuer, identity.issuer), eq(externalIdentities.subject, identity.subject)));
    return false;
  }
  await appendAudit(db, {
    userId: identity.userId,
    laCode: ctx.laCode,
    action: 'identity_linked',
    entityType: 'user',
    entityId: identity.userId,
    ip: ctx.ip,
    requestId: ctx.requestId,
    detail: { before: null, after: { issuer: identity.issuer, subject: identity.subject } },
  });
  return true;
}

/** The sign-in itself: last sign-in time and the audit record, with how they signed in. */
export async function recordProviderSignIn(
  db: Db,
  userId: string,
  method: 'staff_oidc' | 'one_login',
  now: Date,
  ctx: AuditContext & { laCode: string | null },
): Promise<void> {
  await recordSignIn(db, userId, now);
  await appendAudit(db, {
    userId,
    laCode: ctx.laCode,
    action: 'sign_in',
    entityType: 'user',
    entityId: userId,
    ip: ctx.ip,
    requestId: ctx.requestId,
    detail: { method },
  });
}

/**
 * Uses a parent's invitation (by its token's hash) to link the user to the child it names, as a parent in its LA:
 * the invitation works once and until it expires. Undefined (and nothing changed) when it cannot be used.
 */
export async function linkParentByInvitationHash(
  db: Db,
  tokenHash: string,
  userId: string,
  now: Date,
  ctx: AuditContext & { accountCreated?: boolean },
): Promise<{ laCode: string; childId: string; alreadyLinked: boolean } | undefined> {
  const link = await markAccountLinkUsed(db, tokenHash, 'link_child', now);
  if (!link?.laCode || !link.childId) return undefined;
  const { laCode, childId } = link;
  const alreadyLinked = await isParentOf(db, userId, laCode, childId);
  if (!alreadyLinked) {
    await db.insert(roleAssignments).values({ userId, laCode, role: 'parent', childId });
  }
  await appendAudit(db, {
    userId,
    laCode,
    action: 'parent_linked',
    entityType: 'user',
    entityId: userId,
    childId,
    ip: ctx.ip,
    requestId: ctx.requestId,
    detail: {
      invitationId: link.id,
      invitedBy: link.createdBy,
      accountCreated: ctx.accountCreated ?? false,
      before: { linked: alreadyLinked },
      after: { role: 'parent', childId, laCode },
    },
  });
  return { laCode, childId, alreadyLinked };
}
