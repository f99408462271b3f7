/**
 * Advice givers online (issue 27): the work list holds the requests addressed to them or their service and no others;
 * the advice is written under the plan's headings, saved as they go (version-checked), checked and sent with the
 * signed document, and then it is the case's: received today, the clock's advice duty met (reg 8(1)), the structured
 * advice on the caseworker's case page, read-only to the professional. Every route refuses another service's,
 * another professional's and another LA's requests (404, audited as denied), and parents and caseworkers (403).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, signedIn, type testApp } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText } from '../../../../test/pages.js';
import { addProfessionals, type Professional } from '../../../../test/professionals.js';
import type { Database } from '../../../data/db.js';
import { adviceRequests, assessmentRequests, auditLog, caseEvents, documents } from '../../../data/schema.js';
import { readPlanContent } from '../../../domain/casework/planContent.js';
import { adviceWorkList } from '../../../data/repositories/professionals.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let services: ReturnType<typeof testApp>['services'];
const pros: Record<string, Professional> = {};
/** Advice requests: Ada's EP advice (due 7 April 2025), a late EP request, health addressed to `named`, and LA 998's. */
const ids = { ada: '', late: '', named: '', otherLa: '' };

const pdf = () => Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

beforeAll(async () => {
  ({ database, fixture, app, services } = await setUpIntegration());
  Object.assign(pros, await addProfessionals(database));
  const { db } = database;
  const [ada] = await db
    .select()
    .from(adviceRequests)
    .where(eq(adviceRequests.requestId, fixture.cases.ada!.requestId));
  ids.ada = ada!.id;
  const insert = async (row: typeof adviceRequests.$inferInsert) =>
    (await db.insert(adviceRequests).values(row).returning({ id: adviceRequests.id }))[0]!.id;
  // Asked for on 6 January 2025: due 17 February (6 weeks, reg 8(1)), late on 1 April.
  ids.late = await insert({
    laCode: '999',
    requestId: fixture.cases.bulk0!.requestId,
    adviceType: 'educational_psychology',
    provider: 'EP Service',
    requestedDate: '2025-01-06',
  });
  ids.named = await insert({
    laCode: '999',
    requestId: fixture.cases.bulk1!.requestId,
    adviceType: 'social_care',
    provider: 'Children’s Social Care',
    requestedDate: '2025-03-03',
    providerUserId: pros.named!.id,
  });
  ids.otherLa = await insert({
    laCode: '998',
    requestId: fixture.cases.eve!.requestId,
    adviceType: 'educational_psychology',
    provider: 'Other EP',
    requestedDate: '2025-03-03',
  });
});
afterAll(async () => {
  await database.close();
});

const deniedAudits = async (userId: string, entityId: string) =>
  database.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(and(eq(auditLog.userId, userId), eq(auditLog.entityId, entityId)));

describe('the work list', () => {
  it('lists the requests to the person’s service, late first, with due dates from the 6-week advice duty', async () => {
    const agent = await signedIn(app, pros.ep!.email);
    const home = pageText((await agent.get('/').expect(200)).text);
    expect(home).toContain('Requests for advice');
    expect(home).not.toContain('nothing for your role to do');
    const text = pageText((await agent.get('/advice').expect(200)).text);
    // Late first (due 17 February 2025 = 6 January + 42 days), then Ada's, due 7 April (24 February + 42 days).
    expect(text).toMatch(/Kid0 .*17 February 2025 Late .*Ada .*24 February 2025 7 April 2025 Due soon/);
    expect(text).toContain('1 is late');
    // Children with the same first name told apart by the request's reference and their date of birth.
    expect(text).toContain('Ada (Educational psychology advice) R-ada Born 4 May 2016');
    // Not the social care request addressed to someone else, not another LA's.
    expect(text).not.toContain('Kid1');
    expect(text).not.toContain('Eve');
  });

  it('gives a professional addressed by name only what was addressed to them', async () => {
    const agent = await signedIn(app, pros.named!.email);
    const text = pageText((await agent.get('/advice').expect(200)).text);
    expect(text).toContain('Kid1');
    expect(text).not.toContain('Ada');
    expect(text).not.toContain('Kid0');
  });

  it('lists under “Given” only advice given online; advice the council recorded from a document says so', async () => {
    // EP advice for Kid5 that the caseworker recorded by hand from a document: received, never submitted online.
    const [hand] = await database.db
      .insert(adviceRequests)
      .values({
        laCode: '999',
        requestId: fixture.cases.bulk5!.requestId,
        adviceType: 'educational_psychology',
        provider: 'EP Service',
        requestedDate: '2025-03-10',
        receivedDate: '2025-03-20',
      })
      .returning({ id: adviceRequests.id });
    const agent = await signedIn(app, pros.ep!.email);
    const given = pageText((await agent.get('/advice?show=given').expect(200)).text);
    expect(given).toContain('Given (0)');
    expect(given).not.toContain('Kid5');
    expect(pageText((await agent.get('/advice').expect(200)).text)).not.toContain('Kid5');
    const opened = pageText((await agent.get(`/advice/${hand!.id}`).expect(200)).text);
    expect(opened).toContain('The council recorded this advice from a document it received on 20 March 2025');
    expect(opened).not.toContain('Your advice has been sent');
    expect(opened).not.toContain('None given');
  });

  it('refuses parents and caseworkers (403)', async () => {
    for (const who of ['parent', 'caseworker']) {
      const agent = await signedIn(app, fixture.users[who]!.email);
      await agent.get('/advice').expect(403);
      await agent.get(`/advice/${ids.ada}`).expect(403);
      await agent.get(`/advice/${ids.ada}/check`).expect(403);
    }
  });
});

describe('a request outside the person’s scope', () => {
  it('is not found on every route, GET and POST, and the attempt is audited as denied', async () => {
    const cases: [string, string][] = [
      ['ep', ids.named], // addressed to another professional by name
      ['dco', ids.ada], // another service's
      ['named', ids.ada], // another service's, for someone with none
      ['ep', ids.otherLa], // another LA's
      ['otherep', ids.ada], // another LA's, from the other side
    ];
    for (const [key, adviceId] of cases) {
      const pro = Object.values(pros).find((p) => p.email.startsWith(`${key}@`))!;
      const agent = await signedIn(app, pro.email);
      const list = await agent.get('/advice').expect(200);
      const token = csrfFrom(list.text.includes('_csrf') ? list.text : (await agent.get('/account')).text);
      await agent.get(`/advice/${adviceId}`).expect(404);
      await agent.get(`/advice/${adviceId}/check`).expect(404);
      await agent
        .post(`/advice/${adviceId}`)
        .type('form')
        .send({ _csrf: token, version: '1', submissionKey: crypto.randomUUID(), 'need-count': '1', 'need-0-text': 'x' })
        .expect(404);
      await agent
        .post(`/advice/${adviceId}/check`)
        .field('_csrf', token)
        .field('version', '1')
        .field('submissionKey', crypto.randomUUID())
        .attach('document', pdf(), 'advice.pdf')
        .expect(404);
      const audits = (await deniedAudits(pro.id, adviceId)).map((a) => a.action);
      expect(audits, `${key} ${adviceId}`).toEqual(['read_denied', 'read_denied', 'write_denied', 'write_denied']);
    }
    // Nothing was written to any of them.
    const rows = await database.db.select().from(adviceRequests);
    const tried = new Set(cases.map(([, id]) => id));
    expect(rows.filter((r) => tried.has(r.id) && (r.content !== null || r.receivedDate !== null))).toEqual([]);
  });
});

describe('giving advice', () => {
  const form = (html: string, fields: Record<string, string>) => ({
    _csrf: csrfFrom(html),
    version: /name="version" value="(\d+)"/.exec(html)![1]!,
    submissionKey: /name="submissionKey" value="([^"]+)"/.exec(html)![1]!,
    ...fields,
  });

  it('shows the minimum the professional needs about the child, and the caseworker to contact', async () => {
    const agent = await signedIn(app, pros.ep!.email);
    const text = pageText((await agent.get(`/advice/${ids.ada}`).expect(200)).text);
    expect(text).toContain('Educational psychology advice for Ada Abbott');
    expect(text).toContain('Date of birth 4 May 2016');
    expect(text).toContain('Due by 7 April 2025');
    expect(text).toContain('Caseworker Caseworker caseworker@example.org');
    // Nothing written yet: no writing checks to nag about, and the signed document asked for up front.
    expect(text).not.toContain('Section B lists no needs');
    expect(text).toContain('You must attach your signed advice document');
    // Audited as a read of this child's record.
    const [read] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.userId, pros.ep!.id), eq(auditLog.entityId, ids.ada), eq(auditLog.action, 'read')));
    expect(read?.childId).toBe(fixture.cases.ada!.childId);
  });

  it('saves as they go, with the plan’s writing checks as warnings, and refuses a stale save', async () => {
    const agent = await signedIn(app, pros.ep!.email);
    const page = (await agent.get(`/advice/${ids.ada}`).expect(200)).text;
    const stale = form(page, {});
    // One need, no outcome yet; provision that does not say how often or for how long, with a vague phrase.
    await agent
      .post(`/advice/${ids.ada}`)
      .type('form')
      .send(
        form(page, {
          'need-count': '1',
          'outcome-count': '1',
          'provision-count': '1',
          'need-0-text': 'Ada finds it hard to follow spoken instructions of more than two steps',
          'need-0-area': 'communication_interaction',
          'provision-0-what': 'Regular support from a teaching assistant',
          'provision-0-who': 'Teaching assistant',
          add: '',
        }),
      )
      .expect(303)
      .expect('Location', `/advice/${ids.ada}?saved=1`);
    const saved = pageText((await agent.get(`/advice/${ids.ada}?saved=1`).expect(200)).text);
    expect(saved).toContain('Your advice has been saved. It has not been sent yet.');
    // The golden thread (writingChecks.ts planWarnings) and vague wording, as the plan editor shows them.
    expect(saved).toContain('Need 1 has no outcome in section E');
    expect(saved).toContain('Provision 1 does not say how often, for how long');
    expect(saved).toContain('Provision 1 (what) uses vague wording (“regular”)');
    // The form opened before that save is refused: 409, nothing overwritten.
    const refused = await agent
      .post(`/advice/${ids.ada}`)
      .type('form')
      .send({ ...stale, 'need-count': '1', 'need-0-text': 'Something else', add: '' })
      .expect(409);
    expect(pageText(refused.text)).toContain('Someone else changed this advice while you had this page open');
    const [row] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.id, ids.ada));
    expect(JSON.stringify(row!.content)).toContain('more than two steps');
    expect(JSON.stringify(row!.content)).not.toContain('Something else');
  });

  it('keeps what was typed when “Add another need” is pressed: saved first, then a new empty row', async () => {
    const agent = await signedIn(app, pros.ep!.email);
    const page = (await agent.get(`/advice/${ids.late}`).expect(200)).text;
    const added = await agent
      .post(`/advice/${ids.late}`)
      .type('form')
      .send(
        form(page, {
          'need-count': '1',
          'outcome-count': '1',
          'provision-count': '1',
          'need-0-text': 'Kid finds busy rooms overwhelming',
          'need-0-area': 'semh',
          add: 'need',
        }),
      )
      .expect(200);
    // The need typed is on the form again, with an empty row after it, and the page says it was saved.
    expect(added.text).toContain('Kid finds busy rooms overwhelming');
    expect(added.text).toMatch(/name="need-1-text"[^>]*><\/textarea>/);
    expect(pageText(added.text)).toContain('Your advice has been saved. It has not been sent yet.');
    // Saved: leaving the page now loses nothing.
    const [row] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.id, ids.late));
    expect(row!.content).toMatchObject({ B: [{ text: 'Kid finds busy rooms overwhelming', area: 'semh' }] });
    const again = (await agent.get(`/advice/${ids.late}`).expect(200)).text;
    expect(again).toContain('Kid finds busy rooms overwhelming');
  });

  it('sends it with the signed document: received today, the advice duty met, shown on the case page', async () => {
    const agent = await signedIn(app, pros.ep!.email);
    let page = (await agent.get(`/advice/${ids.ada}`).expect(200)).text;
    const needId = /name="need-0-id" value="([^"]+)"/.exec(page)![1]!;
    await agent
      .post(`/advice/${ids.ada}`)
      .type('form')
      .send(
        form(page, {
          'need-count': '1',
          'outcome-count': '1',
          'provision-count': '1',
          'need-0-id': needId,
          'need-0-text': 'Ada finds it hard to follow spoken instructions of more than two steps',
          'need-0-area': 'communication_interaction',
          'outcome-0-text': 'Ada follows three-step instructions in class',
          'outcome-0-timeframe': 'By July 2026',
          'outcome-0-needs': needId,
          'provision-0-what': 'Speech and language programme delivered one to one',
          'provision-0-who': 'Teaching assistant trained by the speech and language therapist',
          'provision-0-frequency': '3 sessions of 20 minutes a week',
          'provision-0-duration': 'Until the annual review',
          'provision-0-need': needId,
          continue: 'yes',
        }),
      )
      .expect(303)
      .expect('Location', `/advice/${ids.ada}/check`);
    page = (await agent.get(`/advice/${ids.ada}/check`).expect(200)).text;
    expect(pageText(page)).toContain('Communication and interaction: Ada finds it hard to follow');
    expect(pageText(page)).toContain(
      'You must attach your signed advice document: the advice cannot be sent without it',
    );
    const fields = form(page, {});
    // No document: the GOV.UK error summary, nothing recorded.
    const missing = await agent
      .post(`/advice/${ids.ada}/check`)
      .field('_csrf', fields._csrf)
      .field('version', fields.version)
      .field('submissionKey', fields.submissionKey)
      .expect(400);
    expect(pageText(missing.text)).toContain('There is a problem Select your signed advice document');
    await agent
      .post(`/advice/${ids.ada}/check`)
      .field('_csrf', fields._csrf)
      .field('version', fields.version)
      .field('submissionKey', fields.submissionKey)
      .attach('document', pdf(), 'EP advice signed.pdf')
      .expect(303)
      .expect('Location', `/advice/${ids.ada}?sent=1`);

    const [row] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.id, ids.ada));
    // Received today (TEST_NOW, 1 April 2025), by the professional, with their document.
    expect(row).toMatchObject({ receivedDate: '2025-04-01', submittedBy: pros.ep!.id });
    const [doc] = await database.db.select().from(documents).where(eq(documents.id, row!.documentId!));
    expect(doc).toMatchObject({ source: 'professional', uploadedBy: pros.ep!.id, filename: 'EP advice signed.pdf' });
    const events = await database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, fixture.cases.ada!.requestId), eq(caseEvents.type, 'advice_received')));
    expect(events.map((e) => e.occurredOn)).toEqual(['2025-04-01']);

    // The caseworker: the clock's advice duty (reg 8(1), due 7 April 2025) met on 1 April; the advice on the case page.
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const casePage = pageText((await caseworker.get(`/cases/${fixture.cases.ada!.requestId}`).expect(200)).text);
    expect(casePage).toContain('Speech and language programme delivered one to one');
    expect(casePage).toContain('3 sessions of 20 minutes a week');
    const ctx = {
      actor: { userId: fixture.users.caseworker!.id, laCode: '999', roles: ['caseworker' as const], childIds: [] },
      ip: '127.0.0.1',
      requestId: 'test',
    };
    const record = await services.cases.viewCase(ctx, fixture.cases.ada!.requestId);
    expect(record.clock.duties.find((d) => d.id === `advice:${ids.ada}`)).toMatchObject({
      due: '2025-04-07',
      completed: '2025-04-01',
      status: 'met',
    });

    // Read-only to the professional afterwards: no form, and a save or a second send is refused.
    const after = (await agent.get(`/advice/${ids.ada}?sent=1`).expect(200)).text;
    expect(pageText(after)).toContain('Your advice has been sent to the council.');
    expect(after).not.toContain('Save your advice');
    const resend = await agent
      .post(`/advice/${ids.ada}`)
      .type('form')
      .send({ ...fields, version: String(row!.version), 'need-count': '1', 'need-0-text': 'Changed', add: '' })
      .expect(400);
    expect(pageText(resend.text)).toContain('This advice has already been sent');
    const list = pageText((await agent.get('/advice?show=given').expect(200)).text);
    expect(list).toMatch(/Ada .*1 April 2025 Given/);
  });
});

describe('the writing checks on advice given', () => {
  it('are shown to the caseworker with the advice on the case page', async () => {
    const agent = await signedIn(app, pros.named!.email);
    const page = (await agent.get(`/advice/${ids.named}`).expect(200)).text;
    const stamp = {
      _csrf: csrfFrom(page),
      version: /name="version" value="(\d+)"/.exec(page)![1]!,
      submissionKey: /name="submissionKey" value="([^"]+)"/.exec(page)![1]!,
    };
    // A need without its area of need, no outcome and no provision for it.
    await agent
      .post(`/advice/${ids.named}`)
      .type('form')
      .send({ ...stamp, 'need-count': '1', 'need-0-text': 'Kid1 tires quickly in the afternoon', continue: 'yes' })
      .expect(303);
    const check = await agent.get(`/advice/${ids.named}/check`).expect(200);
    expect(pageText(check.text)).toContain('Need 1 does not say its area of need');
    await agent
      .post(`/advice/${ids.named}/check`)
      .field('_csrf', csrfFrom(check.text))
      .field('version', /name="version" value="(\d+)"/.exec(check.text)![1]!)
      .field('submissionKey', crypto.randomUUID())
      .attach('document', pdf(), 'advice.pdf')
      .expect(303);
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const casePage = pageText((await caseworker.get(`/cases/${fixture.cases.bulk1!.requestId}`).expect(200)).text);
    expect(casePage).toMatch(
      /Writing checks on this advice Need 1 does not say its area of need .*Need 1 has no outcome in section E/,
    );
    expect(casePage).toContain('Kid1 tires quickly in the afternoon');
  });
});

describe('the caseworker takes the advice into the draft plan', () => {
  const source = '(From educational psychology advice, given 1 April 2025)';

  it('adds one section at a time after what the draft has, naming the source, linked, audited, never twice', async () => {
    const ada = fixture.cases.ada!;
    // The case has moved on to writing the draft (write_draft is open at drafting_plan).
    await database.db
      .update(assessmentRequests)
      .set({ stage: 'drafting_plan' })
      .where(eq(assessmentRequests.id, ada.requestId));
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    const url = `/cases/${ada.requestId}/plan/from-advice/${ids.ada}`;
    const post = async (section: string) => {
      const page = (await agent.get(`/cases/${ada.requestId}/plan/edit`).expect(200)).text;
      expect(pageText(page)).toContain('From educational psychology advice, given 1 April 2025');
      const form = page.slice(page.indexOf(`action="${url}"`));
      return agent
        .post(url)
        .type('form')
        .send({
          _csrf: csrfFrom(form),
          version: /name="version" value="(\d+)"/.exec(form)![1]!,
          submissionKey: /name="submissionKey" value="([^"]+)"/.exec(form)![1]!,
          section,
        });
    };
    for (const section of ['B', 'E', 'F']) {
      expect((await post(section)).status, section).toBe(303);
    }
    const { versions } = await services.casework.planForCase(
      {
        actor: { userId: fixture.users.caseworker!.id, laCode: '999', roles: ['caseworker'], childIds: [] },
        ip: '',
        requestId: '',
      },
      ada.requestId,
    );
    const plan = readPlanContent(versions.at(-1)!.content);
    expect(plan.B.map((n) => n.text)).toEqual([
      `Ada finds it hard to follow spoken instructions of more than two steps ${source}`,
    ]);
    expect(plan.E).toMatchObject([
      {
        text: `Ada follows three-step instructions in class ${source}`,
        timeframe: 'By July 2026',
        needIds: [plan.B[0]!.id],
      },
    ]);
    expect(plan.F).toMatchObject([
      {
        what: `Speech and language programme delivered one to one ${source}`,
        frequency: '3 sessions of 20 minutes a week',
        needId: plan.B[0]!.id,
      },
    ]);
    // Taken once: the same section again adds nothing, and says so.
    const again = await post('B');
    expect(again.status).toBe(400);
    expect(pageText(again.text)).toContain('The draft plan already has everything in this section of the advice');
    const audits = await database.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.userId, fixture.users.caseworker!.id),
          eq(auditLog.action, 'write'),
          eq(auditLog.entityId, ada.requestId),
        ),
      )
      .orderBy(auditLog.id);
    expect(audits.map((a) => (a.detail as { section?: string }).section).filter(Boolean)).toEqual(['B', 'E', 'F']);
  });

  it('is refused to another LA’s caseworker (404) and to the professional and the parent (403)', async () => {
    const url = `/cases/${fixture.cases.ada!.requestId}/plan/from-advice/${ids.ada}`;
    const other = await signedIn(app, fixture.users.othercaseworker!.email);
    const token = csrfFrom((await other.get('/account')).text);
    await other
      .post(url)
      .type('form')
      .send({ _csrf: token, version: '1', submissionKey: crypto.randomUUID(), section: 'B' })
      .expect(404);
    for (const email of [pros.ep!.email, fixture.users.parent!.email]) {
      const agent = await signedIn(app, email);
      const t = csrfFrom((await agent.get('/account')).text);
      await agent
        .post(url)
        .type('form')
        .send({ _csrf: t, version: '1', submissionKey: crypto.randomUUID(), section: 'B' })
        .expect(403);
    }
  });
});

describe('addressing a request for advice to a professional by name', () => {
  it('puts it on their work list; only the LA’s advice givers can be chosen', async () => {
    const bulk2 = fixture.cases.bulk2!;
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const url = `/cases/${bulk2.requestId}/advice/new`;
    const send = async (professional: string) => {
      const page = (await caseworker.get(url).expect(200)).text;
      expect(page).toContain(`<option value="${pros.named!.id}">Pro named</option>`);
      return caseworker
        .post(url)
        .type('form')
        .send({
          _csrf: csrfFrom(page),
          version: /name="version" value="(\d+)"/.exec(page)![1]!,
          submissionKey: /name="submissionKey" value="([^"]+)"/.exec(page)![1]!,
          adviceTypes: 'social_care',
          'provider-social_care': 'Children’s Social Care',
          'professional-social_care': professional,
          'requestedOn-day': '1',
          'requestedOn-month': '4',
          'requestedOn-year': '2025',
        });
    };
    // Another LA's advice giver (or anyone not an advice giver here) is refused, and nothing is asked for.
    const refused = await send(pros.otherEp!.id);
    expect(refused.status).toBe(400);
    expect(pageText(refused.text)).toContain('Select a professional from the list');
    expect((await send(pros.named!.id)).status).toBe(303);
    const named = await signedIn(app, pros.named!.email);
    expect(pageText((await named.get('/advice').expect(200)).text)).toContain('Kid2');
  });
});

describe('a service-wide work list longer than a page', () => {
  it('shows 25 requests a page, late first, with the counts stated and the GOV.UK pagination', async () => {
    // 30 more outstanding educational psychology requests, asked for in March 2025 (none late on 1 April 2025).
    await database.db.insert(adviceRequests).values(
      Array.from({ length: 30 }, (_, i) => ({
        laCode: '999',
        requestId: fixture.cases[`bulk${10 + (i % 20)}`]!.requestId,
        adviceType: 'educational_psychology',
        provider: 'EP Service',
        requestedDate: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}`,
      })),
    );
    const agent = await signedIn(app, pros.ep!.email);
    const first = await agent.get('/advice').expect(200);
    const text = pageText(first.text);
    // Kid0's request (late since 18 February) and the 30: 31 outstanding; Ada's given online.
    expect(text).toContain('Outstanding (31)');
    expect(text).toContain('Given (1)');
    expect(text).toContain('Showing 1 to 25 of 31 requests, page 1 of 2.');
    expect(text).toContain('1 is late');
    expect(text).toMatch(/Child Advice Requested Due by Status Kid0 /);
    expect(first.text.match(/<tr class="govuk-table__row">/g)).toHaveLength(26); // the head and 25 rows
    expect(first.text).toContain('href="/advice?page=2"');
    const second = await agent.get('/advice?page=2').expect(200);
    expect(pageText(second.text)).toContain('Showing 26 to 31 of 31 requests, page 2 of 2.');
    expect(second.text.match(/<tr class="govuk-table__row">/g)).toHaveLength(7);
    expect(pageText(second.text)).not.toContain('R-bulk0 ');
    expect(pageText((await agent.get('/advice?page=9').expect(200)).text)).toContain('There is no page 9.');
    // Read a page at a time from the database, never the whole list.
    const scope = ['educational_psychology'];
    const page2 = await adviceWorkList(database.db, '999', pros.ep!.id, scope, 'outstanding', {
      limit: 25,
      offset: 25,
    });
    expect(page2).toHaveLength(6);
  });
});
