/**
 * Failed sign-ins as an administrator sees them (issue 23, item 7): who is being attacked, from where, who is locked
 * out now, and letting that person back in. Only the council's own accounts are shown: an email address that matches
 * no account belongs to no council, and another council's accounts are theirs. "Today" is 1 April 2025, 10:00 in
 * London; the policy is DEFAULT_THROTTLE (an account is locked for 15 minutes at its 5th wrong password).
 */
import { and, desc, eq } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { PASSWORD, type Fixture } from '../../../../test/fixtures.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { auditLog, roleAssignments, users } from '../../../data/schema.js';
import { hashPassword } from '../../../services/passwords.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
const OTHER_ADMIN = 'otheradmin@example.org';

beforeAll(async () => {
  // Behind a trusted proxy, so each attempt can come from its own (documentation) address.
  ({ database, fixture, app } = await setUpIntegration({ trustProxy: true }));
  // An administrator of the other council (LA 998), signing in with a password alone as the fixture's accounts do.
  const [other] = await database.db
    .insert(users)
    .values({ email: OTHER_ADMIN, displayName: 'Otheradmin', passwordHash: await hashPassword(PASSWORD), isDemo: true })
    .returning({ id: users.id });
  await database.db.insert(roleAssignments).values({ userId: other!.id, laCode: '998', role: 'admin' });

  const form = supertest.agent(app);
  const token = csrfFrom((await form.get('/sign-in').expect(200)).text);
  const attempt = (ip: string, email: string, password: string, status: number) =>
    form
      .post('/sign-in')
      .set('X-Forwarded-For', ip)
      .type('form')
      .send({ _csrf: token, email, password })
      .expect(status);
  // The caseworker's account is attacked from one address until it locks; then even the right password is refused.
  for (let i = 0; i < 5; i++) await attempt('192.0.2.10', fixture.users.caseworker!.email, 'guess', 401);
  await attempt('192.0.2.10', fixture.users.caseworker!.email, PASSWORD, 429);
  // The same address tries an address that is no one's account, and the manager mistypes twice elsewhere.
  for (let i = 0; i < 3; i++) await attempt('192.0.2.10', 'ghost@example.org', 'guess', 401);
  for (let i = 0; i < 2; i++) await attempt('192.0.2.11', fixture.users.manager!.email, 'typo', 401);
  // The other council's caseworker is tried from a third address.
  for (let i = 0; i < 2; i++) await attempt('192.0.2.12', fixture.users.othercaseworker!.email, 'guess', 401);
});
afterAll(async () => {
  await database.close();
});

/** The rows of the table with the given caption, each a list of its cells' text. */
function table(html: string, caption: string): string[][] {
  const t = html.split('<table').find((part) => part.includes(`>${caption}</caption>`));
  if (!t) return [];
  const body = t.slice(t.indexOf('<tbody'), t.indexOf('</tbody>'));
  return body
    .split('<tr')
    .slice(1)
    .map((row) =>
      row
        .split(/<t[hd]\b/)
        .slice(1)
        .map((cell) => pageText(`<x${cell}`.replace(/<\/t[hd]>[\s\S]*$/, ''))),
    );
}

describe('the failed sign-ins page', () => {
  it("shows the council's locked account, its attempts and the attacking address, and nothing it cannot attribute", async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const res = await admin.get('/admin/audit/sign-ins').expect(200);
    // Locked at 10:00 for 15 minutes (DEFAULT_THROTTLE.account.lockMinutes).
    expect(table(res.text, 'Accounts locked out now')).toEqual([
      ['Caseworker caseworker@example.org', '1 April 2025, 10:15 am', '5', 'Unlock Caseworker'],
    ]);
    expect(table(res.text, 'Failed sign-ins by account')).toEqual([
      [
        'Caseworker caseworker@example.org',
        '5',
        '1',
        '1',
        '1',
        expect.stringMatching(/^\d{1,2} \w+ \d{4}, \d{1,2}:\d{2} (am|pm)$/),
        'Until 1 April 2025, 10:15 am',
      ],
      ['Manager manager@example.org', '2', '0', '0', '1', expect.any(String), 'No'],
    ]);
    // The address's 3 attempts at an unknown email are not counted: they are no council's.
    expect(table(res.text, 'Failed sign-ins by address')).toEqual([
      ['192.0.2.10', '5', '1', '1', expect.any(String), 'No'],
      ['192.0.2.11', '2', '0', '1', expect.any(String), 'No'],
    ]);
    const text = pageText(res.text);
    expect(text).toContain('After 5 wrong passwords in 15 minutes an account is locked for 15 minutes');
    expect(text).not.toContain('ghost@example.org');
    expect(text).not.toContain('othercaseworker@example.org');
    expect(text).not.toContain('192.0.2.12');

    // The reading is itself audited.
    const [read] = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityType, 'failed_sign_ins'))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(read).toMatchObject({ userId: fixture.users.admin!.id, laCode: '999', action: 'list' });
  });

  it("shows another council's administrator only their own account's failures", async () => {
    const other = await signedIn(app, OTHER_ADMIN);
    const res = await other.get('/admin/audit/sign-ins').expect(200);
    expect(pageText(res.text)).toContain('No account is locked out now.');
    expect(table(res.text, 'Failed sign-ins by account')).toEqual([
      ['Othercaseworker othercaseworker@example.org', '2', '0', '0', '1', expect.any(String), 'No'],
    ]);
    expect(table(res.text, 'Failed sign-ins by address')).toEqual([
      ['192.0.2.12', '2', '0', '1', expect.any(String), 'No'],
    ]);
    for (const hidden of ['caseworker@example.org', 'manager@example.org', 'ghost@example.org', '192.0.2.10'])
      expect(pageText(res.text)).not.toContain(` ${hidden}`);
  });

  it('is for administrators only, and the audit log links to it', async () => {
    for (const key of ['manager', 'caseworker2', 'qa', 'data']) {
      const agent = await signedIn(app, fixture.users[key]!.email);
      await agent.get('/admin/audit/sign-ins').expect(403);
    }
    const admin = await signedIn(app, fixture.users.admin!.email);
    expect((await admin.get('/admin/audit').expect(200)).text).toContain('href="/admin/audit/sign-ins"');
  });
});

describe('unlocking an account', () => {
  const caseworker = () => fixture.users.caseworker!;
  async function unlockAs(email: string, userId: string, withToken = true) {
    const agent = await signedIn(app, email);
    const page = await agent.get('/admin/users');
    const token = page.status === 200 ? csrfFrom(page.text) : csrfFrom((await agent.get('/').expect(200)).text);
    return agent
      .post('/admin/audit/sign-ins/unlock')
      .type('form')
      .send({ ...(withToken ? { _csrf: token } : {}), user: userId });
  }
  const canSignIn = async () => {
    const form = supertest.agent(app);
    const token = csrfFrom((await form.get('/sign-in').expect(200)).text);
    return (
      await form
        .post('/sign-in')
        .set('X-Forwarded-For', '192.0.2.99')
        .type('form')
        .send({ _csrf: token, email: caseworker().email, password: PASSWORD })
    ).status;
  };

  it("refuses anyone but the council's administrator, without a valid form token, and for a bad account", async () => {
    expect((await unlockAs(fixture.users.manager!.email, caseworker().id)).status).toBe(403);
    // Another council's administrator cannot unlock, nor learn the account exists.
    expect((await unlockAs(OTHER_ADMIN, caseworker().id)).status).toBe(404);
    expect((await unlockAs(fixture.users.admin!.email, caseworker().id, false)).status).toBe(403);
    const bad = await unlockAs(fixture.users.admin!.email, 'not-a-user');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Choose the account to unlock from the list of accounts locked out now');
    // The account is still locked: the right password is refused.
    expect(await canSignIn()).toBe(429);
    const unlocks = await database.db.select().from(auditLog).where(eq(auditLog.action, 'sign_in_unlocked'));
    expect(unlocks).toEqual([]);
  });

  it('lets the person sign in again at once, says so, and audits who unlocked whom', async () => {
    const res = await unlockAs(fixture.users.admin!.email, caseworker().id);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/audit/sign-ins?unlocked=${caseworker().id}`);
    const admin = await signedIn(app, fixture.users.admin!.email);
    const page = await admin.get(res.headers.location!).expect(200);
    expect(pageText(page.text)).toContain('Caseworker can sign in again now.');
    expect(pageText(page.text)).toContain('No account is locked out now.');
    const [unlock] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'sign_in_unlocked'), eq(auditLog.entityId, caseworker().id)));
    expect(unlock).toMatchObject({
      userId: fixture.users.admin!.id,
      laCode: '999',
      entityType: 'user',
      detail: { wasLockedUntil: '2025-04-01T09:15:00.000Z' },
    });
    expect(await canSignIn()).toBe(303);
  });
});
