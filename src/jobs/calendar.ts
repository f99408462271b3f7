/**
 * Each process keeps the bank holiday list in memory (deadlines count working days with it). With several processes,
 * a bank holiday added through one reaches the others within half a minute: every process re-reads the list itself,
 * so this is a timer in each process, not a queued job (a job runs in one process only).
 */
import type { Logger } from 'pino';

export const CALENDAR_RELOAD_MS = 30_000;

export function reloadCalendarEvery(reload: () => Promise<unknown>, logger: Logger, ms = CALENDAR_RELOAD_MS) {
  const timer = setInterval(() => {
    reload().catch((err: unknown) => logger.error({ err }, 'reading the bank holidays failed'));
  }, ms).unref();
  return () => clearInterval(timer);
}
