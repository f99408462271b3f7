/**
 * Every scheduled job, and the one place their schedules are set. pg-boss (src/jobs/runner.ts) runs them on the
 * service's own database, PostgreSQL or the embedded PGlite: each process of the service works every queue, the
 * process started first sends the scheduled ones (cron, Europe/London time; pg-boss sends each once a minute at most
 * whichever process gets there first), and a queue's policy lets one job of a kind run at a time across them all.
 *
 * | Job               | When                                   | Retries (first wait, doubling) |
 * |-------------------|----------------------------------------|--------------------------------|
 * | advice-chasers    | hourly at :00, and a few seconds after start | 3 (1 min)                |
 * | message-retries   | every 5 minutes: messages Notify could not take yet, when their next try is due | 1 (1 min) |
 * | measures-refresh  | hourly at :10, and a few seconds after start; then sends forecasts-refresh | 2 (1 min) |
 * | forecasts-refresh | after each measures-refresh            | 2 (2 min)                      |
 * | sessions-prune    | every 15 minutes                       | 1 (1 min)                      |
 * | retention-run     | nightly at 02:30, only when RETENTION_SCHEDULE is set | 3 (5 min)       |
 * | sen2_import, forecast_scenario | when someone starts one from its page (src/jobs/userJobs.ts) | 1 (10 s) |
 */
import type { Logger } from 'pino';
import type { Database } from '../data/db.js';
import type { RetentionSchedule } from '../domain/retention/schedule.js';
import { createServices, type Services } from '../services/index.js';
import { createRetentionService } from '../services/retention.js';
import { reloadCalendarEvery } from './calendar.js';
import { chasersJob, CHASERS_JOB, MESSAGE_RETRIES_JOB, messageRetriesJob } from './chasers.js';
import { forecastsJob } from './forecasts.js';
import { measuresJob, MEASURES_JOB } from './measures.js';
import { retentionJob, RETENTION_JOB } from './retention.js';
import { createJobRunner, type JobRunnerOptions } from './runner.js';
import { pruneJob, PRUNE_JOB } from './sessions.js';
import { boardJob, queueBoard } from './userJobs.js';

/** The cron of each scheduled job. */
export const SCHEDULES = {
  [CHASERS_JOB]: '0 * * * *',
  [MESSAGE_RETRIES_JOB]: '*/5 * * * *',
  [MEASURES_JOB]: '10 * * * *',
  [PRUNE_JOB]: '*/15 * * * *',
  [RETENTION_JOB]: '30 2 * * *',
} as const;

/** What a job left running by a stopped process is failed with (it is then retried, when it has retries left). */
export const STOPPED_JOB_MESSAGE = 'The process running this job stopped';

export interface JobsOptions {
  logger: Logger;
  /** Whether this process sends the scheduled jobs (one process of several does). */
  schedules: boolean;
  /** How many processes serve the service: with more than one, each re-reads the bank holidays every 30 seconds. */
  processes: number;
  /** The council's retention schedule when it has set one (RETENTION_SCHEDULE): the nightly deletion runs only then. */
  retention: RetentionSchedule | null;
  /** Start-up runs (chasers and measures a few seconds after start); default true. */
  runAtStart?: boolean;
  runner?: Pick<JobRunnerOptions, 'pollingIntervalSeconds' | 'superviseIntervalSeconds' | 'cronMonitorIntervalSeconds'>;
}

/** A runner with every kind of job defined. */
function jobRunner(database: Database, services: Services, options: JobsOptions) {
  const { logger } = options;
  const runner = createJobRunner(database, {
    ...options.runner,
    schedules: options.schedules,
    onError: (name, err, job) =>
      logger.error({ err, job: name, attempt: job.retryCount + 1, of: job.retryLimit + 1 }, 'a job failed'),
    onBossError: (err) => logger.error({ err }, 'the job queue could not reach the database'),
  });
  const send = (name: string) => runner.send(name);
  runner.define(chasersJob(() => services.messages.runChasers(), logger));
  runner.define(messageRetriesJob(() => services.messages.retryDue(), logger));
  runner.define(measuresJob(services.measures, send, logger));
  runner.define(forecastsJob(services.forecasts, logger));
  runner.define(
    pruneJob({
      sessions: services.sessions.prune,
      throttle: services.auth.pruneThrottle,
      requestLimits: () => services.requestLimits.prune(new Date()),
    }),
  );
  const boards = [services.sen2.imports, services.scenarios.jobs];
  for (const board of boards) runner.define(boardJob(board));
  // Defined (its queue made) whether or not it is scheduled, so a schedule set later finds its queue; it deletes
  // nothing unless the council has set RETENTION_SCHEDULE.
  const retention = options.retention && createRetentionService(database, options.retention);
  runner.define(retentionJob(retention, services.clock, logger));
  return { runner, boards };
}

/**
 * Installs pg-boss's tables and every job's queue without running anything: part of `openehcp migrate`, run as the
 * database's owner (the service's own role may not create them; docs/audit-log.md).
 */
export async function installJobs(database: Database, logger: Logger): Promise<void> {
  const services = createServices(database);
  const { runner } = jobRunner(database, services, { logger, schedules: false, processes: 1, retention: null });
  await runner.install();
}

/** Starts the job runner with every job, sets the schedules, and returns how to stop it. */
export async function startJobs(database: Database, services: Services, options: JobsOptions) {
  const { logger } = options;
  const { runner, boards } = jobRunner(database, services, options);
  // On the embedded database this is the only process (its folder is locked): a job still active was left by one
  // that stopped. On PostgreSQL such a job expires (each queue's expireInSeconds) and is then retried or failed.
  const { leftoversFailed } = await runner.start(database.kind === 'pglite' ? STOPPED_JOB_MESSAGE : undefined);
  for (const board of boards) queueBoard(board, (name, data, o) => runner.send(name, data, o));
  if (leftoversFailed > 0)
    logger.warn({ jobs: leftoversFailed }, 'jobs left running by a stopped process retried or failed');

  const timers: NodeJS.Timeout[] = [];
  if (options.schedules) {
    await runner.schedule(CHASERS_JOB, SCHEDULES[CHASERS_JOB]);
    await runner.schedule(MESSAGE_RETRIES_JOB, SCHEDULES[MESSAGE_RETRIES_JOB]);
    await runner.schedule(MEASURES_JOB, SCHEDULES[MEASURES_JOB]);
    await runner.schedule(PRUNE_JOB, SCHEDULES[PRUNE_JOB]);
    if (options.retention) await runner.schedule(RETENTION_JOB, SCHEDULES[RETENTION_JOB]);
    else await runner.unschedule(RETENTION_JOB);
    if (options.runAtStart ?? true) {
      // The figures and the chasers are brought up to date soon after start, not at the next hour.
      timers.push(setTimeout(() => void runner.send(MEASURES_JOB).catch(() => undefined), 3_000).unref());
      timers.push(setTimeout(() => void runner.send(CHASERS_JOB).catch(() => undefined), 5_000).unref());
    }
  }
  const stopReloading =
    options.processes > 1 ? reloadCalendarEvery(() => services.calendar.reload(), logger) : () => undefined;

  return {
    runner,
    /** Stops sending and working jobs, waiting up to `timeoutMs` for those running here. */
    async stop(timeoutMs = 5_000) {
      for (const t of timers) clearTimeout(t);
      stopReloading();
      await runner.stop(timeoutMs);
    },
  };
}

export type Jobs = Awaited<ReturnType<typeof startJobs>>;
