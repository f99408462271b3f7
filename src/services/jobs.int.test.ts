import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/db.js';
import type { Database } from '../data/db.js';
import { BusyError, createJobBoard, jobProgress, STOPPED_MESSAGE } from './jobs.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDb();
});
afterAll(async () => {
  await database.close();
});

/** Each board stands for one process of the service; boards of the same kind share the database's jobs. */
const board = (kind = 'test') =>
  createJobBoard<{ text: string; at: string | null }, { note: string }>(database, {
    kind,
    maxRunning: 2,
    lifetimeMs: 60_000,
    busy: { yours: 'yours is running', others: 'too many running' },
  });

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
    const job = await here.start(a, { step: 'Working', total: 4 }, { note: 'x' }, async (j) => {
      j.done = 2;
      await gate;
      return { text: 'done by a', at: null };
    });
    expect(jobProgress(job)).toEqual({ status: 'running', step: 'Working', percent: 50, text: 'Working: 50% done' });
    // The other process refuses a second job for the same person, and a third job in all.
    await expect(there.checkFree(a.userId)).rejects.toThrow(new BusyError('yours is running'));
    await there.start(b, { step: 'Working', total: 1 }, { note: 'y' }, () =>
      gate.then(() => ({ text: 'b', at: null })),
    );
    await expect(
      here.start(c, { step: 'Working', total: 1 }, { note: 'z' }, () => Promise.resolve({ text: 'c', at: null })),
    ).rejects.toThrow(new BusyError('too many running'));
    // The other process sees the progress as written (within a second or so).
    await until(async () => (await there.get('999', job.id))?.done === 2);
    expect(await there.get('999', job.id)).toMatchObject({ status: 'running', step: 'Working', done: 2, note: 'x' });
    release();
    await Promise.all([here.settled(), there.settled()]);
    // Both see the result, as it was.
    for (const process of [here, there]) {
      expect(await process.get('999', job.id)).toMatchObject({
        status: 'done',
        result: { text: 'done by a', at: null },
        done: 4,
        total: 4,
        note: 'x',
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
    const job = await jobs.start(a, { step: 'Working', total: 1 }, { note: '' }, () =>
      Promise.reject(new Error('the disk filled up')),
    );
    await jobs.settled();
    expect(await board().get('999', job.id)).toMatchObject({
      status: 'failed',
      error: 'the disk filled up',
      result: null,
    });
    await expect(jobs.checkFree(a.userId)).resolves.toBeUndefined();
  });

  it('reports a job whose process stopped as failed, and does not count it as running', async () => {
    const jobs = board('stopping');
    const a = person();
    const job = await jobs.start(a, { step: 'Working', total: 1 }, { note: '' }, () => new Promise(() => undefined));
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
    const job = await jobs.start(a, { step: 'Working', total: 1 }, { note: '' }, () =>
      Promise.resolve({ text: 'x', at: null }),
    );
    await jobs.settled();
    await database.db.execute(sql`update jobs set started_at = now() - interval '61 seconds' where id = ${job.id}`);
    await jobs.checkFree(person().userId);
    expect(await jobs.get('999', job.id)).toBeUndefined();
  });

  it('tells whoever is watching at once that a job stopped when its process stops', async () => {
    const jobs = board('abandoned');
    const a = person();
    const job = await jobs.start(a, { step: 'Working', total: 10 }, { note: '' }, () => new Promise(() => undefined));
    await jobs.abandon();
    expect(await board('abandoned').get('999', job.id)).toMatchObject({ status: 'failed', error: STOPPED_MESSAGE });
    await expect(board('abandoned').checkFree(a.userId)).resolves.toBeUndefined();
  });
});
