/**
 * A form saved against an older version of a record (optimistic concurrency): what the person is shown instead of
 * overwriting someone else's change. Each field is compared as words (what the page shows), so the change is named in
 * the form's own terms; who saved last, and when, comes from the audit log.
 */
import { lastWrite } from '../data/repositories/audit.js';
import type { Database } from '../data/db.js';
import type { StaleDetail } from './errors.js';

export async function staleDetail(
  db: Database['db'],
  laCode: string,
  entity: { type: string; id: string; version: number },
  saved: Record<string, string | null>,
  yours: Record<string, string | null>,
): Promise<StaleDetail> {
  const last = await lastWrite(db, laCode, entity.type, entity.id);
  return {
    changes: Object.keys(saved)
      .filter((field) => (saved[field] ?? '') !== (yours[field] ?? ''))
      .map((field) => ({ field, saved: saved[field] ?? '', yours: yours[field] ?? '' })),
    by: last?.name ?? null,
    at: last?.at ?? null,
    version: entity.version,
  };
}
