/** EHC plans and their versions. A version, once written, is never changed: a new version is written instead. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { planVersions, plans } from '../schema.js';

/** The content of the request's latest plan version (a draft being written), if any. */
export async function latestPlanContent(
  db: Db,
  laCode: string,
  requestId: string,
): Promise<Record<string, unknown> | undefined> {
  const rows = await db
    .select({ content: planVersions.content })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(and(eq(plans.laCode, laCode), eq(planVersions.laCode, laCode), eq(plans.requestId, requestId)))
    .orderBy(desc(planVersions.versionNo))
    .limit(1);
  return rows[0]?.content as Record<string, unknown> | undefined;
}

/** The final plan issued at the end of an assessment: the plan, and its first final version. */
export async function insertPlan(
  db: Db,
  plan: {
    laCode: string;
    childId: string;
    requestId: string;
    issuedOn: string;
    content: Record<string, unknown>;
    createdBy: string;
  },
): Promise<string> {
  const existing = await db
    .select({ id: plans.id })
    .from(plans)
    .where(and(eq(plans.laCode, plan.laCode), eq(plans.requestId, plan.requestId)))
    .limit(1);
  let planId = existing[0]?.id;
  if (planId) {
    await db
      .update(plans)
      .set({ status: 'active', firstIssuedDate: plan.issuedOn, version: sql`${plans.version} + 1` })
      .where(eq(plans.id, planId));
  } else {
    const inserted = await db
      .insert(plans)
      .values({
        laCode: plan.laCode,
        childId: plan.childId,
        requestId: plan.requestId,
        status: 'active',
        firstIssuedDate: plan.issuedOn,
      })
      .returning({ id: plans.id });
    planId = inserted[0]!.id;
  }
  const last = await db
    .select({ n: sql<number>`coalesce(max(${planVersions.versionNo}), 0)::int` })
    .from(planVersions)
    .where(eq(planVersions.planId, planId));
  await db.insert(planVersions).values({
    laCode: plan.laCode,
    planId,
    versionNo: (last[0]?.n ?? 0) + 1,
    kind: 'final',
    issuedDate: plan.issuedOn,
    content: plan.content,
    createdBy: plan.createdBy,
  });
  return planId;
}

/** A new draft version of the request's plan (the plan row is made on the first draft). */
export async function insertDraftVersion(
  db: Db,
  draft: { laCode: string; childId: string; requestId: string; content: Record<string, unknown>; createdBy: string },
): Promise<number> {
  const existing = await db
    .select({ id: plans.id })
    .from(plans)
    .where(and(eq(plans.laCode, draft.laCode), eq(plans.requestId, draft.requestId)))
    .limit(1);
  let planId = existing[0]?.id;
  if (!planId) {
    const inserted = await db
      .insert(plans)
      .values({ laCode: draft.laCode, childId: draft.childId, requestId: draft.requestId, status: 'draft' })
      .returning({ id: plans.id });
    planId = inserted[0]!.id;
  }
  const last = await db
    .select({ n: sql<number>`coalesce(max(${planVersions.versionNo}), 0)::int` })
    .from(planVersions)
    .where(eq(planVersions.planId, planId));
  const versionNo = (last[0]?.n ?? 0) + 1;
  await db.insert(planVersions).values({
    laCode: draft.laCode,
    planId,
    versionNo,
    kind: 'draft',
    content: draft.content,
    createdBy: draft.createdBy,
  });
  return versionNo;
}

/** Every version of the request's plan, oldest first. */
export async function planVersionsFor(db: Db, laCode: string, requestId: string) {
  return db
    .select({
      versionNo: planVersions.versionNo,
      kind: planVersions.kind,
      issuedDate: planVersions.issuedDate,
      content: planVersions.content,
      createdAt: planVersions.createdAt,
    })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(and(eq(plans.laCode, laCode), eq(planVersions.laCode, laCode), eq(plans.requestId, requestId)))
    .orderBy(planVersions.versionNo);
}
