/**
 * Reading casework. Every read of a child's record checks the policy and writes an audit entry in the same
 * transaction as the read, so no record is ever shown without a trace of who saw it.
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import {
  caseworkerWorkloads,
  getCase,
  listCaseworkers,
  listOpenRequests,
  listRequestsForChildren,
  type CaseloadRow,
  type CaseloadSort,
  type CaseRecord,
} from '../data/repositories/cases.js';
import { type Actor, canReadCase } from '../domain/access/roles.js';
import { clockEventsFor, dutyName, exceptionChoices, recordedExceptions } from '../domain/casework/clockEvents.js';
import { weightedCaseload } from '../domain/casework/workload.js';
import { teamOf } from '../data/repositories/casework.js';
import { CalendarCoverageError, type WorkingDayCalendar } from '../domain/dates/workingDays.js';
import type { CalendarHolder } from './calendar.js';
import { computeClock, type Duty, type DutyStatus } from '../domain/statutory/clock.js';
import { EventValidationError, type ExceptionReason } from '../domain/statutory/events.js';
import { ageInYears, completedWeeksBetween, type LocalDate } from '../domain/dates/localDate.js';
import { waitedOver20Weeks } from '../domain/measures/timeliness.js';
import type { Clock } from './clock.js';
import { NotFoundError } from './errors.js';
import { isUuid } from '../domain/identifiers/uuid.js';
import { requirePermission } from './useCase.js';

export interface RequestContext {
  actor: Actor;
  ip: string;
  requestId: string;
}

export type { CaseloadSort };

export const CASELOAD_SORTS: readonly CaseloadSort[] = ['due', 'child', 'stage', 'weeks', 'caseworker'];
export const CASELOAD_PAGE_SIZE = 25;

export const CASELOAD_VIEWS = ['mine', 'team', 'all'] as const;

export interface CaseloadOptions {
  view: (typeof CASELOAD_VIEWS)[number];
  /** Filters: an open stage, a caseworker (user id), a primary need code. */
  stage?: string | undefined;
  caseworker?: string | undefined;
  need?: string | undefined;
  sort: CaseloadSort;
  direction: 'asc' | 'desc';
  page: number;
}

export interface CaseloadItem extends CaseloadRow {
  weeksSinceRequest: number;
  /** The request has waited over 20 weeks (140 days, P12) today. */
  over20Weeks: boolean;
  /** The next statutory duty in plain English, and whether it is overdue today. */
  nextDutyName: string | null;
  nextDutyOverdue: boolean;
}

export interface Caseload {
  items: CaseloadItem[];
  total: number;
  overdue: number;
  dueThisWeek: number;
  /** The user's team, when the view is "team". */
  team: string | null;
  page: number;
  pageCount: number;
  pageSize: number;
  options: CaseloadOptions;
}

const withWeeks =
  (today: LocalDate) =>
  (row: CaseloadRow): CaseloadItem => ({
    // Field by field rather than spread: the rows come from the driver's mapper, whose objects V8 copies slowly.
    requestId: row.requestId,
    requestReference: row.requestReference,
    childId: row.childId,
    childReference: row.childReference,
    givenName: row.givenName,
    familyName: row.familyName,
    stage: row.stage,
    receivedDate: row.receivedDate,
    caseworkerName: row.caseworkerName,
    exceptionReason: row.exceptionReason,
    nextDuty: row.nextDuty,
    nextDueDate: row.nextDueDate,
    weeksSinceRequest: completedWeeksBetween(row.receivedDate as LocalDate, today),
    over20Weeks: waitedOver20Weeks(row.receivedDate as LocalDate, today),
    nextDutyName: row.nextDuty ? dutyName(row.nextDuty) : null,
    nextDutyOverdue: row.nextDueDate !== null && row.nextDueDate < today,
  });

export interface CaseClock {
  /** The duties by due date; a withdrawn request's undone ones are "ended" (no longer owed). */
  duties: (Omit<Duty, 'status'> & { name: string; status: DutyStatus | 'ended' })[];
  /** An exception to the 20-week duty applies (P11, P12). */
  exceptionApplies: boolean;
  /** The exceptions recorded, each with the duty it applies to. */
  exceptions: { duty: string; dutyName: string; reason: ExceptionReason; from: LocalDate; to: LocalDate | null }[];
  /** The duties an exception could be recorded against now, with the reasons that fit each. */
  exceptionChoices: (ReturnType<typeof exceptionChoices>[number] & { name: string })[];
  draftCommentWindowEnds: string | null;
  /** Why the deadlines could not be worked out (a stored record the clock cannot read). */
  error: string | null;
}

/** The statutory clock for a stored case, as of today. A withdrawn request's undone duties are no longer needed. */
export function caseClock(record: CaseRecord, today: LocalDate, calendar: WorkingDayCalendar): CaseClock {
  try {
    const events = clockEventsFor(record.events, record.advice);
    const result = computeClock(events, today, calendar);
    const adviceTypes = Object.fromEntries(record.advice.map((a) => [a.id, a.adviceType]));
    const name = (id: string) => dutyName(id, adviceTypes);
    const duties: CaseClock['duties'] = result.deadlines.map((d) => ({ ...d, name: name(d.id) }));
    for (const d of result.ended) {
      duties.push({ id: d.id, due: d.due, completed: null, status: 'ended', basis: d.basis, name: name(d.id) });
    }
    return {
      duties: duties.sort((x, y) => x.due.localeCompare(y.due) || x.id.localeCompare(y.id)),
      exceptionApplies: result.measures.exceptionApplies,
      exceptions: recordedExceptions(events).map((e) => ({ ...e, dutyName: name(e.duty) })),
      exceptionChoices: exceptionChoices(result).map((c) => ({ ...c, name: name(c.id) })),
      draftCommentWindowEnds: result.measures.draftCommentWindowEnds,
      error: null,
    };
  } catch (err) {
    if (err instanceof EventValidationError || err instanceof CalendarCoverageError) {
      return {
        duties: [],
        exceptionApplies: false,
        exceptions: [],
        exceptionChoices: [],
        draftCommentWindowEnds: null,
        error: err.message,
      };
    }
    throw err;
  }
}

export function createCaseService(database: Database, clock: Clock, calendar: CalendarHolder) {
  const { db } = database;

  async function caseload(ctx: RequestContext, options: CaseloadOptions): Promise<Caseload> {
    requirePermission(ctx, 'caseload:view');
    const pageSize = CASELOAD_PAGE_SIZE;
    // Reads are not wrapped in a transaction: the queries run side by side on the pool, and the audit record is
    // written before anything is returned, so a page is never shown without its trace (a failed write fails it).
    const page = Math.max(1, options.page);
    const today = clock.today();
    const team = options.view === 'team' ? await teamOf(db, ctx.actor.laCode, ctx.actor.userId) : null;
    const { rows, counts } = await listOpenRequests(db, {
      laCode: ctx.actor.laCode,
      caseworkerId: options.view === 'mine' ? ctx.actor.userId : options.caseworker,
      team: options.view === 'team' ? team : undefined,
      stage: options.stage,
      primaryNeed: options.need,
      today,
      sort: options.sort,
      direction: options.direction,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    await appendAudit(db, {
      userId: ctx.actor.userId,
      laCode: ctx.actor.laCode,
      action: 'list',
      entityType: 'caseload',
      ip: ctx.ip,
      requestId: ctx.requestId,
      detail: { ...options, childIds: rows.map((r) => r.childId) },
    });
    return {
      items: rows.map(withWeeks(today)),
      total: counts.total,
      overdue: counts.overdue,
      dueThisWeek: counts.dueThisWeek,
      team,
      page,
      pageCount: Math.max(1, Math.ceil(counts.total / pageSize)),
      pageSize,
      options: { ...options, page },
    };
  }

  async function viewCase(
    ctx: RequestContext,
    requestId: string,
  ): Promise<CaseRecord & { weeksSinceRequest: number; ageYears: number; today: LocalDate; clock: CaseClock }> {
    const today = clock.today();
    // As for the caseload: read, then write the audit record before returning anything.
    const shown = await (async () => {
      const record = isUuid(requestId) ? await getCase(db, ctx.actor.laCode, requestId) : undefined;
      if (!record || !canReadCase(ctx.actor, { laCode: ctx.actor.laCode, childId: record.child.id })) return undefined;
      await appendAudit(db, {
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
    })();
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
      throw new NotFoundError(requestId, true);
    }
    return {
      ...shown,
      today,
      weeksSinceRequest: completedWeeksBetween(shown.request.receivedDate as LocalDate, today),
      ageYears: ageInYears(shown.child.dateOfBirth as LocalDate, today),
      clock: caseClock(shown, today, calendar.current()),
    };
  }

  /** A parent's view: the requests for their own children. */
  async function myChildren(ctx: RequestContext): Promise<CaseloadItem[]> {
    requirePermission(ctx, 'case:read_own_child');
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

  /** Each caseworker's open requests, overdue duties and weighted caseload (managers). */
  async function workloads(ctx: RequestContext) {
    requirePermission(ctx, 'case:reassign');
    const rows = await caseworkerWorkloads(db, ctx.actor.laCode, clock.today());
    return rows.map((r) => ({
      ...r,
      open: Object.values(r.openByStage).reduce((a, b) => a + b, 0),
      weighted: weightedCaseload(r.openByStage),
    }));
  }

  /**
   * The LA's caseworkers, for the caseload's filter and the reassignment form. Kept for a minute per LA (every
   * caseload page shows the list; it changes when staff join or leave). Reassignment itself checks afresh.
   */
  const caseworkerCache = new Map<string, { at: number; list: { id: string; name: string; team: string | null }[] }>();
  async function caseworkers(ctx: RequestContext) {
    requirePermission(ctx, 'caseload:view');
    const cached = caseworkerCache.get(ctx.actor.laCode);
    // Real time, not the service's business clock (which tests fix).
    const now = Date.now();
    if (cached && now - cached.at < 60_000 && now >= cached.at) return cached.list;
    const rows = await listCaseworkers(db, ctx.actor.laCode);
    const list = rows.map((r) => ({ id: r.userId, name: r.displayName, team: r.team }));
    caseworkerCache.set(ctx.actor.laCode, { at: now, list });
    return list;
  }

  return { caseload, viewCase, myChildren, workloads, caseworkers };
}

export type CaseService = ReturnType<typeof createCaseService>;
