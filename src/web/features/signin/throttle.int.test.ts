/**
 * Sign-in throttling under a parallel attack (issue 23, item 1). Each attempt is counted, in one atomic statement,
 * before its password is checked, so 25 wrong passwords sent at the same moment count 25, not 1: the policy
 * (DEFAULT_THROTTLE, 5 failures per account and 30 per address in 15 minutes, then a 15-minute lock) holds however
 * the attempts are timed. Runs on PGlite (one connection: the requests interleave at every await, and the password
 * checks run together on libuv's thread pool) and on PostgreSQL (TEST_DATABASE_URL: a pool of connections).
 */
import type { Server } from 'node:http';
import { and, eq, sql } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, TEST_NOW, testApp } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { PASSWORD, type Fixture } from '../../../../test/fixtures.js';
import { type Database, queryRows } from '../../../data/db.js';
import { countAttempt } from '../../../data/repositories/throttle.js';
import { auditLog } from '../../../data/schema.js';
import { DEFAULT_THROTTLE } from '../../../services/auth.js';

let database: Database;
let fixture: Fixture;
const servers: Server[] = [];

beforeAll(async () => {
  ({ database, fixture } = await setUpIntegration({ app: false }));
});
afterAll(async () => {
  for (const s of servers) s.close();
  await database.close();
});

/** One listening server (behind a trusted proxy, so X-Forwarded-For names the client) for a test's requests. */
function serve(throttle = DEFAULT_THROTTLE): Server {
  const server = testApp(database, { throttle }, true).app.listen(0);
  servers.push(server);
  return server;
}

/** A sign-in form's session and CSRF token, and a way to post it from a given address. */
async function signInForm(server: Server) {
  const agent = supertest.agent(server);
  const token = csrfFrom((await agent.get('/sign-in').expect(200)).text);
  return (ip: string, email: string, password: string) =>
    agent.post('/sign-in').set('X-Forwarded-For', ip).type('form').send({ _csrf: token, email, password });
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

async function auditCount(userId: string, action: string): Promise<number> {
  const rows = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.userId, userId), eq(auditLog.action, action)));
  return rows[0]!.n;
}

describe('sign-in throttling under parallel requests', () => {
  it('counts 25 simultaneous wrong passwords for one account as 25: 5 checked, 20 refused, and the right password is then refused', async () => {
    const post = await signInForm(serve());
    const target = fixture.users.caseworker2!;
    // From 25 different addresses, so only the account's count can stop them.
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => post(`198.51.100.${i + 1}`, target.email, `wrong-${i}`)),
    );
    const max = DEFAULT_THROTTLE.account.maxFailures;
    expect(tally(results.map((r) => r.status))).toEqual({ 401: max, 429: 25 - max });
    for (const r of results.filter((x) => x.status === 429)) {
      expect(r.text).toContain('Too many attempts to sign in. Wait 15 minutes, then try again.');
      expect(r.headers['retry-after']).toBe('900');
    }

    const right = await post('198.51.100.200', target.email, PASSWORD);
    expect(right.status).toBe(429);

    // Every attempt is audited against the account it tried: 5 failures, one lock, 21 refusals.
    expect(await auditCount(target.id, 'sign_in_failed')).toBe(max);
    expect(await auditCount(target.id, 'sign_in_locked')).toBe(1);
    expect(await auditCount(target.id, 'sign_in_throttled')).toBe(25 - max + 1);
  });

  it('counts 25 simultaneous wrong passwords from one address across 25 accounts against the address', async () => {
    const strict = {
      account: DEFAULT_THROTTLE.account,
      ip: { maxFailures: 10, windowMinutes: 15, lockMinutes: 15 },
    };
    const post = await signInForm(serve(strict));
    const ip = '203.0.113.40';
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => post(ip, `nobody-${i}@example.org`, 'wrong')),
    );
    expect(tally(results.map((r) => r.status))).toEqual({ 401: 10, 429: 15 });
    // A real account's right password from the locked address is refused too.
    expect((await post(ip, fixture.users.qa!.email, PASSWORD)).status).toBe(429);
    // ... and from another address it signs in.
    expect((await post('203.0.113.41', fixture.users.qa!.email, PASSWORD)).status).toBe(303);
  });

  it("does not count an office's correct sign-ins against its shared address", async () => {
    const strict = {
      account: DEFAULT_THROTTLE.account,
      ip: { maxFailures: 3, windowMinutes: 15, lockMinutes: 15 },
    };
    const server = serve(strict);
    const ip = '203.0.113.50';
    for (const key of ['caseworker', 'manager', 'qa', 'board', 'data']) {
      const post = await signInForm(server);
      expect((await post(ip, fixture.users[key]!.email, PASSWORD)).status, key).toBe(303);
    }
    // Two wrong passwords there still leave one attempt before the lock.
    const post = await signInForm(server);
    expect((await post(ip, 'typo@example.org', 'wrong')).status).toBe(401);
    expect((await post(ip, 'typo@example.org', 'wrong')).status).toBe(401);
    expect((await post(ip, fixture.users.advice!.email, PASSWORD)).status).toBe(303);
  });

  it('starts an account again from nothing after a correct password', async () => {
    const server = serve();
    const post = await signInForm(server);
    const ip = '203.0.113.60';
    const email = fixture.users.board!.email;
    for (let i = 0; i < 4; i++) expect((await post(ip, email, 'wrong')).status).toBe(401);
    expect((await post(ip, email, PASSWORD)).status).toBe(303);
    const again = await signInForm(server);
    for (let i = 0; i < 4; i++) expect((await again(ip, email, 'wrong')).status).toBe(401);
  });
});

describe('the count of attempts (one statement per attempt)', () => {
  const limits = { maxFailures: 3, windowMinutes: 15, lockMinutes: 30 };
  const at = (minutes: number) => new Date(TEST_NOW.getTime() + minutes * 60_000);

  it('locks at the limit for the lock time, refuses during it, and starts again when it has passed', async () => {
    const key = 'count@example.org';
    const n = async (minutes: number) => (await countAttempt(database.db, 'account', key, limits, at(minutes))).attempt;
    expect([await n(0), await n(1), await n(2)]).toEqual([1, 2, 3]);
    const locked = await countAttempt(database.db, 'account', key, limits, at(3));
    // The third attempt (at minute 2) locked the key for 30 minutes: until minute 32.
    expect(locked).toEqual({ attempt: 4, lockedUntil: at(32) });
    expect(await n(31)).toBe(5);
    expect(await n(32)).toBe(1);
  });

  it('forgets failures older than the window', async () => {
    const key = 'window@example.org';
    const n = async (minutes: number) => (await countAttempt(database.db, 'account', key, limits, at(minutes))).attempt;
    expect([await n(0), await n(14)]).toEqual([1, 2]);
    // The window began at minute 0; at minute 15 it has passed, whatever happened in it.
    expect(await n(15)).toBe(1);
    const rows = await queryRows<{ failures: number }>(
      database.db,
      sql`select failures from sign_in_throttle where scope = 'account' and key = ${key}`,
    );
    expect(rows).toEqual([{ failures: 1 }]);
  });
});
