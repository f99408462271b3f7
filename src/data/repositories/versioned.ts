/**
 * The one version-checked update (optimistic concurrency): a row is changed only if it is still at the version the
 * person's form was opened at, and its version moves on by one. Used by every repository whose rows two people (or
 * two tabs) might save at once: a family's contributions, a professional's advice as they write it.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../db.js';

/**
 * Sets `changes` on the row `where` picks, if its `version` column still holds `version`; returns the row's new
 * version, or undefined when the row has moved on (someone saved since) or `where` matched nothing.
 */
export async function updateAtVersion<T extends PgTable & { version: PgColumn }>(
  db: Db,
  table: T,
  where: SQL | undefined,
  version: number,
  changes: PgUpdateSetSource<T>,
): Promise<number | undefined> {
  const rows = await db
    .update(table)
    .set({ ...changes, version: sql`${table.version} + 1` })
    .where(and(where, eq(table.version, version)))
    .returning({ version: table.version });
  return (rows as { version: number }[])[0]?.version;
}
