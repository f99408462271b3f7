/**
 * The forecasts job: every LA's forecast of the 20-week measure, worked out on worker threads (so pages keep being
 * served) after the measures job has stored the figures it starts from.
 */
import type { Logger } from 'pino';
import type { ForecastService } from '../services/forecasts.js';
import type { JobDefinition } from './runner.js';

export const FORECASTS_JOB = 'forecasts-refresh';

export function forecastsJob(forecasts: Pick<ForecastService, 'refresh'>, logger: Logger): JobDefinition {
  return {
    name: FORECASTS_JOB,
    queue: { policy: 'stately', retryLimit: 2, retryDelay: 120, retryBackoff: true, expireInSeconds: 60 * 60 },
    async run() {
      const started = Date.now();
      const las = await forecasts.refresh();
      logger.info({ las: las.length, ms: Date.now() - started }, 'forecasts worked out');
      return { las: las.length };
    },
  };
}
