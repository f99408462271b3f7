/**
 * The command as a user runs it: the built bin, in a child process, with its exit code and output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDb, queryRows } from '../data/db.js';
import { requireBuilt, runCommand, startServe } from '../../test/command.js';

let dataDir: string;

const openehcp = (args: string[], env: Record<string, string> = {}) =>
  runCommand(args, { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATA_DIR: dataDir, ...env } });

beforeAll(() => {
  requireBuilt();
  dataDir = mkdtempSync(path.join(tmpdir(), 'openehcp-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('openehcp command', () => {
  it('prints help and exits 0', () => {
    const r = openehcp(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('serve');
    expect(r.stdout).toContain('migrate');
    expect(r.stdout).toContain('seed');
  });

  it.each([
    [['frobnicate'], 'unknown command'],
    [['seed'], "required option '--demo'"],
    [['seed', '--demo', '--as-of', '2025-02-30'], 'must be a real date'],
    [['seed', '--demo', '--scale', '2'], 'must be a number above 0 and at most 1'],
    [['serve', '--port', 'eighty'], '--port must be a whole number'],
    [['serve', '--processes', '0'], '--processes must be a whole number from 1 to 32'],
    [['serve', '--processes', '2'], 'more than one process needs PostgreSQL (DATABASE_URL)'],
  ])('refuses bad input %j with exit code 2 and one line', (args, message) => {
    const r = openehcp(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it('stops with one clear line on a bad DATABASE_URL', () => {
    const bad = openehcp(['migrate'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('openehcp: DATABASE_URL must start with postgres:// or postgresql://, not mysql://');
    const unreachable = openehcp(['migrate'], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none' });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toContain('cannot connect to the database at 127.0.0.1:1/none');
  });

  it('stops with one clear line when a production setting is missing', () => {
    const r = openehcp(['serve'], { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'openehcp: SESSION_SECRET is required when NODE_ENV=production and must be at least 32 characters',
    );
  });

  it('migrates, seeds a small demo county once, and refuses to seed it again', () => {
    expect(openehcp(['migrate']).code).toBe(0);
    const first = openehcp(['seed', '--demo', '--scale', '0.01', '--as-of', '2026-11-28']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('caseworker@demo-county.example');
    expect(first.stderr).toContain('Loaded Demo County Council');
    const second = openehcp(['seed', '--demo', '--scale', '0.01']);
    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toBe('openehcp: the database already holds LA 999 (Demo County Council)');
  }, 300_000);

  it('backs the seeded county up and restores it into a new folder, refusing bad input with one line', async () => {
    const file = path.join(dataDir, '..', `${path.basename(dataDir)}.backup`);
    onTestFinished(() => rmSync(file, { force: true }));
    const backup = openehcp(['backup', '--out', file]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(
      new RegExp(`^Backed up the embedded database in ${dataDir}: [\\d,]+ rows in \\d+ tables, to ${file} `),
    );
    // An existing file is not written over; a folder in use elsewhere, or holding data, is not restored into.
    expect(openehcp(['backup', '--out', file])).toMatchObject({
      code: 2,
      stderr: `openehcp: --out: ${file} already exists: give a new file name\n`,
    });
    expect(openehcp(['restore', file])).toMatchObject({
      code: 2,
      stderr: 'openehcp: the database already holds data: restoring would replace all of it (add --force to do so)\n',
    });
    expect(openehcp(['restore', `${file}.missing`])).toMatchObject({
      code: 2,
      stderr: `openehcp: cannot read ${file}.missing (ENOENT)\n`,
    });
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'openehcp-cli-restore-'));
    onTestFinished(() => rmSync(elsewhere, { recursive: true, force: true }));
    const restored = openehcp(['restore', file], { DATA_DIR: elsewhere });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`^Restored the embedded database in ${elsewhere} from ${file} `));
    // The job queue is not in the backup, but its tables and queues are made, as `migrate` makes them.
    const database = await openDb({ dataDir: elsewhere });
    try {
      const queues = await queryRows<{ name: string }>(database.db, sql`select name from pgboss.queue order by name`);
      expect(queues.map((q) => q.name)).toEqual(
        expect.arrayContaining(['advice-chasers', 'measures-refresh', 'forecasts-refresh']),
      );
    } finally {
      await database.close();
    }
    // The restored folder holds the county: seeding it again is refused as in the original.
    const seeded = openehcp(['seed', '--demo', '--scale', '0.01'], { DATA_DIR: elsewhere });
    expect(seeded.stderr.trim()).toBe('openehcp: the database already holds LA 999 (Demo County Council)');
  }, 300_000);

  it('serves the seeded county, reports ready, and stops cleanly on SIGTERM', async () => {
    const { url, output, child, exited } = await startServe(['--port', '0'], {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    expect(output()).toContain('parent@demo-county.example');
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    // An address over Node's header limit gets the service's short page, not a bare status line.
    const tooLong = await fetch(`${url}/cases/${'x'.repeat(20_000)}`);
    expect(tooLong.status).toBe(431);
    expect(await tooLong.text()).toContain('The web address is too long');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
