/**
 * The commands that run the service and its database: serve, migrate, seed. Loaded only when one of them runs, so
 * the data commands (deadlines, spc, forecast) start quickly.
 */
import type { Server } from 'node:http';
import { pino } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { openDb, type Database } from '../data/db.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import { DEMO_PASSWORD, generateDemoCounty } from '../demo/generate.js';
import { isDemoLoaded, loadDemoCounty } from '../demo/load.js';
import { systemClock } from '../services/clock.js';
import { createServices } from '../services/index.js';
import { notifySender, outboxSender } from '../notify/sender.js';
import { createApp } from '../web/app.js';
import { progressReporter } from './progress.js';

export const DEFAULT_SEED = 20140901;

export async function openConfigured(config: Config): Promise<Database> {
  const database = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  return database;
}

interface SeedOptions {
  seed: number;
  asOf?: LocalDate;
  scale: number;
}

export async function seedDemo(
  database: Database,
  options: SeedOptions,
): Promise<{ accounts: { email: string; role: string }[] }> {
  const asOf = options.asOf ?? systemClock.today();
  const county = generateDemoCounty({ seed: options.seed, asOf, scale: options.scale });
  const progress = progressReporter('Loading the demo county');
  const started = Date.now();
  try {
    await loadDemoCounty(database, county, { seed: options.seed, onProgress: (d, t) => progress.update(d, t) });
  } finally {
    progress.stop();
  }
  process.stderr.write(
    `Loaded Demo County Council in ${((Date.now() - started) / 1000).toFixed(1)}s: ${county.requests.length.toLocaleString('en-GB')} requests, ` +
      `${county.plans.filter((p) => p.status === 'active').length.toLocaleString('en-GB')} active plans, as of ${asOf}.\n`,
  );
  return county;
}

const DEMO_ACCOUNTS = [
  ['caseworker@demo-county.example', 'Caseworker'],
  ['manager@demo-county.example', 'SEND manager'],
  ['qa@demo-county.example', 'Quality assurance auditor'],
  ['advice@demo-county.example', 'Advice giver'],
  ['parent@demo-county.example', 'Parent or carer'],
  ['board@demo-county.example', 'Improvement board member'],
  ['admin@demo-county.example', 'Administrator'],
  ['data@demo-county.example', 'Data officer'],
] as const;

export function demoAccountsText(): string {
  return [
    '',
    `Demo accounts (password: ${DEMO_PASSWORD}):`,
    ...DEMO_ACCOUNTS.map(([email, role]) => `  ${role.padEnd(27)} ${email}`),
    '',
  ].join('\n');
}

export async function serve(options: {
  demo: boolean;
  port?: number;
  host?: string;
  demoScale: number;
}): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const startedAt = Date.now();
  const database = await openConfigured(config);
  let demoLoaded = await isDemoLoaded(database);
  if (options.demo && !demoLoaded) {
    await seedDemo(database, { seed: DEFAULT_SEED, scale: options.demoScale });
    demoLoaded = true;
  }
  const services = createServices(database, {
    sender: config.notify ? notifySender(config.notify.apiKey, config.notify.emailTemplateId) : outboxSender,
  });
  // Deadlines count working days with the live bank holiday list.
  await services.calendar.reload();
  const app = createApp({ services, config, logger, demoMode: demoLoaded });
  const port = options.port ?? config.port;
  const host = options.host ?? config.host;
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  // One write, so nobody reading the output sees the address without the accounts.
  process.stdout.write(
    `OpenEHCP is running at ${url} (database: ${database.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'}; started in ${((Date.now() - startedAt) / 1000).toFixed(1)}s)\n` +
      (demoLoaded ? demoAccountsText() : ''),
  );

  // Expired sessions and spent sign-in counters are removed every 15 minutes.
  const prune = setInterval(() => {
    void services.sessions.prune().catch(() => undefined);
    void services.auth.pruneThrottle().catch(() => undefined);
  }, 15 * 60_000);
  prune.unref();

  // Advice chasers: a few seconds after start, then every hour. Each message is recorded once under its own key, so
  // running often (or on several instances) never sends twice; running hourly means a missed day is caught up.
  const chase = () => {
    services.messages
      .runChasers()
      .then((s) => {
        if (s.recorded > 0) logger.info(s, 'advice chasers recorded');
      })
      .catch((err: unknown) => logger.error({ err }, 'advice chasers failed'));
  };
  const firstChase = setTimeout(chase, 5_000);
  firstChase.unref();
  const chaser = setInterval(chase, 60 * 60_000);
  chaser.unref();

  // Performance measures: worked out from the case records a few seconds after start, then every hour, and stored,
  // so that dashboards and the public page read the stored figures instead of the whole case history.
  const measure = () => {
    const started = Date.now();
    services.measures
      .refresh()
      .then((s) => logger.info({ las: s.length, ms: Date.now() - started }, 'measures worked out'))
      .catch((err: unknown) => logger.error({ err }, 'working out the measures failed'))
      // Then the forecasts (on worker threads, so pages keep being served while they run).
      .then(() => services.forecasts.refresh())
      .then((f) => {
        if (f) logger.info({ las: f.length, ms: Date.now() - started }, 'forecasts worked out');
      })
      .catch((err: unknown) => logger.error({ err }, 'working out the forecasts failed'));
  };
  const firstMeasures = setTimeout(measure, 3_000);
  firstMeasures.unref();
  const measures = setInterval(measure, 60 * 60_000);
  measures.unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.lifecycle.shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing requests in progress');
    clearInterval(prune);
    clearTimeout(firstChase);
    clearInterval(chaser);
    clearTimeout(firstMeasures);
    clearInterval(measures);
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    force.unref();
    server.close(() => {
      void database.close().finally(() => {
        logger.info('stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
