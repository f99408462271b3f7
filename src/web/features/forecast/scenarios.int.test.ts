/**
 * A forecast scenario run that failed: a normal outcome, said plainly (200), never a server error.
 */
import { visibleWords } from '../../../../test/pages.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../../test/db.js';
import { csrfFrom, signedIn, testApp } from '../../../../test/app.js';
import { seedFixture, type Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { createJobBoard } from '../../../services/jobs.js';
import { commitmentActions, commitments, improvementPlans } from '../../../data/schema.js';

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

describe('the scenario form: what each scenario assumes about staff now', () => {
  // Issue 25: with "staff now" blank the plan's staff changes were dropped without a word, giving three identical
  // columns. A change in staff is modelled in proportion to the staff there are now (domain/forecast/scenarios.ts), so
  // the number now is needed for each kind of staff the plan (or the person) changes.
  const FORM = {
    'staff-educational_psychology': '',
    'staff-casework': '',
    demand: '0',
    'extra-educational_psychology': '',
    'extra-casework': '',
    'target-share': '60',
    'target-month': '3',
    'target-year': '2026',
    solve: 'no',
    chance: '80',
  };
  const send = async (fields: Record<string, string>) => {
    const { app, services } = testApp(database);
    const agent = await signedIn(app, fixture.users.manager!.email);
    const form = await agent.get('/forecast/scenarios').expect(200);
    const response = await agent
      .post('/forecast/scenarios')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), ...fields });
    return { response, agent, services };
  };

  it('refuses a change to staff whose number now is blank, naming each field (400), and keeps what was typed', async () => {
    const { response } = await send({
      ...FORM,
      'extra-casework': '2',
      'target-month': '13',
      solve: 'educational_psychology',
      chance: '',
    });
    expect(response.status).toBe(400);
    const text = visibleWords(response.text);
    expect(text).toContain('There is a problem');
    expect(text).toContain('Enter the number of EHC caseworkers now, to add more');
    expect(text).toContain('Enter the date the EHC caseworkers start');
    expect(text).toContain('The target month must be a real month');
    expect(text).toContain('Enter the chance wanted');
    expect(text).toContain('Enter the date more educational psychologists could start');
    expect(text).toContain(
      'Enter the number of educational psychologists now, to work out how many more it would take',
    );
    // In the order of the page, each linked to its field; what was typed is kept.
    const links = [...response.text.matchAll(/<a href="#([a-z-_]+)">/g)].map((m) => m[1]);
    expect(links.slice(0, 4)).toEqual([
      'staff-educational_psychology',
      'staff-casework',
      'from-casework-day',
      'target-month',
    ]);
    expect(response.text).toContain('name="extra-casework" type="text" spellcheck="false" value="2"');
  });

  it('refuses to run the improvement plan’s change to staff whose number now is blank (400)', async () => {
    const la = '999';
    const [plan] = await database.db
      .insert(improvementPlans)
      .values({
        laCode: la,
        title: 'Plan',
        partners: [],
        periodStart: '2025-01-01',
        periodEnd: '2027-12-31',
        chair: 'Chair',
      })
      .returning();
    const [commitment] = await database.db
      .insert(commitments)
      .values({ laCode: la, planId: plan!.id, status: 'agreed', statement: 'More plans on time' })
      .returning();
    await database.db.insert(commitmentActions).values({
      laCode: la,
      commitmentId: commitment!.id,
      title: 'Recruit three more educational psychologists',
      ownerId: fixture.users.manager!.id,
      dueDate: '2025-09-01',
      status: 'in_progress',
      capacityStage: 'educational_psychology',
      capacityChange: 3,
      capacityFrom: '2025-06-01',
    });
    const refused = await send(FORM);
    expect(refused.response.status).toBe(400);
    expect(visibleWords(refused.response.text)).toContain(
      'Enter the number of educational psychologists now: the improvement plan changes them (Recruit three more educational psychologists)',
    );
    expect(refused.response.text).toContain('href="#staff-educational_psychology"');

    // With the number given, the run states the staff every scenario starts from, and the plan's change is in.
    const { response, agent, services } = await send({ ...FORM, 'staff-educational_psychology': '12' });
    expect(response.status).toBe(303);
    await services.scenarios.settled();
    const results = visibleWords((await agent.get(response.headers.location!).expect(200)).text);
    expect(results).toContain(
      'Each scenario starts from the staff now: 12 educational psychologists, EHC caseworkers not given (no change to them is modelled).',
    );
    expect(results).toMatch(
      /\+3 educational psychologists from 1 June 2025 \(Recruit three more educational psychologists\)/,
    );
  });
});
