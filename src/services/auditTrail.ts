/**
 * One record in the audit trail for something a signed-in person did through a service: who, in which LA, from
 * where and in which request, what they did to what. Every service read and write of children's data goes through it.
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import type { RequestContext } from './cases.js';

export async function auditAction(
  on: Database['db'],
  ctx: RequestContext,
  action: string,
  entityType: string,
  entityId: string | null = null,
  detail: Record<string, unknown> = {},
  /** The child whose record this is, so the child's own audit history (a subject access request) finds it. */
  childId: string | null = null,
): Promise<void> {
  await appendAudit(on, {
    userId: ctx.actor.userId,
    laCode: ctx.actor.laCode,
    action,
    entityType,
    entityId,
    childId,
    ip: ctx.ip,
    requestId: ctx.requestId,
    detail,
  });
}
