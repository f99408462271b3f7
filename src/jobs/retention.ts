/**
 * The nightly retention job (on only when the council has set RETENTION_SCHEDULE; docs/retention.md): the closed cases
 * due for deletion today deleted, each in its own transaction with its audit record, exactly as
 * `openehcp retention run` does (services/retention.ts). Retried after a failure: a case already deleted is not
 * listed again.
 */
import type { Logger } from 'pino';
import type { Clock } from '../services/clock.js';
import type { RetentionService } from '../services/retention.js';
import type { JobDefinition } from './runner.js';

export const RETENTION_JOB = 'retention-run';

export function retentionJob(
  retention: Pick<RetentionService, 'run'> | null,
  clock: Clock,
  logger: Logger,
): JobDefinition {
  return {
    name: RETENTION_JOB,
    queue: { policy: 'stately', retryLimit: 3, retryDelay: 300, retryBackoff: true, expireInSeconds: 2 * 60 * 60 },
    async run() {
      if (!retention) {
        logger.warn('retention job skipped: RETENTION_SCHEDULE is not set');
        return { deleted: 0 };
      }
      const result = await retention.run({ asOf: clock.today(), dryRun: false });
      // Counts only: the audit log names each case by its reference.
      logger.info({ deleted: result.cases.length }, 'retention schedule applied');
      return { deleted: result.cases.length };
    },
  };
}
