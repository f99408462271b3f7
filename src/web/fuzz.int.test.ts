/**
 * Hostile and malformed input never gets a 5xx (issue 23, item 3). Every route the app serves (read from its router)
 * is driven, as every role and signed out, with generated ids, query strings and form bodies that carry a valid CSRF
 * token, so the handlers themselves run. FUZZ_SEED and FUZZ_RUNS replay or lengthen a run; a failure names its seed.
 */
import fc from 'fast-check';
import supertest from 'supertest';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../data/db.js';
import { auditLog, children, roleAssignments } from '../data/schema.js';
import { clearRequestLimits, setUpIntegration } from '../../test/integration.js';
import type { Fixture } from '../../test/fixtures.js';
import type { testApp } from '../../test/app.js';
import { csrfFrom, signedIn } from '../../test/app.js';
import { appRoutes, type AppRoute } from '../../test/routes.js';
import { addProfessional } from '../../test/professionals.js';

const ROLES = ['caseworker', 'manager', 'qa', 'advice', 'parent', 'board', 'admin', 'data', 'school'] as const;
type Who = (typeof ROLES)[number] | 'anonymous';

/** Routes that end or start a session (they would sign the fuzzing agent out) or serve static files. */
const SKIPPED = new Set(['post /sign-in', 'post /sign-out', 'get /assets/govuk-frontend.min.css']);

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let routes: AppRoute[];
const agents = new Map<Who, { agent: ReturnType<typeof supertest.agent>; csrf: string }>();
/** The fields of each route's form, as a role sees it (read from the GET page with real ids). */
const formFields = new Map<string, string[]>();

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  routes = appRoutes(app).filter((r) => !SKIPPED.has(`${r.method} ${r.path}`));
  // Professionals outside the council (issue 27): the advice giver in a service, and a school's user.
  await database.db
    .update(roleAssignments)
    .set({ adviceService: 'educational_psychology' })
    .where(eq(roleAssignments.userId, fixture.users.advice!.id));
  const school = await addProfessional(database, 'school', '999', 'school', { settingUrn: '123456' });
  for (const role of ROLES) {
    const agent = await signedIn(app, role === 'school' ? school.email : fixture.users[role]!.email);
    const home = await agent.get('/').expect(200);
    agents.set(role, { agent, csrf: csrfFrom(home.text) });
  }
  const anonymous = supertest.agent(app);
  agents.set('anonymous', { agent: anonymous, csrf: csrfFrom((await anonymous.get('/sign-in').expect(200)).text) });
});
afterAll(async () => {
  await database.close();
});

/** Text a person or an attacker might type: control characters (NUL), unicode, SQL and HTML, huge numbers. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '\u0000',
    'Ada\u0000Abbott',
    '%00',
    '\ud800',
    '99999999999999999999',
    '2147483648',
    '-2147483649',
    '1e308',
    '-1',
    '0',
    'NaN',
    'Infinity',
    "' OR 1=1 --",
    '"; drop table children; --',
    '<script>alert(1)</script>',
    '{{ 7*7 }}',
    '../../etc/passwd',
    '2025-02-30',
    '------------------------------------',
    'ffffffff-ffff-ffff-ffff-fffffffffffff',
    '00000000-0000-0000-0000-000000000000',
    'x'.repeat(5_000),
  ),
);

/** Ids: real ones, unknown ones, ones shaped like UUIDs that are not, and hostile text. */
function idFor(name: string): fc.Arbitrary<string> {
  const real = name === 'requestId' ? Object.values(fixture.cases).map((c) => c.requestId) : [];
  return fc.oneof(
    ...(real.length > 0 ? [fc.constantFrom(...real)] : []),
    fc.uuid(),
    fc.stringMatching(/^[0-9a-f-]{36}$/),
    fc.constantFrom('999', '998', '1', 'plans_within_20_weeks', 'sen2-999-2025.xml', ...RAW_SEGMENTS),
    hostileText,
  );
}

/** Path segments sent as they are: a NUL, a byte that is not UTF-8, a broken escape. */
const RAW_SEGMENTS = ['%00', '%FF', '%E0%A4%A', '%', '..', '%2e%2e%2f'];

/** A path with each :param filled in: percent-encoded UTF-8 (as a browser sends it), or one of the raw segments. */
const pathWith = (path: string, params: Record<string, string>) =>
  path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name] ?? '';
    if (RAW_SEGMENTS.includes(value)) return value;
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  });

const QUERY_NAMES = ['caseworker', 'version', 'page', 'view', 'stage', 'need', 'year', 'month', 'returnTo', 'done'];

async function fieldsOf(route: AppRoute, who: Who): Promise<string[]> {
  const key = `${who} ${route.path}`;
  const known = formFields.get(key);
  if (known) return known;
  const { agent } = agents.get(who)!;
  const page = await agent.get(pathWith(route.path, { requestId: fixture.cases.ada!.requestId }));
  const names = [...new Set([...page.text.matchAll(/name="([^"]+)"/g)].map((m) => m[1]!))].filter((n) => n !== '_csrf');
  formFields.set(key, names);
  return names;
}

describe('every route under generated input', () => {
  it('answers every route, as every role and signed out, with no 5xx; any refusal is a GOV.UK page', async () => {
    // About 700 requests: some 30 s on 2 cores, short enough to run with every change. FUZZ_RUNS for a longer run.
    const runs = Number(process.env.FUZZ_RUNS ?? 700);
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom<Who>(...ROLES, 'anonymous'),
        fc.gen(),
        fc.dictionary(fc.constantFrom(...QUERY_NAMES), hostileText, { maxKeys: 3 }),
        async (route, who, gen, query) => {
          const params: Record<string, string> = {};
          for (const [, name] of route.path.matchAll(/:(\w+)/g)) params[name!] = gen(idFor, name!);
          const url = pathWith(route.path, params);
          const { agent, csrf } = agents.get(who)!;
          let res: supertest.Response;
          let requested = url;
          if (route.method === 'get') {
            const search = new URLSearchParams(query).toString();
            if (search) requested = `${url}?${search}`;
            res = await agent.get(requested);
          } else {
            const form = new URLSearchParams({ _csrf: csrf });
            for (const name of [...(await fieldsOf(route, who)), 'version', 'submissionKey']) {
              if (!gen(fc.boolean)) continue;
              // Sometimes a field twice (a list, where a handler expects text).
              for (let i = gen(fc.integer, { min: 1, max: gen(fc.boolean) ? 1 : 2 }); i > 0; i--) {
                form.append(
                  name,
                  gen(() => fc.oneof(hostileText, fc.uuid(), fc.constant('1'))),
                );
              }
            }
            res = await agent.post(url).type('form').send(form.toString());
          }
          const what = `${route.method.toUpperCase()} ${url.slice(0, 300)} as ${who}`;
          // An address over Node's 16 KB header limit is refused by Node's HTTP parser before the app runs; the
          // served app answers it with a short page of its own (clientErrors.ts, tested in clientErrors.test.ts).
          if (res.status === 431) {
            expect(requested.length, what).toBeGreaterThan(16_000);
            return;
          }
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) expect(res.text, what).toContain('govuk-template');
        },
      ),
      // fast-check names the seed and the failing case when one fails: FUZZ_SEED=<seed> replays the run.
      { numRuns: runs, seed, endOnFailure: true },
    );
  }, 180_000);
});

/** The audit records of denied attempts on one record id. */
const denials = (entityId: string) =>
  database.db
    .select({ action: auditLog.action, entityType: auditLog.entityType, userId: auditLog.userId })
    .from(auditLog)
    .where(and(eq(auditLog.entityId, entityId), inArray(auditLog.action, ['read_denied', 'write_denied'])));

describe('the malformed inputs that gave 500 (issue 23, item 3)', () => {
  const BAD_IDS = [
    // 36 characters of [0-9a-f-], so the old check let them through to PostgreSQL, which refused them.
    ['------------------------------------', '------------------------------------'],
    ['0b6a5d3e8f1c4c2a9e7d1a2b3c4d5e6f-abc', '0b6a5d3e8f1c4c2a9e7d1a2b3c4d5e6f-abc'],
    // A NUL: PostgreSQL refuses it even in text, so the audit record of the attempt failed too. It is kept escaped.
    ['%00', '\\u0000'],
  ] as const;

  it('answers a case id that is no UUID with the not-found page, and audits the denied read or write', async () => {
    const { agent, csrf } = agents.get('caseworker')!;
    for (const [sent, stored] of BAD_IDS) {
      // The caseworker's denied attempts on this id, recorded against the case (the fuzzing above may add others').
      const count = async (action: string) =>
        (await denials(stored)).filter(
          (a) =>
            a.action === action && a.userId === fixture.users.caseworker!.id && a.entityType === 'assessment_request',
        ).length;
      const [reads, writes] = [await count('read_denied'), await count('write_denied')];
      for (const page of ['', '/plan', '/plan/compare', '/assessment-decision', '/advice/new', '/withdraw']) {
        const res = await agent.get(`/cases/${sent}${page}`).expect(404);
        expect(res.text).toContain('Page not found');
      }
      await agent.post(`/cases/${sent}/withdraw`).type('form').send({ _csrf: csrf }).expect(404);
      expect(await count('read_denied')).toBe(reads + 6);
      expect(await count('write_denied')).toBe(writes + 1);
    }
  });

  it('answers other records’ ids that are no UUID with the not-found page', async () => {
    const manager = agents.get('manager')!.agent;
    const qa = agents.get('qa')!.agent;
    const ada = fixture.cases.ada!.requestId;
    for (const [sent] of BAD_IDS) {
      await manager.get(`/documents/${sent}`).expect(404);
      await manager.get(`/cases/${ada}/advice/${sent}/received`).expect(404);
      await manager.get(`/cases/${ada}/consultations/${sent}/reply`).expect(404);
      await qa.get(`/quality/audits/${sent}`).expect(404);
    }
    expect(await denials('------------------------------------')).toContainEqual(
      expect.objectContaining({ entityType: 'document', action: 'read_denied' }),
    );
  });

  it('answers every other id that is no UUID with the not-found page, audited as the kind of record it names', async () => {
    const manager = agents.get('manager')!;
    const data = agents.get('data')!;
    const bad = '0b6a5d3e8f1c4c2a9e7d1a2b3c4d5e6f-xyz';
    const pages: [typeof manager, 'get' | 'post', string, string][] = [
      [manager, 'get', `/improvement-plan/objectives/${bad}/edit`, 'plan_objective'],
      [manager, 'post', `/improvement-plan/objectives/${bad}/delete`, 'plan_objective'],
      [manager, 'post', `/improvement-plan/priorities/${bad}`, 'plan_priority'],
      [manager, 'get', `/improvement-plan/commitments/${bad}`, 'commitment'],
      [manager, 'post', `/improvement-plan/commitments/${bad}/values`, 'commitment'],
      [manager, 'get', `/improvement-plan/actions/${bad}`, 'commitment_action'],
      [manager, 'get', `/forecast/scenarios/${bad}`, 'forecast_scenario'],
      [manager, 'get', `/forecast/scenarios/${bad}/progress`, 'forecast_scenario'],
      [data, 'get', `/sen2/imports/${bad}`, 'sen2_import'],
      [data, 'get', `/sen2/imports/${bad}/progress`, 'sen2_import'],
    ];
    for (const [{ agent, csrf }, method, url, entityType] of pages) {
      const before = (await denials(bad)).length;
      const res = method === 'get' ? await agent.get(url) : await agent.post(url).type('form').send({ _csrf: csrf });
      expect(res.status, url).toBe(404);
      expect(res.text, url).toContain('Page not found');
      const after = await denials(bad);
      expect(after.length, url).toBe(before + 1);
      expect(after.at(-1), url).toMatchObject({
        entityType,
        action: method === 'get' ? 'read_denied' : 'write_denied',
      });
    }
  });

  it('audits a denied read of a well-formed id that names no record (a document, a commitment, a job)', async () => {
    const manager = agents.get('manager')!.agent;
    const data = agents.get('data')!.agent;
    const reads: [typeof manager, string, string][] = [
      [manager, '/documents/:id', 'document'],
      [manager, '/improvement-plan/commitments/:id', 'commitment'],
      [manager, '/improvement-plan/objectives/:id/edit', 'plan_objective'],
      [manager, '/improvement-plan/actions/:id', 'commitment_action'],
      [manager, '/forecast/scenarios/:id', 'forecast_scenario'],
      [data, '/sen2/imports/:id', 'sen2_import'],
    ];
    for (const [agent, path, entityType] of reads) {
      const id = randomUUID();
      await agent.get(path.replace(':id', id)).expect(404);
      expect(await denials(id), path).toEqual([
        { action: 'read_denied', entityType, userId: expect.any(String) as string },
      ]);
    }
    // An unknown case is audited once, by the service that looked for it, not again by the not-found page.
    const id = randomUUID();
    await manager.get(`/cases/${id}`).expect(404);
    expect(await denials(id)).toHaveLength(1);
  });

  it('refuses a caseworker filter, submission key or version that cannot be one, with a GOV.UK error', async () => {
    const { agent, csrf } = agents.get('caseworker')!;
    const filtered = await agent.get('/cases?view=all&caseworker=------------------------------------').expect(400);
    expect(filtered.text).toContain('govuk-error-summary');

    const ada = fixture.cases.ada!.requestId;
    const form = await agent.get(`/cases/${ada}/withdraw`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(form.text)![1]!;
    const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(form.text)![1]!;
    const withdraw = (fields: Record<string, string>) =>
      agent
        .post(`/cases/${ada}/withdraw`)
        .type('form')
        .send({ _csrf: csrf, version, submissionKey, reason: 'Moved away', ...fields });
    // Beyond a PostgreSQL integer (2^31 - 1), and a key of 36 hyphens: the form is stale or broken, never a 500.
    for (const fields of [{ version: '99999999999999999999' }, { version: '2147483648' }]) {
      const res = await withdraw(fields);
      expect([400, 409]).toContain(res.status);
      expect(res.text).toContain('govuk-error-summary');
    }
    const badKey = await withdraw({ submissionKey: '------------------------------------' });
    expect(badKey.status).toBe(400);
    expect(badKey.text).toContain('govuk-error-summary');
  });

  it('refuses a NUL in any text field with a GOV.UK error summary and saves nothing', async () => {
    const { agent, csrf } = agents.get('caseworker')!;
    const before = (await database.db.select({ id: children.id }).from(children)).length;
    const res = await agent
      .post('/requests/new')
      .type('form')
      .send({ _csrf: csrf, givenName: 'Nul\u0000Child', familyName: 'Test', submissionKey: randomUUID() })
      .expect(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain('control character');
    expect((await database.db.select({ id: children.id }).from(children)).length).toBe(before);
    // In a query string too.
    await agent.get('/cases?view=all&stage=%00').expect(400);
  });

  it('refuses XML nested 200,000 deep sent to the SEN2 check, saying why', async () => {
    const { agent, csrf } = agents.get('data')!;
    // The fuzzing above used up this person's SEN2 checks for the minute (5; counted in the database, across processes).
    await clearRequestLimits(database);
    const deep = `<?xml version="1.0" encoding="UTF-8"?><Message>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</Message>`;
    const res = await agent.post('/sen2/check').field('_csrf', csrf).attach('checkFile', Buffer.from(deep), 'deep.xml');
    // As for a DOCTYPE: the file is no return, so bad input: the form again, the reason in the error summary.
    expect(res.status).toBe(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toMatch(
      /href="#checkFile">The selected file cannot be checked: the XML nests elements more than 20 deep/,
    );
  });
});
