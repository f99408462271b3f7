/**
 * Backup and restore (issue 23): the demo county (small) backed up and restored into a new database is the same row
 * for row in every table, the audit log included and still append-only; a damaged file, a database that holds data
 * (without --force) and a restore that fails part way change nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { verifyAuditChain } from '../services/auditChain.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, usingPostgres } from '../../test/db.js';
import { setUpIntegration } from '../../test/integration.js';
import { generateDemoCounty } from '../demo/generate.js';
import { loadDemoCounty } from '../demo/load.js';
import { localDate } from '../domain/dates/localDate.js';
import { checkBackup, holdsData, restoreBackup, writeBackup } from './backup.js';
import { openDb, queryRows, type Database } from './db.js';

let source: Database;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'openehcp-backup-'));
  file = path.join(dir, 'demo.backup');
  ({ database: source } = await setUpIntegration({ app: false, fixture: false }));
  await loadDemoCounty(source, generateDemoCounty({ asOf: localDate('2026-11-28'), scale: 0.01 }), { seed: 1 });
  await writeBackup(source, file);
});
afterAll(async () => {
  await source?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every table's rows, each as PostgreSQL's JSON of the row, sorted: two databases holding the same data are equal. */
async function contents(database: Database): Promise<Record<string, string[]>> {
  const tables = await queryRows<{ name: string }>(
    database.db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  const all: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await queryRows<{ r: string }>(
      database.db,
      sql`select row_to_json(t)::text as r from ${sql.identifier(name)} t order by 1`,
    );
    all[name] = rows.map((row) => row.r);
  }
  return all;
}

/** A copy of the backup with its lines changed, and (unless `keepChecksum`) its checksum made right again. */
function edited(name: string, change: (lines: string[]) => string[], keepChecksum = false): string {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(0, -1);
  const trailer = lines.pop()!;
  const body = change(lines)
    .map((l) => `${l}\n`)
    .join('');
  const sha256 = keepChecksum
    ? (JSON.parse(trailer) as { sha256: string }).sha256
    : createHash('sha256').update(body).digest('hex');
  const out = path.join(dir, name);
  writeFileSync(out, gzipSync(`${body}${JSON.stringify({ sha256 })}\n`));
  return out;
}

describe('backup and restore', () => {
  it('restores the demo county identically, row for row in every table, into a new database', async () => {
    const header = await checkBackup(file);
    expect(header.source).toBe(source.kind);
    const expected = await contents(source);
    // Every table is in the backup, with its rows; the demo county fills the main ones.
    expect(header.tables.map((t) => t.name).sort()).toEqual(Object.keys(expected));
    for (const t of header.tables) expect(t.rows, t.name).toBe(expected[t.name]!.length);
    for (const name of ['children', 'assessment_requests', 'plans', 'audit_log', 'users']) {
      expect(expected[name]!.length, name).toBeGreaterThan(0);
    }

    const target = await openTestDb();
    try {
      expect(await holdsData(target.db)).toBe(false);
      await restoreBackup(target, file, { force: false });
      expect(await contents(target)).toEqual(expected);
      // The restored audit log's hash chain verifies.
      expect(await verifyAuditChain(target)).toMatchObject({ intact: true, rows: expected.audit_log!.length });
      // The audit log is still append-only, and new entries (and other ids) follow the restored ones.
      await expect(target.db.execute(sql`delete from audit_log`)).rejects.toThrow();
      const [last] = await queryRows<{ id: number }>(target.db, sql`select max(id)::int as id from audit_log`);
      const [next] = await queryRows<{ id: number }>(
        target.db,
        sql`select nextval(pg_get_serial_sequence('audit_log', 'id'))::int as id`,
      );
      expect(next!.id).toBe(last!.id + 1);
    } finally {
      await target.close();
    }

    if (usingPostgres) {
      // The same file restores into the embedded database too: one format for both.
      const embedded = await openDb({ dataDir: 'memory://' });
      try {
        await embedded.migrate();
        await restoreBackup(embedded, file, { force: false });
        expect(await contents(embedded)).toEqual(expected);
      } finally {
        await embedded.close();
      }
    }
  }, 300_000);

  it('checks the whole file before touching the database, and refuses to replace data without force', async () => {
    const target = await openTestDb();
    try {
      await restoreBackup(target, file, { force: false });
      const before = await contents(target);

      // Without --force, a database that holds data is left as it is.
      await expect(restoreBackup(target, file, { force: false })).rejects.toThrow(
        'the database already holds data: restoring would replace all of it (add --force to do so)',
      );

      // A row changed after the backup was made (the checksum no longer matches), a file cut short, and a file that
      // is not a backup at all: refused, even with --force, and nothing changed.
      const tampered = edited(
        'tampered.backup',
        (lines) => lines.map((l) => l.replace('Demo County', 'Demo Countx')),
        true,
      );
      await expect(restoreBackup(target, tampered, { force: true })).rejects.toThrow(
        'its checksum does not match its contents (damaged)',
      );
      const whole = readFileSync(file);
      const cut = path.join(dir, 'cut.backup');
      writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
      await expect(restoreBackup(target, cut, { force: true })).rejects.toThrow(
        'is not a complete gzip file (damaged or cut short)',
      );
      const other = path.join(dir, 'other.backup');
      writeFileSync(other, gzipSync('{"hello": "world"}\n'));
      await expect(restoreBackup(target, other, { force: true })).rejects.toThrow(
        'it does not start with a backup header',
      );
      await expect(restoreBackup(target, path.join(dir, 'missing.backup'), { force: true })).rejects.toThrow(
        'missing.backup (ENOENT)',
      );

      // A file whose checksum is right but one of whose last rows cannot go in (a user with no email) fails part way
      // through the restore: the transaction is rolled back, and the database holds what it held.
      const bad = edited('bad-row.backup', (lines) => {
        const { tables } = JSON.parse(lines[0]!) as { tables: { name: string; rows: number }[] };
        const before = tables.slice(0, tables.findIndex((t) => t.name === 'users') + 1);
        const lastUser = before.reduce((n, t) => n + t.rows, 0); // the header is line 0
        lines[lastUser] = lines[lastUser]!.replace(/"email":"[^"]*"/, '"email":null');
        expect(lines[lastUser]).toContain('"email":null');
        return lines;
      });
      await expect(checkBackup(bad)).resolves.toBeDefined();
      await expect(restoreBackup(target, bad, { force: true })).rejects.toThrow();
      expect(await contents(target)).toEqual(before);

      // With --force the database's data is replaced (here by the same data).
      await restoreBackup(target, file, { force: true });
      expect(await contents(target)).toEqual(before);
    } finally {
      await target.close();
    }
  }, 300_000);
});
