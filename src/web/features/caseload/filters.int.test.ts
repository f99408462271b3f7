/**
 * The caseload as a caseworker with 150-200 cases uses it: counts of overdue and due-this-week, filters by stage,
 * caseworker and need, the team view; and a manager moving cases between caseworkers. "Today" is 1 April 2025.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { csrfFrom, signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { assessmentRequests, caseEvents, children, roleAssignments } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  // Teams and needs for the filters.
  await database.db
    .update(roleAssignments)
    .set({ team: 'North' })
    .where(eq(roleAssignments.userId, fixture.users.caseworker!.id));
  await database.db
    .update(assessmentRequests)
    .set({ team: 'North' })
    .where(eq(assessmentRequests.id, fixture.cases.ada!.requestId));
  await database.db.update(children).set({ primaryNeed: 'ASD' }).where(eq(children.id, fixture.cases.ben!.childId));
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;
const count = (html: string, label: string) => {
  const m = new RegExp(`>([\\d,]+)</span> ${label}`).exec(html);
  if (!m) throw new Error(`no count "${label}"`);
  return Number(m[1]!.replace(/,/g, ''));
};
const names = (html: string) => [...html.matchAll(/href="\/cases\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('caseload counts and filters', () => {
  it('counts open requests, those overdue and those due in the next 7 days, as the stored next duties say', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/cases?view=all').expect(200);
    const rows = await database.db
      .select({ due: assessmentRequests.nextDueDate })
      .from(assessmentRequests)
      .where(and(eq(assessmentRequests.laCode, '999'), eq(assessmentRequests.open, true)));
    expect(count(res.text, 'open')).toBe(rows.length);
    expect(count(res.text, 'with a deadline overdue')).toBe(
      rows.filter((r) => r.due !== null && r.due < '2025-04-01').length,
    );
    expect(count(res.text, 'due in the next 7 days')).toBe(
      rows.filter((r) => r.due !== null && r.due >= '2025-04-01' && r.due <= '2025-04-07').length,
    );
    // The fixture's known cases: Cal overdue since 16 Dec 2024, Ada due 7 Apr 2025.
    expect(count(res.text, 'with a deadline overdue')).toBeGreaterThanOrEqual(1);
    expect(count(res.text, 'due in the next 7 days')).toBeGreaterThanOrEqual(1);
  });

  it('filters by stage, by need and by caseworker, and says so when nothing matches', async () => {
    const agent = await signedIn(app, email('manager'));
    const byStage = await agent.get('/cases?view=all&stage=deciding_whether_to_assess').expect(200);
    expect(names(byStage.text)).toEqual(['Brown, Ben']);
    const byNeed = await agent.get('/cases?view=all&need=ASD').expect(200);
    expect(names(byNeed.text)).toEqual(['Brown, Ben']);
    const byCaseworker = await agent.get(`/cases?view=all&caseworker=${fixture.users.caseworker!.id}`).expect(200);
    expect(names(byCaseworker.text).sort()).toEqual(['Abbott, Ada', 'Brown, Ben']);
    const none = await agent.get('/cases?view=all&stage=draft_with_family&need=HI').expect(200);
    expect(none.text).toContain('There are no open requests that match the filters');
  });

  it('keeps the filters in every sort, view and page link, and the clear link drops only them', async () => {
    const agent = await signedIn(app, email('manager'));
    const cw = fixture.users.caseworker!.id;
    const res = await agent.get(
      `/cases?view=all&stage=deciding_whether_to_assess&caseworker=${cw}&need=ASD&sort=weeks&direction=desc`,
    );
    const hrefs = [...res.text.matchAll(/href="(\/cases\?[^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    const filters = `stage=deciding_whether_to_assess&caseworker=${cw}&need=ASD`;
    expect(hrefs).toContain(`/cases?view=all&${filters}&sort=child&direction=asc&page=1`);
    // The active sort's link turns it round; weeks start with the longest waits.
    expect(hrefs).toContain(`/cases?view=all&${filters}&sort=weeks&direction=asc&page=1`);
    expect(hrefs).toContain(`/cases?view=mine&${filters}&sort=weeks&direction=desc&page=1`);
    expect(hrefs).toContain('/cases?view=all&sort=weeks&direction=desc&page=1');
    for (const href of hrefs) {
      const query = new URLSearchParams(href.split('?')[1]);
      expect(query.get('view'), href).toMatch(/^(mine|team|all)$/);
      expect(
        [...query.keys()].every((k) =>
          ['view', 'stage', 'caseworker', 'need', 'sort', 'direction', 'page', 'process'].includes(k),
        ),
        href,
      ).toBe(true);
    }
  });

  it('sorts by the child’s name as it is now: a renamed child moves, and every request carries its child’s names', async () => {
    const agent = await signedIn(app, email('manager'));
    const first = async () => names((await agent.get('/cases?view=all&sort=child&direction=asc').expect(200)).text)[0];
    const last = async () => names((await agent.get('/cases?view=all&sort=child&direction=desc').expect(200)).text)[0];
    const ben = fixture.cases.ben!.childId;
    const [before] = await database.db.select().from(children).where(eq(children.id, ben));
    try {
      await database.db.update(children).set({ familyName: 'Aaronson' }).where(eq(children.id, ben));
      expect(await first()).toBe('Aaronson, Ben');
      await database.db
        .update(children)
        .set({ familyName: 'Zygmunt', givenName: 'Benedict' })
        .where(eq(children.id, ben));
      expect(await last()).toBe('Zygmunt, Benedict');
      // The copy cannot be written past: the database puts the child's names back.
      await database.db
        .update(assessmentRequests)
        .set({ childFamilyName: 'Aaaa' })
        .where(eq(assessmentRequests.childId, ben));
      expect(await last()).toBe('Zygmunt, Benedict');
    } finally {
      await database.db
        .update(children)
        .set({ familyName: before!.familyName, givenName: before!.givenName })
        .where(eq(children.id, ben));
    }
    const rows = await database.db
      .select({ copied: assessmentRequests.childFamilyName, actual: children.familyName })
      .from(assessmentRequests)
      .innerJoin(children, eq(children.id, assessmentRequests.childId));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.copied === r.actual)).toBe(true);
  });

  it('refuses unknown filter values with a message, not a crash', async () => {
    const agent = await signedIn(app, email('manager'));
    for (const q of ['stage=closed', 'need=XYZ', 'caseworker=nobody', `caseworker=${fixture.users.admin!.id}`]) {
      const res = await agent.get(`/cases?view=all&${q}`).expect(400);
      expect(res.text).toContain('There is a problem');
    }
  });

  it('shows a caseworker their team’s cases', async () => {
    const agent = await signedIn(app, email('caseworker'));
    const res = await agent.get('/cases?view=team').expect(200);
    expect(res.text).toContain('Team: North');
    expect(names(res.text)).toEqual(['Abbott, Ada']);
    const noTeam = await signedIn(app, email('caseworker2'));
    const empty = await noTeam.get('/cases?view=team').expect(200);
    expect(empty.text).toContain('you are not in a team');
  });
});

describe('managers and caseloads', () => {
  it('shows each caseworker’s open, overdue and weighted caseload', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/caseload/caseworkers').expect(200);
    // Caseworker: Ada (gathering advice, weight 1.5) and Ben (deciding whether to assess, weight 1) = 2.5; no
    // annual review being run.
    const row = res.text.split('<tr class="govuk-table__row">').find((r) => r.includes('>Caseworker</a>'))!;
    const cells = [...row.matchAll(/<td[^>]*>\s*([^<]*?)\s*<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(['North', '2', '0', '0', '2.5']);
    const caseworker = await signedIn(app, email('caseworker'));
    await caseworker.get('/caseload/caseworkers').expect(403);
  });

  it('moves a case to another caseworker, on the timeline and audited; caseworkers cannot', async () => {
    const manager = await signedIn(app, email('manager'));
    const url = `/cases/${fixture.cases.cal!.requestId}/caseworker`;
    const form = await manager.get(url).expect(200);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form.text)![1]!;
    await manager
      .post(url)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        version: field('version'),
        submissionKey: field('submissionKey'),
        caseworkerId: fixture.users.caseworker2!.id,
      })
      .expect(303);
    const [row] = await database.db
      .select()
      .from(assessmentRequests)
      .where(eq(assessmentRequests.id, fixture.cases.cal!.requestId));
    expect(row!.caseworkerId).toBe(fixture.users.caseworker2!.id);
    const events = await database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.requestId, fixture.cases.cal!.requestId), eq(caseEvents.type, 'caseworker_assigned')));
    expect(events).toHaveLength(1);
    const caseworker = await signedIn(app, email('caseworker'));
    await caseworker.get(url).expect(403);
  });
});

describe('weeks since the request', () => {
  it('P12: tags a request over 20 weeks from its 141st day, not on day 140 (20 weeks = 140 days)', async () => {
    // "Today" is 1 April 2025: 12 November 2024 is 140 days before, 11 November 2024 is 141.
    await database.db
      .update(assessmentRequests)
      .set({ receivedDate: '2024-11-12' })
      .where(eq(assessmentRequests.id, fixture.cases.ada!.requestId));
    await database.db
      .update(assessmentRequests)
      .set({ receivedDate: '2024-11-11' })
      .where(eq(assessmentRequests.id, fixture.cases.ben!.requestId));
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/cases?view=all').expect(200);
    const row = (name: string) =>
      res.text
        .split('<tr class="govuk-table__row">')
        .find((r) => r.includes(`>${name}</a>`))!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');
    expect(row('Abbott, Ada')).toMatch(/ 20 /);
    expect(row('Abbott, Ada')).not.toContain('Over 20 weeks');
    expect(row('Brown, Ben')).toContain('20 Over 20 weeks');
  });
});
