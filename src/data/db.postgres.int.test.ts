/**
 * The PostgreSQL connection pool's size (DATABASE_POOL_SIZE, or as the service chooses for its processes). PostgreSQL
 * only: the test script runs `*.postgres.int.test.ts` files only in its PostgreSQL run, and they fail without
 * TEST_DATABASE_URL.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase, usingPostgres } from '../../test/db.js';
import { openDb, type Database } from './db.js';

let server: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  if (!usingPostgres) throw new Error('this test needs a PostgreSQL server: set TEST_DATABASE_URL');
  server = await createPostgresTestDatabase();
});
afterAll(async () => {
  await server?.drop();
});

/** The server processes (one per connection) that answer `queries` queries sent at once. */
async function connectionsUsed(database: Database, queries: number): Promise<number> {
  const answers = await Promise.all(
    Array.from({ length: queries }, () => database.db.execute(sql`select pg_backend_pid() as pid, pg_sleep(0.05)`)),
  );
  return new Set(answers.map((a) => (a as { rows: { pid: number }[] }).rows[0]!.pid)).size;
}

describe('the connection pool', () => {
  it('holds at most the connections it is given, and 10 when not told', async () => {
    const small = await openDb({ databaseUrl: server.url, poolSize: 3 });
    try {
      expect(await connectionsUsed(small, 12)).toBe(3);
    } finally {
      await small.close();
    }
    const unsized = await openDb({ databaseUrl: server.url });
    try {
      expect(await connectionsUsed(unsized, 12)).toBe(10);
    } finally {
      await unsized.close();
    }
  });
});
