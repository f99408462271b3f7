/**
 * Reassessments of plans (CFA s.44(2), (3); SEND Regulations 2014 regs 24-27): one plan's reassessments (its page),
 * their writes, the plan moved on when the reassessed plan is issued, the open ones by their next deadline (from a
 * partial index) and all of them for the measures. Every call is scoped by the LA.
 */
import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { children, planReassessments, plans, users } from '../schema.js';
import type { ReassessmentRecord } from '../../domain/casework/reassessment.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { updateAtVersion } from './versioned.js';

export type StoredReassessment = typeof planReassessments.$inferSelect;

/** The plan's reassessments, newest first (an open one, if any, among them). */
export async function listPlanReassessments(db: Db, laCode: string, planId: string): Promise<StoredReassessment[]> {
  return db
    .select()
    .from(planReassessments)
    .where(and(eq(planReassessments.laCode, laCode), eq(planReassessments.planId, planId)))
    .orderBy(desc(planReassessments.createdAt));
}

/** A stored reassessment as the domain reads it. */
export function reassessmentRecord(r: StoredReassessment): ReassessmentRecord {
  return {
    requestedBy: r.requestedBy as ReassessmentRecord['requestedBy'],
    receivedDate: r.receivedDate as LocalDate,
    lastAssessmentDate: r.lastAssessmentDate as LocalDate,
    decision: r.decision as ReassessmentRecord['decision'],
    decisionDate: r.decisionDate as LocalDate | null,
    refusalGround: r.refusalGround as ReassessmentRecord['refusalGround'],
    adviceRequestedDate: r.adviceRequestedDate as LocalDate | null,
    adviceRequested: r.adviceRequested as ReassessmentRecord['adviceRequested'],
    adviceReceived: r.adviceReceived as ReassessmentRecord['adviceReceived'],
    draftServedDate: r.draftServedDate as LocalDate | null,
    finalIssuedDate: r.finalIssuedDate as LocalDate | null,
    exceptions: r.exceptions as ReassessmentRecord['exceptions'],
  };
}

/** Writes the reassessment as it stands after a step: a new one for the request, else the open one updated. */
export async function saveReassessment(
  db: Db,
  key: { laCode: string; planId: string; childId: string },
  id: string | null,
  r: ReassessmentRecord,
  extra: {
    status: 'open' | 'refused' | 'completed';
    nextDuty: string | null;
    nextDue: string | null;
    refusalReason?: string;
    finalVersionId?: string;
  },
): Promise<string> {
  const values = { ...r, ...extra };
  if (id === null) {
    const rows = await db
      .insert(planReassessments)
      .values({ ...key, ...values })
      .returning({ id: planReassessments.id });
    return rows[0]!.id;
  }
  await db
    .update(planReassessments)
    .set({ ...values, version: sql`${planReassessments.version} + 1` })
    .where(and(eq(planReassessments.laCode, key.laCode), eq(planReassessments.id, id)));
  return id;
}

/**
 * Moves the plan on a version; when the reassessed plan is issued, with its date and the review dates it starts
 * again (reg 27; CFA s.44(1)). False if someone saved the plan since `version`.
 */
export async function movePlanAtVersion(
  db: Db,
  laCode: string,
  planId: string,
  version: number,
  change: {
    lastReassessedDate: string;
    reviewDueDate: string;
    reviewDueRule: string;
    reviewNextDuty: string;
    reviewNextDue: string;
  } | null,
): Promise<boolean> {
  const next = await updateAtVersion(
    db,
    plans,
    and(eq(plans.laCode, laCode), eq(plans.id, planId)),
    version,
    change ?? {},
  );
  return next !== undefined;
}

export interface ReassessmentListRow {
  id: string;
  planId: string;
  childId: string;
  childReference: string;
  givenName: string;
  familyName: string;
  requestedBy: string;
  receivedDate: string;
  decision: string | null;
  nextDuty: string | null;
  nextDue: string | null;
  caseworkerName: string | null;
}

/**
 * One page of the open reassessments by their next deadline, overdue first, and their counts. The page's ids come
 * from plan_reassessments_next_due_idx alone, in the list's order; only those rows are joined to the child and the
 * plan's caseworker.
 */
export async function listOpenReassessments(
  db: Db,
  q: { laCode: string; today: string; limit: number; offset: number },
): Promise<{ rows: ReassessmentListRow[]; total: number; overdue: number }> {
  const where = and(eq(planReassessments.laCode, q.laCode), sql`${planReassessments.status} = 'open'`);
  const limit = Math.trunc(q.limit);
  const pageIds = sql`select ${planReassessments.id} from ${planReassessments} where ${where} order by ${planReassessments.nextDue} asc, ${planReassessments.id} asc limit ${sql.raw(String(limit))} offset ${q.offset}`;
  const [rows, counts] = await Promise.all([
    db
      .select({
        id: planReassessments.id,
        planId: planReassessments.planId,
        childId: children.id,
        childReference: children.reference,
        givenName: children.givenName,
        familyName: children.familyName,
        requestedBy: planReassessments.requestedBy,
        receivedDate: planReassessments.receivedDate,
        decision: planReassessments.decision,
        nextDuty: planReassessments.nextDuty,
        nextDue: planReassessments.nextDue,
        caseworkerName: users.displayName,
      })
      .from(planReassessments)
      .innerJoin(children, and(eq(children.id, planReassessments.childId), eq(children.laCode, q.laCode)))
      .innerJoin(plans, and(eq(plans.id, planReassessments.planId), eq(plans.laCode, q.laCode)))
      .leftJoin(users, eq(users.id, plans.caseworkerId))
      .where(sql`${planReassessments.id} in (${pageIds})`)
      .orderBy(asc(planReassessments.nextDue), asc(planReassessments.id)),
    db
      .select({
        total: sql<number>`count(*)::int`,
        overdue: sql<number>`(count(*) filter (where ${planReassessments.nextDue} < ${q.today}::date))::int`,
      })
      .from(planReassessments)
      .where(where),
  ]);
  return { rows, total: counts[0]?.total ?? 0, overdue: counts[0]?.overdue ?? 0 };
}

/** Every reassessment of the LA received on or before `until`, as the domain reads it (for the measures). */
export async function loadReassessments(db: Db, laCode: string, until: string): Promise<ReassessmentRecord[]> {
  const rows = await db
    .select()
    .from(planReassessments)
    .where(and(eq(planReassessments.laCode, laCode), lte(planReassessments.receivedDate, until)));
  return rows.map(reassessmentRecord);
}
