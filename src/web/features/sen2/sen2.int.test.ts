import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../../test/db.js';
import { csrfFrom, signedIn, testApp } from '../../../../test/app.js';
import { seedFixture, type Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  database = await openTestDb();
  fixture = await seedFixture(database);
  app = testApp(database).app;
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;

describe('the SEN2 return page', () => {
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

  it('checks an uploaded file, and refuses an import with no file or with bad codes, saving nothing', async () => {
    const agent = await signedIn(app, email('data'));
    const token = csrfFrom((await agent.get('/sen2').expect(200)).text);
    const hostile = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>';
    const checked = await agent
      .post('/sen2/check')
      .field('_csrf', token)
      .attach('checkFile', Buffer.from(hostile), 'evil.xml')
      .expect(200);
    expect(checked.text).toContain('document type declaration');

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
    const refused = await agent
      .post('/sen2/import')
      .field('_csrf', token)
      .field('format', 'csv')
      .field('csvYear', '2026')
      .field('mode', 'import')
      .attach('importFile', Buffer.from(csv), 'cases.csv')
      .expect(200);
    expect(refused.text).toContain('Nothing imported');
    expect(refused.text).toContain('line 2, column sex');
    const after = await agent.get('/sen2/SEN2_999_2026.xml').expect(200);
    expect(after.text).not.toContain('River');
  });

  it('is not for caseworkers', async () => {
    const agent = await signedIn(app, email('caseworker'));
    await agent.get('/sen2').expect(403);
    await agent.get('/sen2/SEN2_999_2026.xml').expect(403);
  });
});
