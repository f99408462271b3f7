/** The outbox: every message the service sends, once per dedupe key. */
import { and, desc, eq, gte, inArray, isNotNull, isNull, like, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import {
  adviceRequests,
  assessmentRequests,
  children,
  notifications,
  roleAssignments,
  settingConsultations,
  users,
} from '../schema.js';

export interface OutstandingAdviceRow {
  adviceId: string;
  laCode: string;
  requestId: string;
  adviceType: string;
  provider: string;
  providerEmail: string | null;
  escalationEmail: string | null;
  requestedDate: string;
  childReference: string;
  requestReference: string;
  caseworkerEmail: string | null;
}

/** Advice not yet received on open requests (every LA, or one). */
export async function outstandingAdvice(db: Db, laCode?: string): Promise<OutstandingAdviceRow[]> {
  return db
    .select({
      adviceId: adviceRequests.id,
      laCode: adviceRequests.laCode,
      requestId: adviceRequests.requestId,
      adviceType: adviceRequests.adviceType,
      provider: adviceRequests.provider,
      providerEmail: adviceRequests.providerEmail,
      escalationEmail: adviceRequests.escalationEmail,
      requestedDate: adviceRequests.requestedDate,
      childReference: children.reference,
      requestReference: assessmentRequests.reference,
      caseworkerEmail: users.email,
    })
    .from(adviceRequests)
    .innerJoin(
      assessmentRequests,
      and(eq(assessmentRequests.id, adviceRequests.requestId), eq(assessmentRequests.laCode, adviceRequests.laCode)),
    )
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, adviceRequests.laCode)))
    .leftJoin(users, eq(users.id, assessmentRequests.caseworkerId))
    .where(
      and(
        isNull(adviceRequests.receivedDate),
        eq(assessmentRequests.open, true),
        laCode ? eq(adviceRequests.laCode, laCode) : undefined,
      ),
    );
}

/** Consultations with a school (by URN) not yet answered, on open requests (every LA, or one). */
export async function outstandingConsultations(db: Db, laCode?: string) {
  return db
    .select({
      consultationId: settingConsultations.id,
      laCode: settingConsultations.laCode,
      requestId: settingConsultations.requestId,
      settingName: settingConsultations.settingName,
      settingUrn: settingConsultations.settingUrn,
      sentDate: settingConsultations.sentDate,
      childReference: children.reference,
      requestReference: assessmentRequests.reference,
      caseworkerEmail: users.email,
    })
    .from(settingConsultations)
    .innerJoin(
      assessmentRequests,
      and(
        eq(assessmentRequests.id, settingConsultations.requestId),
        eq(assessmentRequests.laCode, settingConsultations.laCode),
      ),
    )
    .innerJoin(
      children,
      and(eq(children.id, assessmentRequests.childId), eq(children.laCode, settingConsultations.laCode)),
    )
    .leftJoin(users, eq(users.id, assessmentRequests.caseworkerId))
    .where(
      and(
        isNull(settingConsultations.respondedDate),
        isNotNull(settingConsultations.settingUrn),
        eq(assessmentRequests.open, true),
        laCode ? eq(settingConsultations.laCode, laCode) : undefined,
      ),
    );
}

/** The school users of a setting in an LA (role 'school' with that URN, not disabled): who a consultation goes to. */
export async function schoolUsers(db: Db, laCode: string, urn: string) {
  return db
    .selectDistinct({ id: users.id, email: users.email })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(
      and(
        eq(roleAssignments.laCode, laCode),
        eq(roleAssignments.role, 'school'),
        eq(roleAssignments.settingUrn, urn),
        eq(users.disabled, false),
      ),
    )
    .orderBy(users.id);
}

/** Who a consultation's chaser has been recorded for: the last part of each key (a user's id, or 'caseworker'). */
export async function consultationChasedRecipients(
  db: Db,
  laCode: string,
  consultationId: string,
): Promise<Set<string>> {
  const rows = await db
    .select({ key: notifications.dedupeKey })
    .from(notifications)
    .where(and(eq(notifications.laCode, laCode), like(notifications.dedupeKey, `consultation:${consultationId}:%`)));
  return new Set(rows.map((r) => r.key.split(':').at(-1)!));
}

/** The chaser kinds already recorded for each advice request. */
export async function sentChaserKinds(db: Db, adviceIds: string[]): Promise<Map<string, string[]>> {
  const sent = new Map<string, string[]>();
  for (let i = 0; i < adviceIds.length; i += 1000) {
    const rows = await db
      .select({ adviceId: notifications.adviceRequestId, kind: notifications.kind })
      .from(notifications)
      .where(inArray(notifications.adviceRequestId, adviceIds.slice(i, i + 1000)));
    for (const r of rows) if (r.adviceId) sent.set(r.adviceId, [...(sent.get(r.adviceId) ?? []), r.kind]);
  }
  return sent;
}

export interface NewNotification {
  laCode: string;
  dedupeKey: string;
  kind: string;
  requestId: string | null;
  adviceRequestId: string | null;
  toEmail: string | null;
  /** A text message's number; with channel 'sms'. */
  toPhone?: string | null;
  channel?: 'email' | 'sms';
  subject: string;
  body: string;
  status: string;
  dueOn: string | null;
  /** Who it is to (domain/messages/delivery.ts RecipientRole), for the caseworker's page. */
  toRole?: string | null;
}

/** Records a message; undefined when one with the same key already exists (it is never recorded twice). */
export async function insertNotification(db: Db, n: NewNotification): Promise<string | undefined> {
  const rows = await db
    .insert(notifications)
    .values(n)
    .onConflictDoNothing({ target: [notifications.laCode, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  return rows[0]?.id;
}

export async function setNotificationStatus(
  db: Db,
  id: string,
  status: { status: string; notifyId?: string | null; error?: string | null },
): Promise<void> {
  await db
    .update(notifications)
    .set({ status: status.status, notifyId: status.notifyId ?? null, error: status.error ?? null })
    .where(eq(notifications.id, id));
}

/**
 * Claims a message to hand to Notify: only one process ever gets it (the row moves from 'pending', or from 'retrying'
 * once its next try is due, to 'sending' in one statement), so a message is never given to Notify twice at once, and
 * never again once Notify has accepted it. Undefined when someone else has it, or it is sent, failed or not yet due.
 */
export async function claimNotification(db: Db, id: string, now: Date) {
  const rows = await db
    .update(notifications)
    .set({ status: 'sending', attempts: sql`${notifications.attempts} + 1`, lastAttemptAt: now, nextAttemptAt: null })
    .where(
      and(
        eq(notifications.id, id),
        or(
          eq(notifications.status, 'pending'),
          and(eq(notifications.status, 'retrying'), lte(notifications.nextAttemptAt, now)),
        ),
      ),
    )
    .returning({
      id: notifications.id,
      channel: notifications.channel,
      toEmail: notifications.toEmail,
      toPhone: notifications.toPhone,
      subject: notifications.subject,
      body: notifications.body,
      attempts: notifications.attempts,
    });
  return rows[0];
}

/** What came of a claimed message's try (only a message still 'sending' is changed). */
export async function recordSendOutcome(
  db: Db,
  id: string,
  outcome: {
    status: 'sent' | 'outbox' | 'retrying' | 'failed';
    notifyId?: string | null;
    error?: string | null;
    nextAttemptAt?: Date | null;
    failure?: string | null;
  },
): Promise<void> {
  await db
    .update(notifications)
    .set({
      status: outcome.status,
      notifyId: outcome.notifyId ?? null,
      error: outcome.error ?? null,
      nextAttemptAt: outcome.nextAttemptAt ?? null,
      failure: outcome.failure ?? null,
    })
    .where(and(eq(notifications.id, id), eq(notifications.status, 'sending')));
}

/**
 * Messages to try now: those waiting for their next try, and those recorded since `since` but never tried (their
 * process stopped between recording and sending). Oldest first.
 */
export async function notificationsToTry(db: Db, now: Date, since: Date, limit = 500): Promise<string[]> {
  const rows = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      or(
        and(eq(notifications.status, 'retrying'), lte(notifications.nextAttemptAt, now)),
        and(eq(notifications.status, 'pending'), gte(notifications.createdAt, since)),
      ),
    )
    .orderBy(notifications.createdAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Messages left 'sending' since before `before` (their process stopped while Notify had them): marked failed as
 * 'interrupted', never sent again, as Notify may have accepted them. Returns how many.
 */
export async function failInterruptedNotifications(db: Db, before: Date, error: string): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ status: 'failed', failure: 'interrupted', error })
    .where(and(eq(notifications.status, 'sending'), lt(notifications.lastAttemptAt, before)))
    .returning({ id: notifications.id });
  return rows.length;
}

/** The messages about a request that finally failed, newest first (for its case page). */
export async function failedNotificationsOf(db: Db, laCode: string, requestId: string) {
  return db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      channel: notifications.channel,
      toRole: notifications.toRole,
      failure: notifications.failure,
      lastAttemptAt: notifications.lastAttemptAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(
      and(eq(notifications.laCode, laCode), eq(notifications.requestId, requestId), eq(notifications.status, 'failed')),
    )
    .orderBy(desc(notifications.createdAt))
    .limit(20);
}

export async function listNotifications(db: Db, laCode: string, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    db
      .select({
        id: notifications.id,
        kind: notifications.kind,
        toEmail: notifications.toEmail,
        subject: notifications.subject,
        body: notifications.body,
        status: notifications.status,
        error: notifications.error,
        channel: notifications.channel,
        toPhone: notifications.toPhone,
        attempts: notifications.attempts,
        nextAttemptAt: notifications.nextAttemptAt,
        dueOn: notifications.dueOn,
        createdAt: notifications.createdAt,
        requestId: notifications.requestId,
      })
      .from(notifications)
      .where(eq(notifications.laCode, laCode))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit)
      .offset(offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(eq(notifications.laCode, laCode)),
  ]);
  return { rows, total: count[0]?.n ?? 0 };
}
