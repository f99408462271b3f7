/**
 * The casework forms state the statutory periods from the domain's constants (domain/statutory/periods.ts), not as
 * words typed into the templates: with the constants changed here (FINAL_PLAN_WEEKS, reg 13(2), from 20 to 21;
 * DECIDE_WHETHER_TO_ASSESS_WEEKS, reg 5(1), from 6 to 7), the pages say so. Only the periods in weeks are changed;
 * the clock counts in days (FINAL_PLAN_DAYS and the rest keep their values), so the dates stated stay the clock's.
 * "Today" is Tuesday 1 April 2025 (TEST_NOW); Ben's request was received on 3 March 2025 (test/fixtures.ts).
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { signedIn, testApp } from '../../../../test/app.js';
import { openTestDb } from '../../../../test/db.js';
import { seedFixture, type Fixture } from '../../../../test/fixtures.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import type * as Periods from '../../../domain/statutory/periods.js';

vi.mock('../../../domain/statutory/periods.js', async (importOriginal) => ({
  ...(await importOriginal<typeof Periods>()),
  FINAL_PLAN_WEEKS: 21,
  DECIDE_WHETHER_TO_ASSESS_WEEKS: 7,
}));

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
