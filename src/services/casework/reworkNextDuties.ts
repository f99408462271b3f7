import { openRequestsDueFrom } from '../../data/repositories/casework.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { refreshNextDuty } from './frame.js';
import type { CaseworkDeps } from './types.js';

/**
 * After a bank holiday is added on `date`: works out again the next duty of every open request it can move, each in
 * a transaction of its own, with the calendar that now holds it. Returns how many were worked out. (The service does
 * this itself when the calendar changes; no person acts, so there is no permission to check.)
 */
export async function reworkNextDuties(deps: CaseworkDeps, date: LocalDate): Promise<number> {
  const { db } = deps.database;
  const requests = await openRequestsDueFrom(db, date);
  for (const r of requests) await db.transaction((tx) => refreshNextDuty(deps, tx, r.laCode, r.id, true));
  return requests.length;
}
