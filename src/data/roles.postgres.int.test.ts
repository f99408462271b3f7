/**
 * The two PostgreSQL roles of docs/audit-log.md, set up with the exact statements the document gives: the service's
 * runtime role starts the service and writes audit rows, but cannot turn the audit log's triggers off, change or
 * remove a row, or move the chain's head. PostgreSQL only (the embedded database has one user).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../../test/db.js';
import { appendAudit } from './repositories/audit.js';
import { openDb, pgErrorCode, type Database } from './db.js';
import { verifyAuditChain } from '../services/auditChain.js';
import { createServices } from '../services/index.js';
import { installJobs, startJobs } from '../jobs/index.js';
import { PRUNE_JOB } from '../jobs/sessions.js';
import { pino } from 'pino';

const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const names = { owner: `openehcp_owner_${suffix}`, app: `openehcp_app_${suffix}`, db: `openehcp_roles_${suffix}` };

/** The document's grant statements, for this test's roles and database. */
function documentedGrants(): string {
  const doc = readFileSync(new URL('../../docs/audit-log.md', import.meta.url), 'utf8');
  const block = /<!-- grants:start -->\n```sql\n([\s\S]*?)```\n<!-- grants:end -->/.exec(doc)?.[1];
  if (!block) throw new Error('docs/audit-log.md has no grants block');
  return block
    .replaceAll('openehcp_owner', names.owner)
    .replaceAll('openehcp_app', names.app)
    .replaceAll('DATABASE openehcp ', `DATABASE ${names.db} `);
}

const urlAs = (user: string, database = names.db) => {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.username = user;
  url.password = 'role-test';
  url.pathname = `/${database}`;
  return url.toString();
};

async function admin(statements: string[]) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

let owner: Database;
let app: Database;
beforeAll(async () => {
  if (!usingPostgres) throw new Error('this test needs a PostgreSQL server: set TEST_DATABASE_URL');
  await admin([
    `CREATE ROLE ${names.owner} LOGIN PASSWORD 'role-test'`,
    `CREATE ROLE ${names.app} LOGIN PASSWORD 'role-test'`,
    `CREATE DATABASE ${names.db} OWNER ${names.owner}`,
    `REVOKE ALL ON DATABASE ${names.db} FROM PUBLIC`,
  ]);
  owner = await openDb({ databaseUrl: urlAs(names.owner) });
  // As `openehcp migrate` does: the schema, then the job queue's tables and queues.
  await owner.migrate();
  await installJobs(owner, pino({ level: 'silent' }));
  await owner.db.execute(sql.raw(documentedGrants()));
  await owner.db.execute(sql`insert into local_authorities (la_code, name) values ('999', 'Demo County Council')`);
  app = await openDb({ databaseUrl: urlAs(names.app) });
});
afterAll(async () => {
  await app?.close();
  await owner?.close();
  await admin([
    `DROP DATABASE IF EXISTS ${names.db} WITH (FORCE)`,
    `DROP ROLE IF EXISTS ${names.app}`,
    `DROP ROLE IF EXISTS ${names.owner}`,
  ]);
});

/** Why PostgreSQL refused the statement: its error code and whether for want of a right (not a trigger's refusal). */
async function refusal(database: Database, statement: string): Promise<string> {
  try {
    await database.db.execute(sql.raw(statement));
  } catch (err) {
    const message = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return `${pgErrorCode(err)} ${/permission denied|must be owner/.test(message) ? 'no right' : message}`;
  }
  return 'allowed';
}

describe("the service's runtime role", () => {
  it('starts the service on an up-to-date schema and writes chained audit rows', async () => {
    await app.migrate();
    await appendAudit(app.db, { userId: null, laCode: '999', action: 'read', entityType: 'case', entityId: 'a' });
    await app.db.transaction((tx) =>
      appendAudit(tx, { userId: null, laCode: '999', action: 'update', entityType: 'case', entityId: 'a' }),
    );
    expect(await verifyAuditChain(app)).toEqual({ intact: true, rows: 2 });
    // And it works the case tables as the service does.
    await app.db.execute(sql`update local_authorities set name = name where la_code = '999'`);
  });

  it('starts the job queue, sets the schedules and runs a job, creating nothing', async () => {
    const jobs = await startJobs(app, createServices(app), {
      logger: pino({ level: 'silent' }),
      schedules: true,
      processes: 1,
      retention: null,
      runAtStart: false,
      runner: { pollingIntervalSeconds: 0.5 },
    });
    try {
      expect((await jobs.runner.schedules()).map((s) => s.name).sort()).toEqual([
        'advice-chasers',
        'measures-refresh',
        'message-retries',
        'sessions-prune',
      ]);
      const id = (await jobs.runner.send(PRUNE_JOB))!;
      for (let i = 0; i < 200 && (await jobs.runner.state(PRUNE_JOB, id))?.state !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await jobs.runner.state(PRUNE_JOB, id))?.state).toBe('completed');
    } finally {
      await jobs.stop();
    }
    expect(await refusal(app, 'CREATE TABLE pgboss.x (id int)')).toBe('42501 no right');
  });

  it.each([
    'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete',
    'ALTER TABLE audit_log DISABLE TRIGGER USER',
    'DROP TRIGGER audit_log_chain ON audit_log',
    'UPDATE audit_log SET action = action',
    'DELETE FROM audit_log',
    'TRUNCATE audit_log',
    'UPDATE audit_chain_head SET seq = 0',
    "INSERT INTO audit_chain_head (id, seq, hash) VALUES (true, 0, 'x')",
    'CREATE OR REPLACE FUNCTION audit_log_row_hash(r audit_log) RETURNS text LANGUAGE sql AS $$ SELECT 1::text $$',
  ])('is refused: %s', async (statement) => {
    // 42501: insufficient privilege, refused for want of the right before any trigger runs.
    expect(await refusal(app, statement)).toBe('42501 no right');
    expect(await verifyAuditChain(owner)).toMatchObject({ intact: true });
  });

  it('while the owner can turn the protection off, and the chain then shows what was changed', async () => {
    await owner.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
      await tx.execute(sql`update audit_log set entity_id = 'b' where chain_seq = 1`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
    });
    expect(await verifyAuditChain(app)).toMatchObject({ intact: false, position: 1 });
  });
});
