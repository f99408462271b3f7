/**
 * Ceasing to maintain plans: one plan's ceasings (its page), their writes, the plan ended, and the ceased plans
 * measure by month and reason. Every call is scoped by the LA.
 */
import { and, desc, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { children, planCeasings, plans } from '../schema.js';
import type { CeasingRecord } from '../../domain/casework/ceasing.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { CeasedPlan } from '../../domain/measures/monthly.js';
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

/** Every plan of the LA that has ended, with its SEN2 CeaseReason (for the ceased plans measure). */
export async function loadCeasedPlans(db: Db, laCode: string): Promise<CeasedPlan[]> {
  const rows = await db
    .select({ ceasedDate: plans.ceasedDate, ceasedReason: plans.ceasedReason })
    .from(plans)
    .where(and(eq(plans.laCode, laCode), isNotNull(plans.ceasedDate)));
  return rows.map((r) => ({ ceasedDate: r.ceasedDate as LocalDate, ceasedReason: r.ceasedReason }));
}

/** How many of the LA's plans ended from `from` to `to`, both inclusive (SEN2's ceased plans, beside the return). */
export async function countPlansCeased(db: Db, laCode: string, from: string, to: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(plans)
    .where(and(eq(plans.laCode, laCode), gte(plans.ceasedDate, from), lte(plans.ceasedDate, to)));
  return rows[0]?.n ?? 0;
}
