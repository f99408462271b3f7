/**
 * Ceasing a plan in the browser's terms (issue 28; CFA s.45; SEND Regulations 2014 regs 29-31): a plan taken from the
 * consultation to the decision notice and, once the family's time to appeal has passed, to its end, with the family's
 * dates stated after each step; the refusals (nothing half-saved); a review's decision to cease leading here; who may
 * see and change a ceasing. "Today" is Tuesday 1 April 2025 (TEST_NOW).
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
import {
  auditLog,
  caseEvents,
  children,
  planCeasings,
  measureValues,
  planReviews,
  planVersions,
  plans,
} from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let services: ReturnType<typeof testApp>['services'];
type Agent = Awaited<ReturnType<typeof signedIn>>;
let caseworker: Agent;
const ids: Record<string, string> = {};
const childIds: Record<string, string> = {};

/** A child of LA 999 with an active plan issued on Wed 1 Mar 2023. */
async function planFor(key: string, dateOfBirth: string) {
  const [child] = await database.db
    .insert(children)
    .values({ laCode: '999', reference: `999-C${key}`, givenName: key, familyName: 'Cease', dateOfBirth })
    .returning({ id: children.id });
  const [plan] = await database.db
    .insert(plans)
    .values({ laCode: '999', childId: child!.id, status: 'active', firstIssuedDate: '2023-03-01' })
    .returning({ id: plans.id });
  ids[key] = plan!.id;
  childIds[key] = child!.id;
}

beforeAll(async () => {
  let signIn;
  ({ database, fixture, app, services, signIn } = await setUpIntegration());
  await planFor('Ada', '2012-05-05');
  await planFor('Ben', '2011-09-09');
  await planFor('Cy', '2012-01-01');
  caseworker = await signIn('caseworker');
});
afterAll(async () => {
  await database.close();
});

/** Posts a step's form as the browser would, from the page (or, for a step not open, from the ceasing page). */
async function post(agent: Agent, planId: string, step: string, fields: Record<string, string>) {
  const page = await agent.get(`/plans/${planId}/cease/${step}`);
  const from = page.status === 200 ? page : await agent.get(`/plans/${planId}/cease`).expect(200);
  const stamp = formStamp(from.text);
  if (!stamp.version) {
    const [p] = await database.db.select({ version: plans.version }).from(plans).where(eq(plans.id, planId));
    stamp.version = String(p!.version);
    stamp.submissionKey = crypto.randomUUID();
  }
  return agent
    .post(`/plans/${planId}/cease/${step}`)
    .type('form')
    .send({ ...stamp, ...fields });
}
async function datesOn(planId: string): Promise<Record<string, string>> {
  const res = await caseworker.get(`/plans/${planId}/cease`).expect(200);
  return Object.fromEntries(statedDates(res.text).map((s) => [s.duty, s.iso]));
}
const stored = (planId: string) => database.db.select().from(planCeasings).where(eq(planCeasings.planId, planId));
const planRow = async (planId: string) => (await database.db.select().from(plans).where(eq(plans.id, planId)))[0]!;

describe('a plan ceased after the time for appealing has passed', () => {
  it('refuses a notice before any consultation, a consultation in the future, and a reason the law does not allow', async () => {
    const plan = ids.Ada!;
    await caseworker.get(`/plans/${plan}/cease/decision`).expect(404);
    let res = await post(caseworker, plan, 'decision', { decision: 'cease', ...date('decisionDate', '2025-03-01') });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'Consult the family and the school before the decision notice (reg 31)',
    );

    res = await post(caseworker, plan, 'consult', {
      reason: 'no_longer_necessary',
      ...date('consultedDate', '2025-04-02'),
      ...date('schoolConsultedDate', '2025-01-08'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text).map((e) => e.text)).toEqual([
      'The date the family was consulted must be today or in the past',
    ]);
    // Ada is 12: leaving education is not a reason to cease a child's plan (reg 29(2)).
    res = await post(caseworker, plan, 'consult', {
      reason: 'left_education',
      reviewedNoReturn: 'yes',
      ...date('consultedDate', '2025-01-06'),
      ...date('schoolConsultedDate', '2025-01-08'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toMatch(/under 18 has left education or training.*reg 29\(2\)/);
    expect(await stored(plan)).toEqual([]);
    expect((await planRow(plan)).version).toBe(1);
  });

  it('states the family’s dates after the notice, keeps the plan until they pass (s.45(2)), then ends it', async () => {
    const plan = ids.Ada!;
    let res = await post(caseworker, plan, 'consult', {
      reason: 'no_longer_necessary',
      ...date('consultedDate', '2025-01-06'),
      ...date('schoolConsultedDate', '2025-01-08'),
    });
    expect(res.status).toBe(303);
    // reg 31(2): the decision follows the consultation; Tue 7 Jan is before the school was consulted on Wed 8 Jan.
    res = await post(caseworker, plan, 'decision', { decision: 'cease', ...date('decisionDate', '2025-01-07') });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The decision notice must be on or after the consultation with the family and the school (reg 31) (8 January 2025)',
    );
    res = await post(caseworker, plan, 'decision', { decision: 'cease', ...date('decisionDate', '2025-01-20') });
    expect(res.status).toBe(303);
    // Notice Mon 20 Jan 2025: mediation adviser by Thu 20 Mar (reg 33, 2 months); appeal by Thu 20 Mar (Tribunal
    // rules, 2 months); the plan ends the day after, Fri 21 Mar (s.45(2)).
    expect(await datesOn(plan)).toEqual({
      mediation_contact_by: '2025-03-20',
      appeal_by: '2025-03-20',
      plan_ends: '2025-03-21',
    });
    // Decided, but not ended: the plan is maintained until the time for appealing has passed.
    expect(await planRow(plan)).toMatchObject({ status: 'active', ceasedDate: null });
    expect(pageText((await caseworker.get(`/plans/${plan}/cease`).expect(200)).text)).toContain(
      'Maintained until the time for appealing has passed: the council has decided to cease it',
    );

    res = await post(caseworker, plan, 'cease', {});
    expect(res.status).toBe(303);
    expect(await planRow(plan)).toMatchObject({ status: 'ceased', ceasedDate: '2025-03-21', ceasedReason: '2' });
    const page = pageText((await caseworker.get(`/plans/${plan}/cease`).expect(200)).text);
    expect(page).toContain('Ceased on 21 March 2025');
    expect(page).toMatch(/Nothing: no ceasing is under way/);
    const events = await database.db.select().from(caseEvents).where(eq(caseEvents.childId, childIds.Ada!));
    expect(events.map((e) => e.type)).toEqual(['ceasing_consulted', 'ceasing_decision', 'plan_ceased']);
  });

  it('the dashboard counts it in the month it ended (March 2025), by its SEN2 CeaseReason (2: needs met)', async () => {
    await services.measures.refresh('999');
    const rows = await database.db
      .select()
      .from(measureValues)
      .where(and(eq(measureValues.laCode, '999'), eq(measureValues.measure, 'plans_ceased')));
    const value = (dimension: string, category: string, month: string) =>
      rows.find((r) => r.dimension === dimension && r.category === category && r.month === month)?.value;
    expect(value('all', 'all', '2025-03')).toBe(1);
    expect(value('cease_reason', '2', '2025-03')).toBe(1);
    // Decided in January, but not counted then: the plan was maintained until the appeal time passed.
    expect(value('all', 'all', '2025-01')).toBe(0);
  });

  it('a ceased plan cannot be ceased again', async () => {
    const res = await post(caseworker, ids.Ada!, 'consult', {
      reason: 'deceased',
      ...date('consultedDate', '2025-03-25'),
      ...date('schoolConsultedDate', '2025-03-25'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe('The plan was ceased on 21 March 2025: it cannot be ceased again');
    expect(await stored(ids.Ada!)).toHaveLength(1);
  });
});

describe('while the family can still appeal', () => {
  it('refuses to end the plan before its end date, and an appeal keeps it until the Tribunal decides', async () => {
    const plan = ids.Ben!;
    await post(caseworker, plan, 'consult', {
      reason: 'moved_la',
      ...date('consultedDate', '2025-02-24'),
      ...date('schoolConsultedDate', '2025-02-24'),
    }).then((r) => expect(r.status).toBe(303));
    await post(caseworker, plan, 'decision', { decision: 'cease', ...date('decisionDate', '2025-03-10') }).then((r) =>
      expect(r.status).toBe(303),
    );
    // Notice Mon 10 Mar 2025: appeal by Sat 10 May; the plan ends Sun 11 May, after today (1 Apr).
    expect(await datesOn(plan)).toMatchObject({ appeal_by: '2025-05-10', plan_ends: '2025-05-11' });
    await caseworker.get(`/plans/${plan}/cease/cease`).expect(404);
    let res = await post(caseworker, plan, 'cease', {});
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The family can appeal until 10 May 2025: the plan is maintained until then and ends on 11 May 2025 (Children and Families Act 2014 s.45(2))',
    );
    res = await post(caseworker, plan, 'appeal', date('appealLodgedDate', '2025-03-28'));
    expect(res.status).toBe(303);
    res = await post(caseworker, plan, 'tribunal', {
      tribunalOutcome: 'dismissed',
      ...date('tribunalDate', '2025-04-02'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe('The date of the Tribunal’s decision must be today or in the past');
    expect(await planRow(plan)).toMatchObject({ status: 'active', ceasedDate: null });
    res = await post(caseworker, plan, 'tribunal', {
      tribunalOutcome: 'dismissed',
      ...date('tribunalDate', '2025-04-01'),
    });
    expect(res.status).toBe(303);
    // Moved to another LA in England: SEN2 CeaseReason 5; the plan ends on the Tribunal's decision.
    expect(await planRow(plan)).toMatchObject({ status: 'ceased', ceasedDate: '2025-04-01', ceasedReason: '5' });
  });

  it('a second submission of the same form saves once', async () => {
    const url = `/plans/${ids.Cy}/cease/consult`;
    const page = await caseworker.get(url).expect(200);
    const fields = {
      ...formStamp(page.text),
      reason: 'no_longer_necessary',
      ...date('consultedDate', '2025-03-03'),
      ...date('schoolConsultedDate', '2025-03-03'),
    };
    await caseworker.post(url).type('form').send(fields).expect(303);
    await caseworker.post(url).type('form').send(fields).expect(303);
    expect(await stored(ids.Cy!)).toHaveLength(1);
  });
});

describe('from an annual review’s decision to cease', () => {
  it('the review page leads to the ceasing, which records the review it began from', async () => {
    await planFor('Dee', '2010-10-10');
    const plan = ids.Dee!;
    const [review] = await database.db
      .insert(planReviews)
      .values({
        laCode: '999',
        planId: plan,
        childId: childIds.Dee!,
        cycleStart: '2023-03-01',
        status: 'completed',
        meetingHeldDate: '2024-02-05',
        decision: 'cease',
        decisionDate: '2024-02-20',
        completedDate: '2024-02-20',
      })
      .returning({ id: planReviews.id });
    await database.db.update(plans).set({ lastReviewDate: '2024-02-20' }).where(eq(plans.id, plan));
    const reviewPage = await caseworker.get(`/reviews/${plan}`).expect(200);
    expect(reviewPage.text).toContain(`href="/plans/${plan}/cease"`);
    expect(pageText(reviewPage.text)).toContain('The review decided to cease the plan');
    const ceasingPage = pageText((await caseworker.get(`/plans/${plan}/cease`).expect(200)).text);
    expect(ceasingPage).toContain('The annual review decided on 20 February 2024 to cease the plan');
    await post(caseworker, plan, 'consult', {
      reason: 'no_longer_necessary',
      ...date('consultedDate', '2024-02-26'),
      ...date('schoolConsultedDate', '2024-02-26'),
    }).then((r) => expect(r.status).toBe(303));
    expect((await stored(plan))[0]).toMatchObject({ reviewId: review!.id, status: 'open' });
  });
});

describe('from the plan’s page', () => {
  it('an issued plan’s page links to its review and to ceasing it', async () => {
    const dee = fixture.cases.dee!;
    const [plan] = await database.db
      .insert(plans)
      .values({
        laCode: '999',
        childId: dee.childId,
        requestId: dee.requestId,
        status: 'active',
        firstIssuedDate: '2024-10-21',
      })
      .returning({ id: plans.id });
    await database.db
      .insert(planVersions)
      .values({ laCode: '999', planId: plan!.id, versionNo: 1, kind: 'final', issuedDate: '2024-10-21', content: {} });
    const page = await caseworker.get(`/cases/${dee.requestId}/plan`).expect(200);
    expect(page.text).toContain(`href="/plans/${plan!.id}/cease"`);
    expect(page.text).toContain(`href="/reviews/${plan!.id}"`);
  });
});

describe('who may see and change a ceasing', () => {
  it('another LA’s caseworker gets "Page not found" and changes nothing; a family is refused', async () => {
    const other = await signedIn(app, fixture.users.othercaseworker!.email);
    await other.get(`/plans/${ids.Cy}/cease`).expect(404);
    await other.get(`/plans/${ids.Cy}/cease/decision`).expect(404);
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get(`/plans/${ids.Cy}/cease`).expect(403);
    await parent.get(`/plans/${ids.Cy}/cease/decision`).expect(403);
    const rows = await stored(ids.Cy!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.decision).toBeNull();
  });
  it('every read is audited against the child', async () => {
    await caseworker.get(`/plans/${ids.Cy}/cease`).expect(200);
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'plan_ceasing'), eq(auditLog.childId, childIds.Cy!)));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['read', 'write']));
  });
});

describe('the family’s side', () => {
  it('the parent reads each stage in plain words, with the appeal and mediation dates, from their child’s page', async () => {
    const ada = fixture.cases.ada!;
    const [plan] = await database.db
      .insert(plans)
      .values({
        laCode: '999',
        childId: ada.childId,
        requestId: ada.requestId,
        status: 'active',
        firstIssuedDate: '2024-06-03',
      })
      .returning({ id: plans.id });
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get(`/my-child/${ada.requestId}/plan-ending`).expect(404);
    expect((await parent.get(`/my-child/${ada.requestId}`).expect(200)).text).not.toContain('plan-ending');

    await post(caseworker, plan!.id, 'consult', {
      reason: 'no_longer_necessary',
      ...date('consultedDate', '2025-02-03'),
      ...date('schoolConsultedDate', '2025-02-04'),
    }).then((r) => expect(r.status).toBe(303));
    let text = pageText((await parent.get(`/my-child/${ada.requestId}/plan-ending`).expect(200)).text);
    expect(text).toContain(
      'The council is thinking about ending Ada’s education, health and care (EHC) plan, because the council thinks the help Ada needs can be given without a plan. It asked for your views on 3 February 2025.',
    );

    await post(caseworker, plan!.id, 'decision', { decision: 'cease', ...date('decisionDate', '2025-02-10') }).then(
      (r) => expect(r.status).toBe(303),
    );
    const page = await parent.get(`/my-child/${ada.requestId}`).expect(200);
    expect(page.text).toContain(`href="/my-child/${ada.requestId}/plan-ending"`);
    expect(pageText(page.text)).toContain('The council has decided to end Ada’s education, health and care (EHC) plan');
    text = pageText((await parent.get(`/my-child/${ada.requestId}/plan-ending`).expect(200)).text);
    // Decision letter Mon 10 Feb 2025: mediation adviser by Thu 10 Apr (reg 33), appeal by Thu 10 Apr (Tribunal
    // rules, 2 months); the plan stays until then and ends on Fri 11 Apr (CFA s.45(2)).
    expect(text).toContain('Its decision letter is dated 10 February 2025.');
    expect(text).toContain(
      'The plan stays in place until 10 April 2025, the last day you can appeal. If you do not appeal, it ends on 11 April 2025.',
    );
    expect(text).toContain(
      'Contact the mediation adviser by 10 April 2025. That is 2 months from the decision letter.',
    );
    expect(text).toContain('Appeal by 10 April 2025. That is 2 months from the decision letter.');
    const reads = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'plan_ceasing'), eq(auditLog.userId, fixture.users.parent!.id)));
    expect(reads.some((r) => r.action === 'read' && r.childId === ada.childId)).toBe(true);
  });

  it('another child’s plan is not found for the parent; staff are refused the family’s page', async () => {
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get(`/my-child/${fixture.cases.dee!.requestId}/plan-ending`).expect(404);
    await caseworker.get(`/my-child/${fixture.cases.ada!.requestId}/plan-ending`).expect(403);
  });
});
