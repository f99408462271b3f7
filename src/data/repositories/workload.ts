/**
 * A caseworker's statutory work across processes (issue 28): open requests and active plans' reviews in one list by
 * their next deadline, the review pipeline by month, and each caseworker's count of each. Every read is scoped by the
 * LA, and each list is read from its own index in deadline order (assessment_requests_open_due_idx,
 * plans_review_next_due_idx); only the page's rows from each are merged, never a whole table.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { queryRows } from '../db.js';
import { assessmentRequests, children, plans, users } from '../schema.js';
import type { Process } from '../../domain/casework/processes.js';

export interface WorkQuery {
  laCode: string;
  process: Process | 'all';
  /** One caseworker's work, or the work of the caseworkers of a team (by their role's team). */
  caseworkerId?: string | undefined;
  team?: string | null | undefined;
  today: string;
  limit: number;
  offset: number;
}

export interface WorkRow {
  process: Process;
  /** The request's id (its case page) or the plan's (its review page). */
  id: string;
  childId: string;
  due: string | null;
  duty: string | null;
  givenName: string;
  familyName: string;
  childReference: string;
  caseworkerName: string | null;
}

export async function listStatutoryWork(
  db: Db,
  q: WorkQuery,
): Promise<{ rows: WorkRow[]; counts: Record<Process, { total: number; overdue: number }> }> {
  const teamOfCaseworker = (column: unknown) =>
    q.team
      ? sql`and ${column} in (select user_id from role_assignments where la_code = ${q.laCode} and role = 'caseworker' and team = ${q.team})`
      : sql``;
  const whose = (column: unknown) => (q.caseworkerId ? sql`and ${column} = ${q.caseworkerId}::uuid` : sql``);
  const requestWhere = sql`la_code = ${q.laCode} and open ${whose(sql`caseworker_id`)} ${teamOfCaseworker(sql`caseworker_id`)}`;
  const reviewWhere = sql`la_code = ${q.laCode} and status = 'active' ${whose(sql`caseworker_id`)} ${teamOfCaseworker(sql`caseworker_id`)}`;
  // Each side gives at most the rows up to the end of the page, in deadline order from its index (ties by id: the
  // same order as the merged list, so that each page follows on from the one before).
  const upTo = Math.trunc(q.offset + q.limit);
  const requestSide = sql`(select 'request' as process, id, next_due_date as due from assessment_requests where ${requestWhere} order by next_due_date asc nulls last, id limit ${sql.raw(String(upTo))})`;
  const reviewSide = sql`(select 'review' as process, id, review_next_due as due from plans where ${reviewWhere} and review_next_due is not null order by review_next_due asc, id limit ${sql.raw(String(upTo))})`;
  const sides =
    q.process === 'request'
      ? requestSide
      : q.process === 'review'
        ? reviewSide
        : sql`${requestSide} union all ${reviewSide}`;
  const page = await queryRows<{ process: Process; id: string; due: string | null }>(
    db,
    sql`select process, id, due::text as due from (${sides}) work order by due asc nulls last, id limit ${sql.raw(String(Math.trunc(q.limit)))} offset ${Math.trunc(q.offset)}`,
  );
  const counts = await queryRows<{ process: Process; total: number; overdue: number }>(
    db,
    sql`select 'request' as process, count(*)::int as total, (count(*) filter (where next_due_date < ${q.today}::date))::int as overdue
          from assessment_requests where ${requestWhere}
        union all
        select 'review', count(*)::int, (count(*) filter (where review_next_due < ${q.today}::date))::int
          from plans where ${reviewWhere} and review_next_due is not null`,
  );
  const requestIds = page.filter((r) => r.process === 'request').map((r) => r.id);
  const planIds = page.filter((r) => r.process === 'review').map((r) => r.id);
  const [requestRows, planRows] = await Promise.all([
    requestIds.length
      ? db
          .select({
            id: assessmentRequests.id,
            childId: children.id,
            duty: assessmentRequests.nextDuty,
            givenName: children.givenName,
            familyName: children.familyName,
            childReference: children.reference,
            caseworkerName: users.displayName,
          })
          .from(assessmentRequests)
          .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, q.laCode)))
          .leftJoin(users, eq(users.id, assessmentRequests.caseworkerId))
          .where(and(eq(assessmentRequests.laCode, q.laCode), inArray(assessmentRequests.id, requestIds)))
      : Promise.resolve([]),
    planIds.length
      ? db
          .select({
            id: plans.id,
            childId: children.id,
            duty: plans.reviewNextDuty,
            givenName: children.givenName,
            familyName: children.familyName,
            childReference: children.reference,
            caseworkerName: users.displayName,
          })
          .from(plans)
          .innerJoin(children, and(eq(children.id, plans.childId), eq(children.laCode, q.laCode)))
          .leftJoin(users, eq(users.id, plans.caseworkerId))
          .where(and(eq(plans.laCode, q.laCode), inArray(plans.id, planIds)))
      : Promise.resolve([]),
  ]);
  const byId = new Map([...requestRows, ...planRows].map((r) => [r.id, r]));
  const empty = { total: 0, overdue: 0 };
  const countOf = (p: Process) => counts.find((c) => c.process === p) ?? empty;
  return {
    rows: page.flatMap((p) => {
      const found = byId.get(p.id);
      return found ? [{ ...found, process: p.process, due: p.due }] : [];
    }),
    counts: {
      request: q.process === 'review' ? empty : countOf('request'),
      review: q.process === 'request' ? empty : countOf('review'),
    },
  };
}

/** Active plans by the month their review is due, from `from` to `until` (inclusive), and those already overdue. */
export async function reviewPipeline(
  db: Db,
  laCode: string,
  today: string,
  until: string,
): Promise<{ overdue: number; months: { month: string; due: number }[] }> {
  const rows = await queryRows<{ month: string | null; n: number }>(
    db,
    sql`select case when review_due_date < ${today}::date then null else to_char(review_due_date, 'YYYY-MM') end as month,
               count(*)::int as n
          from plans
         where la_code = ${laCode} and status = 'active' and review_due_date <= ${until}::date
         group by 1`,
  );
  return {
    overdue: rows.find((r) => r.month === null)?.n ?? 0,
    months: rows.filter((r) => r.month !== null).map((r) => ({ month: r.month!, due: r.n })),
  };
}

/** Each caseworker's open requests and reviews being run (next deadline on or before `reviewsUntil`). */
export async function workByCaseworker(
  db: Db,
  laCode: string,
  reviewsUntil: string,
): Promise<Map<string, { requests: number; reviews: number }>> {
  const rows = await queryRows<{ caseworker_id: string; process: Process; n: number }>(
    db,
    sql`select caseworker_id, 'request' as process, count(*)::int as n from assessment_requests
         where la_code = ${laCode} and open and caseworker_id is not null group by caseworker_id
        union all
        select caseworker_id, 'review', count(*)::int from plans
         where la_code = ${laCode} and status = 'active' and caseworker_id is not null
           and review_next_due <= ${reviewsUntil}::date group by caseworker_id`,
  );
  const out = new Map<string, { requests: number; reviews: number }>();
  for (const r of rows) {
    const v = out.get(r.caseworker_id) ?? { requests: 0, reviews: 0 };
    if (r.process === 'request') v.requests = r.n;
    else v.reviews = r.n;
    out.set(r.caseworker_id, v);
  }
  return out;
}

/**
 * What the forecast needs of the reviews (domain/forecast/reviewWorkload.ts): every active plan's review due date, the
 * reviews concluded (decision sent) in the 12 months to `today`, and the open requests by stage.
 */
export async function reviewWorkloadInputs(
  db: Db,
  laCode: string,
  today: string,
  yearAgo: string,
): Promise<{ dueDates: string[]; concludedLastYear: number; openRequestsByStage: Record<string, number> }> {
  const [due, concluded, open] = await Promise.all([
    queryRows<{ d: string }>(
      db,
      sql`select to_char(review_due_date, 'YYYY-MM-DD') as d from plans
           where la_code = ${laCode} and status = 'active' and review_due_date is not null`,
    ),
    queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from plan_reviews
           where la_code = ${laCode} and decision_date > ${yearAgo}::date and decision_date <= ${today}::date`,
    ),
    queryRows<{ stage: string; n: number }>(
      db,
      sql`select stage, count(*)::int as n from assessment_requests
           where la_code = ${laCode} and open group by stage`,
    ),
  ]);
  return {
    dueDates: due.map((r) => r.d),
    concludedLastYear: concluded[0]?.n ?? 0,
    openRequestsByStage: Object.fromEntries(open.map((r) => [r.stage, r.n])),
  };
}
