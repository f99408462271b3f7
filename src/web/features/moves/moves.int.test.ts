/**
 * Moves between councils in the browser's terms (issue 28; SEND Regulations 2014 reg 15, reg 16): a plan moved out
 * to Hertfordshire (919) with the dates the pages state checked against dates worked out by hand, the plan this
 * council's until the transfer and then ended as transferred (not ceased); the refusals (nothing half-saved); a plan
 * transferred in, put on the register with its review on reg 15(5)'s date; the moves list; who may see and change a
 * move; the family's page. "Today" is Tuesday 1 April 2025 (TEST_NOW).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFields as date, formStamp } from '../../../../test/casework.js';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { errorSummary } from '../../../../test/errorSummary.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText, statedDates } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { loadSen2Facts } from '../../../data/repositories/sen2.js';
import { referencePeriod } from '../../../domain/sen2/census.js';
import { sen2FromCases } from '../../../domain/sen2/fromCases.js';
import { auditLog, caseEvents, children, planCeasings, planMoves, plans } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
type Agent = Awaited<ReturnType<typeof signedIn>>;
let caseworker: Agent;
const ids: Record<string, string> = {};
const childIds: Record<string, string> = {};

/** A child of LA 999 with a plan issued on Wed 1 Mar 2023 (ended on `ceasedDate`, when given). */
async function planFor(key: string, ceasedDate: string | null = null) {
  const [child] = await database.db
    .insert(children)
    .values({ laCode: '999', reference: `999-M${key}`, givenName: key, familyName: 'Move', dateOfBirth: '2013-05-05' })
    .returning({ id: children.id });
  const [plan] = await database.db
    .insert(plans)
    .values({
      laCode: '999',
      childId: child!.id,
      status: ceasedDate ? 'ceased' : 'active',
      firstIssuedDate: '2023-03-01',
      ceasedDate,
      ceasedReason: ceasedDate ? '2' : null,
    })
    .returning({ id: plans.id });
  ids[key] = plan!.id;
  childIds[key] = child!.id;
}

beforeAll(async () => {
  let signIn;
  ({ database, fixture, app, signIn } = await setUpIntegration());
  await planFor('Mo');
  await planFor('Ned', '2024-12-31');
  caseworker = await signIn('caseworker');
});
afterAll(async () => {
  await database.close();
});

/** Posts a step's form as the browser would, from the page (or, for a step not open, from the move's page). */
async function post(agent: Agent, planId: string, step: string, fields: Record<string, string>) {
  const page = await agent.get(`/plans/${planId}/move/${step}`);
  const from = page.status === 200 ? page : await agent.get(`/plans/${planId}/move`).expect(200);
  const stamp = formStamp(from.text);
  if (!stamp.version) {
    const [p] = await database.db.select({ version: plans.version }).from(plans).where(eq(plans.id, planId));
    stamp.version = String(p!.version);
    stamp.submissionKey = crypto.randomUUID();
  }
  return agent
    .post(`/plans/${planId}/move/${step}`)
    .type('form')
    .send({ ...stamp, ...fields });
}
async function datesOn(path: string): Promise<Record<string, string>> {
  const res = await caseworker.get(path).expect(200);
  return Object.fromEntries(statedDates(res.text).map((s) => [s.duty, s.iso]));
}
const moves = (planId: string) => database.db.select().from(planMoves).where(eq(planMoves.planId, planId));
const planRow = async (planId: string) => (await database.db.select().from(plans).where(eq(plans.id, planId)))[0]!;
const record = (fields: Record<string, string> = {}) => ({
  newLaCode: '919',
  ...date('moveDate', '2025-03-24'),
  ...date('learnedDate', '2025-03-05'),
  healthCommissionerChanges: 'yes',
  ...fields,
});

describe('a plan moved out to another council (reg 15)', () => {
  it('refuses this council’s own code, a code no council has, and dates impossible in order; saves nothing', async () => {
    const plan = ids.Mo!;
    let res = await post(caseworker, plan, 'record', record({ newLaCode: '999' }));
    expect(res.status).toBe(400);
    expect(errorSummary(res.text).map((e) => e.text)).toEqual([
      '999 is this council’s own code: enter the code of the council the child is moving to',
    ]);
    res = await post(caseworker, plan, 'record', record({ newLaCode: '000' }));
    expect(errorSummary(res.text)[0]!.text).toBe(
      'No council in England has the code 000: enter its 3-digit DfE LA code',
    );
    res = await post(caseworker, plan, 'record', record({ newLaCode: '91' }));
    expect(errorSummary(res.text)[0]!.text).toBe('Enter the council’s 3-digit DfE LA code, like 919');
    // The plan was issued on 1 March 2023; the council cannot have learned of the move tomorrow.
    res = await post(
      caseworker,
      plan,
      'record',
      record({ ...date('moveDate', '2023-02-28'), ...date('learnedDate', '2025-04-02') }),
    );
    expect(res.status).toBe(400);
    expect(errorSummary(res.text).map((e) => e.text)).toEqual([
      'The move must be on or after the date the plan was issued (1 March 2023)',
      'The date the council learned of the move must be today or in the past',
    ]);
    expect(await moves(plan)).toEqual([]);
    expect((await planRow(plan)).version).toBe(1);
  });

  it('states the transfer date worked out in working days, keeps the plan until the transfer, then ends it as transferred', async () => {
    const plan = ids.Mo!;
    expect(pageText((await caseworker.get(`/plans/${plan}/move`).expect(200)).text)).toContain(
      'Maintained by this council: no move recorded',
    );
    let res = await post(caseworker, plan, 'record', record());
    expect(res.status).toBe(303);
    // reg 15(2): learned Wed 5 Mar 2025, 13 working days before the move on Mon 24 Mar. The 15 working days beginning
    // with 5 Mar: 5-7 Mar (3), 10-14 (8), 17-21 (13), Mon 24 (14), Tue 25 Mar (15). reg 16 (row 18): the same.
    expect(await datesOn(`/plans/${plan}/move`)).toEqual({
      transfer_plan: '2025-03-25',
      tell_health_commissioner: '2025-03-25',
    });
    let text = pageText((await caseworker.get(`/plans/${plan}/move`).expect(200)).text);
    expect(text).toContain('Maintained by this council until it is transferred to Hertfordshire');
    expect(text).toContain('Send the plan and the advice it was made with to Hertfordshire, by 25 March 2025');
    expect(text).toContain(
      'By 25 March 2025 (15 working days beginning with the day the council learned of the move). Overdue.',
    );
    expect((await planRow(plan)).status).toBe('active');

    // The moves list, from its index: overdue on 1 April.
    const list = pageText((await caseworker.get('/moves').expect(200)).text);
    expect(list).toContain('1 open, 1 overdue.');
    expect(list).toContain('Out to Hertfordshire (919)');

    // reg 15(2): the plan is transferred on the day of the move or after it.
    res = await post(caseworker, plan, 'transfer', date('transferredDate', '2025-03-21'));
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The plan is transferred on the day of the move or after it (SEND Regulations 2014 reg 15(2)): the date must be on or after the move (24 March 2025)',
    );
    expect((await moves(plan))[0]!.transferDate).toBeNull();
    res = await post(caseworker, plan, 'transfer', date('transferredDate', '2025-03-26'));
    expect(res.status).toBe(303);
    const ended = await planRow(plan);
    // SEN2: CeaseDate the day it transferred out, CeaseReason 5; no ceasing (consultation, appeal) was made.
    expect([ended.status, ended.ceasedDate, ended.ceasedReason]).toEqual(['ceased', '2025-03-26', '5']);
    expect(await database.db.select().from(planCeasings).where(eq(planCeasings.planId, plan))).toEqual([]);
    // The 2026 return (calendar year 2025) made from this casework: ended on the day of the transfer, reason 5, and
    // Hertfordshire in TransferLA (shared/reference/sen2/README.md, item 5.1).
    const period = referencePeriod(2026);
    const ret = sen2FromCases(await loadSen2Facts(database.db, '999'), period, {
      year: 2026,
      referenceDate: period.census,
      lea: '999',
      softwareCode: 'test',
      release: '1',
      serialNo: '1',
      dateTime: '2025-04-01T09:00:00',
    });
    const mo = ret.persons.find((p) => p.forename === 'Mo')!.requests[0]!;
    expect(mo.assessment!.namedPlan).toMatchObject({ ceaseDate: '2025-03-26', ceaseReason: '5' });
    expect(mo.activePlans).toEqual({ transferLa: '919', placements: [], senNeeds: [] });
    text = pageText((await caseworker.get(`/plans/${plan}/move`).expect(200)).text);
    expect(text).toContain('Transferred to Hertfordshire on 26 March 2025: it is their plan from that day (reg 15(3))');
    expect(text).toContain('Tell the child’s new health commissioner (ICB) of the move, by 25 March 2025');

    res = await post(caseworker, plan, 'health', date('healthToldDate', '2025-03-26'));
    expect(res.status).toBe(303);
    expect((await moves(plan))[0]!.status).toBe('done');
    expect(pageText((await caseworker.get('/moves').expect(200)).text)).toContain('0 open, 0 overdue.');
    const events = await database.db
      .select({ type: caseEvents.type, on: caseEvents.occurredOn })
      .from(caseEvents)
      .where(eq(caseEvents.childId, childIds.Mo!));
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'move_out_recorded', on: '2025-03-05' },
        { type: 'plan_transferred_out', on: '2025-03-26' },
        { type: 'health_commissioner_told', on: '2025-03-26' },
      ]),
    );
  });

  it('refuses to move a plan that has ended', async () => {
    const plan = ids.Ned!;
    await caseworker.get(`/plans/${plan}/move/record`).expect(404);
    const res = await post(caseworker, plan, 'record', record());
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe(
      'The plan ended on 31 December 2024: a plan that has ended cannot move',
    );
    expect(await moves(plan)).toEqual([]);
  });

  it('the plan’s review page links to its move', async () => {
    const page = await caseworker.get(`/reviews/${ids.Ned}`).expect(200);
    expect(page.text).toContain(`href="/plans/${ids.Ned}/move"`);
    expect((await caseworker.get('/reviews').expect(200)).text).toContain('href="/moves"');
  });
});

describe('a plan transferred in from another council (reg 15(3)-(5))', () => {
  const form = async (agent: Agent, fields: Record<string, string>) => {
    const page = await agent.get('/moves/in/new').expect(200);
    const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)![1]!;
    return (
      agent
        .post('/moves/in/new')
        .type('form')
        // The token the form itself carries (not the sign-out form's).
        .send({
          _csrf: csrfFrom(page.text.slice(page.text.indexOf('<form method="post" novalidate>'))),
          submissionKey: key,
          ...fields,
        })
    );
  };
  const fields = (extra: Record<string, string> = {}) => ({
    givenName: 'Tia',
    familyName: 'Arrive',
    ...date('dateOfBirth', '2015-02-02'),
    oldLaCode: '919',
    ...date('transferDate', '2025-03-03'),
    ...date('planMadeDate', '2024-03-10'),
    ...extra,
  });

  it('is put on the register with the family to be told in 6 weeks and the review by the later date', async () => {
    const before = (await database.db.select().from(plans)).length;
    let res = await form(caseworker, fields({ oldLaCode: '999', ...date('planMadeDate', '2025-03-04') }));
    expect(res.status).toBe(400);
    expect(errorSummary(res.text).map((e) => e.text)).toEqual([
      '999 is this council’s own code: enter the code of the council the plan came from',
      'The plan must have been made on or before the date of the transfer',
    ]);
    expect((await database.db.select().from(plans)).length).toBe(before);

    res = await form(caseworker, fields());
    expect(res.status).toBe(303);
    const path = res.headers.location!.replace(/\?.*$/, '');
    // Transferred Mon 3 Mar 2025: tell the family by Mon 14 Apr (6 weeks, reg 15(4)). Review by the later of the end
    // of 12 months from 10 Mar 2024 (9 Mar 2025) and of 3 months from 3 Mar 2025 (2 Jun 2025): 2 Jun 2025 (reg 15(5)).
    expect(await datesOn(path)).toEqual({
      inform_parent_after_transfer: '2025-04-14',
      review_after_transfer: '2025-06-02',
    });
    const [move] = await database.db.select().from(planMoves).where(eq(planMoves.direction, 'in'));
    const plan = await planRow(move!.planId);
    expect([plan.status, plan.firstIssuedDate, plan.reviewNextDue]).toEqual(['active', '2024-03-10', '2025-06-02']);
    // The review appears in the annual reviews list on its date: 2 June is within 10 weeks of 1 April, not 8.
    expect((await caseworker.get('/reviews?weeks=10').expect(200)).text).toContain(`/reviews/${plan.id}`);
    expect((await caseworker.get('/reviews?weeks=8').expect(200)).text).not.toContain(`/reviews/${plan.id}`);
    expect(pageText((await caseworker.get('/moves').expect(200)).text)).toContain('In from Hertfordshire (919)');

    // reg 15(5): the review the family is told of must be by 2 June 2025.
    const informPage = await caseworker.get(`${path}/inform`).expect(200);
    const send = (extra: Record<string, string>) =>
      caseworker
        .post(`${path}/inform`)
        .type('form')
        .send({
          ...formStamp(informPage.text),
          willAssess: 'no',
          ...date('parentInformedDate', '2025-03-31'),
          ...extra,
        });
    res = await send(date('proposedReviewDate', '2025-06-03'));
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)[0]!.text).toBe('The review must be by 2 June 2025 (SEND Regulations 2014 reg 15(5))');
    res = await send(date('proposedReviewDate', '2025-05-20'));
    expect(res.status).toBe(303);
    const [told] = await database.db.select().from(planMoves).where(eq(planMoves.id, move!.id));
    expect([told!.status, told!.parentInformedDate, told!.willAssess]).toEqual(['done', '2025-03-31', false]);
    expect(pageText((await caseworker.get(path).expect(200)).text)).toContain(
      'Review the plan by 2 June 2025: it is in the annual reviews list',
    );
  });
});

describe('who may see and change a move', () => {
  it('another LA’s caseworker gets "Page not found"; a family is refused; every read and write is audited', async () => {
    const [moveIn] = await database.db.select().from(planMoves).where(eq(planMoves.direction, 'in'));
    const other = await signedIn(app, fixture.users.othercaseworker!.email);
    await other.get(`/plans/${ids.Mo}/move`).expect(404);
    await other.get(`/moves/in/${moveIn!.id}`).expect(404);
    expect(pageText((await other.get('/moves').expect(200)).text)).toContain('0 open, 0 overdue.');
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get(`/plans/${ids.Mo}/move`).expect(403);
    await parent.get('/moves').expect(403);
    await parent.get('/moves/in/new').expect(403);
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'plan_move'), eq(auditLog.childId, childIds.Mo!)));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['read', 'write']));
  });
});

describe('the family’s side', () => {
  it('the parent reads that the plan is moving and which council will hold it, then what that council must do', async () => {
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
    await parent.get(`/my-child/${ada.requestId}/plan-move`).expect(404);
    expect((await parent.get(`/my-child/${ada.requestId}`).expect(200)).text).not.toContain('plan-move');

    expect((await post(caseworker, plan!.id, 'record', record({ healthCommissionerChanges: 'no' }))).status).toBe(303);
    const page = await parent.get(`/my-child/${ada.requestId}`).expect(200);
    expect(page.text).toContain(`href="/my-child/${ada.requestId}/plan-move"`);
    let text = pageText((await parent.get(`/my-child/${ada.requestId}/plan-move`).expect(200)).text);
    expect(text).toContain('Ada’s plan is moving to Hertfordshire');
    expect(text).toContain(
      'Ada moved to Hertfordshire on 24 March 2025. We will send Ada’s plan to Hertfordshire by 25 March 2025.',
    );

    expect((await post(caseworker, plan!.id, 'transfer', date('transferredDate', '2025-03-26'))).status).toBe(303);
    text = pageText((await parent.get(`/my-child/${ada.requestId}/plan-move`).expect(200)).text);
    expect(text).toContain('Ada’s plan has moved to Hertfordshire');
    // reg 15(4): 6 weeks from Wed 26 Mar 2025 is Wed 7 May. reg 15(5): the plan was made on 3 Jun 2024 and not
    // reviewed, so the later of 2 Jun 2025 (12 months) and 25 Jun 2025 (3 months from the transfer): 25 Jun 2025.
    expect(text).toContain('Hertfordshire has held Ada’s education, health and care plan since 26 March 2025.');
    expect(text).toContain('Hertfordshire must write to you within 6 weeks of 26 March 2025, by 7 May 2025.');
    expect(text).toContain('It must review the plan by 25 June 2025 (regulation 15(5)).');
  });

  it('another child’s plan is not found for the parent; staff are refused the family’s page', async () => {
    const parent = await signedIn(app, fixture.users.parent!.email);
    await parent.get(`/my-child/${fixture.cases.dee!.requestId}/plan-move`).expect(404);
    await caseworker.get(`/my-child/${fixture.cases.ada!.requestId}/plan-move`).expect(403);
  });
});
