/**
 * Local accounts done properly (issue 26, part A), through the pages as a person uses them: a set-up link (password,
 * then two-factor sign-in for an administrator), the links that no longer work, signing in with a code (RFC 6238
 * codes made by otplib, as an authenticator app makes them), forgotten passwords, choosing the council, and
 * "Confirm it is you" before the SEN2 download and changes under /admin/users/.
 */
import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { csrfFrom, TEST_NOW } from '../../../../test/app.js';
import { errorSummary } from '../../../../test/errorSummary.js';
import { PASSWORD, type Fixture } from '../../../../test/fixtures.js';
import { clearRequestLimits, setUpIntegration, type Integration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import { queryRows, type Database } from '../../../data/db.js';
import { londonDate } from '../../../domain/dates/localDate.js';
import { ACCOUNT_LINK_LIFETIME_MS } from '../../../domain/access/accountLinks.js';
import { LINK_REMOVED } from '../../../services/accountEmails.js';
import { createAccountLink } from '../../../services/accountLinks.js';
import type { Clock } from '../../../services/clock.js';
import { hashPassword } from '../../../services/passwords.js';

let database: Database;
let fixture: Fixture;
let app: Integration['app'];
let services: Integration['services'];
let signIn: Integration['signIn'];

/** The services' clock, moved on by the tests (TOTP codes and links follow it). */
let now = TEST_NOW;
const clock: Clock = { now: () => new Date(now), today: () => londonDate(now) };
const later = (seconds: number) => new Date(TEST_NOW.getTime() + seconds * 1000);

const NEW_PASSWORD = 'otter lantern quarry meadow';

beforeAll(async () => {
  ({ database, fixture, app, services, signIn } = await setUpIntegration({ services: { clock } }));
});
// Each test starts with no requests counted against the address (the sign-in and account routes' limit).
beforeEach(() => clearRequestLimits(database));

afterAll(() => database.close());

const tokenOf = (link: string) => link.split('/').pop()!;
type Agent = ReturnType<typeof supertest.agent>;

/** Sends a page's form (its CSRF token from the page at `formPath`) with `fields`. */
async function send(agent: Agent, formPath: string, action: string, fields: Record<string, string>) {
  const page = await agent.get(formPath);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

/** A code from the user's authenticator app at a moment (RFC 6238, as the app works it out). */
const codeAt = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** The key shown as text on the two-factor set-up page (for people who cannot scan the QR code). */
const keyOn = (html: string) => /id="secret-key">([A-Z2-7 ]+)</.exec(html)![1]!.replace(/ /g, '');

async function audits(userId: string, action: string): Promise<{ detail: Record<string, unknown> }[]> {
  return queryRows(
    database.db,
    sql`select detail from audit_log where entity_id = ${userId} and action = ${action} order by id`,
  );
}

async function userRow(email: string) {
  const rows = await queryRows<{ id: string; password_hash: string | null; totp_secret: string | null }>(
    database.db,
    sql`select id, password_hash, totp_secret from users where lower(email) = lower(${email})`,
  );
  return rows[0]!;
}

/** A new council's first administrator, as `openehcp setup` makes them: the set-up link's token. */
async function newAdministrator(laCode: string, email: string): Promise<string> {
  const made = await services.accounts.setUpCouncil({
    laCode,
    laName: `Council ${laCode}`,
    adminEmail: email,
    adminName: 'Ann Example',
  });
  return tokenOf(made.link);
}

/** Sets an administrator up through the pages (password, then two-factor at `at`): their agent and TOTP secret. */
async function setUpAdministrator(laCode: string, email: string, at = TEST_NOW) {
  const token = await newAdministrator(laCode, email);
  const agent = supertest.agent(app);
  const path = `/account/set-up/${token}`;
  const created = await send(agent, path, path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
  expect(created.status).toBe(303);
  expect(created.headers.location).toBe('/account/two-factor');
  const page = await agent.get('/account/two-factor').expect(200);
  const secret = keyOn(page.text);
  now = at;
  const done = await agent
    .post('/account/two-factor')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code: await codeAt(secret, at) });
  expect(done.status).toBe(303);
  now = TEST_NOW;
  return { agent, secret, token };
}

describe('a set-up link (the first administrator of a council)', () => {
  it('asks for a password and then two-factor sign-in before the account can be used, then signs them in', async () => {
    const token = await newAdministrator('801', 'ann@council801.example');
    const agent = supertest.agent(app);
    const path = `/account/set-up/${token}`;
    const form = await agent.get(path).expect(200);
    expect(pageText(form.text)).toContain('Create a password');
    expect(pageText(form.text)).toContain('For the account ann@council801.example.');
    expect(pageText(form.text)).toContain('Use 15 characters or more.');

    const created = await send(agent, path, path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(created.headers.location).toBe('/account/two-factor');
    // The password is set, but nobody is signed in until two-factor sign-in is set up.
    expect((await userRow('ann@council801.example')).password_hash).toMatch(/^scrypt\$/);
    const home = await agent.get('/').expect(200);
    expect(pageText(home.text)).toContain('Sign in');
    expect(pageText(home.text)).not.toContain('Welcome');

    const setUp = await agent.get('/account/two-factor').expect(200);
    expect(setUp.text).toMatch(/<svg role="img" aria-label="QR code to scan with your authenticator app"/);
    const secret = keyOn(setUp.text);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes (160 bits) in base32
    expect(pageText(setUp.text)).toContain('Your role can see or change a great deal');

    // A wrong code: the GOV.UK error summary, and two-factor sign-in stays off.
    const wrong = await agent
      .post('/account/two-factor')
      .type('form')
      .send({ _csrf: csrfFrom(setUp.text), code: '000000' === (await codeAt(secret, now)) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(errorSummary(wrong.text)).toEqual([
      {
        text: 'Enter the 6-digit code your authenticator app shows now. If it is not accepted, check the time on your phone is right',
        href: '#code',
      },
    ]);
    expect((await userRow('ann@council801.example')).totp_secret).toBeNull();
    // The page keeps the same key, so an app that scanned it still gives codes that work.
    expect(keyOn(wrong.text)).toBe(secret);

    const done = await agent
      .post('/account/two-factor')
      .type('form')
      .send({ _csrf: csrfFrom(wrong.text), code: await codeAt(secret, now) });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/');
    const signedIn = await agent.get('/').expect(200);
    expect(pageText(signedIn.text)).toContain('Welcome');
    expect(pageText(signedIn.text)).toContain('Council 801');
    const user = await userRow('ann@council801.example');
    expect(user.totp_secret).toBe(secret);
    expect(await audits(user.id, 'account_set_up')).toHaveLength(1);
    expect((await audits(user.id, 'two_factor_set_up'))[0]!.detail).toMatchObject({
      before: { twoFactor: false },
      after: { twoFactor: true },
    });
  });

  it('refuses passwords the policy does not allow with the GOV.UK error summary, and keeps the link working', async () => {
    const token = await newAdministrator('802', 'policy@council802.example');
    const agent = supertest.agent(app);
    const path = `/account/set-up/${token}`;
    // NIST SP 800-63B-4 3.1.1.2: at least 15 characters; a blocklist of common passwords; not the user's own details.
    const cases: [string, string, string][] = [
      [
        'short words',
        'short words',
        'Password must be 15 characters or more. Three random words make a strong password that is easy to remember',
      ],
      [
        'password1234567',
        'password1234567',
        'Password is too common. Choose a password that is harder to guess, such as three random words',
      ],
      [
        'policy@council802.example',
        'policy@council802.example',
        'Password must not be mostly your name, email address or the council’s name',
      ],
      [NEW_PASSWORD, `${NEW_PASSWORD}!`, 'Enter the same password in both boxes'],
    ];
    for (const [password, confirmPassword, message] of cases) {
      const r = await send(agent, path, path, { password, confirmPassword });
      expect(r.status, password).toBe(400);
      expect(pageText(r.text)).toContain('There is a problem');
      expect(errorSummary(r.text)).toEqual([
        { text: message, href: confirmPassword === password ? '#password' : '#confirmPassword' },
      ]);
    }
    // Nothing half-saved: no password, and the link still works.
    expect((await userRow('policy@council802.example')).password_hash).toBeNull();
    expect((await agent.get(path)).status).toBe(200);
  });

  it('says what to do for a used, an expired and an unknown link', async () => {
    const { token } = await setUpAdministrator('803', 'used@council803.example');
    const used = await supertest(app).get(`/account/set-up/${token}`);
    expect(used.status).toBe(410);
    expect(pageText(used.text)).toContain('This link has already been used');
    expect(pageText(used.text)).toContain('ask your council’s administrator for a new link');
    // Sending the form again with the used link changes nothing.
    const again = await supertest(app)
      .post(`/account/set-up/${token}`)
      .type('form')
      .send({ _csrf: 'x', password: 'another long passphrase here', confirmPassword: 'another long passphrase here' });
    expect(again.status).toBe(403); // no session, no CSRF token: refused before anything is read

    const expiredToken = await newAdministrator('804', 'late@council804.example');
    now = new Date(TEST_NOW.getTime() + ACCOUNT_LINK_LIFETIME_MS.set_up + 1000);
    const expired = await supertest(app).get(`/account/set-up/${expiredToken}`);
    now = TEST_NOW;
    expect(expired.status).toBe(410);
    expect(pageText(expired.text)).toContain('This link has expired');
    expect(pageText(expired.text)).toContain('Links like this work for 3 days');
    expect(pageText(expired.text)).toContain('Ask your council’s administrator for a new link to set up your account.');

    const unknown = await supertest(app).get(`/account/set-up/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(pageText(unknown.text)).toContain('This link does not work');
    // A reset link is not a set-up link.
    expect((await supertest(app).get(`/account/reset-password/${expiredToken}`)).status).toBe(404);
  });

  it('signs an invited member of staff whose role needs no second factor straight in', async () => {
    const [user] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into users (email, display_name) values ('cara@example.net', 'Cara Worker') returning id`,
    );
    await database.db.execute(
      sql`insert into role_assignments (user_id, la_code, role) values (${user!.id}, '999', 'caseworker')`,
    );
    const { token } = await createAccountLink(
      database.db,
      {
        purpose: 'set_up',
        userId: user!.id,
        email: 'cara@example.net',
        laCode: '999',
        createdBy: fixture.users.admin!.id,
      },
      now,
    );
    const agent = supertest.agent(app);
    const path = `/account/set-up/${token}`;
    const r = await send(agent, path, path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(r.headers.location).toBe('/');
    expect(pageText((await agent.get('/cases').expect(200)).text)).toContain('Caseload');
  });
});

describe('signing in with two-factor sign-in', () => {
  it('asks for the code after the password, accepts a code once, and never the same code twice', async () => {
    // Set up at TEST_NOW: that step's code is used.
    const { secret } = await setUpAdministrator('805', 'two@council805.example');
    const agent = supertest.agent(app);
    const password = await send(agent, '/sign-in', '/sign-in', {
      email: 'two@council805.example',
      password: NEW_PASSWORD,
    });
    expect(password.status).toBe(303);
    expect(password.headers.location).toBe('/sign-in/code');
    // Only a pending sign-in: no page of the service yet.
    expect((await agent.get('/admin/users')).headers.location).toMatch(/^\/sign-in/);
    const codePage = await agent.get('/sign-in/code').expect(200);
    expect(pageText(codePage.text)).toContain('Enter the 6-digit code from your authenticator app');

    // The code already used at set-up (the same 30-second step) is refused: RFC 6238 section 5.2.
    const replay = await agent
      .post('/sign-in/code')
      .type('form')
      .send({ _csrf: csrfFrom(codePage.text), code: await codeAt(secret, TEST_NOW) });
    expect(replay.status).toBe(401);
    expect(errorSummary(replay.text)[0]!.text).toBe(
      'Enter the code your authenticator app shows now. A code works only once',
    );

    // 30 seconds on, the app shows the next code: accepted.
    now = later(30);
    const ok = await agent
      .post('/sign-in/code')
      .type('form')
      .send({ _csrf: csrfFrom(replay.text), code: await codeAt(secret, now) });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/');
    expect(pageText((await agent.get('/').expect(200)).text)).toContain('Welcome');

    // Someone who saw that code and the password cannot use it again.
    const thief = supertest.agent(app);
    await send(thief, '/sign-in', '/sign-in', { email: 'two@council805.example', password: NEW_PASSWORD });
    const page = await thief.get('/sign-in/code').expect(200);
    const stolen = await thief
      .post('/sign-in/code')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: await codeAt(secret, now) });
    expect(stolen.status).toBe(401);
    now = TEST_NOW;
    const { id } = await userRow('two@council805.example');
    expect((await audits(id, 'sign_in')).map((a) => a.detail.method)).toEqual(['password_totp']);
  });

  it('counts wrong codes against the sign-in throttle: the 6th attempt is refused, even with the right code', async () => {
    const { secret } = await setUpAdministrator('806', 'guess@council806.example');
    const agent = supertest.agent(app);
    await send(agent, '/sign-in', '/sign-in', { email: 'guess@council806.example', password: NEW_PASSWORD });
    let page = await agent.get('/sign-in/code').expect(200);
    const right = await codeAt(secret, later(30));
    const wrongCode = right === '123456' ? '654321' : '123456';
    now = later(30);
    // DEFAULT_THROTTLE: 5 failures in 15 minutes lock the account for 15 minutes.
    for (let i = 0; i < 5; i++) {
      const r = await agent
        .post('/sign-in/code')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), code: wrongCode });
      expect(r.status).toBe(401);
      page = r;
    }
    const locked = await agent
      .post('/sign-in/code')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: right });
    now = TEST_NOW;
    expect(locked.status).toBe(429);
    expect(errorSummary(locked.text)[0]!.text).toBe('Too many attempts to sign in. Wait 15 minutes, then try again.');
    // Typing the password again does not start the count afresh.
    const again = await send(supertest.agent(app), '/sign-in', '/sign-in', {
      email: 'guess@council806.example',
      password: NEW_PASSWORD,
    });
    expect(again.status).toBe(429);
  });

  it('makes an administrator without two-factor sign-in set it up before anything else', async () => {
    const token = await newAdministrator('807', 'later@council807.example');
    expect(token).toHaveLength(43);
    const { id } = await userRow('later@council807.example');
    await database.db.execute(sql`update users set password_hash = ${await hashPassword(PASSWORD)} where id = ${id}`);
    const agent = supertest.agent(app);
    const r = await send(agent, '/sign-in', '/sign-in', { email: 'later@council807.example', password: PASSWORD });
    expect(r.headers.location).toBe('/account/two-factor');
    expect((await agent.get('/admin/users')).headers.location).toMatch(/^\/sign-in/);
    expect(pageText((await agent.get('/account/two-factor').expect(200)).text)).toContain('Set up two-factor sign-in');
  });

  it('lets the fixture’s demo-style administrator sign in with a password alone', async () => {
    const agent = await signIn('admin');
    expect((await agent.get('/admin/users')).status).toBe(200);
  });
});

describe('forgotten password', () => {
  it('gives the same answer whether or not an account uses the address, and keeps no link in the outbox', async () => {
    const agent = supertest.agent(app);
    const known = await send(agent, '/account/forgotten-password', '/account/forgotten-password', {
      email: fixture.users.caseworker2!.email,
    });
    const unknown = await send(agent, '/account/forgotten-password', '/account/forgotten-password', {
      email: 'nobody@example.org',
    });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const answer = (r: { text: string }, email: string) => pageText(r.text).replace(email, 'EMAIL');
    expect(answer(known, fixture.users.caseworker2!.email)).toBe(answer(unknown, 'nobody@example.org'));
    expect(pageText(known.text)).toContain('If an account uses the address');
    // Without Notify the link cannot reach the person, and is never shown to whoever asked.
    expect(pageText(known.text)).toContain('Ask your council’s administrator to reset your password');
    expect(known.text).not.toMatch(/reset-password\/[A-Za-z0-9_-]{43}/);
    // The link is made after the answer has gone (so the answer takes as long for any address): waited for.
    const outbox = await vi.waitFor(async () => {
      const rows = await queryRows<{ body: string }>(
        database.db,
        sql`select body from notifications where kind = 'password_reset' and to_email = ${fixture.users.caseworker2!.email}`,
      );
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(outbox[0]!.body).toContain(LINK_REMOVED);
    expect(
      await queryRows(database.db, sql`select 1 from notifications where to_email = 'nobody@example.org'`),
    ).toHaveLength(0);
  });

  it('refuses a malformed address with the error summary, and limits requests per address', async () => {
    const agent = supertest.agent(app);
    const bad = await send(agent, '/account/forgotten-password', '/account/forgotten-password', {
      email: 'not-an-email',
    });
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.text)).toEqual([
      { text: 'Enter an email address in the correct format, like name@example.com', href: '#email' },
    ]);
    // The sign-in limits (5 per address in 15 minutes), counted apart from sign-in attempts.
    for (let i = 0; i < 5; i++) {
      const r = await send(agent, '/account/forgotten-password', '/account/forgotten-password', {
        email: 'flood@example.org',
      });
      expect(r.status).toBe(200);
    }
    const sixth = await send(agent, '/account/forgotten-password', '/account/forgotten-password', {
      email: 'flood@example.org',
    });
    expect(sixth.status).toBe(429);
    expect(errorSummary(sixth.text)[0]!.text).toBe(
      'Too many requests for a password reset. Wait 15 minutes, then try again.',
    );
  });

  it('sets a new password from a reset link, ends every other session, and the link then stops working', async () => {
    const user = fixture.users.qa!;
    const before = await signIn('qa');
    expect((await before.get('/cases/' + fixture.cases.ada!.requestId)).status).toBe(200);
    const sent = await services.accounts.sendPasswordReset({
      userId: user.id,
      laCode: '999',
      requestedBy: null,
      ip: '127.0.0.1',
    });
    const link = sent?.delivered === 'not_sent' ? sent.link : '';
    const path = `/account/reset-password/${tokenOf(link)}`;
    const agent = supertest.agent(app);
    const page = await agent.get(path).expect(200);
    expect(pageText(page.text)).toContain('Choose a new password');
    const weak = await send(agent, path, path, { password: 'iloveyou12345678', confirmPassword: 'iloveyou12345678' });
    expect(weak.status).toBe(400);
    const done = await send(agent, path, path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/sign-in?passwordChanged=1');
    // The session signed in before the reset has ended.
    expect((await before.get('/cases/' + fixture.cases.ada!.requestId)).status).toBe(303);
    expect((await agent.get(path)).status).toBe(410);
    // The old password no longer works; the new one does.
    const old = await send(supertest.agent(app), '/sign-in', '/sign-in', { email: user.email, password: PASSWORD });
    expect(old.status).toBe(401);
    await signIn('qa', NEW_PASSWORD);
    expect((await audits(user.id, 'password_reset'))[0]!.detail).toMatchObject({ sessionsEnded: 1 });
  });
});

describe('choosing the council', () => {
  it('asks a user with roles in two councils which one, and shows only that council’s cases', async () => {
    const email = 'both@example.net';
    const [user] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into users (email, display_name, password_hash) values (${email}, 'Bo Both', ${await hashPassword(PASSWORD)}) returning id`,
    );
    await database.db.execute(
      sql`insert into role_assignments (user_id, la_code, role) values (${user!.id}, '999', 'caseworker'), (${user!.id}, '998', 'caseworker')`,
    );
    const agent = supertest.agent(app);
    const r = await send(agent, '/sign-in', '/sign-in', { email, password: PASSWORD, returnTo: '/cases?view=all' });
    expect(r.headers.location).toBe('/choose-council?returnTo=%2Fcases%3Fview%3Dall');
    // No page acts for either council before the choice.
    expect((await agent.get('/cases?view=all')).headers.location).toBe(
      '/choose-council?returnTo=%2Fcases%3Fview%3Dall',
    );
    const question = await agent.get('/choose-council?returnTo=%2Fcases%3Fview%3Dall').expect(200);
    expect(pageText(question.text)).toContain('Which council are you working for today?');
    expect(pageText(question.text)).toContain('Other Borough Council');

    const none = await agent
      .post('/choose-council')
      .type('form')
      .send({ _csrf: csrfFrom(question.text), council: '801' });
    expect(none.status).toBe(400);
    expect(errorSummary(none.text)).toEqual([
      { text: 'Select the council you are working for today', href: '#council' },
    ]);

    const chose = await agent
      .post('/choose-council')
      .type('form')
      .send({ _csrf: csrfFrom(question.text), council: '998', returnTo: '/cases?view=all' });
    expect(chose.headers.location).toBe('/cases?view=all');
    const other = await agent.get('/cases?view=all').expect(200);
    expect(pageText(other.text)).toContain('Other Borough Council');
    expect(pageText(other.text)).toContain('Change council');
    expect(pageText(other.text)).toContain('Evans');
    expect(pageText(other.text)).not.toContain('Abbott');
    expect((await agent.get(`/cases/${fixture.cases.ada!.requestId}`)).status).toBe(404);

    const back = await agent.get('/choose-council').expect(200);
    await agent
      .post('/choose-council')
      .type('form')
      .send({ _csrf: csrfFrom(back.text), council: '999' })
      .expect(303);
    const demo = await agent.get('/cases?view=all').expect(200);
    expect(pageText(demo.text)).toContain('Abbott');
    expect(pageText(demo.text)).not.toContain('Evans');
  });

  it('does not ask a user with one council', async () => {
    const agent = supertest.agent(app);
    const r = await send(agent, '/sign-in', '/sign-in', { email: fixture.users.caseworker!.email, password: PASSWORD });
    expect(r.headers.location).toBe('/');
    expect(pageText((await agent.get('/cases').expect(200)).text)).not.toContain('Change council');
  });
});

describe('confirm it is you (within 15 minutes) before the SEN2 download and changes to roles', () => {
  /** Makes the agent's session's last proof of identity `minutes` old. */
  async function ageSession(userId: string, minutes: number, method?: string) {
    const at = Date.now() - minutes * 60_000;
    await database.db.execute(
      sql`update sessions set sess = jsonb_set(sess, '{authenticatedAt}', to_jsonb(${at}::bigint))
            || ${method ? sql`jsonb_build_object('signInMethod', ${method}::text)` : sql`'{}'::jsonb`}
          where user_id = ${userId}`,
    );
  }

  it('sends a data officer who signed in 16 minutes ago to confirm their password, then back to the download', async () => {
    const agent = await signIn('data');
    const file = '/sen2/SEN2_999_2026.xml';
    expect((await agent.get(file)).status).toBe(200);
    await ageSession(fixture.users.data!.id, 16);
    const stale = await agent.get(file);
    expect(stale.status).toBe(303);
    expect(stale.headers.location).toBe(`/account/confirm-it-is-you?returnTo=${encodeURIComponent(file)}`);
    const page = await agent.get(stale.headers.location!).expect(200);
    expect(pageText(page.text)).toContain('Confirm it is you');
    expect(pageText(page.text)).not.toContain('authenticator app');
    const wrong = await agent
      .post('/account/confirm-it-is-you')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: 'not my password at all', returnTo: file });
    expect(wrong.status).toBe(401);
    expect(errorSummary(wrong.text)).toEqual([{ text: 'Enter your correct password', href: '#password' }]);
    const ok = await agent
      .post('/account/confirm-it-is-you')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: PASSWORD, returnTo: file });
    expect(ok.headers.location).toBe(file);
    expect((await agent.get(file)).status).toBe(200);
    expect(await audits(fixture.users.data!.id, 'reauthenticated')).toHaveLength(1);
  });

  it('covers every POST under /admin/users/, returning to the form’s page', async () => {
    const agent = await signIn('admin');
    const target = fixture.users.caseworker!.id;
    const form = `/admin/users/${target}/roles`;
    const page = await agent.get('/admin/users').expect(200);
    // Signed in just now: the request goes on to the routes (none answers this one yet: 404).
    const fresh = await agent
      .post(form)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(fresh.status).toBe(404);
    await ageSession(fixture.users.admin!.id, 16);
    const stale = await agent
      .post(form)
      .set('Referer', `http://127.0.0.1${form}`)
      .set('Host', '127.0.0.1')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(stale.status).toBe(303);
    expect(stale.headers.location).toBe(`/account/confirm-it-is-you?returnTo=${encodeURIComponent(form)}`);
  });

  it('sends a user who signed in at an identity provider back to it (max_age=0)', async () => {
    const agent = await signIn('manager');
    await ageSession(fixture.users.manager!.id, 16, 'staff_oidc');
    const r = await agent.get('/sen2/SEN2_999_2026.xml');
    expect(r.headers.location).toBe(`/auth/sign-in?reauth=1&returnTo=${encodeURIComponent('/sen2/SEN2_999_2026.xml')}`);
  });

  it('asks a user with two-factor sign-in for a new code too', async () => {
    const { agent, secret } = await setUpAdministrator('808', 'again@council808.example');
    const { id } = await userRow('again@council808.example');
    await ageSession(id, 16);
    const stale = await agent
      .post(`/admin/users/${id}/roles`)
      .type('form')
      .send({ _csrf: csrfFrom((await agent.get('/account/confirm-it-is-you')).text) });
    expect(stale.status).toBe(303);
    const page = await agent.get('/account/confirm-it-is-you').expect(200);
    expect(pageText(page.text)).toContain('Enter the 6-digit code from your authenticator app');
    // The password alone, or with the code already used at set-up, will not do.
    for (const code of ['', await codeAt(secret, TEST_NOW)]) {
      const r = await agent
        .post('/account/confirm-it-is-you')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), password: NEW_PASSWORD, code });
      expect(r.status).toBe(401);
    }
    now = later(30);
    const ok = await agent
      .post('/account/confirm-it-is-you')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: NEW_PASSWORD, code: await codeAt(secret, now) });
    now = TEST_NOW;
    expect(ok.status).toBe(303);
  });
});

describe('the limit on the sign-in and account routes', () => {
  it('answers the 61st request in a minute from one address with 429 and a page saying when to try again', async () => {
    const agent = supertest.agent(app);
    for (let i = 0; i < 60; i++) await agent.get('/account/forgotten-password').expect(200);
    const refused = await agent.get('/account/forgotten-password').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(pageText(refused.text)).toContain(
      'You can make up to 60 sign-in or account requests a minute from one address.',
    );
    // Counted apart from the rest of the service: the sign-in page still answers.
    await agent.get('/sign-in').expect(200);
    await agent.get('/auth/sign-in').expect(429);
  });
});
