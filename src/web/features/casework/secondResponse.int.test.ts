/**
 * A draft revised and served again, and the family's second response to it (issue 27): the family reads the draft
 * served last and comments on it; the caseworker's plan editor shows their latest comments, not the first ones; the
 * comparison of draft and final starts from the draft served last. The case's events are newest first: each of these
 * readers must take the first found, not the last.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom } from '../../../../test/app.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration, type Integration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { adviceRequests, assessmentRequests } from '../../../data/schema.js';
import { emptyPlan } from '../../../domain/casework/planContent.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import type { RequestContext } from '../../../services/cases.js';

let database: Database;
let fixture: Fixture;
let services: Integration['services'];
let signIn: Integration['signIn'];
let ada: string;
type Agent = Awaited<ReturnType<Integration['signIn']>>;

const staff = (): RequestContext => ({
  actor: { userId: fixture.users.caseworker!.id, laCode: '999', roles: ['caseworker'], childIds: [] },
  ip: '127.0.0.1',
  requestId: 'second-response-test',
});
async function stamp() {
  const [r] = await database.db
    .select({ version: assessmentRequests.version })
    .from(assessmentRequests)
    .where(eq(assessmentRequests.id, ada));
  return { version: r!.version, submissionKey: randomUUID() };
}
async function post(agent: Agent, path: string, fields: Record<string, string>) {
  const page = await agent.get(path);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '0';
  const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)?.[1];
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version, ...(key ? { submissionKey: key } : {}), ...fields });
}
const draft = (a: string) => ({ ...emptyPlan(), A: a, B: [{ id: 'n1', text: 'Finds reading hard' }] });

beforeAll(async () => {
  ({ database, fixture, services, signIn } = await setUpIntegration());
  ada = fixture.cases.ada!.requestId;
  const [advice] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.requestId, ada));
  await services.casework.recordAdvice(staff(), ada, advice!.id, await stamp(), {
    receivedOn: '2025-03-20' as LocalDate,
    document: null,
  });
  await services.casework.decideIssue(staff(), ada, await stamp(), {
    outcome: 'issue',
    reasons: 'Needs a plan',
    decidedOn: '2025-03-21' as LocalDate,
  });
  await services.casework.saveDraft(staff(), ada, await stamp(), draft('FIRST DRAFT wording'));
  await services.casework.serveDraft(staff(), ada, await stamp(), {
    sentOn: '2025-03-24' as LocalDate,
    method: 'email',
  });
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
