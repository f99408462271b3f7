/**
 * A family's pages: their child's request in plain words, with the clock's dates; their views and documents, which
 * the caseworker sees at once; how they want to be told. Access: a parent sees and writes only their linked child's
 * request (another child's, another LA's: 404, audited as denied); staff are refused (403); the staff case page is
 * no longer a parent's to open.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom } from '../../../../test/app.js';
import { errorSummary } from '../../../../test/errorSummary.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration, type Integration } from '../../../../test/integration.js';
import { pageText, statedDates } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import {
  auditLog,
  assessmentRequests,
  caseEvents,
  documents,
  familyContributions,
  notifications,
  roleAssignments,
  users,
} from '../../../data/schema.js';
import { clockEventsFor } from '../../../domain/casework/clockEvents.js';
import { computeClock } from '../../../domain/statutory/clock.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import { getCase } from '../../../data/repositories/cases.js';

let database: Database;
let fixture: Fixture;
let signIn: Integration['signIn'];
let services: Integration['services'];

beforeAll(async () => {
  ({ database, fixture, signIn, services } = await setUpIntegration());
});
afterAll(() => database.close());

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const ada = () => fixture.cases.ada!.requestId;

async function audits(userId: string, action: string) {
  return database.db
    .select({ entityType: auditLog.entityType, entityId: auditLog.entityId })
    .from(auditLog)
    .where(and(eq(auditLog.userId, userId), eq(auditLog.action, action)));
}

describe("a family's page for their child's request", () => {
  it('goes straight to the one request, in plain words, with every date the clock’s (TEST_NOW 1 April 2025)', async () => {
    const parent = await signIn('parent');
    await parent.get('/my-child').expect(302).expect('Location', `/my-child/${ada()}`);
    const res = await parent.get(`/my-child/${ada()}`).expect(200);
    // pageText puts a space where each tag was: none before a full stop in the browser.
    const text = pageText(res.text).replace(/ \./g, '.');
    expect(text).toContain('Ada’s request');
    expect(text).toContain('The council is assessing your child’s needs');
    // Ada's EP advice was asked for on 24 February 2025: due 6 weeks later (SEND Regulations 2014 reg 8(1)).
    expect(text).toContain('The educational psychology advice about your child is due by 7 April 2025.');
    // Received 13 January 2025: the final plan is due 20 weeks later (reg 13(2)).
    expect(text).toContain('The final plan must be issued by 2 June 2025.');
    // Each date stated is the clock's due date for the duty it names.
    const record = (await getCase(database.db, '999', ada()))!;
    const clock = computeClock(clockEventsFor(record.events, record.advice), '2025-04-01' as LocalDate);
    const stated = statedDates(res.text);
    expect(stated.length).toBe(3);
    for (const d of stated) expect(clock.deadlines.find((x) => x.id === d.duty)?.due).toBe(d.iso);
    expect(text).toContain(fixture.users.caseworker!.email);
    expect(text).toContain('The council received the request for an assessment.');
    // No regulation numbers or staff tags on a family's page.
    expect(text).not.toMatch(/\breg(ulation)?\b|Overdue|Missed/i);
    expect((await audits(fixture.users.parent!.id, 'read')).map((a) => a.entityType)).toContain('family_request');
  });

  it('no longer lets a parent open the staff case page', async () => {
    const parent = await signIn('parent');
    await parent.get(`/cases/${ada()}`).expect(403);
  });

  it("answers another child's or another LA's request with 404 on every page, GET and POST, audited as denied", async () => {
    const parent = await signIn('parent');
    const form = await parent.get(`/my-child/${ada()}/views`).expect(200);
    const _csrf = csrfFrom(form.text);
    for (const other of [fixture.cases.ben!.requestId, fixture.cases.eve!.requestId]) {
      for (const path of ['', '/views', '/documents', `/documents/${other}`]) {
        await parent.get(`/my-child/${other}${path}`).expect(404);
      }
      await parent.post(`/my-child/${other}/views`).type('form').send({ _csrf, version: '0', about: 'x' }).expect(404);
      await parent
        .post(`/my-child/${other}/documents`)
        .field('_csrf', _csrf)
        .attach('document', pdf, 'report.pdf')
        .expect(404);
      expect((await audits(fixture.users.parent!.id, 'read_denied')).map((a) => a.entityId)).toContain(other);
      expect((await audits(fixture.users.parent!.id, 'write_denied')).map((a) => a.entityId)).toContain(other);
    }
    const saved = await database.db.select().from(familyContributions);
    expect(saved.filter((c) => c.requestId !== ada())).toEqual([]);
  });

  it('refuses staff (403) on every family page', async () => {
    const caseworker = await signIn('caseworker');
    const page = await caseworker.get('/cases').expect(200);
    const _csrf = csrfFrom(page.text);
    for (const path of ['', '/views', '/documents']) await caseworker.get(`/my-child/${ada()}${path}`).expect(403);
    await caseworker.get('/my-child').expect(403);
    await caseworker
      .post(`/my-child/${ada()}/views`)
      .type('form')
      .send({ _csrf, version: '0', about: 'x' })
      .expect(403);
    await caseworker.get('/account/contact').expect(403);
  });
});

describe("a family's views (section A)", () => {
  it('saves them, shows them to the caseworker at once, records an event without the text, refuses a stale form', async () => {
    const parent = await signIn('parent');
    const form = await parent.get(`/my-child/${ada()}/views`).expect(200);
    expect(pageText(form.text)).toContain('What they like and are good at');
    const _csrf = csrfFrom(form.text);
    // Bad input: nothing written.
    const empty = await parent.post(`/my-child/${ada()}/views`).type('form').send({ _csrf, version: '0' }).expect(400);
    expect(errorSummary(empty.text)).toEqual([
      { text: 'Write something in at least one of the boxes', href: '#about' },
    ]);
    await parent
      .post(`/my-child/${ada()}/views`)
      .type('form')
      .send({ _csrf, version: '0', about: 'Ada loves trains', hopes: 'To go to college' })
      .expect(303)
      .expect('Location', `/my-child/${ada()}?done=views`);
    const page = pageText((await parent.get(`/my-child/${ada()}?done=views`).expect(200)).text);
    expect(page).toContain('Your views are saved');
    expect(page).toContain('You gave your views on 1 April 2025');

    const caseworker = await signIn('caseworker');
    const staff = pageText((await caseworker.get(`/cases/${ada()}`).expect(200)).text);
    expect(staff).toContain('The family’s views (for section A)');
    expect(staff).toContain('Ada loves trains');
    // Beside section A in the plan editor, to copy from: section A itself is still the caseworker's own (blank).
    const editor = (await caseworker.get(`/cases/${ada()}/plan/edit`).expect(200)).text;
    expect(pageText(/id="family-views"[\s\S]*?<\/details>/.exec(editor)![0])).toContain('Ada loves trains');
    expect(/<textarea[^>]*name="A"[^>]*>([^<]*)<\/textarea>/.exec(editor)![1]!.trim()).toBe('');
    const events = await database.db
      .select({ type: caseEvents.type, data: caseEvents.data })
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, ada()), eq(caseEvents.type, 'family_views')));
    expect(events).toEqual([{ type: 'family_views', data: { changed: false } }]);
    expect(JSON.stringify(events)).not.toContain('trains');

    // A second form opened before that save (version 0) is refused, showing what was saved.
    const stale = await parent
      .post(`/my-child/${ada()}/views`)
      .type('form')
      .send({ _csrf, version: '0', about: 'Something else' })
      .expect(409);
    expect(pageText(stale.text)).toContain('Ada loves trains');
    const [row] = await database.db.select().from(familyContributions).where(eq(familyContributions.requestId, ada()));
    expect(row!.content).toEqual({ about: 'Ada loves trains', hopes: 'To go to college' });
    // Saved against the version now: changed, and the event says so.
    await parent
      .post(`/my-child/${ada()}/views`)
      .type('form')
      .send({ _csrf, version: String(row!.version), about: 'Ada loves trains and maps' })
      .expect(303);
    const again = await database.db
      .select({ data: caseEvents.data })
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, ada()), eq(caseEvents.type, 'family_views')));
    expect(again.map((e) => e.data)).toContainEqual({ changed: true });
  });
});

describe('documents the family holds', () => {
  it('uploads through the project’s checks, lists it for the family and the caseworker, downloads only their own', async () => {
    const parent = await signIn('parent');
    const form = await parent.get(`/my-child/${ada()}/documents`).expect(200);
    const _csrf = csrfFrom(form.text);
    const bad = await parent
      .post(`/my-child/${ada()}/documents`)
      .field('_csrf', _csrf)
      .attach('document', Buffer.from('MZ not a document'), 'report.pdf')
      .expect(400);
    expect(errorSummary(bad.text)[0]!.href).toBe('#document');
    await parent
      .post(`/my-child/${ada()}/documents`)
      .field('_csrf', _csrf)
      .attach('document', pdf, 'paediatrician.pdf')
      .expect(303);
    const [doc] = await database.db.select().from(documents).where(eq(documents.filename, 'paediatrician.pdf'));
    expect(doc!.source).toBe('family');
    const page = await parent.get(`/my-child/${ada()}`).expect(200);
    expect(pageText(page.text)).toContain('paediatrician.pdf');
    const download = await parent.get(`/my-child/${ada()}/documents/${doc!.id}`).expect(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    const staff = pageText((await (await signIn('caseworker')).get(`/cases/${ada()}`).expect(200)).text);
    expect(staff).toContain('paediatrician.pdf (from the family');
    // A council document on the same request is not the family's to download.
    const [council] = await database.db
      .insert(documents)
      .values({
        laCode: '999',
        childId: fixture.cases.ada!.childId,
        requestId: ada(),
        filename: 'ep-report.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256: 'x',
        content: pdf,
      })
      .returning({ id: documents.id });
    await parent.get(`/my-child/${ada()}/documents/${council!.id}`).expect(404);
  });
});

describe('how the family is contacted', () => {
  it('takes a UK mobile number for text messages, and refuses anything else with an error summary', async () => {
    const parent = await signIn('parent');
    const form = await parent.get('/account/contact').expect(200);
    const _csrf = csrfFrom(form.text);
    const bad = await parent.post('/account/contact').type('form').send({ _csrf, sms: 'yes', phone: '020 7946 0018' });
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.text)[0]!.href).toBe('#phone');
    await parent
      .post('/account/contact')
      .type('form')
      .send({ _csrf, sms: 'yes', phone: '+44 7700 900 982' })
      .expect(303);
    const [me] = await database.db
      .select({ phone: users.phone, smsOptIn: users.smsOptIn })
      .from(users)
      .where(eq(users.id, fixture.users.parent!.id));
    expect(me).toEqual({ phone: '07700900982', smsOptIn: true });
    await database.db.execute(sql`select 1`);
  });
});

describe('messages to the family at each step', () => {
  it('tells every linked family member by email, and by text when they chose it, once, without the family name', async () => {
    const ben = fixture.cases.ben!;
    const cal = fixture.cases.cal!;
    const [mum] = await database.db
      .insert(users)
      .values({ email: 'mum@home.example', displayName: 'Mum', phone: '07700900123', smsOptIn: true })
      .returning({ id: users.id });
    await database.db.insert(roleAssignments).values([
      { userId: mum!.id, laCode: '999', role: 'parent', childId: ben.childId, relationship: 'parent' },
      { userId: mum!.id, laCode: '999', role: 'parent', childId: cal.childId, relationship: 'parent' },
    ]);
    const ctx = {
      actor: { userId: fixture.users.caseworker!.id, laCode: '999', roles: ['caseworker'] as const, childIds: [] },
      ip: '127.0.0.1',
      requestId: 'test',
    };
    const [before] = await database.db
      .select({ version: assessmentRequests.version })
      .from(assessmentRequests)
      .where(eq(assessmentRequests.id, ben.requestId));
    const stamp = { version: before!.version, submissionKey: 'family-message-test' };
    const decision = { outcome: 'assess' as const, reasons: 'Evidence of need', notifiedOn: '2025-03-31' as LocalDate };
    await services.casework.decideAssessment(ctx, ben.requestId, stamp, decision);
    // The same form sent twice records nothing more, and tells no one twice.
    await services.casework.decideAssessment(ctx, ben.requestId, stamp, decision);
    const sent = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.requestId, ben.requestId), eq(notifications.kind, 'family_assessment_decision')));
    expect(sent.map((n) => [n.channel, n.toEmail, n.toPhone, n.status]).sort()).toEqual([
      ['email', 'mum@home.example', null, 'outbox'],
      ['sms', null, '07700900123', 'outbox'],
    ]);
    for (const n of sent) {
      expect(n.body).toContain('Ben');
      expect(n.body).not.toContain('Brown');
      expect(n.body).toContain(`/my-child/${ben.requestId}`);
    }
    expect(sent.find((n) => n.channel === 'email')!.subject).toBe('The council will assess Ben’s needs');

    // The daily job: Cal's next duty (due 16 December 2024) is late on 1 April 2025; told once however often it runs.
    await services.messages.runChasers();
    await services.messages.runChasers();
    const late = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.requestId, cal.requestId), eq(notifications.kind, 'family_late')));
    expect(late.length).toBe(2);
    expect(late.find((n) => n.channel === 'email')!.body).toContain('was due by 16 December 2024 and is late');
    expect(late.every((n) => !n.body.includes('Carter'))).toBe(true);
  });
});
