/**
 * The caseworker's follow-up once a family has sent their response to the draft online (issue 27): the case page's
 * "What to do next" says they sent it and what it asks for (answer the comments, the meeting with its topics, the
 * school they named by name and URN, consulted before the final plan names one: CFA 2014 s.39(2)); the final-plan
 * form knows they responded (reg 13(1)(a)) and does not ask the caseworker to tick it.
 */
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaDrafted, postForm as post } from '../../../../test/casework.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration, type Integration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { auditLog, caseEvents } from '../../../data/schema.js';
import { emptyPlan } from '../../../domain/casework/planContent.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';

let database: Database;
let fixture: Fixture;
let signIn: Integration['signIn'];
let ada: string;
type Agent = Awaited<ReturnType<Integration['signIn']>>;
let parent: Agent;
let caseworker: Agent;
const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};
/** The text of the case page's "What to do next", up to the next section. */
const whatToDoNext = (html: string) => {
  const text = pageText(html);
  return text.slice(text.indexOf('What to do next'), text.indexOf('Request Received'));
};

beforeAll(async () => {
  const integration = await setUpIntegration();
  ({ database, fixture, signIn } = integration);
  // Served by email on 28 March 2025: the family may comment until 11 April (reg 13(1)(a), P3: served + 14).
  ada = await adaDrafted(
    integration,
    { ...emptyPlan(), A: 'Ada wants to be a train driver.', B: [{ id: 'n1', text: 'Finds reading hard' }] },
    '2025-03-28' as LocalDate,
  );
  parent = await signIn('parent');
  caseworker = await signIn('caseworker');
});
afterAll(() => database.close());

describe('the family’s views once the draft is served', () => {
  it('their request page says plainly views can no longer be added here, with the draft to comment on and the caseworker to contact', async () => {
    const page = await parent.get(`/my-child/${ada}`).expect(200);
    const views = pageText(/<div id="views">[\s\S]*?<\/div>/.exec(page.text)![0]);
    expect(views).toBe(
      'You did not give your views here before the draft plan was sent. Views can no longer be added here, because the draft plan has been sent to you. You can still say what you think: Comment on the draft plan Contact your caseworker, Caseworker, at caseworker@example.org',
    );
    expect(page.text).toContain(`<a class="govuk-link" href="/my-child/${ada}/draft">Comment on the draft plan</a>`);
    expect(page.text).toContain('href="mailto:caseworker@example.org"');
    const draftPage = (await parent.get(`/my-child/${ada}/draft`).expect(200)).text;
    expect(/<a[^>]*class="govuk-back-link"[^>]*>/.exec(draftPage)?.[0]).toContain(`href="/my-child/${ada}"`);
    // The views page: no empty answers, the reason and the draft to comment on.
    const form = await parent.get(`/my-child/${ada}/views`).expect(200);
    expect(pageText(form.text)).toContain('views can no longer be given or changed here');
    expect(pageText(form.text)).not.toContain('Nothing written');
    expect(form.text).toContain(`href="/my-child/${ada}/draft">Comment on the draft plan</a>`);
  });
});

describe('after the family sends their response to the draft online', () => {
  it('the case page says they sent it and prompts the follow-up: their comments, the meeting and its topics, the school they named (by name and URN) first', async () => {
    const before = whatToDoNext((await caseworker.get(`/cases/${ada}`).expect(200)).text);
    expect(before).not.toContain('sent their response');
    expect(before).toMatch(/^What to do next Record the family’s comments on the draft Due/);
    const draft = `/my-child/${ada}/draft`;
    for (const [section, comment] of [
      ['B', 'Ada also finds maths hard.'],
      ['F', 'She needs help every day.'],
    ] as const) {
      expect((await post(parent, `${draft}/sections/${section}`, { comment })).status).toBe(303);
    }
    expect(
      (await post(parent, `${draft}/setting`, { preferredSetting: 'Hill Primary', settingUrn: '117000' })).status,
    ).toBe(303);
    expect(
      (await post(parent, `${draft}/meeting`, { meetingRequested: 'yes', meetingTopics: 'The help in section F' }))
        .status,
    ).toBe(303);
    expect((await post(parent, `${draft}/check`, {})).status).toBe(303);

    const page = whatToDoNext((await caseworker.get(`/cases/${ada}`).expect(200)).text);
    expect(page).toContain('The family sent their response to the draft online on 1 April 2025.');
    expect(page).toContain('Read and answer their comments on sections B and F');
    expect(page).toContain('Arrange the meeting they asked for, to talk about: The help in section F');
    // The next step: the school they named, by name and URN (CFA 2014 s.39(2)); the final plan after it.
    expect(page).toMatch(
      /^What to do next .* Consult Hill Primary \(URN 117000\), the school or setting they named, about section I Due/,
    );
    expect(page).toContain('Issue the final plan');
    // The consultation form starts with the school they named.
    const form = (await caseworker.get(`/cases/${ada}/consultations/new`).expect(200)).text;
    expect(form).toMatch(/name="settingName" type="text" value="Hill Primary"/);
    expect(form).toMatch(/name="settingUrn" type="text" value="117000"/);
  });

  it('"Who to contact" names the family member who sent it, with their account’s contact; the invitation is for another parent', async () => {
    const text = pageText((await caseworker.get(`/cases/${ada}`).expect(200)).text);
    const contact = text.slice(text.indexOf('Who to contact'), text.indexOf('Statutory deadlines'));
    expect(contact).toContain(
      'Parent (sees this request online) Who they are Parent Email parent@example.org Mobile Not given Messages Email Online Sent their response to the draft on 1 April 2025',
    );
    expect(contact).toContain('Invite another parent or carer');
    expect(contact).not.toContain('Invite a parent or carer');
    // A child with no family account linked: the invitation as before.
    const ben = pageText((await caseworker.get(`/cases/${fixture.cases.ben!.requestId}`).expect(200)).text);
    expect(ben).toContain('Invite a parent or carer');
    expect(ben).not.toContain('sees this request online');
  });

  it('"Arrange the meeting" says what to do and by when (before the final plan, due 2 June 2025: 20 weeks, reg 13(2)) and links to record its date', async () => {
    const html = (await caseworker.get(`/cases/${ada}`).expect(200)).text;
    expect(whatToDoNext(html)).toContain(
      'Arrange the meeting they asked for, to talk about: The help in section F. Contact them (see Who to contact) and hold it before you issue the final plan, due by 2 June 2025, then record its date',
    );
    expect(html).toContain(`href="/cases/${ada}/meeting"`);
    const form = pageText((await caseworker.get(`/cases/${ada}/meeting`).expect(200)).text);
    expect(form).toContain('to talk about: The help in section F');
    // Bad input: the error summary, nothing saved.
    const missing = await post(caseworker, `/cases/${ada}/meeting`, {});
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('govuk-error-summary');
    const past = await post(caseworker, `/cases/${ada}/meeting`, date('meetingOn', '2025-03-31'));
    expect(past.status).toBe(400);
    expect(pageText(past.text)).toContain('The date of the meeting must be today or later (1 April 2025)');
    const none = await database.db.select().from(caseEvents).where(eq(caseEvents.type, 'family_meeting_arranged'));
    expect(none).toEqual([]);

    expect((await post(caseworker, `/cases/${ada}/meeting`, date('meetingOn', '2025-04-08'))).status).toBe(303);
    const after = whatToDoNext((await caseworker.get(`/cases/${ada}`).expect(200)).text);
    expect(after).toContain('Meeting with the family arranged for 8 April 2025');
    expect(after).not.toContain('Arrange the meeting');
    const [audit] = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.userId, fixture.users.caseworker!.id))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(audit?.entityId).toBe(ada);
  });

  it('once the school they named is consulted, the next step is the final plan; the other follow-ups stay', async () => {
    expect(
      (
        await post(caseworker, `/cases/${ada}/consultations/new`, {
          settingName: 'Hill Primary',
          settingUrn: '117000',
          ...date('sentOn', '2025-04-01'),
        })
      ).status,
    ).toBe(303);
    const page = whatToDoNext((await caseworker.get(`/cases/${ada}`).expect(200)).text);
    expect(page).not.toContain('Consult Hill Primary');
    expect(page).toMatch(/^What to do next .* Issue the final plan Due/);
    expect(page).toContain('Read and answer their comments on sections B and F');
  });

  it('the final-plan form knows the family responded online and does not ask; issued inside their 15 days (to 11 April 2025) without the tick', async () => {
    const form = (await caseworker.get(`/cases/${ada}/final-plan`).expect(200)).text;
    expect(pageText(form)).toContain(
      'The family sent their response to the draft online on 1 April 2025, so the plan can be issued before their 15 days to comment end.',
    );
    expect(form).not.toContain('name="familyResponded"');
    const issued = await post(caseworker, `/cases/${ada}/final-plan`, {
      settingName: 'Hill Primary',
      settingType: 'Mainstream primary school',
      settingUrn: '117000',
      primaryNeed: 'SPLD',
      ...date('issuedOn', '2025-04-01'),
    });
    expect(issued.status).toBe(303);
    const events = await database.db.select().from(caseEvents).where(eq(caseEvents.requestId, ada));
    expect(events.find((e) => e.type === 'final_plan_issued')?.data).toMatchObject({ familyResponded: true });
  });
});

describe('back links on the family’s pages', () => {
  const backLink = (html: string) => /<a[^>]*class="govuk-back-link"[^>]*>/.exec(html)?.[0] ?? '';

  it('the final plan, the draft and the contact page go back to the request page they were opened from', async () => {
    expect(backLink((await parent.get(`/my-child/${ada}/plan`).expect(200)).text)).toContain(`href="/my-child/${ada}"`);
    const request = (await parent.get(`/my-child/${ada}`).expect(200)).text;
    expect(request).toContain(`href="/account/contact?request=${ada}"`);
    const contact = (await parent.get(`/account/contact?request=${ada}`).expect(200)).text;
    expect(backLink(contact)).toContain(`href="/my-child/${ada}"`);
    // Anything but a request id is not a place to go back to.
    expect(backLink((await parent.get('/account/contact?request=//evil.example').expect(200)).text)).toContain(
      'href="/my-child"',
    );
  });
});
