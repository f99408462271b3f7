import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpIntegration } from '../../test/integration.js';
import { queryRows, type Database } from '../data/db.js';
import { insertJob } from '../data/repositories/jobs.js';
import {
  BusyError,
  createJobBoard,
  failStoppedJobs,
  jobProgress,
  JOB_OWNER,
  RETRYING_STEP,
  STOPPED_MESSAGE,
  type Job,
} from './jobs.js';

let database: Database;
beforeAll(async () => {
  ({ database } = await setUpIntegration({ app: false, fixture: false }));
});
afterAll(async () => {
  await database.close();
});

type Result = { text: string; at: string | null };
type TestJob = Job<Result> & { note: string };
/** What each job does, by its note (a job's work is the board's, given when the board is made). */
const work = new Map<string, (j: TestJob) => Promise<Result>>();

/** Each board stands for one process of the service; boards of the same kind share the database's jobs. */
const board = (kind = 'test', maxRunning = 2) => {
  const b = createJobBoard<Result, { note: string }>(database, {
    kind,
    maxRunning,
    lifetimeMs: 60_000,
    busy: { yours: 'yours is running', others: 'too many running' },
    run: (j) => work.get(j.note)!(j),
  });
  /** Starts a job that does `fn`. */
  const go = (
    owner: { laCode: string; userId: string },
    first: { step: string; total: number },
    fn: (j: TestJob) => Promise<Result>,
  ) => {
    const note = randomUUID();
    work.set(note, fn);
    return b.start(owner, first, { note });
  };
  return Object.assign(b, { go });
};

const person = () => ({ laCode: '999', userId: randomUUID() });

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('jobs', () => {
  it('runs one at a time per person and at most the limit in all, across processes, then keeps the result', async () => {
    const here = board();
    const there = board();
    const [a, b, c] = [person(), person(), person()];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const job = await here.go(a, { step: 'Working', total: 4 }, async (j) => {
      j.done = 2;
      await gate;
      return { text: 'done by a', at: null };
    });
    // The process running it sees its progress at once.
    await until(async () => (await here.get('999', job.id))?.done === 2);
    expect(jobProgress((await here.get('999', job.id))!)).toEqual({
      status: 'running',
      step: 'Working',
      percent: 50,
      text: 'Working: 50% done',
    });
    // The other process refuses a second job for the same person, and a third job in all.
    await expect(there.checkFree(a.userId)).rejects.toThrow(new BusyError('yours is running'));
    await there.go(b, { step: 'Working', total: 1 }, () => gate.then(() => ({ text: 'b', at: null })));
    await expect(
      here.go(c, { step: 'Working', total: 1 }, () => Promise.resolve({ text: 'c', at: null })),
    ).rejects.toThrow(new BusyError('too many running'));
    // The other process sees the progress as written (within a second or so).
    await until(async () => (await there.get('999', job.id))?.done === 2);
    expect(await there.get('999', job.id)).toMatchObject({ status: 'running', step: 'Working', done: 2 });
    release();
    await Promise.all([here.settled(), there.settled()]);
    // Both see the result, as it was.
    for (const process of [here, there]) {
      expect(await process.get('999', job.id)).toMatchObject({
        status: 'done',
        result: { text: 'done by a', at: null },
        done: 4,
        total: 4,
        userId: a.userId,
      });
    }
    // Another LA's job, an unknown id and something that is not an id are not found.
    expect(await there.get('998', job.id)).toBeUndefined();
    expect(await there.get('999', randomUUID())).toBeUndefined();
    expect(await there.get('999', 'not-an-id')).toBeUndefined();
    // Nor is a job of another kind.
    expect(await board('other').get('999', job.id)).toBeUndefined();
    await expect(there.checkFree(c.userId)).resolves.toBeUndefined();
  });

  it('keeps a failure’s message and frees the person to start again', async () => {
    const jobs = board();
    const a = person();
    const job = await jobs.go(a, { step: 'Working', total: 1 }, () => Promise.reject(new Error('the disk filled up')));
    await jobs.settled();
    expect(await board().get('999', job.id)).toMatchObject({
      status: 'failed',
      error: 'the disk filled up',
      result: null,
    });
    await expect(jobs.checkFree(a.userId)).resolves.toBeUndefined();
  });

  it('says it is trying again after a failure with a retry left, and shows the last failure as the job’s', async () => {
    // The queue (pg-boss, src/jobs) gives the job to runQueued with its attempt; here the test is the queue.
    const jobs = board('retried');
    jobs.useQueue(() => Promise.resolve());
    let attempts = 0;
    const job = await jobs.go(person(), { step: 'Working', total: 4 }, (j) => {
      attempts += 1;
      j.done = 1;
      return Promise.reject(new Error(`the disk filled up (${attempts})`));
    });
    await expect(jobs.runQueued(job.id, { retryCount: 0, retryLimit: 1 })).rejects.toThrow('the disk filled up (1)');
    const waiting = (await board('retried').get('999', job.id))!;
    expect(jobProgress(waiting)).toMatchObject({ status: 'running', step: RETRYING_STEP });
    await expect(jobs.runQueued(job.id, { retryCount: 1, retryLimit: 1 })).rejects.toThrow('the disk filled up (2)');
    expect(await board('retried').get('999', job.id)).toMatchObject({
      status: 'failed',
      error: 'the disk filled up (2)',
    });
    // A retry of a job already over (it failed, or its process stopped) does nothing.
    await jobs.runQueued(job.id, { retryCount: 1, retryLimit: 1 });
    expect(attempts).toBe(2);
  });

  it('reports a job whose process stopped as failed, and does not count it as running', async () => {
    const jobs = board('stopping');
    const a = person();
    const job = await jobs.go(a, { step: 'Working', total: 1 }, () => new Promise(() => undefined));
    await expect(jobs.checkFree(a.userId)).rejects.toThrow(BusyError);
    // As if its process had stopped three minutes ago (nothing written since).
    await database.db.execute(
      sql`update jobs set heard_at = now() - interval '3 minutes', started_at = now() - interval '3 minutes' where id = ${job.id}`,
    );
    const elsewhere = board('stopping');
    expect(await elsewhere.get('999', job.id)).toMatchObject({ status: 'failed', error: STOPPED_MESSAGE });
    await expect(elsewhere.checkFree(a.userId)).resolves.toBeUndefined();
  });

  it('removes finished jobs once their hour (here a minute) is over', async () => {
    const jobs = board('old');
    const a = person();
    const job = await jobs.go(a, { step: 'Working', total: 1 }, () => Promise.resolve({ text: 'x', at: null }));
    await jobs.settled();
    await database.db.execute(sql`update jobs set started_at = now() - interval '61 seconds' where id = ${job.id}`);
    await jobs.checkFree(person().userId);
    expect(await jobs.get('999', job.id)).toBeUndefined();
  });

  it('tells whoever is watching at once that a job stopped when its process stops', async () => {
    const jobs = board('abandoned');
    const a = person();
    const job = await jobs.go(a, { step: 'Working', total: 10 }, () => new Promise(() => undefined));
    await jobs.abandon();
    expect(await board('abandoned').get('999', job.id)).toMatchObject({ status: 'failed', error: STOPPED_MESSAGE });
    await expect(board('abandoned').checkFree(a.userId)).resolves.toBeUndefined();
  });

  it('at start-up, fails the jobs a stopped process left running, with the reason their page shows', async () => {
    // Issue 23 item 10: an import interrupted by a crash stayed "running" and held up the LA's next one for 2 minutes.
    // Four jobs as processes left them running. They are written as a process writes a job it starts, not started
    // here: a job this test's process ran would be taken by it and heard from (its progress written) while the test
    // sets who owns each, which under load can come after and undo it.
    const ids = [0, 1, 2, 3].map(() => randomUUID());
    for (const id of ids) {
      await insertJob(database.db, {
        id,
        kind: 'crashed',
        ...person(),
        step: 'Working',
        total: 1,
        detail: { note: randomUUID() },
        owner: JOB_OWNER,
        input: null,
      });
    }
    const jobs = board('crashed', 10);
    for (const id of ids) expect((await jobs.get('999', id))?.status).toBe('running');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid; // a process of this host that has ended
    const [ofDeadProcess, ofLiveProcess, elsewhere, elsewhereQuiet] = ids;
    const setOwner = (id: string | undefined, owner: string, quietMinutes = 0) =>
      database.db.execute(
        sql`update jobs set owner = ${owner}, heard_at = now() - make_interval(mins => ${quietMinutes}) where id = ${id}`,
      );
    await setOwner(ofDeadProcess, `${hostname()}/${dead}`);
    await setOwner(ofLiveProcess, `${hostname()}/${process.ppid}`);
    await setOwner(elsewhere, 'another-host/4242');
    await setOwner(elsewhereQuiet, 'another-host/4242', 3);

    const stopped = await failStoppedJobs(database);

    const afterwards = board('crashed', 10); // the restarted process
    const status = async (id: string | undefined) => (await afterwards.get('999', id!))!;
    const failed = { status: 'failed', error: 'This stopped when the service restarted: run it again' };
    expect(await status(ofDeadProcess)).toMatchObject(failed);
    expect(await status(elsewhereQuiet)).toMatchObject(failed);
    if (database.kind === 'pglite') {
      // The folder is this process's alone (it is locked), so no job can still be running anywhere.
      expect(await status(ofLiveProcess)).toMatchObject(failed);
      expect(await status(elsewhere)).toMatchObject(failed);
      expect(stopped).toBe(4);
    } else {
      // Other processes of the service, on this host or another, still running their jobs: left alone.
      expect(await status(ofLiveProcess)).toMatchObject({ status: 'running', error: null });
      expect(await status(elsewhere)).toMatchObject({ status: 'running', error: null });
      expect(stopped).toBe(2);
    }
    // The jobs this process starts say who runs them.
    const mine = await afterwards.go(person(), { step: 'Working', total: 1 }, () =>
      Promise.resolve({ text: 'x', at: null }),
    );
    await afterwards.settled();
    const [row] = await queryRows<{ owner: string }>(database.db, sql`select owner from jobs where id = ${mine.id}`);
    expect(row!.owner).toBe(JOB_OWNER);
    expect(JOB_OWNER).toBe(`${hostname()}/${process.pid}`);
  });
});
