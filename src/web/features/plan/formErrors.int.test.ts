/**
 * Each improvement plan form, sent with something wrong, says what is wrong in the GOV.UK error summary, in the order
 * of the page, and each link takes the person to the field at fault: the box of a date input that is at fault
 * (design-system.service.gov.uk/components/error-summary and /components/date-input). What was typed is shown again.
 */
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { errorSummary, hasElementWithId } from '../../../../test/errorSummary.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { PLAN_DETAILS_FORM } from '../../../../test/planDetails.js';
import type { Database } from '../../../data/db.js';
import { commitmentActions } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let board: TestAgent;
let commitmentId: string;
let actionId: string;

/** Opens the form at `path` and sends it to `action` with `fields`, as a browser does (its token and version). */
async function send(path: string, action: string, fields: Record<string, string>) {
  const form = await board.get(path).expect(200);
  const version = /name="version" value="(\d+)"/.exec(form.text)?.[1];
  return board
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...(version === undefined ? {} : { version }), ...fields });
}

/** Sends a form that is right: it is saved (303 to the next page). */
async function saved(path: string, action: string, fields: Record<string, string>) {
  const response = await send(path, action, fields);
  expect(response.status).toBe(303);
  return response;
}

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  board = await signedIn(app, fixture.users.board!.email);
  await saved('/improvement-plan/details', '/improvement-plan/details', PLAN_DETAILS_FORM);
  await saved('/improvement-plan/priorities/new', '/improvement-plan/priorities', { title: 'Timeliness' });
  // A draft commitment on a series entered by hand, so that its page has the form for a month's figure.
  const made = await saved('/improvement-plan/commitments/new', '/improvement-plan/commitments', {
    intent: 'draft',
    statement: 'Improve the timeliness of EHC plans',
    measureId: 'manual',
    seriesName: 'Plans issued on time',
    seriesUnit: '%',
  });
  commitmentId = /commitments\/([0-9a-f-]{36})/.exec(made.headers.location as string)![1]!;
  await saved(
    `/improvement-plan/commitments/${commitmentId}/actions/new`,
    `/improvement-plan/commitments/${commitmentId}/actions`,
    {
      title: 'Recruit two educational psychologists',
      ownerId: fixture.users.board!.id,
      'dueDate-day': '30',
      'dueDate-month': '9',
      'dueDate-year': '2025',
      status: 'not_started',
    },
  );
  actionId = (await database.db.select({ id: commitmentActions.id }).from(commitmentActions))[0]!.id;
});
afterAll(async () => {
  await database.close();
});

interface Row {
  form: string;
  /** The form's page and where it is sent. */
  path: () => string;
  action: () => string;
  fields: () => Record<string, string>;
  errors: { text: string; href: string }[];
  /** Something typed that the form shows again. */
  kept?: string;
}

const rows: Row[] = [
  {
    form: 'plan’s details',
    path: () => '/improvement-plan/details',
    action: () => '/improvement-plan/details',
    fields: () => ({ ...PLAN_DETAILS_FORM, chair: '', 'periodEnd-day': '' }),
    errors: [
      { text: 'End date must include a day', href: '#periodEnd-day' },
      { text: 'Enter the independent chair’s name', href: '#chair' },
    ],
    kept: 'Test County Council\nTest ICB',
  },
  {
    form: 'objective',
    path: () => '/improvement-plan/objectives/new',
    action: () => '/improvement-plan/objectives',
    fields: () => ({ text: 'Every plan on time', 'horizon-day': '31', 'horizon-year': '2029' }),
    errors: [{ text: 'The date it is to be met by must include a month', href: '#horizon-month' }],
    kept: 'Every plan on time',
  },
  {
    form: 'priority area',
    path: () => '/improvement-plan/priorities/new',
    action: () => '/improvement-plan/priorities',
    fields: () => ({ title: ' ', description: 'Plans issued late' }),
    errors: [{ text: 'Enter the priority area', href: '#title' }],
    kept: 'Plans issued late',
  },
  {
    form: 'commitment',
    path: () => '/improvement-plan/commitments/new',
    action: () => '/improvement-plan/commitments',
    fields: () => ({
      intent: 'draft',
      statement: 'Improve the timeliness of EHC plans',
      baselinePeriod: 'Marchuary 2025',
      baselineN: '12.5',
    }),
    errors: [
      { text: 'Baseline month must be a month, like March 2024 or 2024-03', href: '#baselinePeriod' },
      { text: 'Baseline number must be a whole number, like 120', href: '#baselineN' },
    ],
    kept: 'value="Marchuary 2025"',
  },
  {
    form: 'month’s figure',
    path: () => `/improvement-plan/commitments/${commitmentId}`,
    action: () => `/improvement-plan/commitments/${commitmentId}/values`,
    fields: () => ({ month: 'March 2025', value: 'lots' }),
    errors: [{ text: 'Value must be a number, like 60', href: '#value' }],
    kept: 'value="lots"',
  },
  {
    form: 'action',
    path: () => `/improvement-plan/commitments/${commitmentId}/actions/new`,
    action: () => `/improvement-plan/commitments/${commitmentId}/actions`,
    fields: () => ({
      title: 'Recruit a speech therapist',
      ownerId: fixture.users.board!.id,
      'dueDate-day': '30',
      'dueDate-month': '9',
      'dueDate-year': '2025',
      status: 'not_started',
      capacityChange: '2',
    }),
    errors: [
      { text: 'Choose the stage whose capacity changes', href: '#capacityStage' },
      { text: 'Enter the date the change takes effect', href: '#capacityFrom-day' },
    ],
    kept: '>Recruit a speech therapist</textarea>',
  },
  {
    form: 'action’s progress',
    path: () => `/improvement-plan/actions/${actionId}`,
    action: () => `/improvement-plan/actions/${actionId}`,
    fields: () => ({ status: 'done', evidence: '' }),
    errors: [{ text: 'Say what shows the action is done', href: '#evidence' }],
  },
];

describe('a plan form sent with something wrong links each message to the field at fault', () => {
  it.each(rows)('$form', async (row) => {
    const sent = await send(row.path(), row.action(), row.fields());
    expect(sent.status).toBe(400);
    expect(errorSummary(sent.text)).toEqual(row.errors);
    for (const { href } of row.errors) expect(hasElementWithId(sent.text, href.slice(1))).toBe(true);
    if (row.kept) expect(sent.text).toContain(row.kept);
  });
});
