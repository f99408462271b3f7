import type { Database } from '../data/db.js';
import { appendAudit, listAudit, type AuditRow } from '../data/repositories/audit.js';
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

  async function auditLog(
    ctx: RequestContext,
    filter: { childId?: string | undefined; userId?: string | undefined; page: number },
  ): Promise<{ rows: AuditRow[]; total: number; page: number; pageCount: number }> {
    if (!can(ctx.actor.roles, 'audit:view')) throw new ForbiddenError('audit:view');
    const page = Math.max(1, filter.page);
    return db.transaction(async (tx) => {
      const { rows, total } = await listAudit(tx, {
        laCode: ctx.actor.laCode,
        childId: filter.childId,
        userId: filter.userId,
        limit: AUDIT_PAGE_SIZE,
        offset: (page - 1) * AUDIT_PAGE_SIZE,
      });
      // Reading the audit log is itself audited.
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'list',
        entityType: 'audit_log',
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: { childId: filter.childId ?? null, userId: filter.userId ?? null, page },
      });
      return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
    });
  }

  return { users, auditLog };
}

export type AdminService = ReturnType<typeof createAdminService>;
