/**
 * Every statutory date a casework page states is the clock's date for the duty it names, on a case taken through
 * every stage. The expected dates come from the statutory clock (domain/statutory/clock.ts, part 0 of
 * statutory-timescales.md) run on the events this test recorded, not from what the service stored: a page that
 * picks the wrong duty (the final plan form once gave the 6-week decision date as the 20-week date), or states a
 * deadline without marking which duty it is, fails here.
 * "Today" is Tuesday 1 April 2025 (TEST_NOW).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFields as date, formStamp } from '../../../../test/casework.js';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText, statedDates } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { adviceRequests } from '../../../data/schema.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import { computeClock, type ClockResult } from '../../../domain/statutory/clock.js';
import type { ProcessEvent } from '../../../domain/statutory/events.js';

const TODAY = '2025-04-01' as LocalDate;

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
type Agent = Awaited<ReturnType<typeof signedIn>>;
let agent: Agent;

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  agent = await signedIn(app, fixture.users.caseworker!.email);
});
afterAll(async () => {
  await database.close();
});

async function submit(url: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(url).expect(200);
  await agent
    .post(url)
    .type('form')
    .send({ ...formStamp(page.text), ...fields })
    .expect(303);
}

/** The links to casework pages for this case on its page: the next step, the other actions, advice to record. */
function caseworkLinks(html: string, caseUrl: string): string[] {
  const links = [...html.matchAll(/href="(\/cases\/[0-9a-f-]{36}\/[^"?#]+)"/g)].map((m) => m[1]!);
  return [...new Set(links.filter((l) => l.startsWith(`${caseUrl}/`)))];
}

/** Dates in words a deadline phrase gives ("by 2 June 2025", "until 14 April 2025", "due 4 April 2025"). */
const DEADLINE_PHRASE = /\b(?:by|until|due)\s+(\d{1,2} [A-Z][a-z]+ \d{4})/g;

/**
 * Checks one page: each stated date is the clock's for its duty, and every date in a deadline phrase is a stated
 * (marked) one. Returns the duties the page stated.
 */
async function checkPage(url: string, clock: ClockResult): Promise<Set<string>> {
  const res = await agent.get(url);
  expect(res.status, url).toBe(200);
  const stated = statedDates(res.text);
  for (const s of stated) {
    const expected =
      s.duty === 'draft_comment_window'
        ? clock.measures.draftCommentWindowEnds
        : (clock.deadlines.find((d) => d.id === s.duty)?.due ?? null);
    expect(expected, `${url} states a date for ${s.duty}, a duty the clock does not have`).not.toBeNull();
    expect(s.iso, `${url}: ${s.duty}`).toBe(expected);
    expect(s.text, `${url}: ${s.duty}`).toBe(formatLongDate(expected as LocalDate));
  }
  const marked = new Set(stated.map((s) => s.text));
  for (const m of pageText(res.text).matchAll(DEADLINE_PHRASE)) {
    expect(marked.has(m[1]!), `${url} gives "${m[0]}" without marking which duty it is`).toBe(true);
  }
  return new Set(stated.map((s) => s.duty));
}

/** The case page and every casework page it links to: all their statutory dates checked; returns what each stated. */
async function checkStage(caseUrl: string, events: ProcessEvent[]) {
  const clock = computeClock(events, TODAY);
  const casePage = await agent.get(caseUrl).expect(200);
  const stated = new Map<string, Set<string>>([[caseUrl, await checkPage(caseUrl, clock)]]);
  for (const link of caseworkLinks(casePage.text, caseUrl)) stated.set(link, await checkPage(link, clock));
  return { stated, clock, page: casePage.text };
}

describe('the statutory dates each casework page states, at every stage of a request', () => {
  let caseUrl = '';
  const events: ProcessEvent[] = [{ type: 'request_received', date: '2025-01-13' as LocalDate }];
  let epId = '';
  let healthId = '';
  let socialCareId = '';

  it('deciding whether to assess: the case page and the decision form give the 6-week date (reg 5(1): 24 Feb 2025)', async () => {
    const page = await agent.get('/requests/new').expect(200);
    const res = await agent
      .post('/requests/new')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        submissionKey: formStamp(page.text).submissionKey,
        givenName: 'Nell',
        familyName: 'Stated',
        ...date('dateOfBirth', '2016-05-02'),
        sex: 'F',
        upnUnknown: 'UN8',
        requestSource: '1',
        ...date('receivedDate', '2025-01-13'),
        contactName: 'Rosa Stated',
        contactRelationship: 'parent',
        contactPhone: '07700 900982',
        contactPreference: 'text',
      })
      .expect(303);
    caseUrl = res.headers.location!.replace(/\?.*$/, '');
    const { stated, page: casePage } = await checkStage(caseUrl, events);
    expect(stated.get(`${caseUrl}/assessment-decision`)).toEqual(new Set(['decide_whether_to_assess']));
    expect(stated.get(caseUrl)!.has('decide_whether_to_assess')).toBe(true);
    // The next step first, with its deadline and status.
    expect(pageText(casePage)).toMatch(
      /What to do next Record the decision on whether to assess Overdue Decide whether to assess by 24 February 2025/,
    );
  });

  it('gathering advice: each piece of advice is due 6 weeks after it was asked for (reg 8(1)), overdue first', async () => {
    await submit(`${caseUrl}/assessment-decision`, { outcome: 'assess', ...date('notifiedOn', '2025-02-20') });
    events.push({ type: 'assessment_decision', date: '2025-02-20' as LocalDate, outcome: 'assess' });
    const before = await checkStage(caseUrl, events);
    // No advice yet: the next step is to ask for it, against the 20-week date (13 Jan + 140 days = 2 June 2025).
    expect(pageText(before.page)).toMatch(/What to do next Request advice Due Issue the final plan by 2 June 2025/);

    await submit(`${caseUrl}/advice/new`, { adviceTypes: 'health', ...date('requestedOn', '2025-02-10') });
    await submit(`${caseUrl}/advice/new`, { adviceTypes: 'social_care', ...date('requestedOn', '2025-02-10') });
    await submit(`${caseUrl}/advice/new`, {
      adviceTypes: 'educational_psychology',
      ...date('requestedOn', '2025-02-21'),
    });
    const advice = await database.db
      .select()
      .from(adviceRequests)
      .where(eq(adviceRequests.requestId, caseUrl.split('/').pop()!));
    healthId = advice.find((a) => a.adviceType === 'health')!.id;
    socialCareId = advice.find((a) => a.adviceType === 'social_care')!.id;
    epId = advice.find((a) => a.adviceType === 'educational_psychology')!.id;
    events.push(
      { type: 'advice_requested', date: '2025-02-10' as LocalDate, adviceId: healthId },
      { type: 'advice_requested', date: '2025-02-10' as LocalDate, adviceId: socialCareId },
      { type: 'advice_requested', date: '2025-02-21' as LocalDate, adviceId: epId },
    );
    const { stated, page } = await checkStage(caseUrl, events);
    expect(stated.get(`${caseUrl}/advice/${healthId}/received`)).toEqual(new Set([`advice:${healthId}`]));
    expect(stated.get(`${caseUrl}/advice/${epId}/received`)).toEqual(new Set([`advice:${epId}`]));
    // Health advice asked for on 10 Feb is overdue (due 24 March); it comes first. "Request advice" is done now.
    expect(pageText(page)).toMatch(
      /What to do next Record health advice received from .+? Overdue Health advice by 24 March 2025/,
    );
    expect(pageText(page)).toContain('Request more advice');
    // The timeline escapes its text once: "Children's Social Care", never "Children&amp;#39;s".
    expect(page).toContain('Social care (Children&#39;s Social Care).');
    expect(page).not.toContain('&amp;#39;');
    // The decision form lists the advice still to come, each with its own due date (EP: 21 Feb + 42 = 4 April).
    const decision = await agent.get(`${caseUrl}/issue-decision`).expect(200);
    expect(pageText(decision.text)).toMatch(/Advice is still to come from 3 providers/);
    expect(stated.get(`${caseUrl}/issue-decision`)).toEqual(
      new Set([
        `advice:${healthId}`,
        `advice:${socialCareId}`,
        `advice:${epId}`,
        'notify_decision_not_to_issue',
        'issue_final_plan',
      ]),
    );
  });

  it('deciding whether to issue: no advice warning once all advice is in; the 16- and 20-week dates (reg 10(1), 13(2))', async () => {
    for (const [id, on] of [
      [healthId, '2025-03-26'],
      [socialCareId, '2025-03-27'],
      [epId, '2025-03-28'],
    ] as const) {
      await submit(`${caseUrl}/advice/${id}/received`, date('receivedOn', on));
      events.push({ type: 'advice_received', date: on as LocalDate, adviceId: id });
    }
    const { stated, page } = await checkStage(caseUrl, events);
    expect(pageText(page)).toMatch(
      /What to do next Record the decision on whether to issue a plan Due Tell the family if no plan will be issued by 5 May 2025/,
    );
    const decision = await agent.get(`${caseUrl}/issue-decision`).expect(200);
    expect(pageText(decision.text)).not.toContain('Advice is still to come');
    expect(stated.get(`${caseUrl}/issue-decision`)).toEqual(
      new Set(['notify_decision_not_to_issue', 'issue_final_plan']),
    );
  });

  it('drafting and sending the draft: the 20-week date (2 June 2025) on the case page and the final plan form', async () => {
    await submit(`${caseUrl}/issue-decision`, { outcome: 'issue', ...date('decidedOn', '2025-03-29') });
    events.push({ type: 'issue_decision', date: '2025-03-29' as LocalDate, outcome: 'issue' });
    const drafting = await checkStage(caseUrl, events);
    expect(pageText(drafting.page)).toMatch(
      /What to do next Write the draft plan Due Issue the final plan by 2 June 2025/,
    );

    await submit(`${caseUrl}/plan/edit`, {
      A: 'Likes drawing',
      'need-count': '1',
      'need-0-text': 'Finds reading hard',
    });
    await submit(`${caseUrl}/draft-served`, { method: 'second_class_post', ...date('sentOn', '2025-03-31') });
    events.push({ type: 'draft_served', date: '2025-03-31' as LocalDate, method: 'second_class_post' });
    const { stated, page, clock } = await checkStage(caseUrl, events);
    // Posted second class on Mon 31 Mar: served on the 4th working day, Fri 4 Apr; 15 days end Fri 18 Apr (P3, P4).
    expect(clock.measures.draftCommentWindowEnds).toBe('2025-04-18');
    expect(stated.get(`${caseUrl}/final-plan`)).toEqual(new Set(['issue_final_plan', 'draft_comment_window']));
    // The family has until 18 April to comment: their comments come first, not the final plan (reg 13(1)(a)).
    expect(pageText(page)).toMatch(
      /What to do next Record the family’s comments on the draft Due Issue the final plan by 2 June 2025/,
    );
    // Steps done are named as what they would now be: a revised draft, not the first.
    expect(pageText(page)).toContain('Change the draft plan');
    expect(pageText(page)).toContain('Record sending a revised draft plan to the family');
    expect(pageText(page)).not.toContain('Write the draft plan');
  });

  it('after the final plan: the case page still states each duty as the clock has it, and no next step', async () => {
    await submit(`${caseUrl}/final-plan`, {
      settingName: 'Hillside Primary',
      settingType: 'Mainstream primary',
      familyResponded: 'yes',
      primaryNeed: 'SPLD',
      ...date('issuedOn', '2025-04-01'),
    });
    events.push({ type: 'final_plan_issued', date: '2025-04-01' as LocalDate });
    const { stated, page } = await checkStage(caseUrl, events);
    expect(stated.get(caseUrl)).toEqual(
      new Set([
        'decide_whether_to_assess',
        `advice:${healthId}`,
        `advice:${socialCareId}`,
        `advice:${epId}`,
        'issue_final_plan',
        'draft_comment_window',
      ]),
    );
    expect(pageText(page)).not.toContain('What to do next');
  });
});
