/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a throwaway database on the
 * PostgreSQL server named by TEST_DATABASE_URL (CI runs the integration tests both ways).
 *
 * The migrations run once per test run, in vitest's globalSetup (test/globalSetup.ts, `createTemplates`), into three
 * templates: the migrated database, the same with the small fixture (test/fixtures.ts) seeded, and the same with the
 * demo county (TEST_DEMO) loaded instead, which several files read. On PGlite a
 * template is a dump of the data directory (PGlite's `dumpDataDir`) that each test database is loaded from
 * (`loadDataDir`); on PostgreSQL it is a database that each test database is created from (`CREATE DATABASE ...
 * TEMPLATE`). Each test file still gets a database of its own. Outside vitest (bench/) or without the globalSetup,
 * each database is migrated (and seeded) as before.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb, type Database } from '../src/data/db.js';
import { localDate } from '../src/domain/dates/localDate.js';
import { generateDemoCounty, type DemoCounty } from '../src/demo/generate.js';
import { seedFixture } from './fixtures.js';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * What a test database starts as: migrated and empty, migrated with the small fixture (test/fixtures.ts), or migrated
 * with the demo county of TEST_DEMO.
 */
export type TestDbContent = 'migrated' | 'fixture' | 'demo';

/** The demo county the 'demo' template holds: at 5% of full size, as of 28 November 2026, loaded with seed 1. */
export const TEST_DEMO = { asOf: '2026-11-28', scale: 0.05, seed: 1 } as const;

/** The county TEST_DEMO generates (the same every time): what a test compares the database's figures with. */
export function testDemoCounty(): DemoCounty {
  return generateDemoCounty({ asOf: localDate(TEST_DEMO.asOf), scale: TEST_DEMO.scale });
}

async function loadTestDemo(database: Database): Promise<void> {
  // Loaded here only when a template is made (or without the globalSetup), not by every file that opens a database.
  const { loadDemoCounty } = await import('../src/demo/load.js');
  await loadDemoCounty(database, testDemoCounty(), { seed: TEST_DEMO.seed });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The databases test databases start from: PGlite dumps' files, or PostgreSQL databases' names. */
    testDbTemplates: Record<TestDbContent, string>;
  }
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

async function onServer(query: string): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(query);
  } finally {
    await admin.end();
  }
}

/** A throwaway database on the PostgreSQL server named by TEST_DATABASE_URL: its URL, and how to drop it. */
export async function createPostgresTestDatabase(
  template?: string,
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `openehcp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(template ? `create database ${name} template ${template}` : `create database ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onServer(`drop database if exists ${name} with (force)`),
  };
}

async function pgliteDump(database: Database, file: string): Promise<void> {
  const image = await database.pglite!.dumpDataDir('none');
  await writeFile(file, Buffer.from(await image.arrayBuffer()));
}

/**
 * The templates for the whole run (globalSetup): what `testDbTemplates` names, and how to remove them.
 */
export async function createTemplates(): Promise<{
  templates: Record<TestDbContent, string>;
  remove: () => Promise<void>;
}> {
  if (usingPostgres) {
    // CREATE DATABASE ... TEMPLATE needs the template to have no connections: each is closed once written.
    const migrated = await createPostgresTestDatabase();
    let fixture: Awaited<ReturnType<typeof createPostgresTestDatabase>> | undefined;
    let demo: Awaited<ReturnType<typeof createPostgresTestDatabase>> | undefined;
    const remove = async () => {
      await demo?.drop();
      await fixture?.drop();
      await migrated.drop();
    };
    try {
      const database = await openDb({ databaseUrl: migrated.url, poolSize: 1 });
      await database.migrate().finally(() => database.close());
      fixture = await createPostgresTestDatabase(migrated.name);
      const seeded = await openDb({ databaseUrl: fixture.url, poolSize: 1 });
      await seedFixture(seeded).finally(() => seeded.close());
      demo = await createPostgresTestDatabase(migrated.name);
      const county = await openDb({ databaseUrl: demo.url, poolSize: 1 });
      await loadTestDemo(county).finally(() => county.close());
    } catch (err) {
      await remove();
      throw err;
    }
    return { templates: { migrated: migrated.name, fixture: fixture.name, demo: demo.name }, remove };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'openehcp-test-templates-'));
  const templates = {
    migrated: path.join(dir, 'migrated.tar'),
    fixture: path.join(dir, 'fixture.tar'),
    demo: path.join(dir, 'demo.tar'),
  };
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const database = await openDb({ dataDir: 'memory://' });
    try {
      await database.migrate();
      await pgliteDump(database, templates.migrated);
      await seedFixture(database);
      await pgliteDump(database, templates.fixture);
    } finally {
      await database.close();
    }
    const county = await openDb({ dataDir: 'memory://', image: new Blob([await readFile(templates.migrated)]) });
    try {
      await loadTestDemo(county);
      await pgliteDump(county, templates.demo);
    } finally {
      await county.close();
    }
  } catch (err) {
    await remove();
    throw err;
  }
  return { templates, remove };
}

/** The template globalSetup made, when this runs under vitest with it. */
async function template(content: TestDbContent): Promise<string | undefined> {
  if (!process.env.VITEST) return undefined;
  const { inject } = await import('vitest');
  return inject('testDbTemplates')?.[content];
}

const pgliteImages = new Map<string, Promise<Blob>>();

/**
 * A database of this test file's own, migrated; with the fixture seeded when `content` is 'fixture', the demo county
 * of TEST_DEMO loaded when it is 'demo'.
 */
export async function openTestDb(content: TestDbContent = 'migrated'): Promise<Database> {
  const from = await template(content);
  let database: Database;
  if (!usingPostgres) {
    if (from) {
      // Read once per test file's process; each database is loaded from it.
      let image = pgliteImages.get(from);
      if (!image) {
        image = readFile(from).then((bytes) => new Blob([bytes]));
        pgliteImages.set(from, image);
      }
      return openDb({ dataDir: 'memory://', image: await image });
    }
    database = await openDb({ dataDir: 'memory://' });
  } else {
    const { url, drop } = await createPostgresTestDatabase(from);
    database = await openDb({ databaseUrl: url });
    const close = database.close.bind(database);
    database.close = async () => {
      await close();
      await drop();
    };
    if (from) return database;
  }
  await database.migrate();
  if (content === 'fixture') await seedFixture(database);
  if (content === 'demo') await loadTestDemo(database);
  return database;
}
