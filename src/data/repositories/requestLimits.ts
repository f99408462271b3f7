/**
 * The counts behind the limits on the expensive routes, shared by every process of a deployment. Each change is one
 * statement, so requests counted at the same moment, in any process, are each counted once.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db.js';

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/**
 * Counts one request against `key` in a window of `windowMs` that starts with the first request after the last window
 * ended. Returns the count in the current window, this request included, and when the window ends.
 */
export async function countRequest(
  db: Db,
  key: string,
  windowMs: number,
  now: Date,
): Promise<{ hits: number; resetAt: Date }> {
  const resetAt = new Date(now.getTime() + windowMs);
  const [row] = await queryRows<{ hits: number; reset_at: Date | string }>(
    db,
    sql`insert into request_limits as l (key, hits, reset_at) values (${key}, 1, ${resetAt}::timestamptz)
      on conflict (key) do update set
        hits = case when l.reset_at <= ${now}::timestamptz then 1 else l.hits + 1 end,
        reset_at = case when l.reset_at <= ${now}::timestamptz then excluded.reset_at else l.reset_at end
      returning hits, reset_at`,
  );
  return { hits: Number(row!.hits), resetAt: asDate(row!.reset_at) };
}

/** The count for `key` now, if its window has not ended. */
export async function requestCount(
  db: Db,
  key: string,
  now: Date,
): Promise<{ hits: number; resetAt: Date } | undefined> {
  const [row] = await queryRows<{ hits: number; reset_at: Date | string }>(
    db,
    sql`select hits, reset_at from request_limits where key = ${key} and reset_at > ${now}::timestamptz`,
  );
  return row && { hits: Number(row.hits), resetAt: asDate(row.reset_at) };
}

/** Takes one back (a request the limiter was told not to count after all). */
export async function uncountRequest(db: Db, key: string): Promise<void> {
  await db.execute(sql`update request_limits set hits = greatest(hits - 1, 0) where key = ${key}`);
}

export async function forgetRequests(db: Db, key: string): Promise<void> {
  await db.execute(sql`delete from request_limits where key = ${key}`);
}

/**
 * Marks `key` as having a request in progress until `until`, unless it has one already that has not run out.
 * True when this request took it.
 */
export async function claimInProgress(db: Db, key: string, until: Date, now: Date): Promise<boolean> {
  const rows = await queryRows<{ key: string }>(
    db,
    sql`insert into requests_in_progress as p (key, until) values (${key}, ${until}::timestamptz)
      on conflict (key) do update set until = excluded.until where p.until <= ${now}::timestamptz
      returning key`,
  );
  return rows.length === 1;
}

export async function releaseInProgress(db: Db, key: string, until: Date): Promise<void> {
  // Only the claim this request made: a later claim (after this one ran out) is someone else's.
  await db.execute(sql`delete from requests_in_progress where key = ${key} and until = ${until}::timestamptz`);
}

/** Rows whose windows and claims have all run out: none of them limits anyone any more. */
export async function deleteSpentLimits(db: Db, now: Date): Promise<number> {
  const spent = await queryRows<{ n: number }>(
    db,
    sql`with a as (delete from request_limits where reset_at <= ${now}::timestamptz returning 1),
      b as (delete from requests_in_progress where until <= ${now}::timestamptz returning 1)
      select ((select count(*) from a) + (select count(*) from b))::int as n`,
  );
  return Number(spent[0]?.n ?? 0);
}
