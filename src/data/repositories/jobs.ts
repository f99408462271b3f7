/**
 * Jobs' progress and results (services/jobs.ts). Times are the database's, so that every process judges a job's age
 * by the same clock.
 */
import { and, eq, inArray, like, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { jobs } from '../schema.js';

export interface JobRow {
  id: string;
  kind: string;
  laCode: string;
  userId: string;
  status: 'running' | 'done' | 'failed';
  step: string;
  done: number;
  total: number;
  detail: unknown;
  result: unknown;
  error: string | null;
  startedAt: Date;
  /** Running, but not heard from for longer than the stale limit: the process running it has stopped. */
  stale: boolean;
}

const quietFor = (seconds: number) => sql`${jobs.heardAt} < now() - make_interval(secs => ${seconds})`;

/**
 * Takes the kind's lock for the rest of the transaction, removes its rows finished (or stopped) longer ago than
 * `lifetimeSeconds`, and says which users have a job of this kind running now.
 */
export async function lockAndListRunning(
  db: Db,
  kind: string,
  lifetimeSeconds: number,
  staleSeconds: number,
): Promise<string[]> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`jobs:${kind}`}))`);
  await db
    .delete(jobs)
    .where(
      and(
        eq(jobs.kind, kind),
        or(
          and(ne(jobs.status, 'running'), lt(jobs.startedAt, sql`now() - make_interval(secs => ${lifetimeSeconds})`)),
          quietFor(lifetimeSeconds),
        ),
      ),
    );
  const rows = await db
    .select({ userId: jobs.userId })
    .from(jobs)
    .where(and(eq(jobs.kind, kind), eq(jobs.status, 'running'), sql`not (${quietFor(staleSeconds)})`));
  return rows.map((r) => r.userId);
}

export async function insertJob(
  db: Db,
  job: Pick<JobRow, 'id' | 'kind' | 'laCode' | 'userId' | 'step' | 'total' | 'detail'> & {
    owner: string;
    input: Uint8Array | null;
  },
): Promise<Date> {
  const [row] = await db
    .insert(jobs)
    .values({
      ...job,
      input: job.input && Buffer.from(job.input.buffer, job.input.byteOffset, job.input.byteLength),
      status: 'running',
      done: 0,
      startedAt: sql`now()`,
      heardAt: sql`now()`,
    })
    .returning({ startedAt: jobs.startedAt });
  return row!.startedAt;
}

/** Progress of a running job; also says it is still alive. */
export async function writeProgress(
  db: Db,
  id: string,
  progress: { step: string; done: number; total: number },
): Promise<void> {
  await db
    .update(jobs)
    .set({ ...progress, heardAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'running')));
}

export async function writeOutcome(
  db: Db,
  id: string,
  outcome: {
    status: 'done' | 'failed';
    step: string;
    done: number;
    total: number;
    result: unknown;
    error: string | null;
  },
): Promise<void> {
  await db
    .update(jobs)
    .set({ ...outcome, input: null, heardAt: sql`now()` })
    .where(eq(jobs.id, id));
}

/**
 * A job taken from the queue by the process `owner` that is to run it: its row with its input, and now its owner and
 * heard from. Undefined when it is no longer running (it finished, or was marked stopped before it was taken).
 */
export async function takeJob(db: Db, kind: string, id: string, owner: string) {
  const [row] = await db
    .update(jobs)
    .set({ owner, heardAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.kind, kind), eq(jobs.status, 'running')))
    .returning({
      id: jobs.id,
      laCode: jobs.laCode,
      userId: jobs.userId,
      step: jobs.step,
      done: jobs.done,
      total: jobs.total,
      detail: jobs.detail,
      input: jobs.input,
      startedAt: jobs.startedAt,
    });
  return row;
}

export async function findJob(db: Db, kind: string, laCode: string, id: string, staleSeconds: number) {
  const [row] = await db
    .select({
      id: jobs.id,
      kind: jobs.kind,
      laCode: jobs.laCode,
      userId: jobs.userId,
      status: jobs.status,
      step: jobs.step,
      done: jobs.done,
      total: jobs.total,
      detail: jobs.detail,
      result: jobs.result,
      error: jobs.error,
      startedAt: jobs.startedAt,
      stale: sql<boolean>`${jobs.status} = 'running' and ${quietFor(staleSeconds)}`,
    })
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.kind, kind), eq(jobs.laCode, laCode)));
  return row;
}

/** The owners (`host/pid`) of the jobs running on a host, as written. */
export async function runningOwnersOn(db: Db, host: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ owner: jobs.owner })
    .from(jobs)
    .where(and(eq(jobs.status, 'running'), like(jobs.owner, `${host.replace(/[\\%_]/g, '\\$&')}/%`)));
  return rows.map((r) => r.owner!);
}

/**
 * Marks running jobs of any kind as failed with `error`: every one, or those not heard from for `staleSeconds` and
 * those of the given owners. Returns how many.
 */
export async function failRunningJobs(
  db: Db,
  which: 'all' | { staleSeconds: number; owners: string[] },
  error: string,
): Promise<number> {
  const rows = await db
    .update(jobs)
    .set({ status: 'failed', error, input: null, heardAt: sql`now()` })
    .where(
      and(
        eq(jobs.status, 'running'),
        which === 'all' ? undefined : or(quietFor(which.staleSeconds), inArray(jobs.owner, which.owners)),
      ),
    )
    .returning({ id: jobs.id });
  return rows.length;
}
