/**
 * The pages state the statutory periods from the domain's constants (domain/statutory/periods.ts), not as words typed
 * into the templates: with the constants changed here (FINAL_PLAN_WEEKS, reg 13(2), from 20 to 21;
 * DECIDE_WHETHER_TO_ASSESS_WEEKS, reg 5(1), from 6 to 7; ADVICE_WEEKS, reg 8(1), from 6 to 7), the casework forms,
 * the caseload, the measures, the forecast, the improvement plan and the advice chasers' emails say so. Only the periods in weeks are changed;
 * the clock counts in days (FINAL_PLAN_DAYS and the rest keep their values), so the dates stated stay the clock's.
 * "Today" is Tuesday 1 April 2025 (TEST_NOW); Ben's request was received on 3 March 2025 (test/fixtures.ts).
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { openTestDb } from '../../../../test/db.js';
import { seedFixture, type Fixture } from '../../../../test/fixtures.js';
import { pageText } from '../../../../test/pages.js';
import { PLAN_DETAILS_FORM } from '../../../../test/planDetails.js';
import type * as TestApp from '../../../../test/app.js';
import type { Database } from '../../../data/db.js';
import type * as Chasers from '../../../domain/casework/chasers.js';
import { localDate } from '../../../domain/dates/localDate.js';
import type * as Periods from '../../../domain/statutory/periods.js';

// The constants changed for this file only. Vitest runs test files without isolation (vitest.config.ts), so a module
// another file has already loaded in this worker stays loaded: the mock is set up, and everything that reads the
// periods loaded afresh, before the tests; and undone after them, so the next file in the worker gets the real ones.
const PERIODS = '../../../domain/statutory/periods.js';
let testApp: typeof TestApp.testApp;
let signedIn: typeof TestApp.signedIn;
let csrfFrom: typeof TestApp.csrfFrom;
let chaserFor: typeof Chasers.chaserFor;

beforeAll(async () => {
  vi.resetModules();
  vi.doMock(PERIODS, async (importOriginal) => ({
    ...(await importOriginal<typeof Periods>()),
    FINAL_PLAN_WEEKS: 21,
    DECIDE_WHETHER_TO_ASSESS_WEEKS: 7,
    ADVICE_WEEKS: 7,
  }));
  ({ testApp, signedIn, csrfFrom } = await import('../../../../test/app.js'));
  ({ chaserFor } = await import('../../../domain/casework/chasers.js'));
});
afterAll(() => {
  vi.doUnmock(PERIODS);
  vi.resetModules();
});

let database: Database;
let fixture: Fixture;
let agent: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  database = await openTestDb();
  fixture = await seedFixture(database);
  agent = await signedIn(testApp(database).app, fixture.users.caseworker!.email);
});
afterAll(async () => {
  await database.close();
});

it('the new request form states the final plan period (reg 13(2)) from FINAL_PLAN_WEEKS', async () => {
  const res = await agent.get('/requests/new').expect(200);
  expect(pageText(res.text)).toContain('The 21-week clock starts on the day the council received the request.');
});

it('the assessment decision form states the reg 5(1) period from DECIDE_WHETHER_TO_ASSESS_WEEKS, and the clock’s date', async () => {
  const res = await agent.get(`/cases/${fixture.cases.ben!.requestId}/assessment-decision`).expect(200);
  // 3 March 2025 + 42 days (DECIDE_WHETHER_TO_ASSESS_DAYS, unchanged) = 14 April 2025.
  expect(pageText(res.text)).toContain(
    'The family must be told within 7 weeks of the request (SEND Regulations 2014, reg 5(1)): by 14 April 2025 .',
  );
});

it('the issue decision form states both reg 10(1) and reg 13(2) periods from the constants', async () => {
  const res = await agent.get(`/cases/${fixture.cases.cal!.requestId}/issue-decision`).expect(200);
  const text = pageText(res.text);
  expect(text).toContain('within 16 weeks of the request (reg 10(1))');
  expect(text).toContain('the final plan is due within 21 weeks of the request (reg 13(2))');
});

it('the draft served form states the comment window (reg 13(1)(a)) and deemed service by post in words', async () => {
  const res = await agent.get(`/cases/${fixture.cases.cal!.requestId}/draft-served`).expect(200);
  // DRAFT_COMMENT_DAYS 15; FIRST_CLASS_POST_WORKING_DAYS 2 and SECOND_CLASS_POST_WORKING_DAYS 4 (Interpretation Act
  // 1978 s.7), written as ordinals.
  expect(pageText(res.text)).toContain(
    'The family has at least 15 days from when the draft is served to comment and to ask for a school or other setting (reg 13(1)). Posted drafts count as served on the 2nd working day (first class) or 4th working day (second class) after posting.',
  );
});

it('the caseload tags a request open longer than the final plan period (reg 13(2)) with FINAL_PLAN_WEEKS', async () => {
  const manager = await signedIn(testApp(database).app, fixture.users.manager!.email);
  // Cal's request was received on 4 November 2024: on 1 April 2025 it is 148 days old, over FINAL_PLAN_DAYS (140,
  // unchanged), so it is tagged; the tag names the period in weeks.
  const text = pageText((await manager.get('/cases?view=all').expect(200)).text);
  expect(text).toContain(
    'Carter, Cal R-cal Writing the draft plan Decide whether to assess, 16 December 2024 Overdue 21 Over 21 weeks',
  );
  expect(text).not.toContain('Over 20 weeks');
});

it('the measures state reg 5(1) and reg 13(2) from the constants: a measure’s table and the published method', async () => {
  const manager = await signedIn(testApp(database).app, fixture.users.manager!.email);
  const measure = pageText((await manager.get('/measures/decided_within_6_weeks').expect(200)).text);
  expect(measure).toContain(
    'Year received Requests received Decided within 7 weeks Late Not judged yet Withdrawn Within 7 weeks England Figure',
  );
  const method = pageText((await agent.get('/performance/measures/waiting_over_20_weeks').expect(200)).text);
  expect(method).toContain('the open requests are those waiting over 21 weeks plus the rest');
  // The measures' own names and definitions (domain/measures), and the note under the year's DfE figures.
  expect(measure).toContain('Requests decided within 7 weeks');
  const timeliness = pageText((await manager.get('/measures/plans_within_20_weeks_incl').expect(200)).text);
  expect(timeliness).toContain('New EHC plans issued within 21 weeks, including exceptions');
  expect(timeliness).not.toContain('within 20 weeks');
});

it('the SEN2 page says how DfE counts plans within the reg 13(2) period', async () => {
  const data = await signedIn(testApp(database).app, fixture.users.data!.email);
  const page = pageText((await data.get('/sen2?year=2025').expect(200)).text);
  expect(page).toContain('within 21 weeks meaning');
});

it('the forecast scenario form and the improvement plan’s commitment form state the reg 13(2) period', async () => {
  const board = await signedIn(testApp(database).app, fixture.users.board!.email);
  expect(pageText((await board.get('/forecast/scenarios').expect(200)).text)).toContain(
    'Share of new EHC plans issued within 21 weeks',
  );
  // The plan is set up first (its details: the form a board member fills in), so that commitments can be added.
  const details = await board.get('/improvement-plan/details').expect(200);
  await board
    .post('/improvement-plan/details')
    .type('form')
    .send({
      _csrf: csrfFrom(details.text),
      version: '0',
      ...PLAN_DETAILS_FORM,
    })
    .expect(303);
  expect(pageText((await board.get('/improvement-plan/commitments/new').expect(200)).text)).toContain(
    'for example: 60% of new EHC plans issued within 21 weeks by July 2026.',
  );
});

it('the advice chasers’ emails state reg 8(1) and reg 13(2) from ADVICE_WEEKS and FINAL_PLAN_WEEKS', () => {
  const advice = {
    adviceId: 'a1',
    adviceType: 'health',
    adviceTypeName: 'Health',
    provider: 'Designated Clinical Officer',
    requestedDate: localDate('2025-02-24'),
    childReference: '999-000123',
    requestReference: 'EHC-2025-00045',
  };
  // Due 24 February 2025 + 42 days (ADVICE_DAYS, unchanged) = 7 April 2025; the reminder a week before.
  expect(chaserFor(advice, localDate('2025-03-31'), [])!.body).toContain(
    'It is due by 7 April 2025, 7 weeks after the request (SEND Regulations 2014, regulation 8(1)).',
  );
  expect(chaserFor(advice, localDate('2025-04-08'), ['reminder'])!.body).toContain(
    'The council must issue the plan within 21 weeks of the request',
  );
  // The escalation after 2 weeks is the service's practice, not a statutory period: it does not move.
  expect(chaserFor(advice, localDate('2025-04-21'), ['overdue'])!.subject).toBe(
    'Escalation: advice for child 999-000123 is 2 weeks overdue',
  );
});
