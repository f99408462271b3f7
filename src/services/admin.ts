import type { Database } from '../data/db.js';
import { appendAudit, findChildForAudit, listAudit, type AuditRow } from '../data/repositories/audit.js';
import { listUsersInLa, type UserListRow } from '../data/repositories/users.js';
import { can } from '../domain/access/roles.js';
import type { RequestContext } from './cases.js';
import { ForbiddenError } from './errors.js';

export const AUDIT_PAGE_SIZE = 50;

export function createAdminService(database: Database) {
  const { db } = database;

  async function users(ctx: RequestContext): Promise<UserListRow[]> {
    if (!can(ctx.actor.roles, 'users:view')) throw new ForbiddenError('users:view');
    return listUsersInLa(db, ctx.actor.laCode);
  }

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
    if (!can(ctx.actor.roles, 'audit:view')) throw new ForbiddenError('audit:view');
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

  return { users, auditLog };
}

export type AdminService = ReturnType<typeof createAdminService>;
