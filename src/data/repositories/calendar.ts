import { asc, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { bankHolidays } from '../schema.js';

/** The live list of bank holidays (England and Wales). */
export async function listBankHolidays(db: Db): Promise<string[]> {
  const rows = await db.select({ date: bankHolidays.date }).from(bankHolidays).orderBy(asc(bankHolidays.date));
  return rows.map((r) => r.date);
}

/** Fills the live list from the shipped one when it is empty (a new database); never overwrites an admin's edits. */
export async function seedBankHolidaysIfEmpty(db: Db, shipped: readonly string[]): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(bankHolidays);
  if ((row?.n ?? 0) > 0) return 0;
  await db
    .insert(bankHolidays)
    .values(shipped.map((date) => ({ date, title: null })))
    .onConflictDoNothing();
  return shipped.length;
}

/** Adds a bank holiday; false when the date is already listed. */
export async function insertBankHoliday(db: Db, date: string, title: string | null): Promise<boolean> {
  const rows = await db
    .insert(bankHolidays)
    .values({ date, title })
    .onConflictDoNothing()
    .returning({ date: bankHolidays.date });
  return rows.length > 0;
}
