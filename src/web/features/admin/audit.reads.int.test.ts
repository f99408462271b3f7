/**
 * The audit log as an administrator uses it: filtered by the child's reference (what they see on the case page), in
 * their own council only, with a clear message when no child has that reference; and the long lists (audit log,
 * caseload, messages) stating only possible numbers when asked for a page past their end. "Today" is 1 April 2025.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { auditLog, notifications } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;
/** The "read" entries listed on an audit log page (one table row each). */
const readRows = (html: string) =>
  html.match(/<td class="govuk-table__cell"\s+data-label="Action">read<\/td>/g)?.length ?? 0;
/** The admin's own latest reading of the audit log, as recorded. */
async function lastAuditReading() {
  const [row] = await database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.userId, fixture.users.admin!.id), eq(auditLog.entityType, 'audit_log')))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row!;
}

describe('audit log filtered by child', () => {
  beforeAll(async () => {
    // Ben's record is read twice and Ada's once, so a filter that let other children through would show it.
    const viewer = await signedIn(app, email('caseworker'));
    await viewer.get(`/cases/${fixture.cases.ben!.requestId}`).expect(200);
    await viewer.get(`/cases/${fixture.cases.ben!.requestId}`).expect(200);
    await viewer.get(`/cases/${fixture.cases.ada!.requestId}`).expect(200);
  });

  it("finds a child by the child's reference, by a request's reference and by the record id the log links to", async () => {
    const admin = await signedIn(app, email('admin'));
    for (const key of ['C-ben', 'R-ben', ` C-ben `, fixture.cases.ben!.childId]) {
      const res = await admin.get(`/admin/audit?child=${encodeURIComponent(key)}`).expect(200);
      expect(res.text, key).toContain('Showing entries for the child with reference C-ben.');
      expect(readRows(res.text), key).toBe(2);
      expect(res.text).not.toContain('There is a problem');
    }
    // Every entry listed links to the same filter by the child's reference.
    const all = await admin.get('/admin/audit').expect(200);
    expect(all.text).toContain('href="/admin/audit?child=C-ben">C-ben<span class="govuk-visually-hidden">');
  });

  it('records each lookup in the audit trail, against the child found, in the same way as any reading', async () => {
    const admin = await signedIn(app, email('admin'));
    await admin.get('/admin/audit?child=R-ben').expect(200);
    const found = await lastAuditReading();
    expect(found).toMatchObject({ action: 'list', laCode: '999', childId: fixture.cases.ben!.childId });
    expect(found.detail).toMatchObject({ childSearched: 'R-ben', childFound: true, page: 1 });
    await admin.get('/admin/audit?child=NOBODY-1').expect(400);
    const missed = await lastAuditReading();
    expect(missed.id).toBeGreaterThan(found.id);
    expect(missed).toMatchObject({ action: 'list', childId: null });
    expect(missed.detail).toMatchObject({ childSearched: 'NOBODY-1', childFound: false });
  });

  it('says on the filter, with a GOV.UK error summary (400), when no child in the council has the reference', async () => {
    const admin = await signedIn(app, email('admin'));
    const res = await admin.get('/admin/audit?child=NOBODY-1').expect(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toMatch(
      /govuk-error-summary[\s\S]*href="#child">No child in Demo County Council has the reference NOBODY-1</,
    );
    expect(res.text).toMatch(/id="child-error"[\s\S]*No child in Demo County Council has the reference NOBODY-1/);
    // What was typed stays in the box, and nothing from the rest of the log is shown as if it matched.
    expect(res.text).toMatch(/id="child" name="child" type="text"[^>]*value="NOBODY-1"/);
    expect(readRows(res.text)).toBe(0);
  });

  it("never finds another council's child, by reference or by id", async () => {
    const admin = await signedIn(app, email('admin'));
    // Eve is a child of LA 998; the admin works for LA 999.
    for (const key of ['C-eve', 'R-eve', fixture.cases.eve!.childId]) {
      const res = await admin.get(`/admin/audit?child=${encodeURIComponent(key)}`).expect(400);
      expect(res.text, key).toContain(`No child in Demo County Council has the reference ${key}`);
    }
  });
});

describe('an audit log filter that cannot be one', () => {
  it('refuses an altered address with every problem named (400, GOV.UK page) and reads nothing', async () => {
    const admin = await signedIn(app, email('admin'));
    const readings = async () =>
      (
        await database.db
          .select({ id: auditLog.id })
          .from(auditLog)
          .where(and(eq(auditLog.userId, fixture.users.admin!.id), eq(auditLog.entityType, 'audit_log')))
      ).length;
    const before = await readings();
    const res = await admin.get('/admin/audit?child=C-ben&child=C-ada&user=not-an-id&page=0').expect(400);
    expect(res.text).toContain('govuk-template');
    for (const message of [
      'Use "child" only once in the address',
      'User must be a user identifier',
      'Page must be a whole number from 1',
    ]) {
      expect(res.text).toContain(message.replace(/"/g, '&quot;'));
    }
    // Nothing was listed, so no reading of the log was recorded.
    expect(await readings()).toBe(before);
  });

  it('refuses a reference longer than any, on the filter with a GOV.UK error summary (400)', async () => {
    const admin = await signedIn(app, email('admin'));
    const res = await admin.get(`/admin/audit?child=${'C'.repeat(65)}`).expect(400);
    expect(res.text).toMatch(/govuk-error-summary[\s\S]*href="#child">The reference must be 64 characters or fewer</);
  });
});

describe('a page past the end of a list', () => {
  it('audit log: says there are no entries on that page and links to the last page, with no impossible numbers', async () => {
    const admin = await signedIn(app, email('admin'));
    const first = await admin.get('/admin/audit').expect(200);
    const m = /Showing 1 to ([\d,]+) of ([\d,]+) entries, page 1 of ([\d,]+)\./.exec(first.text);
    expect(m, 'the count on page 1').not.toBeNull();
    const pages = Number(m![3]);
    const res = await admin.get('/admin/audit?page=999').expect(200);
    expect(res.text).toMatch(/There are no entries on page 999\. [\d,]+ entries fit on \d+ pages?: /);
    expect(res.text).toContain(`href="/admin/audit?page=${pages}">go to the last page (page ${pages})</a>`);
    expect(res.text).not.toContain('Showing');
    expect(res.text).not.toContain('page 999 of');
    expect(res.text).not.toContain('rel="prev" href="/admin/audit?page=998"');
  });

  it('caseload: no "Showing 2,499,951 to 33 of 33"; it says the page is empty and links to the last page', async () => {
    const manager = await signedIn(app, email('manager'));
    // The fixture's LA 999 has 33 open requests: 2 pages of 25.
    const res = await manager.get('/cases?view=all&page=99999').expect(200);
    expect(res.text).not.toContain('2,499,951');
    expect(res.text).not.toContain('Showing');
    expect(res.text).toContain(
      'There are no open requests on page 99,999. 33 open requests fit on 2 pages: <a class="govuk-link" href="/cases?view=all&amp;sort=due&amp;direction=asc&amp;page=2">go to the last page (page 2)</a>.',
    );
    // The pages that exist are still offered; none is marked current, and "Previous" is the last page.
    expect(res.text).not.toContain('govuk-pagination__item--current');
    expect(res.text).toMatch(/href="\/cases\?view=all&amp;sort=due&amp;direction=asc&amp;page=2" rel="prev"/);
    const last = await manager.get('/cases?view=all&sort=due&direction=asc&page=2').expect(200);
    expect(last.text).toContain('Showing 26 to 33 of 33 open requests, page 2 of 2.');
  });

  it('messages: the same, and an empty outbox is not "past the end"', async () => {
    const admin = await signedIn(app, email('admin'));
    expect((await admin.get('/messages?page=3').expect(200)).text).toContain('No messages yet.');
    await database.db.insert(notifications).values(
      Array.from({ length: 51 }, (_, i) => ({
        laCode: '999',
        dedupeKey: `test-${i}`,
        kind: 'advice_reminder',
        subject: `Reminder ${i}`,
        body: 'Advice for R-ada is due in 7 days.',
        status: 'outbox',
      })),
    );
    // 51 messages, 50 to a page (MESSAGES_PAGE_SIZE): page 2 shows the 51st alone.
    expect((await admin.get('/messages?page=2').expect(200)).text).toContain(
      'Showing 51 to 51 of 51 messages, newest first, page 2 of 2.',
    );
    const past = (await admin.get('/messages?page=7').expect(200)).text;
    expect(past).toContain(
      'There are no messages on page 7. 51 messages fit on 2 pages: <a class="govuk-link" href="/messages?page=2">go to the last page (page 2)</a>.',
    );
    expect(past).not.toContain('Showing');
  });
});
