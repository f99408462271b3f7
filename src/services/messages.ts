/**
 * The messages the service sends: the daily chaser run, and the outbox page that shows every message (the local
 * outbox when GOV.UK Notify is not configured; the record of what went through Notify when it is).
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { failedNotificationsOf, listNotifications } from '../data/repositories/notifications.js';
import { failedMessageInWords } from '../domain/messages/delivery.js';
import { runChasers } from '../jobs/chasers.js';
import type { EmailSender } from '../notify/sender.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { requirePermission } from './useCase.js';
import { runFamilyLateMessages } from './family/messages.js';
import { retryDueMessages } from './delivery.js';

export const MESSAGES_PAGE_SIZE = 50;

export function createMessageService(database: Database, clock: Clock, sender: EmailSender, baseUrl: string) {
  async function list(ctx: RequestContext, page: number) {
    requirePermission(ctx, 'outbox:view');
    const { rows, total } = await listNotifications(
      database.db,
      ctx.actor.laCode,
      MESSAGES_PAGE_SIZE,
      (page - 1) * MESSAGES_PAGE_SIZE,
    );
    await appendAudit(database.db, {
      userId: ctx.actor.userId,
      laCode: ctx.actor.laCode,
      action: 'list',
      entityType: 'messages',
      ip: ctx.ip,
      requestId: ctx.requestId,
      detail: { page },
    });
    return {
      rows,
      total,
      page,
      pageCount: Math.max(1, Math.ceil(total / MESSAGES_PAGE_SIZE)),
      pageSize: MESSAGES_PAGE_SIZE,
      via: sender.name,
    };
  }

  /**
   * The messages about a case that could not be sent in the end, each in words for its caseworker (staff; the case read
   * itself is audited): who it was to, what about, when, why, and that they should make contact another way.
   */
  async function failedForCase(ctx: RequestContext, requestId: string, childName: string) {
    requirePermission(ctx, 'case:read_any');
    const rows = await failedNotificationsOf(database.db, ctx.actor.laCode, requestId);
    return rows.map((r) => ({
      id: r.id,
      text: failedMessageInWords({ ...r, at: r.lastAttemptAt ?? r.createdAt }, childName),
    }));
  }

  return {
    list,
    failedForCase,
    /**
     * The chasers due today in every LA, and the families told of a step that has become late (the scheduler's job;
     * safe to run again: each message is recorded once).
     */
    runChasers: async () => {
      const summary = await runChasers(database, clock.today(), sender, undefined, baseUrl);
      const familyLate = await runFamilyLateMessages(database, { sender, baseUrl }, clock.today());
      return { ...summary, familyLate };
    },
    /** The messages Notify could not take yet whose next try is due (the message-retries job). */
    retryDue: () => retryDueMessages(database.db, sender, clock.now()),
  };
}

export type MessageService = ReturnType<typeof createMessageService>;
