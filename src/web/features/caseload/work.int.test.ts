/**
 * The caseload holds annual reviews as well as new requests (issue 28): every process by its next deadline, overdue
 * first, filtered by process; managers see the review pipeline by month and each caseworker's load weighted by
 * process. "Today" is Tuesday 1 April 2025 (TEST_NOW).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { assessmentRequests, auditLog, children, plans } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];
const planIds: Record<string, string> = {};

/** A plan of LA `laCode` with its review dates as the review service keeps them. */
async function plan(
  laCode: string,
  key: string,
  caseworkerId: string | null,
  status: string,
  reviewDueDate: string,
  reviewNextDue: string,
) {
  const [child] = await database.db
    .insert(children)
    .values({ laCode, reference: `${laCode}-W${key}`, givenName: key, familyName: 'Work', dateOfBirth: '2014-01-01' })
    .returning({ id: children.id });
  const [p] = await database.db
    .insert(plans)
    .values({
      laCode,
      childId: child!.id,
      status,
      firstIssuedDate: '2024-03-01',
      caseworkerId,
      reviewDueDate,
      reviewDueRule: 'cfa_s44_1',
      reviewNextDuty: 'complete_annual_review',
      reviewNextDue,
    })
    .returning({ id: plans.id });
  planIds[key] = p!.id;
}

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
  // Ann's review was due on 28 Feb 2025 (12 months starting with 1 Mar 2024, CFA s.44(1), P7): overdue.
  await plan('999', 'Ann', fixture.users.caseworker!.id, 'active', '2025-02-28', '2025-02-28');
  // Cem's is due 9 May 2025, within the 8 weeks a review counts in the load; Dot's 20 Sep 2025, later.
  await plan('999', 'Cem', fixture.users.caseworker2!.id, 'active', '2025-05-09', '2025-05-09');
  await plan('999', 'Dot', fixture.users.caseworker2!.id, 'active', '2025-09-20', '2025-09-20');
  // A ceased plan is not reviewed; another LA's plan is never shown.
  await plan('999', 'Eve', fixture.users.caseworker!.id, 'ceased', '2025-01-10', '2025-01-10');
  await plan('998', 'Oli', null, 'active', '2025-01-05', '2025-01-05');
});
afterAll(async () => {
  await database.close();
});

const email = (key: string) => fixture.users[key]!.email;
/** The list's rows: the link, and the next deadline's date as the page states it. */
const rows = (html: string) =>
  [...html.matchAll(/href="\/(cases|reviews)\/([0-9a-f-]{36})">([^<]+)<\/a>/g)].map((m) => ({
    process: m[1] === 'cases' ? 'request' : 'review',
    id: m[2]!,
    name: m[3]!,
  }));

describe('the caseload across processes', () => {
  it('lists new requests and annual reviews together by next deadline, overdue first', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/cases?view=all&process=all').expect(200);
    // 25 a page: the second page follows on from the first.
    const second = await agent.get('/cases?view=all&process=all&page=2').expect(200);
    const listed = [...rows(res.text), ...rows(second.text)];
    const open = await database.db
      .select({ id: assessmentRequests.id, due: assessmentRequests.nextDueDate })
      .from(assessmentRequests)
      .where(and(eq(assessmentRequests.laCode, '999'), eq(assessmentRequests.open, true)));
    const dueOf = new Map<string, string | null>([
      ...open.map((r) => [r.id, r.due] as const),
      [planIds.Ann!, '2025-02-28'],
      [planIds.Cem!, '2025-05-09'],
      [planIds.Dot!, '2025-09-20'],
    ]);
    // Every open request and every maintained plan, none of the ceased plan or the other LA's.
    expect(listed.map((r) => r.id).sort()).toEqual([...dueOf.keys()].sort());
    const dues = listed.map((r) => dueOf.get(r.id) ?? '9999');
    expect(dues).toEqual([...dues].sort());
    expect(listed.filter((r) => r.process === 'review').map((r) => r.name)).toEqual([
      'Work, Ann',
      'Work, Cem',
      'Work, Dot',
    ]);
    const text = pageText(res.text);
    expect(text).toMatch(/Work, Ann\s+\S+\s+Annual review\s+Complete the annual review, 28 February 2025\s+Overdue/);
    const overdue = open.filter((r) => r.due !== null && r.due < '2025-04-01').length + 1;
    expect(res.text).toMatch(new RegExp(`id="count-overdue">${overdue}</span> with a deadline overdue`));
    expect(res.text).toMatch(new RegExp(`id="count-request">${open.length}</span> open requests`));
    expect(res.text).toMatch(/id="count-review">3<\/span> plans to review/);
  });

  it('filters by process: annual reviews only, and a caseworker’s own work only', async () => {
    const manager = await signedIn(app, email('manager'));
    const reviews = rows((await manager.get('/cases?view=all&process=review').expect(200)).text);
    expect(reviews.map((r) => [r.process, r.name])).toEqual([
      ['review', 'Work, Ann'],
      ['review', 'Work, Cem'],
      ['review', 'Work, Dot'],
    ]);
    const caseworker = await signedIn(app, email('caseworker'));
    const mine = rows((await caseworker.get('/cases?process=all').expect(200)).text);
    const own = await database.db
      .select({ id: assessmentRequests.id })
      .from(assessmentRequests)
      .where(
        and(
          eq(assessmentRequests.laCode, '999'),
          eq(assessmentRequests.open, true),
          eq(assessmentRequests.caseworkerId, fixture.users.caseworker!.id),
        ),
      );
    expect(new Set(mine.map((r) => r.id))).toEqual(new Set([...own.map((r) => r.id), planIds.Ann!]));
    // The new requests' list is as it was, with the way to the other processes.
    const requests = await caseworker.get('/cases').expect(200);
    expect(requests.text).toContain('href="/cases?view=mine&amp;process=review"');
  });

  it('refuses an unknown process with a message, and audits each list with the children shown', async () => {
    const agent = await signedIn(app, email('manager'));
    const bad = await agent.get('/cases?process=tribunal').expect(400);
    expect(pageText(bad.text)).toContain(
      'Process must be "request" (new requests), "review" (annual reviews) or "all"',
    );
    await agent.get('/cases?view=all&process=review').expect(200);
    const audits = await database.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'caseload'), eq(auditLog.userId, fixture.users.manager!.id)));
    const last = audits.at(-1)!.detail as { process: string; childIds: string[] };
    expect(last.process).toBe('review');
    expect(last.childIds).toHaveLength(3);
  });

  it('shows managers the review pipeline by month and each caseworker’s load weighted by process, with the weights', async () => {
    const agent = await signedIn(app, email('manager'));
    const res = await agent.get('/caseload/caseworkers').expect(200);
    const text = pageText(res.text);
    // Overdue now: Ann. April 2025 to March 2026: Cem in May, Dot in September.
    expect(text).toMatch(/Overdue now\s+1\s+April 2025\s+0\s+May 2025\s+1\s+June 2025\s+0/);
    expect(text).toMatch(/September 2025\s+1\s+October 2025\s+0/);
    expect(text).toContain('March 2026');
    expect(text).not.toContain('April 2026');
    // Caseworker2's review being run: Cem (due within 8 weeks); Dot's is later and does not count yet.
    const row = new RegExp(`Caseworker2</a></th>((?:\\s*<td[^>]*>[^<]*</td>){5})`).exec(res.text)![1]!;
    const cells = [...row.matchAll(/>([^<]*)</g)].map((m) => m[1]!.trim()).filter(Boolean);
    expect(cells[3]).toBe('1');
    const openRequests = Number(cells[1]);
    expect(Number(cells[4])).toBeGreaterThanOrEqual(openRequests + 1);
    expect(text).toContain('An annual review counts 1 while it is being run');
    expect(text).toMatch(/Annual review \(while being run\)\s+1/);
    const caseworker = await signedIn(app, email('caseworker'));
    expect((await caseworker.get('/caseload/caseworkers')).status).toBe(403);
  });
});
