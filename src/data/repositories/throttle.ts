import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db.js';
import { signInThrottle } from '../schema.js';

export interface ThrottleState {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

export interface ThrottleLimits {
  /** Failures allowed in the window before the key is locked. */
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

const MINUTE = 60_000;

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

/**
 * Counts one sign-in attempt against a key, in one statement, before its password is checked: the row is created or
 * updated under PostgreSQL's row lock (INSERT ... ON CONFLICT DO UPDATE), so attempts made at the same moment are each
 * counted and each sees the count its own attempt made. Returns the attempt's number in the current window: attempts
 * numbered up to `maxFailures` may go on to the password check; the attempt numbered `maxFailures` also starts the
 * lock. While a lock is in force every attempt is numbered above the limit (and is refused). A window or lock that
 * has run out starts again from 1.
 */
export async function countAttempt(
  db: Db,
  scope: string,
  key: string,
  limits: ThrottleLimits,
  now: Date,
): Promise<{ attempt: number; lockedUntil: Date | null }> {
  const windowStartedBefore = new Date(now.getTime() - limits.windowMinutes * MINUTE);
  const lockUntil = new Date(now.getTime() + limits.lockMinutes * MINUTE);
  const max = limits.maxFailures;
  // The existing row starts afresh when its lock has ended, or (when not locked) its window has passed.
  const fresh = sql`(t.locked_until is not null and t.locked_until <= ${now}::timestamptz)
    or (t.locked_until is null and t.window_start <= ${windowStartedBefore}::timestamptz)`;
  const locked = sql`(t.locked_until is not null and t.locked_until > ${now}::timestamptz)`;
  const rows = await queryRows<{ failures: number; locked_until: Date | string | null }>(
    db,
    sql`insert into sign_in_throttle as t (scope, key, failures, window_start, locked_until)
      values (${scope}, ${key}, 1, ${now}::timestamptz,
        case when 1 >= ${max}::int then ${lockUntil}::timestamptz else null end)
      on conflict (scope, key) do update set
        failures = case when ${fresh} then 1
          when ${locked} then greatest(t.failures, ${max}::int) + 1
          else t.failures + 1 end,
        window_start = case when ${fresh} then ${now}::timestamptz else t.window_start end,
        locked_until = case
          when ${fresh} then case when 1 >= ${max}::int then ${lockUntil}::timestamptz else null end
          when ${locked} then t.locked_until
          when t.failures + 1 >= ${max}::int then ${lockUntil}::timestamptz
          else null end
      returning failures, locked_until`,
  );
  const row = rows[0]!;
  return { attempt: row.failures, lockedUntil: row.locked_until === null ? null : new Date(row.locked_until) };
}

/**
 * Takes back one counted attempt that turned out to be a correct sign-in (so a busy office behind one address is not
 * locked out by its own successful sign-ins). A lock that attempt started is lifted; one started by a later attempt
 * stays.
 */
export async function uncountAttempt(db: Db, scope: string, key: string, limits: ThrottleLimits): Promise<void> {
  await db.execute(
    sql`update sign_in_throttle set
        failures = greatest(failures - 1, 0),
        locked_until = case when failures - 1 < ${limits.maxFailures}::int then null else locked_until end
      where scope = ${scope} and key = ${key}`,
  );
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
