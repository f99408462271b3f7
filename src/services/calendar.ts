/**
 * The live working-day calendar: the bank holiday list held in the database, which an administrator can extend
 * (the shipped list ends in 2028). Every change is audited and takes effect at once, in this process: the deadlines
 * stored on open cases that it can move are worked out again (other processes read the list every 30 seconds).
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { insertBankHoliday, listBankHolidays } from '../data/repositories/calendar.js';
import { englandAndWales, isWeekend, WorkingDayCalendar } from '../domain/dates/workingDays.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import type { RequestContext } from './cases.js';
import { requirePermission } from './useCase.js';

export interface CalendarHolder {
  current(): WorkingDayCalendar;
}

export type AddBankHolidayResult = { ok: true } | { ok: false; error: string };

export function createCalendarService(database: Database, initial: WorkingDayCalendar = englandAndWales) {
  const { db } = database;
  let calendar = initial;
  /** Work to do once a bank holiday is added (the open cases' next duties are worked out again). */
  const afterAdding: ((date: LocalDate) => Promise<unknown>)[] = [];

  /** Reads the live list from the database. */
  async function reload(): Promise<void> {
    calendar = new WorkingDayCalendar(await listBankHolidays(db));
  }

  async function list(ctx: RequestContext): Promise<string[]> {
    requirePermission(ctx, 'calendar:manage');
    return listBankHolidays(db);
  }

  async function add(ctx: RequestContext, date: LocalDate, title: string | null): Promise<AddBankHolidayResult> {
    requirePermission(ctx, 'calendar:manage');
    if (isWeekend(date)) {
      return { ok: false, error: 'A bank holiday must fall on a weekday: enter the substitute day instead' };
    }
    const added = await db.transaction(async (tx) => {
      const inserted = await insertBankHoliday(tx, date, title);
      if (inserted) {
        await appendAudit(tx, {
          userId: ctx.actor.userId,
          laCode: ctx.actor.laCode,
          action: 'create',
          entityType: 'bank_holiday',
          entityId: date,
          ip: ctx.ip,
          requestId: ctx.requestId,
          detail: { title },
        });
      }
      return inserted;
    });
    if (!added) return { ok: false, error: 'That date is already in the list' };
    await reload();
    for (const work of afterAdding) await work(date);
    return { ok: true };
  }

  return {
    current: () => calendar,
    reload,
    list,
    add,
    whenAdded: (work: (date: LocalDate) => Promise<unknown>) => void afterAdding.push(work),
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
