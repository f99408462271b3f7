import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db.js';
import { sessions } from '../schema.js';

/** The user signed in to a session, as the session store's data names it (a uuid, else no one). */
function userIdOf(sess: unknown): string | null {
  const userId = (sess as { userId?: unknown } | null)?.userId;
  return typeof userId === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId)
    ? userId
    : null;
}

export async function putSession(db: Db, sid: string, sess: unknown, expiresAt: Date): Promise<void> {
  const userId = userIdOf(sess);
  await db
    .insert(sessions)
    .values({ sid, sess, expiresAt, userId })
    .onConflictDoUpdate({ target: sessions.sid, set: { sess, expiresAt, userId } });
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
