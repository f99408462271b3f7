/**
 * The measures as managers, the board and the public use them. "Today" is 1 April 2025, so the measures run to the
 * end of March 2025. LA 999 has 6 plans issued in March (4 within 20 weeks = 140 days, 2 not) and 3 in February
 * (all within); LA 998 has one in March, which must never appear in 999's figures.
 */
import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import {
  adviceRequests,
  assessmentRequests,
  auditLog,
  caseEvents,
  children,
  planReviews,
  plans,
} from '../../../data/schema.js';
import type { Services } from '../../../services/index.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
let services: Services;

async function addPlan(
  laCode: string,
  key: string,
  received: string,
  issued: string,
  need: string,
  exceptionReason: string | null = null,
  caseworkerId: string | null = null,
) {
  const [c] = await database.db
    .insert(children)
    .values({
      laCode,
      reference: `C-plan-${key}`,
      givenName: `Given${key}`,
      familyName: `Family${key}`,
      dateOfBirth: '2014-09-01',
      primaryNeed: need,
    })
    .returning({ id: children.id });
  await database.db.insert(assessmentRequests).values({
    laCode,
    childId: c!.id,
    reference: `R-plan-${key}`,
    receivedDate: received,
    stage: 'final_plan_issued',
    open: false,
    finalIssuedDate: issued,
    closedDate: issued,
    team: 'North area',
    exceptionReason,
    caseworkerId,
  });
}

beforeAll(async () => {
  ({ database, fixture, app, services } = await setUpIntegration());
  // March 2025: 140 days (on time) x3 and 98 days x1; 141 days (late) x2. Needs: ASD x4, SEMH x2.
  // m1 and m5 are Caseworker2's; the others have no caseworker.
  await addPlan('999', 'm1', '2024-10-21', '2025-03-10', 'ASD', null, fixture.users.caseworker2!.id);
  await addPlan('999', 'm2', '2024-10-22', '2025-03-11', 'ASD');
  await addPlan('999', 'm3', '2024-10-23', '2025-03-12', 'ASD');
  await addPlan('999', 'm4', '2024-12-02', '2025-03-10', 'ASD');
  // m5 is late with an exception to the 20-week duty (reg 10(4)(c)).
  await addPlan('999', 'm5', '2024-10-20', '2025-03-10', 'SEMH', 'reg10_4_c', fixture.users.caseworker2!.id);
  await addPlan('999', 'm6', '2024-10-21', '2025-03-11', 'SEMH');
  // February 2025: three plans, all on time.
  await addPlan('999', 'f1', '2024-11-04', '2025-02-10', 'ASD');
  await addPlan('999', 'f2', '2024-11-05', '2025-02-11', 'MLD');
  await addPlan('999', 'f3', '2024-11-06', '2025-02-12', 'MLD');
  // Another LA.
  await addPlan('998', 'o1', '2024-10-01', '2025-03-03', 'ASD');
  await services.measures.refresh();
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;
const csvRows = (text: string): string[][] => parse(text).slice(1);

describe('the measures dashboard', () => {
  it('shows each measure with its latest figure, variation and chart, from this LA only', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/measures').expect(200);
    // Latest month March 2025: 4 of 6 within 20 weeks including exceptions (66.7%); 6 plans issued, not 7.
    const row = (title: string) => {
      const m = new RegExp(`>${title}</a></th>\\s*<td[^>]*>([^<]+)<`).exec(res.text);
      if (!m) throw new Error(`no row ${title}`);
      return m[1]!.trim();
    };
    expect(row('New EHC plans issued within 20 weeks, including exceptions')).toBe('66.7%');
    expect(row('New EHC plans issued')).toBe('6');
    expect(res.text).toContain('to the end of March 2025');
    expect(res.text).toMatch(/<svg class="app-spc"[^>]*role="img"/);
    expect(res.text).toContain('<title id="chart-plans_issued-title">New EHC plans issued</title>');
  });

  it('P11, P12: the exception rate (1 of 6 in March) beside the 20-week figure excluding exceptions (4 of 5)', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/measures').expect(200);
    const row = (title: string) => new RegExp(`>${title}</a></th>\\s*<td[^>]*>([^<]+)<`).exec(res.text)?.[1]?.trim();
    expect(row('New EHC plans issued with an exception to the 20-week limit')).toBe('16.7%');
    expect(row('New EHC plans issued within 20 weeks, excluding exceptions')).toBe('80%');
    // The two charts share a row of the page, in halves.
    const pair = res.text
      .split('<div class="govuk-grid-row">')
      .find((r) => r.includes('id="plans_with_20_week_exception"'));
    expect(pair).toContain('id="plans_within_20_weeks_excl"');
    expect(pair!.match(/govuk-grid-column-one-half/g)).toHaveLength(2);
    const definition = await supertest(app).get('/performance/measures/plans_with_20_week_exception').expect(200);
    expect(definition.text).toContain('Neither higher nor lower is better in itself. An exception is lawful');
    // Published: the same pair on the public page.
    const published = await supertest(app).get('/performance/999').expect(200);
    const publicPair = published.text
      .split('<div class="govuk-grid-row">')
      .find((r) => r.includes('id="plans_with_20_week_exception"'));
    expect(publicPair).toContain('id="plans_within_20_weeks_excl"');
  });

  it('issue 22: the exception rate by caseworker, named, for signed-in staff only (never in the open data)', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/measures/plans_with_20_week_exception?breakdown=caseworker').expect(200);
    const text = pageText(res.text);
    // March 2025: Caseworker2 issued m1 and m5, m5 with an exception: 1 of 2. The other four plans had no caseworker.
    expect(text).toContain('New EHC plans issued with an exception to the 20-week limit: Caseworker2');
    expect(text).toContain('New EHC plans issued with an exception to the 20-week limit: No caseworker');
    expect(res.text).toMatch(/March 2025<\/th>\s*<td[^>]*>50%<\/td>\s*<td[^>]*>2<\/td>/);
    // The public definition says the breakdown is for staff; the open data and the public page have none of it.
    const definition = await supertest(app).get('/performance/measures/plans_with_20_week_exception').expect(200);
    expect(pageText(definition.text)).toContain('Caseworker (signed-in staff only)');
    const csv = await supertest(app).get('/performance/999/data.csv').expect(200);
    expect(csvRows(csv.text).length).toBeGreaterThan(0);
    expect(csv.text).not.toContain(fixture.users.caseworker2!.id);
    expect(csv.text.toLowerCase()).not.toContain('caseworker');
  });

  it('shows a measure month by month with n, and its breakdown by need', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/measures/plans_within_20_weeks_incl').expect(200);
    expect(res.text).toMatch(/March 2025<\/th>\s*<td[^>]*>66\.7%<\/td>\s*<td[^>]*>6<\/td>/);
    expect(res.text).toMatch(/February 2025<\/th>\s*<td[^>]*>100%<\/td>\s*<td[^>]*>3<\/td>/);
    // Two months of figures: the limits are trial limits, and the page says so.
    expect(res.text).toContain('The limits are trial limits');
    const byNeed = await agent.get('/measures/plans_within_20_weeks_incl?breakdown=need').expect(200);
    expect(byNeed.text).toContain(
      'New EHC plans issued within 20 weeks, including exceptions: Autistic spectrum disorder',
    );
    // SEMH in March: both late (141 days).
    expect(byNeed.text).toMatch(/Social, emotional and mental health<\/h3>\s*<p class="govuk-body">Latest: 0%/);
  });

  it('answers an unknown breakdown with 400 and a message, an unknown measure with 404', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/measures/plans_issued?breakdown=postcode').expect(400);
    expect(res.text).toContain('There is no breakdown called “postcode” for this measure');
    await agent.get('/measures/plans_per_postcode').expect(404);
  });

  it('is for managers, QA and the board; caseworkers, parents and admins are refused; signed out goes to sign in', async () => {
    for (const who of ['manager', 'qa', 'board']) {
      await (await signedIn(app, email(who))).get('/measures').expect(200);
    }
    for (const who of ['caseworker', 'advice', 'admin']) {
      await (await signedIn(app, email(who))).get('/measures').expect(403);
    }
    const res = await supertest(app).get('/measures').expect(303);
    expect(res.headers.location).toMatch(/^\/sign-in/);
  });

  it('writes an audit record for each view', async () => {
    const agent = await signedIn(app, email('board'));
    await agent.get('/measures/plans_issued?breakdown=team').expect(200);
    const rows = await database.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.userId, fixture.users.board!.id), eq(auditLog.entityType, 'measures')));
    expect(rows.map((r) => r.detail)).toContainEqual({ view: 'measure', measure: 'plans_issued', dimension: 'team' });
  });
});

describe('targets', () => {
  const post = async (agent: Awaited<ReturnType<typeof signedIn>>, measure: string, form: Record<string, string>) => {
    const page = await agent.get(`/measures/${measure}`);
    return agent
      .post(`/measures/${measure}/target`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...form });
  };

  it('a manager sets a target: drawn on the chart and judged by the assurance icon, and audited', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await post(agent, 'plans_within_20_weeks_excl', { target: '60', version: '0', action: 'save' });
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location as string).expect(200);
    expect(page.text).toContain('Target saved: 60%');
    expect(page.text).toContain('class="app-spc__target"');
    // February 100% and March 66.7%: mean 83.3%, limits 83.3 +/- 2.66 x 33.3, which 60 lies within: hit and miss.
    expect(page.text).toContain('Hit and miss: sometimes meets the target');
    const dashboard = await agent.get('/measures').expect(200);
    expect(dashboard.text).toContain('Hit and miss: sometimes meets the target');
    const audit = await database.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'measure_target'), eq(auditLog.entityId, 'plans_within_20_weeks_excl')));
    expect(audit.map((a) => a.detail)).toContainEqual({ from: null, to: 60, reason: '' });
    expect(page.text).toContain('Target set at 60%');
  });

  it('refuses what is not a target, keeping what was typed', async () => {
    const agent = await signedIn(app, email('manager'));
    for (const [typed, message] of [
      ['sixty', 'Target must be a number, like 60 or 62.5'],
      ['', 'Enter a target'],
      ['150', 'Target must be a percentage from 0 to 100'],
    ]) {
      const res = await post(agent, 'decided_within_6_weeks', { target: typed!, version: '0', action: 'save' });
      expect(res.status).toBe(400);
      expect(res.text).toContain(message);
      expect(res.text).toContain('There is a problem');
      if (typed) expect(res.text).toContain(`value="${typed}"`);
    }
    const neutral = await post(agent, 'plans_issued', { target: '100', version: '0', action: 'save' });
    expect(neutral.status).toBe(400);
    expect(neutral.text).toContain('has no target');
  });

  it('a form opened before someone else changed the target is refused, and says what they set', async () => {
    const first = await signedIn(app, email('manager'));
    const opened = await first.get('/measures/decided_within_6_weeks');
    expect((await post(first, 'decided_within_6_weeks', { target: '90', version: '0', action: 'save' })).status).toBe(
      303,
    );
    const stale = await first
      .post('/measures/decided_within_6_weeks/target')
      .type('form')
      .send({ _csrf: csrfFrom(opened.text), target: '95', version: '0', action: 'save' });
    // A stale form, as every edit form: 409, the other change beside this one, who made it and when.
    expect(stale.status).toBe(409);
    const text = stale.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Someone else changed the target while you had this page open, so yours was not saved');
    expect(text).toContain('What Manager saved at');
    expect(text).toMatch(/Target 90% 95%/);
    expect(stale.text).toContain('value="95"');
    const page = await first.get('/measures/decided_within_6_weeks');
    expect(page.text).toContain('value="90"');
    // Removing it with the current version works, given a reason.
    const removed = await post(first, 'decided_within_6_weeks', {
      target: '',
      version: '1',
      action: 'remove',
      reason: 'Met for a year: no longer a priority',
    });
    expect(removed.status).toBe(303);
    expect((await first.get('/measures/decided_within_6_weeks')).text).not.toContain('class="app-spc__target"');
  });

  it('keeps every change with its reason, shows it here and on the public page, and the database keeps it for good', async () => {
    const agent = await signedIn(app, email('manager'));
    await post(agent, 'waiting_over_20_weeks', { target: '50', version: '0', action: 'save', reason: '' });
    // The public page's chart draws the target; viewed now, and again after the change below, it shows each in turn
    // (its series are kept between views until a target changes or the figures are refreshed).
    expect((await supertest(app).get('/performance/999').expect(200)).text).toContain('Target 50<');
    const noReason = await post(agent, 'waiting_over_20_weeks', {
      target: '80',
      version: '1',
      action: 'save',
      reason: ' ',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Give a reason for changing the target');
    const changed = await post(agent, 'waiting_over_20_weeks', {
      target: '80',
      version: '1',
      action: 'save',
      reason: 'More requests than planned for',
    });
    expect(changed.status).toBe(303);
    const page = await agent.get('/measures/waiting_over_20_weeks').expect(200);
    expect(page.text).toMatch(
      /Target changed from 50 to 80 on [^<]+ by Manager\. <span class="govuk-body-s">Reason: More requests than planned for/,
    );
    expect(page.text).toContain('Target set at 50');
    const publicPage = await supertest(app).get('/performance/999').expect(200);
    expect(publicPage.text).toContain('Target changed from 50 to 80');
    expect(publicPage.text).toContain('Target 80<');
    expect(publicPage.text).not.toContain('Target 50<');
    expect(publicPage.text).not.toContain('by Manager');
    // The history cannot be rewritten, even by someone with the database.
    await expect(database.db.execute(sql`update measure_target_history set to_target = 50`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from measure_target_history`)).rejects.toThrow();
  });

  it('is for managers only', async () => {
    const board = await signedIn(app, email('board'));
    const page = await board.get('/measures/plans_within_20_weeks_excl').expect(200);
    expect(page.text).not.toContain('Save target');
    await board
      .post('/measures/plans_within_20_weeks_excl/target')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), target: '10', version: '1', action: 'save' })
      .expect(403);
  });
});

describe('the public page', () => {
  it('needs no sign-in and shows the headline measures with their charts and method', async () => {
    const res = await supertest(app).get('/performance/999').expect(200);
    expect(res.text).toContain('Demo County Council');
    expect(res.text).toContain('New EHC plans issued within 20 weeks, excluding exceptions');
    expect(res.text).toMatch(/<svg class="app-spc"/);
    expect(res.text).toContain('How to read these figures');
    expect(res.text).toContain('Last updated');
    const index = await supertest(app).get('/performance').expect(200);
    expect(index.text).toContain('href="/performance/999"');
  });

  it('hides figures from 1 to 4 children as "c": February (3 plans) is hidden, March (6) is shown', async () => {
    const res = await supertest(app).get('/performance/999').expect(200);
    const table = res.text.slice(res.text.indexOf('id="figures-plans_issued"'));
    expect(table).toMatch(/March 2025<\/th>\s*<td[^>]*>6<\/td>/);
    expect(table).toMatch(/February 2025<\/th>\s*<td[^>]*>c<sup>\*<\/sup><\/td>/);
    // March's 20-week percentage: 4 of 6 within (4 is small) and 2 not (small too): hidden, out of 6 children shown.
    const rate = res.text.slice(res.text.indexOf('id="figures-plans_within_20_weeks_incl"'));
    expect(rate).toMatch(/March 2025<\/th>\s*<td[^>]*>c<sup>\*<\/sup><\/td>\s*<td[^>]*>6<\/td>/);
    expect(res.text).toContain('href="/performance/measures/plans_within_20_weeks_excl#hidden-figures"');
  });

  it('shows nothing about any child: no names, no references', async () => {
    const res = await supertest(app).get('/performance/999').expect(200);
    const csv = await supertest(app).get('/performance/999/data.csv').expect(200);
    for (const text of [res.text, csv.text]) {
      expect(text).not.toMatch(/Given(m|f)\d|Family(m|f)\d|C-plan|R-plan|Abbott|Ada\b/);
    }
  });

  it('offers open data as tidy CSV: one row per measure, month and breakdown, hidden figures as c', async () => {
    const res = await supertest(app).get('/performance/999/data.csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text.split('\n')[0]).toBe(
      'la_code,la_name,measure,measure_title,month,breakdown,category,numerator,denominator,value,unit,suppressed',
    );
    const rows = csvRows(res.text);
    const find = (measure: string, month: string, breakdown: string, category: string) =>
      rows.find((r) => r[2] === measure && r[4] === month && r[5] === breakdown && r[6] === category);
    // DfE's symbols: c hidden (the last column says why), z not applicable (a count has no denominator).
    expect(find('plans_issued', '2025-03', 'all', 'all')?.slice(7)).toEqual(['6', 'z', '6', 'plans', '']);
    expect(find('plans_issued', '2025-02', 'all', 'all')?.slice(7)).toEqual(['c', 'z', 'c', 'plans', 'small_number']);
    // "4 of 6" would give the 4 (and the 2 not within) away: the percentage and numerator are hidden, the 6 shown.
    expect(find('plans_within_20_weeks_incl', '2025-03', 'all', 'all')?.slice(7, 10)).toEqual(['c', '6', 'c']);
    // A median has no numerator; February's, from 3 plans, is hidden with its n.
    expect(find('median_weeks_to_plan', '2025-02', 'all', 'all')?.slice(7, 10)).toEqual(['z', 'c', 'c']);
    // No count or n published is 1 to 4 (0 is published: it identifies nobody).
    for (const r of rows) {
      for (const cell of [r[7], r[8]])
        if (/^\d+$/.test(cell!)) expect(Number(cell) === 0 || Number(cell) >= 5).toBe(true);
    }
  });

  it('never leaves a single hidden cell in a breakdown, which the total would give away', async () => {
    const res = await supertest(app).get('/performance/999/data.csv').expect(200);
    const rows = res.text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const groups = new Map<string, string[][]>();
    for (const r of rows) {
      if (r[5] === 'all') continue;
      const key = `${r[2]}|${r[4]}|${r[5]}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    let checked = 0;
    for (const [key, members] of groups) {
      const [measure, month] = key.split('|');
      const total = rows.find((r) => r[2] === measure && r[4] === month && r[5] === 'all');
      const hidden = members.filter((r) => r[11] !== '').length;
      if (total?.[11] === '' && hidden > 0) {
        checked++;
        expect(hidden, key).toBeGreaterThanOrEqual(2);
      }
    }
    // March's plans by need: SEMH (2) is hidden, so ASD (4, also small) is too; the check above is not empty.
    expect(checked).toBeGreaterThan(0);
  });

  it('is not found for an LA that does not exist', async () => {
    await supertest(app).get('/performance/123').expect(404);
    await supertest(app).get('/performance/123/data.csv').expect(404);
  });
});

describe('families and professionals taking part, on the dashboard (issue 27)', () => {
  it('shows the share of advice given online, its timeliness by provider, and families who commented on the draft in time', async () => {
    const requestOf = async (laCode: string, key: string) => {
      const [r] = await database.db
        .select({ id: assessmentRequests.id, childId: assessmentRequests.childId })
        .from(assessmentRequests)
        .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.reference, `R-plan-${key}`)));
      return r!;
    };
    const event = async (laCode: string, key: string, type: string, occurredOn: string, data: object) => {
      const r = await requestOf(laCode, key);
      await database.db
        .insert(caseEvents)
        .values({ laCode, childId: r.childId, requestId: r.id, type, occurredOn, data });
    };
    // m1: posted first class on Thursday 20 February 2025, served the 2nd working day after (Monday 24 February, rule
    // P4); the 15 days end 10 March (P3). The family's online comments on 7 March count.
    await event('999', 'm1', 'draft_served', '2025-02-20', { method: 'first_class_post' });
    await event('999', 'm1', 'family_representations', '2025-03-07', { source: 'family_online' });
    // m2: emailed 24 February, ending 10 March, no comments. m3: emailed 26 February, ending 12 March; comments on
    // 13 March are late.
    await event('999', 'm2', 'draft_served', '2025-02-24', { method: 'email' });
    await event('999', 'm3', 'draft_served', '2025-02-26', { method: 'email' });
    await event('999', 'm3', 'family_representations', '2025-03-13', {});
    // Another LA's draft and comments never count in 999's.
    await event('998', 'o1', 'draft_served', '2025-02-20', { method: 'email' });
    await event('998', 'o1', 'family_representations', '2025-02-25', {});
    // Advice received in March on m4's request: the EP's online in 44 days (late: reg 8(1) gives 42), the school's
    // as a document in 31.
    const m4 = await requestOf('999', 'm4');
    await database.db.insert(adviceRequests).values([
      {
        laCode: '999',
        requestId: m4.id,
        adviceType: 'educational_psychology',
        provider: 'County EPS',
        requestedDate: '2025-01-20',
        receivedDate: '2025-03-05',
        content: { B: [], E: [], F: [] },
        submittedBy: fixture.users.advice!.id,
        submittedAt: new Date('2025-03-05T10:00:00Z'),
      },
      {
        laCode: '999',
        requestId: m4.id,
        adviceType: 'education_setting',
        provider: 'Hill Primary',
        requestedDate: '2025-02-03',
        receivedDate: '2025-03-06',
      },
    ]);
    await services.measures.refresh();
    const agent = await signedIn(app, email('manager'));
    const dashboard = pageText((await agent.get('/measures').expect(200)).text);
    expect(dashboard).toMatch(/Families who commented on the draft plan within 15 days\s+33\.3%\s+March 2025/);
    expect(dashboard).toMatch(/Advice given online\s+50%\s+March 2025/);
    expect(dashboard).toMatch(/Advice given online within 6 weeks\s+0%\s+March 2025/);
    const families = await agent.get('/measures/families_commented_on_draft').expect(200);
    expect(families.text).toMatch(/March 2025<\/th>\s*<td[^>]*>33\.3%<\/td>\s*<td[^>]*>3<\/td>/);
    const byProvider = pageText(
      (await agent.get('/measures/online_advice_within_6_weeks?breakdown=provider').expect(200)).text,
    );
    expect(byProvider).toContain('Advice given online within 6 weeks: County EPS');
    expect(byProvider).not.toContain('Hill Primary');
    // Each table says what its n counts: pieces of advice are not children, nor are caseworkers.
    const advice = pageText((await agent.get('/measures/advice_given_online').expect(200)).text);
    expect(advice).toContain('Number of pieces of advice (n)');
    expect(advice).not.toContain('Number of children (n)');
    const perCaseworker = pageText((await agent.get('/measures/caseload_per_caseworker').expect(200)).text);
    expect(perCaseworker).toContain('Number of caseworkers (n)');
    expect(pageText(families.text)).toContain('Number of children (n)');
  });
});

describe('annual reviews on the dashboard and the public page (issue 28)', () => {
  /** A plan of `laCode` issued on `issued`, with its recorded review cycle (completed) if given. */
  async function reviewedPlan(
    laCode: string,
    key: string,
    issued: string,
    review: {
      cycleStart: string;
      meetingHeldDate: string;
      decisionDate: string;
      decision: string;
      outcome?: string;
      outcomeDate?: string;
    } | null,
  ) {
    const [c] = await database.db
      .insert(children)
      .values({
        laCode,
        reference: `C-review-${key}`,
        givenName: `Given${key}`,
        familyName: `Family${key}`,
        dateOfBirth: '2012-09-01',
        primaryNeed: 'ASD',
      })
      .returning({ id: children.id });
    const [p] = await database.db
      .insert(plans)
      .values({
        laCode,
        childId: c!.id,
        status: 'active',
        firstIssuedDate: issued,
        lastReviewDate: review?.decisionDate ?? null,
      })
      .returning({ id: plans.id });
    if (review) {
      await database.db.insert(planReviews).values({
        laCode,
        planId: p!.id,
        childId: c!.id,
        status: 'completed',
        completedDate: review.outcomeDate ?? review.decisionDate,
        ...review,
      });
    }
  }

  it('reviews within 12 months (by the due month), decisions within 4 weeks, amended plans within 12 weeks', async () => {
    const done = (cycleStart: string, meetingHeldDate: string, decisionDate: string) => ({
      cycleStart,
      meetingHeldDate,
      decisionDate,
      decision: 'maintain',
    });
    // Due in March 2025 (12 months starting with the cycle's first day, CFA s.44(1), P7): r1 to r4 decided by then,
    // r5 (due 4 March, decided 20 March) late, r6 (due 9 March, nothing recorded) late: 4 of 6.
    // Decisions in March: 19, 28, 30, 7 and 34 days after the meeting: 3 of 5 within 4 weeks (reg 20(10)).
    await reviewedPlan('999', 'r1', '2023-03-03', done('2024-03-03', '2025-02-10', '2025-03-01'));
    await reviewedPlan('999', 'r2', '2023-03-10', done('2024-03-10', '2025-02-07', '2025-03-07'));
    await reviewedPlan('999', 'r3', '2023-03-17', done('2024-03-17', '2025-02-10', '2025-03-12'));
    await reviewedPlan('999', 'r4', '2023-03-24', done('2024-03-24', '2025-03-03', '2025-03-10'));
    await reviewedPlan('999', 'r5', '2023-03-05', done('2024-03-05', '2025-02-14', '2025-03-20'));
    await reviewedPlan('999', 'r6', '2024-03-10', null);
    // r7: due in April; amended plan issued 31 March, 84 days (12 weeks) after the 6 January meeting: in time.
    await reviewedPlan('999', 'r7', '2023-04-20', {
      ...done('2024-04-20', '2025-01-06', '2025-01-30'),
      decision: 'amend',
      outcome: 'amended',
      outcomeDate: '2025-03-31',
    });
    // Another LA's late review never counts in 999's.
    await reviewedPlan('998', 'o1', '2024-03-10', null);
    await services.measures.refresh();

    const agent = await signedIn(app, email('manager'));
    const dashboard = pageText((await agent.get('/measures').expect(200)).text);
    expect(dashboard).toMatch(/Annual reviews completed within 12 months\s+66\.7%\s+March 2025/);
    expect(dashboard).toMatch(/Review decisions made within 4 weeks of the meeting\s+60%\s+March 2025/);
    expect(dashboard).toMatch(/Amended plans issued within 12 weeks of the review meeting\s+100%\s+March 2025/);
    const reviews = await agent.get('/measures/reviews_within_12_months').expect(200);
    expect(reviews.text).toMatch(/March 2025<\/th>\s*<td[^>]*>66\.7%<\/td>\s*<td[^>]*>6<\/td>/);
    expect(pageText(reviews.text)).toContain('Number of reviews (n)');
    const method = pageText(
      (await supertest(app).get('/performance/measures/reviews_within_12_months').expect(200)).text,
    );
    expect(method).toContain('Children and Families Act 2014 s.44(1)');
    const decisions = await agent.get('/measures/review_decisions_within_4_weeks').expect(200);
    expect(decisions.text).toMatch(/January 2025<\/th>\s*<td[^>]*>100%<\/td>\s*<td[^>]*>1<\/td>/);
    expect(decisions.text).toMatch(/March 2025<\/th>\s*<td[^>]*>60%<\/td>\s*<td[^>]*>5<\/td>/);
    const decisionMethod = await supertest(app).get('/performance/measures/review_decisions_within_4_weeks');
    expect(pageText(decisionMethod.text)).toContain('reg 20(10)');

    // The public page: the same measures, 4 of 6 on time is hidden (4 and 2 are small numbers), the 6 shown.
    const pub = await supertest(app).get('/performance/999').expect(200);
    const table = pub.text.slice(pub.text.indexOf('id="figures-reviews_within_12_months"'));
    expect(table).toMatch(/March 2025<\/th>\s*<td[^>]*>c<sup>\*<\/sup><\/td>\s*<td[^>]*>6<\/td>/);
    expect(pub.text).toContain('id="figures-amended_plans_within_12_weeks"');
    expect(pub.text).toContain('id="figures-review_decisions_within_4_weeks"');
  });
});
