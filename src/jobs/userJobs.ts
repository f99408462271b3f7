/**
 * The jobs people start from a page (a forecast scenario, an SEN2 import) on the queue: starting one writes its row
 * (services/jobs.ts) and sends a pg-boss job of the same id; whichever process takes it runs it and writes its
 * progress, which the page reads. A job that fails is tried again once, after a short wait, its page saying so; a
 * second failure is shown as the job's failure. A job whose process stopped is shown as stopped ("run it again") and
 * is not run again when pg-boss retries it.
 */
import type { Attempt, Dispatch } from '../services/jobs.js';
import type { JobDefinition } from './runner.js';

/** The part of a job board (services/jobs.ts) the queue uses. */
export interface QueuedBoard {
  kind: string;
  /** How many of the kind may run at once, across the service: each process works as many. */
  maxRunning: number;
  /** How long a job may take: one active longer has died with its process. */
  lifetimeMs: number;
  runQueued(id: string, attempt: Attempt): Promise<void>;
  useQueue(queue: Dispatch): void;
}

/**
 * How long the queue waits before it tries a failed job again: the first retry starts 10 to 20 s after the failure
 * (pg-boss's backoff, with its jitter), long enough for a passing fault (the database restarting, a lock held) to clear,
 * short enough that the person on the job's page is still there to see it finish.
 */
export const USER_JOB_RETRY_DELAY_SECONDS = 10;

/**
 * A board's kind of job on the queue. `retryDelaySeconds` (default USER_JOB_RETRY_DELAY_SECONDS) is the wait before
 * the retry, for a test that follows a job through its retry without waiting the service's 10 to 20 s.
 */
export function boardJob(
  board: QueuedBoard,
  { retryDelaySeconds = USER_JOB_RETRY_DELAY_SECONDS }: { retryDelaySeconds?: number } = {},
): JobDefinition<{ id?: string }> {
  return {
    name: board.kind,
    concurrency: board.maxRunning,
    queue: {
      policy: 'standard',
      retryLimit: 1,
      retryDelay: retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: Math.round(board.lifetimeMs / 1000),
    },
    async run(data, job) {
      if (typeof data.id !== 'string') return;
      await board.runQueued(data.id, job);
    },
  };
}

/** From now on the board's jobs go through the runner's queue, under their own ids. */
export function queueBoard(
  board: QueuedBoard,
  send: (name: string, data: object, options: { id: string }) => Promise<unknown>,
) {
  board.useQueue((kind, id) => send(kind, { id }, { id }));
}
