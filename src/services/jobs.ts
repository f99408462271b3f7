/**
 * Work that takes longer than a page should wait for (a forecast scenario, a large import), run as a job: started by
 * one person, its progress read by their page until it is done, kept for an hour. Starting one writes its row (with
 * its input) and hands it to the job queue (pg-boss, src/jobs/userJobs.ts), which gives it to a process of the service
 * to run (`runQueued`); without a queue (tests, one-off commands) it runs in this process at once. Its progress and
 * result are written to the database, so that whichever process serves the next page can show them. A limit on how
 * many of a kind run at once, and one at a time per person, keeps the service responsive.
 */
import { isUuid } from '../domain/identifiers/uuid.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../data/db.js';
import { processExists } from '../data/dataDirLock.js';
import {
  failRunningJobs,
  findJob,
  insertJob,
  lockAndListRunning,
  runningOwnersOn,
  takeJob,
  writeOutcome,
  writeProgress,
} from '../data/repositories/jobs.js';

export interface Job<R> {
  id: string;
  laCode: string;
  userId: string;
  startedAt: number;
  status: 'running' | 'done' | 'failed';
  /** What it is doing now, for the progress page. */
  step: string;
  done: number;
  total: number;
  result: R | null;
  error: string | null;
}

/** A job refused before it starts (too many running): shown to the user, nothing started. */
export class BusyError extends Error {}

/** Where a started job goes: to the job queue, which calls the board's runQueued in a process that takes it. */
export type Dispatch = (kind: string, id: string) => Promise<unknown>;

/** Which attempt this is (pg-boss retries a job that failed, when it has retries left). */
export interface Attempt {
  retryCount: number;
  retryLimit: number;
}

/** What the page says while a job that failed waits to be tried again. */
export const RETRYING_STEP = 'Something went wrong: trying again shortly';

export interface JobBoardOptions<R, X> {
  /** What kind of work (its limits are counted across every process). */
  kind: string;
  maxRunning: number;
  lifetimeMs: number;
  /** What to tell someone whose own job is still running, and someone who must wait for others'. */
  busy: { yours: string; others: string };
  /** The part of the result its pages need, as it is stored (default: all of it). */
  stored?: (result: R) => R;
  /** The work, in whichever process takes the job; it reports by setting step, done and total. */
  run: (job: Job<R> & X, input: Uint8Array | null) => Promise<R>;
}

/** How often a running job's progress is written, and how long one may go unheard before it counts as stopped. */
export const PROGRESS_EVERY_MS = 1_000;
const ALIVE_EVERY_MS = 10_000;
export const STOPPED_AFTER_MS = 120_000;
export const STOPPED_MESSAGE = 'This stopped when the service restarted: run it again';
/** What a job that could not be handed to the queue records. */
export const NOT_QUEUED_MESSAGE = 'The job could not be queued: try again';

/**
 * Why a job failed, in words its page can show: a job that failed is a normal outcome, said plainly, with what to do
 * (its page says to start it again). The board's own reasons (the service restarted, the queue refused it) are said
 * as they are; any other failure's message is the program's, which may be technical or name a child, so the page
 * says only that the service had a problem (the message stays in the job's row and in pg-boss for whoever runs the
 * service).
 */
export function failureInWords(job: Pick<Job<unknown>, 'status' | 'error'>): string | null {
  if (job.status !== 'failed') return null;
  if (job.error === STOPPED_MESSAGE) return 'It stopped because the service restarted while it was running.';
  if (job.error === NOT_QUEUED_MESSAGE) return 'The service could not start it.';
  return 'The service had a problem while working on it.';
}

/** Which process runs a job: its host and process id. */
export const JOB_OWNER = `${hostname()}/${process.pid}`;

export function createJobBoard<R, X extends object = object>(database: Database, options: JobBoardOptions<R, X>) {
  const { db } = database;
  const seconds = (ms: number) => Math.round(ms / 1000);
  /** The jobs running in this process, with what was last written of their progress. */
  const here = new Map<string, { job: Job<R> & X; written: string; writtenAt: number }>();
  let timer: NodeJS.Timeout | undefined;

  const progressOf = (job: Job<R>) => ({ step: job.step, done: job.done, total: job.total });

  /** Writes the progress of each job here that has moved (or has not been heard from for a while). */
  const writeAll = async () => {
    const now = Date.now();
    for (const entry of here.values()) {
      if (entry.job.status !== 'running') continue;
      const progress = progressOf(entry.job);
      const key = JSON.stringify(progress);
      if (key === entry.written && now - entry.writtenAt < ALIVE_EVERY_MS) continue;
      entry.written = key;
      entry.writtenAt = now;
      await writeProgress(db, entry.job.id, progress).catch(() => undefined);
    }
  };
  const tick = () => {
    void writeAll().finally(() => {
      timer = here.size > 0 ? setTimeout(tick, PROGRESS_EVERY_MS).unref() : undefined;
    });
  };

  /** Refuses (BusyError) when too many are running or this person's last one is. */
  const refuseWhenBusy = (running: string[], userId: string) => {
    if (running.includes(userId)) throw new BusyError(options.busy.yours);
    if (running.length >= options.maxRunning) throw new BusyError(options.busy.others);
  };

  /** Refuses (BusyError) when a job would be refused now; call before any side effect. */
  const checkFree = async (userId: string): Promise<void> => {
    const running = await db.transaction((tx) =>
      lockAndListRunning(tx, options.kind, seconds(options.lifetimeMs), seconds(STOPPED_AFTER_MS)),
    );
    refuseWhenBusy(running, userId);
  };

  /** Jobs being taken from the queue by this process (not yet in `here`). */
  const taking = new Set<string>();
  /** Jobs handed to this process without a queue that have not finished. */
  const pending = new Set<Promise<void>>();
  /** Runs a job here at once, without a queue. */
  let dispatch: Dispatch = (_kind, id) => {
    const run: Promise<void> = runQueued(id)
      .catch(() => undefined)
      .finally(() => pending.delete(run));
    pending.add(run);
    return Promise.resolve();
  };

  /** Starts a job (refused with BusyError as checkFree says): writes it, with its input, and hands it to the queue. */
  const start = async (
    owner: { laCode: string; userId: string },
    first: { step: string; total: number },
    extra: X,
    input: Uint8Array | null = null,
  ): Promise<{ id: string }> => {
    const id = randomUUID();
    await db.transaction(async (tx) => {
      refuseWhenBusy(
        await lockAndListRunning(tx, options.kind, seconds(options.lifetimeMs), seconds(STOPPED_AFTER_MS)),
        owner.userId,
      );
      await insertJob(tx, { id, kind: options.kind, ...owner, ...first, detail: extra, owner: JOB_OWNER, input });
    });
    try {
      await dispatch(options.kind, id);
    } catch (error) {
      await writeOutcome(db, id, {
        status: 'failed',
        step: first.step,
        done: 0,
        total: first.total,
        result: null,
        error: NOT_QUEUED_MESSAGE,
      }).catch(() => undefined);
      throw error;
    }
    return { id };
  };

  /**
   * Runs a job taken from the queue, in this process: its progress written as it goes, its result or failure at the
   * end. A job no longer running (finished, or marked stopped when its process stopped) is left alone. A failure
   * with retries left keeps the job running, saying it will try again, and is thrown for the queue to retry;
   * the last is written as the job's failure (and thrown, so the queue records it too).
   */
  const runQueued = async (id: string, attempt: Attempt = { retryCount: 0, retryLimit: 0 }): Promise<void> => {
    taking.add(id);
    const row = await takeJob(db, options.kind, id, JOB_OWNER).finally(() => taking.delete(id));
    if (!row) return;
    const job = {
      ...(row.detail as X),
      id,
      laCode: row.laCode,
      userId: row.userId,
      startedAt: row.startedAt.getTime(),
      status: 'running',
      step: attempt.retryCount > 0 ? row.step.replace(RETRYING_STEP, 'Starting again') : row.step,
      done: row.done,
      total: row.total,
      result: null,
      error: null,
    } as Job<R> & X;
    here.set(id, { job, written: '', writtenAt: 0 });
    if (!timer) timer = setTimeout(tick, PROGRESS_EVERY_MS).unref();
    try {
      let outcome: { status: 'done' | 'failed'; result: R | null; error: string | null };
      try {
        outcome = { status: 'done', result: await options.run(job, row.input ?? null), error: null };
      } catch (error) {
        if (attempt.retryCount < attempt.retryLimit) {
          job.step = RETRYING_STEP;
          await writeProgress(db, id, progressOf(job)).catch(() => undefined);
          throw error;
        }
        outcome = { status: 'failed', result: null, error: error instanceof Error ? error.message : String(error) };
      }
      const done = outcome.status === 'done' ? job.total : job.done;
      const result = outcome.result === null ? null : (options.stored ?? ((r: R) => r))(outcome.result);
      try {
        await writeOutcome(db, id, { ...outcome, result, step: job.step, done, total: job.total });
        Object.assign(job, outcome, { done });
      } catch (error) {
        const failed = {
          status: 'failed' as const,
          result: null,
          error: `The result could not be kept: ${String(error)}`,
        };
        Object.assign(job, failed);
        await writeOutcome(db, id, { ...failed, step: job.step, done: job.done, total: job.total }).catch(
          () => undefined,
        );
      }
      if (job.status === 'failed') throw new Error(job.error ?? 'failed');
    } finally {
      here.delete(id);
    }
  };

  /** A job of the LA's, or undefined: from this process while it runs here, otherwise as last written. */
  const get = async (laCode: string, id: string): Promise<(Job<R> & X) | undefined> => {
    const local = here.get(id)?.job;
    if (local) return local.laCode === laCode ? local : undefined;
    if (!isUuid(id)) return undefined;
    const row = await findJob(db, options.kind, laCode, id, seconds(STOPPED_AFTER_MS));
    if (!row) return undefined;
    return {
      ...(row.detail as X),
      id: row.id,
      laCode: row.laCode,
      userId: row.userId,
      startedAt: row.startedAt.getTime(),
      status: row.stale ? 'failed' : row.status,
      step: row.step,
      done: row.done,
      total: row.total,
      result: row.result as R | null,
      error: row.stale ? STOPPED_MESSAGE : row.error,
    };
  };

  /**
   * Marks the jobs running here as stopped, for a process that is stopping: whoever is watching one is told at once
   * (a process that stops without this is found out when it has not been heard from for STOPPED_AFTER_MS).
   */
  const abandon = async (): Promise<void> => {
    while (taking.size > 0) await new Promise((r) => setTimeout(r, 10));
    const running = [...here.values()].map((e) => e.job).filter((j) => j.status === 'running');
    for (const job of running) Object.assign(job, { status: 'failed', error: STOPPED_MESSAGE });
    await Promise.all(
      running.map((job) =>
        writeOutcome(db, job.id, {
          status: 'failed',
          step: job.step,
          done: job.done,
          total: job.total,
          result: null,
          error: STOPPED_MESSAGE,
        }).catch(() => undefined),
      ),
    );
  };

  /** Waits for every job running here to finish and be written (tests, and shutting down). */
  const settled = async (): Promise<void> => {
    while (here.size > 0 || pending.size > 0) await new Promise((r) => setTimeout(r, 20));
  };

  return {
    kind: options.kind,
    maxRunning: options.maxRunning,
    lifetimeMs: options.lifetimeMs,
    checkFree,
    start,
    runQueued,
    /** From now on, started jobs go to the job queue (src/jobs/userJobs.ts) instead of running here at once. */
    useQueue(queue: Dispatch) {
      dispatch = queue;
    },
    get,
    settled,
    abandon,
  };
}

/**
 * Run when a process of the service starts, before it serves: jobs left "running" by a process that has stopped
 * (killed, or the machine restarted) are marked failed with STOPPED_MESSAGE, so that their pages say so and they no
 * longer hold back the next one (an LA's next import). On the embedded database this process is the only one (the
 * folder is locked), so every running job is such a job. On PostgreSQL other processes, on this host or others, may be
 * running jobs: only those of processes on this host that no longer exist (or had this process's id: an earlier
 * process), and those not heard from for STOPPED_AFTER_MS (their process, wherever it was, has stopped), are.
 * Returns how many were marked.
 */
export async function failStoppedJobs(database: Database): Promise<number> {
  if (database.kind === 'pglite') return failRunningJobs(database.db, 'all', STOPPED_MESSAGE);
  const host = hostname();
  const owners = await runningOwnersOn(database.db, host);
  const stopped = owners.filter((owner) => {
    const pid = Number(owner.slice(host.length + 1));
    return !Number.isSafeInteger(pid) || pid === process.pid || !processExists(pid);
  });
  return failRunningJobs(
    database.db,
    { staleSeconds: Math.round(STOPPED_AFTER_MS / 1000), owners: stopped },
    STOPPED_MESSAGE,
  );
}

/** A job's progress as its page and the page's script show it. */
export function jobProgress(job: Job<unknown>) {
  const percent = job.total > 0 ? Math.min(100, Math.round((job.done / job.total) * 100)) : 0;
  return { status: job.status, step: job.step, percent, text: `${job.step}: ${percent}% done` };
}
