import type { Database, Db } from '../data/db.js';
import { appendAudit, findChildForAudit, listAudit, type AuditRow } from '../data/repositories/audit.js';
import {
  failedSignInsByAccount,
  failedSignInsByAddress,
  unlockAccount,
  type FailedSignInsByAccount,
  type FailedSignInsByAddress,
} from '../data/repositories/throttle.js';
import { findUserWithRoles, type UserRecord } from '../data/repositories/users.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { NotFoundError } from './errors.js';
import { requirePermission } from './useCase.js';

export const AUDIT_PAGE_SIZE = 50;
/** How far back the failed sign-ins page looks. */
export const FAILED_SIGN_INS_DAYS = 7;
/** The most accounts, and addresses, the page lists (the most attacked first). */
export const FAILED_SIGN_INS_LIMIT = 100;

export interface FailedSignIns {
  since: Date;
  /** The LA's accounts with failed sign-ins since then, or locked now; locked ones first. */
  accounts: (FailedSignInsByAccount & { locked: boolean })[];
  /** The accounts locked now (each can be unlocked). */
  lockedNow: (FailedSignInsByAccount & { lockedUntil: Date })[];
  addresses: (FailedSignInsByAddress & { locked: boolean })[];
  /** The account just unlocked, when the page is shown after an unlock. */
  unlocked: { userId: string; displayName: string } | null;
}

/** The user, if they hold a role in the LA (else undefined: another LA's account is never revealed). */
async function userInLa(db: Db, laCode: string, userId: string): Promise<UserRecord | undefined> {
  const found = await findUserWithRoles(db, userId);
  return found?.assignments.some((a) => a.laCode === laCode) ? found.user : undefined;
}

export function createAdminService(database: Database, clock: Clock) {
  const { db } = database;

  /**
   * A page of the LA's audit log, newest first, for all children or one. The child is named by their reference, a
   * request's reference or the record identifier, and looked up in the admin's own LA only; a name that matches no
   * child there is reported (childNotFound), never widened to the whole log. Every reading, and every lookup whether
   * it found a child or not, is itself audited in the same transaction as the read.
   */
  async function auditLog(
    ctx: RequestContext,
    filter: { child?: string | undefined; userId?: string | undefined; page: number },
  ): Promise<{
    rows: AuditRow[];
    total: number;
    page: number;
    pageCount: number;
    pageSize: number;
    child: { id: string; reference: string } | null;
    childNotFound: boolean;
  }> {
    requirePermission(ctx, 'audit:view');
    const page = Math.max(1, filter.page);
    return db.transaction(async (tx) => {
      const child = filter.child ? ((await findChildForAudit(tx, ctx.actor.laCode, filter.child)) ?? null) : null;
      const childNotFound = Boolean(filter.child) && child === null;
      const { rows, total } = childNotFound
        ? { rows: [], total: 0 }
        : await listAudit(tx, {
            laCode: ctx.actor.laCode,
            childId: child?.id,
            userId: filter.userId,
            limit: AUDIT_PAGE_SIZE,
            offset: (page - 1) * AUDIT_PAGE_SIZE,
          });
      // Reading the audit log is itself audited; a lookup of a child is recorded against that child.
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'list',
        entityType: 'audit_log',
        childId: child?.id ?? null,
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: {
          childId: child?.id ?? null,
          ...(filter.child ? { childSearched: filter.child.slice(0, 64), childFound: child !== null } : {}),
          userId: filter.userId ?? null,
          page,
        },
      });
      return {
        rows,
        total,
        page,
        pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
        pageSize: AUDIT_PAGE_SIZE,
        child,
        childNotFound,
      };
    });
  }

  /**
   * Sign-ins to the LA's accounts that did not succeed in the last FAILED_SIGN_INS_DAYS, by account and by address,
   * and the accounts locked now. Only accounts the LA holds (a role there) are shown: an email address that matches
   * no account, or another LA's account, is never listed. The reading is audited.
   */
  async function failedSignIns(ctx: RequestContext, unlockedUserId?: string): Promise<FailedSignIns> {
    requirePermission(ctx, 'audit:view');
    const now = clock.now();
    const since = new Date(now.getTime() - FAILED_SIGN_INS_DAYS * 86_400_000);
    return db.transaction(async (tx) => {
      const accounts = await failedSignInsByAccount(tx, ctx.actor.laCode, since, now, FAILED_SIGN_INS_LIMIT);
      const addresses = await failedSignInsByAddress(tx, ctx.actor.laCode, since, now, FAILED_SIGN_INS_LIMIT);
      const unlocked = unlockedUserId ? await userInLa(tx, ctx.actor.laCode, unlockedUserId) : undefined;
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'list',
        entityType: 'failed_sign_ins',
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: { since: since.toISOString() },
      });
      return {
        since,
        accounts: accounts.map((a) => ({ ...a, locked: a.lockedUntil !== null })),
        lockedNow: accounts.flatMap((a) => (a.lockedUntil ? [{ ...a, lockedUntil: a.lockedUntil }] : [])),
        addresses: addresses.map((a) => ({ ...a, locked: a.lockedUntil !== null })),
        unlocked: unlocked ? { userId: unlocked.id, displayName: unlocked.displayName } : null,
      };
    });
  }

  /**
   * Lets one of the LA's accounts sign in again at once: its lock ends and its failed attempts are forgotten. An
   * account the LA does not hold is not found (another LA's administrator cannot unlock it, nor learn it exists).
   * Audited, with whether it was locked.
   */
  async function unlock(ctx: RequestContext, userId: string): Promise<void> {
    requirePermission(ctx, 'users:unlock');
    const now = clock.now();
    await db.transaction(async (tx) => {
      const user = await userInLa(tx, ctx.actor.laCode, userId);
      if (!user) throw new NotFoundError('user');
      const { wasLockedUntil } = await unlockAccount(tx, user.email, now);
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'sign_in_unlocked',
        entityType: 'user',
        entityId: user.id,
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: { wasLockedUntil: wasLockedUntil?.toISOString() ?? null },
      });
    });
  }

  return { auditLog, failedSignIns, unlock };
}

export type AdminService = ReturnType<typeof createAdminService>;
