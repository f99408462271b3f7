/**
 * A draft revised and served again, and the family's second response to it (issue 27): the family reads the draft
 * served last and comments on it; the caseworker's plan editor shows their latest comments, not the first ones; the
 * comparison of draft and final starts from the draft served last. The case's events are newest first: each of these
 * readers must take the first found, not the last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaDrafted, caseStamp, caseworkerContext, postForm as post } from '../../../../test/casework.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration, type Integration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { emptyPlan } from '../../../domain/casework/planContent.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';

let database: Database;
let fixture: Fixture;
let services: Integration['services'];
let signIn: Integration['signIn'];
let ada: string;

const staff = () => caseworkerContext(fixture, 'second-response-test');
const stamp = () => caseStamp(database, ada);
const draft = (a: string) => ({ ...emptyPlan(), A: a, B: [{ id: 'n1', text: 'Finds reading hard' }] });

beforeAll(async () => {
  const integration = await setUpIntegration();
  ({ database, fixture, services, signIn } = integration);
  ada = await adaDrafted(integration, draft('FIRST DRAFT wording'), '2025-03-24' as LocalDate);
});
afterAll(() => database.close());

describe('a second draft and the family’s second response', () => {
  it('the family reads the draft served last, and the caseworker sees their latest comments', async () => {
    const parent = await signIn('parent');
    const path = `/my-child/${ada}/draft`;
    expect((await post(parent, `${path}/sections/B`, { comment: 'FIRST comment on B' })).status).toBe(303);
    expect((await post(parent, `${path}/check`, {})).status).toBe(303);

    // The caseworker revises the draft and serves it again.
    await services.casework.saveDraft(staff(), ada, await stamp(), draft('SECOND DRAFT wording'));
    await services.casework.serveDraft(staff(), ada, await stamp(), {
      sentOn: '2025-03-28' as LocalDate,
      method: 'email',
    });
    const second = pageText((await parent.get(path).expect(200)).text);
    expect(second).toContain('SECOND DRAFT wording');
    expect(second).not.toContain('FIRST DRAFT wording');
    expect((await post(parent, `${path}/sections/B`, { comment: 'SECOND comment on B' })).status).toBe(303);
    expect((await post(parent, `${path}/check`, {})).status).toBe(303);

    const caseworker = await signIn('caseworker');
    const editor = pageText((await caseworker.get(`/cases/${ada}/plan/edit`).expect(200)).text);
    expect(editor).toContain('SECOND comment on B');
    expect(editor).not.toContain('FIRST comment on B');
  });
});
