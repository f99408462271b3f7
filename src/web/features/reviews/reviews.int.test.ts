/**
 * Annual reviews in the browser's terms (issue 28): the reviews list in order of the next deadline with the rule that
 * gave each date, a review taken through every step to an amended plan with the clock's dates stated after each, the
 * refusals (nothing half-saved), and who may see and change a review. "Today" is Tuesday 1 April 2025 (TEST_NOW).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFields as date, formStamp } from '../../../../test/casework.js';
import type { testApp } from '../../../../test/app.js';
import { signedIn } from '../../../../test/app.js';
import { errorSummary } from '../../../../test/errorSummary.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText, statedDates } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { auditLog, children, planReviews, planVersions, plans } from '../../../data/schema.js';
import { emptyPlan } from '../../../domain/casework/planContent.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let services: ReturnType<typeof testApp>['services'];
type Agent = Awaited<ReturnType<typeof signedIn>>;
let caseworker: Agent;
const ids: Record<string, string> = {};

/** A child of LA 999 with an active plan issued on `issued` (its first version holding section A). */
async function planFor(key: string, dateOfBirth: string, issued: string, caseworkerId: string | null) {
  const [child] = await database.db
    .insert(children)
    .values({ laCode: '999', reference: `999-R${key}`, givenName: key, familyName: 'Review', dateOfBirth })
    .returning({ id: children.id });
  const [plan] = await database.db
    .insert(plans)
    .values({ laCode: '999', childId: child!.id, status: 'active', firstIssuedDate: issued, caseworkerId })
    .returning({ id: plans.id });
  await database.db.insert(planVersions).values({
    laCode: '999',
    planId: plan!.id,
    versionNo: 1,
    kind: 'final',
    issuedDate: issued,
    content: { ...emptyPlan(), A: 'Ann likes music.', C: 'Asthma.' },
  });
  ids[key] = plan!.id;
}

beforeAll(async () => {
  let signIn;
  ({ database, fixture, app, services, signIn } = await setUpIntegration());
  // Overdue: 12 months starting with Fri 1 Mar 2024 ended Fri 28 Feb 2025 (CFA s.44(1), P7).
  await planFor('Ann', '2015-02-02', '2024-03-01', fixture.users.caseworker!.id);
  // Due Fri 9 May 2025: 12 months starting with Fri 10 May 2024.
  await planFor('Cem', '2014-07-07', '2024-05-10', fixture.users.caseworker2!.id);
  // Under 5: 6 months starting with Fri 10 Jan 2025 end Wed 9 Jul 2025 (CoP 9.178, P8).
  await planFor('Bo', '2021-06-01', '2025-01-10', fixture.users.caseworker!.id);
  await services.reviews.fillMissing('999');
  caseworker = await signIn('caseworker');
});
afterAll(async () => {
  await database.close();
});

async function post(agent: Agent, url: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(url).expect(200);
  return agent
    .post(url)
    .type('form')
    .send({ ...formStamp(page.text), ...fields });
}
/** The review page's stated dates by duty. */
async function datesOn(planId: string): Promise<Record<string, string>> {
  const res = await caseworker.get(`/reviews/${planId}`).expect(200);
  return Object.fromEntries(statedDates(res.text).map((s) => [s.duty, s.iso]));
}

describe('the reviews list', () => {
  it('lists plans by their next review deadline, overdue first, within the weeks asked for, with the rule', async () => {
    const eight = pageText((await caseworker.get('/reviews?weeks=8').expect(200)).text);
    expect(eight).toMatch(/Review, Ann[\s\S]*28 February 2025[\s\S]*Overdue[\s\S]*Review, Cem[\s\S]*9 May 2025/);
    expect(eight).not.toContain('Review, Bo');
    expect(eight).toContain('1 overdue');
    const twenty = pageText((await caseworker.get('/reviews?weeks=20').expect(200)).text);
    expect(twenty).toMatch(/Review, Cem[\s\S]*Review, Bo[\s\S]*9 July 2025 \(under 5, CoP 9\.178\)/);
  });
  it('filters by caseworker and refuses weeks it cannot read (400, not a crash)', async () => {
    const res = await caseworker.get(`/reviews?weeks=20&caseworker=${fixture.users.caseworker2!.id}`).expect(200);
    expect(pageText(res.text)).toContain('Review, Cem');
    expect(pageText(res.text)).not.toContain('Review, Ann');
    await caseworker.get('/reviews?weeks=0').expect(400);
    await caseworker.get('/reviews?weeks=abc').expect(400);
  });
});

describe('a review taken to an amended plan', () => {
  it('refuses a meeting before the plan existed and a future date for invitations, and saves nothing', async () => {
    const url = `/reviews/${ids.Ann}/arrange`;
    const res = await post(caseworker, url, {
      ...date('meetingDate', '2024-02-01'),
      ...date('invitationsSentDate', '2025-04-02'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text).map((e) => e.text)).toEqual([
      'The review meeting must be on or after the date the plan was issued (1 March 2024)',
      'The date the invitations were sent must be today or in the past',
    ]);
    const stored = await database.db.select().from(planReviews).where(eq(planReviews.planId, ids.Ann!));
    expect(stored).toEqual([]);
  });

  it('refuses a decision before the meeting', async () => {
    const res = await caseworker.get(`/reviews/${ids.Ann}/decision`);
    expect(res.status).toBe(404); // not open until the meeting is held
  });

  it('states the clock’s dates after each step (regs 20-22, Devon) and ends in an amended plan', async () => {
    const plan = ids.Ann!;
    // Nothing recorded: the review was due by Fri 28 Feb 2025 (CFA s.44(1)).
    expect(await datesOn(plan)).toMatchObject({ complete_annual_review: '2025-02-28' });

    // Meeting Mon 10 Mar 2025; invitations Thu 20 Feb: due by Mon 24 Feb, 2 weeks before (reg 20(3)).
    let res = await post(caseworker, `/reviews/${plan}/arrange`, {
      ...date('meetingDate', '2025-03-10'),
      ...date('invitationsSentDate', '2025-02-20'),
    });
    expect(res.status).toBe(303);
    expect(await datesOn(plan)).toMatchObject({
      send_review_invitations: '2025-02-24',
      send_review_report: '2025-03-24',
    });

    res = await post(caseworker, `/reviews/${plan}/advice`, {
      adviceFrom: ['school', 'educational_psychology'],
      ...date('adviceRequestedDate', '2025-02-10'),
      ...date('adviceCirculatedDate', '2025-02-24'),
    });
    expect(res.status).toBe(303);
    // reg 20(4): advice sent out 2 weeks before the meeting, by Mon 24 Feb.
    expect(await datesOn(plan)).toMatchObject({ circulate_review_advice: '2025-02-24' });

    expect((await post(caseworker, `/reviews/${plan}/held`, date('meetingHeldDate', '2025-03-10'))).status).toBe(303);
    // A decision dated before the meeting is refused.
    res = await post(caseworker, `/reviews/${plan}/decision`, {
      decision: 'maintain',
      ...date('decisionDate', '2025-03-09'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The date the family was told the decision must be on or after the review meeting (10 March 2025)',
    );

    expect((await post(caseworker, `/reviews/${plan}/report`, date('reportSentDate', '2025-03-20'))).status).toBe(303);
    // reg 20(7): report by Mon 24 Mar; reg 20(10), Devon: decision by Mon 7 Apr.
    expect(await datesOn(plan)).toMatchObject({
      send_review_report: '2025-03-24',
      notify_review_decision: '2025-04-07',
    });

    // Amending with no amendment is refused (Devon: the proposed amendments go with the notice).
    res = await post(caseworker, `/reviews/${plan}/decision`, {
      decision: 'amend',
      ...date('decisionDate', '2025-03-25'),
    });
    expect(res.status).toBe(400);
    res = await post(caseworker, `/reviews/${plan}/decision`, {
      decision: 'amend',
      ...date('decisionDate', '2025-03-25'),
      sectionA: 'Ann likes music and swimming.',
      sectionC: 'Asthma.',
    });
    expect(res.status).toBe(303);
    // reg 22(3): the amended plan within 8 weeks of the notice of Tue 25 Mar: by Tue 20 May 2025.
    const page = await caseworker.get(`/reviews/${plan}`).expect(200);
    expect(Object.fromEntries(statedDates(page.text).map((s) => [s.duty, s.iso]))).toMatchObject({
      issue_amended_plan: '2025-05-20',
      review_due: '2026-03-24',
    });
    expect(pageText(page.text)).toContain('The family has until 8 April 2025 to comment on the proposed amendments');
    const [stored] = await database.db.select().from(plans).where(eq(plans.id, plan));
    expect(stored).toMatchObject({
      lastReviewDate: '2025-03-25',
      reviewNextDuty: 'issue_amended_plan',
      reviewNextDue: '2025-05-20',
    });

    // Inside the family's 15 days (reg 22(2)(c)) the amended plan is refused unless they have responded.
    res = await post(caseworker, `/reviews/${plan}/outcome`, {
      outcome: 'amended',
      ...date('outcomeDate', '2025-04-01'),
    });
    expect(res.status).toBe(400);
    res = await post(caseworker, `/reviews/${plan}/outcome`, {
      outcome: 'amended',
      ...date('outcomeDate', '2025-04-01'),
      familyResponded: 'yes',
    });
    expect(res.status).toBe(303);
    const done = await caseworker.get(`/reviews/${plan}`).expect(200);
    const text = pageText(done.text);
    expect(text).toContain('Amended plan (version 3), issued 1 April 2025');
    expect(text).toContain('What changed from version 1');
    expect(text).toContain('Section A: views, interests and aspirations');
    expect(text).not.toContain('Section C: health needs');
    expect(done.text).toContain('<ins class="app-diff__ins">');
    const versions = await database.db.select().from(planVersions).where(eq(planVersions.planId, plan));
    expect(versions.map((v) => v.kind).sort()).toEqual(['amendment_proposal', 'final', 'final']);
    const [after] = await database.db.select().from(plans).where(eq(plans.id, plan));
    // The next review: 12 months starting with the decision of Tue 25 Mar 2025 end Tue 24 Mar 2026.
    expect(after).toMatchObject({ reviewNextDuty: 'complete_annual_review', reviewNextDue: '2026-03-24' });
  });

  it('a second submission of the same form saves nothing more', async () => {
    const url = `/reviews/${ids.Cem}/arrange`;
    const page = await caseworker.get(url).expect(200);
    const fields = {
      ...formStamp(page.text),
      ...date('meetingDate', '2025-04-20'),
      ...date('invitationsSentDate', '2025-04-01'),
    };
    await caseworker.post(url).type('form').send(fields).expect(303);
    await caseworker.post(url).type('form').send(fields).expect(303);
    const stored = await database.db.select().from(planReviews).where(eq(planReviews.planId, ids.Cem!));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.version).toBe(2);
  });
});

describe('who may see and change a review', () => {
  it('another LA’s caseworker gets "Page not found" and changes nothing; a family is refused', async () => {
    const other = await signedIn(app, fixture.users.othercaseworker!.email);
    await other.get(`/reviews/${ids.Bo}`).expect(404);
    await other.get(`/reviews/${ids.Bo}/arrange`).expect(404);
    const list = await other.get('/reviews?weeks=52').expect(200);
    expect(pageText(list.text)).not.toContain('Review, Bo');
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get('/reviews').expect(403);
    await parent.get(`/reviews/${ids.Bo}`).expect(403);
    const reviews = await database.db.select().from(planReviews).where(eq(planReviews.planId, ids.Bo!));
    expect(reviews).toEqual([]);
  });
  it('every read of a review is audited against the child', async () => {
    const page = await caseworker.get(`/reviews/${ids.Bo}`).expect(200);
    // A child under 5: what to do next is due by Code of Practice 9.178's 6 months, not the law's 12.
    expect(pageText(page.text)).toMatch(/Arrange the review meeting and send the invitations, by 9 July 2025\b/);
    const [child] = await database.db.select({ childId: plans.childId }).from(plans).where(eq(plans.id, ids.Bo!));
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'plan_review'), eq(auditLog.childId, child!.childId)));
    expect(rows.some((r) => r.action === 'read')).toBe(true);
  });
});
