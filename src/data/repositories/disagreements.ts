/**
 * Disagreements (mediation, appeal, the Tribunal's order): the LA's open ones by their next deadline (from an index),
 * a case's, one for its page, and the writes of its steps. Every call is scoped by the LA.
 */
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { assessmentRequests, caseEvents, children, disagreements, users } from '../schema.js';
import type {
  AgreementKind,
  DisagreementAbout,
  DisagreementOrder,
  DisagreementRecord,
  TribunalOutcome,
} from '../../domain/casework/disagreement.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { orderedSteps, type OrderedStep } from '../../domain/measures/tribunalOrders.js';
import { updateAtVersion } from './versioned.js';

export type StoredDisagreement = typeof disagreements.$inferSelect;

/** The case a disagreement belongs to, as its pages name it. */
export interface DisagreementCase {
  requestId: string;
  requestReference: string;
  childId: string;
  childReference: string;
  givenName: string;
  familyName: string;
}

function caseQuery(db: Db, laCode: string) {
  return db
    .select({
      requestId: assessmentRequests.id,
      requestReference: assessmentRequests.reference,
      childId: children.id,
      childReference: children.reference,
      givenName: children.givenName,
      familyName: children.familyName,
    })
    .from(assessmentRequests)
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, laCode)));
}

export async function getDisagreementCase(db: Db, laCode: string, requestId: string) {
  const [row] = await caseQuery(db, laCode)
    .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.id, requestId)))
    .limit(1);
  return row;
}

export async function getDisagreement(db: Db, laCode: string, id: string, lock = false) {
  const query = db
    .select()
    .from(disagreements)
    .where(and(eq(disagreements.laCode, laCode), eq(disagreements.id, id)))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function listCaseDisagreements(db: Db, laCode: string, requestId: string) {
  return db
    .select()
    .from(disagreements)
    .where(and(eq(disagreements.laCode, laCode), eq(disagreements.requestId, requestId)))
    .orderBy(desc(disagreements.decisionDate), desc(disagreements.createdAt));
}

/** The record the domain reads, from the stored row. */
export function disagreementRecord(row: StoredDisagreement): DisagreementRecord {
  return {
    about: row.about as DisagreementAbout,
    decisionDate: row.decisionDate as LocalDate,
    mediationToldDate: row.mediationToldDate as LocalDate | null,
    mediationHeldDate: row.mediationHeldDate as LocalDate | null,
    agreement: row.agreement,
    agreementActions: row.agreementActions,
    agreementKind: row.agreementKind as AgreementKind | null,
    agreementDoneDate: row.agreementDoneDate as LocalDate | null,
    certificateDate: row.certificateDate as LocalDate | null,
    appealDate: row.appealDate as LocalDate | null,
    outcome: row.outcome as TribunalOutcome | null,
    outcomeDate: row.outcomeDate as LocalDate | null,
    order: row.tribunalOrder as DisagreementOrder | null,
    complied: (row.complied ?? {}) as Record<string, LocalDate>,
    closedDate: row.closedDate as LocalDate | null,
  };
}

/** The columns a record's state is stored in. */
export function disagreementColumns(r: DisagreementRecord) {
  return {
    mediationToldDate: r.mediationToldDate,
    mediationHeldDate: r.mediationHeldDate,
    agreement: r.agreement,
    agreementActions: r.agreementActions,
    agreementKind: r.agreementKind,
    agreementDoneDate: r.agreementDoneDate,
    certificateDate: r.certificateDate,
    appealDate: r.appealDate,
    outcome: r.outcome,
    outcomeDate: r.outcomeDate,
    tribunalOrder: r.order,
    complied: r.complied,
    closedDate: r.closedDate,
  };
}

export async function insertDisagreement(
  db: Db,
  row: {
    laCode: string;
    childId: string;
    requestId: string;
    about: DisagreementAbout;
    decisionDate: LocalDate;
    nextDuty: string | null;
    nextDue: LocalDate | null;
  },
): Promise<string> {
  const [created] = await db.insert(disagreements).values(row).returning({ id: disagreements.id });
  return created!.id;
}

/** Saves the record's new state if the row is still at `version`; false when someone else saved first. */
export async function updateDisagreementAtVersion(
  db: Db,
  laCode: string,
  id: string,
  version: number,
  patch: Partial<typeof disagreements.$inferInsert>,
): Promise<boolean> {
  const where = and(eq(disagreements.laCode, laCode), eq(disagreements.id, id));
  return (await updateAtVersion(db, disagreements, where, version, patch)) !== undefined;
}

/** Writes a step's event on the child's timeline, on the request it came from. */
export async function insertDisagreementEvent(
  db: Db,
  e: {
    laCode: string;
    childId: string;
    requestId: string;
    actorId: string;
    type: string;
    occurredOn: string;
    data: Record<string, unknown>;
    submissionKey: string;
  },
): Promise<void> {
  await db.insert(caseEvents).values(e);
}

/** Whether a form's submission is saved already: the case event it wrote carries its key (as for reviews). */
export { reviewSubmissionSaved as disagreementSubmissionSaved } from './reviews.js';

export interface DisagreementListRow extends DisagreementCase {
  id: string;
  about: string;
  decisionDate: string;
  appealDate: string | null;
  nextDuty: string | null;
  nextDue: string | null;
  caseworkerName: string | null;
}

/** One page of the LA's open disagreements by their next deadline (the partial index's order), and the counts. */
export async function listOpenDisagreements(
  db: Db,
  q: { laCode: string; today: string; limit: number; offset: number },
): Promise<{ rows: DisagreementListRow[]; total: number; overdue: number }> {
  const where = and(eq(disagreements.laCode, q.laCode), eq(disagreements.status, 'open'));
  const [rows, counts] = await Promise.all([
    db
      .select({
        id: disagreements.id,
        about: disagreements.about,
        decisionDate: disagreements.decisionDate,
        appealDate: disagreements.appealDate,
        nextDuty: disagreements.nextDuty,
        nextDue: disagreements.nextDue,
        requestId: assessmentRequests.id,
        requestReference: assessmentRequests.reference,
        childId: children.id,
        childReference: children.reference,
        givenName: children.givenName,
        familyName: children.familyName,
        caseworkerName: users.displayName,
      })
      .from(disagreements)
      .innerJoin(assessmentRequests, eq(assessmentRequests.id, disagreements.requestId))
      .innerJoin(children, eq(children.id, disagreements.childId))
      .leftJoin(users, eq(users.id, assessmentRequests.caseworkerId))
      .where(where)
      .orderBy(sql`${disagreements.nextDue} asc nulls last`, asc(disagreements.id))
      .limit(Math.trunc(q.limit))
      .offset(q.offset),
    db
      .select({
        total: sql<number>`count(*)::int`,
        overdue: sql<number>`(count(*) filter (where ${disagreements.nextDue} < ${q.today}::date))::int`,
      })
      .from(disagreements)
      .where(where),
  ]);
  return { rows, total: counts[0]?.total ?? 0, overdue: counts[0]?.overdue ?? 0 };
}

/** Every step the Tribunal ordered the LA to take, with its date and the day it was done (the measure's facts). */
export async function loadMeasureOrderSteps(db: Db, laCode: string): Promise<OrderedStep[]> {
  const rows = await db
    .select({ row: disagreements, primaryNeed: children.primaryNeed })
    .from(disagreements)
    .innerJoin(children, and(eq(children.id, disagreements.childId), eq(children.laCode, laCode)))
    .where(
      and(
        eq(disagreements.laCode, laCode),
        inArray(disagreements.outcome, ['order', 'unopposed']),
        isNotNull(disagreements.tribunalOrder),
      ),
    );
  return rows.flatMap((r) => orderedSteps(disagreementRecord(r.row), r.primaryNeed));
}
