import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db.js';
import { sessions } from '../schema.js';

export async function putSession(db: Db, sid: string, sess: unknown, expiresAt: Date): Promise<void> {
  await db
    .insert(sessions)
    .values({ sid, sess, expiresAt })
    .onConflictDoUpdate({ target: sessions.sid, set: { sess, expiresAt } });
}

export async function touchSession(db: Db, sid: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ expiresAt }).where(eq(sessions.sid, sid));
}

export async function deleteSession(db: Db, sid: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sid, sid));
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const rows = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ sid: sessions.sid });
  return rows.length;
}
