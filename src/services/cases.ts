/**
 * Reading casework. Every read of a child's record checks the policy and writes an audit entry in the same
 * transaction as the read, so no record is ever shown without a trace of who saw it.
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import {
  getCase,
  listOpenRequests,
  listRequestsForChildren,
  type CaseloadRow,
  type CaseloadSort,
  type CaseRecord,
} from '../data/repositories/cases.js';
import { type Actor, can, canReadCase } from '../domain/access/roles.js';
import { completedWeeksBetween, type LocalDate } from '../domain/dates/localDate.js';
import type { Clock } from './clock.js';
import { ForbiddenError, NotFoundError } from './errors.js';

export interface RequestContext {
  actor: Actor;
  ip: string;
  requestId: string;
}

export type { CaseloadSort };

export const CASELOAD_SORTS: readonly CaseloadSort[] = ['child', 'stage', 'weeks', 'caseworker'];
export const CASELOAD_PAGE_SIZE = 25;

export interface CaseloadOptions {
  view: 'mine' | 'all';
  sort: CaseloadSort;
  direction: 'asc' | 'desc';
  page: number;
}

export interface CaseloadItem extends CaseloadRow {
  weeksSinceRequest: number;
}

export interface Caseload {
  items: CaseloadItem[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  options: CaseloadOptions;
}

const withWeeks = (today: LocalDate) => (row: CaseloadRow) => ({
  ...row,
  weeksSinceRequest: completedWeeksBetween(row.receivedDate as LocalDate, today),
});

export function createCaseService(database: Database, clock: Clock) {
  const { db } = database;

  async function caseload(ctx: RequestContext, options: CaseloadOptions): Promise<Caseload> {
    if (!can(ctx.actor.roles, 'caseload:view')) throw new ForbiddenError('caseload:view');
    const pageSize = CASELOAD_PAGE_SIZE;
    return db.transaction(async (tx) => {
      const page = Math.max(1, options.page);
      const { rows, total } = await listOpenRequests(tx, {
        laCode: ctx.actor.laCode,
        caseworkerId: options.view === 'mine' ? ctx.actor.userId : undefined,
        sort: options.sort,
        direction: options.direction,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'list',
        entityType: 'caseload',
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: { ...options, childIds: rows.map((r) => r.childId) },
      });
      return {
        items: rows.map(withWeeks(clock.today())),
        total,
        page,
        pageCount: Math.max(1, Math.ceil(total / pageSize)),
        pageSize,
        options: { ...options, page },
      };
    });
  }

  async function viewCase(
    ctx: RequestContext,
    requestId: string,
  ): Promise<CaseRecord & { weeksSinceRequest: number; today: LocalDate }> {
    const today = clock.today();
    const shown = await db.transaction(async (tx) => {
      const record = /^[0-9a-f-]{36}$/i.test(requestId) ? await getCase(tx, ctx.actor.laCode, requestId) : undefined;
      if (!record || !canReadCase(ctx.actor, { laCode: ctx.actor.laCode, childId: record.child.id })) return undefined;
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'read',
        entityType: 'assessment_request',
        entityId: record.request.id,
        childId: record.child.id,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      return record;
    });
    if (!shown) {
      // Not in this LA, not linked to this parent, or no such case: the same answer for all three, and a trace.
      await appendAudit(db, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'read_denied',
        entityType: 'assessment_request',
        entityId: requestId.slice(0, 64),
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      throw new NotFoundError(requestId);
    }
    return {
      ...shown,
      today,
      weeksSinceRequest: completedWeeksBetween(shown.request.receivedDate as LocalDate, today),
    };
  }

  /** A parent's view: the requests for their own children. */
  async function myChildren(ctx: RequestContext): Promise<CaseloadItem[]> {
    if (!can(ctx.actor.roles, 'case:read_own_child')) throw new ForbiddenError('case:read_own_child');
    return db.transaction(async (tx) => {
      const rows = await listRequestsForChildren(tx, ctx.actor.laCode, ctx.actor.childIds);
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'list',
        entityType: 'own_children',
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: { childIds: [...new Set(rows.map((r) => r.childId))] },
      });
      return rows.map(withWeeks(clock.today()));
    });
  }

  return { caseload, viewCase, myChildren };
}

export type CaseService = ReturnType<typeof createCaseService>;
