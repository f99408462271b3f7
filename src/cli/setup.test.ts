/**
 * `openehcp setup` as a council's technical person runs it (issue 26, "Setting up"): the built bin, in a child
 * process, on a new embedded database; then `openehcp serve` on a database with no council says what to do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, queryRows } from '../data/db.js';
import { requireBuilt, runCommand, startServe } from '../../test/command.js';
import { fillDataDir } from '../../test/dataDirs.js';

let root: string;
let dataDir: string;

const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  ...extra,
});
const openehcp = (args: string[], input?: string) =>
  runCommand(['setup', '--data-dir', dataDir, ...args], { env: env(), input });

const LINK = /^ {2}http:\/\/localhost:3000\/account\/set-up\/[A-Za-z0-9_-]{43}$/m;

beforeAll(() => {
  requireBuilt();
  root = mkdtempSync(path.join(tmpdir(), 'openehcp-setup-'));
  dataDir = path.join(root, 'data');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const args = (la: string, laName: string, email: string, name: string) => [
  '--la',
  la,
  '--la-name',
  laName,
  '--admin-email',
  email,
  '--admin-name',
  name,
];

describe('openehcp setup', () => {
  it('sets up a council and its first administrator, prints their set-up link, and adds a second administrator', async () => {
    const first = openehcp(args('801', 'Testshire County Council', 'ann@testshire.example', 'Ann Admin'));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'Set up LA 801 (Testshire County Council) with its first administrator, Ann Admin <ann@testshire.example>.',
    );
    // domain/access/accountLinks.ts: 3 days.
    expect(first.stdout).toMatch(/It works once, for 3 days \(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\):/);
    expect(first.stdout).toMatch(LINK);

    const second = openehcp(args('801', 'Testshire County Council', 'bob@testshire.example', 'Bob Admin'));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Added an administrator to LA 801 (Testshire County Council): Bob Admin');
    expect(second.stdout).toMatch(LINK);

    const database = await openDb({ dataDir });
    try {
      const rows = await queryRows<{ la_code: string; email: string; role: string; password_hash: string | null }>(
        database.db,
        sql`select r.la_code, u.email, r.role, u.password_hash from users u join role_assignments r on r.user_id = u.id order by u.email`,
      );
      // No demo county: only the council and its two administrators, neither with a password yet.
      expect(rows).toEqual([
        { la_code: '801', email: 'ann@testshire.example', role: 'admin', password_hash: null },
        { la_code: '801', email: 'bob@testshire.example', role: 'admin', password_hash: null },
      ]);
      const links = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from account_links where purpose = 'set_up' and used_at is null`,
      );
      expect(links[0]!.n).toBe(2);
    } finally {
      await database.close();
    }
  }, 120_000);

  it.each([
    [args('80', 'X Council', 'x@x.example', 'X'), 'openehcp: --la: must be the LA’s 3-digit DfE code, like 919'],
    [
      args('802', 'X Council', 'not-an-email', 'X'),
      'openehcp: --admin-email: must be an email address, like name@council.gov.uk',
    ],
    [
      args('801', 'Another Council', 'cat@testshire.example', 'Cat'),
      'openehcp: --la-name: LA 801 is already set up as Testshire County Council, not Another Council',
    ],
    [
      args('801', 'Testshire County Council', 'ANN@testshire.example', 'Ann'),
      'openehcp: --admin-email: ANN@testshire.example is already an administrator of LA 801',
    ],
    [
      ['--la', '803'],
      'openehcp: setup: give all of --la, --la-name, --admin-email and --admin-name, or none of them to be asked for each',
    ],
  ])('refuses %j with exit code 2 and one line', (given, message) => {
    const r = openehcp(given);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(message);
    expect(r.stdout).not.toMatch(LINK);
  });

  it('asks for each answer, again after a bad one, when given no options', () => {
    const r = openehcp(
      [],
      ['80', '804', 'Fourth Borough Council', 'not an email', 'dee@fourth.example', 'Dee Admin', ''].join('\n'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The council’s 3-digit DfE LA code (for example 919): ');
    expect(r.stdout).toContain('That must be the LA’s 3-digit DfE code, like 919. Try again.');
    expect(r.stdout).toContain('That must be an email address, like name@council.gov.uk. Try again.');
    expect(r.stdout).toContain(
      'Set up LA 804 (Fourth Borough Council) with its first administrator, Dee Admin <dee@fourth.example>.',
    );
    expect(r.stdout).toMatch(LINK);
    // An existing council is not asked for its name again.
    const again = openehcp([], ['804', 'eve@fourth.example', 'Eve Admin', ''].join('\n'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      'LA 804 is already set up as Fourth Borough Council: this adds an administrator to it.',
    );
    expect(again.stdout).toContain('Added an administrator to LA 804 (Fourth Borough Council): Eve Admin');
    // Input that ends before every answer is given: one line, exit 2.
    const cut = openehcp([], '805\n');
    expect(cut.code).toBe(2);
    expect(cut.stderr.trim()).toBe('openehcp: setup: standard input ended before every question was answered');
  }, 120_000);
});

describe('openehcp serve on a database with no council', () => {
  it('says to run openehcp setup, and its home page says the same', async () => {
    // A migrated database with nothing in it: a copy of the run's migrated folder (test/dataDirs.ts), as `openehcp
    // migrate` leaves a new one, rather than made again here (setup's test above starts from a new folder).
    const empty = path.join(root, 'empty');
    await fillDataDir(empty, 'migrated');
    const { url, output, child, exited } = await startServe(['--port', '0'], env({ DATA_DIR: empty }));
    expect(
      output()
        .split('\n')
        .filter((l) => l.includes('openehcp setup')),
    ).toEqual([
      'No council is set up yet: run `openehcp setup` to create your council and its first administrator (or `openehcp serve --demo` to try the demo county).',
    ]);
    const home = await fetch(url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('No council has been set up yet, so nobody can sign in.');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
