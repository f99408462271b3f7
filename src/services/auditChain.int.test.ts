/**
 * The audit log's hash chain (docs/audit-log.md): every row chained to the one before it by SHA-256, appends never
 * forking it, and `verifyAuditChain` naming the first row where someone who could turn the database's protections off
 * (its owner) changed, removed or slipped in a row.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase, usingPostgres } from '../../test/db.js';
import { MIGRATIONS_FOLDER, openDb, pgErrorCode, queryRows, type Database } from '../data/db.js';
import { appendAudit, readChain, type AuditEntry } from '../data/repositories/audit.js';
import { auditRowHash, canonicalAuditRow, describeVerdict, GENESIS_HASH, verifyAuditChain } from './auditChain.js';

/** A fresh database migrated up to and including migration `upTo` (all of them when not given). */
async function freshDatabase(upTo?: string): Promise<Database> {
  let database: Database;
  if (usingPostgres) {
    const { url, drop } = await createPostgresTestDatabase();
    database = await openDb({ databaseUrl: url });
    const close = database.close.bind(database);
    database.close = async () => {
      await close();
      await drop();
    };
  } else {
    database = await openDb({ dataDir: 'memory://' });
  }
  if (!upTo) {
    await database.migrate();
    return database;
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'openehcp-migrations-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((e) => e.tag === upTo);
  expect(last).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(journalFile, JSON.stringify(journal));
  const { migrate } = usingPostgres
    ? await import('drizzle-orm/node-postgres/migrator')
    : await import('drizzle-orm/pglite/migrator');
  await migrate(database.db as never, { migrationsFolder: folder });
  rmSync(folder, { recursive: true, force: true });
  return database;
}

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: null,
  laCode: '999',
  action: 'read',
  entityType: 'case',
  entityId: `case-${n}`,
  ...extra,
});

/** What the database's owner can do and the service cannot: change the log with its protections turned off. */
async function asOwner(database: Database, statement: ReturnType<typeof sql>) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger user`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger user`);
  });
}

const chainOf = (database: Database) =>
  queryRows<{ id: number; chain_seq: number; prev_hash: string; row_hash: string }>(
    database.db,
    sql`select id::int, chain_seq::int, prev_hash, row_hash from audit_log order by chain_seq`,
  );

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await database.db.execute(sql`insert into local_authorities (la_code, name) values ('999', 'Demo County Council')`);
});
afterAll(async () => {
  await database.close();
});
// Each test starts from an empty log and a new chain.
beforeEach(async () => {
  await asOwner(database, sql`truncate audit_log`);
  await database.db.execute(sql`update audit_chain_head set seq = 0, hash = ${GENESIS_HASH}`);
});

describe('each audit row is chained to the one before it', () => {
  it('gives rows positions 1, 2, 3... each carrying the previous hash, and the head the last', async () => {
    await appendAudit(database.db, entry(1));
    await appendAudit(database.db, [entry(2), entry(3, { detail: { view: 'all' } })]);
    await database.db.transaction((tx) => appendAudit(tx, entry(4)));
    const rows = await chainOf(database);
    expect(rows.map((r) => r.chain_seq)).toEqual([1, 2, 3, 4]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.row_hash);
    const [head] = await queryRows<{ seq: number; hash: string }>(
      database.db,
      sql`select seq::int, hash from audit_chain_head`,
    );
    expect(head).toEqual({ seq: 4, hash: rows[3]!.row_hash });
    expect(describeVerdict(await verifyAuditChain(database))).toBe('4 rows, chain intact');
    // Read a few rows at a time, as a long log is, it comes to the same.
    expect(await verifyAuditChain(database, 3)).toEqual({ intact: true, rows: 4 });
  });

  it('hashes the same serialisation in the database and in the verifier, whatever the fields hold', async () => {
    await appendAudit(database.db, {
      userId: '5f0c4f58-9a43-4a8e-9a53-3c1b0e0a7d11',
      laCode: '999',
      action: 'update',
      entityType: 'child|name',
      entityId: '3:x|-',
      childId: '5f0c4f58-9a43-4a8e-9a53-3c1b0e0a7d12',
      requestId: 'req "1"\n',
      ip: '::1',
      detail: { note: 'O\'Brien & "Jo" – Zoë 😀', nested: { b: [1, 2.5, null, true], a: '\\' }, empty: '' },
    });
    await appendAudit(database.db, { userId: null, laCode: null, action: 'sign_in_failed', entityType: 'user' });
    const [dbSide] = await queryRows<{ canonical: string; hash: string }[]>(
      database.db,
      sql`select array_agg(audit_log_canonical(audit_log) order by chain_seq) as canonical,
                 array_agg(row_hash order by chain_seq) as hash from audit_log`,
    ).then((r) => r as unknown as { canonical: string[]; hash: string[] }[]);
    const rows = await readChain(database.db, { seq: 0, id: 0 }, 10);
    expect(rows.map(canonicalAuditRow)).toEqual(dbSide!.canonical);
    expect(rows.map(auditRowHash)).toEqual(dbSide!.hash);
    // Null and the empty string, and a field holding the separators, are told apart.
    expect(canonicalAuditRow(rows[1]!)).toMatch(
      /^\d+:\d+\|1:2\|27:[^|]+\|-\|-\|14:sign_in_failed\|4:user\|-\|-\|-\|-\|2:\{\}\|64:/,
    );
  });

  it('never forks: appends at the same moment each take their own position', async () => {
    const writers = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? appendAudit(database.db, entry(i))
        : database.db.transaction(async (tx) => {
            await appendAudit(tx, entry(i));
            await appendAudit(tx, entry(i, { action: 'update' }));
          }),
    );
    await Promise.all(writers);
    const rows = await chainOf(database);
    expect(rows.map((r) => r.chain_seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await verifyAuditChain(database)).toEqual({ intact: true, rows: 60 });
  });

  // Needs two connections at once, which the embedded database (one connection) cannot have; CI runs it on PostgreSQL.
  it.skipIf(!usingPostgres)(
    'chains a row when its transaction commits, so a save still open holds no one else up (PostgreSQL only)',
    async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const hasInserted = new Promise<void>((resolve) => (inserted = resolve));
      const slow = database.db.transaction(async (tx) => {
        await appendAudit(tx, entry(1, { action: 'update' }));
        inserted();
        await held;
      });
      await hasInserted;
      // Under the insert-time chain this waited for the open transaction's end: 5 s timeout.
      const quick = appendAudit(database.db, entry(2)).then(() => 'saved');
      const outcome = await Promise.race([quick, new Promise((resolve) => setTimeout(() => resolve('waited'), 5_000))]);
      // The open transaction's row is not in the chain yet; the committed one is.
      const chainedWhileOpen = (await chainOf(database)).length;
      release();
      await Promise.all([slow, quick]);
      expect(outcome).toBe('saved');
      expect(chainedWhileOpen).toBe(1);
      const rows = await chainOf(database);
      expect(rows.map((r) => r.chain_seq)).toEqual([1, 2]);
      expect(rows[0]!.id).toBeGreaterThan(rows[1]!.id); // chained in commit order, not insert order
      expect(await verifyAuditChain(database)).toEqual({ intact: true, rows: 2 });
    },
  );

  it('refuses any other change to a row, even one not yet chained', async () => {
    const refusal = (change: Promise<unknown>) =>
      change.then(
        () => 'changed',
        (err: unknown) => pgErrorCode(err),
      );
    await appendAudit(database.db, entry(1));
    // insufficient_privilege, raised by the append-only trigger
    expect(await refusal(database.db.execute(sql`update audit_log set action = 'changed'`))).toBe('42501');
    expect(
      await refusal(
        database.db.transaction(async (tx) => {
          await appendAudit(tx, entry(2));
          // Before its commit, the new row has no chain yet: filling it in by hand is refused all the same.
          await tx.execute(
            sql`update audit_log set chain_seq = 99, prev_hash = 'x', row_hash = 'y' where chain_seq is null`,
          );
        }),
      ),
    ).toBe('42501');
    expect(await verifyAuditChain(database)).toEqual({ intact: true, rows: 1 });
  });

  it('leaves no trace of a rolled-back append in the chain', async () => {
    await appendAudit(database.db, entry(1));
    await expect(
      database.db.transaction(async (tx) => {
        await appendAudit(tx, entry(2));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await appendAudit(database.db, entry(3));
    expect((await chainOf(database)).map((r) => r.chain_seq)).toEqual([1, 2]);
    expect(await verifyAuditChain(database)).toEqual({ intact: true, rows: 2 });
  });
});

describe('verifying names the first row where the chain breaks', () => {
  const rowIds = async () => (await chainOf(database)).map((r) => r.id);

  beforeEach(async () => {
    for (let i = 1; i <= 6; i++) await appendAudit(database.db, entry(i));
    expect(await verifyAuditChain(database)).toEqual({ intact: true, rows: 6 });
  });

  it('a row edited with the append-only trigger disabled', async () => {
    const ids = await rowIds();
    await asOwner(database, sql`update audit_log set entity_id = 'someone-else' where id = ${ids[2]}`);
    const verdict = await verifyAuditChain(database);
    expect(verdict).toMatchObject({ intact: false, id: ids[2], position: 3, rows: 2 });
    expect(describeVerdict(verdict)).toBe(
      `chain broken at row ${ids[2]} (position 3): its contents do not match its hash: it was changed after it was written`,
    );
  });

  it('a row edited and its hash recomputed, but not the rows after it', async () => {
    const ids = await rowIds();
    await asOwner(database, sql`update audit_log set action = 'update' where id = ${ids[1]}`);
    await asOwner(database, sql`update audit_log set row_hash = audit_log_row_hash(audit_log) where id = ${ids[1]}`);
    expect(await verifyAuditChain(database)).toMatchObject({
      intact: false,
      id: ids[2],
      position: 3,
      problem: 'it does not follow the row before it: its previous hash differs',
    });
  });

  it('a row deleted', async () => {
    const ids = await rowIds();
    await asOwner(database, sql`delete from audit_log where id = ${ids[3]}`);
    const verdict = await verifyAuditChain(database);
    expect(verdict).toMatchObject({ intact: false, id: ids[4], position: 5, rows: 3 });
    expect(describeVerdict(verdict)).toBe(
      `chain broken at row ${ids[4]} (position 5): position 4 is missing: rows before it were removed`,
    );
  });

  it('the last rows deleted (the head still remembers them)', async () => {
    const ids = await rowIds();
    await asOwner(database, sql`delete from audit_log where id >= ${ids[4]}`);
    expect(describeVerdict(await verifyAuditChain(database))).toBe(
      "chain broken at position 5: the chain's head says it ends at position 6, but the last row is at 4: rows at the end were removed or the head was changed",
    );
  });

  it('a row inserted in the middle, forged to follow the row before it', async () => {
    const ids = await rowIds();
    // Someone who knows the method gives a new row position 3, the previous hash of row 2 and its own correct hash.
    await asOwner(
      database,
      sql`insert into audit_log (la_code, action, entity_type, entity_id, chain_seq, prev_hash)
          select '999', 'read', 'case', 'planted', 3, row_hash from audit_log where id = ${ids[1]}`,
    );
    await asOwner(
      database,
      sql`update audit_log set row_hash = audit_log_row_hash(audit_log) where entity_id = 'planted'`,
    );
    const [planted] = await queryRows<{ id: number }>(
      database.db,
      sql`select id::int from audit_log where entity_id = 'planted'`,
    );
    const verdict = await verifyAuditChain(database);
    expect(verdict).toMatchObject({ intact: false, id: planted!.id, position: 3, rows: 3 });
    expect(await verifyAuditChain(database, 2)).toEqual(verdict);
    expect(describeVerdict(verdict)).toBe(
      `chain broken at row ${planted!.id} (position 3): position 3 is taken twice: a row was inserted`,
    );
  });

  it('a row inserted with the chain turned off', async () => {
    await asOwner(database, sql`insert into audit_log (la_code, action, entity_type) values ('999', 'read', 'case')`);
    const [row] = await queryRows<{ id: number }>(
      database.db,
      sql`select id::int from audit_log where chain_seq is null`,
    );
    expect(describeVerdict(await verifyAuditChain(database))).toBe(
      `chain broken at row ${row!.id} (position none): it has no place in the chain: it was written with the chain turned off`,
    );
  });
});

describe('the migration that starts the chain', () => {
  let old: Database | undefined;
  afterAll(async () => {
    await old?.close();
  });

  it('chains the rows written before it, in the order they were written, and new rows after them', async () => {
    old = await freshDatabase('0021_commitment_live_measure');
    await old.db.execute(sql`insert into local_authorities (la_code, name) values ('999', 'Demo County Council')`);
    for (let i = 1; i <= 5; i++) {
      await old.db.execute(
        sql`insert into audit_log (la_code, action, entity_type, entity_id, detail)
            values ('999', 'read', 'case', ${`old-${i}`}, ${JSON.stringify({ i })}::jsonb)`,
      );
    }
    await old.migrate();
    await appendAudit(old.db, entry(6));
    const rows = await queryRows<{ entity_id: string; chain_seq: number }>(
      old.db,
      sql`select entity_id, chain_seq::int from audit_log order by chain_seq`,
    );
    expect(rows.map((r) => r.entity_id)).toEqual(['old-1', 'old-2', 'old-3', 'old-4', 'old-5', 'case-6']);
    expect(rows.map((r) => r.chain_seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(describeVerdict(await verifyAuditChain(old))).toBe('6 rows, chain intact');
  });
});
