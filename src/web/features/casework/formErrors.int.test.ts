/**
 * Each casework form, sent with one thing wrong, says what is wrong in the GOV.UK error summary, and its link takes
 * the person to the field at fault: the box of a date input that is at fault (design-system.service.gov.uk
 * /components/error-summary and /components/date-input: "link to the first box with an error"). What was typed is
 * shown again. The messages are the GOV.UK pattern's ("Enter ...", "Select ...", "... must include a month").
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { errorSummary, hasElementWithId } from '../../../../test/errorSummary.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Database } from '../../../data/db.js';
import { adviceRequests, assessmentRequests, settingConsultations } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let caseUrl: string;
let adviceId: string;
let consultationId: string;

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  const ada = fixture.cases.ada!;
  caseUrl = `/cases/${ada.requestId}`;
  adviceId = (
    await database.db
      .select({ id: adviceRequests.id })
      .from(adviceRequests)
      .where(eq(adviceRequests.requestId, ada.requestId))
  )[0]!.id;
  const [consultation] = await database.db
    .insert(settingConsultations)
    .values({ laCode: '999', requestId: ada.requestId, settingName: 'Oak School', sentDate: '2025-03-03' })
    .returning({ id: settingConsultations.id });
  consultationId = consultation!.id;
  // Advice to use again: Ada's earlier request (the fixture's Dee's, made hers here) had health advice received.
  const earlier = fixture.cases.dee!.requestId;
  await database.db.update(assessmentRequests).set({ childId: ada.childId }).where(eq(assessmentRequests.id, earlier));
  await database.db.insert(adviceRequests).values({
    laCode: '999',
    requestId: earlier,
    adviceType: 'health',
    provider: 'Designated Clinical Officer',
    requestedDate: '2024-06-10',
    receivedDate: '2024-07-15',
  });
});
afterAll(async () => {
  await database.close();
});

/** A GOV.UK date input's three boxes. */
const date = (name: string, day: string, month: string, year: string) => ({
  [`${name}-day`]: day,
  [`${name}-month`]: month,
  [`${name}-year`]: year,
});
const march = (name: string) => date(name, '3', '3', '2025');

interface Row {
  form: string;
  path: () => string;
  user?: string;
  fields: Record<string, string | string[]>;
  error: { text: string; href: string };
  /** Something typed that the form shows again. */
  kept?: string;
}

const rows: Row[] = [
  {
    form: 'new request',
    path: () => '/requests/new',
    fields: {
      givenName: 'Ada',
      familyName: 'Lovelace',
      ...date('dateOfBirth', '10', '', '2016'),
      sex: 'F',
      upnUnknown: 'UN8',
      contactName: 'A Parent',
      contactRelationship: 'parent',
      contactEmail: 'parent@example.org',
      contactPreference: 'email',
      requestSource: '1',
      ...march('receivedDate'),
    },
    error: { text: 'Date of birth must include a month', href: '#dateOfBirth-month' },
    kept: 'value="Lovelace"',
  },
  {
    form: 'new request: a way to contact the family',
    path: () => '/requests/new',
    fields: {
      givenName: 'Ada',
      familyName: 'Lovelace',
      ...date('dateOfBirth', '10', '12', '2016'),
      sex: 'F',
      upnUnknown: 'UN8',
      contactName: 'A Parent',
      contactRelationship: 'parent',
      contactPreference: 'email',
      requestSource: '1',
      ...march('receivedDate'),
    },
    error: {
      text: 'Enter at least one way to contact them: an email address, a phone number or a postal address',
      href: '#contactEmail',
    },
  },
  {
    form: 'decision whether to assess',
    path: () => `${caseUrl}/assessment-decision`,
    fields: { outcome: 'not_assess', reasons: '', ...march('notifiedOn') },
    error: { text: 'Enter the reasons for not assessing (the family must be told them)', href: '#reasons' },
  },
  {
    form: 'request for advice',
    path: () => `${caseUrl}/advice/new`,
    fields: { adviceTypes: ['health'], 'email-health': 'dco at example.org', ...march('requestedOn') },
    error: { text: 'Enter an email address in the correct format, like name@example.com', href: '#email-health' },
    kept: 'value="dco at example.org"',
  },
  {
    form: 'advice used again',
    path: () => `${caseUrl}/advice/reuse`,
    fields: { adviceId: '00000000-0000-4000-8000-000000000000', ...march('familyAgreedOn') },
    error: { text: 'Confirm that the family agreed to the advice being used again', href: '#familyAgreed' },
  },
  {
    form: 'advice received',
    path: () => `${caseUrl}/advice/${adviceId}/received`,
    fields: {},
    error: { text: 'Enter the date the advice was received', href: '#receivedOn-day' },
  },
  {
    form: 'decision whether to issue a plan',
    path: () => `${caseUrl}/issue-decision`,
    fields: { outcome: 'perhaps', ...march('decidedOn') },
    error: { text: 'Select whether the council will issue a plan', href: '#outcome' },
  },
  {
    form: 'draft plan sent',
    path: () => `${caseUrl}/draft-served`,
    fields: { method: 'email', ...date('sentOn', '30', '2', '2025') },
    error: { text: 'The date the draft was sent must be a real date', href: '#sentOn-day' },
    kept: 'value="30"',
  },
  {
    form: 'setting consulted',
    path: () => `${caseUrl}/consultations/new`,
    fields: { settingName: 'Oak School', settingUrn: '1170', ...march('sentOn') },
    error: { text: 'Enter the setting’s URN: 6 digits, like 117000', href: '#settingUrn' },
    kept: 'value="1170"',
  },
  {
    form: 'setting’s reply',
    path: () => `${caseUrl}/consultations/${consultationId}/reply`,
    fields: { response: 'cannot_meet', note: '', ...march('respondedOn') },
    error: { text: 'Enter the reasons the setting gave', href: '#note' },
  },
  {
    form: 'family’s comments on the draft',
    path: () => `${caseUrl}/representations`,
    fields: { representations: ' ', preferredSetting: 'Oak School', ...march('receivedOn') },
    error: { text: 'Enter what the family said about the draft', href: '#representations' },
    kept: 'value="Oak School"',
  },
  {
    form: 'final plan issued',
    path: () => `${caseUrl}/final-plan`,
    fields: { settingName: 'Oak School', settingType: 'Maintained school', primaryNeed: 'XYZ', ...march('issuedOn') },
    error: { text: 'Select the child’s primary need', href: '#primaryNeed' },
  },
  {
    form: 'exception',
    path: () => `${caseUrl}/exception`,
    fields: {
      duty: 'advice:educational_psychology',
      reason: 'reg10_4_a',
      evidence: 'Holiday',
      ...march('from'),
      ...date('to', '1', '', '2025'),
      ...march('familyToldOn'),
    },
    error: { text: 'The date the exception ended must include a month', href: '#to-month' },
  },
  {
    form: 'withdrawal',
    path: () => `${caseUrl}/withdraw`,
    fields: { reason: '', ...march('withdrawnOn') },
    error: { text: 'Enter why the request was withdrawn', href: '#reason' },
  },
  {
    form: 'caseworker',
    path: () => `${caseUrl}/caseworker`,
    user: 'manager',
    fields: { caseworkerId: 'someone' },
    error: { text: 'Select a caseworker from the list', href: '#caseworkerId' },
  },
  {
    form: 'draft plan',
    path: () => `${caseUrl}/plan/edit`,
    fields: { 'need-count': '1', 'outcome-count': '1', 'provision-count': '1', 'provision-0-who': 'Speech therapist' },
    error: { text: 'Say what provision 1 is', href: '#provision-0-what' },
    kept: 'value="Speech therapist"',
  },
];

describe('a casework form sent with something wrong links each message to the field at fault', () => {
  it.each(rows)('$form: "$error.text" links to $error.href', async (row) => {
    const agent = await signedIn(app, fixture.users[row.user ?? 'caseworker']!.email);
    const form = await agent.get(row.path()).expect(200);
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form.text)?.[1] ?? '';
    const sent = await agent
      .post(row.path())
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        version: hidden('version'),
        submissionKey: hidden('submissionKey'),
        ...row.fields,
      });
    expect(sent.status).toBe(400);
    expect(errorSummary(sent.text)).toEqual([row.error]);
    expect(hasElementWithId(sent.text, row.error.href.slice(1))).toBe(true);
    if (row.kept) expect(sent.text).toContain(row.kept);
  });

  it('a form without its stamp has expired: the summary links to the page, and nothing is saved', async () => {
    const agent = await signedIn(app, fixture.users.caseworker!.email);
    const form = await agent.get(`${caseUrl}/withdraw`).expect(200);
    const sent = await agent
      .post(`${caseUrl}/withdraw`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), reason: 'Moved away', ...march('withdrawnOn') });
    expect(sent.status).toBe(400);
    expect(errorSummary(sent.text)).toEqual([
      { text: 'The form has expired. Open the page again.', href: '#main-content' },
    ]);
    expect(hasElementWithId(sent.text, 'main-content')).toBe(true);
    expect((await agent.get(caseUrl).expect(200)).text).not.toContain('Withdrawn');
  });
});
