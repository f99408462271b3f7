import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { signInThrottle } from '../schema.js';

export interface ThrottleState {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

export async function getThrottle(db: Db, scope: string, key: string): Promise<ThrottleState | undefined> {
  const rows = await db
    .select({
      failures: signInThrottle.failures,
      windowStart: signInThrottle.windowStart,
      lockedUntil: signInThrottle.lockedUntil,
    })
    .from(signInThrottle)
    .where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)));
  return rows[0];
}

export async function putThrottle(db: Db, scope: string, key: string, state: ThrottleState): Promise<void> {
  await db
    .insert(signInThrottle)
    .values({ scope, key, ...state })
    .onConflictDoUpdate({
      target: [signInThrottle.scope, signInThrottle.key],
      set: { failures: state.failures, windowStart: state.windowStart, lockedUntil: state.lockedUntil },
    });
}

export async function clearThrottle(db: Db, scope: string, key: string): Promise<void> {
  await db.delete(signInThrottle).where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)));
}

export async function pruneThrottle(db: Db, olderThan: Date): Promise<void> {
  await db
    .delete(signInThrottle)
    .where(
      sql`${signInThrottle.windowStart} < ${olderThan} and (${signInThrottle.lockedUntil} is null or ${signInThrottle.lockedUntil} < ${olderThan})`,
    );
}
