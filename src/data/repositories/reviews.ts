/**
 * Annual reviews of EHC plans: the reviews list (active plans by their review's next deadline, read from an index),
 * one plan's review for its page, and the writes of a review's steps. Every call is scoped by the LA.
 */
import { and, asc, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { caseEvents, children, planReviews, planVersions, plans, users, assessmentRequests } from '../schema.js';
import { reviewDue, type ReviewRecord } from '../../domain/casework/annualReview.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { updateAtVersion } from './versioned.js';

export interface ReviewListQuery {
  laCode: string;
  caseworkerId?: string | undefined;
  today: string;
  /** The last day listed: plans whose next review deadline is on or before it (overdue ones included). */
  until: string;
  limit: number;
  offset: number;
}

export interface ReviewListRow {
  planId: string;
  childId: string;
  childReference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  firstIssuedDate: string | null;
  lastReviewDate: string | null;
  reviewDueDate: string | null;
  reviewDueRule: string | null;
  reviewNextDuty: string | null;
  reviewNextDue: string | null;
  caseworkerName: string | null;
  meetingDate: string | null;
  decision: string | null;
}

/**
 * One page of the reviews list and its counts. The page's plan ids are chosen from the plans index alone
 * (plans_review_next_due_idx, or plans_review_caseworker_idx for one caseworker: in the list's order, so nothing is
 * sorted), and only those rows are joined to the child, the caseworker and the open review.
 */
export async function listReviews(
  db: Db,
  q: ReviewListQuery,
): Promise<{ rows: ReviewListRow[]; total: number; overdue: number }> {
  const where = and(
    eq(plans.laCode, q.laCode),
    sql`${plans.status} = 'active'`,
    lte(plans.reviewNextDue, q.until),
    q.caseworkerId ? eq(plans.caseworkerId, q.caseworkerId) : undefined,
  );
  const limit = Math.trunc(q.limit);
  const pageIds = sql`select ${plans.id} from ${plans} where ${where} order by ${plans.reviewNextDue} asc, ${plans.id} asc limit ${sql.raw(String(limit))} offset ${q.offset}`;
  const [rows, counts] = await Promise.all([
    db
      .select({
        planId: plans.id,
        childId: children.id,
        childReference: children.reference,
        givenName: children.givenName,
        familyName: children.familyName,
        dateOfBirth: children.dateOfBirth,
        firstIssuedDate: plans.firstIssuedDate,
        lastReviewDate: plans.lastReviewDate,
        reviewDueDate: plans.reviewDueDate,
        reviewDueRule: plans.reviewDueRule,
        reviewNextDuty: plans.reviewNextDuty,
        reviewNextDue: plans.reviewNextDue,
        caseworkerName: users.displayName,
        meetingDate: planReviews.meetingDate,
        decision: planReviews.decision,
      })
      .from(plans)
      .innerJoin(children, and(eq(children.id, plans.childId), eq(children.laCode, q.laCode)))
      .leftJoin(users, eq(users.id, plans.caseworkerId))
      .leftJoin(
        planReviews,
        and(eq(planReviews.planId, plans.id), eq(planReviews.laCode, q.laCode), eq(planReviews.status, 'open')),
      )
      .where(sql`${plans.id} in (${pageIds})`)
      .orderBy(asc(plans.reviewNextDue), asc(plans.id)),
    db
      .select({
        total: sql<number>`count(*)::int`,
        overdue: sql<number>`(count(*) filter (where ${plans.reviewNextDue} < ${q.today}::date))::int`,
      })
      .from(plans)
      .where(where),
  ]);
  return { rows, total: counts[0]?.total ?? 0, overdue: counts[0]?.overdue ?? 0 };
}

/**
 * Works out the review due date and next deadline of every active plan that has none (loaded by the demo, a SEN2
 * import, or before reviews were recorded), and gives it the caseworker of the request it came from. Cheap when
 * there is nothing to fill (a partial index holds exactly those plans).
 */
export async function fillMissingReviewDates(db: Db, laCode?: string): Promise<number> {
  const missing = await db
    .select({
      id: plans.id,
      firstIssuedDate: plans.firstIssuedDate,
      lastReviewDate: plans.lastReviewDate,
      lastReassessedDate: plans.lastReassessedDate,
      dateOfBirth: children.dateOfBirth,
      caseworkerId: plans.caseworkerId,
      requestCaseworkerId: assessmentRequests.caseworkerId,
    })
    .from(plans)
    .innerJoin(children, eq(children.id, plans.childId))
    .leftJoin(assessmentRequests, eq(assessmentRequests.id, plans.requestId))
    .where(
      and(
        sql`${plans.status} = 'active'`,
        isNull(plans.reviewNextDue),
        laCode ? eq(plans.laCode, laCode) : undefined,
        sql`${plans.firstIssuedDate} is not null`,
      ),
    );
  const BATCH = 1000;
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH).map((p) => {
      const due = reviewDue(
        {
          firstIssuedDate: p.firstIssuedDate as LocalDate,
          lastReviewDate: p.lastReviewDate as LocalDate | null,
          lastReassessedDate: p.lastReassessedDate as LocalDate | null,
        },
        p.dateOfBirth as LocalDate,
      );
      // No review recorded: the next deadline is the review's own due date.
      return {
        id: p.id,
        dueDate: due.due,
        rule: due.rule,
        duty: 'complete_annual_review',
        nextDue: due.due,
        caseworkerId: p.caseworkerId ?? p.requestCaseworkerId,
      };
    });
    // One statement a batch: the values as a JSON array, unpacked by the database.
    await db.execute(sql`
      update ${plans} set
        review_due_date = (v->>'dueDate')::date,
        review_due_rule = v->>'rule',
        review_next_duty = v->>'duty',
        review_next_due = (v->>'nextDue')::date,
        caseworker_id = (v->>'caseworkerId')::uuid
      from jsonb_array_elements(${JSON.stringify(batch)}::jsonb) as v
      where ${plans.id} = (v->>'id')::uuid`);
  }
  return missing.length;
}

export interface ReviewPlanRow {
  id: string;
  childId: string;
  requestId: string | null;
  status: string;
  firstIssuedDate: string | null;
  lastReviewDate: string | null;
  lastReassessedDate: string | null;
  ceasedDate: string | null;
  caseworkerId: string | null;
  caseworkerName: string | null;
  version: number;
  childReference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  settingName: string | null;
}

/** One plan with its child, as the review page and its steps need it; locked for a step's transaction if asked. */
export async function getReviewPlan(
  db: Db,
  laCode: string,
  planId: string,
  lock = false,
): Promise<ReviewPlanRow | undefined> {
  const query = db
    .select({
      id: plans.id,
      childId: plans.childId,
      requestId: plans.requestId,
      status: plans.status,
      firstIssuedDate: plans.firstIssuedDate,
      lastReviewDate: plans.lastReviewDate,
      lastReassessedDate: plans.lastReassessedDate,
      ceasedDate: plans.ceasedDate,
      caseworkerId: plans.caseworkerId,
      caseworkerName: users.displayName,
      version: plans.version,
      childReference: children.reference,
      givenName: children.givenName,
      familyName: children.familyName,
      dateOfBirth: children.dateOfBirth,
      settingName: children.settingName,
    })
    .from(plans)
    .innerJoin(children, and(eq(children.id, plans.childId), eq(children.laCode, laCode)))
    .leftJoin(users, eq(users.id, plans.caseworkerId))
    .where(and(eq(plans.laCode, laCode), eq(plans.id, planId)))
    .limit(1);
  const rows = lock ? await query.for('update', { of: plans }) : await query;
  return rows[0];
}

export type StoredReview = typeof planReviews.$inferSelect;

/** The plan's reviews, newest cycle first (the open one, if any, first of all). */
export async function listPlanReviews(db: Db, laCode: string, planId: string): Promise<StoredReview[]> {
  return db
    .select()
    .from(planReviews)
    .where(and(eq(planReviews.laCode, laCode), eq(planReviews.planId, planId)))
    .orderBy(desc(planReviews.cycleStart), desc(planReviews.createdAt));
}

/** A stored review as the domain reads it. */
export function reviewRecord(r: StoredReview): ReviewRecord {
  return {
    cycleStart: r.cycleStart as LocalDate,
    meetingDate: r.meetingDate as LocalDate | null,
    invitationsSentDate: r.invitationsSentDate as LocalDate | null,
    adviceRequestedDate: r.adviceRequestedDate as LocalDate | null,
    adviceCirculatedDate: r.adviceCirculatedDate as LocalDate | null,
    meetingHeldDate: r.meetingHeldDate as LocalDate | null,
    reportSentDate: r.reportSentDate as LocalDate | null,
    decision: r.decision as ReviewRecord['decision'],
    decisionDate: r.decisionDate as LocalDate | null,
    outcome: r.outcome as ReviewRecord['outcome'],
    outcomeDate: r.outcomeDate as LocalDate | null,
  };
}

export type ReviewPatch = Partial<Omit<typeof planReviews.$inferInsert, 'id' | 'laCode' | 'planId' | 'childId'>>;

/** Opens the plan's review for the cycle starting `cycleStart`. */
export async function insertReview(
  db: Db,
  r: { laCode: string; planId: string; childId: string; cycleStart: string },
): Promise<string> {
  const rows = await db.insert(planReviews).values(r).returning({ id: planReviews.id });
  return rows[0]!.id;
}

export async function updateReview(db: Db, laCode: string, reviewId: string, patch: ReviewPatch): Promise<void> {
  await db
    .update(planReviews)
    .set({ ...patch, version: sql`${planReviews.version} + 1` })
    .where(and(eq(planReviews.laCode, laCode), eq(planReviews.id, reviewId)));
}

/** Moves the plan on to its version `version` + 1 with its new review dates; false if someone saved since. */
export async function updatePlanAtVersion(
  db: Db,
  laCode: string,
  planId: string,
  version: number,
  change: {
    lastReviewDate?: string;
    reviewDueDate: string;
    reviewDueRule: string;
    reviewNextDuty: string;
    reviewNextDue: string;
  },
): Promise<boolean> {
  const next = await updateAtVersion(db, plans, and(eq(plans.laCode, laCode), eq(plans.id, planId)), version, change);
  return next !== undefined;
}

/** The plan's versions, newest first (content by section). */
export async function listPlanVersions(db: Db, laCode: string, planId: string) {
  return db
    .select({
      id: planVersions.id,
      versionNo: planVersions.versionNo,
      kind: planVersions.kind,
      issuedDate: planVersions.issuedDate,
      content: planVersions.content,
    })
    .from(planVersions)
    .where(and(eq(planVersions.laCode, laCode), eq(planVersions.planId, planId)))
    .orderBy(desc(planVersions.versionNo));
}

/** Appends a version to the plan (a proposal of amendments, or the amended plan); versions are never changed. */
export async function appendPlanVersion(
  db: Db,
  v: {
    laCode: string;
    planId: string;
    kind: 'amendment_proposal' | 'final';
    issuedDate: string | null;
    content: Record<string, unknown>;
    createdBy: string;
  },
): Promise<string> {
  const last = await db
    .select({ n: sql<number>`coalesce(max(${planVersions.versionNo}), 0)::int` })
    .from(planVersions)
    .where(eq(planVersions.planId, v.planId));
  const rows = await db
    .insert(planVersions)
    .values({ ...v, versionNo: (last[0]?.n ?? 0) + 1 })
    .returning({ id: planVersions.id });
  return rows[0]!.id;
}

/** The review's timeline: its case events (they name the plan), oldest first. */
export async function reviewEvents(db: Db, laCode: string, childId: string, planId: string) {
  return db
    .select({
      type: caseEvents.type,
      occurredOn: caseEvents.occurredOn,
      recordedAt: caseEvents.recordedAt,
      data: caseEvents.data,
      actorName: users.displayName,
    })
    .from(caseEvents)
    .leftJoin(users, eq(users.id, caseEvents.actorId))
    .where(
      and(
        eq(caseEvents.laCode, laCode),
        eq(caseEvents.childId, childId),
        isNull(caseEvents.requestId),
        sql`${caseEvents.data}->>'planId' = ${planId}`,
      ),
    )
    .orderBy(asc(caseEvents.occurredOn), asc(caseEvents.id));
}

/** Whether a form submission was already saved (its key is on the event it wrote). */
export async function reviewSubmissionSaved(db: Db, laCode: string, submissionKey: string): Promise<boolean> {
  const rows = await db
    .select({ id: caseEvents.id })
    .from(caseEvents)
    .where(and(eq(caseEvents.laCode, laCode), eq(caseEvents.submissionKey, submissionKey)))
    .limit(1);
  return rows.length > 0;
}

/** Writes a review step's event on the child's timeline (no request: the plan is named in its data). */
export async function insertReviewEvent(
  db: Db,
  e: {
    laCode: string;
    childId: string;
    actorId: string;
    type: string;
    occurredOn: string;
    data: Record<string, unknown>;
    submissionKey: string;
  },
): Promise<void> {
  await db.insert(caseEvents).values({ ...e, requestId: null });
}
