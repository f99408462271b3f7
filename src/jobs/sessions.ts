/** The housekeeping job: expired sessions, spent sign-in counters and spent request limits removed. */
import type { JobDefinition } from './runner.js';

export const PRUNE_JOB = 'sessions-prune';

export function pruneJob(prune: {
  sessions: () => Promise<unknown>;
  throttle: () => Promise<unknown>;
  requestLimits: () => Promise<unknown>;
}): JobDefinition {
  return {
    name: PRUNE_JOB,
    queue: { policy: 'stately', retryLimit: 1, retryDelay: 60, retryBackoff: false, expireInSeconds: 5 * 60 },
    async run() {
      await prune.sessions();
      await prune.throttle();
      await prune.requestLimits();
    },
  };
}
