/**
 * Telling families at each step. A casework step records the family's messages in its own transaction (so a step
 * rolled back tells no one, and a step saved always has its messages), once per person, channel and piece of news (the
 * dedupe key); they are delivered after the transaction commits, as the project's other emails are. Each family
 * member linked to the child gets an email, and a text message as well when they chose it (/account/contact).
 * The daily job tells families of a step that has become late.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database, Db } from '../../data/db.js';
import { clockInputs } from '../../data/repositories/casework.js';
import { familyRecipients } from '../../data/repositories/family.js';
import { insertNotification } from '../../data/repositories/notifications.js';
import { assessmentRequests, children, roleAssignments } from '../../data/schema.js';
import { clockEventsFor } from '../../domain/casework/clockEvents.js';
import {
  familyMessage,
  familyMessageKey,
  familyNewsOf,
  type FamilyNews,
} from '../../domain/casework/familyMessages.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { WorkingDayCalendar } from '../../domain/dates/workingDays.js';
import { computeClock } from '../../domain/statutory/clock.js';
import type { EmailSender } from '../../notify/sender.js';
import { deliverNotification } from '../delivery.js';

export interface FamilyMessaging {
  sender: EmailSender;
  /** The address families reach the service at (config BASE_URL). */
  baseUrl: string;
}

/** A message recorded, to deliver after commit. */
export interface PendingFamilyMessage {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  body: string;
}

/** Records the messages for `news` on a request to every family member linked to the child; returns what to deliver. */
export async function recordFamilyNews(
  tx: Db,
  messaging: FamilyMessaging,
  laCode: string,
  requestId: string,
  news: readonly FamilyNews[],
  today: LocalDate,
  dueOn: LocalDate | null = null,
): Promise<PendingFamilyMessage[]> {
  if (news.length === 0) return [];
  const [found] = await tx
    .select({ childId: children.id, givenName: children.givenName, reference: assessmentRequests.reference })
    .from(assessmentRequests)
    .innerJoin(children, and(eq(children.id, assessmentRequests.childId), eq(children.laCode, laCode)))
    .where(and(eq(assessmentRequests.laCode, laCode), eq(assessmentRequests.id, requestId)))
    .limit(1);
  if (!found) return [];
  const people = await familyRecipients(tx, laCode, found.childId);
  const link = `${messaging.baseUrl.replace(/\/$/, '')}/my-child/${requestId}`;
  const pending: PendingFamilyMessage[] = [];
  for (const n of news) {
    for (const person of people) {
      const message = familyMessage(n, {
        audience: person.relationship === 'young_person' ? 'young_person' : 'parent',
        givenName: found.givenName,
        reference: found.reference,
        link,
      });
      const channels: { channel: 'email' | 'sms'; to: string | null; body: string }[] = [
        { channel: 'email', to: person.email, body: message.body },
      ];
      if (person.smsOptIn && person.phone) channels.push({ channel: 'sms', to: person.phone, body: message.sms });
      for (const c of channels) {
        const id = await insertNotification(tx, {
          laCode,
          dedupeKey: familyMessageKey(n, requestId, person.userId, c.channel, today),
          kind: `family_${n.kind}`,
          requestId,
          adviceRequestId: null,
          toEmail: c.channel === 'email' ? c.to : null,
          toPhone: c.channel === 'sms' ? c.to : null,
          channel: c.channel,
          toRole: person.relationship === 'young_person' ? 'young_person' : 'parent',
          subject: message.subject,
          body: c.body,
          status: c.to ? 'pending' : 'no_recipient',
          dueOn,
        });
        if (id && c.to) pending.push({ id, channel: c.channel, to: c.to, subject: message.subject, body: c.body });
      }
    }
  }
  return pending;
}

/**
 * The news a casework step makes for the family, recorded in the step's transaction (after its events are written,
 * so the draft's comment window is the clock's).
 */
export async function recordStepNews(
  tx: Db,
  messaging: FamilyMessaging,
  laCode: string,
  requestId: string,
  events: readonly { type: string; data?: Record<string, unknown> }[],
  newStage: string | undefined,
  today: LocalDate,
  calendar: WorkingDayCalendar,
): Promise<PendingFamilyMessage[]> {
  let commentBy: LocalDate | null = null;
  if (events.some((e) => e.type === 'draft_served')) {
    const inputs = await clockInputs(tx, laCode, requestId);
    try {
      commentBy = computeClock(clockEventsFor(inputs.events, inputs.advice), today, calendar).measures
        .draftCommentWindowEnds;
    } catch {
      // A record the clock cannot read: the message says "15 days" without the date.
      commentBy = null;
    }
  }
  return recordFamilyNews(tx, messaging, laCode, requestId, familyNewsOf(events, newStage, commentBy), today);
}

/** Sends what was recorded, after the transaction committed; texts stay in the outbox without an SMS template. */
export async function deliverFamilyMessages(
  db: Db,
  sender: EmailSender,
  pending: readonly PendingFamilyMessage[],
  now: Date = new Date(),
): Promise<void> {
  // Each is claimed before it goes (services/delivery.ts): a failure that may pass is tried again by the retry job.
  for (const p of pending) await deliverNotification(db, sender, p.id, now);
}

/**
 * The daily run: tells the family of each open request whose next statutory duty (as the caseload keeps it) is past
 * its due date, once per duty and due date. Returns how many messages were recorded.
 */
export async function runFamilyLateMessages(
  database: Database,
  messaging: FamilyMessaging,
  today: LocalDate,
): Promise<number> {
  const { db } = database;
  const late = await db
    .select({
      laCode: assessmentRequests.laCode,
      requestId: assessmentRequests.id,
      duty: assessmentRequests.nextDuty,
      due: assessmentRequests.nextDueDate,
    })
    .from(assessmentRequests)
    .where(
      and(
        eq(assessmentRequests.open, true),
        lt(assessmentRequests.nextDueDate, today),
        // Only requests a family member is linked to: there is no one else to tell.
        sql`exists (select 1 from ${roleAssignments} where ${roleAssignments.laCode} = ${assessmentRequests.laCode}
          and ${roleAssignments.childId} = ${assessmentRequests.childId} and ${roleAssignments.role} = 'parent')`,
      ),
    );
  let recorded = 0;
  for (const r of late) {
    if (!r.duty || !r.due) continue;
    const news: FamilyNews = { kind: 'late', duty: r.duty, due: r.due as LocalDate };
    const pending = await db.transaction((tx) =>
      recordFamilyNews(tx, messaging, r.laCode, r.requestId, [news], today, r.due as LocalDate),
    );
    recorded += pending.length;
    await deliverFamilyMessages(db, messaging.sender, pending);
  }
  return recorded;
}
