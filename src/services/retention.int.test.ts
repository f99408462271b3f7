/**
 * The retention schedule applied to the case records: closed cases past their rule are deleted whole, each deletion
 * audited by reference and rule without the child's personal data; open cases, maintained plans and cases not yet due
 * are left; the audit log keeps its rows about the deleted child and its chain still verifies.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpIntegration } from '../../test/integration.js';
import { queryRows, type Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { CASE_TABLES } from '../data/repositories/retention.js';
import {
  adviceRequests,
  assessmentRequests,
  auditLog,
  caseEvents,
  children,
  documents,
  localAuthorities,
  notifications,
  planVersions,
  plans,
  roleAssignments,
  settingConsultations,
  users,
} from '../data/schema.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import { DEFAULT_RETENTION_SCHEDULE } from '../domain/retention/schedule.js';
import { verifyAuditChain } from './auditChain.js';
import { createRetentionService } from './retention.js';

const AS_OF = '2026-12-01' as LocalDate;

let database: Database;
const ids: Record<string, string> = {};

interface CaseSpec {
  la?: string;
  dob: string;
  /** The request: closed on a date, or open. */
  request: { stage: string; closedOn: string | null };
  /** A plan issued from it, ceased on a date or maintained (null). */
  plan?: { ceasedOn: string | null };
  /** A later request, still open. */
  reopened?: boolean;
}

/** A child with a request, its advice, document, timeline, message and school consultation, and maybe a plan. */
async function addCase(key: string, spec: CaseSpec, parentId: string) {
  const { db } = database;
  const laCode = spec.la ?? '999';
  const [child] = await db
    .insert(children)
    .values({
      laCode,
      reference: `C-${key}`,
      givenName: `Given${key}`,
      familyName: `Family${key}`,
      dateOfBirth: spec.dob,
      postcode: 'ZZ9 9ZZ',
    })
    .returning({ id: children.id });
  const childId = child!.id;
  const [request] = await db
    .insert(assessmentRequests)
    .values({
      laCode,
      childId,
      reference: `R-${key}`,
      receivedDate: '2009-01-05',
      stage: spec.request.stage,
      open: spec.request.closedOn === null,
      closedDate: spec.request.closedOn,
      contactName: `Parent of ${key}`,
    })
    .returning({ id: assessmentRequests.id });
  const requestId = request!.id;
  const [doc] = await db
    .insert(documents)
    .values({
      laCode,
      childId,
      requestId,
      filename: 'advice.pdf',
      mediaType: 'application/pdf',
      sizeBytes: 4,
      sha256: '0'.repeat(64),
      content: Buffer.from('%PDF'),
    })
    .returning({ id: documents.id });
  const [advice] = await db
    .insert(adviceRequests)
    .values({
      laCode,
      requestId,
      adviceType: 'educational_psychology',
      provider: 'EP service',
      requestedDate: '2009-02-01',
      documentId: doc!.id,
    })
    .returning({ id: adviceRequests.id });
  await db.insert(notifications).values({
    laCode,
    dedupeKey: `chaser-${key}`,
    kind: 'reminder',
    requestId,
    adviceRequestId: advice!.id,
    subject: `Advice for C-${key}`,
    body: 'due soon',
    status: 'outbox',
  });
  await db.insert(settingConsultations).values({ laCode, requestId, settingName: 'A school', sentDate: '2009-04-01' });
  await db
    .insert(caseEvents)
    .values({ laCode, childId, requestId, type: 'request_received', occurredOn: '2009-01-05' });
  if (spec.plan) {
    const [plan] = await db
      .insert(plans)
      .values({
        laCode,
        childId,
        requestId,
        status: spec.plan.ceasedOn ? 'ceased' : 'active',
        firstIssuedDate: '2009-05-01',
        ceasedDate: spec.plan.ceasedOn,
      })
      .returning({ id: plans.id });
    await db.insert(planVersions).values({ laCode, planId: plan!.id, versionNo: 1, kind: 'final', content: {} });
  }
  if (spec.reopened) {
    await db.insert(assessmentRequests).values({
      laCode,
      childId,
      reference: `R-${key}-2`,
      receivedDate: '2026-10-01',
      stage: 'deciding_whether_to_assess',
    });
  }
  await db.insert(roleAssignments).values({ userId: parentId, laCode, role: 'parent', childId });
  // Someone read the case once: the audit log has a row about the child.
  await appendAudit(db, { userId: parentId, laCode, action: 'read', entityType: 'case', entityId: requestId, childId });
  ids[key] = childId;
}

beforeAll(async () => {
  ({ database } = await setUpIntegration({ app: false, fixture: false }));
  await database.db.insert(localAuthorities).values([
    { laCode: '999', name: 'Demo County Council' },
    { laCode: '998', name: 'Other Borough Council' },
  ]);
  const [parent] = await database.db
    .insert(users)
    .values({ email: 'parent@example.org', displayName: 'Parent' })
    .returning({ id: users.id });
  const p = parent!.id;
  // Plan ceased in 2020, born 1995: 25 years from birth passed in 2020, the appeal window by September 2020. Due.
  await addCase(
    'ceased',
    {
      dob: '1995-01-01',
      request: { stage: 'final_plan_issued', closedOn: '2009-05-01' },
      plan: { ceasedOn: '2020-07-01' },
    },
    p,
  );
  // Withdrawn request, no plan, born 1 June 2001: due on 1 June 2026.
  await addCase('withdrawn', { dob: '2001-06-01', request: { stage: 'withdrawn', closedOn: '2009-03-01' } }, p);
  // Born 2 December 2001: due the day after the report's day.
  await addCase('tomorrow', { dob: '2001-12-02', request: { stage: 'not_assessed', closedOn: '2009-02-10' } }, p);
  // Past 25 but the plan is still maintained, or a request is open: not closed.
  await addCase(
    'maintained',
    { dob: '1990-01-01', request: { stage: 'final_plan_issued', closedOn: '2009-05-01' }, plan: { ceasedOn: null } },
    p,
  );
  await addCase(
    'open',
    { dob: '1990-01-01', request: { stage: 'not_assessed', closedOn: '2009-02-10' }, reopened: true },
    p,
  );
  // Closed and past the rule, in another LA.
  await addCase('other', { la: '998', dob: '1995-01-01', request: { stage: 'not_issued', closedOn: '2010-01-01' } }, p);
});
afterAll(async () => {
  await database.close();
});

const retention = () => createRetentionService(database, DEFAULT_RETENTION_SCHEDULE);
const referencesOf = (cases: { reference: string }[]) => cases.map((c) => c.reference);

describe('the report of closed cases due for deletion', () => {
  it('lists closed cases past their rule, with the rule, and nothing open, maintained or not yet due', async () => {
    const due = await retention().report(AS_OF);
    expect(due).toEqual([
      {
        laCode: '998',
        childId: ids.other,
        reference: 'C-other',
        kind: 'case_without_plan',
        rule: "case_without_plan: 25 years from the child's date of birth",
        closedOn: '2010-01-01',
        dueOn: '2020-01-01',
      },
      expect.objectContaining({
        reference: 'C-ceased',
        kind: 'case_with_plan',
        closedOn: '2020-07-01',
        dueOn: '2020-09-01',
      }),
      expect.objectContaining({ reference: 'C-withdrawn', kind: 'case_without_plan', dueOn: '2026-06-01' }),
    ]);
    expect(referencesOf(await retention().report('2026-12-02' as LocalDate, '999'))).toEqual([
      'C-ceased',
      'C-tomorrow',
      'C-withdrawn',
    ]);
  });

  it('a dry run deletes nothing', async () => {
    const run = await retention().run({ asOf: AS_OF, laCode: '999', dryRun: true });
    expect(referencesOf(run.cases)).toEqual(['C-ceased', 'C-withdrawn']);
    expect(await database.db.select({ id: children.id }).from(children)).toHaveLength(6);
  });
});

describe('running the schedule', () => {
  let auditRowsBefore: number;
  beforeAll(async () => {
    auditRowsBefore = (await database.db.select({ id: auditLog.id }).from(auditLog)).length;
    const run = await retention().run({ asOf: AS_OF, laCode: '999', dryRun: false });
    expect(referencesOf(run.cases)).toEqual(['C-ceased', 'C-withdrawn']);
    expect(run.cases[0]!.deleted).toMatchObject({
      children: 1,
      assessment_requests: 1,
      plans: 1,
      plan_versions: 1,
      documents: 1,
      advice_requests: 1,
      notifications: 1,
      setting_consultations: 1,
      case_events: 1,
      role_assignments: 1,
    });
  });

  it('knows every table that holds a child’s or a request’s rows (a new table must be added to the deletion)', async () => {
    const rows = await queryRows<{ table: string }>(
      database.db,
      sql`select distinct table_name as table from information_schema.columns
          where table_schema = 'public' and column_name in ('child_id', 'request_id') order by 1`,
    );
    // The audit log keeps its rows about a deleted case (they name no one once the child is gone).
    const held = rows.map((r) => r.table).filter((t) => t !== 'audit_log');
    expect(held.filter((t) => !CASE_TABLES.includes(t))).toEqual([]);
  });

  it('deletes every record of the cases due, from every table that holds them', async () => {
    const gone = [ids.ceased!, ids.withdrawn!];
    const { db } = database;
    const counts = await queryRows<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from children where id in ${gone}) as children,
        (select count(*)::int from assessment_requests where child_id in ${gone}) as requests,
        (select count(*)::int from plans where child_id in ${gone}) as plans,
        (select count(*)::int from case_events where child_id in ${gone}) as events,
        (select count(*)::int from documents where child_id in ${gone}) as documents,
        (select count(*)::int from role_assignments where child_id in ${gone}) as access,
        (select count(*)::int from notifications where subject in ('Advice for C-ceased', 'Advice for C-withdrawn')) as messages,
        (select count(*)::int from plan_versions) as versions,
        (select count(*)::int from advice_requests) as advice,
        (select count(*)::int from setting_consultations) as consultations`,
    );
    // The other four cases keep theirs (one plan version: the maintained plan's).
    expect(counts[0]).toEqual({
      children: 0,
      requests: 0,
      plans: 0,
      events: 0,
      documents: 0,
      access: 0,
      messages: 0,
      versions: 1,
      advice: 4,
      consultations: 4,
    });
  });

  it('leaves open cases, maintained plans, cases not yet due and other LAs alone', async () => {
    const left = await database.db.select({ reference: children.reference }).from(children).orderBy(children.reference);
    expect(left.map((c) => c.reference)).toEqual(['C-maintained', 'C-open', 'C-other', 'C-tomorrow']);
  });

  it('audits each deletion by reference and rule, with none of the personal data it deleted', async () => {
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'retention_delete'), inArray(auditLog.childId, [ids.ceased!, ids.withdrawn!])))
      .orderBy(auditLog.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      laCode: '999',
      userId: null,
      entityType: 'child',
      entityId: ids.ceased,
      detail: {
        reference: 'C-ceased',
        kind: 'case_with_plan',
        rule: "case_with_plan: 25 years from the child's date of birth",
        closedOn: '2020-07-01',
        dueOn: '2020-09-01',
      },
    });
    const written = JSON.stringify(rows);
    for (const personal of [
      'Givenceased',
      'Familyceased',
      '1995-01-01',
      'ZZ9 9ZZ',
      'Parent of',
      'Givenwithdrawn',
      '2001-06-01',
    ]) {
      expect(written).not.toContain(personal);
    }
  });

  it("keeps the audit log's rows about the deleted children, and its chain verifies", async () => {
    const about = await database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.childId, ids.ceased!))
      .orderBy(auditLog.id);
    expect(about.map((r) => r.action)).toEqual(['read', 'retention_delete']);
    expect(await verifyAuditChain(database)).toEqual({ intact: true, rows: auditRowsBefore + 2 });
  });

  it('a second run finds nothing more to delete', async () => {
    expect((await retention().run({ asOf: AS_OF, laCode: '999', dryRun: false })).cases).toEqual([]);
  });
});
