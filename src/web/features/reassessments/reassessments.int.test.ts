/**
 * Reassessment in the browser's terms (issue 28; CFA s.44(2), (3); SEND Regulations 2014 regs 24-27): a plan taken
 * from the request to the reassessed plan with the clock's dates stated after each step; a refusal with the family's
 * appeal and mediation dates; the refusals (nothing half-saved); the list by next deadline; who may see and change a
 * reassessment; the family's page. "Today" is Tuesday 1 April 2025 (TEST_NOW).
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
  measureValues,
  planReassessments,
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

/** A child of LA 999 with an active plan issued on `issued` (version 1, final). */
async function planFor(key: string, issued: string, extra: Partial<typeof plans.$inferInsert> = {}) {
  const [child] = await database.db
    .insert(children)
    .values({
      laCode: '999',
      reference: `999-R${key}`,
      givenName: key,
      familyName: 'Reassess',
      dateOfBirth: '2014-05-05',
    })
    .returning({ id: children.id });
  const [plan] = await database.db
    .insert(plans)
    .values({ laCode: '999', childId: child!.id, status: 'active', firstIssuedDate: issued, ...extra })
    .returning({ id: plans.id });
  await database.db
    .insert(planVersions)
    .values({ laCode: '999', planId: plan!.id, versionNo: 1, kind: 'final', issuedDate: issued, content: {} });
  ids[key] = plan!.id;
  childIds[key] = child!.id;
}

beforeAll(async () => {
  let signIn;
  ({ database, fixture, app, services, signIn } = await setUpIntegration());
  await planFor('Ada', '2024-03-04');
  await planFor('Ben', '2024-12-02');
  await planFor('Cy', '2024-06-03');
  await planFor('Dot', '2023-03-01', { status: 'ceased', ceasedDate: '2025-01-10', ceasedReason: '2' });
  caseworker = await signIn('caseworker');
});
afterAll(async () => {
  await database.close();
});

/** Posts a step's form as the browser would, from the page (or, for a step not open, from the reassessment page). */
async function post(agent: Agent, planId: string, step: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(`/plans/${planId}/reassess/${step}`);
  const from = page.status === 200 ? page : await agent.get(`/plans/${planId}/reassess`).expect(200);
  const stamp = formStamp(from.text);
  if (!stamp.version) {
    const [p] = await database.db.select({ version: plans.version }).from(plans).where(eq(plans.id, planId));
    stamp.version = String(p!.version);
    stamp.submissionKey = crypto.randomUUID();
  }
  return agent
    .post(`/plans/${planId}/reassess/${step}`)
    .type('form')
    .send({ ...stamp, ...fields });
}
async function datesOn(planId: string): Promise<Record<string, string>> {
  const res = await caseworker.get(`/plans/${planId}/reassess`).expect(200);
  return Object.fromEntries(statedDates(res.text).map((s) => [s.duty, s.iso]));
}
const stored = (planId: string) =>
  database.db.select().from(planReassessments).where(eq(planReassessments.planId, planId));
const planRow = async (planId: string) => (await database.db.select().from(plans).where(eq(plans.id, planId)))[0]!;

describe('a reassessment from the parent’s request to the reassessed plan', () => {
  it('refuses a decision before the request and a request in the future, saving nothing', async () => {
    const plan = ids.Ada!;
    let res = await post(caseworker, plan, 'request', { requestedBy: 'parent', ...date('receivedDate', '2025-04-02') });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text).map((e) => e.text)).toEqual([
      'The date the request was received must be today or in the past',
    ]);
    expect(await stored(plan)).toEqual([]);
    res = await post(caseworker, plan, 'request', { requestedBy: 'parent', ...date('receivedDate', '2025-03-03') });
    expect(res.status).toBe(303);
    // P2, reg 25: received Mon 3 Mar 2025, the decision is due 15 days later, Tue 18 Mar.
    expect(await datesOn(plan)).toMatchObject({ decide_reassessment: '2025-03-18' });
    res = await post(caseworker, plan, 'decision', { decision: 'reassess', ...date('decisionDate', '2025-03-02') });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The decision must be on or after the date the request was received (3 March 2025)',
    );
    expect((await stored(plan))[0]!.decision).toBeNull();
  });

  it('a second reassessment cannot be opened while one is', async () => {
    const res = await post(caseworker, ids.Ada!, 'request', {
      requestedBy: 'school',
      ...date('receivedDate', '2025-03-05'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'A reassessment of this plan is already under way: continue it from its page',
    );
    expect(await stored(ids.Ada!)).toHaveLength(1);
  });

  it('states the 14 weeks after the decision, the advice, the draft’s 15 days, and issues the plan as a new version', async () => {
    const plan = ids.Ada!;
    let res = await post(caseworker, plan, 'decision', { decision: 'reassess', ...date('decisionDate', '2025-03-14') });
    expect(res.status).toBe(303);
    // reg 27(2): told Fri 14 Mar 2025, the final plan is due 14 weeks later, Fri 20 Jun 2025.
    expect(await datesOn(plan)).toMatchObject({
      decide_reassessment: '2025-03-18',
      issue_reassessed_plan: '2025-06-20',
    });
    res = await post(caseworker, plan, 'advice', {
      ...date('adviceRequestedDate', '2025-03-17'),
      adviceRequested: ['education', 'psychology'],
      adviceReceived: ['education'],
    });
    expect(res.status).toBe(303);
    // reg 8(1) via reg 26: asked Mon 17 Mar, the advice is due 6 weeks later, Mon 28 Apr.
    expect(await datesOn(plan)).toMatchObject({ reassessment_advice: '2025-04-28' });
    res = await post(caseworker, plan, 'draft', date('draftServedDate', '2025-03-20'));
    expect(res.status).toBe(303);
    // reg 27(1), 13(1): the draft sent Thu 20 Mar leaves the family until Thu 3 Apr.
    expect(await datesOn(plan)).toMatchObject({ draft_comments_end: '2025-04-03' });
    res = await post(caseworker, plan, 'final', date('finalIssuedDate', '2025-04-01'));
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The family has until 3 April 2025 to comment on the draft (reg 27(1), reg 13(1)). Issue the final plan after that, or record that they have responded',
    );
    expect(await planRow(plan)).toMatchObject({ lastReassessedDate: null });
    res = await post(caseworker, plan, 'final', { ...date('finalIssuedDate', '2025-04-01'), familyResponded: 'yes' });
    expect(res.status).toBe(303);

    const page = await caseworker.get(`/plans/${plan}/reassess`).expect(200);
    expect(pageText(page.text)).toContain('Completed: the final plan was issued on 1 April 2025');
    expect(Object.fromEntries(statedDates(page.text).map((s) => [s.duty, s.iso]))).toMatchObject({
      issue_reassessed_plan: '2025-06-20',
    });
    const versions = await database.db.select().from(planVersions).where(eq(planVersions.planId, plan));
    expect(versions.map((v) => [v.versionNo, v.kind, v.issuedDate])).toEqual(
      expect.arrayContaining([[2, 'final', '2025-04-01']]),
    );
    // The reassessed plan starts the 12 months to its next review: 1 Apr 2025 -> 31 Mar 2026 (P7).
    expect(await planRow(plan)).toMatchObject({
      lastReassessedDate: '2025-04-01',
      reviewDueDate: '2026-03-31',
      reviewNextDue: '2026-03-31',
    });
    const review = await caseworker.get(`/reviews/${plan}`).expect(200);
    expect(statedDates(review.text).find((s) => s.duty === 'review_due')?.iso).toBe('2026-03-31');
    expect(review.text).toContain(`href="/plans/${plan}/reassess"`);
    const events = await database.db.select().from(caseEvents).where(eq(caseEvents.childId, childIds.Ada!));
    expect(events.map((e) => e.type)).toEqual([
      'reassessment_requested',
      'reassessment_decision',
      'reassessment_advice',
      'reassessment_draft_served',
      'reassessed_plan_issued',
    ]);
  });
});

describe('a refused request', () => {
  it('says what reg 24(2) lets the council do with a request made today, from the last assessment', async () => {
    // Ben's plan was issued on 2 December 2024: on 1 April 2025 less than 6 months have passed (calendar months).
    const ben = pageText((await caseworker.get(`/plans/${ids.Ben}/reassess`).expect(200)).text);
    expect(ben).toContain(
      'The last assessment ended on 2 December 2024. Until 2 June 2025 a request made now may be refused because less than 6 months have passed (reg 24(2)(a)).',
    );
    // Cy's on 3 June 2024: 6 months passed on 3 December 2024, so only "not necessary" (reg 24(2)(b)) remains.
    const cy = pageText((await caseworker.get(`/plans/${ids.Cy}/reassess`).expect(200)).text);
    expect(cy).toContain(
      'The last assessment ended on 3 June 2024. 6 months have passed since then: a request made now may be refused only if a reassessment is not necessary (reg 24(2)(b)).',
    );
  });

  it('within 6 months the council may refuse on that ground, but must say why; the family’s dates follow the notice', async () => {
    const plan = ids.Ben!;
    await post(caseworker, plan, 'request', { requestedBy: 'parent', ...date('receivedDate', '2025-03-10') }).then(
      (r) => expect(r.status).toBe(303),
    );
    const form = await caseworker.get(`/plans/${plan}/reassess/decision`).expect(200);
    expect(form.text).toContain('value="within_six_months"');
    let res = await post(caseworker, plan, 'decision', {
      decision: 'not_reassess',
      refusalGround: 'within_six_months',
      ...date('decisionDate', '2025-03-21'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'Give the council’s reason: within 6 months it may refuse, but it need not (reg 24(2)(a))',
    );
    res = await post(caseworker, plan, 'decision', {
      decision: 'not_reassess',
      refusalGround: 'within_six_months',
      refusalReason: 'The assessment in November gathered current advice from every service.',
      ...date('decisionDate', '2025-03-21'),
    });
    expect(res.status).toBe(303);
    // Refused Fri 21 Mar 2025: mediation adviser by Wed 21 May (reg 33), appeal by Wed 21 May (Tribunal rules).
    expect(await datesOn(plan)).toEqual({
      decide_reassessment: '2025-03-25',
      mediation_contact_by: '2025-05-21',
      appeal_by: '2025-05-21',
    });
    expect((await stored(plan))[0]).toMatchObject({ status: 'refused', refusalGround: 'within_six_months' });
    // The council's written reasons stay off the timeline.
    const events = await database.db.select().from(caseEvents).where(eq(caseEvents.childId, childIds.Ben!));
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain('November');
  });

  it('after 6 months the 6-month ground is not offered, and is refused if sent', async () => {
    const plan = ids.Cy!;
    await post(caseworker, plan, 'request', { requestedBy: 'school', ...date('receivedDate', '2025-03-03') }).then(
      (r) => expect(r.status).toBe(303),
    );
    const form = await caseworker.get(`/plans/${plan}/reassess/decision`).expect(200);
    expect(form.text).not.toContain('value="within_six_months"');
    const res = await post(caseworker, plan, 'decision', {
      decision: 'not_reassess',
      refusalGround: 'within_six_months',
      refusalReason: 'Recent assessment',
      ...date('decisionDate', '2025-03-10'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      '6 months had passed since the last assessment (3 June 2024) by 3 December 2024: decide whether a reassessment is necessary (reg 24(2)(b))',
    );
    expect((await stored(plan))[0]!.decision).toBeNull();
  });
});

describe('the dashboard', () => {
  it('counts the decisions told within 15 days of the request in the month decided (reg 25)', async () => {
    await services.measures.refresh('999');
    const rows = await database.db
      .select()
      .from(measureValues)
      .where(and(eq(measureValues.laCode, '999'), eq(measureValues.measure, 'reassessment_decisions_within_15_days')));
    const march = rows.find((r) => r.month === '2025-03' && r.dimension === 'all');
    // Ada: received 3 Mar, told 14 Mar (11 days); Ben: received 10 Mar, told 21 Mar (11 days). Cy is undecided.
    expect([march?.numerator, march?.denominator]).toEqual([2, 2]);
  });
});

describe('a ceased plan', () => {
  it('cannot be reassessed', async () => {
    await caseworker.get(`/plans/${ids.Dot}/reassess/request`).expect(404);
    const res = await post(caseworker, ids.Dot!, 'request', {
      requestedBy: 'parent',
      ...date('receivedDate', '2025-03-03'),
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The plan was ceased on 10 January 2025: a plan that has ended cannot be reassessed',
    );
    expect(await stored(ids.Dot!)).toEqual([]);
  });
});

describe('the reassessments list', () => {
  it('lists the open reassessments by next deadline, overdue first, linked from the caseload', async () => {
    const caseload = await caseworker.get('/cases').expect(200);
    expect(caseload.text).toContain('href="/reassessments"');
    const res = await caseworker.get('/reassessments').expect(200);
    // Cy's decision was due Tue 18 Mar 2025 (reg 25) and is overdue; Ada's and Ben's have ended.
    expect(pageText(res.text)).toContain('1 open, 1 overdue.');
    expect(statedDates(res.text).map((s) => [s.duty, s.iso])).toEqual([['decide_reassessment', '2025-03-18']]);
    expect(res.text).toContain(`href="/plans/${ids.Cy}/reassess"`);
  });
});

describe('who may see and change a reassessment', () => {
  it('another LA’s caseworker gets "Page not found" and changes nothing; a family is refused', async () => {
    const other = await signedIn(app, fixture.users.othercaseworker!.email);
    await other.get(`/plans/${ids.Cy}/reassess`).expect(404);
    await other.get(`/plans/${ids.Cy}/reassess/decision`).expect(404);
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get(`/plans/${ids.Cy}/reassess`).expect(403);
    await parent.get('/reassessments').expect(403);
    const rows = await stored(ids.Cy!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.decision).toBeNull();
  });

  it('every read and write is audited against the child', async () => {
    await caseworker.get(`/plans/${ids.Cy}/reassess`).expect(200);
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'plan_reassessment'), eq(auditLog.childId, childIds.Cy!)));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['read', 'write']));
  });
});

describe('the family’s side', () => {
  it('the parent reads the request, the decision and what happens next in plain words, from their child’s page', async () => {
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
    await parent.get(`/my-child/${ada.requestId}/reassessment`).expect(404);

    await post(caseworker, plan!.id, 'request', { requestedBy: 'parent', ...date('receivedDate', '2025-03-24') }).then(
      (r) => expect(r.status).toBe(303),
    );
    let text = pageText((await parent.get(`/my-child/${ada.requestId}/reassessment`).expect(200)).text);
    expect(text).toContain(
      'The council received your request for a new assessment of Ada’s needs (a reassessment) on 24 March 2025.',
    );
    // reg 25: 15 days from Mon 24 Mar 2025 is Tue 8 Apr.
    expect(text).toContain(
      'It must tell you whether it will reassess by 8 April 2025: that is 15 days from the request.',
    );

    await post(caseworker, plan!.id, 'decision', { decision: 'reassess', ...date('decisionDate', '2025-03-28') }).then(
      (r) => expect(r.status).toBe(303),
    );
    const page = await parent.get(`/my-child/${ada.requestId}`).expect(200);
    expect(page.text).toContain(`href="/my-child/${ada.requestId}/reassessment"`);
    expect(pageText(page.text)).toContain('On 28 March 2025 the council told you it will reassess.');
    text = pageText((await parent.get(`/my-child/${ada.requestId}/reassessment`).expect(200)).text);
    // reg 27(2): 14 weeks from Fri 28 Mar 2025 is Fri 4 Jul.
    expect(text).toContain(
      'The council must send the final plan by 4 July 2025: that is 14 weeks from the decision to reassess.',
    );
    const reads = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'plan_reassessment'), eq(auditLog.userId, fixture.users.parent!.id)));
    expect(reads.some((r) => r.action === 'read' && r.childId === ada.childId)).toBe(true);
  });

  it('another child’s plan is not found for the parent; staff are refused the family’s page', async () => {
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get(`/my-child/${fixture.cases.dee!.requestId}/reassessment`).expect(404);
    await caseworker.get(`/my-child/${fixture.cases.ada!.requestId}/reassessment`).expect(403);
  });
});
