/**
 * `openehcp audit verify` and `openehcp retention` as an administrator runs them: the built command in a child
 * process, on the embedded demo county.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCommand } from '../../test/command.js';
import { fillDataDir } from '../../test/dataDirs.js';
import { openDb, queryRows } from '../data/db.js';

let dir: string;
const openehcp = (args: string[], env: Record<string, string> = {}) =>
  runCommand(args, {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATA_DIR: path.join(dir, 'data'), ...env },
    timeoutMs: 300_000,
  });

beforeAll(async () => {
  requireBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'openehcp-integrity-'));
  // The demo county at 5% of full size as of 28 November 2026, as `openehcp seed --demo --scale 0.05 --as-of
  // 2026-11-28` leaves it: seeded once per test run and copied (test/dataDirs.ts).
  await fillDataDir(path.join(dir, 'data'), 'demo');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openehcp retention', () => {
  it('reports, as CSV, the closed cases due for deletion by a day, with the rule for each', () => {
    const r = openehcp(['retention', 'report', '--la', '999', '--as-of', '2045-01-01']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('la_code,reference,kind,rule,closed_on,due_on');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) {
      expect(line).toMatch(
        /^999,[^,]+,case_with(out)?_plan,case_with(out)?_plan: 25 years from the child's date of birth,\d{4}-\d\d-\d\d,(20[0-3]\d|204[0-4])-\d\d-\d\d$/,
      );
    }
    expect(r.stderr).toBe(`${lines.length - 1} closed cases are due for deletion.\n`);
  });

  it('writes a reference that starts like a spreadsheet formula as text', async () => {
    const database = await openDb({ dataDir: path.join(dir, 'data') });
    await database.db.execute(
      sql`insert into children (la_code, reference, given_name, family_name, date_of_birth)
          values ('999', '=HYPERLINK("http://x.example")', 'A', 'B', '1990-01-01')`,
    );
    await database.close();
    const r = openehcp(['retention', 'report', '--as-of', '2045-01-01']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((line) => line.includes('HYPERLINK'))[0]).toMatch(
      /^999,"'=HYPERLINK\(""http:\/\/x\.example""\)",case_without_plan,/,
    );
  }, 120_000);

  it('a dry run lists what is due today and deletes nothing', () => {
    const before = openehcp(['retention', 'report']).stdout;
    const r = openehcp(['retention', 'run', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(before);
    expect(r.stderr).toMatch(/^Dry run \(nothing deleted\): \d+ closed cases? would be deleted\.\n$/);
    expect(openehcp(['retention', 'report']).stdout).toBe(before);
  });

  it.each([
    [['retention', 'run', '--as-of', '2099-01-01'], '--as-of: run deletes only what is due by today'],
    [['retention', 'report', '--la', '99'], 'must be a 3-digit LA code'],
    [['retention', 'report', '--as-of', '2026-02-30'], 'must be a real date'],
  ])('refuses %j with exit code 2 and one line', (args, message) => {
    const r = openehcp(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it('refuses a bad RETENTION_SCHEDULE with exit code 2 and one line naming the field', () => {
    const r = openehcp(['retention', 'report'], {
      RETENTION_SCHEDULE: '{"case_with_plan":{"from":"birth","years":25}}',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('openehcp: RETENTION_SCHEDULE case_with_plan.from: must be date_of_birth or closed\n');
  });
});

describe('openehcp audit verify', () => {
  it("prints 'N rows, chain intact' and exits 0 on the demo county", () => {
    const r = openehcp(['audit', 'verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[1-9]\d* rows, chain intact\n$/);
  });

  it('exits 1 naming the first row changed behind its protections', async () => {
    const database = await openDb({ dataDir: path.join(dir, 'data') });
    const [first] = await queryRows<{ id: number }>(database.db, sql`select min(id)::int as id from audit_log`);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
      await tx.execute(sql`update audit_log set ip = '10.0.0.1' where id = ${first!.id}`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
    });
    await database.close();
    const r = openehcp(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `chain broken at row ${first!.id} (position 1): its contents do not match its hash: it was changed after it was written\n`,
    );
  }, 120_000);
});
