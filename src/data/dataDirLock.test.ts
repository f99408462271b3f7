/**
 * One process per embedded database folder (issue 23 item 4), with real processes of the built command: while the
 * service runs on a folder, another command on the same folder is refused with one line and exit code 2 (it used to
 * go ahead, and the two copies of the database wrote over each other); after the service is killed (kill -9, no
 * chance to clean up) the next command and a restarted service take the folder over at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, requireBuilt, runCommand } from '../../test/command.js';
import { fillDataDir } from '../../test/dataDirs.js';
import { LOCK_FILE } from './dataDirLock.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const started: ChildProcess[] = [];

beforeAll(async () => {
  requireBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'openehcp-lock-'));
  env = { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATA_DIR: dir, LOG_LEVEL: 'silent' };
  // The schema made once, so that each start below is quick: a copy of the run's migrated folder, as `openehcp
  // migrate` leaves it (test/dataDirs.ts).
  await fillDataDir(dir, 'migrated');
}, 300_000);
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts `openehcp serve` on the folder and resolves as soon as it prints that it is running (and, when `answered`,
 * once it has answered a request). A SIGTERM the moment that line appears must stop it cleanly: the service once wrote
 * the line before it installed its SIGTERM handler, and a SIGTERM in between killed it outright, with no exit code.
 */
async function serve(answered = true): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { env });
  started.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const running = /OpenEHCP is running at (\S+)/.exec(out);
      if (running) resolve(running[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve stopped (${code}) before it started`)));
  });
  if (answered) expect((await fetch(`${url}/health`)).status).toBe(200);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));

describe('one process per embedded database folder', () => {
  it('refuses a second process with one line and exit code 2, and is not blocked by a killed one’s lock', async () => {
    const service = await serve();
    const lock = path.join(dir, LOCK_FILE);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: service.pid });

    // The case: an import (here of an LA the database does not hold) on the folder the service is using.
    for (const args of [['migrate'], ['sen2', 'export', '--year', '2026', '--la', '777']]) {
      const second = runCommand(args, { env });
      expect(second.code).toBe(2);
      expect(second.stderr).toBe(
        `openehcp: the embedded database in ${dir} is in use by process ${service.pid}: stop it first ` +
          '(one process at a time may use the folder; several need PostgreSQL, DATABASE_URL)\n',
      );
    }

    // A crash leaves the lock file behind ...
    service.kill('SIGKILL');
    await exited(service);
    expect(existsSync(lock)).toBe(true);
    // ... and the next process takes the folder over at once.
    expect(runCommand(['migrate'], { env })).toMatchObject({ code: 0, stdout: 'The database schema is up to date.\n' });
    expect(existsSync(lock)).toBe(false);

    // So does a restarted service, after another crash; and one that stops normally removes its lock.
    const again = await serve();
    again.kill('SIGKILL');
    await exited(again);
    const restarted = await serve(false);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: restarted.pid });
    // Stopped the moment it says it is running: cleanly, with exit code 0, removing its lock.
    restarted.kill('SIGTERM');
    await exited(restarted);
    expect(restarted.exitCode).toBe(0);
    expect(existsSync(lock)).toBe(false);
  }, 300_000);
});
