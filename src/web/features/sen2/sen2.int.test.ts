import { eq } from 'drizzle-orm';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearRequestLimits, setUpIntegration } from '../../../../test/integration.js';
import { csrfFrom, signedIn, testApp } from '../../../../test/app.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { jobs } from '../../../data/schema.js';
import { createJobBoard } from '../../../services/jobs.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let services: ReturnType<typeof testApp>['services'];

beforeAll(async () => {
  ({ database, fixture, app, services } = await setUpIntegration());
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;

describe('the SEN2 return page', () => {
  beforeEach(() => clearRequestLimits(database));
  it('makes the chosen year’s return and lists what would stop DfE accepting it', async () => {
    const agent = await signedIn(app, email('data'));
    const page = await agent.get('/sen2?year=2026').expect(200);
    expect(page.text).toContain('The 2026 return');
    expect(page.text).toContain('Requests and assessments from 1 January 2025 to 31 December 2025');
    // The fixture's children have no sex or ethnicity recorded, and the officers are not yet given.
    expect(page.text).toContain('the sex is required (M or F)');
    expect(page.text).toContain('say whether the LA has a designated medical officer in post');
    expect(page.text).toContain('href="/sen2/SEN2_999_2026.xml"');

    const bad = await agent.get('/sen2?year=2024').expect(400);
    expect(bad.text).toContain('There is a problem');
    expect(bad.text).toContain('Select 2025 or 2026');
  });

  it('downloads the XML for the user’s own LA only', async () => {
    const agent = await signedIn(app, email('data'));
    const file = await agent.get('/sen2/SEN2_999_2026.xml').expect(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename=SEN2_999_2026.xml');
    expect(file.text).toContain('<LEA>999</LEA>');
    await agent.get('/sen2/SEN2_998_2026.xml').expect(404);
  });

  it('keeps the designated officers, refusing a form with one missing', async () => {
    const agent = await signedIn(app, email('data'));
    const page = await agent.get('/sen2').expect(200);
    const refused = await agent
      .post('/sen2/officers')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), dmo: 'Y', dco: 'R' })
      .expect(400);
    expect(refused.text).toContain('Select whether the LA has a designated social care officer');
    expect(refused.text).toMatch(/name="dco" type="radio" value="R" checked/);
    await agent
      .post('/sen2/officers')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), dmo: 'Y', dco: 'R', dsco: 'N' })
      .expect(303);
    const file = await agent.get('/sen2/SEN2_999_2026.xml').expect(200);
    expect(file.text).toMatch(/<DMO>Y<\/DMO>\s*<DCO>R<\/DCO>\s*<DSCO>N<\/DSCO>/);
  });

  it('refuses the officers saved from a stale page, showing the other save beside what was chosen', async () => {
    const one = await signedIn(app, email('data'));
    const two = await signedIn(app, email('manager'));
    const opened = async (agent: TestAgent) => {
      const page = await agent.get('/sen2').expect(200);
      return { _csrf: csrfFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)![1]! };
    };
    // Saved once already, so both pages open at a version and the save is the conditional UPDATE.
    await one
      .post('/sen2/officers')
      .type('form')
      .send({ ...(await opened(one)), dmo: 'Y', dco: 'Y', dsco: 'Y' })
      .expect(303);
    const a = await opened(one);
    const b = await opened(two);
    expect(Number(a.version)).toBeGreaterThan(0);
    await one
      .post('/sen2/officers')
      .type('form')
      .send({ ...a, dmo: 'N', dco: 'R', dsco: 'N' })
      .expect(303);
    const stale = await two
      .post('/sen2/officers')
      .type('form')
      .send({ ...b, dmo: 'Y', dco: 'R', dsco: 'N' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Someone else changed the designated officers while you had this page open');
    const table = /<table[^>]*id="stale-changes"[\s\S]*?<\/table>/.exec(stale.text)![0].replace(/<[^>]+>/g, ' ');
    expect(table.replace(/\s+/g, ' ')).toContain('Designated medical officer (DMO) No In post');
    const file = await one.get('/sen2/SEN2_999_2026.xml').expect(200);
    expect(file.text).toMatch(/<DMO>N<\/DMO>\s*<DCO>R<\/DCO>\s*<DSCO>N<\/DSCO>/);
  });

  it('checks an uploaded file, and refuses an import with no file or with bad codes, saving nothing', async () => {
    const agent = await signedIn(app, email('data'));
    const token = csrfFrom((await agent.get('/sen2').expect(200)).text);
    const hostile = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>';
    // A file that is no return at all is bad input (issue 23): the form again, with the GOV.UK error summary.
    const checked = await agent
      .post('/sen2/check')
      .field('_csrf', token)
      .attach('checkFile', Buffer.from(hostile), 'evil.xml')
      .expect(400);
    expect(checked.text).toContain('govuk-error-summary');
    expect(checked.text).toMatch(
      /href="#checkFile">The selected file cannot be checked: [^<]*document type declaration/,
    );
    const noFile = await agent
      .post('/sen2/import')
      .field('_csrf', token)
      .field('format', 'csv')
      .field('mode', 'import')
      .expect(400);
    expect(noFile.text).toContain('Select a SEN2 XML or CSV file');
    expect(noFile.text).toContain('Select the collection year the CSV’s records belong to');

    const csv =
      'surname,forename,date_of_birth,sex,ethnicity,upn_unknown,received_date,request_outcome\nRiver,Ana,2015-01-01,Q,WBRI,UN8,2025-02-03,A\n';
    const started = await agent
      .post('/sen2/import')
      .field('_csrf', token)
      .field('format', 'csv')
      .field('csvYear', '2026')
      .field('mode', 'import')
      .attach('importFile', Buffer.from(csv), 'cases.csv')
      .expect(303);
    // The import runs as a job; its page shows progress, then the outcome.
    const jobUrl = started.headers.location as string;
    expect(jobUrl).toMatch(/^\/sen2\/imports\/[0-9a-f-]{36}$/);
    await services.sen2.importsSettled();
    const progress = await agent.get(`${jobUrl}/progress`).expect(200);
    expect(progress.body).toMatchObject({ status: 'done', percent: 100 });
    const refused = await agent.get(jobUrl).expect(200);
    expect(refused.text).toContain('Nothing imported');
    expect(refused.text).toContain('cases.csv');
    expect(refused.text).toContain('line 2, column sex');
    const after = await agent.get('/sen2/SEN2_999_2026.xml').expect(200);
    expect(after.text).not.toContain('River');
    // Another LA's data officer cannot see the job, nor download this LA's return.
    const other = await signedIn(app, email('otherdata'));
    await other.get(jobUrl).expect(404);
    await other.get(`${jobUrl}/progress`).expect(404);
    await other.get('/sen2/SEN2_999_2026.xml').expect(404);
  });

  it('imports a good CSV from the page: a dry run lists the rows, then the import creates them', async () => {
    const agent = await signedIn(app, email('data'));
    const token = csrfFrom((await agent.get('/sen2').expect(200)).text);
    const csv =
      'surname,forename,date_of_birth,sex,ethnicity,upn_unknown,received_date,request_source,request_outcome\nRiver,Ana,2015-01-01,F,WBRI,UN8,2025-02-03,1,A\n';
    const run = async (mode: string) => {
      const started = await agent
        .post('/sen2/import')
        .field('_csrf', token)
        .field('format', 'csv')
        .field('csvYear', '2026')
        .field('mode', mode)
        .attach('importFile', Buffer.from(csv), 'cases.csv')
        .expect(303);
      await services.sen2.importsSettled();
      return (await agent.get(started.headers.location as string).expect(200)).text;
    };
    const dry = await run('dry_run');
    expect(dry).toContain('Import checked');
    expect(dry).toMatch(/line 2<\/td>\s*<td class="govuk-table__cell">New<\/td>/);
    // The report is kept (for whichever of the service's processes shows it) without the records read from the file.
    const kept = await database.db.select({ result: jobs.result }).from(jobs).where(eq(jobs.kind, 'sen2_import'));
    expect(kept.length).toBeGreaterThan(0);
    for (const { result } of kept) expect(JSON.stringify(result)).not.toContain('River');
    expect(kept.map(({ result }) => (result as { plan: unknown }).plan)).toContainEqual({ notKept: [] });
    expect((await agent.get('/sen2/SEN2_999_2026.xml').expect(200)).text).not.toContain('River');
    const done = await run('import');
    expect(done).toContain('Import done');
    expect((await agent.get('/sen2/SEN2_999_2026.xml').expect(200)).text).toContain('<Surname>River</Surname>');
  });

  it('refuses a file that is no return it can read as bad input (400, the form with the error summary)', async () => {
    // A fresh app, so this test's uploads count against no earlier test's limit of 5 a minute.
    const fresh = testApp(database);
    const agent = await signedIn(fresh.app, email('data'));
    const token = csrfFrom((await agent.get('/sen2').expect(200)).text);
    // A return for a year the product has no schema for cannot be checked either.
    const ours = (await agent.get('/sen2/SEN2_999_2026.xml').expect(200)).text;
    const old = await agent
      .post('/sen2/check')
      .field('_csrf', token)
      .attach('checkFile', Buffer.from(ours.replace(/<Year>2026<\/Year>/, '<Year>2024</Year>')), 'old.xml')
      .expect(400);
    expect(old.text).toContain('The selected file cannot be checked: 2024 is not a collection the product can check');
    // A return the product can read is checked, its problems listed (200): the check did its job.
    const readable = await agent
      .post('/sen2/check')
      .field('_csrf', token)
      .attach('checkFile', Buffer.from(ours), 'ours.xml')
      .expect(200);
    expect(readable.text).toContain('ours.xml checked');
    expect(readable.text).toContain('the sex is required (M or F)');

    // An import of XML nested deeper than any return: its job ends at once, and its page is the import form again
    // with the reason in the GOV.UK error summary (400), nothing imported.
    const deep = `<?xml version="1.0" encoding="UTF-8"?><Message>${'<a>'.repeat(50)}${'</a>'.repeat(50)}</Message>`;
    const deepImport = await agent
      .post('/sen2/import')
      .field('_csrf', token)
      .field('format', 'xml')
      .field('mode', 'dry_run')
      .attach('importFile', Buffer.from(deep), 'deep.xml')
      .expect(303);
    await fresh.services.sen2.importsSettled();
    const deepPage = await agent.get(deepImport.headers.location as string).expect(400);
    expect(deepPage.text).toContain('govuk-error-summary');
    expect(deepPage.text).toMatch(
      /href="#importFile">The selected file cannot be imported: the XML nests elements more than 20 deep/,
    );
    expect(deepPage.text).toMatch(/name="format" type="radio" value="xml" checked/);
  });

  it('says plainly that an import failed, without the program’s message, and how to start it again (200)', async () => {
    // A job that fails, as userJobs.int.test.ts forces one: a board of the import's kind whose work throws, here with
    // a database's message that names a child's UPN, which the page must not show.
    const failing = createJobBoard(database, {
      kind: 'sen2_import',
      maxRunning: 1,
      lifetimeMs: 60_000,
      busy: { yours: 'yours', others: 'others' },
      run: () => Promise.reject(new Error('duplicate key value violates unique constraint (upn)=(A123456789012)')),
    });
    const { id } = await failing.start(
      { laCode: '999', userId: fixture.users.data!.id },
      { step: 'Checking the file', total: 1000 },
      { dryRun: false, name: 'cases.csv', format: 'csv', csvYear: 2026, ip: null, requestId: null },
    );
    await failing.settled();
    const agent = await signedIn(app, email('data'));
    const page = await agent.get(`/sen2/imports/${id}`).expect(200);
    expect(page.text).toContain('<h1 class="govuk-heading-l">The file could not be imported</h1>');
    expect(page.text).toContain('The service had a problem while working on it. Nothing was imported.');
    expect(page.text).toMatch(/<a href="\/sen2#import"[^>]*class="govuk-button"[^>]*>\s*Start the import again/);
    expect(page.text).not.toContain('A123456789012');
    expect(page.text).not.toContain('duplicate key');
    // The form the button goes back to is there.
    expect((await agent.get('/sen2').expect(200)).text).toContain('id="import">Bring in existing cases');
  });

  it('is not for caseworkers', async () => {
    const agent = await signedIn(app, email('caseworker'));
    await agent.get('/sen2').expect(403);
    await agent.get('/sen2/SEN2_999_2026.xml').expect(403);
  });
});
