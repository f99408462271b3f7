/**
 * Moves of plans between councils (SEND Regulations 2014 reg 15): a plan's moves, their writes, the plan ended at its
 * transfer out or made at its transfer in, the open moves by next deadline (from the partial index), and a child's
 * move for the family's page. Every call is scoped by the LA.
 */
import { and, asc, desc, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { children, planMoves, plans } from '../schema.js';
import type { MoveInRecord, MoveOutRecord } from '../../domain/casework/move.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { updateAtVersion } from './versioned.js';

export type StoredMove = typeof planMoves.$inferSelect;

/** The plan's moves (at most one out and one in). */
export async function listPlanMoves(db: Db, laCode: string, planId: string): Promise<StoredMove[]> {
  return db
    .select()
    .from(planMoves)
    .where(and(eq(planMoves.laCode, laCode), eq(planMoves.planId, planId)))
    .orderBy(desc(planMoves.createdAt));
}

export async function getMove(db: Db, laCode: string, id: string, lock = false): Promise<StoredMove | undefined> {
  const query = db
    .select()
    .from(planMoves)
    .where(and(eq(planMoves.laCode, laCode), eq(planMoves.id, id)))
    .limit(1);
  const rows = lock ? await query.for('update') : await query;
  return rows[0];
}

/** A stored move out as the domain reads it. */
export function moveOutRecord(m: StoredMove): MoveOutRecord {
  return {
    newLaCode: m.otherLaCode,
    moveDate: m.moveDate as LocalDate,
    learnedDate: m.learnedDate as LocalDate,
    healthCommissionerChanges: m.healthCommissionerChanges,
    transferredDate: m.transferDate as LocalDate | null,
    healthToldDate: m.healthToldDate as LocalDate | null,
  };
}

/** A stored move in as the domain reads it. */
export function moveInRecord(m: StoredMove): MoveInRecord {
  return {
    oldLaCode: m.otherLaCode,
    transferDate: m.transferDate as LocalDate,
    planMadeDate: m.planMadeDate as LocalDate,
    lastReviewDate: m.lastReviewDate as LocalDate | null,
    parentInformedDate: m.parentInformedDate as LocalDate | null,
    willAssess: m.willAssess,
    proposedReviewDate: m.proposedReviewDate as LocalDate | null,
  };
}

interface MoveState {
  status: 'open' | 'done';
  nextDuty: string | null;
  nextDue: string | null;
}

/** Writes a move out as it stands after a step: new for its first step, else updated. */
export async function saveMoveOut(
  db: Db,
  key: { laCode: string; planId: string; childId: string },
  id: string | null,
  r: MoveOutRecord,
  state: MoveState,
): Promise<string> {
  const values = {
    otherLaCode: r.newLaCode,
    moveDate: r.moveDate,
    learnedDate: r.learnedDate,
    healthCommissionerChanges: r.healthCommissionerChanges,
    transferDate: r.transferredDate,
    healthToldDate: r.healthToldDate,
    ...state,
  };
  if (id === null) {
    const rows = await db
      .insert(planMoves)
      .values({ ...key, direction: 'out', ...values })
      .returning({ id: planMoves.id });
    return rows[0]!.id;
  }
  await db
    .update(planMoves)
    .set({ ...values, version: sql`${planMoves.version} + 1` })
    .where(and(eq(planMoves.laCode, key.laCode), eq(planMoves.id, id)));
  return id;
}

/** Writes a move in as it stands after a step. */
export async function saveMoveIn(
  db: Db,
  key: { laCode: string; planId: string; childId: string },
  id: string | null,
  r: MoveInRecord,
  state: MoveState,
): Promise<string> {
  const values = {
    otherLaCode: r.oldLaCode,
    transferDate: r.transferDate,
    planMadeDate: r.planMadeDate,
    lastReviewDate: r.lastReviewDate,
    parentInformedDate: r.parentInformedDate,
    willAssess: r.willAssess,
    proposedReviewDate: r.proposedReviewDate,
    ...state,
  };
  if (id === null) {
    const rows = await db
      .insert(planMoves)
      .values({ ...key, direction: 'in', ...values })
      .returning({ id: planMoves.id });
    return rows[0]!.id;
  }
  await db
    .update(planMoves)
    .set({ ...values, version: sql`${planMoves.version} + 1` })
    .where(and(eq(planMoves.laCode, key.laCode), eq(planMoves.id, id)));
  return id;
}

/** Ends the plan at its transfer out (SEN2 CeaseReason 5); false if someone saved the plan since `version`. */
export async function transferPlanOutAtVersion(
  db: Db,
  laCode: string,
  planId: string,
  version: number,
  transferDate: string,
  ceasedReason: string,
): Promise<boolean> {
  const next = await updateAtVersion(db, plans, and(eq(plans.laCode, laCode), eq(plans.id, planId)), version, {
    status: 'ceased',
    ceasedDate: transferDate,
    ceasedReason,
    reviewNextDuty: null,
    reviewNextDue: null,
  });
  return next !== undefined;
}

/** Moves the plan on a version (a step of its move changed it); false if someone saved since. */
export async function touchMovedPlanAtVersion(db: Db, laCode: string, planId: string, version: number) {
  const next = await updateAtVersion(db, plans, and(eq(plans.laCode, laCode), eq(plans.id, planId)), version, {});
  return next !== undefined;
}

/** A child and the plan transferred in for them, on this LA's register from the transfer (reg 15(3)). */
export async function insertTransferredInPlan(
  db: Db,
  v: {
    laCode: string;
    child: { reference: string; givenName: string; familyName: string; dateOfBirth: string };
    plan: {
      firstIssuedDate: string;
      lastReviewDate: string | null;
      caseworkerId: string;
      reviewDueDate: string;
      reviewNextDuty: string;
      reviewNextDue: string;
    };
  },
): Promise<{ childId: string; planId: string }> {
  const [child] = await db
    .insert(children)
    .values({ laCode: v.laCode, ...v.child })
    .returning({ id: children.id });
  const [plan] = await db
    .insert(plans)
    .values({ laCode: v.laCode, childId: child!.id, status: 'active', reviewDueRule: 'cfa_s44_1', ...v.plan })
    .returning({ id: plans.id });
  return { childId: child!.id, planId: plan!.id };
}

export interface MoveListRow {
  id: string;
  planId: string;
  direction: string;
  otherLaCode: string;
  nextDuty: string | null;
  nextDue: string | null;
  givenName: string;
  familyName: string;
  childReference: string;
  childId: string;
}

/** Open moves by next deadline (overdue first), one page, from the partial index; and how many there are. */
export async function listOpenMoves(
  db: Db,
  q: { laCode: string; today: string; limit: number; offset: number },
): Promise<{ rows: MoveListRow[]; total: number; overdue: number }> {
  const where = and(eq(planMoves.laCode, q.laCode), eq(planMoves.status, 'open'), isNotNull(planMoves.nextDue));
  const [rows, counts] = await Promise.all([
    db
      .select({
        id: planMoves.id,
        planId: planMoves.planId,
        direction: planMoves.direction,
        otherLaCode: planMoves.otherLaCode,
        nextDuty: planMoves.nextDuty,
        nextDue: planMoves.nextDue,
        givenName: children.givenName,
        familyName: children.familyName,
        childReference: children.reference,
        childId: children.id,
      })
      .from(planMoves)
      .innerJoin(children, and(eq(children.id, planMoves.childId), eq(children.laCode, q.laCode)))
      .where(where)
      .orderBy(asc(planMoves.nextDue), asc(planMoves.id))
      .limit(q.limit)
      .offset(q.offset),
    db
      .select({
        total: sql<number>`count(*)::int`,
        overdue: sql<number>`(count(*) filter (where ${planMoves.nextDue} < ${q.today}::date))::int`,
      })
      .from(planMoves)
      .where(where),
  ]);
  return { rows, total: counts[0]?.total ?? 0, overdue: counts[0]?.overdue ?? 0 };
}

/** The plans this LA transferred out from `from` to `to` (both inclusive) with their new LA, for SEN2 TransferLA. */
export async function transfersOutBetween(db: Db, laCode: string, from: string, to: string) {
  return db
    .select({ planId: planMoves.planId, otherLaCode: planMoves.otherLaCode, transferDate: planMoves.transferDate })
    .from(planMoves)
    .where(
      and(
        eq(planMoves.laCode, laCode),
        eq(planMoves.direction, 'out'),
        gte(planMoves.transferDate, from),
        lte(planMoves.transferDate, to),
      ),
    );
}
