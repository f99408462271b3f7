/**
 * The measures job: every LA's performance measures worked out from the case records and stored, so that dashboards
 * and the public page read the stored figures instead of the whole case history. When it has run, it sends the
 * forecasts job (which works from the figures it stored).
 */
import type { Logger } from 'pino';
import type { MeasureService } from '../services/measures.js';
import { FORECASTS_JOB } from './forecasts.js';
import type { JobDefinition } from './runner.js';

export const MEASURES_JOB = 'measures-refresh';

export function measuresJob(
  measures: Pick<MeasureService, 'refresh'>,
  send: (name: string) => Promise<unknown>,
  logger: Logger,
): JobDefinition {
  return {
    name: MEASURES_JOB,
    queue: { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
    async run() {
      const started = Date.now();
      const las = await measures.refresh();
      logger.info({ las: las.length, ms: Date.now() - started }, 'measures worked out');
      await send(FORECASTS_JOB);
      return { las: las.length };
    },
  };
}
