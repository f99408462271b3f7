/**
 * No personal data in logs (issue 23, item 2; architecture: "parameters and bodies are redacted at the logger"). A
 * database error while a case is written used to log the query's parameters: the child's name, date of birth,
 * ethnicity and postcode, or the whole plan. Here the database is made to refuse those writes, and the log lines the
 * service writes are read back: none of what was typed is in them, while they still say what went wrong and where.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../data/db.js';
import { createLogger } from '../logger.js';
import { setUpIntegration } from '../../test/integration.js';
import type { Fixture } from '../../test/fixtures.js';
import type { testApp } from '../../test/app.js';
import { csrfFrom, signedIn } from '../../test/app.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
const lines: string[] = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  ({ database, fixture, app } = await setUpIntegration({ logger: createLogger({ level: 'info', destination }) }));
  // The database refuses these children and plans, as a broken constraint or a full disk would: the error carries
  // the row, as PostgreSQL's errors do ("Failing row contains ...").
  await database.db.execute(sql`alter table children add constraint refuse_in_test check (given_name <> 'Zoë')`);
  await database.db.execute(
    sql`alter table plan_versions add constraint refuse_in_test check (content::text not like '%Zanzibar%')`,
  );
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => {
  lines.length = 0;
});

const stampOf = (html: string) => ({
  _csrf: csrfFrom(html),
  version: /name="version" value="(\d+)"/.exec(html)?.[1] ?? '',
  submissionKey: /name="submissionKey" value="([0-9a-f-]{36})"/.exec(html)![1]!,
});

/** The log lines of failures (level error or above), parsed. */
const errorLines = () =>
  lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => Number(l.level) >= 50);

describe('a database error while a case is written', () => {
  it('logs what failed (error class, SQL state, constraint, route) and none of the child’s details', async () => {
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    const page = await agent.get('/requests/new').expect(200);
    const typed = {
      givenName: 'Zoë',
      familyName: 'Quarrington-Vale',
      'dateOfBirth-day': '17',
      'dateOfBirth-month': '11',
      'dateOfBirth-year': '2015',
      sex: 'F',
      upnUnknown: 'UN8',
      ethnicity: 'WROM',
      postcode: 'SG13 8DQ',
      settingName: 'Little Hadham Primary',
      requestSource: '1',
      'receivedDate-day': '13',
      'receivedDate-month': '1',
      'receivedDate-year': '2025',
      contactName: 'Yolanda Quarrington-Vale',
      contactRelationship: 'parent',
      contactEmail: 'yolanda.qv@example.com',
      contactPreference: 'email',
    };
    const res = await agent
      .post('/requests/new')
      .type('form')
      .send({ ...stampOf(page.text), ...typed });
    expect(res.status).toBe(500);
    expect(res.text).toContain('Sorry, there is a problem with the service');

    const log = lines.join('\n');
    for (const value of [
      'Zoë',
      'Quarrington',
      '2015-11-17',
      'WROM',
      'SG13 8DQ',
      'SG138DQ',
      'Little Hadham',
      'yolanda',
      'Failing row',
    ]) {
      expect(log, `the log holds ${value}`).not.toContain(value);
    }
    const [logged] = errorLines();
    expect(logged).toMatchObject({
      msg: 'unhandled error',
      route: 'POST /requests/new',
      err: {
        type: 'DrizzleQueryError',
        message: expect.stringMatching(/^Failed query: insert into "children"/) as unknown,
        // 23514: check_violation (PostgreSQL Appendix A, SQL state codes).
        cause: { code: '23514', table: 'children', constraint: 'refuse_in_test' },
      },
    });
    // Nothing half-saved: no child, no request.
    const saved = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from children where family_name like 'Q%'`,
    );
    expect(saved).toEqual([{ n: 0 }]);
  });

  it('logs none of a plan’s text when saving the draft plan fails', async () => {
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    const url = `/cases/${fixture.cases.cal!.requestId}/plan/edit`;
    const page = await agent.get(url).expect(200);
    const res = await agent
      .post(url)
      .type('form')
      .send({
        ...stampOf(page.text),
        A: 'Loves the map of Zanzibar and wants to sail',
        'need-count': '1',
        'need-0-text': 'Struggles with phonics in noisy rooms',
        'outcome-count': '0',
        'provision-count': '0',
      });
    expect(res.status).toBe(500);
    const log = lines.join('\n');
    for (const value of ['Zanzibar', 'sail', 'phonics', 'noisy']) expect(log).not.toContain(value);
    expect(errorLines()[0]).toMatchObject({
      route: 'POST /cases/:requestId/plan/edit',
      err: { cause: { code: '23514', table: 'plan_versions' } },
    });
  });

  it('logs requests by path and the names of their query, not the values (which can be a child’s name)', async () => {
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    await agent.get('/cases?view=all&q=Abbott').expect(200);
    const request = lines
      .map((l) => JSON.parse(l) as { req?: { url?: string } })
      .find((l) => l.req?.url?.startsWith('/cases'));
    expect(request?.req?.url).toBe('/cases?view&q');
    expect(lines.join('\n')).not.toContain('Abbott');
  });
});
