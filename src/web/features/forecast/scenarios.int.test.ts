/**
 * A forecast scenario run that failed: a normal outcome, said plainly (200), never a server error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../../test/db.js';
import { signedIn, testApp } from '../../../../test/app.js';
import { seedFixture, type Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { createJobBoard } from '../../../services/jobs.js';

let database: Database;
let fixture: Fixture;

beforeAll(async () => {
  database = await openTestDb();
  fixture = await seedFixture(database);
});
afterAll(async () => {
  await database.close();
});

describe('a forecast scenario run that failed', () => {
  const board = (run: () => Promise<never>) =>
    createJobBoard(database, {
      kind: 'forecast_scenario',
      maxRunning: 4,
      lifetimeMs: 60_000,
      busy: { yours: 'yours', others: 'others' },
      run,
    });
  const start = (jobs: ReturnType<typeof board>) =>
    jobs.start({ laCode: '999', userId: fixture.users.manager!.id }, { step: 'Simulating', total: 100 }, {});

  it('says it could not be worked out, that the service had a problem, and how to start again', async () => {
    const failing = board(() =>
      Promise.reject(new Error('RangeError: Invalid array length at simulate (simulate.ts:88)')),
    );
    const { id } = await start(failing);
    await failing.settled();
    const { app } = testApp(database);
    const agent = await signedIn(app, fixture.users.manager!.email);
    const page = await agent.get(`/forecast/scenarios/${id}`).expect(200);
    expect(page.text).toContain('<title>The scenarios could not be worked out');
    expect(page.text).toContain('The service had a problem while working on it.');
    expect(page.text).toMatch(
      /<a href="\/forecast\/scenarios"[^>]*class="govuk-button"[^>]*>\s*Start the scenarios again/,
    );
    expect(page.text).not.toContain('simulate.ts');
    expect(page.text).not.toContain('Invalid array length');
    expect((await agent.get(`/forecast/scenarios/${id}/progress`).expect(200)).body).toMatchObject({
      status: 'failed',
    });
  });

  it('says a run stopped by a restart of the service stopped for that reason', async () => {
    // A run still going when its process stops (jobs.abandon, as the service does on its way down).
    const stopping = board(() => new Promise<never>(() => undefined));
    const { id } = await start(stopping);
    await stopping.abandon();
    const { app } = testApp(database);
    const agent = await signedIn(app, fixture.users.manager!.email);
    const page = await agent.get(`/forecast/scenarios/${id}`).expect(200);
    expect(page.text).toContain('It stopped because the service restarted while it was running.');
    expect(page.text).toContain('Start the scenarios again');
  });
});
