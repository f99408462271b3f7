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
import { children, commitmentActions, commitments, improvementPlans, plans } from '../../../data/schema.js';

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
    reviews: 'as_now',
    'review-months': '',
    'extra-educational_psychology': '',
    'extra-casework': '',
    'target-share': '60',
    'target-month': '3',
    'target-year': '2026',
    solve: 'no',
    chance: '80',
  };
  // The form may be sent 5 times a minute by one person (web/middleware/expensive.ts): each test signs in as its own.
  const send = async (fields: Record<string, string>, user = 'manager') => {
    const { app, services } = testApp(database);
    const agent = await signedIn(app, fixture.users[user]!.email);
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

  it('asks how many months to clear the overdue reviews in when every review is to be on time (400)', async () => {
    const blank = await send({ ...FORM, reviews: 'on_time' }, 'board');
    expect(blank.response.status).toBe(400);
    expect(visibleWords(blank.response.text)).toContain('Enter the months to clear the overdue reviews in');
    expect(blank.response.text).toContain('href="#review-months"');
    const tooMany = await send({ ...FORM, reviews: 'on_time', 'review-months': '30' }, 'board');
    expect(visibleWords(tooMany.response.text)).toContain(
      'The months to clear the overdue reviews in must be between 1 and 24',
    );
    const none = await send({ ...FORM, reviews: '' }, 'board');
    expect(visibleWords(none.response.text)).toContain('Select how the annual reviews are run in your scenario');
  });

  it('runs your scenario with every review on time: the overdue cleared take their time from writing new plans', async () => {
    // Two plans of this LA whose reviews were due before today (CFA s.44(1)), and one of another LA's, not counted.
    for (const [laCode, key] of [
      ['999', 'Ann'],
      ['999', 'Bea'],
      ['998', 'Oli'],
    ] as const) {
      const [child] = await database.db
        .insert(children)
        .values({
          laCode,
          reference: `${laCode}-F${key}`,
          givenName: key,
          familyName: 'Review',
          dateOfBirth: '2014-01-01',
        })
        .returning({ id: children.id });
      await database.db.insert(plans).values({
        laCode,
        childId: child!.id,
        status: 'active',
        firstIssuedDate: '2023-03-01',
        reviewDueDate: '2024-02-29',
        reviewDueRule: 'cfa_s44_1',
        reviewNextDuty: 'complete_annual_review',
        reviewNextDue: '2024-02-29',
      });
    }
    const { response, agent, services } = await send(
      { ...FORM, 'staff-educational_psychology': '12', 'target-month': '9', reviews: 'on_time', 'review-months': '1' },
      'qa',
    );
    expect(visibleWords((await agent.get('/forecast/scenarios').expect(200)).text)).toContain(
      'and 2 are overdue today.',
    );
    expect(response.status).toBe(303);
    await services.scenarios.settled();
    const id = response.headers.location!.split('/').pop()!;
    const result = (await services.scenarios.jobs.get('999', id))!.result!;
    expect(result.reviewWorkload.overdue).toBe(2);
    // No review concluded in the last year here: both overdue ones in next month are 2 more than now. Each is in hand
    // 8 weeks at weight 1 (domain/casework/processes.ts), against the open requests weighted by stage.
    const [current, plan, custom] = result.outcomes;
    expect(current!.reviews.lowest).toBeNull();
    expect(plan!.reviews.lowest).toBeNull();
    const next = custom!.months[1]!;
    const [y, m] = next.split('-').map(Number) as [number, number];
    const weeks = new Date(Date.UTC(y, m, 0)).getUTCDate() / 7;
    expect(custom!.reviews.lowest!.month).toBe(next);
    expect(custom!.reviews.lowest!.factor).toBeCloseTo(
      Math.max(0, 1 - ((2 / weeks) * 8) / result.reviewWorkload.requestLoad),
      10,
    );
    const page = visibleWords((await agent.get(response.headers.location!).expect(200)).text);
    expect(page).toContain('Annual reviews As now As now Every review on time from');
    expect(page).toMatch(
      /and the 2 overdue cleared by the end of \w+ \d{4}: up to [\d.]+% less of caseworkers’ time for writing new plans/,
    );
  });
});
