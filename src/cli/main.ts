/**
 * The `openehcp` command: serve, migrate, seed. Bad input exits 2 with one line on standard error.
 */
import type { Server } from 'node:http';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DatabaseConfigError, openDb, type Database } from '../data/db.js';
import { parseLocalDate, type LocalDate } from '../domain/dates/localDate.js';
import { DEMO_PASSWORD, generateDemoCounty } from '../demo/generate.js';
import { DemoAlreadyLoadedError, isDemoLoaded, loadDemoCounty } from '../demo/load.js';
import { createServices } from '../services/index.js';
import { systemClock } from '../services/clock.js';
import { createApp } from '../web/app.js';
import { progressReporter } from './progress.js';

/** An error the user can fix: printed as one line, exit code 2. */
export class UsageError extends Error {}

const DEFAULT_SEED = 20140901;

function parseIntOption(name: string, min: number, max: number) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return Number(value);
  };
}

function parseDateOption(value: string): LocalDate {
  const d = parseLocalDate(value);
  if (!d) throw new InvalidArgumentError('must be a real date as YYYY-MM-DD');
  return d;
}

function parseScale(value: string): number {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || n <= 0 || n > 1)
    throw new InvalidArgumentError('must be a number above 0 and at most 1');
  return n;
}

async function openConfigured(config: Config): Promise<Database> {
  const database = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  return database;
}

interface SeedOptions {
  seed: number;
  asOf?: LocalDate;
  scale: number;
}

async function seedDemo(
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
] as const;

function demoAccountsText(): string {
  return [
    '',
    `Demo accounts (password: ${DEMO_PASSWORD}):`,
    ...DEMO_ACCOUNTS.map(([email, role]) => `  ${role.padEnd(27)} ${email}`),
    '',
  ].join('\n');
}

async function serve(options: { demo: boolean; port?: number; host?: string; demoScale: number }): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const startedAt = Date.now();
  const database = await openConfigured(config);
  let demoLoaded = await isDemoLoaded(database);
  if (options.demo && !demoLoaded) {
    await seedDemo(database, { seed: DEFAULT_SEED, scale: options.demoScale });
    demoLoaded = true;
  }
  const services = createServices(database);
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

  const prune = setInterval(() => void services.sessions.prune().catch(() => undefined), 15 * 60_000);
  prune.unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.lifecycle.shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing requests in progress');
    clearInterval(prune);
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

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('openehcp')
    .description('OpenEHCP: EHC needs assessments and plans on the statutory clock')
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();

  program
    .command('serve')
    .description('start the web service (on PGlite under DATA_DIR, or PostgreSQL when DATABASE_URL is set)')
    .option('--demo', 'load the demo county on first start', false)
    .option('--demo-scale <fraction>', 'size of the demo county, from 0 to 1 (1 = full size)', parseScale, 1)
    .option('--port <port>', 'port to listen on (default: PORT or 3000)', parseIntOption('--port', 0, 65535))
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .action(async (opts: { demo: boolean; demoScale: number; port?: number; host?: string }) => serve(opts));

  program
    .command('migrate')
    .description('create or update the database schema')
    .action(async () => {
      const config = loadConfig();
      const database = await openConfigured(config);
      await database.close();
      process.stdout.write('The database schema is up to date.\n');
    });

  program
    .command('seed')
    .description('load the fictional demo county (only into a database that does not hold it yet)')
    .requiredOption('--demo', 'the demo county (the only seed there is)')
    .option(
      '--seed <n>',
      'random seed: the same seed and date give the same county',
      parseIntOption('--seed', 0, 2 ** 32 - 1),
      DEFAULT_SEED,
    )
    .option('--as-of <date>', "the demo's today, YYYY-MM-DD (default: today)", parseDateOption)
    .option('--scale <fraction>', 'size, from 0 to 1 (1 = full size)', parseScale, 1)
    .action(async (opts: { seed: number; asOf?: LocalDate; scale: number }) => {
      const config = loadConfig();
      const database = await openConfigured(config);
      try {
        await seedDemo(database, opts);
        process.stdout.write(demoAccountsText());
      } finally {
        await database.close();
      }
    });

  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; commander has already printed its own message.
      process.exit(err.exitCode === 0 ? 0 : 2);
    }
    if (
      err instanceof ConfigError ||
      err instanceof DatabaseConfigError ||
      err instanceof DemoAlreadyLoadedError ||
      err instanceof UsageError
    ) {
      process.stderr.write(`openehcp: ${err.message}\n`);
      process.exit(2);
    }
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    process.stderr.write(`openehcp: unexpected error: ${message}\n`);
    process.exit(1);
  }
}
