/**
 * The job runner: pg-boss (https://github.com/timgit/pg-boss) on the service's own database, on PostgreSQL and on the
 * embedded PGlite alike. pg-boss is given the database through its `db` option (Database.executeSql), so it shares the
 * pool, or PGlite's one connection: pg-boss fetches jobs by polling (no LISTEN/NOTIFY) and takes its advisory locks
 * inside single statements or BEGIN ... COMMIT blocks, so one connection is all it needs.
 *
 * What pg-boss gives every job here: schedules (cron, sent once a minute by whichever process gets there first),
 * retries with exponential backoff, an expiry after which a job whose process died is retried or failed (its
 * supervisor checks every minute), and queue policies so two processes never run one job twice.
 */
import PgBoss from 'pg-boss';
import type { Database } from '../data/db.js';
import { serializeError } from '../logger.js';

/** The schema pg-boss keeps its queues, jobs and schedules in. */
export const JOBS_SCHEMA = 'pgboss';

export interface JobInfo {
  id: string;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
}

/** One kind of job: its queue's rules and what it does. */
export interface JobDefinition<D extends object = object> {
  name: string;
  /**
   * How pg-boss treats the queue. `stately`: at most one job waiting and one active at a time, across every process
   * (scheduled work: a second sent while one waits is dropped); `standard`: as many as are sent (work people start, limited by their own rules). Retries wait
   * retryDelay seconds, doubling each time (with jitter) when retryBackoff; a job active for longer than
   * expireInSeconds is taken to have died with its process, and is retried or failed.
   */
  queue: {
    policy: 'stately' | 'standard';
    retryLimit: number;
    retryDelay: number;
    retryBackoff: boolean;
    expireInSeconds: number;
  };
  /** How many of its jobs one process runs at once (default 1). */
  concurrency?: number;
  run(data: D, job: JobInfo): Promise<unknown>;
}

export interface JobRunnerOptions {
  /** Whether this process sends scheduled jobs (every process works them). Default true. */
  schedules?: boolean;
  /** How often an idle worker asks for work, in seconds (pg-boss's default is 2). */
  pollingIntervalSeconds?: number;
  /** How often expired jobs are found and retried or failed, in seconds (default 60). */
  superviseIntervalSeconds?: number;
  /** How often schedules are checked, in seconds (default 30: a job is sent within half a minute of its time). */
  cronMonitorIntervalSeconds?: number;
  /** Called with a job's name and error when an attempt fails (the error is kept in pg-boss's job row as well). */
  onError?: (name: string, error: unknown, job: JobInfo) => void;
  /** Called when pg-boss itself reports an error (a poll that failed). */
  onBossError?: (error: Error) => void;
}

export interface JobState {
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  retryCount: number;
  retryLimit: number;
  startAfter: Date;
  /** The error of the last failed attempt. */
  error: string | null;
}

export type JobRunner = ReturnType<typeof createJobRunner>;

export function createJobRunner(database: Database, options: JobRunnerOptions = {}) {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => database.executeSql(text, values) },
    schema: JOBS_SCHEMA,
    schedule: options.schedules ?? true,
    supervise: true,
    maintenanceIntervalSeconds: options.superviseIntervalSeconds ?? 60,
    cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds ?? 30,
    // The queue of scheduled sends is polled as often as the schedules are checked.
    cronWorkerIntervalSeconds: Math.min(5, options.cronMonitorIntervalSeconds ?? 5),
    // Finished jobs are kept a week, for the record of what ran; pg-boss then removes them.
    deleteAfterDays: 7,
  });
  boss.on('error', (error) => options.onBossError?.(error));
  const definitions = new Map<string, JobDefinition>();
  let started = false;

  /** pg-boss's tables (when not there yet) and each queue, created or brought up to date. */
  const install = async () => {
    await boss.start();
    started = true;
    for (const d of definitions.values()) {
      const queue = { name: d.name, ...d.queue };
      for (let attempt = 1; ; attempt++) {
        try {
          if (await boss.getQueue(d.name)) await boss.updateQueue(d.name, queue);
          else await boss.createQueue(d.name, queue);
          break;
        } catch (error) {
          // Processes starting together on PostgreSQL may create a new queue at the same moment: one wins, the
          // others meet a deadlock or a duplicate, and find the queue there when they look again.
          if (attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * attempt));
        }
      }
    }
  };

  /** Works `d`'s queue: one job at a time, its error kept without personal data. */
  const work = (d: JobDefinition) =>
    boss.work<object>(
      d.name,
      { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
      async ([job]) => {
        if (!job) return;
        const info = { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit };
        try {
          return await d.run(job.data ?? {}, info);
        } catch (error) {
          options.onError?.(d.name, error, info);
          // pg-boss keeps the error with the job: its class and message only, without the values a failed
          // query carried (they may be a child's details). Hence no `cause`: pg-boss would store it whole.
          const { type, message } = serializeError(error);
          // eslint-disable-next-line preserve-caught-error
          throw new Error(`${type}: ${message}`);
        }
      },
    );

  return {
    boss,
    /** Adds a kind of job (before start). */
    define<D extends object>(definition: JobDefinition<D>) {
      if (started) throw new Error(`job ${definition.name} defined after the runner started`);
      definitions.set(definition.name, definition);
    },

    /**
     * Installs pg-boss's tables when they are not there yet, creates or updates each queue and starts working them.
     * `leftovers`: the jobs still active are known to belong to a process that stopped (the embedded database, whose
     * folder is locked to one process): each is failed with this message before any work starts, so it is retried
     * (when it has retries left) or failed at once, never left "running" until it expires.
     */
    async start(leftovers?: string) {
      await install();
      let failed = 0;
      if (leftovers !== undefined) {
        const { rows } = await database.executeSql(
          `select id::text as id, name from ${JOBS_SCHEMA}.job where state = 'active'`,
        );
        for (const { id, name } of rows as { id: string; name: string }[]) {
          await boss.fail(name, id, { message: leftovers });
          failed += 1;
        }
      }
      for (const d of definitions.values()) {
        // pg-boss 10 runs one job at a time per worker: a kind run several at once has as many workers.
        for (let i = 0; i < (d.concurrency ?? 1); i++) await work(d);
      }
      return { leftoversFailed: failed };
    },

    /**
     * Installs pg-boss's tables and the queues, working nothing: `openehcp migrate` does this as the database's owner,
     * so that the service's role, which may not change the schema (docs/audit-log.md), finds them there.
     */
    async install() {
      await install();
      await this.stop();
    },

    /** Sends a job now; `id` names it (for its page), `singletonKey` refuses a second while one is waiting or active. */
    async send(name: string, data: object = {}, send: { id?: string; singletonKey?: string } = {}) {
      return boss.send(name, data, send);
    },

    /** Sends `name` on the cron `cron` (in `tz`), from now on: kept in the database, so set it again at every start. */
    async schedule(name: string, cron: string, tz = 'Europe/London') {
      await boss.schedule(name, cron, {}, { tz });
    },

    async unschedule(name: string) {
      await boss.unschedule(name);
    },

    /** The schedules in force. */
    async schedules(): Promise<{ name: string; cron: string; timezone: string }[]> {
      const rows = (await boss.getSchedules()) as unknown as { name: string; cron: string; timezone: string }[];
      return rows.map(({ name, cron, timezone }) => ({ name, cron, timezone }));
    },

    /** Where a job is: waiting, running, retrying after a failure, done or failed. Undefined for an unknown id. */
    async state(name: string, id: string): Promise<JobState | undefined> {
      const job = await boss.getJobById(name, id, { includeArchive: true });
      if (!job) return undefined;
      const output = job.output as { message?: unknown; value?: { message?: unknown } } | null;
      const message = output?.message ?? output?.value?.message;
      return {
        state: job.state,
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
        startAfter: job.startAfter,
        error: (job.state === 'failed' || job.state === 'retry') && typeof message === 'string' ? message : null,
      };
    },

    /** Stops working (waiting up to `timeoutMs` for jobs running here), leaving the database open. */
    async stop(timeoutMs = 5_000) {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, close: false, timeout: Math.max(1_000, timeoutMs) });
    },
  };
}
