/**
 * The messages the service sends: the daily chaser run, and the outbox page that shows every message (the local
 * outbox when GOV.UK Notify is not configured; the record of what went through Notify when it is).
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { listNotifications } from '../data/repositories/notifications.js';
import { runChasers } from '../jobs/chasers.js';
import type { EmailSender } from '../notify/sender.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { requirePermission } from './useCase.js';
import { runFamilyLateMessages } from './family/messages.js';

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

  return {
    list,
    /**
     * The chasers due today in every LA, and the families told of a step that has become late (the scheduler's job;
     * safe to run again: each message is recorded once).
     */
    runChasers: async () => {
      const summary = await runChasers(database, clock.today(), sender, undefined, baseUrl);
      const familyLate = await runFamilyLateMessages(database, { sender, baseUrl }, clock.today());
      return { ...summary, familyLate };
    },
  };
}

export type MessageService = ReturnType<typeof createMessageService>;
