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
