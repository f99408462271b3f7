/**
 * A family's responses to draft plans (family_contributions of kind 'draft_response'), one per draft version served:
 * kept as they write it, versioned (two devices never overwrite each other), sent once.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { familyContributions, planVersions, plans } from '../schema.js';

export interface DraftResponseRow {
  id: string;
  content: unknown;
  version: number;
  updatedAt: Date;
  sentAt: Date | null;
}

/** The draft version with this number on the request's plan (the one a draft_served event names), if any. */
export async function planVersionByNumber(db: Db, laCode: string, requestId: string, versionNo: number) {
  const rows = await db
    .select({
      id: planVersions.id,
      versionNo: planVersions.versionNo,
      kind: planVersions.kind,
      issuedDate: planVersions.issuedDate,
      content: planVersions.content,
    })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(
      and(
        eq(plans.laCode, laCode),
        eq(planVersions.laCode, laCode),
        eq(plans.requestId, requestId),
        eq(planVersions.versionNo, versionNo),
        eq(planVersions.kind, 'draft'),
      ),
    )
    .limit(1);
  return rows[0];
}

/** The request's latest final plan version, if one has been issued. */
export async function latestFinalVersion(db: Db, laCode: string, requestId: string) {
  const rows = await db
    .select({
      id: planVersions.id,
      versionNo: planVersions.versionNo,
      issuedDate: planVersions.issuedDate,
      content: planVersions.content,
    })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(
      and(
        eq(plans.laCode, laCode),
        eq(planVersions.laCode, laCode),
        eq(plans.requestId, requestId),
        eq(planVersions.kind, 'final'),
      ),
    )
    .orderBy(desc(planVersions.versionNo))
    .limit(1);
  return rows[0];
}

/** The family's response to one draft version (locked for update when `lock`). */
export async function findDraftResponse(
  db: Db,
  laCode: string,
  requestId: string,
  planVersionId: string,
  lock = false,
): Promise<DraftResponseRow | undefined> {
  const query = db
    .select({
      id: familyContributions.id,
      content: familyContributions.content,
      version: familyContributions.version,
      updatedAt: familyContributions.updatedAt,
      sentAt: familyContributions.sentAt,
    })
    .from(familyContributions)
    .where(
      and(
        eq(familyContributions.laCode, laCode),
        eq(familyContributions.requestId, requestId),
        eq(familyContributions.kind, 'draft_response'),
        eq(familyContributions.planVersionId, planVersionId),
      ),
    )
    .orderBy(familyContributions.createdAt)
    .limit(1);
  const rows = lock ? await query.for('update') : await query;
  return rows[0];
}

/** Every response sent to the request's drafts, by plan version id (for the plan editor). */
export async function sentDraftResponses(db: Db, laCode: string, requestId: string) {
  return db
    .select({
      planVersionId: familyContributions.planVersionId,
      content: familyContributions.content,
      sentAt: familyContributions.sentAt,
    })
    .from(familyContributions)
    .where(
      and(
        eq(familyContributions.laCode, laCode),
        eq(familyContributions.requestId, requestId),
        eq(familyContributions.kind, 'draft_response'),
        sql`${familyContributions.sentAt} is not null`,
      ),
    )
    .orderBy(familyContributions.sentAt);
}

export async function insertDraftResponse(
  db: Db,
  row: { laCode: string; childId: string; requestId: string; planVersionId: string; content: unknown; userId: string },
): Promise<string> {
  const inserted = await db
    .insert(familyContributions)
    .values({
      laCode: row.laCode,
      childId: row.childId,
      requestId: row.requestId,
      kind: 'draft_response',
      planVersionId: row.planVersionId,
      content: row.content,
      updatedBy: row.userId,
    })
    .returning({ id: familyContributions.id });
  return inserted[0]!.id;
}

/** Saves a new content on the response, moving its version on. */
export async function updateDraftResponse(db: Db, laCode: string, id: string, content: unknown, userId: string) {
  await db
    .update(familyContributions)
    .set({ content, updatedBy: userId, updatedAt: new Date(), version: sql`${familyContributions.version} + 1` })
    .where(and(eq(familyContributions.laCode, laCode), eq(familyContributions.id, id)));
}

export async function markDraftResponseSent(db: Db, laCode: string, id: string, at: Date) {
  await db
    .update(familyContributions)
    .set({ sentAt: at, version: sql`${familyContributions.version} + 1` })
    .where(and(eq(familyContributions.laCode, laCode), eq(familyContributions.id, id)));
}
