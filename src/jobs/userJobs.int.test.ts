/**
 * Jobs people start from a page, carried by pg-boss (src/jobs/userJobs.ts), on PGlite and PostgreSQL: an SEN2 import
 * started on the page is run by the queue and its page shows the outcome; a job that fails is retried after a wait,
 * its progress saying so, and then shown as failed, both on its page's progress and in pg-boss.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, signedIn, testApp } from '../../test/app.js';
import { setUpIntegration } from '../../test/integration.js';
import type { Fixture } from '../../test/fixtures.js';
import type { Database } from '../data/db.js';
import { createJobBoard, jobProgress, RETRYING_STEP } from '../services/jobs.js';
import { startJobs } from './index.js';
import { createJobRunner } from './runner.js';
import { boardJob, queueBoard } from './userJobs.js';

let database: Database;
let fixture: Fixture;
const fast = { pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1, cronMonitorIntervalSeconds: 1 };

beforeAll(async () => {
  ({ database, fixture } = await setUpIntegration({ app: false }));
});
afterAll(async () => {
  await database.close();
});

async function until<T>(get: () => Promise<T>, check: (value: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (check(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('jobs started from a page, on the queue', () => {
  it('runs an SEN2 import started on the page, and its page shows the outcome', async () => {
    const { app, services } = testApp(database);
    const jobs = await startJobs(database, services, {
      logger: pino({ level: 'silent' }),
      schedules: false,
      processes: 1,
      retention: null,
      runner: fast,
    });
    try {
      const agent = await signedIn(app, fixture.users.data!.email);
      const token = csrfFrom((await agent.get('/sen2').expect(200)).text);
      const csv =
        'surname,forename,date_of_birth,sex,ethnicity,upn_unknown,received_date,request_source,request_outcome\nRiver,Ana,2015-01-01,F,WBRI,UN8,2025-02-03,1,A\n';
      const started = await agent
        .post('/sen2/import')
        .field('_csrf', token)
        .field('format', 'csv')
        .field('csvYear', '2026')
        .field('mode', 'dry_run')
        .attach('importFile', Buffer.from(csv), 'cases.csv')
        .expect(303);
      const jobUrl = started.headers.location as string;
      const id = jobUrl.split('/').pop()!;
      // The queue has the job under the page's id, and runs it.
      await until(
        () => jobs.runner.state('sen2_import', id),
        (s) => s?.state === 'completed',
      );
      const progress = await agent.get(`${jobUrl}/progress`).expect(200);
      expect(progress.body).toMatchObject({ status: 'done', percent: 100 });
      const page = await agent.get(jobUrl).expect(200);
      expect(page.text).toContain('Import checked');
      expect(page.text).toContain('cases.csv');
    } finally {
      await jobs.stop();
    }
  }, 90_000);

  it('retries a failing job after a wait, saying so, then shows it failed', async () => {
    const kind = `failing_${randomUUID().slice(0, 8)}`;
    let attempts = 0;
    const board = createJobBoard<{ ok: boolean }, { note: string }>(database, {
      kind,
      maxRunning: 1,
      lifetimeMs: 60_000,
      busy: { yours: 'yours is running', others: 'too many running' },
      run: () => {
        attempts += 1;
        return Promise.reject(new Error('The forecast could not be worked out'));
      },
    });
    const runner = createJobRunner(database, fast);
    // A retry 2 to 4 s after the failure, where the service waits 10 to 20 s (USER_JOB_RETRY_DELAY_SECONDS): long
    // enough to see pg-boss hold the job back, without the service's wait.
    runner.define(boardJob(board, { retryDelaySeconds: 2 }));
    await runner.start();
    queueBoard(board, (name, data, o) => runner.send(name, data, o));
    try {
      const { id } = await board.start(
        { laCode: '999', userId: randomUUID() },
        { step: 'Working', total: 10 },
        {
          note: '',
        },
      );
      // After the first failure the page says it is trying again (a retry waits: see boardJob).
      const retrying = await until(
        () => board.get('999', id),
        (j) => j?.step === RETRYING_STEP,
      );
      expect(jobProgress(retrying!)).toMatchObject({ status: 'running', step: RETRYING_STEP });
      // pg-boss holds it back until the wait is over (it counts the retry when it starts it).
      const waiting = await until(
        () => runner.state(kind, id),
        (state) => state?.state !== 'active',
      );
      expect(waiting).toMatchObject({
        state: 'retry',
        retryCount: 0,
        error: 'Error: The forecast could not be worked out',
      });
      expect(waiting!.startAfter.getTime()).toBeGreaterThan(Date.now());
      expect(attempts).toBe(1);
      const failed = await until(
        () => board.get('999', id),
        (j) => j?.status === 'failed',
      );
      expect(failed).toMatchObject({ status: 'failed', error: 'The forecast could not be worked out' });
      expect(jobProgress(failed!).status).toBe('failed');
      expect(attempts).toBe(2);
      // pg-boss records the failure once the handler has returned, just after the board does.
      const final = await until(
        () => runner.state(kind, id),
        (state) => state?.state !== 'active',
      );
      expect(final).toMatchObject({ state: 'failed', retryCount: 1, retryLimit: 1 });
    } finally {
      await runner.stop();
    }
  }, 90_000);
});
