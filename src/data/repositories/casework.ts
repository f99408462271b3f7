/**
 * Writing casework: the request row (locked while an event is written), the timeline, advice and children.
 * Every query is scoped by the LA code.
 */
import { and, asc, desc, eq, gt, gte, ilike, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { inOrder, pgConstraint, prepared, type Db } from '../db.js';
import {
  adviceRequests,
  assessmentRequests,
  caseEvents,
  children,
  documents,
  notifications,
  referenceCounters,
  roleAssignments,
  settingConsultations,
  users,
} from '../schema.js';

export interface LockedRequest {
  id: string;
  childId: string;
  reference: string;
  receivedDate: string;
  stage: string;
  open: boolean;
  version: number;
}

/** The request, locked until the transaction ends, so two writers to one case take turns. */
export async function lockRequest(db: Db, laCode: string, requestId: string): Promise<LockedRequest | undefined> {
  const rows = await db
    .select({
      id: assessmentRequests.id,
      childId: assessmentRequests.childId,
      reference: assessmentRequests.reference,
      receivedDate: assessmentRequests.receivedDate,
      stage: assessmentRequests.stage,
      open: assessmentRequests.open,
      version: assessmentRequests.version,
    })
    .from(assessmentRequests)
    .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.id, requestId)))
    .for('update')
    .limit(1);
  return rows[0];
}

/** The request an earlier submission of the same form wrote to, if it was already saved. */
export async function findSubmission(db: Db, laCode: string, submissionKey: string): Promise<string | undefined> {
  const rows = await db
    .select({ requestId: caseEvents.requestId })
    .from(caseEvents)
    .where(and(eq(caseEvents.laCode, laCode), eq(caseEvents.submissionKey, submissionKey)))
    .limit(1);
  return rows[0]?.requestId ?? undefined;
}

export interface Change {
  type: string;
  occurredOn: string;
  actorName: string | null;
  recordedAt: Date;
  data: unknown;
}

/** What was recorded on a request after it reached `version`: shown to someone whose form has gone stale. */
export async function changesSince(db: Db, laCode: string, requestId: string, version: number): Promise<Change[]> {
  return db
    .select({
      type: caseEvents.type,
      occurredOn: caseEvents.occurredOn,
      actorName: users.displayName,
      recordedAt: caseEvents.recordedAt,
      data: caseEvents.data,
    })
    .from(caseEvents)
    .leftJoin(users, eq(users.id, caseEvents.actorId))
    .where(
      and(eq(caseEvents.laCode, laCode), eq(caseEvents.requestId, requestId), gt(caseEvents.requestVersion, version)),
    )
    .orderBy(asc(caseEvents.id));
}

export interface NewEvent {
  type: string;
  occurredOn: string;
  data?: Record<string, unknown>;
}

export async function insertEvents(
  db: Db,
  base: { laCode: string; childId: string; requestId: string; actorId: string; requestVersion: number },
  events: NewEvent[],
  submissionKey: string | null,
): Promise<void> {
  if (events.length === 0) return;
  await db.insert(caseEvents).values(
    events.map((e, i) => ({
      ...base,
      type: e.type,
      occurredOn: e.occurredOn,
      data: e.data ?? {},
      // The first event carries the submission key; a form writes its events together or not at all.
      submissionKey: i === 0 ? submissionKey : null,
    })),
  );
}

export type RequestPatch = Partial<{
  stage: string;
  open: boolean;
  assessmentDecision: string;
  assessmentDecisionDate: string;
  issueDecision: string;
  issueDecisionDate: string;
  draftServedDate: string;
  finalIssuedDate: string;
  exceptionReason: string;
  closedDate: string;
  caseworkerId: string | null;
  nextDuty: string | null;
  nextDueDate: string | null;
}>;

/** Applies a change and moves the version on by one. */
export async function updateRequest(db: Db, laCode: string, requestId: string, patch: RequestPatch): Promise<void> {
  await db
    .update(assessmentRequests)
    .set({ ...patch, version: sql`${assessmentRequests.version} + 1` })
    .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.id, requestId)));
}

export async function setNextDuty(
  db: Db,
  laCode: string,
  requestId: string,
  next: { duty: string; due: string } | null,
): Promise<void> {
  await db
    .update(assessmentRequests)
    .set({ nextDuty: next?.duty ?? null, nextDueDate: next?.due ?? null })
    .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.id, requestId)));
}

/**
 * Open requests of every LA whose next duty is not known or is due on or after `from`: those a bank holiday added on
 * `from` can move (working-day deadlines only ever count forward, so one due before it cannot move).
 */
export async function openRequestsDueFrom(db: Db, from: string): Promise<{ laCode: string; id: string }[]> {
  return db
    .select({ laCode: assessmentRequests.laCode, id: assessmentRequests.id })
    .from(assessmentRequests)
    .where(
      and(
        eq(assessmentRequests.open, true),
        or(isNull(assessmentRequests.nextDueDate), gte(assessmentRequests.nextDueDate, from)),
      ),
    );
}

/** The timeline and advice of one request, as the statutory clock reads them. */
export async function clockInputs(db: Db, laCode: string, requestId: string) {
  const [events, advice] = await inOrder(
    () =>
      db
        .select({ type: caseEvents.type, occurredOn: caseEvents.occurredOn, data: caseEvents.data })
        .from(caseEvents)
        .where(and(eq(caseEvents.laCode, laCode), eq(caseEvents.requestId, requestId)))
        .orderBy(asc(caseEvents.occurredOn), asc(caseEvents.id)),
    () => listAdvice(db, laCode, requestId),
  );
  return { events, advice };
}

export interface AdviceRow {
  id: string;
  adviceType: string;
  provider: string;
  requestedDate: string;
  receivedDate: string | null;
  documentId: string | null;
  reusedFromAdviceId: string | null;
  version: number;
}

export async function listAdvice(db: Db, laCode: string, requestId: string): Promise<AdviceRow[]> {
  return prepared(db, 'advice_for_request', () =>
    db
      .select({
        id: adviceRequests.id,
        adviceType: adviceRequests.adviceType,
        provider: adviceRequests.provider,
        requestedDate: adviceRequests.requestedDate,
        receivedDate: adviceRequests.receivedDate,
        documentId: adviceRequests.documentId,
        reusedFromAdviceId: adviceRequests.reusedFromAdviceId,
        version: adviceRequests.version,
      })
      .from(adviceRequests)
      .where(
        and(
          eq(adviceRequests.laCode, sql.placeholder('laCode')),
          eq(adviceRequests.requestId, sql.placeholder('requestId')),
        ),
      )
      .orderBy(asc(adviceRequests.requestedDate), asc(adviceRequests.adviceType), asc(adviceRequests.id))
      .prepare('advice_for_request'),
  ).execute({ laCode, requestId });
}

export async function insertAdvice(
  db: Db,
  row: {
    laCode: string;
    requestId: string;
    adviceType: string;
    provider: string;
    providerEmail: string | null;
    escalationEmail: string | null;
    requestedDate: string;
    receivedDate?: string | null;
    reusedFromAdviceId?: string | null;
    familyAgreedDate?: string | null;
    documentId?: string | null;
    providerUserId?: string | null;
  },
): Promise<string> {
  const inserted = await db.insert(adviceRequests).values(row).returning({ id: adviceRequests.id });
  return inserted[0]!.id;
}

export async function markAdviceReceived(
  db: Db,
  laCode: string,
  adviceId: string,
  receivedDate: string,
  documentId: string | null,
): Promise<void> {
  await db
    .update(adviceRequests)
    .set({ receivedDate, documentId, version: sql`${adviceRequests.version} + 1` })
    .where(and(eq(adviceRequests.laCode, laCode), eq(adviceRequests.id, adviceId)));
}

/** Advice already received for a child on earlier requests: candidates for "tell us once". */
export async function reusableAdvice(db: Db, laCode: string, childId: string, excludeRequestId: string) {
  return db
    .select({
      id: adviceRequests.id,
      adviceType: adviceRequests.adviceType,
      provider: adviceRequests.provider,
      receivedDate: adviceRequests.receivedDate,
      documentId: adviceRequests.documentId,
      requestReference: assessmentRequests.reference,
    })
    .from(adviceRequests)
    .innerJoin(assessmentRequests, eq(assessmentRequests.id, adviceRequests.requestId))
    .where(
      and(
        eq(adviceRequests.laCode, laCode),
        eq(assessmentRequests.laCode, laCode),
        eq(assessmentRequests.childId, childId),
        sql`${adviceRequests.requestId} <> ${excludeRequestId}`,
        sql`${adviceRequests.receivedDate} is not null`,
      ),
    )
    .orderBy(desc(adviceRequests.receivedDate));
}

export async function insertDocument(
  db: Db,
  doc: {
    laCode: string;
    childId: string;
    requestId: string;
    filename: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    content: Buffer;
    uploadedBy: string;
    /** Who gave it (default 'council'): 'family' or 'professional' when they uploaded it themselves. */
    source?: 'council' | 'family' | 'professional';
    /** When it was sent (default now): the service's clock, where a page states it. */
    createdAt?: Date;
  },
): Promise<string> {
  const inserted = await db.insert(documents).values(doc).returning({ id: documents.id });
  return inserted[0]!.id;
}

export async function getDocument(db: Db, laCode: string, documentId: string) {
  const rows = await db
    .select({
      id: documents.id,
      childId: documents.childId,
      requestId: documents.requestId,
      filename: documents.filename,
      mediaType: documents.mediaType,
      sizeBytes: documents.sizeBytes,
      content: documents.content,
    })
    .from(documents)
    .where(and(eq(documents.laCode, laCode), eq(documents.id, documentId)))
    .limit(1);
  return rows[0];
}

export interface PossibleDuplicate {
  id: string;
  reference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
}

/** Children in the LA with the same name (ignoring case) and date of birth. */
export async function findPossibleDuplicates(
  db: Db,
  laCode: string,
  child: { givenName: string; familyName: string; dateOfBirth: string },
): Promise<PossibleDuplicate[]> {
  return db
    .select({
      id: children.id,
      reference: children.reference,
      givenName: children.givenName,
      familyName: children.familyName,
      dateOfBirth: children.dateOfBirth,
    })
    .from(children)
    .where(
      and(
        eq(children.laCode, laCode),
        eq(children.dateOfBirth, child.dateOfBirth),
        ilike(children.familyName, child.familyName.replace(/[\\%_]/g, '\\$&')),
        ilike(children.givenName, child.givenName.replace(/[\\%_]/g, '\\$&')),
      ),
    )
    .limit(10);
}

export async function childExists(db: Db, laCode: string, childId: string): Promise<boolean> {
  const rows = await db
    .select({ id: children.id })
    .from(children)
    .where(and(eq(children.laCode, laCode), eq(children.id, childId)))
    .limit(1);
  return rows.length > 0;
}

type ReferenceSeries = 'children' | 'requests';
const REFERENCE_WIDTH: Record<ReferenceSeries, number> = { children: 6, requests: 5 };

/** The highest number written in a series (what a counter starts from, and catches up with). */
function highestInSeries(series: ReferenceSeries, laCode: string, prefix: string) {
  const t = series === 'children' ? children : assessmentRequests;
  return sql`(select coalesce(max(substring(${t.reference} from ${prefix.length + 1}::int)::int), 0) from ${t}
    where ${t.laCode} = ${laCode} and ${t.reference} ~ ${`^${prefix}[0-9]+$`})`;
}

/**
 * Takes the next `count` references of a series (`999-000123`, `EHC-2026-00045`) and returns them in order. One
 * short statement moves the series' counter on, so people recording at once neither wait for each other's saves nor
 * take the same number; the first use of a series starts it from the highest reference already written (records
 * loaded before counters existed, or by the demo county). Call it outside a long transaction: the counter's row stays
 * locked until the statement's transaction ends.
 */
export async function takeReferences(
  db: Db,
  laCode: string,
  series: ReferenceSeries,
  prefix: string,
  count = 1,
): Promise<string[]> {
  const key = and(
    eq(referenceCounters.laCode, laCode),
    eq(referenceCounters.series, series),
    eq(referenceCounters.prefix, prefix),
  );
  let rows = await db
    .update(referenceCounters)
    .set({ last: sql`${referenceCounters.last} + ${count}` })
    .where(key)
    .returning({ last: referenceCounters.last });
  if (rows.length === 0) {
    rows = await db
      .insert(referenceCounters)
      .values({ laCode, series, prefix, last: sql`${highestInSeries(series, laCode, prefix)} + ${count}` })
      .onConflictDoUpdate({
        target: [referenceCounters.laCode, referenceCounters.series, referenceCounters.prefix],
        set: { last: sql`${referenceCounters.last} + ${count}` },
      })
      .returning({ last: referenceCounters.last });
  }
  const last = rows[0]!.last;
  const width = REFERENCE_WIDTH[series];
  return Array.from({ length: count }, (_, i) => `${prefix}${String(last - count + 1 + i).padStart(width, '0')}`);
}

/**
 * Moves a series' counter up to the highest reference written, when records were written with references the counter
 * did not give (a save refused for a taken reference calls this, then tries once more).
 */
export async function catchUpReferences(db: Db, laCode: string, series: ReferenceSeries, prefix: string) {
  await db
    .update(referenceCounters)
    .set({ last: sql`greatest(${referenceCounters.last}, ${highestInSeries(series, laCode, prefix)})` })
    .where(
      and(
        eq(referenceCounters.laCode, laCode),
        eq(referenceCounters.series, series),
        eq(referenceCounters.prefix, prefix),
      ),
    );
}

/** Whether a refused write was refused for a reference already taken (children's or requests'). */
export function referenceTaken(err: unknown): ReferenceSeries | undefined {
  const constraint = pgConstraint(err);
  if (constraint === 'children_la_reference_key') return 'children';
  if (constraint === 'assessment_requests_la_reference_key') return 'requests';
  return undefined;
}

export async function insertChild(
  db: Db,
  child: typeof children.$inferInsert & { laCode: string; reference: string },
): Promise<string> {
  const inserted = await db.insert(children).values(child).returning({ id: children.id });
  return inserted[0]!.id;
}

/** Records the child's primary need (SEN2 SENtype rank 1), moving the child's version on. */
export async function setPrimaryNeed(db: Db, laCode: string, childId: string, primaryNeed: string): Promise<void> {
  await db
    .update(children)
    .set({ primaryNeed, version: sql`${children.version} + 1` })
    .where(and(eq(children.laCode, laCode), eq(children.id, childId)));
}

export async function insertRequest(
  db: Db,
  request: typeof assessmentRequests.$inferInsert & { laCode: string; reference: string },
): Promise<string> {
  const inserted = await db.insert(assessmentRequests).values(request).returning({ id: assessmentRequests.id });
  return inserted[0]!.id;
}

/** The caseworker's team, to file a new request with it. */
export async function teamOf(db: Db, laCode: string, userId: string): Promise<string | null> {
  const rows = await db
    .select({ team: roleAssignments.team })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.laCode, laCode), isNotNull(roleAssignments.team)))
    .limit(1);
  return rows[0]?.team ?? null;
}

export async function insertConsultation(
  db: Db,
  row: {
    laCode: string;
    requestId: string;
    settingName: string;
    settingUrn: string | null;
    sentDate: string;
    planVersionId: string | null;
  },
): Promise<string> {
  const inserted = await db.insert(settingConsultations).values(row).returning({ id: settingConsultations.id });
  return inserted[0]!.id;
}

export async function listConsultations(db: Db, laCode: string, requestId: string) {
  return prepared(db, 'consultations_for_request', () =>
    db
      .select({
        id: settingConsultations.id,
        settingName: settingConsultations.settingName,
        settingUrn: settingConsultations.settingUrn,
        sentDate: settingConsultations.sentDate,
        respondedDate: settingConsultations.respondedDate,
        response: settingConsultations.response,
        responseNote: settingConsultations.responseNote,
        version: settingConsultations.version,
        respondedOnline: sql<boolean>`${settingConsultations.respondedBy} is not null`,
        // When the school was first chased for its reply (jobs/chasers.ts), or null. The outer row's columns are
        // named in full: drizzle leaves them unqualified in a query from one table, which the subquery would misread.
        chasedAt: sql<
          Date | string | null
        >`(select min(${notifications.createdAt}) from ${notifications} where ${notifications.laCode} = "setting_consultations"."la_code" and ${notifications.dedupeKey} like 'consultation:' || "setting_consultations"."id" || ':%')`,
      })
      .from(settingConsultations)
      .where(
        and(
          eq(settingConsultations.laCode, sql.placeholder('laCode')),
          eq(settingConsultations.requestId, sql.placeholder('requestId')),
        ),
      )
      .orderBy(asc(settingConsultations.sentDate), asc(settingConsultations.createdAt))
      .prepare('consultations_for_request'),
  ).execute({ laCode, requestId });
}

export async function recordConsultationResponse(
  db: Db,
  laCode: string,
  consultationId: string,
  response: { respondedDate: string; response: string; responseNote: string; respondedBy?: string | null },
): Promise<void> {
  await db
    .update(settingConsultations)
    .set({ ...response, version: sql`${settingConsultations.version} + 1` })
    .where(and(eq(settingConsultations.laCode, laCode), eq(settingConsultations.id, consultationId)));
}
