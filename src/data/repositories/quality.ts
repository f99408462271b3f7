/**
 * Plan quality assurance: the rubric's versions, audits, their findings, and what the sample is drawn from. Every
 * call is scoped by LA.
 */
import { aliasedTable, and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { prepared, type Db } from '../db.js';
import { peopleWithRole } from './cases.js';
import {
  assessmentRequests,
  children,
  planVersions,
  plans,
  qaAudits,
  qaFindings,
  qaRubrics,
  users,
} from '../schema.js';

export type RubricRow = typeof qaRubrics.$inferSelect;
export type AuditRow = typeof qaAudits.$inferSelect;
export type FindingRow = typeof qaFindings.$inferSelect;

export async function latestRubric(db: Db, laCode: string): Promise<RubricRow | null> {
  const rows = await db
    .select()
    .from(qaRubrics)
    .where(eq(qaRubrics.laCode, laCode))
    .orderBy(desc(qaRubrics.version))
    .limit(1);
  return rows[0] ?? null;
}

export async function rubricById(db: Db, laCode: string, id: string): Promise<RubricRow | null> {
  const rows = await db
    .select()
    .from(qaRubrics)
    .where(and(eq(qaRubrics.laCode, laCode), eq(qaRubrics.id, id)));
  return rows[0] ?? null;
}

export async function insertRubric(db: Db, row: typeof qaRubrics.$inferInsert): Promise<RubricRow> {
  const [created] = await db.insert(qaRubrics).values(row).returning();
  return created!;
}

export async function updateRubricContent(db: Db, laCode: string, id: string, content: unknown): Promise<void> {
  await db
    .update(qaRubrics)
    .set({ content, updatedAt: sql`now()` })
    .where(and(eq(qaRubrics.laCode, laCode), eq(qaRubrics.id, id)));
}

/** The LA's active QA auditors, by name. */
export async function listAuditors(db: Db, laCode: string) {
  return (await peopleWithRole(db, laCode, 'qa_auditor')).map((p) => ({
    id: p.userId,
    name: p.displayName,
    team: p.team,
  }));
}

/** Final plans issued in [from, to), each with its case's team and the child's primary need. */
export async function finalPlansIssued(db: Db, laCode: string, from: string, to: string) {
  return db
    .select({
      requestId: assessmentRequests.id,
      reference: assessmentRequests.reference,
      team: assessmentRequests.team,
      need: children.primaryNeed,
      versionNo: planVersions.versionNo,
      issuedDate: planVersions.issuedDate,
    })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .innerJoin(assessmentRequests, eq(assessmentRequests.id, plans.requestId))
    .innerJoin(children, eq(children.id, assessmentRequests.childId))
    .where(
      and(
        eq(planVersions.laCode, laCode),
        eq(planVersions.kind, 'final'),
        gte(planVersions.issuedDate, from),
        lt(planVersions.issuedDate, to),
      ),
    );
}

export async function insertAudits(db: Db, rows: (typeof qaAudits.$inferInsert)[]): Promise<AuditRow[]> {
  if (rows.length === 0) return [];
  return db.insert(qaAudits).values(rows).returning();
}

export async function auditsForMonth(db: Db, laCode: string, month: string): Promise<AuditRow[]> {
  return db
    .select()
    .from(qaAudits)
    .where(and(eq(qaAudits.laCode, laCode), eq(qaAudits.sampleMonth, month)));
}

const auditor = aliasedTable(users, 'auditor');

/** Audits with the case reference and auditor's name: one auditor's, or everyone's. */
export async function listAudits(db: Db, laCode: string, auditorId: string | null) {
  return db
    .select({
      id: qaAudits.id,
      requestId: qaAudits.requestId,
      reference: assessmentRequests.reference,
      team: assessmentRequests.team,
      need: children.primaryNeed,
      kind: qaAudits.kind,
      firstAuditId: qaAudits.firstAuditId,
      sampleMonth: qaAudits.sampleMonth,
      status: qaAudits.status,
      grade: qaAudits.grade,
      score: qaAudits.score,
      agency: qaAudits.agency,
      answers: qaAudits.answers,
      rubricId: qaAudits.rubricId,
      auditorId: qaAudits.auditorId,
      auditorName: auditor.displayName,
      completedAt: qaAudits.completedAt,
    })
    .from(qaAudits)
    .innerJoin(assessmentRequests, eq(assessmentRequests.id, qaAudits.requestId))
    .innerJoin(children, eq(children.id, assessmentRequests.childId))
    .innerJoin(auditor, eq(auditor.id, qaAudits.auditorId))
    .where(and(eq(qaAudits.laCode, laCode), auditorId ? eq(qaAudits.auditorId, auditorId) : undefined))
    .orderBy(desc(qaAudits.sampleMonth), asc(assessmentRequests.reference), asc(qaAudits.kind));
}

export async function findAudit(db: Db, laCode: string, id: string, lock = false): Promise<AuditRow | null> {
  const query = db
    .select()
    .from(qaAudits)
    .where(and(eq(qaAudits.laCode, laCode), eq(qaAudits.id, id)));
  const rows = lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

export async function updateAudit(
  db: Db,
  laCode: string,
  id: string,
  version: number,
  patch: Partial<typeof qaAudits.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(qaAudits)
    .set({ ...patch, version: version + 1, updatedAt: sql`now()` })
    .where(and(eq(qaAudits.laCode, laCode), eq(qaAudits.id, id), eq(qaAudits.version, version)))
    .returning({ id: qaAudits.id });
  return rows.length === 1;
}

/** Completed audits done with one rubric version. */
export async function completedAuditsOn(db: Db, laCode: string, rubricId: string) {
  return db
    .select({ id: qaAudits.id, answers: qaAudits.answers })
    .from(qaAudits)
    .where(and(eq(qaAudits.laCode, laCode), eq(qaAudits.rubricId, rubricId), eq(qaAudits.status, 'completed')));
}

export async function rubricsByIds(db: Db, laCode: string, ids: readonly string[]): Promise<RubricRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(qaRubrics)
    .where(and(eq(qaRubrics.laCode, laCode), inArray(qaRubrics.id, [...ids])));
}

export async function insertFinding(db: Db, row: typeof qaFindings.$inferInsert): Promise<FindingRow> {
  const [created] = await db.insert(qaFindings).values(row).returning();
  return created!;
}

const finder = aliasedTable(users, 'finder');
const closer = aliasedTable(users, 'closer');

const findingColumns = {
  id: qaFindings.id,
  auditId: qaFindings.auditId,
  requestId: qaFindings.requestId,
  section: qaFindings.section,
  text: qaFindings.text,
  status: qaFindings.status,
  closingNote: qaFindings.closingNote,
  createdAt: qaFindings.createdAt,
  createdByName: finder.displayName,
  closedAt: qaFindings.closedAt,
  closedByName: closer.displayName,
  version: qaFindings.version,
};

/** Findings on a case (every case page shows them), or from one audit, with who raised and who closed them. */
export async function listFindings(db: Db, laCode: string, where: { requestId: string } | { auditId: string }) {
  const [name, column, id] =
    'requestId' in where
      ? (['findings_for_request', qaFindings.requestId, where.requestId] as const)
      : (['findings_for_audit', qaFindings.auditId, where.auditId] as const);
  return prepared(db, name, () =>
    db
      .select(findingColumns)
      .from(qaFindings)
      .innerJoin(finder, eq(finder.id, qaFindings.createdBy))
      .leftJoin(closer, eq(closer.id, qaFindings.closedBy))
      .where(and(eq(qaFindings.laCode, sql.placeholder('laCode')), eq(column, sql.placeholder('id'))))
      .orderBy(asc(qaFindings.createdAt))
      .prepare(name),
  ).execute({ laCode, id });
}

export async function closeFinding(
  db: Db,
  laCode: string,
  id: string,
  version: number,
  patch: { closingNote: string; closedBy: string },
): Promise<boolean> {
  const rows = await db
    .update(qaFindings)
    .set({ ...patch, status: 'closed', closedAt: sql`now()`, version: version + 1 })
    .where(
      and(
        eq(qaFindings.laCode, laCode),
        eq(qaFindings.id, id),
        eq(qaFindings.version, version),
        eq(qaFindings.status, 'open'),
      ),
    )
    .returning({ id: qaFindings.id });
  return rows.length === 1;
}
