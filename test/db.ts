/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a throwaway database on the
 * PostgreSQL server named by TEST_DATABASE_URL (CI runs the integration tests both ways).
 */
import { randomBytes } from 'node:crypto';
import { openDb, type Database } from '../src/data/db.js';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** A throwaway database on the PostgreSQL server named by TEST_DATABASE_URL: its URL, and how to drop it. */
export async function createPostgresTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const { default: pg } = await import('pg');
  const name = `openehcp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export async function openTestDb(): Promise<Database> {
  if (!usingPostgres) {
    const database = await openDb({ dataDir: 'memory://' });
    await database.migrate();
    return database;
  }
  const { url, drop } = await createPostgresTestDatabase();
  const database = await openDb({ databaseUrl: url });
  await database.migrate();
  const close = database.close.bind(database);
  database.close = async () => {
    await close();
    await drop();
  };
  return database;
}
