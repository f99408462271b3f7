/**
 * `openehcp sen2` as a data team runs it (contracts/cli.md): the built command in a child process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCommand } from '../../test/command.js';
import { fillDataDir } from '../../test/dataDirs.js';
import { sampleReturn } from '../../test/sen2.js';
import { writeSen2 } from '../domain/sen2/writer.js';
import { CSV_COLUMNS, readSen2Csv } from '../domain/sen2/csv.js';

let dir: string;
const openehcp = (args: string[]) =>
  runCommand(args, {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATA_DIR: path.join(dir, 'data') },
  });
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

beforeAll(async () => {
  requireBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'openehcp-sen2-'));
  // A migrated, empty database, as `openehcp migrate` leaves it (each command migrates first): made once per test run
  // and copied (test/dataDirs.ts).
  await fillDataDir(path.join(dir, 'data'), 'migrated');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openehcp sen2 validate', () => {
  it('exits 0 with nothing to say about a sound return', () => {
    const r = openehcp(['sen2', 'validate', file('ok.xml', writeSen2(sampleReturn(2026), 2026))]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('prints one line per problem and exits 1 when any is an error', () => {
    const xml = writeSen2(sampleReturn(2026), 2026)
      .replace('<Ethnicity>MWBC</Ethnicity>', '')
      .replace('<RequestSource>1</RequestSource>', '');
    const r = openehcp(['sen2', 'validate', file('bad.xml', xml)]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.every((l) => /^(ERROR|QUERY) \/Message\S*: \S/.test(l))).toBe(true);
    expect(lines).toContain(
      'ERROR /Message/Persons/Person[2]/Ethnicity: the ethnicity is required (a CBDS code, or REFU or NOBT)',
    );
    expect(lines).toContain(
      'ERROR /Message/Persons/Person[1]/Requests[1]/RequestSource: who made the request is required from the 2026 return',
    );
    // The schema's own complaint, placed by path rather than line.
    expect(
      lines.some((l) => l.startsWith('ERROR /Message/Persons/Person[2]/UPNunknown: This element is not expected')),
    ).toBe(true);
  });

  it('refuses a hostile file as an error, and a missing file as bad input (exit 2, one line)', () => {
    const hostile = openehcp([
      'sen2',
      'validate',
      file(
        'evil.xml',
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>',
      ),
    ]);
    expect(hostile.code).toBe(1);
    expect(hostile.stdout).toMatch(/^ERROR \/Message: the file has a document type declaration/);
    const missing = openehcp(['sen2', 'validate', path.join(dir, 'nope.xml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`openehcp: cannot read ${path.join(dir, 'nope.xml')} (ENOENT)\n`);
  });
});

describe('openehcp sen2 export and import', () => {
  it('refuses a year it cannot make, and an LA the database does not hold', () => {
    const year = openehcp(['sen2', 'export', '--year', '2024']);
    expect(year.code).toBe(2);
    expect(year.stderr).toBe('openehcp: --year: the product makes the 2025 and 2026 returns\n');
    const la = openehcp(['sen2', 'export', '--year', '2026', '--la', '901']);
    expect(la.code).toBe(2);
    expect(la.stderr).toBe('openehcp: --la: there is no local authority 901 in this database\n');
  });

  it('refuses an import whose LA or year cannot be known, before opening the database (exit 2, one line)', () => {
    const csv = file('no-la.csv', 'surname,forename,date_of_birth,request_outcome\nNgata,Aroha,2015-03-02,A\n');
    const noLa = openehcp(['sen2', 'import', csv]);
    expect([noLa.code, noLa.stdout]).toEqual([2, '']);
    expect(noLa.stderr).toBe('openehcp: --la: give the LA code to import into (a CSV file does not say)\n');
    const year = openehcp(['sen2', 'import', csv, '--la', '901', '--year', '2024']);
    expect([year.code, year.stdout]).toEqual([2, '']);
    expect(year.stderr).toBe('openehcp: --year: the product knows the 2025 and 2026 collections\n');
  });

  it('imports a CSV into a new LA (a dry run first), then exports it', () => {
    const csv = file(
      'cases.csv',
      [
        'surname,forename,date_of_birth,sex,ethnicity,upn_unknown,received_date,request_source,request_outcome,request_outcome_date',
        'Ngata,Aroha,2015-03-02,F,WBRI,UN8,2025-02-03,1,N,2025-03-10',
        'Ngata,Tama,2016-02-28,M,MWBA,UN8,2025-09-01,2,A,',
      ].join('\n'),
    );
    const noName = openehcp(['sen2', 'import', csv, '--la', '901']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toBe('openehcp: --la: there is no local authority 901 here: give --la-name to add it\n');

    const dry = openehcp([
      'sen2',
      'import',
      csv,
      '--la',
      '901',
      '--la-name',
      'Test Borough',
      '--year',
      '2026',
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      'line 2: new child, 1 request and 0 plans to create\nline 3: new child, 1 request and 0 plans to create\n',
    );
    expect(dry.stderr).toContain('Dry run (nothing written): would create 2 children, 2 requests, 0 plans');

    const done = openehcp(['sen2', 'import', csv, '--la', '901', '--la-name', 'Test Borough', '--year', '2026']);
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('Imported: 2 children, 2 requests, 0 plans');

    const out = path.join(dir, 'SEN2_901_2026.xml');
    const exported = openehcp(['sen2', 'export', '--year', '2026', '--la', '901', '--out', out]);
    expect(exported.code).toBe(0);
    // The header's designated officers are not yet given for the new LA: an error for each of the three, and the
    // schema's own (DMO and DCO are required elements).
    expect(exported.stderr).toBe(
      `SEN2 2026 for Test Borough (901): 2 persons, 4 errors, 0 queries, written to ${out}.\n`,
    );
    const check = openehcp(['sen2', 'validate', out]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      'ERROR /Message/Header/Source/DMO: say whether the LA has a designated medical officer',
    );
  });
});

describe('the import CSV format', () => {
  it('is documented as it is: docs/sen2-import.md lists every column and its example reads cleanly', () => {
    const doc = readFileSync(new URL('../../docs/sen2-import.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(CSV_COLUMNS.map(([c]) => c));
    const example = /```csv\n([\s\S]*?)```/.exec(doc)![1]!;
    const read = readSen2Csv(example, 2026, '999');
    expect(read.problems).toEqual([]);
    expect(read.ret.persons).toHaveLength(1);
  });
});
