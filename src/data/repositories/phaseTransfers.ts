/**
 * Phase transfers (SEND Regulations 2014 reg 18): the children with an active plan in a cohort (a range of dates of
 * birth, read from children_la_dob_idx), each with the transfer recorded for the year if any and their open review;
 * the cohort's counts; and the writes of a finalised transfer. Every call is scoped by the LA.
 */
import { and, asc, between, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db.js';
import { children, phaseTransfers, planReviews, plans, users } from '../schema.js';

export interface CohortQuery {
  laCode: string;
  transferYear: number;
  /** The cohort's dates of birth, inclusive (domain/casework/phaseTransfer.ts cohortBirthDates). */
  bornFrom: string;
  bornTo: string;
  /** Only children in an infant school (Year 2 to junior: domain isInfantSchool, the same rule in SQL). */
  infantSchoolOnly: boolean;
  caseworkerId?: string | undefined;
}

export interface CohortRow {
  planId: string;
  childId: string;
  childReference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  settingName: string | null;
  caseworkerName: string | null;
  lastReviewDate: string | null;
  reviewDueDate: string | null;
  reviewMeetingDate: string | null;
  reviewDecision: string | null;
  nextSettingName: string | null;
  nextSettingUrn: string | null;
  finalisedDate: string | null;
}

function cohortWhere(q: CohortQuery): SQL {
  return and(
    eq(children.laCode, q.laCode),
    between(children.dateOfBirth, q.bornFrom, q.bornTo),
    // isInfantSchool: the name says "Infant" or "Infants" (a word), and not "Junior".
    q.infantSchoolOnly
      ? sql`${children.settingName} ~* '\\minfants?\\M' and ${children.settingName} !~* '\\mjunior\\M'`
      : undefined,
    q.caseworkerId ? eq(plans.caseworkerId, q.caseworkerId) : undefined,
  )!;
}

const activePlan = (laCode: string) =>
  and(eq(plans.childId, children.id), eq(plans.laCode, laCode), sql`${plans.status} = 'active'`);
const transferOf = (q: CohortQuery) =>
  and(
    eq(phaseTransfers.planId, plans.id),
    eq(phaseTransfers.laCode, q.laCode),
    eq(phaseTransfers.transferYear, q.transferYear),
  );

/** One page of a cohort, by name: only the cohort's rows (a range of the dates-of-birth index) are read and ordered. */
export async function listCohort(db: Db, q: CohortQuery & { limit: number; offset: number }): Promise<CohortRow[]> {
  return db
    .select({
      planId: plans.id,
      childId: children.id,
      childReference: children.reference,
      givenName: children.givenName,
      familyName: children.familyName,
      dateOfBirth: children.dateOfBirth,
      settingName: children.settingName,
      caseworkerName: users.displayName,
      lastReviewDate: plans.lastReviewDate,
      reviewDueDate: plans.reviewDueDate,
      reviewMeetingDate: planReviews.meetingDate,
      reviewDecision: planReviews.decision,
      nextSettingName: phaseTransfers.nextSettingName,
      nextSettingUrn: phaseTransfers.nextSettingUrn,
      finalisedDate: phaseTransfers.finalisedDate,
    })
    .from(children)
    .innerJoin(plans, activePlan(q.laCode))
    .leftJoin(users, eq(users.id, plans.caseworkerId))
    .leftJoin(
      planReviews,
      and(eq(planReviews.planId, plans.id), eq(planReviews.laCode, q.laCode), eq(planReviews.status, 'open')),
    )
    .leftJoin(phaseTransfers, transferOf(q))
    .where(cohortWhere(q))
    .orderBy(asc(children.familyName), asc(children.givenName), asc(children.id))
    .limit(Math.trunc(q.limit))
    .offset(Math.trunc(q.offset));
}

/** A cohort's counts against its deadline: children, finalised by the deadline, finalised after it, not finalised. */
export async function countCohort(
  db: Db,
  q: CohortQuery & { deadline: string },
): Promise<{ total: number; onTime: number; late: number; notFinalised: number }> {
  const rows = await db
    .select({
      total: sql<number>`count(*)::int`,
      onTime: sql<number>`(count(*) filter (where ${phaseTransfers.finalisedDate} <= ${q.deadline}::date))::int`,
      late: sql<number>`(count(*) filter (where ${phaseTransfers.finalisedDate} > ${q.deadline}::date))::int`,
    })
    .from(children)
    .innerJoin(plans, activePlan(q.laCode))
    .leftJoin(phaseTransfers, transferOf(q))
    .where(cohortWhere(q));
  const r = rows[0] ?? { total: 0, onTime: 0, late: 0 };
  return { ...r, notFinalised: r.total - r.onTime - r.late };
}

/** The transfer recorded for the plan's September move of `transferYear`, if any. */
export async function getPhaseTransfer(db: Db, laCode: string, planId: string, transferYear: number) {
  const rows = await db
    .select()
    .from(phaseTransfers)
    .where(
      and(
        eq(phaseTransfers.laCode, laCode),
        eq(phaseTransfers.planId, planId),
        eq(phaseTransfers.transferYear, transferYear),
      ),
    )
    .limit(1);
  return rows[0];
}

export async function insertPhaseTransfer(db: Db, row: typeof phaseTransfers.$inferInsert): Promise<void> {
  await db.insert(phaseTransfers).values(row);
}

/**
 * Every transfer recorded, by transfer year and kind, with how many were finalised by their deadline (for the
 * measure of transfers finalised on time).
 */
export async function transfersByYear(db: Db, laCode: string) {
  return db
    .select({
      transferYear: phaseTransfers.transferYear,
      kind: phaseTransfers.kind,
      finalised: sql<number>`count(*)::int`,
      onTime: sql<number>`(count(*) filter (where ${phaseTransfers.finalisedDate} <= ${phaseTransfers.deadline}))::int`,
    })
    .from(phaseTransfers)
    .where(eq(phaseTransfers.laCode, laCode))
    .groupBy(phaseTransfers.transferYear, phaseTransfers.kind)
    .orderBy(asc(phaseTransfers.transferYear), asc(phaseTransfers.kind));
}

/**
 * A transfer year's counts for the measure: the cohort's children whose plan was maintained on the deadline (issued on
 * or before it, not ceased by it), and of them those whose transfer was finalised on or before it, or after.
 */
export async function countTransferYear(
  db: Db,
  q: Omit<CohortQuery, 'caseworkerId'> & { deadline: string },
): Promise<{ due: number; onTime: number; late: number }> {
  const rows = await db
    .select({
      due: sql<number>`count(*)::int`,
      onTime: sql<number>`(count(*) filter (where ${phaseTransfers.finalisedDate} <= ${q.deadline}::date))::int`,
      late: sql<number>`(count(*) filter (where ${phaseTransfers.finalisedDate} > ${q.deadline}::date))::int`,
    })
    .from(children)
    .innerJoin(
      plans,
      and(
        eq(plans.childId, children.id),
        eq(plans.laCode, q.laCode),
        sql`${plans.firstIssuedDate} <= ${q.deadline}::date`,
        sql`(${plans.ceasedDate} is null or ${plans.ceasedDate} > ${q.deadline}::date)`,
      ),
    )
    .leftJoin(phaseTransfers, transferOf(q))
    .where(cohortWhere(q));
  return rows[0] ?? { due: 0, onTime: 0, late: 0 };
}
