/**
 * Opens the database: PostgreSQL when a connection string is given, else PGlite (PostgreSQL in WebAssembly) on disk.
 * Both run the same schema and the same SQL migrations.
 */
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PGlite } from '@electric-sql/pglite';
import { UserFacingError } from '../errors.js';
import { DataDirInUseError, lockDataDir } from './dataDirLock.js';
import * as schema from './schema.js';
import { SHIPPED_BANK_HOLIDAYS } from '../domain/dates/workingDays.js';
import { seedBankHolidaysIfEmpty } from './repositories/calendar.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs pending migrations. */
  migrate(): Promise<void>;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the underlying client, for bulk loading. */
  pglite?: PGlite;
  /**
   * Runs SQL text with positional values ($1, ...) on the same database, outside Drizzle: the shape pg-boss's `db`
   * option takes (src/jobs/runner.ts), so the job queue shares this connection pool, or PGlite's one connection.
   * Without values the text may hold several statements.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../src/data/migrations', import.meta.url));

export class DatabaseConfigError extends UserFacingError {}

export interface OpenDbOptions {
  /** postgres:// or postgresql:// URL. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; 'memory://' for an in-memory database. */
  dataDir?: string | undefined;
  /** On PostgreSQL, the most connections this process holds at once (10 unless given). */
  poolSize?: number | undefined;
  /**
   * PGlite only: a dump of a data directory (PGlite's `dumpDataDir`) that a new database starts as, through PGlite's
   * `loadDataDir` option. The tests migrate one database per run and start each test file from its dump.
   */
  image?: Blob | undefined;
}

export async function openDb(options: OpenDbOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? 'memory://', options.image);
}

function describeUrl(url: URL): string {
  return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Database> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new DatabaseConfigError(
      'DATABASE_URL is not a valid URL: expected postgres://user:password@host:port/database',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new DatabaseConfigError(`DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//`);
  }
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use. /ready reports the outage.
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DatabaseConfigError(`cannot connect to the database at ${describeUrl(url)}: ${reason}`);
  }
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    migrate: async () => {
      // In production the service runs as a role that may not change the schema (docs/audit-log.md): when nothing is
      // pending it does not ask to.
      if (await migrationsPending(db)) await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
      await seedReferenceData(db);
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    executeSql: (text, values = []) => pool.query(text, values),
    close: () => pool.end(),
  };
}

/**
 * bytea (OID 17) to and from PGlite with Buffer's native hex coding. PGlite's own goes byte by byte through arrays of
 * strings: a 10 MB document took 36 s and 600 MB to store, blocking the service all that time.
 */
const BYTEA_AS_HEX = {
  serializers: {
    17: (x: Uint8Array) => `\\x${Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex')}`,
  },
  parsers: { 17: (x: string) => Buffer.from(x.slice(2), 'hex') },
};

async function openPglite(dataDir: string, image: Blob | undefined): Promise<Database> {
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  // One process per folder: a second one is refused before it reads anything (a stopped process's lock is taken over).
  let release = () => {};
  if (!dataDir.includes('://')) {
    mkdirSync(dataDir, { recursive: true });
    try {
      release = lockDataDir(dataDir);
    } catch (err) {
      if (err instanceof DataDirInUseError) throw new DatabaseConfigError(err.message);
      throw err;
    }
  }
  let client: PGlite;
  try {
    client = await PGliteClass.create(dataDir, { ...BYTEA_AS_HEX, ...(image ? { loadDataDir: image } : {}) });
  } catch (err) {
    release();
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DatabaseConfigError(`cannot open the embedded database in ${dataDir}: ${reason}`);
  }
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    migrate: async () => {
      await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
      await seedReferenceData(db);
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    executeSql: async (text, values = []) => {
      // PGlite's query() takes one statement; exec() takes several but no values (each waits its turn on the one
      // connection, never inside another caller's transaction).
      if (values.length > 0) return client.query(text, values);
      try {
        const results = await client.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      } catch (err) {
        // A failed BEGIN ... COMMIT block leaves the connection in the aborted transaction (PostgreSQL ends it when
        // the simple query fails; PGlite's exec does not): end it, as the next caller needs the connection.
        if (client.isInTransaction()) await client.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * Whether the database lacks a migration in MIGRATIONS_FOLDER, by the rule Drizzle's migrator applies: a migration is
 * pending when it was made after the last one the database recorded.
 */
async function migrationsPending(db: Db): Promise<boolean> {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  const newest = Math.max(...journal.entries.map((e) => e.when));
  const [table] = await queryRows<{ found: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as found`,
  );
  if (!table?.found) return true;
  const [row] = await queryRows<{ applied: string | null }>(
    db,
    sql`select max(created_at)::text as applied from drizzle.__drizzle_migrations`,
  );
  return row?.applied == null || Number(row.applied) < newest;
}

/** Reference data a new database starts with: the shipped bank holidays (the live copy an admin can extend). */
async function seedReferenceData(db: Db): Promise<void> {
  await seedBankHolidaysIfEmpty(db, SHIPPED_BANK_HOLIDAYS);
}

/** Rows of a raw SQL query, the same shape on PGlite and node-postgres. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/** The PostgreSQL error code of a failed query (drizzle wraps driver errors; the code is on the cause). */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The name of the constraint a refused write broke, from the database's error (wrapped or not). */
export function pgConstraint(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const constraint = (e as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
  }
  return undefined;
}

/**
 * Runs queries one after another and returns their results in order. Inside a transaction every query goes to the
 * same connection, so running them "in parallel" gains nothing (and node-postgres warns against it).
 */
export async function inOrder<T extends readonly (() => PromiseLike<unknown>)[]>(
  ...queries: T
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const q of queries) results.push(await q());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

const preparedByDb = new WeakMap<object, Map<string, unknown>>();

/**
 * A query built once per database and then run by name with new values (`sql.placeholder`): Drizzle does not rebuild
 * its SQL on every call, and PostgreSQL parses it once per connection and can keep its plan. For the queries behind
 * every page (the session, the signed-in user, the caseload). `name` must be unique to the query's text.
 */
export function prepared<T>(db: Db, name: string, build: () => T): T {
  let byName = preparedByDb.get(db);
  if (!byName) {
    byName = new Map();
    preparedByDb.set(db, byName);
  }
  let query = byName.get(name) as T | undefined;
  if (query === undefined) {
    query = build();
    byName.set(name, query);
  }
  return query;
}
