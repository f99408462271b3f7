/**
 * The job runner (pg-boss on the service's own database) against a real database, PGlite or PostgreSQL: two runners
 * on one database stand for two processes of the service. What a council relies on: scheduled work runs once however
 * many processes run, a job that fails is tried again with growing waits and then shown as failed, and a job whose
 * process stopped does not stay "running".
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setUpIntegration } from '../../test/integration.js';
import type { Database } from '../data/db.js';
import { createJobRunner, type JobDefinition, type JobRunner } from './runner.js';

let database: Database;
const running: JobRunner[] = [];

beforeAll(async () => {
  ({ database } = await setUpIntegration({ app: false, fixture: false }));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop(1_000)));
});
afterAll(async () => {
  await database.close();
});

/** A runner as a process of the service makes one, polling fast for the test. */
function runner(...definitions: JobDefinition[]) {
  const r = createJobRunner(database, {
    pollingIntervalSeconds: 0.5,
    superviseIntervalSeconds: 1,
    cronMonitorIntervalSeconds: 1,
  });
  for (const d of definitions) r.define(d);
  running.push(r);
  return r;
}

const scheduled = (name: string, run: JobDefinition['run'], expireInSeconds = 60): JobDefinition => ({
  name,
  queue: { policy: 'stately', retryLimit: 0, retryDelay: 1, retryBackoff: false, expireInSeconds },
  run,
});

async function until(check: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the job runner', () => {
  it('runs a scheduled job once when two processes both schedule it', async () => {
    // pg-boss sends a schedule's job at most once a minute: start clear of a minute's end, so one minute is watched.
    if (new Date().getUTCSeconds() > 45) await sleep((61 - new Date().getUTCSeconds()) * 1000);
    const name = `every-minute-${randomUUID()}`;
    let runs = 0;
    const job = scheduled(name, () => {
      runs += 1;
      return Promise.resolve();
    });
    const [a, b] = [runner(job), runner(job)];
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.schedule(name, '* * * * *'), b.schedule(name, '* * * * *')]);
    await until(() => runs > 0);
    // Both processes check the schedule every second and work the queue every 0.5 s: still one run.
    await sleep(4_000);
    expect(runs).toBe(1);
    expect((await a.schedules()).filter((s) => s.name === name)).toEqual([
      { name, cron: '* * * * *', timezone: 'Europe/London' },
    ]);
  }, 90_000);

  it('keeps one job of a scheduled kind waiting, however many processes send it', async () => {
    const name = `start-up-${randomUUID()}`;
    let runs = 0;
    const job = scheduled(name, () => {
      runs += 1;
      return Promise.resolve();
    });
    const [a, b] = [runner(job), runner(job)];
    // Sent by both before either works the queue (as two processes starting at once do).
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.stop(), b.stop()]);
    const ids = await Promise.all([a.send(name), b.send(name), a.send(name)]);
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    const c = runner(job);
    await c.start();
    await until(() => runs > 0);
    await sleep(1_000);
    expect(runs).toBe(1);
  });

  it('tries a failing job again, waiting longer each time, then marks it failed with the reason', async () => {
    const name = `failing-${randomUUID()}`;
    const attempts: number[] = [];
    const r = runner({
      name,
      queue: { policy: 'standard', retryLimit: 2, retryDelay: 1, retryBackoff: true, expireInSeconds: 60 },
      run: () => {
        attempts.push(Date.now());
        return Promise.reject(new Error('Failed query: select 1\nparams: Ada,Abbott'));
      },
    });
    await r.start();
    const id = (await r.send(name))!;
    await until(async () => (await r.state(name, id))?.state === 'failed', 30_000);
    // The first try and two retries.
    expect(attempts).toHaveLength(3);
    // pg-boss's backoff: retry n waits between d * 2^n / 2 and d * 2^n (d = 1 s): at least 1 s, then at least 2 s.
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(900);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(1_900);
    const state = await r.state(name, id);
    expect(state).toMatchObject({ state: 'failed', retryCount: 2, retryLimit: 2 });
    // The reason is kept, without the values the failed query carried.
    expect(state!.error).toBe('Error: Failed query: select 1');
  }, 40_000);

  /**
   * A process that takes a job and is then killed: the job is in pg-boss's "active" state and nobody is working it.
   * (pg-boss's own stop, even without waiting, fails the jobs it holds, so a kill is made by taking the job by hand.)
   */
  async function killedWhileRunning(definition: JobDefinition) {
    const killed = runner();
    await killed.start();
    await killed.boss.createQueue(definition.name, { name: definition.name, ...definition.queue });
    const id = (await killed.send(definition.name))!;
    const [taken] = await killed.boss.fetch(definition.name);
    expect(taken?.id).toBe(id);
    await killed.stop();
    expect((await killed.state(definition.name, id))?.state).toBe('active');
    return id;
  }

  it('does not leave "running" a job whose process stopped: it expires and another process runs it', async () => {
    const name = `stuck-${randomUUID()}`;
    let runs = 0;
    const definition: JobDefinition = {
      name,
      queue: { policy: 'standard', retryLimit: 1, retryDelay: 1, retryBackoff: false, expireInSeconds: 2 },
      run: () => {
        runs += 1;
        return Promise.resolve();
      },
    };
    const id = await killedWhileRunning(definition);
    const survivor = runner(definition);
    await survivor.start();
    // After its 2 s expiry the supervisor (every second here) puts it back for a retry, and this process runs it.
    await until(async () => (await survivor.state(name, id))?.state === 'completed', 30_000);
    expect(runs).toBe(1);
  }, 40_000);

  it('on start-up fails the jobs a stopped process left active, at once (the embedded database)', async () => {
    const name = `left-${randomUUID()}`;
    let runs = 0;
    const definition: JobDefinition = {
      name,
      // An hour's expiry and no retry: without the start-up check this job would stay "running" for an hour.
      queue: { policy: 'standard', retryLimit: 0, retryDelay: 1, retryBackoff: false, expireInSeconds: 3600 },
      run: () => {
        runs += 1;
        return Promise.resolve();
      },
    };
    const id = await killedWhileRunning(definition);
    const next = runner(definition);
    const { leftoversFailed } = await next.start('The process running this job stopped');
    expect(leftoversFailed).toBe(1);
    expect(await next.state(name, id)).toMatchObject({
      state: 'failed',
      error: 'The process running this job stopped',
    });
    expect(runs).toBe(0);
  });
});
