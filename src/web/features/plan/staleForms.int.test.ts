/**
 * Two people editing the same part of the improvement plan (architecture: "optimistic concurrency on anything two
 * people might edit; a conflict is shown, never lost"). For every edit form of the plan, two editors open the form,
 * both save: the first is saved, the second is refused (409) with a GOV.UK error summary and the first person's change
 * beside what the second typed, and nothing of the second is saved. Saving again from that page (which now carries
 * the version saved) goes through, as a choice. Two saves at the very same moment: exactly one wins.
 */
import { visibleWords } from '../../../../test/pages.js';
import { and, eq } from 'drizzle-orm';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { PLAN_DETAILS_FORM } from '../../../../test/planDetails.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import {
  auditLog,
  commitmentActions,
  commitmentValues,
  commitments,
  improvementPlans,
  planObjectives,
  planPriorities,
} from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let first: TestAgent;
let second: TestAgent;

/** A form as a browser has it once opened: its CSRF token and the version it was opened at. */
async function open(agent: TestAgent, path: string) {
  const page = await agent.get(path).expect(200);
  return { csrf: csrfFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)![1]! };
}

function save(agent: TestAgent, action: string, form: { csrf: string; version: string }, fields: object) {
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: form.csrf, version: form.version, ...fields });
}

/** The stale form's table: each row's field, what is saved now, and what the refused person entered. */
function staleRows(html: string): string[][] {
  const table = /<table[^>]*id="stale-changes"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => visibleWords(c[1]!).trim()));
}

const updates = async (entityType: string, id: string) =>
  (
    await database.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, id), eq(auditLog.action, 'update')))
  ).length;

let objectiveId: string;
let priorityId: string;
let commitmentId: string;
let actionId: string;

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  first = await signedIn(app, fixture.users.board!.email);
  second = await signedIn(app, fixture.users.manager!.email);
  const form = await open(first, '/improvement-plan/details');
  await save(first, '/improvement-plan/details', form, PLAN_DETAILS_FORM).expect(303);
  const csrf = (await open(first, '/improvement-plan/details')).csrf;
  const post = (action: string, fields: object) =>
    first
      .post(action)
      .type('form')
      .send({ _csrf: csrf, ...fields })
      .expect(303);
  await post('/improvement-plan/objectives', {
    text: 'Every plan on time',
    'horizon-day': '31',
    'horizon-month': '3',
    'horizon-year': '2029',
  });
  await post('/improvement-plan/priorities', { title: 'Timeliness', description: '' });
  objectiveId = (await database.db.select({ id: planObjectives.id }).from(planObjectives))[0]!.id;
  priorityId = (await database.db.select({ id: planPriorities.id }).from(planPriorities))[0]!.id;
  const made = await post('/improvement-plan/commitments', {
    version: '0',
    intent: 'draft',
    statement: 'Improve the timeliness of EHC plans',
    priorityId,
  });
  commitmentId = /commitments\/([0-9a-f-]{36})/.exec(made.headers.location!)![1]!;
  await post(`/improvement-plan/commitments/${commitmentId}/actions`, {
    title: 'Recruit two educational psychologists',
    ownerId: fixture.users.board!.id,
    'dueDate-day': '30',
    'dueDate-month': '9',
    'dueDate-year': '2025',
    status: 'not_started',
    evidence: '',
  });
  actionId = (await database.db.select({ id: commitmentActions.id }).from(commitmentActions))[0]!.id;
});
afterAll(async () => {
  await database.close();
});

describe('a stale form is refused, showing the other person’s change', () => {
  it('the plan’s details', async () => {
    const a = await open(first, '/improvement-plan/details');
    const b = await open(second, '/improvement-plan/details');
    await save(first, '/improvement-plan/details', a, { ...PLAN_DETAILS_FORM, title: 'The board’s title' }).expect(303);
    const refused = await save(second, '/improvement-plan/details', b, {
      ...PLAN_DETAILS_FORM,
      title: 'The manager’s title',
    });
    expect(refused.status).toBe(409);
    expect(visibleWords(refused.text)).toContain(
      'There is a problem Someone else changed the plan’s details while you had this page open, so yours was not saved',
    );
    expect(visibleWords(refused.text)).toContain('What Board saved at');
    expect(staleRows(refused.text)).toEqual([['Title', 'The board’s title', 'The manager’s title']]);
    // What the manager typed is still in the form, nothing of it saved.
    expect(refused.text).toContain('value="The manager’s title"');
    const [plan] = await database.db.select().from(improvementPlans);
    expect(plan!.title).toBe('The board’s title');
    // Saving again from the refused page is a choice, and goes through.
    const again = /name="version" value="(\d+)"/.exec(refused.text)![1]!;
    expect(again).toBe(String(plan!.version));
    await save(
      second,
      '/improvement-plan/details',
      { csrf: b.csrf, version: again },
      {
        ...PLAN_DETAILS_FORM,
        title: 'The manager’s title',
      },
    ).expect(303);
  });

  it('an objective', async () => {
    const path = `/improvement-plan/objectives/${objectiveId}`;
    const a = await open(first, `${path}/edit`);
    const b = await open(second, `${path}/edit`);
    await save(first, path, a, {
      text: 'Every plan on time',
      'horizon-day': '31',
      'horizon-month': '3',
      'horizon-year': '2030',
    }).expect(303);
    const refused = await save(second, path, b, {
      text: 'Nine in ten plans on time',
      'horizon-day': '31',
      'horizon-month': '3',
      'horizon-year': '2029',
    });
    expect(refused.status).toBe(409);
    expect(visibleWords(refused.text)).toContain('Someone else changed this objective while you had this page open');
    expect(staleRows(refused.text)).toEqual([
      ['Objective', 'Every plan on time', 'Nine in ten plans on time'],
      ['To be met by', '31 March 2030', '31 March 2029'],
    ]);
    const [row] = await database.db.select().from(planObjectives).where(eq(planObjectives.id, objectiveId));
    expect(row).toMatchObject({ text: 'Every plan on time', horizon: '2030-03-31', version: 2 });
    expect(await updates('plan_objective', objectiveId)).toBe(1);
  });

  it('a priority area', async () => {
    const path = `/improvement-plan/priorities/${priorityId}`;
    const a = await open(first, `${path}/edit`);
    const b = await open(second, `${path}/edit`);
    await save(first, path, a, { title: 'Timeliness', description: 'Plans issued late' }).expect(303);
    const refused = await save(second, path, b, { title: 'Timeliness of plans', description: '' });
    expect(refused.status).toBe(409);
    expect(staleRows(refused.text)).toEqual([
      ['Priority area', 'Timeliness', 'Timeliness of plans'],
      ['Description', 'Plans issued late', 'Blank'],
    ]);
    const [row] = await database.db.select().from(planPriorities).where(eq(planPriorities.id, priorityId));
    expect(row).toMatchObject({ title: 'Timeliness', description: 'Plans issued late', version: 2 });
  });

  it('a commitment', async () => {
    const path = `/improvement-plan/commitments/${commitmentId}`;
    const a = await open(first, `${path}/edit`);
    const b = await open(second, `${path}/edit`);
    const draft = { intent: 'draft', priorityId, frequency: 'monthly', lagMonths: '1' };
    await save(first, path, a, { ...draft, statement: 'Issue plans within 20 weeks' }).expect(303);
    const refused = await save(second, path, b, { ...draft, statement: 'Issue plans faster' });
    expect(refused.status).toBe(409);
    expect(visibleWords(refused.text)).toContain('Someone else changed this commitment while you had this page open');
    expect(staleRows(refused.text)).toEqual([['Commitment', 'Issue plans within 20 weeks', 'Issue plans faster']]);
    const [row] = await database.db.select().from(commitments).where(eq(commitments.id, commitmentId));
    expect(row).toMatchObject({ statement: 'Issue plans within 20 weeks', version: 2 });
  });

  it('an action’s progress', async () => {
    const path = `/improvement-plan/actions/${actionId}`;
    const a = await open(first, path);
    const b = await open(second, path);
    await save(first, path, a, { status: 'in_progress', evidence: 'Two posts advertised' }).expect(303);
    const refused = await save(second, path, b, { status: 'blocked', evidence: 'No applicants' });
    expect(refused.status).toBe(409);
    expect(visibleWords(refused.text)).toContain('Someone else changed this action’s progress');
    expect(staleRows(refused.text)).toEqual([
      ['Status', 'In progress', 'Blocked'],
      ['Evidence', 'Two posts advertised', 'No applicants'],
    ]);
    const [row] = await database.db.select().from(commitmentActions).where(eq(commitmentActions.id, actionId));
    expect(row).toMatchObject({ status: 'in_progress', evidence: 'Two posts advertised', version: 2 });
  });
});

describe('two saves at the same moment', () => {
  it('of one objective: exactly one is saved, the other refused', async () => {
    const path = `/improvement-plan/objectives/${objectiveId}`;
    const a = await open(first, `${path}/edit`);
    const b = await open(second, `${path}/edit`);
    const before = await updates('plan_objective', objectiveId);
    const horizon = { 'horizon-day': '31', 'horizon-month': '3', 'horizon-year': '2031' };
    const results = await Promise.all([
      save(first, path, a, { text: 'From the board', ...horizon }),
      save(second, path, b, { text: 'From the manager', ...horizon }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    const winner = results[0].status === 303 ? 'From the board' : 'From the manager';
    const [row] = await database.db.select().from(planObjectives).where(eq(planObjectives.id, objectiveId));
    expect(row).toMatchObject({ text: winner, version: Number(a.version) + 1 });
    expect(await updates('plan_objective', objectiveId)).toBe(before + 1);
  });
});

describe('a stale figure or remove button is refused too (issue 23)', () => {
  /** The hidden field of a form on a page, as the browser sends it back. */
  const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="(\\d+)"`).exec(html)![1]!;

  it('a month’s figure entered by hand: the same month entered by someone else since is not overwritten', async () => {
    const path = `/improvement-plan/commitments/${commitmentId}`;
    const pageA = (await first.get(path).expect(200)).text;
    const pageB = (await second.get(path).expect(200)).text;
    const a = { _csrf: csrfFrom(pageA), valuesVersion: hidden(pageA, 'valuesVersion') };
    const b = { _csrf: csrfFrom(pageB), valuesVersion: hidden(pageB, 'valuesVersion') };
    const enter = (agent: TestAgent, form: object, fields: object) =>
      agent
        .post(`${path}/values`)
        .type('form')
        .send({ ...form, ...fields });
    await enter(first, a, { month: '2025-03', value: '40', n: '20' }).expect(303);
    const refused = await enter(second, b, { month: 'March 2025', value: '55', n: '20' });
    expect(refused.status).toBe(409);
    expect(visibleWords(refused.text)).toContain(
      'Someone else changed this month’s figure while you had this page open',
    );
    expect(visibleWords(refused.text)).toContain('What Board saved at');
    expect(staleRows(refused.text)).toEqual([['Figure for March 2025', '40', '55']]);
    // What was typed is kept; nothing of it saved.
    expect(refused.text).toContain('value="55"');
    const values = await database.db
      .select()
      .from(commitmentValues)
      .where(eq(commitmentValues.commitmentId, commitmentId));
    expect(values.map((v) => [v.month, v.value])).toEqual([['2025-03', 40]]);
    // Another month from the same page is no conflict: nobody has entered it.
    await enter(second, b, { month: '2025-02', value: '35', n: '20' }).expect(303);
    // Saving again from the refused page (it carries the figures' version now) is a choice, and goes through.
    await enter(
      second,
      { ...b, valuesVersion: hidden(refused.text, 'valuesVersion') },
      { month: '2025-03', value: '55' },
    ).expect(303);
    const [march] = await database.db
      .select()
      .from(commitmentValues)
      .where(and(eq(commitmentValues.commitmentId, commitmentId), eq(commitmentValues.month, '2025-03')));
    expect(march).toMatchObject({ value: 55, n: null });
  });

  it('removing an objective someone else changed since the page was opened', async () => {
    const overview = (await first.get('/improvement-plan').expect(200)).text;
    const removeForm = new RegExp(
      `action="/improvement-plan/objectives/${objectiveId}/delete"[\\s\\S]*?name="version" value="(\\d+)"`,
    ).exec(overview)![1]!;
    const path = `/improvement-plan/objectives/${objectiveId}`;
    const b = await open(second, `${path}/edit`);
    await save(second, path, b, {
      text: 'Every plan on time, and good',
      'horizon-day': '31',
      'horizon-month': '3',
      'horizon-year': '2031',
    }).expect(303);
    const refused = await first
      .post(`${path}/delete`)
      .type('form')
      .send({ _csrf: csrfFrom(overview), version: removeForm });
    expect(refused.status).toBe(409);
    expect(visibleWords(refused.text)).toContain(
      'Someone else changed this objective while you had this page open, so it was not removed',
    );
    expect(staleRows(refused.text)).toEqual([
      ['Objective', 'Every plan on time, and good', 'Removed'],
      ['To be met by', '31 March 2031', 'Removed'],
    ]);
    expect(await database.db.select().from(planObjectives).where(eq(planObjectives.id, objectiveId))).toHaveLength(1);
    // Removing it again from the refused page, having seen the change, goes through.
    await first
      .post(`${path}/delete`)
      .type('form')
      .send({ _csrf: csrfFrom(refused.text), version: hidden(refused.text, 'version') })
      .expect(303);
    expect(await database.db.select().from(planObjectives).where(eq(planObjectives.id, objectiveId))).toHaveLength(0);
  });

  it('removing a priority area someone else changed since the page was opened', async () => {
    const path = `/improvement-plan/priorities/${priorityId}`;
    const a = await open(first, `${path}/edit`);
    const b = await open(second, `${path}/edit`);
    await save(second, path, b, { title: 'Timeliness first', description: '' }).expect(303);
    const refused = await save(first, `${path}/delete`, a, {});
    expect(refused.status).toBe(409);
    expect(visibleWords(refused.text)).toContain('so it was not removed');
    expect(staleRows(refused.text)).toEqual([
      ['Priority area', 'Timeliness first', 'Removed'],
      ['Description', 'Blank', 'Removed'],
    ]);
    // Seen: removing again meets the next rule, a priority area with a commitment under it stays.
    const again = await save(first, `${path}/delete`, { csrf: a.csrf, version: hidden(refused.text, 'version') }, {});
    expect(again.status).toBe(400);
    expect(again.text).toContain('This priority area has commitments under it');
    expect(await database.db.select().from(planPriorities).where(eq(planPriorities.id, priorityId))).toHaveLength(1);
  });
});
