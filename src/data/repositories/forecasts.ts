/**
 * Each LA's latest forecast (services/forecasts.ts): one row per LA, replaced at every refresh. Every call is scoped
 * by LA.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db.js';
import { forecasts } from '../schema.js';

/** The LA's latest forecast as stored, with when it was worked out; undefined before the first. */
export async function readForecast(db: Db, laCode: string): Promise<{ computedAt: Date; result: unknown } | undefined> {
  const [row] = await db
    .select({ computedAt: forecasts.computedAt, result: forecasts.result })
    .from(forecasts)
    .where(eq(forecasts.laCode, laCode));
  return row;
}

/** Keeps `result` as the LA's latest forecast, in place of the one before. */
export async function putForecast(
  db: Db,
  row: { laCode: string; computedAt: Date; asOf: string; result: unknown },
): Promise<void> {
  await db
    .insert(forecasts)
    .values(row)
    .onConflictDoUpdate({
      target: forecasts.laCode,
      set: { computedAt: row.computedAt, asOf: row.asOf, result: row.result },
    });
}
