import { describe, expect, it } from 'vitest';
import { BusyError, createJobBoard, jobProgress } from './jobs.js';

const board = () =>
  createJobBoard<string, { note: string }>({
    maxRunning: 2,
    lifetimeMs: 60_000,
    busy: { yours: 'yours is running', others: 'too many running' },
  });

describe('jobs', () => {
  it('runs one at a time per person and at most the limit in all, then finishes with the result', async () => {
    const jobs = board();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = jobs.start({ laCode: '999', userId: 'a' }, { step: 'Working', total: 4 }, { note: 'x' }, async (job) => {
      job.done = 2;
      await gate;
      return 'done by a';
    });
    expect(jobProgress(a)).toEqual({ status: 'running', step: 'Working', percent: 50, text: 'Working: 50% done' });
    expect(() => jobs.checkFree('a')).toThrow(new BusyError('yours is running'));
    jobs.start({ laCode: '999', userId: 'b' }, { step: 'Working', total: 1 }, { note: 'y' }, () =>
      gate.then(() => 'b'),
    );
    expect(() => jobs.checkFree('c')).toThrow(new BusyError('too many running'));
    release();
    await jobs.settled();
    expect(jobs.get('999', a.id)).toMatchObject({ status: 'done', result: 'done by a', done: 4, note: 'x' });
    // Another LA's job is not found.
    expect(jobs.get('998', a.id)).toBeUndefined();
    expect(() => jobs.checkFree('c')).not.toThrow();
  });

  it('keeps a failure’s message and frees the person to start again', async () => {
    const jobs = board();
    const job = jobs.start({ laCode: '999', userId: 'a' }, { step: 'Working', total: 1 }, { note: '' }, () =>
      Promise.reject(new Error('the disk filled up')),
    );
    await jobs.settled();
    expect(job).toMatchObject({ status: 'failed', error: 'the disk filled up', result: null });
    expect(() => jobs.checkFree('a')).not.toThrow();
  });
});
