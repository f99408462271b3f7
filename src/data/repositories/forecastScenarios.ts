/**
 * What the forecast's scenarios read and keep: the LA's staff numbers now, and the improvement plan's actions that
 * change capacity. Every call is scoped by LA.
 */
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { commitmentActions, forecastStaffing } from '../schema.js';

export async function readStaffing(db: Db, laCode: string): Promise<Map<string, number>> {
  const rows = await db.select().from(forecastStaffing).where(eq(forecastStaffing.laCode, laCode));
  return new Map(rows.map((r) => [r.staff, r.people]));
}

export async function putStaffing(
  db: Db,
  laCode: string,
  people: Record<string, number>,
  userId: string,
): Promise<void> {
  const rows = Object.entries(people).map(([staff, n]) => ({ laCode, staff, people: n, updatedBy: userId }));
  if (rows.length === 0) return;
  await db
    .insert(forecastStaffing)
    .values(rows)
    .onConflictDoUpdate({
      target: [forecastStaffing.laCode, forecastStaffing.staff],
      set: { people: sql`excluded.people`, updatedBy: sql`excluded.updated_by`, updatedAt: sql`now()` },
    });
}

/** The plan's actions that add (or remove) capacity from a date, whatever their progress. */
export async function listCapacityActions(db: Db, laCode: string) {
  return db
    .select({
      id: commitmentActions.id,
      title: commitmentActions.title,
      status: commitmentActions.status,
      staff: commitmentActions.capacityStage,
      change: commitmentActions.capacityChange,
      from: commitmentActions.capacityFrom,
    })
    .from(commitmentActions)
    .where(
      and(
        eq(commitmentActions.laCode, laCode),
        isNotNull(commitmentActions.capacityStage),
        isNotNull(commitmentActions.capacityChange),
        isNotNull(commitmentActions.capacityFrom),
      ),
    )
    .orderBy(asc(commitmentActions.capacityFrom));
}
