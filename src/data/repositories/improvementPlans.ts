/**
 * The improvement plan aggregate: the plan, its objectives and priorities, its commitments with their append-only
 * history, their actions and any monthly values entered by hand. Every call is scoped by LA.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import {
  commitmentActions,
  commitmentHistory,
  commitments,
  commitmentValues,
  improvementPlans,
  planObjectives,
  planPriorities,
  roleAssignments,
  users,
} from '../schema.js';

export type PlanRow = typeof improvementPlans.$inferSelect;
export type ObjectiveRow = typeof planObjectives.$inferSelect;
export type PriorityRow = typeof planPriorities.$inferSelect;
export type CommitmentRow = typeof commitments.$inferSelect;
export type CommitmentFields = Omit<
  typeof commitments.$inferInsert,
  'id' | 'laCode' | 'planId' | 'version' | 'createdAt' | 'updatedAt'
>;
export type ActionRow = typeof commitmentActions.$inferSelect & { ownerName: string };
export type ActionFields = Omit<
  typeof commitmentActions.$inferInsert,
  'id' | 'laCode' | 'commitmentId' | 'version' | 'createdAt' | 'updatedAt'
>;
export type HistoryChange = { field: string; from: string | null; to: string | null };
export interface HistoryRow {
  id: number;
  commitmentId: string;
  at: Date;
  changedByName: string | null;
  /** The roles the person who made the change holds in the LA (named on the public page instead of the person). */
  changedByRoles: string[];
  changes: HistoryChange[];
  reason: string;
}

export async function findPlan(db: Db, laCode: string): Promise<PlanRow | null> {
  const rows = await db.select().from(improvementPlans).where(eq(improvementPlans.laCode, laCode));
  return rows[0] ?? null;
}

export async function lockPlan(db: Db, laCode: string): Promise<PlanRow | null> {
  const rows = await db.select().from(improvementPlans).where(eq(improvementPlans.laCode, laCode)).for('update');
  return rows[0] ?? null;
}

export async function insertPlan(db: Db, row: typeof improvementPlans.$inferInsert): Promise<PlanRow> {
  const [plan] = await db.insert(improvementPlans).values(row).returning();
  return plan!;
}

export async function updatePlan(
  db: Db,
  laCode: string,
  fields: Pick<PlanRow, 'title' | 'partners' | 'periodStart' | 'periodEnd' | 'chair' | 'published' | 'version'>,
): Promise<void> {
  await db.update(improvementPlans).set(fields).where(eq(improvementPlans.laCode, laCode));
}

export async function listObjectives(db: Db, laCode: string, planId: string): Promise<ObjectiveRow[]> {
  return db
    .select()
    .from(planObjectives)
    .where(and(eq(planObjectives.laCode, laCode), eq(planObjectives.planId, planId)))
    .orderBy(asc(planObjectives.horizon), asc(planObjectives.createdAt));
}

export async function insertObjective(db: Db, row: typeof planObjectives.$inferInsert): Promise<void> {
  await db.insert(planObjectives).values(row);
}

/** Removes an objective only if it is still at the version the form was opened against; returns whether it did. */
export async function deleteObjective(db: Db, laCode: string, id: string, version: number): Promise<boolean> {
  const rows = await db
    .delete(planObjectives)
    .where(and(eq(planObjectives.laCode, laCode), eq(planObjectives.id, id), eq(planObjectives.version, version)))
    .returning({ id: planObjectives.id });
  return rows.length > 0;
}

/**
 * Changes an objective only if it is still at the version the form was opened against (a conditional UPDATE: of two
 * saves at once, the second finds the version moved on and changes nothing). Returns whether it was changed.
 */
export async function updateObjective(
  db: Db,
  laCode: string,
  id: string,
  version: number,
  fields: { text: string; horizon: string | null },
): Promise<boolean> {
  const rows = await db
    .update(planObjectives)
    .set({ ...fields, version: version + 1 })
    .where(and(eq(planObjectives.laCode, laCode), eq(planObjectives.id, id), eq(planObjectives.version, version)))
    .returning({ id: planObjectives.id });
  return rows.length > 0;
}

export async function findObjective(db: Db, laCode: string, id: string): Promise<ObjectiveRow | null> {
  const rows = await db
    .select()
    .from(planObjectives)
    .where(and(eq(planObjectives.laCode, laCode), eq(planObjectives.id, id)));
  return rows[0] ?? null;
}

/** As updateObjective: only if still at the form's version. */
export async function updatePriority(
  db: Db,
  laCode: string,
  id: string,
  version: number,
  fields: { title: string; description: string },
): Promise<boolean> {
  const rows = await db
    .update(planPriorities)
    .set({ ...fields, version: version + 1 })
    .where(and(eq(planPriorities.laCode, laCode), eq(planPriorities.id, id), eq(planPriorities.version, version)))
    .returning({ id: planPriorities.id });
  return rows.length > 0;
}

export async function findPriority(db: Db, laCode: string, id: string): Promise<PriorityRow | null> {
  const rows = await db
    .select()
    .from(planPriorities)
    .where(and(eq(planPriorities.laCode, laCode), eq(planPriorities.id, id)));
  return rows[0] ?? null;
}

/** Whether any commitment sits under the priority area. */
export async function priorityInUse(db: Db, laCode: string, id: string): Promise<boolean> {
  const used = await db
    .select({ id: commitments.id })
    .from(commitments)
    .where(and(eq(commitments.laCode, laCode), eq(commitments.priorityId, id)))
    .limit(1);
  return used.length > 0;
}

/** Removes a priority area only if it is still at the form's version; returns whether it did. */
export async function deletePriority(db: Db, laCode: string, id: string, version: number): Promise<boolean> {
  const rows = await db
    .delete(planPriorities)
    .where(and(eq(planPriorities.laCode, laCode), eq(planPriorities.id, id), eq(planPriorities.version, version)))
    .returning({ id: planPriorities.id });
  return rows.length > 0;
}

export async function listPriorities(db: Db, laCode: string, planId: string): Promise<PriorityRow[]> {
  return db
    .select()
    .from(planPriorities)
    .where(and(eq(planPriorities.laCode, laCode), eq(planPriorities.planId, planId)))
    .orderBy(asc(planPriorities.position));
}

export async function insertPriority(db: Db, row: typeof planPriorities.$inferInsert): Promise<void> {
  await db.insert(planPriorities).values(row);
}

export async function listCommitments(db: Db, laCode: string, planId: string): Promise<CommitmentRow[]> {
  return db
    .select()
    .from(commitments)
    .where(and(eq(commitments.laCode, laCode), eq(commitments.planId, planId)))
    .orderBy(asc(commitments.createdAt));
}

export async function findCommitment(db: Db, laCode: string, id: string, lock = false): Promise<CommitmentRow | null> {
  const query = db
    .select()
    .from(commitments)
    .where(and(eq(commitments.laCode, laCode), eq(commitments.id, id)));
  const rows = lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

export async function insertCommitment(
  db: Db,
  row: CommitmentFields & { laCode: string; planId: string },
): Promise<string> {
  const [inserted] = await db.insert(commitments).values(row).returning({ id: commitments.id });
  return inserted!.id;
}

export async function updateCommitment(
  db: Db,
  laCode: string,
  id: string,
  fields: CommitmentFields & { version: number; updatedAt: Date },
): Promise<void> {
  await db
    .update(commitments)
    .set(fields)
    .where(and(eq(commitments.laCode, laCode), eq(commitments.id, id)));
}

export async function appendCommitmentHistory(db: Db, row: typeof commitmentHistory.$inferInsert): Promise<void> {
  await db.insert(commitmentHistory).values(row);
}

/** The history of the given commitments, oldest first, with the name of whoever made each change. */
export async function commitmentHistoryFor(db: Db, laCode: string, ids: readonly string[]): Promise<HistoryRow[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      id: commitmentHistory.id,
      commitmentId: commitmentHistory.commitmentId,
      at: commitmentHistory.at,
      changedByName: users.displayName,
      changedByRoles: sql<
        string[]
      >`coalesce((select array_agg(distinct ${roleAssignments.role}) from ${roleAssignments} where ${roleAssignments.userId} = ${commitmentHistory.changedBy} and ${roleAssignments.laCode} = ${commitmentHistory.laCode}), '{}')`,
      changes: commitmentHistory.changes,
      reason: commitmentHistory.reason,
    })
    .from(commitmentHistory)
    .leftJoin(users, eq(users.id, commitmentHistory.changedBy))
    .where(and(eq(commitmentHistory.laCode, laCode), inArray(commitmentHistory.commitmentId, [...ids])))
    .orderBy(asc(commitmentHistory.at), asc(commitmentHistory.id));
}

const actionColumns = {
  id: commitmentActions.id,
  laCode: commitmentActions.laCode,
  commitmentId: commitmentActions.commitmentId,
  title: commitmentActions.title,
  ownerId: commitmentActions.ownerId,
  ownerName: users.displayName,
  dueDate: commitmentActions.dueDate,
  status: commitmentActions.status,
  evidence: commitmentActions.evidence,
  capacityStage: commitmentActions.capacityStage,
  capacityChange: commitmentActions.capacityChange,
  capacityFrom: commitmentActions.capacityFrom,
  version: commitmentActions.version,
  createdAt: commitmentActions.createdAt,
  updatedAt: commitmentActions.updatedAt,
};

export async function listActions(db: Db, laCode: string, commitmentIds: readonly string[]): Promise<ActionRow[]> {
  if (commitmentIds.length === 0) return [];
  return db
    .select(actionColumns)
    .from(commitmentActions)
    .innerJoin(users, eq(users.id, commitmentActions.ownerId))
    .where(and(eq(commitmentActions.laCode, laCode), inArray(commitmentActions.commitmentId, [...commitmentIds])))
    .orderBy(asc(commitmentActions.dueDate), asc(commitmentActions.createdAt));
}

export async function findAction(db: Db, laCode: string, id: string, lock = false): Promise<ActionRow | null> {
  const query = db
    .select(actionColumns)
    .from(commitmentActions)
    .innerJoin(users, eq(users.id, commitmentActions.ownerId))
    .where(and(eq(commitmentActions.laCode, laCode), eq(commitmentActions.id, id)));
  const rows = lock ? await query.for('update', { of: commitmentActions }) : await query;
  return rows[0] ?? null;
}

export async function insertAction(
  db: Db,
  row: ActionFields & { laCode: string; commitmentId: string },
): Promise<string> {
  const [inserted] = await db.insert(commitmentActions).values(row).returning({ id: commitmentActions.id });
  return inserted!.id;
}

export async function updateAction(
  db: Db,
  laCode: string,
  id: string,
  fields: Partial<ActionFields> & { version: number; updatedAt: Date },
): Promise<void> {
  await db
    .update(commitmentActions)
    .set(fields)
    .where(and(eq(commitmentActions.laCode, laCode), eq(commitmentActions.id, id)));
}

export async function listCommitmentValues(db: Db, laCode: string, commitmentIds: readonly string[]) {
  if (commitmentIds.length === 0) return [];
  return db
    .select({
      commitmentId: commitmentValues.commitmentId,
      month: commitmentValues.month,
      value: commitmentValues.value,
      n: commitmentValues.n,
    })
    .from(commitmentValues)
    .where(and(eq(commitmentValues.laCode, laCode), inArray(commitmentValues.commitmentId, [...commitmentIds])))
    .orderBy(asc(commitmentValues.month));
}

/**
 * Writes a month's figure of a series entered by hand, and moves the commitment's valuesVersion on; the figure
 * keeps the version it was written at.
 */
export async function putCommitmentValue(
  db: Db,
  row: Omit<typeof commitmentValues.$inferInsert, 'valuesVersion'>,
): Promise<void> {
  const [bumped] = await db
    .update(commitments)
    .set({ valuesVersion: sql`${commitments.valuesVersion} + 1` })
    .where(and(eq(commitments.laCode, row.laCode), eq(commitments.id, row.commitmentId)))
    .returning({ valuesVersion: commitments.valuesVersion });
  const written = { ...row, valuesVersion: bumped!.valuesVersion };
  await db
    .insert(commitmentValues)
    .values(written)
    .onConflictDoUpdate({
      target: [commitmentValues.commitmentId, commitmentValues.month],
      set: {
        value: row.value,
        n: row.n,
        enteredBy: row.enteredBy,
        enteredAt: row.enteredAt,
        valuesVersion: written.valuesVersion,
      },
    });
}

/** One month's figure of a commitment's series entered by hand, or null. */
export async function findCommitmentValue(db: Db, laCode: string, commitmentId: string, month: string) {
  const rows = await db
    .select()
    .from(commitmentValues)
    .where(
      and(
        eq(commitmentValues.laCode, laCode),
        eq(commitmentValues.commitmentId, commitmentId),
        eq(commitmentValues.month, month),
      ),
    );
  return rows[0] ?? null;
}
