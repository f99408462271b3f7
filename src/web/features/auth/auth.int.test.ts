/**
 * Signing in with an identity provider, against a real OpenID provider (oidc-provider 9) on loopback
 * (test/oidcProvider.ts): staff with the council's provider (authorisation code flow with PKCE, state and nonce;
 * OpenID Connect Core 1.0 section 3.1), parents and carers with a GOV.UK One Login stand-in (private_key_jwt client
 * authentication, RFC 7523; vtr ["Cl.Cm"]). Each refusal is a GOV.UK page, starts no session and creates nothing.
 */
import { eq, sql } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, TEST_NOW, testAppConfig } from '../../../../test/app.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { clearRequestLimits, setUpIntegration, type Integration } from '../../../../test/integration.js';
import {
  ONE_LOGIN_CLIENT_ID,
  OTHER_CLIENT,
  OTHER_REDIRECT,
  STAFF_CLIENT,
  startTestProvider,
  type TestProvider,
} from '../../../../test/oidcProvider.js';
import type { Database } from '../../../data/db.js';
import { auditLog, externalIdentities, roleAssignments, users } from '../../../data/schema.js';
import { createAccountLink } from '../../../services/accountLinks.js';
import { createApp } from '../../app.js';
import { createLogger } from '../../../logger.js';

const BASE = 'http://127.0.0.1:3530';

let idp: TestProvider;
let database: Database;
let fixture: Fixture;
let app: Integration['app'];
let services: Integration['services'];

beforeAll(async () => {
  idp = await startTestProvider(BASE);
  ({ database, fixture, app, services } = await setUpIntegration({
    services: {
      baseUrl: BASE,
      staffOidc: { issuer: idp.issuer, ...STAFF_CLIENT },
      oneLogin: { issuer: idp.issuer, clientId: ONE_LOGIN_CLIENT_ID, privateKeyPem: idp.oneLoginPrivateKeyPem },
    },
  }));
});
// Each test starts with no requests counted against the address (the sign-in and account routes' limit).
beforeEach(() => clearRequestLimits(database));

afterAll(async () => {
  await idp.close();
  await database.close();
});

type Agent = ReturnType<typeof supertest.agent>;

/** Starts a sign-in at `path`; the authorisation address the service sent the browser to. */
async function start(agent: Agent, path = '/auth/sign-in'): Promise<URL> {
  const res = await agent.get(path).expect(303);
  const url = new URL(res.headers.location as string);
  expect(url.origin).toBe(idp.issuer);
  return url;
}

/** The service's answer to the provider's redirect back. */
const back = (agent: Agent, url: URL) => agent.get(`${url.pathname}${url.search}`);

/** Whether the agent is signed in: the sign-in page sends a signed-in user on. */
async function signedIn(agent: Agent): Promise<boolean> {
  return (await agent.get('/sign-in')).status === 303;
}

async function identitiesOf(userId: string) {
  return database.db
    .select({ issuer: externalIdentities.issuer, subject: externalIdentities.subject })
    .from(externalIdentities)
    .where(eq(externalIdentities.userId, userId));
}

async function lastAudit(action: string) {
  const rows = await database.db
    .select({ userId: auditLog.userId, detail: auditLog.detail, childId: auditLog.childId })
    .from(auditLog)
    .where(eq(auditLog.action, action))
    .orderBy(sql`${auditLog.id} desc`)
    .limit(1);
  return rows[0];
}

async function countRows(table: typeof users | typeof externalIdentities) {
  const rows = await database.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return rows[0]!.n;
}

/** Signs in as `subject` (who has the given email at the provider) and returns the signed-in agent. */
async function staffSignIn(subject: string, email: string) {
  idp.account(subject, { email, email_verified: true });
  const agent = supertest.agent(app);
  const returned = await idp.signInAs(subject, (await start(agent, '/auth/sign-in?returnTo=%2Fcases')).href);
  const res = await back(agent, returned).expect(303);
  expect(res.headers.location).toBe('/cases');
  return agent;
}

describe('staff sign in with the council’s identity provider', () => {
  it('asks for a code with PKCE (S256), state and nonce, and returns to the callback at BASE_URL', async () => {
    const url = await start(supertest.agent(app));
    expect(url.pathname).toBe('/auth');
    const q = url.searchParams;
    expect(q.get('client_id')).toBe(STAFF_CLIENT.clientId);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toBe(`${BASE}/auth/callback`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('scope')).toBe('openid email profile');
  });

  it('signs in an invited member of staff by verified email, in a new session, links the identity and audits it', async () => {
    idp.account('staff-cw', { email: 'Caseworker@Example.org', email_verified: true });
    const agent = supertest.agent(app);
    const url = await start(agent, '/auth/sign-in?returnTo=%2Fcases');
    const preSignIn = agent.jar.getCookie('openehcp.sid', {
      path: '/',
      domain: '127.0.0.1',
      secure: false,
      script: false,
    });
    const res = await back(agent, await idp.signInAs('staff-cw', url.href)).expect(303);
    expect(res.headers.location).toBe('/cases');
    const after = agent.jar.getCookie('openehcp.sid', { path: '/', domain: '127.0.0.1', secure: false, script: false });
    expect(after?.value).toBeDefined();
    expect(after?.value).not.toBe(preSignIn?.value); // a new session id on sign-in
    expect((await agent.get('/cases')).status).toBe(200);

    const caseworker = fixture.users.caseworker!.id;
    expect(await identitiesOf(caseworker)).toEqual([{ issuer: idp.issuer, subject: 'staff-cw' }]);
    expect(await lastAudit('sign_in')).toMatchObject({ userId: caseworker, detail: { method: 'staff_oidc' } });
    expect(await lastAudit('identity_linked')).toMatchObject({
      userId: caseworker,
      detail: { before: null, after: { issuer: idp.issuer, subject: 'staff-cw' } },
    });
  });

  it('keeps the link when the email at the provider changes later (matched by issuer and subject first)', async () => {
    idp.account('staff-cw', { email: 'someone.renamed@elsewhere.example', email_verified: true });
    const agent = supertest.agent(app);
    await back(agent, await idp.signInAs('staff-cw', (await start(agent)).href)).expect(303);
    expect(await lastAudit('sign_in')).toMatchObject({ userId: fixture.users.caseworker!.id });
  });

  it('refuses an answer with a state this session did not send, or with no sign-in waiting (400), and starts no session', async () => {
    idp.account('staff-mgr', { email: 'manager@example.org', email_verified: true });
    const agent = supertest.agent(app);
    const returned = await idp.signInAs('staff-mgr', (await start(agent)).href);
    const forged = new URL(returned);
    forged.searchParams.set('state', 'x'.repeat(43));
    const res = await back(agent, forged).expect(400);
    expect(res.text).toContain('Your sign-in could not be finished');
    // The sign-in waiting was used up by that answer: the genuine one is refused too.
    await back(agent, returned).expect(400);
    const audited = await lastAudit('sign_in_failed');
    await supertest(app).get('/auth/callback?code=abc&state=def').expect(400);
    expect(await lastAudit('sign_in_failed')).toEqual(audited); // made-up requests do not fill the audit log
    expect(await signedIn(agent)).toBe(false);
    expect(await identitiesOf(fixture.users.manager!.id)).toEqual([]);
  });

  it('keeps one sign-in in progress per browser: starting again replaces the first, whose answer is then refused', async () => {
    idp.account('staff-board', { email: 'board@example.org', email_verified: true });
    const agent = supertest.agent(app);
    const first = await start(agent);
    const second = await start(agent);
    const firstBack = await idp.signInAs('staff-board', first.href);
    const secondBack = await idp.signInAs('staff-board', second.href);
    await back(agent, firstBack).expect(400);
    expect(await signedIn(agent)).toBe(false);
    const other = supertest.agent(app);
    await back(other, secondBack).expect(400); // an answer belongs to the browser that started it

    const agent2 = supertest.agent(app);
    await start(agent2);
    const latest = await start(agent2);
    await back(agent2, await idp.signInAs('staff-board', latest.href)).expect(303);
    expect(await signedIn(agent2)).toBe(true);
  });

  it('refuses a replayed code: the same answer again (400), and the code with another sign-in’s state (401)', async () => {
    idp.account('staff-qa', { email: 'qa@example.org', email_verified: true });
    const agent = supertest.agent(app);
    const returned = await idp.signInAs('staff-qa', (await start(agent)).href);
    await back(agent, returned).expect(303);
    await back(agent, returned).expect(400);

    const other = supertest.agent(app);
    const pending = await start(other);
    const replay = new URL(returned);
    replay.searchParams.set('state', pending.searchParams.get('state')!);
    const before = idp.tokenRequests.length;
    const res = await back(other, replay).expect(401);
    expect(res.text).toContain('Your sign-in could not be checked');
    expect(idp.tokenRequests.slice(before)).toMatchObject([{ clientId: STAFF_CLIENT.clientId, status: 400 }]);
    expect(await signedIn(other)).toBe(false);
    expect(await lastAudit('sign_in_failed')).toMatchObject({
      detail: { method: 'staff_oidc', reason: 'invalid_response', providerDetail: 'invalid_grant' },
    });
  });

  it('shows the provider’s error (the person cancelled) as a page (401), not a 500', async () => {
    const agent = supertest.agent(app);
    const state = (await start(agent)).searchParams.get('state')!;
    const res = await agent
      .get(
        `/auth/callback?error=access_denied&error_description=cancelled&state=${state}&iss=${encodeURIComponent(idp.issuer)}`,
      )
      .expect(401);
    expect(res.text).toContain('You were not signed in');
    expect(res.text).toContain('Try signing in again');
    expect(await lastAudit('sign_in_failed')).toMatchObject({
      detail: { reason: 'provider_error', providerDetail: 'access_denied' },
    });
  });

  it('refuses a code issued to another client (a token for the wrong audience) and an answer from another issuer (401)', async () => {
    idp.account('staff-data', { email: 'data@example.org', email_verified: true });
    const otherAuthorization = new URL(`${idp.issuer}/auth`);
    otherAuthorization.search = new URLSearchParams({
      client_id: OTHER_CLIENT.clientId,
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: OTHER_REDIRECT,
      state: 'other-state',
      nonce: 'other-nonce',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const otherCode = (await idp.signInAs('staff-data', otherAuthorization.href)).searchParams.get('code')!;
    expect(otherCode).toBeTruthy();

    const agent = supertest.agent(app);
    const state = (await start(agent)).searchParams.get('state')!;
    const query = new URLSearchParams({ code: otherCode, state, iss: idp.issuer });
    await agent.get(`/auth/callback?${query.toString()}`).expect(401);

    const agent2 = supertest.agent(app);
    const returned = await idp.signInAs('staff-data', (await start(agent2)).href);
    returned.searchParams.set('iss', 'https://login.attacker.example');
    await back(agent2, returned).expect(401);
    expect(await signedIn(agent)).toBe(false);
    expect(await signedIn(agent2)).toBe(false);
    expect(await identitiesOf(fixture.users.data!.id)).toEqual([]);
  });

  it('refuses an email no staff account has (403), and a parent’s email: sign-in never creates a staff account', async () => {
    const usersBefore = await countRows(users);
    const identitiesBefore = await countRows(externalIdentities);
    for (const [subject, email] of [
      ['stranger', 'nobody@example.org'],
      ['parent-at-council-idp', fixture.users.parent!.email],
    ] as const) {
      idp.account(subject, { email, email_verified: true });
      const agent = supertest.agent(app);
      const res = await back(agent, await idp.signInAs(subject, (await start(agent)).href)).expect(403);
      expect(res.text).toContain('There is no account for you here');
      expect(await signedIn(agent)).toBe(false);
    }
    expect(await countRows(users)).toBe(usersBefore);
    expect(await countRows(externalIdentities)).toBe(identitiesBefore);
    expect(await lastAudit('sign_in_failed')).toMatchObject({
      detail: { reason: 'unknown_account', email: fixture.users.parent!.email },
    });
  });

  it('refuses an email the provider says is unverified (email_verified false) (403)', async () => {
    idp.account('unverified', { email: 'caseworker2@example.org', email_verified: false });
    const agent = supertest.agent(app);
    const res = await back(agent, await idp.signInAs('unverified', (await start(agent)).href)).expect(403);
    expect(res.text).toContain('Your email address has not been confirmed');
    expect(await identitiesOf(fixture.users.caseworker2!.id)).toEqual([]);
  });

  it('refuses a second identity at the provider for an account already linked (a reused address) (403)', async () => {
    await staffSignIn('cw2-first', 'caseworker2@example.org');
    idp.account('cw2-second', { email: 'caseworker2@example.org', email_verified: true });
    const agent = supertest.agent(app);
    const res = await back(agent, await idp.signInAs('cw2-second', (await start(agent)).href)).expect(403);
    expect(res.text).toContain('Your account is linked to someone else’s sign-in');
    expect(await signedIn(agent)).toBe(false);
    expect(await identitiesOf(fixture.users.caseworker2!.id)).toEqual([{ issuer: idp.issuer, subject: 'cw2-first' }]);
  });

  it('refuses a disabled account (403), linking nothing', async () => {
    const manager = fixture.users.manager!.id;
    await database.db.update(users).set({ disabled: true }).where(eq(users.id, manager));
    try {
      idp.account('disabled-mgr', { email: 'manager@example.org', email_verified: true });
      const agent = supertest.agent(app);
      const res = await back(agent, await idp.signInAs('disabled-mgr', (await start(agent)).href)).expect(403);
      expect(res.text).toContain('Your account has been disabled');
      expect(await signedIn(agent)).toBe(false);
      expect(await identitiesOf(manager)).toEqual([]);
      expect(await lastAudit('sign_in_failed')).toMatchObject({ userId: manager, detail: { reason: 'disabled' } });
    } finally {
      await database.db.update(users).set({ disabled: false }).where(eq(users.id, manager));
    }
  });

  it('re-authenticates (prompt=login, max_age=0): only the time the user last proved who they are changes', async () => {
    const agent = await staffSignIn('staff-adm', 'admin@example.org');
    const url = await start(agent, '/auth/sign-in?reauth=1&returnTo=%2Fadmin%2Fusers');
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('max_age')).toBe('0');
    const res = await back(agent, await idp.signInAs('staff-adm', url.href)).expect(303);
    expect(res.headers.location).toBe('/admin/users');
    expect(await lastAudit('reauthenticated')).toMatchObject({ userId: fixture.users.admin!.id });
    expect(await signedIn(agent)).toBe(true);

    // Coming back as somebody else is refused, and the session stays the first person's.
    const again = await start(agent, '/auth/sign-in?reauth=1');
    await back(agent, await idp.signInAs('staff-qa', again.href)).expect(403);
    expect(await lastAudit('sign_in_failed')).toMatchObject({ detail: { reason: 'different_person' } });
  });
});

describe('signing out', () => {
  it('sends a session from the provider on to its end-session endpoint with the ID token, back to /signed-out', async () => {
    const agent = await staffSignIn('staff-cw', 'caseworker@example.org');
    const page = await agent.get('/cases').expect(200);
    const res = await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const to = new URL(res.headers.location as string);
    expect(`${to.origin}${to.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(to.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/signed-out`);
    expect(to.searchParams.get('id_token_hint')).toMatch(/^ey/);
    // The provider accepts the hint and the return address (it shows its sign-out confirmation).
    expect(await idp.visit(to.href)).toBe(200);
    expect(await signedIn(agent)).toBe(false);
    // The sign-out form may lead to the provider (Content-Security-Policy form-action).
    expect(page.headers['content-security-policy']).toContain(`form-action 'self' ${idp.issuer}`);
  });

  it('signs a password session out locally', async () => {
    const agent = supertest.agent(app);
    const form = await agent.get('/sign-in').expect(200);
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email: 'caseworker@example.org', password: 'correct horse battery staple' })
      .expect(303);
    const page = await agent.get('/cases').expect(200);
    const res = await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(res.headers.location).toBe('/signed-out');
  });
});

describe('parents and carers sign in with GOV.UK One Login', () => {
  beforeEach(() => {
    idp.account('ol-parent', { email: fixture.users.parent!.email, email_verified: true });
  });

  it('authenticates with private_key_jwt, asks for openid email at Cl.Cm, and signs in a parent by verified email', async () => {
    const agent = supertest.agent(app);
    const url = await start(agent, '/auth/one-login');
    expect(url.searchParams.get('client_id')).toBe(ONE_LOGIN_CLIENT_ID);
    expect(url.searchParams.get('scope')).toBe('openid email');
    expect(JSON.parse(url.searchParams.get('vtr')!)).toEqual(['Cl.Cm']);
    expect(url.searchParams.get('redirect_uri')).toBe(`${BASE}/auth/one-login/callback`);
    const before = idp.tokenRequests.length;
    await back(agent, await idp.signInAs('ol-parent', url.href)).expect(303);
    expect(idp.tokenRequests.slice(before)).toEqual([
      {
        clientId: ONE_LOGIN_CLIENT_ID,
        authMethod: 'private_key_jwt',
        assertionType: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        status: 200,
      },
    ]);
    expect(await signedIn(agent)).toBe(true);
    expect(await lastAudit('sign_in')).toMatchObject({
      userId: fixture.users.parent!.id,
      detail: { method: 'one_login' },
    });
    expect(await identitiesOf(fixture.users.parent!.id)).toEqual([{ issuer: idp.issuer, subject: 'ol-parent' }]);
  });

  it('tells a person with no child linked and no invitation how to get linked: not an error, no session, nothing kept', async () => {
    idp.account('ol-stranger', { email: 'someone.new@example.net', email_verified: true });
    const usersBefore = await countRows(users);
    const agent = supertest.agent(app);
    const res = await back(agent, await idp.signInAs('ol-stranger', (await start(agent, '/auth/one-login')).href));
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are signed in but not linked to a child yet');
    expect(res.text).toContain('Ask your caseworker to send you an invitation');
    expect(res.text).toContain('14 days');
    expect(await signedIn(agent)).toBe(false);
    expect(await countRows(users)).toBe(usersBefore);
  });

  async function invite(childId: string, email: string) {
    return database.db.transaction(async (tx) => {
      const made = await createAccountLink(
        tx,
        { purpose: 'link_child', userId: null, email, laCode: '999', childId, createdBy: fixture.users.caseworker!.id },
        TEST_NOW,
      );
      return made.token;
    });
  }

  it('creates the parent’s account from a caseworker’s invitation and links it to the child, once', async () => {
    const child = fixture.cases.ben!.childId;
    const token = await invite(child, 'ben.parent@example.net');
    idp.account('ol-ben-parent', { email: 'Ben.Parent@example.net', email_verified: true });
    const agent = supertest.agent(app);
    // The invitation's page offers One Login, carrying the invitation there and back.
    const page = await agent.get(`/account/link-child/${token}`).expect(200);
    expect(page.text).toContain(`href="/auth/one-login?linkChild=${token}"`);
    const url = await start(agent, `/auth/one-login?linkChild=${token}&returnTo=%2Fmy-child`);
    const res = await back(agent, await idp.signInAs('ol-ben-parent', url.href)).expect(303);
    expect(res.headers.location).toBe('/my-child');
    expect(await signedIn(agent)).toBe(true);

    const [created] = await database.db
      .select({ id: users.id, passwordHash: users.passwordHash })
      .from(users)
      .where(sql`lower(${users.email}) = 'ben.parent@example.net'`);
    expect(created?.passwordHash).toBeNull();
    const roles = await database.db
      .select({ laCode: roleAssignments.laCode, role: roleAssignments.role, childId: roleAssignments.childId })
      .from(roleAssignments)
      .where(eq(roleAssignments.userId, created!.id));
    expect(roles).toEqual([{ laCode: '999', role: 'parent', childId: child }]);
    expect(await identitiesOf(created!.id)).toEqual([{ issuer: idp.issuer, subject: 'ol-ben-parent' }]);
    expect(await lastAudit('parent_linked')).toMatchObject({ userId: created!.id, childId: child });
    expect(await lastAudit('user_created')).toMatchObject({
      detail: { before: null, after: { via: 'one_login_invitation' } },
    });

    // The invitation works once.
    const reuse = await supertest(app).get(`/auth/one-login?linkChild=${token}`).expect(400);
    expect(reuse.text).toContain('This invitation link cannot be used');
  });

  it('creates nothing when the invitation was used between leaving for One Login and coming back (400)', async () => {
    const token = await invite(fixture.cases.cal!.childId, 'cal.parent@example.net');
    idp.account('ol-cal-parent', { email: 'cal.parent@example.net', email_verified: true });
    const agent = supertest.agent(app);
    const url = await start(agent, `/auth/one-login?linkChild=${token}`);
    expect(await services.identity.linkParentByInvitation(token, fixture.users.parent!.id)).toEqual({
      laCode: '999',
      childId: fixture.cases.cal!.childId,
      alreadyLinked: false,
    });
    const usersBefore = await countRows(users);
    const identitiesBefore = await countRows(externalIdentities);
    const res = await back(agent, await idp.signInAs('ol-cal-parent', url.href)).expect(400);
    expect(res.text).toContain('This invitation link cannot be used');
    expect(await countRows(users)).toBe(usersBefore);
    expect(await countRows(externalIdentities)).toBe(identitiesBefore);
    expect(await signedIn(agent)).toBe(false);
  });
});

describe('the sign-in page', () => {
  it('offers the council account first and One Login for parents, with the password form below', async () => {
    const res = await supertest(app).get('/sign-in?returnTo=%2Fcases').expect(200);
    const council = res.text.indexOf('Sign in with your council account');
    const oneLogin = res.text.indexOf('Parents and carers: sign in with GOV.UK One Login');
    const password = res.text.indexOf('name="password"');
    expect(council).toBeGreaterThan(0);
    expect(oneLogin).toBeGreaterThan(council);
    expect(password).toBeGreaterThan(oneLogin);
    expect(res.text).toContain('href="/auth/sign-in?returnTo=%2Fcases"');
  });

  it('with LOCAL_SIGN_IN=off shows no password form and refuses passwords (403)', async () => {
    const offApp = createApp({
      services,
      config: testAppConfig({ localSignIn: false }),
      logger: createLogger({ level: 'silent' }),
    });
    const agent = supertest.agent(offApp);
    const page = await agent.get('/sign-in').expect(200);
    expect(page.text).toContain('Sign in with your council account');
    expect(page.text).not.toContain('name="password"');
    // A password sent anyway (with a session and a valid token from a page) is refused.
    idp.account('staff-cw', { email: 'caseworker@example.org', email_verified: true });
    const fresh = supertest.agent(offApp);
    await back(fresh, await idp.signInAs('staff-cw', (await start(fresh)).href)).expect(303);
    const freshToken = csrfFrom((await fresh.get('/cases').expect(200)).text);
    const before = await lastAudit('sign_in');
    const res = await fresh
      .post('/sign-in')
      .type('form')
      .send({ _csrf: freshToken, email: 'caseworker2@example.org', password: 'correct horse battery staple' })
      .expect(403);
    expect(res.text).toContain('This service does not accept passwords');
    expect(await lastAudit('sign_in')).toEqual(before);
  });
});

describe('answers it cannot use', () => {
  it('answers hostile or malformed callbacks with a page (400 or 401), never a 500', async () => {
    const agent = supertest.agent(app);
    // Each with a sign-in waiting (an answer uses it up, so each starts its own).
    for (const query of [
      (state: string) => `code=a&code=b&state=${state}`,
      (state: string) => `state=${state}`,
      (state: string) => `code=${'x'.repeat(5000)}&state=${state}`,
      (state: string) => `code=%E2%80%AE%F0%9F%92%A9&state=${state}&iss=${'%2F'.repeat(10)}`,
      (state: string) => `error=${'e'.repeat(300)}&state=${state}`,
    ]) {
      const state = (await start(agent)).searchParams.get('state')!;
      const res = await agent.get(`/auth/callback?${query(state)}`);
      expect([400, 401]).toContain(res.status);
      expect(res.text).toContain('govuk-heading-l');
    }
    for (const query of ['', 'state=', 'state[]=a', 'state=%00', 'code=x&state=%FF']) {
      expect((await agent.get(`/auth/callback?${query}`)).status).toBe(400);
      expect((await agent.get(`/auth/one-login/callback?${query}`)).status).toBe(400);
    }
    expect((await agent.get('/auth/one-login?linkChild=%00')).status).toBe(400);
    expect(await signedIn(agent)).toBe(false);
  });

  it('says so when the provider cannot be reached (503), and tries again next time', async () => {
    const unreachable = await setUpIntegration({
      services: { baseUrl: BASE, staffOidc: { issuer: 'http://127.0.0.1:9', ...STAFF_CLIENT } },
    });
    try {
      const res = await supertest(unreachable.app).get('/auth/sign-in').expect(503);
      expect(res.text).toContain('The sign-in service cannot be reached');
      await supertest(unreachable.app).get('/auth/sign-in').expect(503);
    } finally {
      await unreachable.database.close();
    }
  });
});

describe('without an identity provider configured', () => {
  it('has no /auth routes and the sign-in page shows only the password form', async () => {
    const plain = await setUpIntegration();
    try {
      await supertest(plain.app).get('/auth/sign-in').expect(404);
      await supertest(plain.app).get('/auth/one-login').expect(404);
      const page = await supertest(plain.app).get('/sign-in').expect(200);
      expect(page.text).not.toContain('council account');
      expect(page.text).toContain('name="password"');
    } finally {
      await plain.database.close();
    }
  });
});
