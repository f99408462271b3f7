/**
 * Closed cases and their deletion under the retention schedule (domain/retention/schedule.ts). A case is a child and
 * everything held about them: requests, advice, plans and their versions, the timeline, documents, messages, school
 * consultations, plan audits and findings, and a parent's access to the child. The audit log keeps its rows about the
 * child: they hold identifiers, not personal data.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db.js';

export interface ClosedCaseRow {
  laCode: string;
  childId: string;
  reference: string;
  dateOfBirth: string;
  closedOn: string;
  hadPlan: boolean;
}

/**
 * Children with no open request and no maintained plan, with the day the last request closed or plan ceased (the
 * day the child's record was made, if they have neither). `childId` narrows to one child, `lockIt` locks its row.
 */
export function closedCases(
  db: Db,
  filter: { laCode?: string | undefined; childId?: string; lockIt?: boolean } = {},
): Promise<ClosedCaseRow[]> {
  return queryRows<ClosedCaseRow>(
    db,
    sql`select c.la_code as "laCode", c.id as "childId", c.reference, c.date_of_birth::text as "dateOfBirth",
          coalesce(greatest(
            (select max(r.closed_date) from assessment_requests r where r.child_id = c.id),
            (select max(p.ceased_date) from plans p where p.child_id = c.id)
          ), (c.created_at at time zone 'Europe/London')::date)::text as "closedOn",
          exists (select 1 from plans p where p.child_id = c.id and p.status <> 'draft') as "hadPlan"
        from children c
        where not exists (select 1 from assessment_requests r where r.child_id = c.id and r.open)
          and not exists (select 1 from plans p where p.child_id = c.id and p.status = 'active')
          ${filter.laCode ? sql`and c.la_code = ${filter.laCode}` : sql``}
          ${filter.childId ? sql`and c.id = ${filter.childId}` : sql``}
        order by c.la_code, c.reference
        ${filter.lockIt ? sql`for update of c` : sql``}`,
  );
}

/** How many rows of each table a deleted case had. */
export type DeletedCounts = Record<string, number>;

/**
 * Deletes one child's case, every table in the order its references need. Call in a transaction, after locking the
 * child and checking the case is closed and due.
 */
export async function deleteCase(db: Db, laCode: string, childId: string): Promise<DeletedCounts> {
  const counts: DeletedCounts = {};
  for (const [table, statement] of caseDeletes(laCode, childId)) {
    // node-postgres says rowCount, PGlite affectedRows.
    const result: unknown = await db.execute(statement);
    const { rowCount, affectedRows } = result as { rowCount?: number | null; affectedRows?: number };
    counts[table] = rowCount ?? affectedRows ?? 0;
  }
  return counts;
}

/** The statements that delete a child's case, table by table, in the order the tables' references need. */
function caseDeletes(laCode: string, childId: string): [string, ReturnType<typeof sql>][] {
  const requests = sql`(select id from assessment_requests where la_code = ${laCode} and child_id = ${childId})`;
  return [
    ['qa_findings', sql`delete from qa_findings where la_code = ${laCode} and request_id in ${requests}`],
    ['qa_audits', sql`delete from qa_audits where la_code = ${laCode} and request_id in ${requests}`],
    ['notifications', sql`delete from notifications where la_code = ${laCode} and request_id in ${requests}`],
    [
      'setting_consultations',
      sql`delete from setting_consultations where la_code = ${laCode} and request_id in ${requests}`,
    ],
    ['family_contributions', sql`delete from family_contributions where la_code = ${laCode} and child_id = ${childId}`],
    ['advice_requests', sql`delete from advice_requests where la_code = ${laCode} and request_id in ${requests}`],
    ['documents', sql`delete from documents where la_code = ${laCode} and child_id = ${childId}`],
    ['case_events', sql`delete from case_events where la_code = ${laCode} and child_id = ${childId}`],
    ['disagreements', sql`delete from disagreements where la_code = ${laCode} and child_id = ${childId}`],
    ['plan_reviews', sql`delete from plan_reviews where la_code = ${laCode} and child_id = ${childId}`],
    ['phase_transfers', sql`delete from phase_transfers where la_code = ${laCode} and child_id = ${childId}`],
    ['plan_ceasings', sql`delete from plan_ceasings where la_code = ${laCode} and child_id = ${childId}`],
    ['plan_reassessments', sql`delete from plan_reassessments where la_code = ${laCode} and child_id = ${childId}`],
    ['plan_moves', sql`delete from plan_moves where la_code = ${laCode} and child_id = ${childId}`],
    [
      'plan_versions',
      sql`delete from plan_versions where la_code = ${laCode}
          and plan_id in (select id from plans where la_code = ${laCode} and child_id = ${childId})`,
    ],
    ['plans', sql`delete from plans where la_code = ${laCode} and child_id = ${childId}`],
    ['assessment_requests', sql`delete from assessment_requests where la_code = ${laCode} and child_id = ${childId}`],
    ['role_assignments', sql`delete from role_assignments where la_code = ${laCode} and child_id = ${childId}`],
    ['account_links', sql`delete from account_links where la_code = ${laCode} and child_id = ${childId}`],
    ['children', sql`delete from children where la_code = ${laCode} and id = ${childId}`],
  ];
}

/** Every table a case is deleted from. */
export const CASE_TABLES: readonly string[] = caseDeletes('000', '00000000-0000-0000-0000-000000000000').map(
  ([t]) => t,
);
