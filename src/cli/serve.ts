/**
 * `openehcp serve`: the web service and its job queues, on one process or several (PostgreSQL). Loaded only when it
 * runs: the other commands that open the database need none of it (src/cli/service-commands.ts).
 */
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createLogger } from '../logger.js';
import { ConfigError, loadConfig, ONE_PROCESS_ONLY, poolSizeFor, type Config } from '../config.js';
import { openDb, type Database } from '../data/db.js';
import { isDemoLoaded } from '../demo/load.js';
import { anyLocalAuthority } from '../data/repositories/localAccounts.js';
import { createServices } from '../services/index.js';
import { failStoppedJobs } from '../services/jobs.js';
import { startJobs } from '../jobs/index.js';
import { clamdScanner } from '../services/virusScan.js';
import { notifySender, outboxSender } from '../notify/sender.js';
import { createApp } from '../web/app.js';
import { answerMalformedRequests, clientErrorPages } from '../web/clientErrors.js';
import { DEFAULT_SEED, demoAccountsText, NO_COUNCIL, openConfigured, seedDemo } from './service-commands.js';

interface ServeOptions {
  demo: boolean;
  port?: number;
  host?: string;
  demoScale: number;
  /** Overrides PROCESSES. */
  processes?: number;
}

/** Set by the first process for the processes it starts: which one runs the scheduled work. */
const SCHEDULER_ENV = 'OPENEHCP_RUNS_SCHEDULES';

/**
 * Runs the service. On PostgreSQL it can run as several processes sharing the port (node:cluster), so that pages use
 * every processor: the first process prepares the database, starts the others, restarts any that stop, and passes
 * on a request to stop. Every one works the job queues (src/jobs); exactly one of them sends the scheduled jobs.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const config = loadConfig();
  const processes = options.processes ?? config.processes;
  if (processes > 1 && !config.databaseUrl) throw new ConfigError(ONE_PROCESS_ONLY);
  if (cluster.isWorker) {
    await serveOne(config, options, { runsSchedules: process.env[SCHEDULER_ENV] === '1', processes });
    return;
  }
  const startedAt = Date.now();
  // With one process this database serves the pages too: it gets that process's pool.
  const database = await openConfigured(config, processes === 1 ? poolSizeFor(config, 1) : undefined);
  let demoLoaded = await isDemoLoaded(database);
  if (options.demo && !demoLoaded) {
    await seedDemo(database, { seed: DEFAULT_SEED, scale: options.demoScale });
    demoLoaded = true;
  }
  // A new installation: nobody can sign in until a council exists, so say how to make one.
  if (!demoLoaded && !(await anyLocalAuthority(database.db))) process.stdout.write(`${NO_COUNCIL}\n`);
  if (processes === 1) {
    await serveOne(config, options, { runsSchedules: true, processes, database, demoLoaded, startedAt });
    return;
  }
  await database.close();
  await servePrimary(config, processes, demoLoaded, startedAt);
}

function runningMessage(
  url: string,
  config: Config,
  processes: number,
  startedAt: number,
  demoLoaded: boolean,
): string {
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded, ${config.dataDir}`;
  const how = processes > 1 ? `; ${processes} processes` : '';
  return (
    `OpenEHCP is running at ${url} (database: ${where}${how}; started in ${((Date.now() - startedAt) / 1000).toFixed(1)}s)\n` +
    (demoLoaded ? demoAccountsText() : '')
  );
}

const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** The first process of several: starts them, restarts any that stop, and stops them all on SIGTERM or SIGINT. */
async function servePrimary(config: Config, processes: number, demoLoaded: boolean, startedAt: number) {
  const logger = createLogger({ level: config.logLevel });
  // Every process must sign sessions with the same secret (loadConfig makes up a random one when none is set).
  const env = { SESSION_SECRET: config.sessionSecret };
  const roles = new Map<number, boolean>();
  const start = (runsSchedules: boolean) => {
    const worker = cluster.fork({ ...env, [SCHEDULER_ENV]: runsSchedules ? '1' : '0' });
    roles.set(worker.id, runsSchedules);
    return worker;
  };
  let stopping = false;
  const restarts: number[] = [];

  const listening = new Promise<number>((resolve, reject) => {
    let count = 0;
    cluster.on('listening', (_worker, address) => {
      if (++count === processes) resolve(address.port);
    });
    cluster.on('exit', (worker, code, signal) => {
      const runsSchedules = roles.get(worker.id) ?? false;
      roles.delete(worker.id);
      if (stopping) {
        if (roles.size === 0) {
          logger.info('stopped');
          process.exit();
        }
        return;
      }
      if (count < processes) {
        reject(new Error(`a process of the service stopped while starting (${signal ?? `exit code ${code}`})`));
        return;
      }
      // A process that stopped is replaced, unless they keep stopping (then something is wrong that a restart won't fix).
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > 5) {
        logger.fatal({ code, signal }, 'processes keep stopping: stopping the service');
        stopAll('SIGTERM', 1);
        return;
      }
      logger.error({ worker: worker.process.pid, code, signal }, 'a process of the service stopped: starting another');
      start(runsSchedules);
    });
  });

  const stopAll = (signal: NodeJS.Signals, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in progress');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(exitCode || 1);
    }, 15_000);
    force.unref();
    process.exitCode = exitCode;
    if (roles.size === 0) process.exit();
  };
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));

  for (let i = 0; i < processes; i++) start(i === 0);
  let port: number;
  try {
    port = await listening;
  } catch (error) {
    stopAll('SIGTERM', 1);
    throw error;
  }
  process.stdout.write(runningMessage(urlOf(config.host, port), config, processes, startedAt, demoLoaded));
}

/** One process serving pages and working the job queues; it sends the scheduled jobs too when `runsSchedules`. */
async function serveOne(
  config: Config,
  options: ServeOptions,
  role: {
    runsSchedules: boolean;
    processes: number;
    /** Given when this is the only process (it has prepared the database). */
    database?: Database;
    demoLoaded?: boolean;
    startedAt?: number;
  },
): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const database =
    role.database ??
    (await openDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: poolSizeFor(config, role.processes),
    }));
  const demoLoaded = role.demoLoaded ?? (await isDemoLoaded(database));
  // Jobs a stopped process left "running" (a crash, a kill) are marked failed, so they no longer hold up the next one.
  const stoppedJobs = await failStoppedJobs(database);
  if (stoppedJobs > 0) logger.warn({ jobs: stoppedJobs }, 'jobs left running by a stopped process marked as failed');
  const services = createServices(database, {
    sender: config.notify
      ? notifySender(config.notify.apiKey, config.notify.emailTemplateId, config.notify.smsTemplateId ?? undefined)
      : outboxSender,
    virusScanner: config.clamav && clamdScanner(config.clamav, { logger }),
    retention: config.retention,
    // Without BASE_URL, the local address, on the port given to this command (--port) if there is one.
    baseUrl:
      options.port !== undefined && config.baseUrl === `http://localhost:${config.port}`
        ? `http://localhost:${options.port}`
        : config.baseUrl,
    staffOidc: config.staffOidc,
    oneLogin: config.oneLogin,
  });
  // Deadlines count working days with the live bank holiday list.
  await services.calendar.reload();
  // Plans stored before reviews were recorded (or loaded without review dates) get them, for the reviews list.
  await services.reviews.fillMissing();
  const app = createApp({ services, config, logger, demoMode: demoLoaded });
  const port = options.port ?? config.port;
  const host = options.host ?? config.host;

  // The scheduled work (src/jobs): chasers, measures and forecasts, housekeeping, and retention when it is set.
  const jobs = await startJobs(database, services, {
    logger,
    schedules: role.runsSchedules,
    processes: role.processes,
    retention: config.retentionNightly ? config.retention : null,
  });

  // The stop signals are handled before the port opens and the "running" line is printed, so a SIGTERM that comes as
  // soon as a supervisor (or a person) sees the service start stops it cleanly instead of killing it outright.
  let server: Server | undefined = undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.lifecycle.shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing requests in progress');
    const stopped = () =>
      void jobs
        .stop()
        .then(() => database.close())
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    if (!server) {
      stopped();
      return;
    }
    const listening = server;
    // Whoever is watching a forecast or an import this process is running is told it stopped.
    // (Not waiting more than 5 seconds: on the embedded database a running import holds the only connection.)
    const abandoned = Promise.race([
      Promise.all([services.scenarios.abandon(), services.sen2.abandonImports()]),
      new Promise((r) => setTimeout(r, 5_000).unref()),
    ]);
    const force = setTimeout(() => listening.closeAllConnections(), 10_000);
    force.unref();
    listening.close(() => void abandoned.finally(stopped));
    listening.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const errorPages = await clientErrorPages(app);
  server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    answerMalformedRequests(s, errorPages);
    s.once('error', reject);
  });
  if (stopping) {
    // A stop signal came while the port was opening: close it again at once.
    server.close();
    return;
  }
  if (role.startedAt !== undefined) {
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    // One write, so nobody reading the output sees the address without the accounts.
    process.stdout.write(runningMessage(urlOf(host, actualPort), config, 1, role.startedAt, demoLoaded));
  }
}
