/**
 * One process per embedded database folder. PGlite keeps no lock of its own, and two processes writing one folder
 * corrupt it (each keeps its own copy of the database in memory and writes it back over the other's). So the process
 * that opens a folder first creates `openehcp.lock` in it, exclusively, holding its process id, host and start time;
 * any other process finds it and is refused. The file is removed on close and on exit; after a crash (kill -9) it
 * stays, and the next process finds the process it names gone (or a different process with the same id, which started
 * at another time) and takes the folder over.
 *
 * Not a library's timed lock (refreshed on a timer, stale when not refreshed for some seconds): that would make a
 * restart after a crash wait out the stale time, and would call the lock lost whenever a long query in PGlite (which
 * runs on the main thread) kept the timer from firing.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'openehcp.lock';

interface Holder {
  pid: number;
  host: string;
  /** Linux: the process's start time (clock ticks since boot), so that a new process given the same id is told apart. */
  start: string | null;
}

/** The folders this process holds: a second open in the same process is refused too. */
const heldHere = new Set<string>();

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name (which is in parentheses and may hold spaces).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process of this host with this id is running (one we may not signal is running too). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | null {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string'
      ? { pid: holder.pid, host: holder.host, start: holder.start ?? null }
      : null;
  } catch {
    // Unreadable or half-written (a crash while writing it): nobody can hold a folder with it.
    return null;
  }
}

/** Whether the process a lock file names is still running (a lock from another machine counts as held). */
function holds(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return false; // not this process (it would be in heldHere): an earlier one
  if (!processExists(holder.pid)) return false;
  const start = startTimeOf(holder.pid);
  return holder.start === null || start === null || start === holder.start;
}

export class DataDirInUseError extends Error {}

/**
 * Takes the folder for this process, or throws DataDirInUseError naming who has it. Returns the release function
 * (also run when the process exits).
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  if (heldHere.has(dir))
    throw new DataDirInUseError(`the embedded database in ${dataDir} is already open in this process`);
  const me: Holder = { pid: process.pid, host: hostname(), start: startTimeOf(process.pid) };
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written whole to a file of our own, then linked into place: the lock file appears complete or not at all.
    const mine = `${file}.${process.pid}`;
    const fd = openSync(mine, 'w');
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(mine, file);
      unlinkSync(mine);
      heldHere.add(dir);
      const release = () => {
        if (!heldHere.delete(dir)) return;
        process.off('exit', release);
        if (readHolder(file)?.pid === process.pid) unlinkSync(file);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      unlinkSync(mine);
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (holder && holds(holder)) {
      const where = holder.host === me.host ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
      throw new DataDirInUseError(
        `the embedded database in ${dataDir} is in use by ${where}: stop it first (one process at a time may use the folder; several need PostgreSQL, DATABASE_URL)`,
      );
    }
    // Left by a process that has stopped. Moved aside under a name of our own (if another process starting now moved
    // it first, this fails and we try again), then checked to be the one we judged, in case it was replaced meanwhile.
    const aside = `${file}.stale.${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = readHolder(aside);
    if (moved && holder && moved.pid !== holder.pid) {
      // A live process took the folder between our reading and moving its file: put it back, and try again.
      try {
        linkSync(aside, file);
      } catch {
        /* someone else has the folder now: the next attempt says who */
      }
    }
    unlinkSync(aside);
  }
  throw new DataDirInUseError(`the embedded database in ${dataDir} could not be locked: try again`);
}
