/**
 * Ceasing to maintain plans: one plan's ceasings (its page), their writes, the plan ended, and the ceased plans
 * measure by month and reason. Every call is scoped by the LA.
 */
import { and, desc, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { children, planCeasings, plans } from '../schema.js';
import type { CeasingRecord } from '../../domain/casework/ceasing.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { updateAtVersion } from './versioned.js';

export type StoredCeasing = typeof planCeasings.$inferSelect;

/** The plan's ceasings, newest first (an open one, if any, among them). */
export async function listPlanCeasings(db: Db, laCode: string, planId: string): Promise<StoredCeasing[]> {
  return db
    .select()
    .from(planCeasings)
    .where(and(eq(planCeasings.laCode, laCode), eq(planCeasings.planId, planId)))
    .orderBy(desc(planCeasings.createdAt));
}

/** A stored ceasing as the domain reads it. */
export function ceasingRecord(c: StoredCeasing): CeasingRecord {
  return {
    reason: c.reason as CeasingRecord['reason'],
    consultedDate: c.consultedDate as LocalDate,
    schoolConsultedDate: c.schoolConsultedDate as LocalDate,
    decision: c.decision as CeasingRecord['decision'],
    decisionDate: c.decisionDate as LocalDate | null,
    certificateDate: c.certificateDate as LocalDate | null,
    appealLodgedDate: c.appealLodgedDate as LocalDate | null,
    tribunalOutcome: c.tribunalOutcome as CeasingRecord['tribunalOutcome'],
    tribunalDate: c.tribunalDate as LocalDate | null,
    ceasedDate: c.ceasedDate as LocalDate | null,
  };
}

/** Writes the ceasing as it stands after a step: a new one for the consultation, else the open one updated. */
export async function saveCeasing(
  db: Db,
  key: { laCode: string; planId: string; childId: string; reviewId: string | null },
  id: string | null,
  r: CeasingRecord,
  status: 'open' | 'ceased' | 'kept',
): Promise<string> {
  const values = { ...r, status };
  if (id === null) {
    const rows = await db
      .insert(planCeasings)
      .values({ ...key, ...values })
      .returning({ id: planCeasings.id });
    return rows[0]!.id;
  }
  await db
    .update(planCeasings)
    .set({ ...values, version: sql`${planCeasings.version} + 1` })
    .where(and(eq(planCeasings.laCode, key.laCode), eq(planCeasings.id, id)));
  return id;
}

/** Ends the plan on `ceasedDate` with its SEN2 CeaseReason; false if someone saved the plan since `version`. */
export async function endPlanAtVersion(
  db: Db,
  laCode: string,
  planId: string,
  version: number,
  ceasedDate: string,
  ceasedReason: string,
): Promise<boolean> {
  const next = await updateAtVersion(db, plans, and(eq(plans.laCode, laCode), eq(plans.id, planId)), version, {
    status: 'ceased',
    ceasedDate,
    ceasedReason,
    reviewNextDuty: null,
    reviewNextDue: null,
  });
  return next !== undefined;
}

/** Moves the plan on a version (a step of its ceasing changed it); false if someone saved since. */
export async function touchPlanAtVersion(db: Db, laCode: string, planId: string, version: number): Promise<boolean> {
  const next = await updateAtVersion(db, plans, and(eq(plans.laCode, laCode), eq(plans.id, planId)), version, {});
  return next !== undefined;
}

/** Plans ended through casework from `from` (inclusive) to `to` (exclusive): by month and reason. */
export async function ceasedByMonth(
  db: Db,
  laCode: string,
  from: string,
  to: string,
): Promise<{ month: string; reason: string; n: number }[]> {
  return db
    .select({
      month: sql<string>`to_char(${planCeasings.ceasedDate}, 'YYYY-MM')`,
      reason: planCeasings.reason,
      n: sql<number>`count(*)::int`,
    })
    .from(planCeasings)
    .where(
      and(
        eq(planCeasings.laCode, laCode),
        isNotNull(planCeasings.ceasedDate),
        gte(planCeasings.ceasedDate, from),
        lt(planCeasings.ceasedDate, to),
      ),
    )
    .groupBy(sql`1`, planCeasings.reason)
    .orderBy(sql`1`);
}

/** The plan made from a request, with its child's names (the family's pages are by request). */
export async function planOfRequest(db: Db, laCode: string, requestId: string) {
  const rows = await db
    .select({
      id: plans.id,
      childId: plans.childId,
      ceasedDate: plans.ceasedDate,
      givenName: children.givenName,
      familyName: children.familyName,
    })
    .from(plans)
    .innerJoin(children, and(eq(children.id, plans.childId), eq(children.laCode, laCode)))
    .where(and(eq(plans.laCode, laCode), eq(plans.requestId, requestId)))
    .orderBy(desc(plans.createdAt))
    .limit(1);
  return rows[0];
}
