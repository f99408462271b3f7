/**
 * Checks the audit log's hash chain (docs/audit-log.md) outside the database: every row's hash recomputed from its
 * stored fields, each row following the one before it, no position missing or taken twice, and the chain's head at
 * the last row (so rows removed from the end are noticed). It names the first row where the chain breaks.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../data/db.js';
import { firstUnchainedRow, readChain, readChainHead, type ChainedAuditRow } from '../data/repositories/audit.js';

/** The previous hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a row's hash covers, in order; the migration's audit_log_canonical() writes the same. */
const HASHED_FIELDS = [
  'id',
  'chainSeq',
  'at',
  'userId',
  'laCode',
  'action',
  'entityType',
  'entityId',
  'childId',
  'requestId',
  'ip',
  'detail',
  'prevHash',
] as const satisfies readonly (keyof ChainedAuditRow)[];

/** Each field as "<length in UTF-8 bytes>:<text>", or "-" when null, joined by "|": no two rows write the same. */
export function canonicalAuditRow(row: ChainedAuditRow): string {
  return HASHED_FIELDS.map((field) => {
    const value = row[field];
    return value === null ? '-' : `${Buffer.byteLength(value, 'utf8')}:${value}`;
  }).join('|');
}

export function auditRowHash(row: ChainedAuditRow): string {
  return createHash('sha256').update(canonicalAuditRow(row), 'utf8').digest('hex');
}

export type ChainVerdict =
  | { intact: true; rows: number }
  | {
      intact: false;
      /** Rows checked before the break. */
      rows: number;
      /** The first broken row (null when what is wrong is that rows at the end are gone). */
      id: number | null;
      /** Its position in the chain (null when it has none). */
      position: number | null;
      problem: string;
    };

/** Rows read at a time. */
const BATCH = 5_000;

export async function verifyAuditChain(database: Database, batch = BATCH): Promise<ChainVerdict> {
  // One snapshot, so rows the service appends while this runs are neither half-seen nor mistaken for damage.
  return database.db.transaction(
    async (tx) => {
      const head = await readChainHead(tx);
      let expected = 1;
      let previous = GENESIS_HASH;
      let after = { seq: 0, id: 0 };
      const broken = (row: ChainedAuditRow, problem: string): ChainVerdict => ({
        intact: false,
        rows: expected - 1,
        id: Number(row.id),
        position: row.chainSeq === null ? null : Number(row.chainSeq),
        problem,
      });
      for (;;) {
        const rows = await readChain(tx, after, batch);
        for (const row of rows) {
          const seq = Number(row.chainSeq);
          if (seq > expected) {
            const missing =
              seq - 1 === expected ? `position ${expected} is` : `positions ${expected} to ${seq - 1} are`;
            return broken(row, `${missing} missing: rows before it were removed`);
          }
          if (seq < expected) return broken(row, `position ${seq} is taken twice: a row was inserted`);
          if (row.prevHash !== previous) {
            return broken(row, 'it does not follow the row before it: its previous hash differs');
          }
          if (row.rowHash !== auditRowHash(row)) {
            return broken(row, 'its contents do not match its hash: it was changed after it was written');
          }
          previous = row.rowHash;
          expected += 1;
        }
        const last = rows.at(-1);
        if (!last || rows.length < batch) break;
        after = { seq: Number(last.chainSeq), id: Number(last.id) };
      }
      const count = expected - 1;
      const unchained = await firstUnchainedRow(tx);
      if (unchained) return broken(unchained, 'it has no place in the chain: it was written with the chain turned off');
      if (!head || head.seq !== count || head.hash !== previous) {
        return {
          intact: false,
          rows: count,
          id: null,
          position: count + 1,
          problem: head
            ? `the chain's head says it ends at position ${head.seq}, but the last row is at ${count}: rows at the end were removed or the head was changed`
            : "the chain's head is missing",
        };
      }
      return { intact: true, rows: count };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** The verdict in one line, as `openehcp audit verify` prints it. */
export function describeVerdict(verdict: ChainVerdict): string {
  if (verdict.intact) return `${verdict.rows} rows, chain intact`;
  const where =
    verdict.id === null
      ? `at position ${verdict.position}`
      : `at row ${verdict.id} (position ${verdict.position ?? 'none'})`;
  return `chain broken ${where}: ${verdict.problem}`;
}
