/**
 * A caseworker's statutory work across processes (issue 28): new requests and annual reviews in one list by their next
 * deadline (overdue first), and for managers the review pipeline by month and each caseworker's load weighted by
 * process. Every read checks the one permission and is audited before anything is returned.
 */
import type { Database } from '../data/db.js';
import { caseworkerWorkloads } from '../data/repositories/cases.js';
import { teamOf } from '../data/repositories/casework.js';
import { listStatutoryWork, reviewPipeline, workByCaseworker, type WorkRow } from '../data/repositories/workload.js';
import { dutyName } from '../domain/casework/clockEvents.js';
import { REVIEW_LIST_DUTY_NAMES } from '../domain/casework/annualReview.js';
import { REVIEW_LOAD_WEEKS, REVIEW_WEIGHT, type Process } from '../domain/casework/processes.js';
import { weightedCaseload } from '../domain/casework/workload.js';
import { addDays, formatMonth, type LocalDate } from '../domain/dates/localDate.js';
import { monthsBetween } from '../domain/measures/monthly.js';
import { DAYS_IN_WEEK } from '../domain/statutory/periods.js';
import { periodStartingWithEnds } from '../domain/dates/months.js';
import { auditAction } from './auditTrail.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { requirePermission } from './useCase.js';

export const WORK_PAGE_SIZE = 25;
/** How many months ahead the review pipeline looks. */
export const PIPELINE_MONTHS = 12;

export interface WorkItem extends WorkRow {
  dutyName: string | null;
  overdue: boolean;
  /** The page the item opens: the request's case page or the plan's review page. */
  href: string;
}

export function createWorkloadService(database: Database, clock: Clock) {
  const { db } = database;

  /** One page of a caseworker's (or a team's, or everyone's) statutory work, by next deadline. */
  async function work(
    ctx: RequestContext,
    options: { view: 'mine' | 'team' | 'all'; process: Process | 'all'; caseworker?: string | undefined; page: number },
  ) {
    requirePermission(ctx, 'caseload:view');
    const today = clock.today();
    const page = Math.max(1, options.page);
    const team = options.view === 'team' ? await teamOf(db, ctx.actor.laCode, ctx.actor.userId) : null;
    const { rows, counts } = await listStatutoryWork(db, {
      laCode: ctx.actor.laCode,
      process: options.process,
      caseworkerId: options.view === 'mine' ? ctx.actor.userId : options.caseworker,
      team: options.view === 'team' ? (team ?? '\u0000none') : undefined,
      today,
      limit: WORK_PAGE_SIZE,
      offset: (page - 1) * WORK_PAGE_SIZE,
    });
    await auditAction(db, ctx, 'list', 'caseload', null, { ...options, childIds: rows.map((r) => r.childId) });
    const total = counts.request.total + counts.review.total;
    return {
      items: rows.map((r): WorkItem => ({
        ...r,
        dutyName: r.duty
          ? r.process === 'review'
            ? (REVIEW_LIST_DUTY_NAMES[r.duty] ?? r.duty)
            : dutyName(r.duty)
          : null,
        overdue: r.due !== null && r.due < today,
        href: r.process === 'review' ? `/reviews/${r.id}` : `/cases/${r.id}`,
      })),
      counts,
      total,
      overdue: counts.request.overdue + counts.review.overdue,
      team,
      page,
      pageCount: Math.max(1, Math.ceil(total / WORK_PAGE_SIZE)),
      pageSize: WORK_PAGE_SIZE,
    };
  }

  /** For managers: reviews due in each of the next 12 months and overdue, and each caseworker's weighted load. */
  async function pipeline(ctx: RequestContext) {
    requirePermission(ctx, 'case:reassign');
    const today = clock.today();
    const until = periodStartingWithEnds(`${today.slice(0, 7)}-01` as LocalDate, PIPELINE_MONTHS);
    const reviewsUntil = addDays(today, REVIEW_LOAD_WEEKS * DAYS_IN_WEEK);
    const [due, byCaseworker, requests] = await Promise.all([
      reviewPipeline(db, ctx.actor.laCode, today, until),
      workByCaseworker(db, ctx.actor.laCode, reviewsUntil),
      caseworkerWorkloads(db, ctx.actor.laCode, today),
    ]);
    await auditAction(db, ctx, 'read', 'caseload_pipeline');
    const byMonth = new Map(due.months.map((m) => [m.month, m.due]));
    // Requests weighted by their stage (as before reviews were casework), and each review being run by its weight.
    const loads = requests.map((r) => {
      const reviews = byCaseworker.get(r.userId)?.reviews ?? 0;
      const open = Object.values(r.openByStage).reduce((a, b) => a + b, 0);
      return { ...r, open, reviews, weighted: weightedCaseload(r.openByStage) + reviews * REVIEW_WEIGHT };
    });
    return {
      today,
      reviewsUntil,
      overdue: due.overdue,
      months: monthsBetween(today.slice(0, 7), until.slice(0, 7)).map((month) => ({
        month,
        name: formatMonth(month),
        due: byMonth.get(month) ?? 0,
      })),
      loads,
    };
  }

  return { work, pipeline };
}

export type WorkloadService = ReturnType<typeof createWorkloadService>;
