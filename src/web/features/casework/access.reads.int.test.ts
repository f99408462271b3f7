/**
 * Every casework route, for every kind of user: staff of another LA get "Page not found" and change nothing; users
 * whose role does not record casework are refused; the LA's caseworkers and managers get the page.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { adviceRequests, caseEvents, documents, settingConsultations } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let ids: { request: string; advice: string; consultation: string; document: string };

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  const ada = fixture.cases.ada!;
  const [advice] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.requestId, ada.requestId));
  const [consultation] = await database.db
    .insert(settingConsultations)
    .values({ laCode: '999', requestId: ada.requestId, settingName: 'Hill Primary', sentDate: '2025-03-10' })
    .returning();
  const [document] = await database.db
    .insert(documents)
    .values({
      laCode: '999',
      childId: ada.childId,
      requestId: ada.requestId,
      filename: 'advice.pdf',
      mediaType: 'application/pdf',
      sizeBytes: 8,
      sha256: '0',
      content: Buffer.from('%PDF-1.7'),
    })
    .returning();
  ids = { request: ada.requestId, advice: advice!.id, consultation: consultation!.id, document: document!.id };
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;

/** Forms on a case, by the permission they need. */
const caseForms = () => [
  'assessment-decision',
  'advice/new',
  'advice/reuse',
  `advice/${ids.advice}/received`,
  'issue-decision',
  'plan/edit',
  'draft-served',
  'consultations/new',
  `consultations/${ids.consultation}/reply`,
  'representations',
  'final-plan',
  'exception',
  'withdraw',
  'meeting',
];

describe('casework routes and who may use them', () => {
  it('gives another LA’s caseworker "Page not found" on every case route, and writes nothing', async () => {
    const other = await signedIn(app, email('othercaseworker'));
    const own = await other.get('/cases').expect(200);
    const before = (await database.db.select().from(caseEvents).where(eq(caseEvents.requestId, ids.request))).length;
    const paths = [
      ...caseForms().map((p) => `/cases/${ids.request}/${p}`),
      `/cases/${ids.request}/plan`,
      `/cases/${ids.request}/plan/compare`,
      `/documents/${ids.document}`,
    ];
    for (const path of paths) {
      const res = await other.get(path);
      expect(res.status, path).toBe(404);
    }
    for (const p of caseForms()) {
      const res = await other
        .post(`/cases/${ids.request}/${p}`)
        .type('form')
        .send({ _csrf: csrfFrom(own.text), version: '1', submissionKey: randomUUID(), outcome: 'assess' });
      expect(res.status, p).toBe(404);
    }
    const after = (await database.db.select().from(caseEvents).where(eq(caseEvents.requestId, ids.request))).length;
    expect(after).toBe(before);
  });

  it.each(['qa', 'board', 'advice', 'parent', 'admin'])('refuses every casework form to %s', async (key) => {
    const agent = await signedIn(app, email(key));
    for (const p of [...caseForms(), 'caseworker']) {
      expect((await agent.get(`/cases/${ids.request}/${p}`)).status, p).toBe(403);
    }
    expect((await agent.get('/requests/new')).status).toBe(403);
    expect((await agent.get('/caseload/caseworkers')).status).toBe(403);
  });

  it('lets staff who may read cases read the plan and documents, and no one else', async () => {
    for (const [key, status] of [
      ['qa', 200],
      ['caseworker', 200],
      ['parent', 403],
      ['board', 403],
    ] as const) {
      const agent = await signedIn(app, email(key));
      expect((await agent.get(`/cases/${ids.request}/plan`)).status, key).toBe(status);
      expect((await agent.get(`/documents/${ids.document}`)).status, key).toBe(status);
    }
  });

  it('opens every form for the LA’s caseworkers and managers (the caseworker form for managers only)', async () => {
    for (const key of ['caseworker', 'manager']) {
      const agent = await signedIn(app, email(key));
      for (const p of caseForms()) {
        expect((await agent.get(`/cases/${ids.request}/${p}`)).status, `${key} ${p}`).toBe(200);
      }
      expect((await agent.get(`/cases/${ids.request}/caseworker`)).status).toBe(key === 'manager' ? 200 : 403);
    }
  });
});
