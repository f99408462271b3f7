/**
 * The administrator's retention page: the schedule and the closed cases due for deletion under it (as `openehcp
 * retention report` lists them; docs/retention.md), read-only and audited, for administrators alone.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { testApp } from '../../../../test/app.js';
import { signedIn } from '../../../../test/app.js';
import { setUpIntegration } from '../../../../test/integration.js';
import type { Fixture } from '../../../../test/fixtures.js';
import type { Database } from '../../../data/db.js';
import { assessmentRequests, auditLog, children } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];

/** A child whose only request ended without a plan (withdrawn) on `closed`. */
async function closedCase(laCode: string, reference: string, dateOfBirth: string, closed: string) {
  const [child] = await database.db
    .insert(children)
    .values({ laCode, reference, givenName: 'Old', familyName: 'Case', dateOfBirth })
    .returning({ id: children.id });
  await database.db.insert(assessmentRequests).values({
    laCode,
    childId: child!.id,
    reference: `R-${reference}`,
    receivedDate: closed,
    stage: 'withdrawn',
    open: false,
    closedDate: closed,
  });
}

beforeAll(async () => {
  // Kept 6 years from closing for a case without a plan; the default (25 years from birth) for one with a plan.
  ({ database, fixture, app } = await setUpIntegration({
    services: {
      retention: {
        case_without_plan: { from: 'closed', years: 6 },
        case_with_plan: { from: 'date_of_birth', years: 25 },
      },
    },
  }));
  // "Today" in the tests is 1 April 2025: closed on 31 March 2019 is due on 31 March 2025; a day later is not.
  await closedCase('999', 'C-OLD-DUE', '2005-01-01', '2019-03-31');
  await closedCase('999', 'C-OLD-NOTYET', '2005-01-01', '2019-04-02');
  await closedCase('998', 'C-OTHER-LA', '2005-01-01', '2010-01-01');
});
afterAll(async () => {
  await database.close();
});

describe('the retention page', () => {
  it('lists the schedule and the LA’s closed cases due for deletion today, and audits the reading', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const home = await admin.get('/admin/users').expect(200);
    expect(home.text).toContain('href="/admin/retention"');
    const page = await admin.get('/admin/retention').expect(200);
    const text = page.text
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, ' ');
    expect(text).toContain(
      'Kept for a closed case that ended without a plan (withdrawn, not assessed or not issued) 6 years from the case closed',
    );
    expect(text).toContain("Kept for a closed case whose EHC plan has ceased 25 years from the child's date of birth");
    expect(text).toContain('Due for deletion on 1 April 2025');
    expect(text).toContain('1 closed case is due for deletion');
    // Its row: reference, kind of record, closed on, due for deletion on (6 years after closing).
    expect(text).toContain(
      'C-OLD-DUE a closed case that ended without a plan (withdrawn, not assessed or not issued) 31 March 2019 31 March 2025',
    );
    // Not yet due, and another LA's: not listed. Nothing is deleted by looking.
    expect(text).not.toContain('C-OLD-NOTYET');
    expect(text).not.toContain('C-OTHER-LA');
    expect(page.text).not.toContain('<form method="post" action="/admin/retention');
    expect(await database.db.select().from(children).where(eq(children.reference, 'C-OLD-DUE'))).toHaveLength(1);
    const audited = await database.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'retention_report'), eq(auditLog.userId, fixture.users.admin!.id)));
    expect(audited).toEqual([{ detail: { asOf: '2025-04-01', due: 1 } }]);
  });

  it('is for administrators only', async () => {
    for (const role of ['caseworker', 'manager', 'data', 'board']) {
      const agent = await signedIn(app, fixture.users[role]!.email);
      await agent.get('/admin/retention').expect(403);
    }
  });
});
