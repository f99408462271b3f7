/**
 * The plan check as a board uses it: paste the current plan, see which statements are measurable and what the others
 * lack. Nothing is stored; any text of any size is answered with a page, never a crash.
 */
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
});
afterAll(async () => {
  await database.close();
});

const check = async (who: string, planText: string) => {
  const agent = await signedIn(app, fixture.users[who]!.email);
  const page = await agent.get('/improvement-plan/check').expect(200);
  return agent
    .post('/improvement-plan/check')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), planText });
};

const PLAN = [
  '## Timeliness',
  '- We will work towards improving the timeliness of EHC plans.',
  '- 60% of new EHCPs within 20 weeks (SEN2) by July 2026, owner: Director of SEND, up from 32.6% in 2022; milestone 50% by April 2026.',
].join('\n');

describe('the plan check', () => {
  it('shows each statement with what it lacks, and which are measurable', async () => {
    const res = await check('board', PLAN);
    expect(res.status).toBe(200);
    expect(res.text).toContain('2 statements read; 1 is measurable as written.');
    expect(res.text).toContain('A vague verb with no measure behind it: “work towards”, “improving”');
    expect(res.text).toContain('No date: say when the target will be reached');
    expect(res.text).toMatch(/<td class="govuk-table__cell">Timeliness<\/td>/);
    expect(res.text).toMatch(/Measurable\s*<\/strong>/);
    // What was pasted is shown again in the box.
    expect(/<textarea[^>]*>([^<]*)<\/textarea>/.exec(res.text)?.[1]).toContain(
      '- We will work towards improving the timeliness of EHC plans.\n- 60% of new EHCPs',
    );
  });

  it('asks for text when none is given', async () => {
    const res = await check('manager', '   ');
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Paste the text of the plan');
  });

  it('reads the first 200,000 characters of a longer text and says so; refuses more than 1 MB with a message', async () => {
    const long = await check('board', 'We will improve outcomes for children. '.repeat(6000));
    expect(long.status).toBe(200);
    expect(long.text).toContain('Only the first 200,000 were checked');
    const huge = await check('board', 'x'.repeat(1_100_000));
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('The form was too large to send.');
  });

  it('answers odd text (control characters, lone surrogates, a byte-order mark) without failing', async () => {
    const res = await check('board', '\uFEFF\u0000\u0007 We will \uD800 explore options for families \u001B[31m');
    expect(res.status).toBe(200);
    expect(res.text).toContain('What the check found');
    // The check alone opts in to control characters (middleware/input.ts): the plan's pages that save still refuse
    // them, and so does the check's own address asked for otherwise than by its form.
    const agent = await signedIn(app, fixture.users.board!.email);
    const page = await agent.get('/improvement-plan/details').expect(200);
    const saved = await agent
      .post('/improvement-plan/details')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), title: 'Plan\u0000', chair: 'A' });
    expect(saved.status).toBe(400);
    expect(saved.text).toContain('control character');
    expect((await agent.get('/improvement-plan/check?planText=%00').expect(400)).text).toContain('control character');
  });

  it('is for board members and managers', async () => {
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    await caseworker.get('/improvement-plan/check').expect(403);
    const res = await supertest(app).get('/improvement-plan/check').expect(303);
    expect(res.headers.location).toMatch(/^\/sign-in/);
  });
});
