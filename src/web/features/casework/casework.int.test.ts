/**
 * The caseworker's journey over HTTP, as a browser without JavaScript sends it: every step's form, its validation,
 * the clock's statuses after each step, stale forms, double submissions, uploads and who may do what.
 * "Today" is Tuesday 1 April 2025 (TEST_NOW).
 */
import { and, eq } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFields as date, formStamp } from '../../../../test/casework.js';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import {
  adviceRequests,
  assessmentRequests,
  auditLog,
  caseEvents,
  children,
  documents,
  planVersions,
} from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
type Agent = Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;

/** The hidden fields of the form on a page: CSRF token, case version and submission key. */

/** A GOV.UK date input's three fields. */

async function openForm(agent: Agent, url: string) {
  const page = await agent.get(url).expect(200);
  return formStamp(page.text);
}

async function submit(agent: Agent, url: string, fields: Record<string, string | string[]>, expected = 303) {
  const stamp = await openForm(agent, url);
  return agent
    .post(url)
    .type('form')
    .send({ ...stamp, ...fields })
    .expect(expected);
}

/** The status shown for a duty in the case page's deadlines table. */
function dutyRow(html: string, dutyName: string): string {
  const row = html.split('<tr class="govuk-table__row">').find((r) => r.includes(`>${dutyName}<`));
  if (!row) throw new Error(`no row for ${dutyName}`);
  return row
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const newChild = {
  givenName: 'Ada',
  familyName: 'Lovelace',
  ...date('dateOfBirth', '2016-12-10'),
  sex: 'F',
  upn: '',
  uln: '',
  upnUnknown: 'UN8',
  requestSource: '1',
  ...date('receivedDate', '2025-01-13'),
  contactName: 'Anne Lovelace',
  contactRelationship: 'parent',
  contactEmail: 'anne@example.com',
  contactPhone: '',
  contactAddress: '',
  contactPreference: 'email',
};

async function recordRequest(agent: Agent, fields: Record<string, string> = newChild) {
  const page = await agent.get('/requests/new').expect(200);
  const res = await agent
    .post('/requests/new')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), submissionKey: formStamp(page.text).submissionKey, ...fields });
  return res;
}

describe('recording a request (step 1)', () => {
  it('creates the child and the request, and starts the clock: decision due 6 weeks after receipt (reg 5(1))', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const res = await recordRequest(agent).then((r) => r);
    expect(res.status).toBe(303);
    const caseUrl = res.headers.location!.replace(/\?.*$/, '');
    const page = await agent.get(res.headers.location!).expect(200);
    expect(page.text).toContain('Request recorded');
    expect(page.text).toContain('Ada Lovelace');
    // 13 Jan 2025 + 42 days = 24 Feb 2025; on 1 April 2025 it is overdue.
    expect(dutyRow(page.text, 'Decide whether to assess')).toContain('24 February 2025');
    expect(dutyRow(page.text, 'Decide whether to assess')).toContain('Overdue');
    const id = caseUrl.split('/').pop()!;
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, id));
    expect(row).toMatchObject({
      stage: 'deciding_whether_to_assess',
      nextDuty: 'decide_whether_to_assess',
      nextDueDate: '2025-02-24',
      requestSource: '1',
    });
  });

  it('warns of a possible duplicate child and records the request for the existing child when chosen', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const first = await recordRequest(agent, { ...newChild, givenName: 'Grace', familyName: 'Hopper' });
    expect(first.status).toBe(303);
    const page = await agent.get('/requests/new').expect(200);
    const stamp = formStamp(page.text);
    const fields = {
      _csrf: stamp._csrf,
      submissionKey: stamp.submissionKey,
      ...newChild,
      givenName: 'grace',
      familyName: 'HOPPER',
    };
    const warned = await agent.post('/requests/new').type('form').send(fields).expect(200);
    expect(warned.text).toContain('A child with the same name and date of birth is already known');
    const existingId = /name="duplicateChoice" type="radio" value="([0-9a-f-]{36})"/.exec(warned.text)?.[1];
    expect(existingId).toBeDefined();
    const saved = await agent
      .post('/requests/new')
      .type('form')
      .send({ ...fields, duplicateChoice: existingId })
      .expect(303);
    const requestId = saved.headers.location!.split('/')[2]!.replace(/\?.*$/, '');
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row!.childId).toBe(existingId);
  });

  it('refuses impossible and future dates, bad identifiers and missing answers, keeping what was typed', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const res = await recordRequest(agent, {
      ...newChild,
      givenName: 'Mary',
      'dateOfBirth-day': '30',
      'dateOfBirth-month': '2',
      upn: 'A12345678901X',
      postcode: 'QQ1 1AA',
      requestSource: '',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Date of birth must be a real date');
    expect(res.text).toContain('Enter a real unique pupil number');
    expect(res.text).toContain('Enter a real postcode');
    expect(res.text).toContain('Select who asked for the assessment');
    expect(res.text).toContain('value="Mary"');
    const future = await recordRequest(agent, {
      ...newChild,
      givenName: 'Mary',
      ...date('receivedDate', '2025-04-02'),
    });
    expect(future.status).toBe(400);
    expect(future.text).toContain('The date received must be today or in the past');
  });

  it('accepts a valid UPN and normalises the postcode', async () => {
    const agent = await signedIn(app, email('caseworker'));
    // A123456789012? Compute a valid one from the check letter rule instead of trusting a literal.
    const { upnCheckLetter } = await import('../../../domain/identifiers/upn.js');
    const body = '938201100012';
    const res = await recordRequest(agent, {
      ...newChild,
      givenName: 'Alan',
      upn: `${upnCheckLetter(body)}${body}`,
      upnUnknown: '',
      postcode: 'sg138dq',
    });
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location!).expect(200);
    expect(page.text).toContain('SG13 8DQ');
  });
});

describe('the family’s contact and the primary need on a new request', () => {
  it('needs a name, who they are, at least one way to reach them, and a preferred way they gave; nothing is saved until then', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const before = (await database.db.select().from(assessmentRequests)).length;
    const none = await recordRequest(agent, {
      ...newChild,
      givenName: 'Nina',
      contactName: '',
      contactRelationship: '',
      contactEmail: '',
      contactPreference: '',
    });
    expect(none.status).toBe(400);
    const text = pageText(none.text);
    expect(text).toContain('Enter the name of the person to contact about the request');
    expect(text).toContain('Select who the contact is to the child or young person');
    expect(text).toContain(
      'Enter at least one way to contact them: an email address, a phone number or a postal address',
    );
    expect(text).toContain('Select how they would like to be contacted');
    // Each error links to its field.
    expect(none.text).toContain('href="#contactName"');
    expect(none.text).toContain('href="#contactRelationship"');

    const mismatched = await recordRequest(agent, {
      ...newChild,
      givenName: 'Nina',
      contactEmail: 'not an email',
      contactPhone: '12345',
      contactPreference: 'letter',
    });
    expect(mismatched.status).toBe(400);
    const m = pageText(mismatched.text);
    expect(m).toContain('Enter an email address in the correct format, like name@example.com');
    expect(m).toContain('Enter a UK phone number');
    expect(m).toContain('Enter a postal address to contact them by letter, or choose another way');
    expect(mismatched.text).toContain('value="not an email"');
    expect((await database.db.select().from(assessmentRequests)).length).toBe(before);
  });

  it('records the contact with the request and shows it on the case page; the primary need given goes on the child', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const res = await recordRequest(agent, {
      ...newChild,
      givenName: 'Olive',
      familyName: 'Contact',
      primaryNeed: 'HI',
      contactName: 'Tom O’Contact',
      contactRelationship: 'carer',
      contactEmail: '',
      contactPhone: '07700 900 982',
      contactAddress: '1 High Street\nHertford',
      contactPreference: 'text',
    });
    expect(res.status).toBe(303);
    const id = res.headers.location!.replace(/\?.*$/, '').split('/').pop()!;
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, id));
    expect(row).toMatchObject({
      contactName: 'Tom O’Contact',
      contactRelationship: 'carer',
      contactEmail: null,
      contactPhone: '07700900982',
      contactAddress: '1 High Street\nHertford',
      contactPreference: 'text',
    });
    const [child] = await database.db.select().from(children).where(eq(children.id, row!.childId));
    expect(child!.primaryNeed).toBe('HI');
    const caseHtml = (await agent.get(`/cases/${id}`).expect(200)).text;
    const page = pageText(caseHtml);
    expect(page).toContain(
      'Who to contact Name Tom O’Contact Who they are Carer or other person with parental responsibility',
    );
    expect(page).toContain('Phone 07700900982');
    expect(page).toContain('Prefers Text message');
    // The address as typed, a line each, escaped.
    expect(caseHtml).toContain('1 High Street<br>Hertford');
    expect(page).toContain('Primary need Hearing impairment');
    // The caseload's need filter finds the child by it.
    const byNeed = pageText((await agent.get('/cases?view=all&need=HI').expect(200)).text);
    expect(byNeed).toContain('Contact, Olive');
  });

  it('refuses a primary need that is not one of SEN2’s codes', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const res = await recordRequest(agent, { ...newChild, givenName: 'Pat', primaryNeed: 'XYZ' });
    expect(res.status).toBe(400);
    expect(pageText(res.text)).toContain('Select the primary need from the list');
  });
});

describe('the journey from request to final plan', () => {
  let agent: Agent;
  let caseUrl: string;
  let requestId: string;

  beforeAll(async () => {
    agent = await signedIn(app, email('caseworker'));
    const res = await recordRequest(agent, { ...newChild, givenName: 'Journey', familyName: 'Child' });
    caseUrl = res.headers.location!.replace(/\?.*$/, '');
    requestId = caseUrl.split('/').pop()!;
  });

  const events = async () =>
    database.db.select().from(caseEvents).where(eq(caseEvents.requestId, requestId)).orderBy(caseEvents.id);

  it('step 2: the decision to assess, notified 20 Feb 2025, meets the 6-week duty', async () => {
    const bad = await submit(
      agent,
      `${caseUrl}/assessment-decision`,
      { outcome: 'assess', ...date('notifiedOn', '2025-01-10') },
      400,
    );
    expect(bad.text).toContain('must be on or after the date the request was received');
    await submit(agent, `${caseUrl}/assessment-decision`, { outcome: 'assess', ...date('notifiedOn', '2025-02-20') });
    const page = await agent.get(caseUrl).expect(200);
    expect(dutyRow(page.text, 'Decide whether to assess')).toContain('Met');
    expect(page.text).toContain('Gathering advice');
    // Now due: the final plan by week 20 (13 Jan + 140 days = 2 Jun 2025) and the "no plan" notice by week 16.
    expect(dutyRow(page.text, 'Issue the final plan')).toContain('2 June 2025');
    expect(dutyRow(page.text, 'Tell the family if no plan will be issued')).toContain('5 May 2025');
  });

  it('step 3: advice requested from two providers, each due 6 weeks later (reg 8(1))', async () => {
    await submit(agent, `${caseUrl}/advice/new`, {
      adviceTypes: ['educational_psychology', 'health'],
      'email-health': 'dco@example.org',
      ...date('requestedOn', '2025-02-24'),
    });
    const page = await agent.get(caseUrl).expect(200);
    expect(dutyRow(page.text, 'Educational psychology advice')).toContain('7 April 2025');
    expect(dutyRow(page.text, 'Health advice')).toContain('Due');
    const advice = await database.db.select().from(adviceRequests).where(eq(adviceRequests.requestId, requestId));
    expect(advice.map((a) => a.adviceType).sort()).toEqual(['educational_psychology', 'health']);
    expect(advice.find((a) => a.adviceType === 'health')!.providerEmail).toBe('dco@example.org');
    // The caseload now orders this case by the advice due soonest.
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row!.nextDueDate).toBe('2025-04-07');
  });

  it('step 3: advice received with its PDF; a file that is not a PDF, DOCX or ODT is refused whatever its name', async () => {
    const advice = await database.db.select().from(adviceRequests).where(eq(adviceRequests.requestId, requestId));
    const ep = advice.find((a) => a.adviceType === 'educational_psychology')!;
    const url = `${caseUrl}/advice/${ep.id}/received`;
    const post = async (file: Buffer, name: string) => {
      const stamp = await openForm(agent, url);
      return agent
        .post(url)
        .field('_csrf', stamp._csrf)
        .field('version', stamp.version)
        .field('submissionKey', stamp.submissionKey)
        .field('receivedOn-day', '20')
        .field('receivedOn-month', '3')
        .field('receivedOn-year', '2025')
        .attach('document', file, name);
    };
    const fake = await post(Buffer.from('<script>alert(1)</script>'), 'advice.pdf');
    expect(fake.status).toBe(400);
    expect(fake.text).toContain('The selected file must be a PDF, DOCX or ODT');
    expect(await database.db.select().from(documents)).toHaveLength(0);

    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const saved = await post(pdf, 'EP advice.pdf');
    expect(saved.status).toBe(303);
    const page = await agent.get(caseUrl).expect(200);
    expect(dutyRow(page.text, 'Educational psychology advice')).toContain('Met');
    const link = /href="(\/documents\/[0-9a-f-]{36})"/.exec(page.text)?.[1];
    expect(link).toBeDefined();
    const download = await agent.get(link!).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(Buffer.from(download.body as Buffer).equals(pdf)).toBe(true);
    const reads = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'document'), eq(auditLog.action, 'read')));
    expect(reads).toHaveLength(1);
  });

  it('refuses an upload over 10MB with a clear message', async () => {
    const advice = await database.db.select().from(adviceRequests).where(eq(adviceRequests.requestId, requestId));
    const health = advice.find((a) => a.adviceType === 'health')!;
    const url = `${caseUrl}/advice/${health.id}/received`;
    const stamp = await openForm(agent, url);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024)]);
    const res = await agent
      .post(url)
      .field('_csrf', stamp._csrf)
      .field('version', stamp.version)
      .field('submissionKey', stamp.submissionKey)
      .field('receivedOn-day', '21')
      .field('receivedOn-month', '3')
      .field('receivedOn-year', '2025')
      .attach('document', big, 'big.pdf');
    expect(res.status).toBe(400);
    expect(res.text).toContain('The selected file must be smaller than 10MB');
    // Without a document, the advice is recorded; the case moves on once no advice is outstanding.
    await submit(agent, url, date('receivedOn', '2025-03-21'));
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row!.stage).toBe('deciding_whether_to_issue');
  });

  it('step 5: the decision to issue a plan removes the 16-week "no plan" duty', async () => {
    await submit(agent, `${caseUrl}/issue-decision`, { outcome: 'issue', ...date('decidedOn', '2025-03-24') });
    const page = await agent.get(caseUrl).expect(200);
    expect(page.text).not.toContain('Tell the family if no plan will be issued');
    expect(page.text).toContain('Writing the draft plan');
  });

  it('step 6: writes the draft plan in sections, keeping typed text when adding rows, with golden-thread warnings', async () => {
    const url = `${caseUrl}/plan/edit`;
    const stamp = await openForm(agent, url);
    // "Add another need" shows the form again with everything typed and one more row; nothing is saved.
    const added = await agent
      .post(url)
      .type('form')
      .send({ ...stamp, 'need-count': '1', 'need-0-text': 'Finds reading hard', A: 'Wants to be a vet', add: 'need' })
      .expect(200);
    expect(added.text).toContain('Finds reading hard');
    expect(added.text).toContain('Wants to be a vet');
    expect(added.text).toContain('name="need-1-text"');
    expect((await database.db.select().from(planVersions)).length).toBe(0);
    await agent
      .post(url)
      .type('form')
      .send({
        ...stamp,
        A: 'Wants to be a vet',
        'need-count': '2',
        'need-0-text': 'Finds reading hard',
        'need-1-text': 'Anxious in busy places',
        'outcome-count': '0',
        'provision-count': '0',
        add: '',
      })
      .expect(303);
    const page = await agent.get(url).expect(200);
    // Needs saved; no outcomes or provision yet, so the warnings say so.
    expect(page.text).toContain('Need 1 has no outcome in section E');
    expect(page.text).toContain('Need 2 has no provision in section F');
    const needIds = [...page.text.matchAll(/name="need-\d-id" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(needIds).toHaveLength(2);
    await agent
      .post(url)
      .type('form')
      .send({
        ...formStamp(page.text),
        A: 'Wants to be a vet',
        'need-count': '2',
        'need-0-id': needIds[0]!,
        'need-0-text': 'Finds reading hard',
        'need-1-id': needIds[1]!,
        'need-1-text': 'Anxious in busy places',
        'outcome-count': '1',
        'outcome-0-text': 'Reads a short book aloud',
        'outcome-0-timeframe': 'July 2026',
        'outcome-0-needs': needIds[0]!,
        'provision-count': '1',
        'provision-0-what': 'Phonics intervention',
        'provision-0-who': 'Trained teaching assistant',
        'provision-0-frequency': '3 x 20 minutes a week',
        'provision-0-duration': 'until the annual review',
        'provision-0-need': needIds[0]!,
        add: '',
      })
      .expect(303);
    const versions = await database.db.select().from(planVersions);
    expect(versions.map((v) => v.kind)).toEqual(['draft', 'draft']);
    expect(versions[1]!.content).toMatchObject({
      B: [{ text: 'Finds reading hard' }, { text: 'Anxious in busy places' }],
      I: null,
    });
    const after = await agent.get(url).expect(200);
    expect(after.text).not.toContain('Need 1 has no outcome');
    expect(after.text).toContain('Need 2 has no outcome in section E');
  });

  it('step 9: an exception flags the case and does not move the due date (rule P11)', async () => {
    // Reg 8(2) allows exceptions to advice only: refused for the final plan, with an error summary.
    const refused = await submit(
      agent,
      `${caseUrl}/exception`,
      {
        duty: 'issue_final_plan',
        reason: 'reg8_2_c',
        evidence: 'Missed appointment',
        ...date('from', '2025-03-24'),
        ...date('familyToldOn', '2025-03-25'),
      },
      400,
    );
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('cannot apply to “Issue the final plan”');
    await submit(agent, `${caseUrl}/exception`, {
      duty: 'issue_final_plan',
      reason: 'reg10_4_c',
      evidence: 'Family bereavement; parent asked for a pause',
      ...date('from', '2025-03-24'),
      ...date('familyToldOn', '2025-03-25'),
    });
    const page = await agent.get(caseUrl).expect(200);
    expect(page.text).toContain('Exception applies');
    expect(dutyRow(page.text, 'Issue the final plan')).toContain('2 June 2025');
  });

  it('step 7: the draft sent first class on Thu 27 Mar 2025 is served Mon 31 Mar; comments until 14 Apr (P3, P4)', async () => {
    await submit(agent, `${caseUrl}/draft-served`, { method: 'first_class_post', ...date('sentOn', '2025-03-27') });
    const page = await agent.get(caseUrl).expect(200);
    expect(pageText(page.text)).toContain('The family can comment on the draft plan until 14 April 2025');
  });

  it('step 7: consults two schools, each with its own 15-day reply date (CoP 9.83), and records the family’s comments', async () => {
    await submit(agent, `${caseUrl}/consultations/new`, {
      settingName: 'Hill Primary',
      settingUrn: '117000',
      ...date('sentOn', '2025-03-10'),
    });
    await submit(agent, `${caseUrl}/consultations/new`, {
      settingName: 'Dale Academy',
      ...date('sentOn', '2025-03-28'),
    });
    let page = await agent.get(caseUrl).expect(200);
    const row = (name: string) => {
      const r = page.text.split('<tr class="govuk-table__row">').find((x) => x.includes(`>${name}<`))!;
      return r
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    };
    // 10 Mar + 15 days = 25 Mar: overdue on 1 Apr. 28 Mar + 15 = 12 Apr: still due.
    expect(row('Hill Primary')).toContain('25 March 2025 Overdue');
    expect(row('Dale Academy')).toContain('12 April 2025 Due');
    const reply = /href="(\/cases\/[^"]+\/consultations\/[0-9a-f-]{36}\/reply)"/.exec(page.text)![1]!;
    const refused = await submit(agent, reply, { response: 'cannot_meet', ...date('respondedOn', '2025-03-31') }, 400);
    expect(refused.text).toContain('Enter the reasons the setting gave');
    await submit(agent, reply, { response: 'can_meet', ...date('respondedOn', '2025-03-31') });
    page = await agent.get(caseUrl).expect(200);
    expect(row('Hill Primary')).toContain('Replied');
    expect(row('Hill Primary')).toContain('Can meet the child’s needs');
    await submit(agent, `${caseUrl}/representations`, {
      representations: 'Please add that Robin wants to have friends at school.',
      preferredSetting: 'Hill Primary',
      ...date('receivedOn', '2025-03-31'),
    });
    const final = await agent.get(`${caseUrl}/final-plan`).expect(200);
    expect(final.text).toContain('Please add that Robin wants to have friends at school.');
    // The quality checks on the plan as it stands, as a summary before it is issued.
    expect(final.text).toContain('Quality checks before the plan is issued');
    expect(final.text).toContain('Need 2 has no outcome in section E');
  });

  it('step 6 again: the draft is corrected after the family’s comments', async () => {
    const url = `${caseUrl}/plan/edit`;
    const page = await agent.get(url).expect(200);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.text)?.[1] ?? '';
    await agent
      .post(url)
      .type('form')
      .send({
        ...formStamp(page.text),
        A: 'Wants to be a vet and to have friends at school',
        'need-count': '2',
        'need-0-id': field('need-0-id'),
        'need-0-text': 'Finds reading hard',
        'need-1-id': field('need-1-id'),
        'need-1-text': 'Anxious in busy places',
        'outcome-count': '0',
        'provision-count': '0',
        add: '',
      })
      .expect(303);
  });

  it('step 8: the final plan is refused inside the comment window unless the family has responded, then issued once', async () => {
    const early = await submit(
      agent,
      `${caseUrl}/final-plan`,
      {
        settingName: 'Hill Primary',
        settingType: 'Mainstream primary',
        primaryNeed: 'SLCN',
        ...date('issuedOn', '2025-04-01'),
      },
      400,
    );
    expect(early.text).toContain('The family has until 14 April 2025 to comment on the draft');
    // The plan records the child's primary need (SEN2 SENtype): the form needs it.
    const noNeed = await submit(
      agent,
      `${caseUrl}/final-plan`,
      { settingName: 'Hill Primary', settingType: 'Mainstream primary', familyResponded: 'yes', primaryNeed: '' },
      400,
    );
    expect(pageText(noNeed.text)).toContain('Select the child’s primary need');
    await submit(agent, `${caseUrl}/final-plan`, {
      settingName: 'Hill Primary',
      settingType: 'Mainstream primary',
      settingUrn: '117000',
      familyResponded: 'yes',
      primaryNeed: 'SLCN',
      ...date('issuedOn', '2025-04-01'),
    });
    const page = await agent.get(caseUrl).expect(200);
    expect(page.text).toContain('Final plan issued');
    expect(dutyRow(page.text, 'Issue the final plan')).toContain('Met');
    const versions = await database.db.select().from(planVersions).orderBy(planVersions.versionNo);
    expect(versions.map((v) => v.kind)).toEqual(['draft', 'draft', 'draft', 'final']);
    const [request] = await database.db
      .select()
      .from(assessmentRequests)
      .where(eq(assessmentRequests.id, caseUrl.split('/').pop()!));
    const [child] = await database.db.select().from(children).where(eq(children.id, request!.childId));
    expect(child!.primaryNeed).toBe('SLCN');
    // The case page counts them.
    expect(page.text).toMatch(/Versions\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*4\s*<\/dd>/);
    // The final is the last draft with section I completed and section K listing the advice.
    expect(versions[3]!.content).toMatchObject({
      A: 'Wants to be a vet and to have friends at school',
      I: { settingName: 'Hill Primary', settingUrn: '117000' },
      K: [{ adviceType: 'educational_psychology' }, { adviceType: 'health' }],
    });
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row).toMatchObject({ open: false, stage: 'final_plan_issued', nextDuty: null });
    // A closed case offers no more steps, and refuses them.
    expect(page.text).not.toContain('What to do next');
    const types = (await events()).map((e) => e.type);
    expect(types).toEqual([
      'request_received',
      'assessment_decision',
      'advice_requested',
      'advice_requested',
      'advice_received',
      'advice_received',
      'issue_decision',
      'draft_plan_saved',
      'draft_plan_saved',
      'exception',
      'draft_served',
      'setting_consulted',
      'setting_consulted',
      'consultation_reply',
      'family_representations',
      'draft_plan_saved',
      'final_plan_issued',
    ]);
    const writes = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, requestId), eq(auditLog.action, 'write')));
    expect(writes).toHaveLength(types.length - 2); // request_received is a "create"; the two advice requests were one step
  });
});

describe('reading the plan', () => {
  it('prints the final plan and shows what changed since the draft', async () => {
    const agent = await signedIn(app, email('manager'));
    const [request] = await database.db
      .select()
      .from(assessmentRequests)
      .where(eq(assessmentRequests.finalIssuedDate, '2025-04-01'));
    const plan = await agent.get(`/cases/${request!.id}/plan`).expect(200);
    expect(plan.text).toContain('Section I: placement');
    expect(plan.text).toContain('Hill Primary (Mainstream primary), URN 117000');
    expect(plan.text).toContain('Anxious in busy places');
    // Every version is listed and can be read: version 1 was the first draft, with only section A and needs.
    expect(plan.text).toContain('Versions of this plan');
    const first = await agent.get(`/cases/${request!.id}/plan?version=1`).expect(200);
    expect(first.text).toContain('Education, health and care plan (draft)');
    expect(first.text).toContain('Left blank in the draft.');
    await agent.get(`/cases/${request!.id}/plan?version=99`).expect(404);
    await agent.get(`/cases/${request!.id}/plan?version=x`).expect(400);
    const compare = await agent.get(`/cases/${request!.id}/plan/compare`).expect(200);
    expect(compare.text).toContain('<ins class="app-diff__ins">and to have friends at school</ins>');
    expect(compare.text).toMatch(
      /Section A: views, interests and aspirations <strong class="govuk-tag govuk-tag--yellow">\s*Changed/,
    );
    const parent = await signedIn(app, email('board'));
    await parent.get(`/cases/${request!.id}/plan`).expect(403);
  });
});

describe('exceptions as the law has them (regs 5(4), 8(2), 10(4); P11) and withdrawal', () => {
  let agent: Agent;
  let caseUrl: string;
  let requestId: string;
  const exceptionEvents = async () =>
    database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, requestId), eq(caseEvents.type, 'exception')));

  beforeAll(async () => {
    agent = await signedIn(app, email('caseworker'));
    const res = await recordRequest(agent, { ...newChild, givenName: 'Except', familyName: 'Ional' });
    caseUrl = res.headers.location!.replace(/\?.*$/, '');
    requestId = caseUrl.split('/').pop()!;
  });

  it('reg 5(4): the decision whether to assess can have an exception only for a reg 5(4) reason', async () => {
    const form = await agent.get(`${caseUrl}/exception`).expect(200);
    expect(form.text).toContain('Decide whether to assess');
    expect(form.text).toContain('For the decision whether to assess (regulation 5(4))');
    // The 20-week duty runs from the request too (reg 13(2)); no advice has been asked for, so reg 8(2) is not offered.
    expect(form.text).toContain('For the final plan (regulations 10(4) and 13(3))');
    expect(form.text).not.toContain('regulation 8(2)');
    const refused = await submit(
      agent,
      `${caseUrl}/exception`,
      {
        duty: 'decide_whether_to_assess',
        reason: 'reg10_4_c',
        evidence: 'Parent in hospital',
        ...date('from', '2025-02-10'),
        ...date('familyToldOn', '2025-02-11'),
      },
      400,
    );
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('cannot apply to “Decide whether to assess”');
    expect(refused.text).toContain('Parent in hospital');
    expect(await exceptionEvents()).toHaveLength(0);
    await submit(agent, `${caseUrl}/exception`, {
      duty: 'decide_whether_to_assess',
      reason: 'reg5_4_b',
      evidence: 'Parent in hospital',
      ...date('from', '2025-02-10'),
      ...date('familyToldOn', '2025-02-11'),
    });
    const page = await agent.get(caseUrl).expect(200);
    expect(page.text).toContain('Exceptions to the time limits recorded');
    expect(page.text).toMatch(
      /Decide whether to assess\s*<\/th>\s*<td[^>]*>\s*Exceptional personal circumstances \(reg 5\(4\)\(b\)\)/,
    );
    // Not an exception to the 20-week duty: the measures and SEN2 Week20 do not see it.
    expect(page.text).not.toContain('Exception to the 20-week limit');
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row!.exceptionReason).toBeNull();
    expect((await exceptionEvents())[0]!.data).toMatchObject({ duty: 'decide_whether_to_assess', reason: 'reg5_4_b' });
    // Due dates never move (P11): decision still due 24 Feb 2025 (13 Jan + 6 weeks).
    expect(dutyRow(page.text, 'Decide whether to assess')).toContain('24 February 2025');
  });

  it('reg 8(2): an exception to one advice; a school closure is not one (CoP 9.42)', async () => {
    await submit(agent, `${caseUrl}/assessment-decision`, { outcome: 'assess', ...date('notifiedOn', '2025-03-03') });
    await submit(agent, `${caseUrl}/advice/new`, {
      adviceTypes: ['educational_psychology'],
      ...date('requestedOn', '2025-03-04'),
    });
    const [ep] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.requestId, requestId));
    const fields = {
      duty: `advice:${ep!.id}`,
      evidence: 'Family did not attend the EP appointment on 20 March',
      ...date('from', '2025-03-20'),
      ...date('familyToldOn', '2025-03-21'),
    };
    const refused = await submit(agent, `${caseUrl}/exception`, { ...fields, reason: 'reg5_4_a' }, 400);
    expect(refused.text).toContain('cannot apply to “Educational psychology advice”');
    await submit(agent, `${caseUrl}/exception`, { ...fields, reason: 'reg8_2_c' });
    const page = await agent.get(caseUrl).expect(200);
    expect(dutyRow(page.text, 'Educational psychology advice')).toContain('15 April 2025 Not yet Due Exception');
    expect(page.text).toContain('Child or parent missed an appointment (reg 8(2)(c))');
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row!.exceptionReason).toBeNull();
  });

  it('refuses advice recorded as received before it was requested, with an error summary', async () => {
    const [ep] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.requestId, requestId));
    const refused = await submit(agent, `${caseUrl}/advice/${ep!.id}/received`, date('receivedOn', '2025-03-01'), 400);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain(
      'The date the advice was received must be on or after the date the advice was requested (4 March 2025)',
    );
    const [after] = await database.db.select().from(adviceRequests).where(eq(adviceRequests.id, ep!.id));
    expect(after!.receivedDate).toBeNull();
  });

  it('a withdrawn request’s undone duties end: none is due or overdue', async () => {
    await submit(agent, `${caseUrl}/withdraw`, { reason: 'Family moved away', ...date('withdrawnOn', '2025-03-28') });
    const page = await agent.get(caseUrl).expect(200);
    expect(dutyRow(page.text, 'Educational psychology advice')).toContain('Not needed');
    expect(dutyRow(page.text, 'Issue the final plan')).toContain('Not needed');
    expect(dutyRow(page.text, 'Decide whether to assess')).toContain('Missed');
    expect(page.text).not.toMatch(/govuk-tag--(blue|red)">\s*(Due|Overdue)\s*</);
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row).toMatchObject({ stage: 'withdrawn', nextDuty: null });
  });
});

describe('two people, one case', () => {
  it('shows a stale form what changed and saves nothing over it', async () => {
    const first = await signedIn(app, email('caseworker'));
    const second = await signedIn(app, email('manager'));
    const res = await recordRequest(first, { ...newChild, givenName: 'Stale', familyName: 'Form' });
    const caseUrl = res.headers.location!.replace(/\?.*$/, '');
    const url = `${caseUrl}/assessment-decision`;
    const firstStamp = await openForm(first, url);
    const secondStamp = await openForm(second, url);
    await second
      .post(url)
      .type('form')
      .send({
        ...secondStamp,
        outcome: 'not_assess',
        reasons: 'Needs met by the school',
        ...date('notifiedOn', '2025-02-10'),
      })
      .expect(303);
    const stale = await first
      .post(url)
      .type('form')
      .send({ ...firstStamp, outcome: 'assess', reasons: 'My typed reasons', ...date('notifiedOn', '2025-02-11') })
      .expect(409);
    expect(stale.text).toContain('Someone else changed this case while you had this page open');
    expect(stale.text).toContain('Not assess');
    expect(stale.text).toContain('recorded by Manager');
    expect(stale.text).toContain('My typed reasons');
    const requestId = caseUrl.split('/').pop()!;
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row!.assessmentDecision).toBe('not_assess');
  });

  it('saves a form submitted twice (double click, resubmitted page) once', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const res = await recordRequest(agent, { ...newChild, givenName: 'Double', familyName: 'Click' });
    const caseUrl = res.headers.location!.replace(/\?.*$/, '');
    const url = `${caseUrl}/assessment-decision`;
    const stamp = await openForm(agent, url);
    const body = { ...stamp, outcome: 'assess', ...date('notifiedOn', '2025-02-10') };
    const [a, b] = await Promise.all([
      agent.post(url).type('form').send(body),
      agent.post(url).type('form').send(body),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const again = await agent.post(url).type('form').send(body);
    expect(again.status).toBe(303);
    const requestId = caseUrl.split('/').pop()!;
    const decisions = await database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, requestId), eq(caseEvents.type, 'assessment_decision')));
    expect(decisions).toHaveLength(1);
  });

  it('records a new request once when its form is sent twice', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const page = await agent.get('/requests/new').expect(200);
    const body = {
      _csrf: csrfFrom(page.text),
      submissionKey: formStamp(page.text).submissionKey,
      ...newChild,
      givenName: 'Twice',
      familyName: 'Sent',
    };
    // Twice at the same moment (a double click), then once more (the page resubmitted).
    const [a, b] = await Promise.all([
      agent.post('/requests/new').type('form').send(body),
      agent.post('/requests/new').type('form').send(body),
    ]);
    const c = await agent.post('/requests/new').type('form').send(body);
    expect([a.status, b.status, c.status]).toEqual([303, 303, 303]);
    const target = (r: typeof a) => r.headers.location!.replace(/\?.*$/, '');
    expect(new Set([target(a), target(b), target(c)]).size).toBe(1);
    const created = await database.db.select().from(children).where(eq(children.familyName, 'Sent'));
    expect(created).toHaveLength(1);
  });
});

describe('who may record casework', () => {
  it('lets only caseworkers and managers open the forms', async () => {
    const caseworker = await signedIn(app, email('caseworker'));
    const res = await recordRequest(caseworker, { ...newChild, givenName: 'Perm', familyName: 'Check' });
    const caseUrl = res.headers.location!.replace(/\?.*$/, '');
    for (const key of ['qa', 'board', 'admin', 'advice']) {
      const agent = await signedIn(app, email(key));
      await agent.get(`${caseUrl}/assessment-decision`).expect(403);
      await agent.get('/requests/new').expect(403);
    }
    const manager = await signedIn(app, email('manager'));
    await manager.get(`${caseUrl}/assessment-decision`).expect(200);
  });

  it('never lets another LA see or change a case: 404, nothing written, the attempt audited', async () => {
    const caseworker = await signedIn(app, email('caseworker'));
    const res = await recordRequest(caseworker, { ...newChild, givenName: 'Tenant', familyName: 'Check' });
    const caseUrl = res.headers.location!.replace(/\?.*$/, '');
    const requestId = caseUrl.split('/').pop()!;
    const stamp = await openForm(caseworker, `${caseUrl}/assessment-decision`);
    const other = await signedIn(app, email('othercaseworker'));
    await other.get(`${caseUrl}/assessment-decision`).expect(404);
    const page = await other.get('/cases').expect(200);
    await other
      .post(`${caseUrl}/assessment-decision`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version: stamp.version,
        submissionKey: stamp.submissionKey,
        outcome: 'assess',
        ...date('notifiedOn', '2025-02-10'),
      })
      .expect(404);
    const [row] = await database.db.select().from(assessmentRequests).where(eq(assessmentRequests.id, requestId));
    expect(row!.assessmentDecision).toBeNull();
    const denied = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'write_denied'), eq(auditLog.userId, fixture.users.othercaseworker!.id)));
    expect(denied).toHaveLength(1);
  });

  it('refuses a step the case is not at (no skipping to the final plan)', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const res = await recordRequest(agent, { ...newChild, givenName: 'Skip', familyName: 'Ahead' });
    const caseUrl = res.headers.location!.replace(/\?.*$/, '');
    const refused = await submit(
      agent,
      `${caseUrl}/final-plan`,
      {
        settingName: 'X',
        settingType: 'Y',
        familyResponded: 'yes',
        primaryNeed: 'ASD',
        ...date('issuedOn', '2025-03-01'),
      },
      400,
    );
    expect(refused.text).toContain('You cannot issue the final plan now');
  });

  it('does not parse uploads for visitors who are not signed in', async () => {
    const res = await supertest(app)
      .post('/cases/00000000-0000-0000-0000-000000000000/advice/00000000-0000-0000-0000-000000000000/received')
      .attach('document', Buffer.from('%PDF-1.7'), 'a.pdf');
    expect(res.status).toBe(403);
  });
});
