/**
 * The frame every use case runs in: one permission check, one transaction, one audit helper. A use case is one
 * exported function (its own module where the service has grown large) that calls `runUseCase`; it throws the errors
 * of services/errors.ts to refuse, and the web layer maps them to pages in one place (web/formFailures.ts and
 * web/middleware/errors.ts). Nothing is half-saved: a refusal rolls the whole transaction back.
 */
import type { Database, Db } from '../data/db.js';
import { can, type Permission } from '../domain/access/roles.js';
import { auditAction } from './auditTrail.js';
import type { RequestContext } from './cases.js';
import { ForbiddenError } from './errors.js';

/** The one permission check: the person's roles must grant `permission`, or the use case is refused (403). */
export function requirePermission(ctx: RequestContext, permission: Permission): void {
  if (!can(ctx.actor.roles, permission)) throw new ForbiddenError(permission);
}

/** What a use case's body is given: the transaction, the person acting, their LA, and the audit helper bound to them. */
export interface UseCaseFrame {
  tx: Db;
  ctx: RequestContext;
  laCode: string;
  /** One audit record for what this person did, written in the same transaction (so it is saved with the change). */
  audit(
    action: string,
    entityType: string,
    entityId?: string | null,
    detail?: Record<string, unknown>,
    childId?: string | null,
  ): Promise<void>;
}

/** Checks `permission`, opens a transaction and runs `body` in it with the audit helper bound to the person acting. */
export async function runUseCase<T>(
  database: Database,
  ctx: RequestContext,
  permission: Permission,
  body: (frame: UseCaseFrame) => Promise<T>,
): Promise<T> {
  requirePermission(ctx, permission);
  return database.db.transaction((tx) =>
    body({
      tx,
      ctx,
      laCode: ctx.actor.laCode,
      audit: (action, entityType, entityId = null, detail = {}, childId = null) =>
        auditAction(tx, ctx, action, entityType, entityId, detail, childId),
    }),
  );
}
