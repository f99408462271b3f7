/**
 * A parent's invitation to link their account to their child (issue 26): a caseworker emails the family a one-time
 * link (14 days, domain/access/accountLinks.ts) naming the child by reference only; the link opens a page where a
 * parent signed in is linked, and anyone else creates an account (the password policy) and is linked, in one
 * transaction. Used, expired and unknown links have their own pages; a member of staff is never linked to a child.
 */
import { sql } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, signedIn, TEST_NOW, type testApp } from '../../../../test/app.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { clearRequestLimits, setUpIntegration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import { queryRows, type Database } from '../../../data/db.js';
import { checkAccountLink } from '../../../services/accountLinks.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
});
// Each test starts with no requests counted against the address (the sign-in and account routes' limit).
beforeEach(() => clearRequestLimits(database));

afterAll(async () => {
  await database.close();
});

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(database.db, query);
const tokenOf = (link: string) => link.split('/').pop()!;

/** A caseworker invites the family of `caseKey`'s child; the link (shown once: no Notify in tests). */
async function invite(caseKey: string, email: string): Promise<string> {
  const caseworker = await signedIn(app, fixture.users.caseworker!.email);
  const requestId = fixture.cases[caseKey]!.requestId;
  const form = await caseworker.get(`/cases/${requestId}/invite-parent`).expect(200);
  const res = await caseworker
    .post(`/cases/${requestId}/invite-parent`)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), email })
    .expect(200);
  return /id="invitation-link">([^<]+)</.exec(res.text)![1]!;
}

describe('inviting a parent or carer', () => {
  it('is offered on the case page and makes a 14-day link; the email names the child by reference only', async () => {
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const requestId = fixture.cases.ben!.requestId;
    expect((await caseworker.get(`/cases/${requestId}`).expect(200)).text).toContain(
      `href="/cases/${requestId}/invite-parent"`,
    );
    const link = await invite('ben', 'ben.family@home.example');
    expect(link).toMatch(/^http:\/\/localhost:3000\/account\/link-child\/[A-Za-z0-9_-]{43}$/);
    const state = await checkAccountLink(database.db, tokenOf(link), 'link_child', TEST_NOW);
    expect(state.state === 'usable' && state.link.expiresAt.getTime() - TEST_NOW.getTime()).toBe(14 * 86_400_000);
    const [email] = await rows<{ subject: string; body: string }>(
      sql`select subject, body from notifications where to_email = 'ben.family@home.example'`,
    );
    expect(email!.body).toContain('C-ben');
    expect(`${email!.subject} ${email!.body}`).not.toMatch(/Ben|Brown/);
    expect(email!.body).not.toContain(tokenOf(link));
  });

  it('refuses a bad email address, and is not for administrators or parents', async () => {
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const requestId = fixture.cases.ben!.requestId;
    const form = await caseworker.get(`/cases/${requestId}/invite-parent`);
    const res = await caseworker
      .post(`/cases/${requestId}/invite-parent`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email: 'nope' })
      .expect(400);
    expect(pageText(res.text)).toContain('Enter an email address in the correct format');
    await (await signedIn(app, fixture.users.parent!.email)).get(`/cases/${requestId}/invite-parent`).expect(403);
    // Another council's request is not found.
    await caseworker.get(`/cases/${fixture.cases.eve!.requestId}/invite-parent`).expect(404);
  });
});

describe('the invitation link', () => {
  it('lets someone without an account create one and be linked, signed in, and then it is used', async () => {
    const link = await invite('cal', 'cal.family@home.example');
    const path = new URL(link).pathname;
    const visitor = supertest.agent(app);
    const page = await visitor.get(path).expect(200);
    expect(pageText(page.text)).toContain('the child with the reference C-cal');
    expect(pageText(page.text)).toContain('cal.family@home.example');
    // The password policy (15 characters or more).
    const weak = await visitor
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: 'Cara Carter', password: 'short', confirm: 'short' })
      .expect(400);
    expect(pageText(weak.text)).toContain('Password must be 15 characters or more');
    expect(await rows(sql`select id from users where email = 'cal.family@home.example'`)).toEqual([]);
    const password = 'lantern orchard velvet';
    await visitor
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(weak.text), name: 'Cara Carter', password, confirm: password })
      .expect(303)
      .expect('Location', '/my-child');
    expect(pageText((await visitor.get('/my-child').redirects(1).expect(200)).text)).toContain('R-cal');
    const [assignment] = await rows<{ role: string; child_id: string; la_code: string }>(
      sql`select r.role, r.child_id, r.la_code from role_assignments r join users u on u.id = r.user_id
        where u.email = 'cal.family@home.example'`,
    );
    expect(assignment).toEqual({ role: 'parent', child_id: fixture.cases.cal!.childId, la_code: '999' });
    const audit = await rows<{ child_id: string }>(sql`select child_id from audit_log where action = 'parent_linked'`);
    expect(audit.map((a) => a.child_id)).toContain(fixture.cases.cal!.childId);
    // Used: its own page, and nothing more made.
    const again = await supertest(app).get(path).expect(410);
    expect(pageText(again.text)).toContain('This link has already been used');
  });

  it('links a parent who is signed in', async () => {
    const link = await invite('dee', 'parent@example.org');
    const path = new URL(link).pathname;
    const parent = await signedIn(app, fixture.users.parent!.email);
    const page = await parent.get(path).expect(200);
    expect(pageText(page.text)).toContain('Link your account (parent@example.org) to this child');
    const res = await parent
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(200);
    expect(pageText(res.text)).toContain('Your account is linked');
    const children = await rows<{ child_id: string }>(
      sql`select child_id from role_assignments where user_id = ${fixture.users.parent!.id} order by child_id`,
    );
    expect(children.map((c) => c.child_id).sort()).toEqual(
      [fixture.cases.ada!.childId, fixture.cases.dee!.childId].sort(),
    );
  });

  it('tells a member of staff their account cannot be linked, and leaves the link unused', async () => {
    const link = await invite('bulk1', 'someone@home.example');
    const path = new URL(link).pathname;
    const manager = await signedIn(app, fixture.users.manager!.email);
    const page = await manager.get(path).expect(403);
    expect(pageText(page.text)).toContain('This account cannot be linked to a child');
    await manager
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(403);
    expect((await checkAccountLink(database.db, tokenOf(link), 'link_child', TEST_NOW)).state).toBe('usable');
    expect(
      await rows(sql`select id from role_assignments where user_id = ${fixture.users.manager!.id} and role = 'parent'`),
    ).toEqual([]);
  });

  it('says when a link has expired, or is not a link at all', async () => {
    const link = await invite('bulk2', 'late@home.example');
    await database.db.execute(
      sql`update account_links set expires_at = ${new Date(TEST_NOW.getTime() - 1000)} where purpose = 'link_child' and email = 'late@home.example'`,
    );
    const expired = await supertest(app).get(new URL(link).pathname).expect(410);
    expect(pageText(expired.text)).toContain('This link has expired');
    const unknown = await supertest(app).get('/account/link-child/not-a-token').expect(404);
    expect(pageText(unknown.text)).toContain('This link does not work');
  });
});
