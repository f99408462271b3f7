/**
 * Administrators manage their council's accounts in the browser (issue 26): the list, inviting a member of staff,
 * one account's roles, team, disabling, sessions and sign-in links, and importing staff from a CSV. Every change is
 * audited with before and after; another council's accounts are never seen or changed. Without GOV.UK Notify the
 * one-time link comes back to the administrator to pass on, shown once; the outbox never holds it.
 */
import { sql } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, signedIn, type testApp } from '../../../../test/app.js';
import { PASSWORD, type Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import { queryRows, type Database } from '../../../data/db.js';
import { roleAssignments, users } from '../../../data/schema.js';
import { hashPassword } from '../../../services/passwords.js';
import { checkAccountLink } from '../../../services/accountLinks.js';
import { TEST_NOW } from '../../../../test/app.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
const OTHER_ADMIN = 'otheradmin@example.org';

type Agent = Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  const [other] = await database.db
    .insert(users)
    // Signs in with a password alone, as the fixture's accounts do (two-factor sign-in is tested in features/account).
    .values({ email: OTHER_ADMIN, displayName: 'Otheradmin', passwordHash: await hashPassword(PASSWORD), isDemo: true })
    .returning({ id: users.id });
  await database.db.insert(roleAssignments).values({ userId: other!.id, laCode: '998', role: 'admin' });
});
afterAll(async () => {
  await database.close();
});

/** Posts a form on `page` (with its CSRF token), as the browser would, expecting `status`. */
function post(agent: Agent, page: string, action: string, fields: Record<string, string | string[]>) {
  return {
    expect: async (status: number) => {
      const token = csrfFrom((await agent.get(page)).text);
      return agent
        .post(action)
        .type('form')
        .send({ _csrf: token, ...fields })
        .expect(status);
    },
  };
}

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(database.db, query);

async function auditFor(userId: string, action = 'update') {
  return rows<{ detail: Record<string, unknown>; la_code: string }>(
    sql`select detail, la_code from audit_log where entity_type = 'user' and entity_id = ${userId}
      and action = ${action} order by id`,
  );
}

async function userIdOf(email: string): Promise<string> {
  return (await rows<{ id: string }>(sql`select id from users where lower(email) = lower(${email})`))[0]!.id;
}

async function versionOf(userId: string): Promise<string> {
  return String((await rows<{ version: number }>(sql`select version from users where id = ${userId}`))[0]!.version);
}

describe('the users list', () => {
  it("lists the council's accounts with roles and state, filtered by role and state, and no other council's", async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const all = pageText((await admin.get('/admin/users').expect(200)).text);
    expect(all).toContain('Caseworker caseworker@example.org Caseworker');
    expect(all).not.toContain('othercaseworker@example.org');
    expect(all).not.toContain(OTHER_ADMIN);
    const caseworkers = pageText((await admin.get('/admin/users?role=caseworker').expect(200)).text);
    expect(caseworkers).toContain('2 people match');
    expect(caseworkers).toContain('caseworker2@example.org');
    expect(caseworkers).not.toContain('manager@example.org');
    // The parent is listed with their role (they hold one in this council).
    expect(pageText((await admin.get('/admin/users?role=parent').expect(200)).text)).toContain('parent@example.org');
  });

  it('pages the list 25 at a time', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    // The fixture has 11 people in LA 999; 20 more invited makes 31: two pages.
    for (let i = 0; i < 20; i++) {
      await post(admin, '/admin/users/invite', '/admin/users/invite', {
        name: `Paged Person ${String(i).padStart(2, '0')}`,
        email: `paged${i}@council.example`,
        roles: 'qa_auditor',
      }).expect(200);
    }
    const first = pageText((await admin.get('/admin/users').expect(200)).text);
    expect(first).toMatch(/Showing 1 to 25, page 1 of 2/);
    const second = pageText((await admin.get('/admin/users?page=2').expect(200)).text);
    expect(second).toMatch(/Showing 26 to \d+, page 2 of 2/);
    const invited = pageText((await admin.get('/admin/users?status=invited').expect(200)).text);
    expect(invited).toContain('20 people match');
    expect(invited).toContain('Not set up yet');
  });
});

describe('inviting a user', () => {
  it('makes the account, its roles and a set-up link in one go; without Notify the link is shown once, not kept', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const res = await post(admin, '/admin/users/invite', '/admin/users/invite', {
      name: 'Nia New',
      email: 'nia.new@council.example',
      roles: ['caseworker', 'manager'],
      team: 'North',
    }).expect(200);
    const text = pageText(res.text);
    expect(text).toContain('GOV.UK Notify is not set up');
    const link = /id="set-up-link">([^<]+)</.exec(res.text)![1]!;
    expect(link).toMatch(/^http:\/\/localhost:3000\/account\/set-up\/[A-Za-z0-9_-]{43}$/);
    const token = link.split('/').pop()!;
    const check = await checkAccountLink(database.db, token, 'set_up', TEST_NOW);
    expect(check.state).toBe('usable');
    // 3 days (domain/access/accountLinks.ts).
    expect(check.state === 'usable' && check.link.expiresAt.getTime() - TEST_NOW.getTime()).toBe(72 * 3_600_000);
    const id = await userIdOf('nia.new@council.example');
    const assigned = await rows<{ role: string; team: string; la_code: string }>(
      sql`select role, team, la_code from role_assignments where user_id = ${id} order by role`,
    );
    expect(assigned).toEqual([
      { role: 'caseworker', team: 'North', la_code: '999' },
      { role: 'manager', team: 'North', la_code: '999' },
    ]);
    const outbox = await rows<{ body: string }>(
      sql`select body from notifications where to_email = 'nia.new@council.example'`,
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.body).not.toContain(token);
    expect((await auditFor(id, 'create'))[0]!.detail).toMatchObject({
      change: 'invited',
      after: { roles: ['caseworker', 'manager'], team: 'North' },
    });
    // The list shows them as invited.
    expect(pageText((await admin.get('/admin/users?status=invited').expect(200)).text)).toContain('Nia New');
  });

  it('refuses an email already in this council, naming it, and makes nothing', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from role_assignments`);
    const res = await post(admin, '/admin/users/invite', '/admin/users/invite', {
      name: 'Someone',
      email: 'CASEWORKER@example.org',
      roles: 'qa_auditor',
    }).expect(400);
    expect(pageText(res.text)).toContain(
      'There is a problem CASEWORKER@example.org already has an account in Demo County Council',
    );
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from role_assignments`)).toEqual(before);
  });

  it('refuses a role that does not exist, a parent role, no role and a bad email, keeping what was typed', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const res = await post(admin, '/admin/users/invite', '/admin/users/invite', {
      name: 'Typed Name',
      email: 'not-an-email',
      roles: ['wizard', 'parent'],
    }).expect(400);
    const text = pageText(res.text);
    expect(text).toContain('Enter an email address in the correct format');
    expect(text).toContain('"wizard", "parent" is not a role you can give here');
    expect(res.text).toContain('value="Typed Name"');
    expect(await rows(sql`select id from users where display_name = 'Typed Name'`)).toEqual([]);
  });

  it('adds roles to an account another council holds (no new account) and tells them', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const res = await post(admin, '/admin/users/invite', '/admin/users/invite', {
      name: 'Other Caseworker',
      email: fixture.users.othercaseworker!.email,
      roles: 'qa_auditor',
    }).expect(200);
    expect(pageText(res.text)).toContain('already has an account with another council');
    const assigned = await rows<{ role: string; la_code: string }>(
      sql`select role, la_code from role_assignments where user_id = ${fixture.users.othercaseworker!.id} order by la_code`,
    );
    expect(assigned).toEqual([
      { role: 'caseworker', la_code: '998' },
      { role: 'qa_auditor', la_code: '999' },
    ]);
    expect(
      await rows(
        sql`select id from notifications where kind = 'access_given' and to_email = ${fixture.users.othercaseworker!.email}`,
      ),
    ).toHaveLength(1);
  });

  it('is for administrators only', async () => {
    const manager = await signedIn(app, fixture.users.manager!.email);
    await manager.get('/admin/users/invite').expect(403);
  });
});

describe("one user's page", () => {
  it('gives and takes roles and sets the team, audited before and after', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const id = fixture.users.caseworker2!.id;
    const page = `/admin/users/${id}`;
    await post(admin, page, `${page}/access`, {
      roles: ['caseworker', 'qa_auditor'],
      team: 'South',
      version: await versionOf(id),
    }).expect(303);
    const text = pageText((await admin.get(`${page}?done=access`).expect(200)).text);
    expect(text).toContain('Roles and team saved.');
    expect(text).toContain('Roles Caseworker, Quality assurance auditor');
    expect(text).toContain('Team South');
    const audit = (await auditFor(id)).at(-1)!;
    expect(audit.detail).toMatchObject({
      change: 'access',
      before: { roles: ['caseworker'], team: null },
      after: { roles: ['caseworker', 'qa_auditor'], team: 'South' },
    });
    expect(audit.la_code).toBe('999');
  });

  it('refuses a stale form, showing what someone else saved, and keeps theirs', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const id = fixture.users.board!.id;
    const page = `/admin/users/${id}`;
    const stale = await versionOf(id);
    await post(admin, page, `${page}/access`, { roles: ['board_member', 'manager'], version: stale }).expect(303);
    const res = await post(admin, page, `${page}/access`, {
      roles: ['board_member', 'qa_auditor'],
      version: stale,
    }).expect(409);
    const text = pageText(res.text);
    expect(text).toContain('Someone else changed this account while you had this page open, so yours was not saved');
    expect(text).toContain(
      'Roles SEND manager, Improvement board member Quality assurance auditor, Improvement board member',
    );
    const roles = await rows<{ role: string }>(
      sql`select role from role_assignments where user_id = ${id} order by role`,
    );
    expect(roles.map((r) => r.role)).toEqual(['board_member', 'manager']);
  });

  it("keeps the council's last administrator an administrator", async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const id = fixture.users.admin!.id;
    const page = `/admin/users/${id}`;
    const res = await post(admin, page, `${page}/access`, { roles: 'caseworker', version: await versionOf(id) }).expect(
      400,
    );
    expect(pageText(res.text)).toContain(
      'Admin is the only administrator in Demo County Council, so they keep the administrator role',
    );
    expect(
      (await rows<{ role: string }>(sql`select role from role_assignments where user_id = ${id}`)).map((r) => r.role),
    ).toEqual(['admin']);
  });

  it("never gives a parent's account a staff role", async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const id = fixture.users.parent!.id;
    const page = `/admin/users/${id}`;
    expect(pageText((await admin.get(page).expect(200)).text)).toContain('Parent or carer of C-ada');
    const res = await post(admin, page, `${page}/access`, { roles: 'caseworker', version: await versionOf(id) }).expect(
      400,
    );
    expect(pageText(res.text)).toContain("Parent's account is a parent's or carer's");
    const roles = await rows<{ role: string }>(sql`select role from role_assignments where user_id = ${id}`);
    expect(roles.map((r) => r.role)).toEqual(['parent']);
  });

  it('disables an account, ending its sessions at once, and enables it again', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const qa = await signedIn(app, fixture.users.qa!.email);
    await qa.get('/').expect(200);
    const id = fixture.users.qa!.id;
    const page = `/admin/users/${id}`;
    expect(pageText((await admin.get(page).expect(200)).text)).toContain('End all their sessions');
    await post(admin, page, `${page}/disable`, { version: await versionOf(id) }).expect(303);
    expect(await rows(sql`select sid from sessions where user_id = ${id}`)).toEqual([]);
    // The disabled person's next request is signed out.
    await qa
      .get('/measures')
      .expect(303)
      .expect('Location', /\/sign-in/);
    await supertest(app).get('/').expect(200);
    const failed = supertest.agent(app);
    const token = csrfFrom((await failed.get('/sign-in')).text);
    await failed
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: fixture.users.qa!.email, password: PASSWORD })
      .expect(401);
    expect((await auditFor(id)).at(-1)!.detail).toMatchObject({
      change: 'disabled',
      before: { disabled: false },
      after: { disabled: true },
      sessionsEnded: 1,
    });
    await post(admin, page, `${page}/enable`, { version: await versionOf(id) }).expect(303);
    await signedIn(app, fixture.users.qa!.email);
  });

  it('resets the two-factor sign-in of someone who lost their phone, audited, and refuses a stale form', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const id = fixture.users.data!.id;
    const page = `/admin/users/${id}`;
    expect(pageText((await admin.get(page).expect(200)).text)).not.toContain('Reset two-factor sign-in');
    await database.db.execute(
      sql`update users set totp_secret = 'JBSWY3DPEHPK3PXP', totp_last_step = 1 where id = ${id}`,
    );
    expect(pageText((await admin.get(page).expect(200)).text)).toContain('Reset two-factor sign-in');
    const stale = String(Number(await versionOf(id)) - 1);
    await post(admin, page, `${page}/two-factor`, { version: stale }).expect(409);
    expect(await rows(sql`select 1 from users where id = ${id} and totp_secret is not null`)).toHaveLength(1);
    const reset = await post(admin, page, `${page}/two-factor`, { version: await versionOf(id) }).expect(303);
    expect(reset.headers.location).toBe(`${page}?done=two-factor`);
    expect(
      await rows(sql`select 1 from users where id = ${id} and totp_secret is null and totp_last_step is null`),
    ).toHaveLength(1);
    expect((await auditFor(id)).at(-1)!.detail).toMatchObject({
      change: 'two_factor_reset',
      before: { twoFactor: true },
      after: { twoFactor: false },
    });
    expect(pageText((await admin.get(`${page}?done=two-factor`).expect(200)).text)).toContain(
      'Two-factor sign-in reset.',
    );
  });

  it('unlinks an account at an identity provider, audited; an unknown or malformed link is not found', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const id = fixture.users.caseworker!.id;
    const page = `/admin/users/${id}`;
    const [linked] = await rows<{ id: string }>(
      sql`insert into external_identities (user_id, issuer, subject)
          values (${id}, 'https://login.microsoftonline.com/tenant/v2.0', 'sub-1') returning id`,
    );
    const shown = pageText((await admin.get(page).expect(200)).text);
    expect(shown).toContain('They also sign in through');
    expect(shown).toContain('login.microsoftonline.com');
    await post(admin, page, `${page}/identities/${crypto.randomUUID()}/remove`, {}).expect(404);
    await post(admin, page, `${page}/identities/not-an-id/remove`, {}).expect(404);
    const removed = await post(admin, page, `${page}/identities/${linked!.id}/remove`, {}).expect(303);
    expect(removed.headers.location).toBe(`${page}?done=identity`);
    expect(await rows(sql`select 1 from external_identities where user_id = ${id}`)).toEqual([]);
    expect((await auditFor(id)).at(-1)!.detail).toMatchObject({
      change: 'identity_removed',
      before: { provider: 'login.microsoftonline.com' },
      after: null,
    });
  });

  it('refuses to disable your own account', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const id = fixture.users.admin!.id;
    const res = await post(admin, `/admin/users/${id}`, `/admin/users/${id}/disable`, {
      version: await versionOf(id),
    }).expect(400);
    expect(pageText(res.text)).toContain('You cannot disable your own account');
  });

  it("lists a user's sessions and ends one", async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    await signedIn(app, fixture.users.data!.email);
    await signedIn(app, fixture.users.data!.email);
    const id = fixture.users.data!.id;
    const page = await admin.get(`/admin/users/${id}`).expect(200);
    const handles = [...page.text.matchAll(/name="session" value="([0-9a-f]{32})"/g)].map((m) => m[1]!);
    expect(handles).toHaveLength(2);
    await post(admin, `/admin/users/${id}`, `/admin/users/${id}/sessions`, { session: handles[0]! }).expect(303);
    expect(await rows(sql`select sid from sessions where user_id = ${id}`)).toHaveLength(1);
    expect((await auditFor(id, 'sessions_ended')).at(-1)!.detail).toEqual({ which: 'one', ended: 1 });
  });

  it('sends a password-reset link (shown once without Notify)', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const id = fixture.users.manager!.id;
    const res = await post(admin, `/admin/users/${id}`, `/admin/users/${id}/sign-in-link`, {}).expect(200);
    const link = /id="sign-in-link">([^<]+)</.exec(res.text)![1]!;
    expect(link).toMatch(/\/account\/reset-password\/[A-Za-z0-9_-]{43}$/);
    expect(pageText(res.text)).toContain('works once, for 1 hour');
  });

  it('unlocks an account locked by failed sign-ins', async () => {
    const id = fixture.users.lockme!.id;
    const form = supertest.agent(app);
    const token = csrfFrom((await form.get('/sign-in')).text);
    for (let i = 0; i < 5; i++) {
      await form
        .post('/sign-in')
        .type('form')
        .send({ _csrf: token, email: fixture.users.lockme!.email, password: 'wrong' });
    }
    const admin = await signedIn(app, fixture.users.admin!.email);
    expect(pageText((await admin.get(`/admin/users/${id}`).expect(200)).text)).toContain('Locked by failed sign-ins');
    expect(pageText((await admin.get('/admin/users?status=locked').expect(200)).text)).toContain('Lockme');
    await post(admin, `/admin/users/${id}`, `/admin/users/${id}/unlock`, {}).expect(303);
    await signedIn(app, fixture.users.lockme!.email);
  });
});

describe("one council's administrator and another's accounts", () => {
  it('cannot see or change them: not found, nothing changed', async () => {
    const other = await signedIn(app, OTHER_ADMIN);
    const id = fixture.users.manager!.id;
    await other.get(`/admin/users/${id}`).expect(404);
    const token = csrfFrom((await other.get('/admin/users/invite')).text);
    const version = await versionOf(id);
    await other
      .post(`/admin/users/${id}/access`)
      .type('form')
      .send({ _csrf: token, roles: 'admin', version })
      .expect(404);
    await other.post(`/admin/users/${id}/disable`).type('form').send({ _csrf: token, version }).expect(404);
    await other.post(`/admin/users/${id}/sessions`).type('form').send({ _csrf: token }).expect(404);
    await other.post(`/admin/users/${id}/sign-in-link`).type('form').send({ _csrf: token }).expect(404);
    expect(await versionOf(id)).toBe(version);
    expect(await rows(sql`select role from role_assignments where user_id = ${id} and role = 'admin'`)).toEqual([]);
    expect(pageText((await other.get('/admin/users').expect(200)).text)).not.toContain('manager@example.org');
  });
});

describe('importing staff from a CSV', () => {
  const upload = (agent: Agent, token: string, csv: string) =>
    agent.post('/admin/users/import').field('_csrf', token).attach('staffFile', Buffer.from(csv), 'staff.csv');

  it('dry-runs every row, with the row number and what is wrong, and imports nothing', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const token = csrfFrom((await admin.get('/admin/users/import')).text);
    const csv = [
      'name,email,roles,team',
      'Ok Person,ok.person@council.example,caseworker,East',
      'Bad Role,bad.role@council.example,wizard,',
      'Bad Email,not-an-email,caseworker,',
      'Twice,ok.person@council.example,manager,',
      `Here Already,${fixture.users.manager!.email},caseworker,`,
      `Elsewhere,${fixture.users.otherdata!.email},Data officer; SEND manager,`,
    ].join('\n');
    const res = await upload(admin, token, csv).expect(400);
    const text = pageText(res.text);
    expect(text).toContain(
      '6 rows: 1 would be invited, 1 would be given roles on an account they have with another council, 4 rows have errors',
    );
    expect(text).toContain('Row 3: "wizard" is not a role');
    expect(text).toContain('Row 4: not-an-email is not an email address in the correct format');
    expect(text).toContain('Row 5: ok.person@council.example is also on row 2: each person once');
    expect(text).toContain(`Row 6: ${fixture.users.manager!.email} already has an account in Demo County Council`);
    expect(text).toContain('Would add roles');
    expect(res.text).not.toContain('Import 6 people');
    expect(await rows(sql`select id from users where email = 'ok.person@council.example'`)).toEqual([]);
  });

  it('imports a clean file whole on confirmation, each invited with a set-up link', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const token = csrfFrom((await admin.get('/admin/users/import')).text);
    const csv =
      'name,email,roles,team\nCsv One,csv.one@council.example,caseworker,East\nCsv Two,csv.two@council.example,SEND manager; qa_auditor,\n';
    const res = await upload(admin, token, csv).expect(200);
    expect(pageText(res.text)).toContain('2 rows: 2 would be invited, 0 would be given roles');
    const action = /action="(\/admin\/users\/import\/[0-9a-f-]{36})"/.exec(res.text)![1]!;
    const done = await admin
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(res.text) })
      .expect(200);
    expect(pageText(done.text)).toContain('2 people invited, 0 people given roles');
    expect(done.text.match(/\/account\/set-up\/[A-Za-z0-9_-]{43}/g)).toHaveLength(2);
    const roles = await rows<{ email: string; role: string }>(
      sql`select u.email, r.role from users u join role_assignments r on r.user_id = u.id
        where u.email like 'csv.%' order by u.email, r.role`,
    );
    expect(roles).toEqual([
      { email: 'csv.one@council.example', role: 'caseworker' },
      { email: 'csv.two@council.example', role: 'manager' },
      { email: 'csv.two@council.example', role: 'qa_auditor' },
    ]);
    // The kept file is gone: confirming twice makes nothing twice.
    await admin
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(res.text) })
      .expect(404);
  });

  it('imports nothing when a row became wrong after the dry run', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const token = csrfFrom((await admin.get('/admin/users/import')).text);
    const csv =
      'name,email,roles\nLate One,late.one@council.example,caseworker\nLate Two,late.two@council.example,caseworker\n';
    const res = await upload(admin, token, csv).expect(200);
    const action = /action="(\/admin\/users\/import\/[0-9a-f-]{36})"/.exec(res.text)![1]!;
    // Meanwhile someone invites the second person by hand.
    await post(admin, '/admin/users/invite', '/admin/users/invite', {
      name: 'Late Two',
      email: 'late.two@council.example',
      roles: 'caseworker',
    }).expect(200);
    const again = await admin
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(res.text) })
      .expect(400);
    expect(pageText(again.text)).toContain(
      'Row 3: late.two@council.example already has an account in Demo County Council',
    );
    expect(await rows(sql`select id from users where email = 'late.one@council.example'`)).toEqual([]);
  });

  it('refuses a file that is not a staff CSV, or too many rows', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const token = csrfFrom((await admin.get('/admin/users/import')).text);
    const noHeader = await upload(admin, token, 'Sam,sam@council.example,caseworker\n').expect(400);
    expect(pageText(noHeader.text)).toContain('first row must name its columns');
    const many = [
      'name,email,roles',
      ...Array.from({ length: 2001 }, (_, i) => `P${i},p${i}@council.example,caseworker`),
    ];
    const tooMany = await upload(admin, token, many.join('\n')).expect(400);
    expect(pageText(tooMany.text)).toContain('must have 2,000 rows of staff or fewer');
    await admin.post('/admin/users/import').field('_csrf', token).expect(400);
  });

  it('offers a template whose columns it reads', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const res = await admin.get('/admin/users/import/template.csv').expect(200);
    expect(res.text.split('\r\n')[0]).toBe('name,email,roles,team');
  });
});
