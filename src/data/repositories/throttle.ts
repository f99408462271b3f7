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

export interface FailedSignInsByAccount {
  userId: string;
  displayName: string;
  email: string;
  /** Wrong passwords (checked and failed). */
  failed: number;
  /** Attempts refused unchecked because the account or its address was locked. */
  refused: number;
  /** Times the account was locked. */
  lockouts: number;
  /** Different addresses the attempts came from. */
  addresses: number;
  lastAt: Date | null;
  /** When the account's lock ends, if it is locked now. */
  lockedUntil: Date | null;
}

export interface FailedSignInsByAddress {
  ip: string;
  failed: number;
  refused: number;
  /** Different accounts of the LA tried from the address. */
  accounts: number;
  lastAt: Date;
  /** When the address's lock ends, if it is locked now. */
  lockedUntil: Date | null;
}

/** The LA's accounts: anyone with a role there. Failed sign-ins are shown to an LA only for accounts it holds. */
const laUserIds = (laCode: string) => sql`(select user_id from role_assignments where la_code = ${laCode})`;

const asDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/**
 * The LA's accounts with sign-ins that did not succeed since `since`, or locked now: most attacked first (locked
 * ones before all others). An email address that matches no account belongs to no LA and is never listed.
 */
export async function failedSignInsByAccount(
  db: Db,
  laCode: string,
  since: Date,
  now: Date,
  limit: number,
): Promise<FailedSignInsByAccount[]> {
  const rows = await queryRows<{
    user_id: string;
    display_name: string;
    email: string;
    failed: number;
    refused: number;
    lockouts: number;
    addresses: number;
    last_at: Date | string | null;
    locked_until: Date | string | null;
  }>(
    db,
    sql`with tried as (
        select a.user_id,
          count(*) filter (where a.action = 'sign_in_failed')::int as failed,
          count(*) filter (where a.action = 'sign_in_throttled')::int as refused,
          count(*) filter (where a.action = 'sign_in_locked' and a.detail->>'scope' = 'account')::int as lockouts,
          count(distinct a.ip) filter (where a.action <> 'sign_in_locked')::int as addresses,
          max(a.at) as last_at
        from audit_log a
        where a.la_code is null and a.action in ('sign_in_failed', 'sign_in_throttled', 'sign_in_locked')
          and a.at >= ${since}::timestamptz and a.user_id in ${laUserIds(laCode)}
        group by a.user_id
      )
      select u.id as user_id, u.display_name, u.email, coalesce(tried.failed, 0) as failed,
        coalesce(tried.refused, 0) as refused, coalesce(tried.lockouts, 0) as lockouts,
        coalesce(tried.addresses, 0) as addresses, tried.last_at, t.locked_until
      from users u
      left join tried on tried.user_id = u.id
      left join sign_in_throttle t
        on t.scope = 'account' and t.key = lower(u.email) and t.locked_until > ${now}::timestamptz
      where u.id in ${laUserIds(laCode)} and (tried.user_id is not null or t.locked_until is not null)
      order by t.locked_until is null, coalesce(tried.failed, 0) + coalesce(tried.refused, 0) desc,
        tried.last_at desc nulls last, u.display_name
      limit ${limit}`,
  );
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    email: r.email,
    failed: r.failed,
    refused: r.refused,
    lockouts: r.lockouts,
    addresses: r.addresses,
    lastAt: asDate(r.last_at),
    lockedUntil: asDate(r.locked_until),
  }));
}

/** The addresses that failed to sign in to the LA's accounts since `since`: most attempts first. */
export async function failedSignInsByAddress(
  db: Db,
  laCode: string,
  since: Date,
  now: Date,
  limit: number,
): Promise<FailedSignInsByAddress[]> {
  const rows = await queryRows<{
    ip: string;
    failed: number;
    refused: number;
    accounts: number;
    last_at: Date | string;
    locked_until: Date | string | null;
  }>(
    db,
    sql`select a.ip,
        count(*) filter (where a.action = 'sign_in_failed')::int as failed,
        count(*) filter (where a.action = 'sign_in_throttled')::int as refused,
        count(distinct a.user_id)::int as accounts,
        max(a.at) as last_at,
        t.locked_until
      from audit_log a
      left join sign_in_throttle t on t.scope = 'ip' and t.key = a.ip and t.locked_until > ${now}::timestamptz
      where a.la_code is null and a.action in ('sign_in_failed', 'sign_in_throttled') and a.ip is not null
        and a.at >= ${since}::timestamptz and a.user_id in ${laUserIds(laCode)}
      group by a.ip, t.locked_until
      order by count(*) desc, max(a.at) desc
      limit ${limit}`,
  );
  return rows.map((r) => ({
    ip: r.ip,
    failed: r.failed,
    refused: r.refused,
    accounts: r.accounts,
    lastAt: new Date(r.last_at),
    lockedUntil: asDate(r.locked_until),
  }));
}

/** Ends an account's lock (and forgets its failures); returns when the lock would have ended, if it was locked. */
export async function unlockAccount(db: Db, email: string, now: Date): Promise<{ wasLockedUntil: Date | null }> {
  const rows = await queryRows<{ locked_until: Date | string | null }>(
    db,
    sql`delete from sign_in_throttle where scope = 'account' and key = ${email.trim().toLowerCase()}
      returning locked_until`,
  );
  const until = asDate(rows[0]?.locked_until ?? null);
  return { wasLockedUntil: until && until > now ? until : null };
}
