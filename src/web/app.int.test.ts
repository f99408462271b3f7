import { and, eq, sql } from 'drizzle-orm';
import { once } from 'node:events';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../data/db.js';
import { localDate } from '../domain/dates/localDate.js';
import { assessmentRequests, auditLog, roleAssignments, sessions, users } from '../data/schema.js';
import { setUpIntegration } from '../../test/integration.js';
import { pageText } from '../../test/pages.js';
import type { Fixture } from '../../test/fixtures.js';
import { csrfFrom, signedIn, TEST_NOW, testApp, testAppConfig } from '../../test/app.js';
import { createApp } from './app.js';
import { createLogger } from '../logger.js';

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
const navHrefs = (html: string) =>
  [...html.matchAll(/class="govuk-service-navigation__link" href="([^"]+)"/g)]
    .map((m) => m[1])
    .filter((h) => h !== '/');

/** The bytes of a response as sent, for a browser accepting these encodings (test clients decompress by themselves). */
async function rawGet(path: string, accepted: string) {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': accepted } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  } finally {
    server.close();
  }
}

async function auditRows(where: ReturnType<typeof and>) {
  return database.db.select().from(auditLog).where(where);
}

describe('health checks', () => {
  it('answers /health and /ready (the database is reachable)', async () => {
    await supertest(app).get('/health').expect(200, { status: 'ok' });
    await supertest(app).get('/ready').expect(200, { status: 'ready', database: 'ok' });
  });
});

describe('pages for everyone', () => {
  it('shows a start page with a sign-in button and no service navigation to anyone signed out', async () => {
    const res = await supertest(app).get('/').expect(200);
    expect(res.text).toContain('Education, health and care casework');
    expect(res.text).toContain('href="/sign-in"');
    expect(navHrefs(res.text)).toEqual([]);
  });

  it('sends people who are not signed in to the sign-in page, keeping where they were going', async () => {
    const res = await supertest(app).get('/cases?view=all').expect(303);
    expect(res.headers.location).toBe('/sign-in?returnTo=%2Fcases%3Fview%3Dall');
  });

  it('gives visitors who see no form no cookie and stores no session for them', async () => {
    const stored = async () => (await database.db.select({ sid: sessions.sid }).from(sessions)).length;
    const before = await stored();
    for (const page of ['/', '/cookies', '/accessibility', '/performance', '/no-such-page']) {
      const res = await supertest(app).get(page);
      expect([200, 404]).toContain(res.status);
      expect(res.headers['set-cookie'], page).toBeUndefined();
    }
    expect(await stored()).toBe(before);
    // The sign-in page has a form, so its token needs a session.
    const signIn = await supertest(app).get('/sign-in').expect(200);
    expect(String(signIn.headers['set-cookie'])).toMatch(/^openehcp\.sid=/);
    expect(await stored()).toBe(before + 1);
  });

  it('answers unknown addresses with the GOV.UK "Page not found" page', async () => {
    const res = await supertest(app).get('/no-such-page').expect(404);
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain('govuk-template');
  });

  it('compresses pages for browsers: brotli when they accept it, else gzip, each decoding to the page', async () => {
    const plain = (await supertest(app).get('/').set('Accept-Encoding', 'identity').expect(200)).text;
    const raw = (accepted: string) => rawGet('/', accepted);
    // The same page but for its per-response nonce.
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');
    for (const [accepted, encoding, decode] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
      // The browser's quality values come first: brotli refused, or liked less than gzip.
      ['gzip, br;q=0', 'gzip', gunzipSync],
      ['br;q=0.5, gzip', 'gzip', gunzipSync],
    ] as const) {
      const { headers, body } = await raw(accepted);
      expect(headers['content-encoding'], accepted).toBe(encoding);
      expect(headers['content-type']).toBe('text/html; charset=utf-8');
      expect(headers.vary).toContain('Accept-Encoding');
      expect(body.length).toBeLessThan(plain.length / 2);
      expect(withoutNonce(decode(body).toString('utf8'))).toBe(withoutNonce(plain));
    }
    // A client that accepts neither gets the page as it is.
    const { headers, body } = await raw('identity');
    expect(headers['content-encoding']).toBeUndefined();
    expect(headers.vary).toContain('Accept-Encoding');
    expect(withoutNonce(body.toString('utf8'))).toBe(withoutNonce(plain));
  });

  it('compresses the stylesheets and scripts every page loads, each decoding to the file', async () => {
    for (const file of [
      '/assets/govuk-frontend.min.css',
      '/assets/govuk-frontend.min.js',
      '/assets/moj/moj-frontend.min.css',
      '/assets/app.css',
      '/assets/app.mjs',
    ]) {
      const plain = await rawGet(file, 'identity');
      expect(plain.headers['content-encoding'], file).toBeUndefined();
      for (const [accepted, encoding, decode] of [
        ['gzip, deflate, br', 'br', brotliDecompressSync],
        ['gzip, deflate', 'gzip', gunzipSync],
      ] as const) {
        const { headers, body } = await rawGet(file, accepted);
        expect(headers['content-encoding'], `${file} ${accepted}`).toBe(encoding);
        expect(headers['content-type']).toBe(plain.headers['content-type']);
        expect(body.length).toBeLessThan(plain.body.length / 2);
        expect(decode(body).equals(plain.body), file).toBe(true);
      }
    }
  });

  it('in production, lets browsers keep the stylesheets and scripts every page loads for a day', async () => {
    const production = createApp({
      services: testApp(database).services,
      config: testAppConfig({ env: 'production' }),
      logger: createLogger({ level: 'silent' }),
    });
    for (const file of [
      '/assets/govuk-frontend.min.css',
      '/assets/govuk-frontend.min.js',
      '/assets/moj/moj-frontend.min.css',
      '/assets/app.css',
      '/assets/app.mjs',
    ]) {
      const res = await supertest(production).get(file).expect(200);
      expect(res.headers['cache-control'], file).toBe('public, max-age=86400');
    }
    // Outside production a changed file is seen at once.
    const res = await supertest(app).get('/assets/govuk-frontend.min.css').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=0');
  });

  it('sets a strict content security policy with a per-response nonce and no unsafe-inline', async () => {
    const a = await supertest(app).get('/');
    const b = await supertest(app).get('/');
    const csp = a.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(a.headers['content-security-policy']).not.toEqual(b.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    // Every script on the page carries this response's nonce.
    const scripts = [...a.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
  });
});

describe('permissions policy', () => {
  it('turns off the browser features no page uses (camera, microphone, geolocation, payment, USB, ad cohorts)', async () => {
    for (const page of ['/', '/sign-in', '/performance', '/no-such-page']) {
      const policy = String((await supertest(app).get(page)).headers['permissions-policy']);
      // Permissions Policy (W3C): "feature=()" is an empty allowlist, so no origin, this one included, may use it.
      const features = new Map(policy.split(', ').map((d) => d.split('=') as [string, string]));
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'interest-cohort']) {
        expect(features.get(feature), `${feature} on ${page}`).toBe('()');
      }
    }
    const signedInPage = await (await signedIn(app, email('caseworker'))).get('/cases');
    expect(signedInPage.headers['permissions-policy']).toContain('camera=()');
  });
});

describe('signing in', () => {
  it('shows a GOV.UK error summary and saves nothing when fields are missing', async () => {
    const agent = supertest.agent(app);
    const page = await agent.get('/sign-in');
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: '', password: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain('Enter your email address');
    expect(res.text).toContain('Enter your password');
    expect(res.text).toContain('<title>Error: ');
  });

  it('gives the same generic error for a wrong password and for an unknown account', async () => {
    const agent = supertest.agent(app);
    const page = await agent.get('/sign-in');
    const token = csrfFrom(page.text);
    const wrong = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: email('qa'), password: 'nope' });
    const unknown = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: 'nobody@example.org', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (html: string) => /govuk-error-summary__list">\s*<li>\s*<a[^>]*>([^<]+)</.exec(html)?.[1];
    expect(message(wrong.text)).toBe('Enter a correct email address and password');
    expect(message(unknown.text)).toBe(message(wrong.text));
  });

  it('gives a new session id on sign-in, so a session fixed beforehand is useless', async () => {
    const agent = supertest.agent(app);
    const page = await agent.get('/sign-in');
    const before = /openehcp\.sid=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: email('manager'), password: 'correct horse battery staple' })
      .expect(303);
    const after = /openehcp\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
    expect(after).toBeDefined();
    expect(after).not.toEqual(before);
    await supertest(app).get('/cases').set('Cookie', `openehcp.sid=${before}`).expect(303);
    await agent.get('/cases').expect(200);
  });

  it('only returns to addresses on this site after sign-in', async () => {
    const agent = supertest.agent(app);
    const page = await agent.get('/sign-in');
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        email: email('manager'),
        password: 'correct horse battery staple',
        returnTo: '//evil.example/',
      })
      .expect(303);
    expect(res.headers.location).toBe('/');
  });

  it('locks an account after 5 failed attempts in 15 minutes, even against the right password', async () => {
    const { app: throttled } = testApp(database);
    const agent = supertest.agent(throttled);
    const page = await agent.get('/sign-in');
    const token = csrfFrom(page.text);
    for (let i = 0; i < 5; i++) {
      await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: token, email: email('lockme'), password: 'wrong' })
        .expect(401);
    }
    const locked = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: email('lockme'), password: 'correct horse battery staple' });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Too many attempts to sign in');
  });

  it('locks an IP address after too many failures across accounts', async () => {
    const { app: strict } = testApp(
      database,
      {
        throttle: {
          account: { maxFailures: 100, windowMinutes: 15, lockMinutes: 15 },
          ip: { maxFailures: 3, windowMinutes: 15, lockMinutes: 15 },
        },
      },
      true,
    );
    const agent = supertest.agent(strict);
    const page = await agent.get('/sign-in');
    const token = csrfFrom(page.text);
    // Behind a proxy the client address comes from X-Forwarded-For; a documentation address, used by no other test.
    const ip = '203.0.113.7';
    for (const key of ['x1', 'x2', 'x3']) {
      await agent
        .post('/sign-in')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: token, email: `${key}@example.org`, password: 'wrong' });
    }
    const failures = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from sign_in_throttle where scope = 'ip' and key = ${ip}`,
    );
    expect(failures[0]!.n).toBe(1);
    const res = await agent
      .post('/sign-in')
      .set('X-Forwarded-For', ip)
      .type('form')
      .send({ _csrf: token, email: email('manager'), password: 'correct horse battery staple' });
    expect(res.status).toBe(429);
  });

  it('signs out: the old session cookie no longer works', async () => {
    const agent = await signedIn(app, email('manager'));
    const home = await agent.get('/').expect(200);
    await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) })
      .expect(303);
    await agent.get('/cases').expect(303);
  });

  it('ends a session that has been idle past its limit', async () => {
    const agent = await signedIn(app, email('qa'));
    await agent.get('/').expect(200);
    await database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) });
    const res = await agent.get('/cases/' + fixture.cases.ada!.requestId);
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('/sign-in');
  });
});

describe('who is signed in, read afresh on every request', () => {
  // The session and its user's roles are read together in one query; these check nothing is remembered between
  // requests, and that odd sessions fail safe.
  it('takes away a role or an account at once: the very next request goes by what is stored now', async () => {
    const manager = fixture.users.manager!.id;
    const agent = await signedIn(app, email('manager'));
    try {
      await agent.get('/cases').expect(200);
      await database.db.update(roleAssignments).set({ role: 'parent' }).where(eq(roleAssignments.userId, manager));
      await agent.get('/cases').expect(403);
      await database.db.update(roleAssignments).set({ role: 'manager' }).where(eq(roleAssignments.userId, manager));
      // Many requests at once on one session each see the user as stored.
      const statuses = await Promise.all(Array.from({ length: 8 }, () => agent.get('/cases').then((r) => r.status)));
      expect(statuses).toEqual(Array(8).fill(200));
      await database.db.update(users).set({ disabled: true }).where(eq(users.id, manager));
      const res = await agent.get('/cases');
      expect(res.status).toBe(303);
      expect(res.headers.location).toContain('/sign-in');
    } finally {
      await database.db.update(roleAssignments).set({ role: 'manager' }).where(eq(roleAssignments.userId, manager));
      await database.db.update(users).set({ disabled: false }).where(eq(users.id, manager));
    }
  });

  it('signs out a session whose user id is not a user id, rather than failing', async () => {
    const agent = await signedIn(app, email('qa'));
    await agent.get('/').expect(200);
    await database.db
      .update(sessions)
      .set({ sess: sql`jsonb_set(${sessions.sess}, '{userId}', '"not-a-user-id"')` })
      .where(sql`${sessions.sess}->>'userId' = ${fixture.users.qa!.id}`);
    const res = await agent.get('/cases');
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('/sign-in');
  });
});

describe('CSRF protection', () => {
  it('rejects a sign-in form posted without a token', async () => {
    const res = await supertest(app)
      .post('/sign-in')
      .type('form')
      .send({ email: email('manager'), password: 'correct horse battery staple' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Your form could not be sent');
  });

  it('rejects a sign-out with a wrong token and keeps the user signed in', async () => {
    const agent = await signedIn(app, email('manager'));
    await agent.post('/sign-out').type('form').send({ _csrf: 'forged' }).expect(403);
    await agent.get('/cases').expect(200);
  });
});

describe('what each role can see', () => {
  const cases: [string, string[]][] = [
    ['caseworker', ['/cases', '/improvement-plan', '/messages']],
    ['manager', ['/cases', '/measures', '/improvement-plan', '/quality', '/sen2', '/messages']],
    ['qa', ['/measures', '/improvement-plan', '/quality']],
    ['advice', ['/advice']],
    ['parent', ['/my-child']],
    ['board', ['/measures', '/improvement-plan']],
    ['admin', ['/messages', '/admin/users', '/admin/audit', '/admin/bank-holidays', '/admin/retention']],
    ['data', ['/measures', '/sen2']],
  ];
  it.each(cases)('%s sees only their own navigation', async (key, expected) => {
    const agent = await signedIn(app, email(key));
    const home = await agent.get('/').expect(200);
    expect(navHrefs(home.text)).toEqual(expected);
  });

  it.each([
    ['parent', '/cases'],
    ['board', '/cases'],
    ['advice', '/cases'],
    ['qa', '/cases'],
    ['caseworker', '/admin/users'],
    ['caseworker', '/admin/audit'],
    ['manager', '/admin/audit'],
    ['admin', '/cases'],
    ['caseworker', '/my-child'],
    ['caseworker', '/sen2'],
    ['parent', '/sen2'],
    ['data', '/cases'],
  ])('%s cannot open %s (403 page)', async (key, path) => {
    const agent = await signedIn(app, email(key));
    const res = await agent.get(path);
    expect(res.status).toBe(403);
    expect(res.text).toContain('You do not have access to this page');
  });

  it('lets an admin list the users of their own LA only', async () => {
    const agent = await signedIn(app, email('admin'));
    const res = await agent.get('/admin/users').expect(200);
    expect(res.text).toContain(email('caseworker'));
    expect(res.text).not.toContain(email('othercaseworker'));
  });
});

describe('caseload', () => {
  it("shows a caseworker's own open cases by default, with stage and weeks since request", async () => {
    const agent = await signedIn(app, email('caseworker'));
    const res = await agent.get('/cases').expect(200);
    expect(res.text).toContain('Abbott, Ada');
    expect(res.text).toContain('Brown, Ben');
    expect(res.text).not.toContain('Carter, Cal'); // not theirs
    expect(res.text).not.toContain('Davies, Dee'); // closed
    expect(res.text).not.toContain('Evans, Eve'); // other LA
    expect(res.text).toContain('Gathering advice');
    // Ada's request arrived 13 Jan 2025; on 1 Apr 2025 that is 11 completed weeks.
    expect(res.text).toMatch(/Abbott, Ada[\s\S]*?govuk-table__cell--numeric"[^>]*>\s*11\s*</);
  });

  it('pages through all open requests in the LA, 25 to a page', async () => {
    const agent = await signedIn(app, email('manager'));
    const first = await agent.get('/cases?view=all').expect(200);
    expect(first.text).toContain('Showing 1 to 25 of 33 open requests, page 1 of 2');
    const second = await agent.get('/cases?view=all&sort=weeks&direction=desc&page=2').expect(200);
    expect(second.text).toContain('Showing 26 to 33 of 33 open requests, page 2 of 2');
    expect(second.text).not.toContain('Evans, Eve');
  });

  it('counts the open requests, the overdue and those due in the next 7 days, on every page and with filters', async () => {
    // The expected counts worked out here from the stored requests (LA 999, open; today is 1 April 2025).
    const open = await database.db
      .select({ stage: assessmentRequests.stage, due: assessmentRequests.nextDueDate })
      .from(assessmentRequests)
      .where(and(eq(assessmentRequests.laCode, '999'), eq(assessmentRequests.open, true)));
    const counted = (rows: typeof open) => [
      rows.length,
      rows.filter((r) => r.due !== null && r.due < '2025-04-01').length,
      rows.filter((r) => r.due !== null && r.due >= '2025-04-01' && r.due <= '2025-04-07').length,
    ];
    const shown = (html: string) =>
      ['open', 'with a deadline overdue', 'due in the next 7 days'].map((label) =>
        Number(new RegExp(`margin-bottom-0">([\\d,]+)</span> ${label}<`).exec(html)![1]!.replace(',', '')),
      );
    const agent = await signedIn(app, email('manager'));
    const all = counted(open);
    expect(all[1]).toBeGreaterThan(0);
    expect(shown((await agent.get('/cases?view=all').expect(200)).text)).toEqual(all);
    // A page past the last lists no one but still counts.
    const past = (await agent.get('/cases?view=all&page=9').expect(200)).text;
    expect(shown(past)).toEqual(all);
    const gathering = counted(open.filter((r) => r.stage === 'gathering_advice'));
    expect(gathering[0]).toBeGreaterThan(0);
    expect(shown((await agent.get('/cases?view=all&stage=gathering_advice').expect(200)).text)).toEqual(gathering);
  });

  it('sorts by child name both ways and marks the sorted column for screen readers', async () => {
    const agent = await signedIn(app, email('manager'));
    const names = (html: string) => [...html.matchAll(/href="\/cases\/[0-9a-f-]+">([^<]+)</g)].map((m) => m[1]!);
    const asc = await agent.get('/cases?view=all&sort=child&direction=asc&page=1').expect(200);
    expect(names(asc.text).slice(0, 3)).toEqual(['Abbott, Ada', 'Brown, Ben', 'Carter, Cal']);
    expect(asc.text).toMatch(/aria-sort="ascending">\s*<a[^>]*>Child/);
    const desc = await agent.get('/cases?view=all&sort=child&direction=desc&page=1').expect(200);
    expect(names(desc.text)[0]).toBe('Zed29, Kid29');
  });

  it('orders by the next statutory deadline by default, overdue first, then what falls due soonest', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/cases?view=all').expect(200);
    const names = [...res.text.matchAll(/href="\/cases\/[0-9a-f-]+">([^<]+)</g)].map((m) => m[1]);
    expect(names.slice(0, 3)).toEqual(['Carter, Cal', 'Abbott, Ada', 'Brown, Ben']);
    // Cal's decision was due 16 Dec 2024; on 1 Apr 2025 it is overdue.
    expect(res.text).toMatch(
      /Decide whether to assess, 16 December 2024\s*<strong class="govuk-tag govuk-tag--red">\s*Overdue/,
    );
    expect(res.text).toContain('Educational psychology advice, 7 April 2025');
  });

  it('sorts by weeks since request, longest wait first', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/cases?view=all&sort=weeks&direction=desc').expect(200);
    const first = /href="\/cases\/[0-9a-f-]+">([^<]+)</.exec(res.text)![1];
    expect(first).toBe('Carter, Cal'); // received 4 Nov 2024, the oldest open request
  });

  it.each(['sort=bogus', 'direction=up', 'page=0', 'page=abc', 'view=everyone', 'sort=child&sort=stage'])(
    'refuses an unknown filter value (%s) with a 400 message, not a crash',
    async (query) => {
      const agent = await signedIn(app, email('manager'));
      const res = await agent.get(`/cases?${query}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('There is a problem with the link');
    },
  );

  it('writes one audit entry for each page, naming the children listed on it in the order shown', async () => {
    const agent = await signedIn(app, email('caseworker2'));
    const res = await agent.get('/cases?view=all&sort=child&direction=asc').expect(200);
    const shown = [...res.text.matchAll(/href="\/cases\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(shown).toHaveLength(25);
    const requests = await database.db
      .select({ id: assessmentRequests.id, childId: assessmentRequests.childId })
      .from(assessmentRequests);
    const childOf = new Map(requests.map((r) => [r.id, r.childId]));
    const entries = async () =>
      (
        await auditRows(and(eq(auditLog.userId, fixture.users.caseworker2!.id), eq(auditLog.entityType, 'caseload')))
      ).sort((a, b) => a.id - b.id);
    const [first, ...others] = await entries();
    expect(others).toHaveLength(0);
    expect(first!.action).toBe('list');
    expect(first!.laCode).toBe('999');
    expect(first!.detail).toMatchObject({ view: 'all', sort: 'child', direction: 'asc', page: 1 });
    expect((first!.detail as { childIds: string[] }).childIds).toEqual(shown.map((id) => childOf.get(id)));
    // A page past the last shows no child, and its entry names none.
    await agent.get('/cases?view=all&page=9').expect(200);
    const past = (await entries())[1]!;
    expect(past.detail).toMatchObject({ page: 9, childIds: [] });
  });
});

describe('case page', () => {
  it('shows the read-only case and writes an audit row for each view', async () => {
    const agent = await signedIn(app, email('qa'));
    const id = fixture.cases.ada!.requestId;
    const before = await auditRows(and(eq(auditLog.userId, fixture.users.qa!.id), eq(auditLog.action, 'read')));
    const res = await agent.get(`/cases/${id}`).expect(200);
    expect(res.text).toContain('Ada Abbott');
    expect(res.text).toContain('13 January 2025');
    expect(res.text).toContain('Request for assessment received');
    expect(res.headers['cache-control']).toBe('no-store');
    // The statutory clock: the decision was made in time; the advice is due 7 Apr 2025 (reg 8(1)).
    expect(res.text).toContain('Statutory deadlines');
    const text = pageText(res.text);
    expect(text).toContain('Decide whether to assess 24 February 2025 20 February 2025');
    expect(text).toMatch(/Educational psychology advice 7 April 2025 Not yet/);
    expect(res.text).toContain('SEND Regulations 2014 reg 8(1)');
    expect(text).toContain('Issue the final plan 2 June 2025');
    await agent.get(`/cases/${id}`).expect(200);
    const after = await auditRows(and(eq(auditLog.userId, fixture.users.qa!.id), eq(auditLog.action, 'read')));
    expect(after.length - before.length).toBe(2);
    expect(after.at(-1)).toMatchObject({
      laCode: '999',
      entityType: 'assessment_request',
      entityId: id,
      childId: fixture.cases.ada!.childId,
    });
  });

  it("does not show another LA's case by its id: 404, and the attempt is audited", async () => {
    const agent = await signedIn(app, email('manager'));
    const otherLa = fixture.cases.eve!.requestId;
    const res = await agent.get(`/cases/${otherLa}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Evans');
    const denied = await auditRows(
      and(eq(auditLog.userId, fixture.users.manager!.id), eq(auditLog.action, 'read_denied')),
    );
    expect(denied.map((d) => d.entityId)).toContain(otherLa);
  });

  it("lets a parent see their own child's request and nobody else's, on the family's pages only", async () => {
    const agent = await signedIn(app, email('parent'));
    const mine = await agent.get('/my-child').redirects(1).expect(200);
    expect(mine.text).toContain('R-ada');
    expect(mine.text).not.toContain('R-ben');
    await agent.get(`/my-child/${fixture.cases.ben!.requestId}`).expect(404);
    // The staff case page (regulation numbers, staff tags) is not a parent's.
    await agent.get(`/cases/${fixture.cases.ada!.requestId}`).expect(403);
  });

  it('answers a malformed case id with 404', async () => {
    const agent = await signedIn(app, email('manager'));
    await agent.get('/cases/not-a-uuid').expect(404);
  });
});

describe('audit log page', () => {
  it("shows an admin who read which child's record, filtered by child", async () => {
    const viewer = await signedIn(app, email('caseworker'));
    await viewer.get(`/cases/${fixture.cases.ben!.requestId}`).expect(200);
    const admin = await signedIn(app, email('admin'));
    const res = await admin.get(`/admin/audit?child=${fixture.cases.ben!.childId}`).expect(200);
    expect(res.text).toContain('Caseworker');
    expect(res.text).toMatch(/<td class="govuk-table__cell"\s+data-label="Action">read<\/td>/);
    await admin.get('/admin/audit?child=bad').expect(400);
  });
});

describe('bank holidays (the live working-day calendar)', () => {
  async function post(agent: Awaited<ReturnType<typeof signedIn>>, form: Record<string, string>) {
    const page = await agent.get('/admin/bank-holidays').expect(200);
    return agent
      .post('/admin/bank-holidays')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...form });
  }

  it('lets an admin add next year, audited, and working-day deadlines count it at once', async () => {
    const { app: local, services } = testApp(database);
    const admin = await signedIn(local, email('admin'));
    expect(() => services.calendar.current().isWorkingDay(localDate('2029-01-01'))).toThrow(
      /no bank holiday data for 2029/,
    );
    const res = await post(admin, { day: '1', month: '1', year: '2029', title: "New Year's Day" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/bank-holidays?added=2029-01-01');
    const page = await admin.get(res.headers.location as string).expect(200);
    expect(page.text).toContain('Added 1 January 2029');
    expect(services.calendar.current().isWorkingDay(localDate('2029-01-01'))).toBe(false);
    const audit = await auditRows(and(eq(auditLog.entityType, 'bank_holiday'), eq(auditLog.entityId, '2029-01-01')));
    expect(audit).toHaveLength(1);
  });

  it('works out again the next duty of each open case a new bank holiday can move, and only those', async () => {
    const { app: local } = testApp(database);
    const admin = await signedIn(local, email('admin'));
    const { ada, ben, cal } = fixture.cases;
    const nextOf = async (requestId: string) => {
      const [row] = await database.db
        .select({ duty: assessmentRequests.nextDuty, due: assessmentRequests.nextDueDate })
        .from(assessmentRequests)
        .where(eq(assessmentRequests.id, requestId));
      return row;
    };
    const setNext = (requestId: string, duty: string | null, due: string | null) =>
      database.db
        .update(assessmentRequests)
        .set({ nextDuty: duty, nextDueDate: due })
        .where(eq(assessmentRequests.id, requestId));
    const calBefore = await nextOf(cal!.requestId);
    // Ada's next duty could not be worked out (as when a deadline ran past the end of the list); Ben's is stored as
    // 2099; Cal's is stored wrongly but before the new holiday, where a holiday cannot move it.
    await setNext(ada!.requestId, null, null);
    await setNext(ben!.requestId, 'decide_whether_to_assess', '2099-01-01');
    await setNext(cal!.requestId, 'decide_whether_to_assess', '2025-01-01');
    try {
      expect((await post(admin, { day: '2', month: '1', year: '2029', title: 'Extra day' })).status).toBe(303);
      // Reg 8(1): advice within 6 weeks of the request for it (24 February 2025).
      expect(await nextOf(ada!.requestId)).toEqual({ duty: 'advice:educational_psychology', due: '2025-04-07' });
      // Reg 4(2): the decision whether to assess within 6 weeks of the request (3 March 2025).
      expect(await nextOf(ben!.requestId)).toEqual({ duty: 'decide_whether_to_assess', due: '2025-04-14' });
      expect(await nextOf(cal!.requestId)).toEqual({ duty: 'decide_whether_to_assess', due: '2025-01-01' });
    } finally {
      await setNext(cal!.requestId, calBefore!.duty, calBefore!.due);
    }
  });

  it.each([
    [{ day: '', month: '', year: '' }, 'Enter the date of the bank holiday'],
    [{ day: '31', month: '2', year: '2029' }, 'The date must be a real date'],
    [{ day: '6', month: '1', year: '2029' }, 'A bank holiday must fall on a weekday'],
    [{ day: '25', month: '12', year: '2025' }, 'That date is already in the list'],
    [{ day: '3', month: '', year: '2029' }, 'The date must include a month'],
  ])('refuses %j with a GOV.UK error summary and saves nothing', async (form, message) => {
    const admin = await signedIn(app, email('admin'));
    const before = await auditRows(eq(auditLog.entityType, 'bank_holiday'));
    const res = await post(admin, form);
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain(message);
    expect(await auditRows(eq(auditLog.entityType, 'bank_holiday'))).toHaveLength(before.length);
  });

  it('is for admins only', async () => {
    const caseworker = await signedIn(app, email('caseworker'));
    await caseworker.get('/admin/bank-holidays').expect(403);
  });
});

describe('housekeeping', () => {
  it('forgets spent sign-in counters but keeps ones still in their window', async () => {
    const { services } = testApp(database);
    await database.db.execute(
      sql`insert into sign_in_throttle (scope, key, failures, window_start, locked_until) values
        ('account', 'old@example.org', 2, '2000-01-01T00:00:00Z', null),
        ('account', 'fresh@example.org', 2, ${TEST_NOW.toISOString()}, null)`,
    );
    await services.auth.pruneThrottle();
    const keys = await queryRows<{ key: string }>(
      database.db,
      sql`select key from sign_in_throttle where scope = 'account'`,
    );
    expect(keys.map((k) => k.key)).toContain('fresh@example.org');
    expect(keys.map((k) => k.key)).not.toContain('old@example.org');
  });
});
