/**
 * The service as several processes on PostgreSQL (`serve --processes 2`): they share the port, the sessions and the
 * work, one runs the scheduled jobs, one that stops is replaced, and SIGTERM stops them all. PostgreSQL only (the
 * embedded database is one process's; cli.test.ts checks that more processes are refused there): the test script
 * runs `*.postgres.int.test.ts` files only in its PostgreSQL run, and they fail without TEST_DATABASE_URL.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { childrenOf } from '../../bench/cpu.js';
import { bin, requireBuilt, runCommand } from '../../test/command.js';
import { createPostgresTestDatabase, usingPostgres } from '../../test/db.js';

let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  if (!usingPostgres) throw new Error('this test needs a PostgreSQL server: set TEST_DATABASE_URL');
  requireBuilt();
  database = await createPostgresTestDatabase();
  const seeded = runCommand(['seed', '--demo', '--scale', '0.01', '--as-of', '2026-11-28'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATABASE_URL: database.url },
  });
  expect(seeded.code).toBe(0);
});
afterAll(async () => {
  await database?.drop();
});

/** A GET on a new connection each time, so that the port's processes take turns. */
function get(url: string, cookie = ''): Promise<{ status: number; cookie: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { cookie } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode!, cookie: (res.headers['set-cookie']?.[0] ?? '').split(';')[0]!, body }),
        );
      })
      .once('error', reject);
  });
}

async function until<T>(what: string, check: () => T | undefined | false, ms = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the service as several processes on PostgreSQL', () => {
  it('shares the port, the sessions and the work, replaces a process that stops, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--processes', '2'], {
      // No SESSION_SECRET: the processes must still agree on one.
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATABASE_URL: database.url, LOG_LEVEL: 'info' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
      for (const pid of childrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
    });
    const url = await until('the start-up line', () => /running at (http:\/\/\S+)/.exec(out)?.[1]);
    expect(out).toContain('(database: PostgreSQL; 2 processes; started in');
    // The address and the accounts are written once, by the first process.
    expect(out.match(/running at/g)).toHaveLength(1);
    expect(out.match(/Demo accounts/g)).toHaveLength(1);
    const workers = childrenOf(child.pid!);
    expect(workers).toHaveLength(2);

    // Sign in through one process; the session works in both.
    const signInPage = await get(`${url}/sign-in`);
    const token = /name="_csrf" value="([^"]+)"/.exec(signInPage.body)![1]!;
    const signedIn = await fetch(`${url}/sign-in`, {
      method: 'POST',
      headers: { cookie: signInPage.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, email: 'manager@demo-county.example', password: 'demo-county-2026' }),
      redirect: 'manual',
    });
    expect(signedIn.status).toBe(303);
    const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await get(`${url}/cases`, session)).status);
    expect(statuses).toEqual(Array(10).fill(200));
    const logLines = () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { pid: number; msg: string; req?: { url: string } });
    const servedBy = new Set(
      logLines()
        .filter((l) => l.req?.url === '/cases')
        .map((l) => l.pid),
    );
    expect([...servedBy].sort((a, b) => a - b)).toEqual(workers);

    // The scheduled work (measures, then forecasts) runs in one process only.
    await until('the forecasts', () => logLines().some((l) => l.msg === 'forecasts worked out'));
    const measured = logLines().filter((l) => l.msg === 'measures worked out');
    expect(measured).toHaveLength(1);
    expect(workers).toContain(measured[0]!.pid);

    // A process that stops is replaced, and pages go on being served.
    process.kill(workers[1]!, 'SIGKILL');
    const replaced = await until('a replacement', () => {
      const now = childrenOf(child.pid!);
      return now.length === 2 && !now.includes(workers[1]!) && now;
    });
    const replacement = replaced.find((p) => p !== workers[0])!;
    const servedByReplacement = () => logLines().some((l) => l.pid === replacement && l.req?.url === '/cases');
    // (It takes a few seconds to start; meanwhile the other process serves everything.)
    const until30s = Date.now() + 30_000;
    while (!servedByReplacement() && Date.now() < until30s) {
      expect((await get(`${url}/cases`, session)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(servedByReplacement()).toBe(true);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(childrenOf(child.pid!)).toEqual([]);
  });
});
