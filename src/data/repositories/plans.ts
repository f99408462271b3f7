/** EHC plans and their versions. A version, once written, is never changed: a new version is written instead. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { planVersions, plans } from '../schema.js';
import { fillMissingReviewDates } from './reviews.js';

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

/**
 * Appends a version to the request's plan, making the plan on its first version. A final version makes the plan
 * active from its issue date; a draft leaves it a draft. Versions are never changed once written.
 */
async function appendVersion(
  db: Db,
  v: {
    laCode: string;
    childId: string;
    requestId: string;
    kind: 'draft' | 'final';
    issuedOn: string | null;
    content: Record<string, unknown>;
    createdBy: string;
  },
): Promise<{ planId: string; versionNo: number }> {
  const existing = await db
    .select({ id: plans.id })
    .from(plans)
    .where(and(eq(plans.laCode, v.laCode), eq(plans.requestId, v.requestId)))
    .limit(1);
  const issued = v.kind === 'final' ? { status: 'active', firstIssuedDate: v.issuedOn } : { status: 'draft' };
  let planId = existing[0]?.id;
  if (!planId) {
    const inserted = await db
      .insert(plans)
      .values({ laCode: v.laCode, childId: v.childId, requestId: v.requestId, ...issued })
      .returning({ id: plans.id });
    planId = inserted[0]!.id;
  } else if (v.kind === 'final') {
    await db
      .update(plans)
      .set({ ...issued, version: sql`${plans.version} + 1` })
      .where(eq(plans.id, planId));
  }
  // An issued plan's first review: its due date and the list's next deadline.
  if (v.kind === 'final') await fillMissingReviewDates(db, v.laCode);
  const last = await db
    .select({ n: sql<number>`coalesce(max(${planVersions.versionNo}), 0)::int` })
    .from(planVersions)
    .where(eq(planVersions.planId, planId));
  const versionNo = (last[0]?.n ?? 0) + 1;
  await db.insert(planVersions).values({
    laCode: v.laCode,
    planId,
    versionNo,
    kind: v.kind,
    issuedDate: v.issuedOn,
    content: v.content,
    createdBy: v.createdBy,
  });
  return { planId, versionNo };
}

/** The final plan issued at the end of an assessment (after its drafts, if any). */
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
  return (await appendVersion(db, { ...plan, kind: 'final' })).planId;
}

/** A new draft version of the request's plan (the plan is made, as a draft, on the first one). */
export async function insertDraftVersion(
  db: Db,
  draft: { laCode: string; childId: string; requestId: string; content: Record<string, unknown>; createdBy: string },
): Promise<number> {
  return (await appendVersion(db, { ...draft, kind: 'draft', issuedOn: null })).versionNo;
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
      planId: plans.id,
      planStatus: plans.status,
    })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(and(eq(plans.laCode, laCode), eq(planVersions.laCode, laCode), eq(plans.requestId, requestId)))
    .orderBy(planVersions.versionNo);
}
