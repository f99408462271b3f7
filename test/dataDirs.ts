/**
 * Embedded-database folders (PGlite on disk) for the tests of the built command in a child process
 * (src/cli/*.test.ts, src/data/dataDirLock.test.ts), made once per test run by the command itself and copied into
 * each test file's folder.
 *
 * A command on a new folder first creates the database (PGlite's initdb) and migrates it, and `seed --demo` then loads
 * the demo county: on CI's 2 cores each took longer than the commands the files test. Each folder is made the first
 * time a test file asks for it, by whichever file asks first (the others wait for it), in the run's folder that vitest's
 * globalSetup makes and removes (test/globalSetup.ts); the rest copy it. Outside vitest, or without the globalSetup,
 * each file runs the commands into its own folder as before.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from './command.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder the run's embedded-database folders are made in (test/dataDirs.ts). */
    testDataDirs: string;
  }
}

/** What a folder holds: the migrated, empty database; or the demo county loaded into it. */
export type DataDirContent = 'migrated' | 'demo';

/** The commands that make each folder, run on a copy of `from` (or a new folder). */
const MADE_BY: Record<DataDirContent, { from?: DataDirContent; args: string[] }> = {
  migrated: { args: ['migrate'] },
  // The demo county at 5% of full size (840 requests, 650 active plans), as of 28 November 2026.
  demo: { from: 'migrated', args: ['seed', '--demo', '--scale', '0.05', '--as-of', '2026-11-28'] },
};

/** How long a file waits for another to make a folder before it gives up. */
const WAIT_MS = 280_000;

/** Runs the commands that make `content` in `dataDir` (which holds a copy of what it is made from). */
function make(content: DataDirContent, dataDir: string): void {
  const r = runCommand(MADE_BY[content].args, {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    timeoutMs: 300_000,
  });
  if (r.code !== 0) {
    throw new Error(`openehcp ${MADE_BY[content].args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  }
}

/** The run's folder, when this runs under vitest with its globalSetup. */
async function runFolder(): Promise<string | undefined> {
  if (!process.env.VITEST) return undefined;
  const { inject } = await import('vitest');
  return inject('testDataDirs');
}

/** Whether this process made the folder `building` (false: another has). */
function claim(building: string): boolean {
  try {
    mkdirSync(building);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** The run's copy of `content`: made here unless another file has made it or is making it. */
async function template(root: string, content: DataDirContent): Promise<string> {
  const done = path.join(root, content);
  const building = `${done}.building`;
  const until = Date.now() + WAIT_MS;
  while (!existsSync(done)) {
    if (!claim(building)) {
      // Another file is making it.
      if (Date.now() > until) throw new Error(`gave up waiting for another test file to make ${done}`);
      await sleep(250);
      continue;
    }
    try {
      const work = mkdtempSync(`${done}.work-`);
      const from = MADE_BY[content].from;
      if (from) cpSync(await template(root, from), work, { recursive: true });
      make(content, work);
      renameSync(work, done);
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
  }
  return done;
}

/**
 * Fills `dataDir` (new or empty) with an embedded database holding `content`, as the commands in MADE_BY leave it:
 * a copy of the run's, or made there when there is none.
 */
export async function fillDataDir(dataDir: string, content: DataDirContent): Promise<void> {
  const root = await runFolder();
  if (root) {
    cpSync(await template(root, content), dataDir, { recursive: true });
    return;
  }
  const from = MADE_BY[content].from;
  if (from) await fillDataDir(dataDir, from);
  make(content, dataDir);
}

/** For the globalSetup: the run's folder, and how to remove it. */
export async function createDataDirsFolder(): Promise<{ folder: string; remove: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'openehcp-test-datadirs-'));
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}
