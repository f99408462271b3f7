/**
 * Schools and settings online (issue 27): a school's user sees the consultations sent to their setting's URN in their
 * LA and no others, with the 15-day reply date (SEND Code of Practice 9.83), reads the draft plan they were sent
 * (recorded when the caseworker consulted them), and answers: can meet the needs, or cannot with reasons. The answer is
 * the setting's reply on the case at once, version-checked, read-only after. Every route refuses another school's
 * and another LA's consultations (404, audited as denied), and parents, caseworkers and advice givers (403).
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, signedIn, type testApp } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText } from '../../../../test/pages.js';
import { addProfessionals, type Professional } from '../../../../test/professionals.js';
import type { Database } from '../../../data/db.js';
import { assessmentRequests, auditLog, caseEvents, settingConsultations } from '../../../data/schema.js';
import { emptyPlan } from '../../../domain/casework/planContent.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import type { RequestContext } from '../../../services/cases.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let services: ReturnType<typeof testApp>['services'];
const pros: Record<string, Professional> = {};
const ids = { hill: '', otherSchool: '', otherLa: '' };

beforeAll(async () => {
  ({ database, fixture, app, services } = await setUpIntegration());
  Object.assign(pros, await addProfessionals(database));
  // Cal's caseworker writes the draft and consults Hill Primary (URN 123456) on 25 March 2025, as on the forms.
  const cal = fixture.cases.cal!;
  const ctx: RequestContext = {
    actor: { userId: fixture.users.caseworker!.id, laCode: '999', roles: ['caseworker'], childIds: [] },
    ip: '127.0.0.1',
    requestId: 'test',
  };
  const version = async () =>
    (await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, cal.requestId)))[0]!.version;
  const plan = { ...emptyPlan(), B: [{ id: 'n1', text: 'Cal needs help to manage changes in routine' }] };
  await services.casework.saveDraft(
    ctx,
    cal.requestId,
    { version: await version(), submissionKey: randomUUID() },
    plan,
  );
  await services.casework.consultSetting(
    ctx,
    cal.requestId,
    { version: await version(), submissionKey: randomUUID() },
    { settingName: 'Hill Primary', settingUrn: '123456', sentOn: '2025-03-25' as LocalDate },
  );
  const [hill] = await database.db
    .select()
    .from(settingConsultations)
    .where(eq(settingConsultations.requestId, cal.requestId));
  ids.hill = hill!.id;
  const insert = async (row: typeof settingConsultations.$inferInsert) =>
    (await database.db.insert(settingConsultations).values(row).returning({ id: settingConsultations.id }))[0]!.id;
  ids.otherSchool = await insert({
    laCode: '999',
    requestId: fixture.cases.ben!.requestId,
    settingName: 'Dale Academy',
    settingUrn: '654321',
    sentDate: '2025-03-20',
  });
  // The same URN in another LA: a different council's consultation.
  ids.otherLa = await insert({
    laCode: '998',
    requestId: fixture.cases.eve!.requestId,
    settingName: 'Hill Primary',
    settingUrn: '123456',
    sentDate: '2025-03-20',
  });
});
afterAll(async () => {
  await database.close();
});

describe('a school’s consultations', () => {
  it('lists its setting’s consultations in its LA with the 15-day reply date (Code of Practice 9.83)', async () => {
    const agent = await signedIn(app, pros.hill!.email);
    expect(pageText((await agent.get('/').expect(200)).text)).toContain('Consultations');
    const text = pageText((await agent.get('/consultations').expect(200)).text);
    // Sent 25 March 2025: reply by 9 April 2025 (25 March + 15 days).
    expect(text).toMatch(/Cal .*25 March 2025 9 April 2025 Reply due/);
    expect(text).not.toContain('Ben');
    expect(text).not.toContain('Eve');
  });

  it('shows the draft plan the setting was sent (recorded when the caseworker consulted it)', async () => {
    const [row] = await database.db.select().from(settingConsultations).where(eq(settingConsultations.id, ids.hill));
    expect(row!.planVersionId).not.toBeNull();
    const agent = await signedIn(app, pros.hill!.email);
    const text = pageText((await agent.get(`/consultations/${ids.hill}`).expect(200)).text);
    expect(text).toContain('Can Hill Primary meet Cal’s needs?');
    expect(text).toContain('Read the draft plan (version 1)');
    expect(text).toContain('Cal needs help to manage changes in routine');
    expect(text).toContain('Reply by 9 April 2025');
  });

  it('refuses parents, caseworkers and advice givers (403)', async () => {
    for (const email of [fixture.users.parent!.email, fixture.users.caseworker!.email, pros.ep!.email]) {
      const agent = await signedIn(app, email);
      await agent.get('/consultations').expect(403);
      await agent.get(`/consultations/${ids.hill}`).expect(403);
    }
  });

  it('is not found for another school’s or another LA’s consultation, GET and POST, audited as denied', async () => {
    for (const [pro, id] of [
      [pros.hill!, ids.otherSchool],
      [pros.hill!, ids.otherLa],
      [pros.dale!, ids.hill],
      [pros.otherLa!, ids.hill],
    ] as const) {
      const agent = await signedIn(app, pro.email);
      const token = csrfFrom((await agent.get('/account')).text);
      await agent.get(`/consultations/${id}`).expect(404);
      await agent
        .post(`/consultations/${id}`)
        .type('form')
        .send({ _csrf: token, version: '1', submissionKey: randomUUID(), response: 'can_meet' })
        .expect(404);
      const audits = await database.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.userId, pro.id), eq(auditLog.entityId, id)));
      expect(audits.map((a) => a.action)).toEqual(['read_denied', 'write_denied']);
    }
    const answered = await database.db.select().from(settingConsultations);
    expect(answered.filter((c) => c.respondedDate !== null)).toEqual([]);
  });

  it('answers online: reasons required when it cannot meet the needs, then the reply is on the case', async () => {
    const agent = await signedIn(app, pros.hill!.email);
    const page = (await agent.get(`/consultations/${ids.hill}`).expect(200)).text;
    const stamp = {
      _csrf: csrfFrom(page),
      version: /name="version" value="(\d+)"/.exec(page)![1]!,
      submissionKey: /name="submissionKey" value="([^"]+)"/.exec(page)![1]!,
    };
    const noReasons = await agent
      .post(`/consultations/${ids.hill}`)
      .type('form')
      .send({ ...stamp, response: 'cannot_meet', note: '' })
      .expect(400);
    expect(pageText(noReasons.text)).toContain(
      'There is a problem Enter the reasons your setting cannot meet the child’s needs',
    );
    await agent
      .post(`/consultations/${ids.hill}`)
      .type('form')
      .send({ ...stamp, response: 'cannot_meet', note: 'No places in Year 4 with the support described' })
      .expect(303);
    const [row] = await database.db.select().from(settingConsultations).where(eq(settingConsultations.id, ids.hill));
    expect(row).toMatchObject({
      respondedDate: '2025-04-01',
      response: 'cannot_meet',
      responseNote: 'No places in Year 4 with the support described',
      respondedBy: pros.hill!.id,
    });
    const events = await database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, fixture.cases.cal!.requestId), eq(caseEvents.type, 'consultation_reply')));
    expect(events).toHaveLength(1);
    // The caseworker sees the reply on the case page at once.
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const casePage = pageText((await caseworker.get(`/cases/${fixture.cases.cal!.requestId}`).expect(200)).text);
    expect(casePage).toContain('No places in Year 4 with the support described');
    // Read-only after: no form, and the same form sent again (a stale version) records nothing more.
    const after = (await agent.get(`/consultations/${ids.hill}?sent=1`).expect(200)).text;
    expect(pageText(after)).toContain('Your answer has been sent to the council.');
    // The list keeps the date the reply was due under "Reply by" (15 days from 25 March: 9 April, CoP 9.83).
    expect(pageText((await agent.get('/consultations').expect(200)).text)).toMatch(
      /Cal .*25 March 2025 9 April 2025 Answered/,
    );
    expect(after).not.toContain('Send your answer');
    await agent
      .post(`/consultations/${ids.hill}`)
      .type('form')
      .send({ ...stamp, submissionKey: randomUUID(), response: 'can_meet', note: '' })
      .expect(409);
    const again = await database.db.select().from(settingConsultations).where(eq(settingConsultations.id, ids.hill));
    expect(again[0]!.response).toBe('cannot_meet');
  });
});
