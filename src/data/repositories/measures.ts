import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import {
  adviceRequests,
  assessmentRequests,
  caseEvents,
  children,
  measureRefreshes,
  measureTargetHistory,
  measureTargets,
  measureValues,
  planReviews,
  plans,
  qaAudits,
  users,
} from '../schema.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { isTwentyWeekException } from '../../domain/statutory/events.js';
import type { Dimension, MeasureCase, MeasureReview, MeasureValue } from '../../domain/measures/monthly.js';
import { SERVICE_METHODS, type ServiceMethod } from '../../domain/dates/service.js';

/** The columns that say how far a request has got: what the measures and the SEN2 return both read. */
export const REQUEST_PROGRESS_COLUMNS = {
  id: assessmentRequests.id,
  receivedDate: assessmentRequests.receivedDate,
  stage: assessmentRequests.stage,
  assessmentDecision: assessmentRequests.assessmentDecision,
  assessmentDecisionDate: assessmentRequests.assessmentDecisionDate,
  issueDecision: assessmentRequests.issueDecision,
  issueDecisionDate: assessmentRequests.issueDecisionDate,
  finalIssuedDate: assessmentRequests.finalIssuedDate,
  closedDate: assessmentRequests.closedDate,
  exceptionReason: assessmentRequests.exceptionReason,
};

type ProgressRow = {
  [K in keyof typeof REQUEST_PROGRESS_COLUMNS]: (typeof REQUEST_PROGRESS_COLUMNS)[K]['_']['data'] | null;
};

const isDecision = <T extends string>(v: string | null, allowed: readonly T[]): T | null =>
  allowed.includes(v as T) ? (v as T) : null;

/** Those columns as case facts (domain/measures/timeliness.ts CaseFacts, less the advice). */
export function requestProgress(r: ProgressRow) {
  return {
    receivedDate: r.receivedDate as LocalDate,
    assessmentDecision: isDecision(r.assessmentDecision, ['assess', 'not_assess'] as const),
    assessmentDecisionDate: r.assessmentDecisionDate as LocalDate | null,
    issueDecision: isDecision(r.issueDecision, ['issue', 'not_issue'] as const),
    issueDecisionDate: r.issueDecisionDate as LocalDate | null,
    finalIssuedDate: r.finalIssuedDate as LocalDate | null,
    withdrawnDate: r.stage === 'withdrawn' ? (r.closedDate as LocalDate | null) : null,
    exception: isTwentyWeekException(r.exceptionReason),
  };
}

/** The requests received since a date, with when each was decided or withdrawn (domain/measures/byRequestYear.ts). */
export async function loadRequestDecisions(db: Db, laCode: string, receivedFrom: LocalDate) {
  const rows = await db
    .select({
      receivedDate: assessmentRequests.receivedDate,
      assessmentDecisionDate: assessmentRequests.assessmentDecisionDate,
      stage: assessmentRequests.stage,
      closedDate: assessmentRequests.closedDate,
    })
    .from(assessmentRequests)
    .where(and(eq(assessmentRequests.laCode, laCode), gte(assessmentRequests.receivedDate, receivedFrom)));
  return rows.map((r) => ({
    receivedDate: r.receivedDate as LocalDate,
    assessmentDecisionDate: r.assessmentDecisionDate as LocalDate | null,
    withdrawnDate: r.stage === 'withdrawn' ? (r.closedDate as LocalDate | null) : null,
  }));
}

/** Every request of an LA reduced to the facts the measures need (one read of the case history, by the job). */
export async function loadMeasureCases(db: Db, laCode: string): Promise<MeasureCase[]> {
  // One after another: the demo loader calls this inside its transaction, where there is one connection.
  const requests = await db
    .select({
      ...REQUEST_PROGRESS_COLUMNS,
      team: assessmentRequests.team,
      caseworkerId: assessmentRequests.caseworkerId,
      primaryNeed: children.primaryNeed,
      dateOfBirth: children.dateOfBirth,
    })
    .from(assessmentRequests)
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, laCode)))
    .where(eq(assessmentRequests.laCode, laCode));
  const advice = await db
    .select({
      requestId: adviceRequests.requestId,
      adviceType: adviceRequests.adviceType,
      provider: adviceRequests.provider,
      requestedDate: adviceRequests.requestedDate,
      receivedDate: adviceRequests.receivedDate,
      submittedAt: adviceRequests.submittedAt,
    })
    .from(adviceRequests)
    // Advice reused with the family's agreement was not asked for again: it is not judged against 6 weeks.
    .where(and(eq(adviceRequests.laCode, laCode), isNull(adviceRequests.reusedFromAdviceId)));
  // Submitted first audits (moderation audits are a check on the auditors, not another judgement of the plan).
  const audits = await db
    .select({ requestId: qaAudits.requestId, month: qaAudits.sampleMonth, grade: qaAudits.grade })
    .from(qaAudits)
    .where(and(eq(qaAudits.laCode, laCode), eq(qaAudits.kind, 'first'), eq(qaAudits.status, 'completed')));
  const auditsByRequest = new Map<string, { month: string; grade: string }[]>();
  for (const a of audits) {
    if (!a.grade) continue;
    auditsByRequest.set(a.requestId, [...(auditsByRequest.get(a.requestId) ?? []), { month: a.month, grade: a.grade }]);
  }
  const adviceByRequest = new Map<string, MeasureCase['advice']>();
  for (const a of advice) {
    const list = adviceByRequest.get(a.requestId) ?? [];
    list.push({
      adviceType: a.adviceType,
      provider: a.provider,
      requestedDate: a.requestedDate as LocalDate,
      receivedDate: a.receivedDate as LocalDate | null,
      online: a.submittedAt !== null,
    });
    adviceByRequest.set(a.requestId, list);
  }
  // The drafts sent to families and the families' comments on them, in the order they happened.
  const draftEvents = await db
    .select({
      requestId: caseEvents.requestId,
      type: caseEvents.type,
      occurredOn: caseEvents.occurredOn,
      data: caseEvents.data,
    })
    .from(caseEvents)
    .where(and(eq(caseEvents.laCode, laCode), inArray(caseEvents.type, ['draft_served', 'family_representations'])))
    .orderBy(asc(caseEvents.occurredOn), asc(caseEvents.id));
  const draftSent = new Map<string, NonNullable<MeasureCase['draftSent']>>();
  const familyComments = new Map<string, NonNullable<MeasureCase['familyComments']>>();
  for (const e of draftEvents) {
    if (!e.requestId) continue;
    const data = (e.data ?? {}) as { method?: unknown; source?: unknown };
    if (e.type === 'draft_served') {
      const method = SERVICE_METHODS.includes(data.method as ServiceMethod) ? (data.method as ServiceMethod) : 'email';
      draftSent.set(e.requestId, { on: e.occurredOn as LocalDate, method });
    } else {
      const list = familyComments.get(e.requestId) ?? [];
      list.push({ on: e.occurredOn as LocalDate, online: data.source === 'family_online' });
      familyComments.set(e.requestId, list);
    }
  }
  return requests.map((r) => ({
    ...requestProgress(r),
    advice: adviceByRequest.get(r.id) ?? [],
    audits: auditsByRequest.get(r.id) ?? [],
    draftSent: draftSent.get(r.id) ?? null,
    familyComments: familyComments.get(r.id) ?? [],
    primaryNeed: r.primaryNeed,
    team: r.team,
    dateOfBirth: r.dateOfBirth as LocalDate,
    caseworkerId: r.caseworkerId,
  }));
}

/**
 * Every annual review cycle of an LA's plans, for the review measures: each recorded review (open or completed), and
 * the current cycle of each maintained plan whose review has no step recorded yet (its 12 months running from the
 * plan's issue or last review: once past, it is a late review, not a missing one).
 */
export async function loadMeasureReviews(db: Db, laCode: string): Promise<MeasureReview[]> {
  const recorded = await db
    .select({
      cycleStart: planReviews.cycleStart,
      meetingHeldDate: planReviews.meetingHeldDate,
      decisionDate: planReviews.decisionDate,
      outcome: planReviews.outcome,
      outcomeDate: planReviews.outcomeDate,
      planCeasedDate: plans.ceasedDate,
      primaryNeed: children.primaryNeed,
    })
    .from(planReviews)
    .innerJoin(plans, and(eq(plans.id, planReviews.planId), eq(plans.laCode, laCode)))
    .innerJoin(children, and(eq(children.id, planReviews.childId), eq(children.laCode, laCode)))
    .where(eq(planReviews.laCode, laCode));
  const unstarted = await db
    .select({
      firstIssuedDate: plans.firstIssuedDate,
      lastReviewDate: plans.lastReviewDate,
      primaryNeed: children.primaryNeed,
    })
    .from(plans)
    .innerJoin(children, and(eq(children.id, plans.childId), eq(children.laCode, laCode)))
    .where(
      and(
        eq(plans.laCode, laCode),
        eq(plans.status, 'active'),
        isNotNull(plans.firstIssuedDate),
        sql`not exists (select 1 from ${planReviews} where ${planReviews.planId} = ${plans.id} and ${planReviews.status} = 'open')`,
      ),
    );
  return [
    ...recorded.map((r): MeasureReview => ({
      cycleStart: r.cycleStart as LocalDate,
      meetingHeldDate: r.meetingHeldDate as LocalDate | null,
      decisionDate: r.decisionDate as LocalDate | null,
      outcome: r.outcome === 'amended' || r.outcome === 'not_amended' ? r.outcome : null,
      outcomeDate: r.outcomeDate as LocalDate | null,
      planCeasedDate: r.planCeasedDate as LocalDate | null,
      primaryNeed: r.primaryNeed,
    })),
    ...unstarted.map((p): MeasureReview => ({
      cycleStart: (p.lastReviewDate && p.lastReviewDate > p.firstIssuedDate!
        ? p.lastReviewDate
        : p.firstIssuedDate!) as LocalDate,
      meetingHeldDate: null,
      decisionDate: null,
      outcome: null,
      outcomeDate: null,
      planCeasedDate: null,
      primaryNeed: p.primaryNeed,
    })),
  ];
}

/** Replaces an LA's measures in one transaction, so a reader sees the old set or the new one, never half. */
export async function replaceMeasures(
  db: Db,
  laCode: string,
  values: readonly MeasureValue[],
  meta: { refreshedAt: Date; fromMonth: string; toMonth: string; requests: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(measureValues).where(eq(measureValues.laCode, laCode));
    for (let i = 0; i < values.length; i += 2000) {
      await tx.insert(measureValues).values(values.slice(i, i + 2000).map((v) => ({ laCode, ...v })));
    }
    await tx
      .insert(measureRefreshes)
      .values({ laCode, ...meta })
      .onConflictDoUpdate({ target: measureRefreshes.laCode, set: meta });
  });
}

export interface StoredValue {
  measure: string;
  month: string;
  dimension: Dimension;
  category: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
}

const storedColumns = {
  measure: measureValues.measure,
  month: measureValues.month,
  dimension: measureValues.dimension,
  category: measureValues.category,
  numerator: measureValues.numerator,
  denominator: measureValues.denominator,
  value: measureValues.value,
};

/** The stored values of some measures for one breakdown (all its categories), in month order. */
export async function readMeasureValues(
  db: Db,
  laCode: string,
  measures: readonly string[],
  dimension: Dimension,
): Promise<StoredValue[]> {
  const rows = await db
    .select(storedColumns)
    .from(measureValues)
    .where(
      and(
        eq(measureValues.laCode, laCode),
        inArray(measureValues.measure, [...measures]),
        eq(measureValues.dimension, dimension),
      ),
    )
    .orderBy(asc(measureValues.measure), asc(measureValues.category), asc(measureValues.month));
  return rows as StoredValue[];
}

/** Every stored value of an LA, for the open data download. */
export async function readAllMeasureValues(db: Db, laCode: string): Promise<StoredValue[]> {
  const rows = await db
    .select(storedColumns)
    .from(measureValues)
    .where(eq(measureValues.laCode, laCode))
    .orderBy(
      asc(measureValues.measure),
      asc(measureValues.dimension),
      asc(measureValues.category),
      asc(measureValues.month),
    );
  return rows as StoredValue[];
}

export async function measureRefresh(db: Db, laCode: string) {
  const rows = await db.select().from(measureRefreshes).where(eq(measureRefreshes.laCode, laCode));
  return rows[0] ?? null;
}

export interface MeasureTarget {
  measure: string;
  target: number;
  version: number;
  setAt: Date;
  setByName: string | null;
}

/** An LA's targets, by measure. */
export async function readTargets(db: Db, laCode: string): Promise<Map<string, MeasureTarget>> {
  const rows = await db
    .select({
      measure: measureTargets.measure,
      target: measureTargets.target,
      version: measureTargets.version,
      setAt: measureTargets.setAt,
      setByName: users.displayName,
    })
    .from(measureTargets)
    .leftJoin(users, eq(users.id, measureTargets.setBy))
    .where(eq(measureTargets.laCode, laCode));
  return new Map(rows.map((r) => [r.measure, r]));
}

/** The target row, locked for the rest of the transaction. */
export async function lockTarget(db: Db, laCode: string, measure: string) {
  const rows = await db
    .select({ target: measureTargets.target, version: measureTargets.version })
    .from(measureTargets)
    .where(and(eq(measureTargets.laCode, laCode), eq(measureTargets.measure, measure)))
    .for('update');
  return rows[0] ?? null;
}

export async function putTarget(
  db: Db,
  row: { laCode: string; measure: string; target: number; setBy: string; setAt: Date; version: number },
): Promise<void> {
  await db
    .insert(measureTargets)
    .values(row)
    .onConflictDoUpdate({
      target: [measureTargets.laCode, measureTargets.measure],
      set: { target: row.target, setBy: row.setBy, setAt: row.setAt, version: row.version },
    });
}

export async function deleteTarget(db: Db, laCode: string, measure: string): Promise<void> {
  await db.delete(measureTargets).where(and(eq(measureTargets.laCode, laCode), eq(measureTargets.measure, measure)));
}

export interface TargetChange {
  at: Date;
  changedByName: string | null;
  fromTarget: number | null;
  toTarget: number | null;
  reason: string;
}

export async function appendTargetChange(
  db: Db,
  row: {
    laCode: string;
    measure: string;
    at: Date;
    changedBy: string;
    fromTarget: number | null;
    toTarget: number | null;
    reason: string;
  },
): Promise<void> {
  await db.insert(measureTargetHistory).values(row);
}

/** Every change to the targets of some measures, newest first, by measure. */
export async function targetHistory(
  db: Db,
  laCode: string,
  measures: readonly string[],
): Promise<Map<string, TargetChange[]>> {
  const rows = await db
    .select({
      measure: measureTargetHistory.measure,
      at: measureTargetHistory.at,
      changedByName: users.displayName,
      fromTarget: measureTargetHistory.fromTarget,
      toTarget: measureTargetHistory.toTarget,
      reason: measureTargetHistory.reason,
    })
    .from(measureTargetHistory)
    .leftJoin(users, eq(users.id, measureTargetHistory.changedBy))
    .where(and(eq(measureTargetHistory.laCode, laCode), inArray(measureTargetHistory.measure, [...measures])))
    .orderBy(desc(measureTargetHistory.at), desc(measureTargetHistory.id));
  const byMeasure = new Map<string, TargetChange[]>(measures.map((m) => [m, []]));
  for (const { measure, ...change } of rows) byMeasure.get(measure)!.push(change);
  return byMeasure;
}
