/**
 * The `openehcp` command: serve, migrate, seed, and the data commands (deadlines, spc, forecast). Bad input exits 2 with one line on standard error.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parseLocalDate, type LocalDate } from '../domain/dates/localDate.js';
import { UserFacingError } from '../errors.js';
import { deadlinesCommand } from './deadlines.js';
import { forecastCommand } from './forecast.js';
import { spcCommand } from './spc.js';

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
    .action(async (opts: { demo: boolean; demoScale: number; port?: number; host?: string }) => {
      const { serve } = await import('./service-commands.js');
      await serve(opts);
    });

  program
    .command('migrate')
    .description('create or update the database schema')
    .action(async () => {
      const { openConfigured } = await import('./service-commands.js');
      const { loadConfig } = await import('../config.js');
      const database = await openConfigured(loadConfig());
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
      const { openConfigured, seedDemo, demoAccountsText } = await import('./service-commands.js');
      const { loadConfig } = await import('../config.js');
      const database = await openConfigured(loadConfig());
      try {
        await seedDemo(database, opts);
        process.stdout.write(demoAccountsText());
      } finally {
        await database.close();
      }
    });

  program
    .command('deadlines')
    .description('the statutory clock for one process: reads JSON (--input FILE, or standard input), prints JSON')
    .option('--input <file>', 'read the JSON from this file instead of standard input')
    .action(async (opts: { input?: string }) => {
      process.stdout.write(`${JSON.stringify(await deadlinesCommand(opts))}\n`);
    });

  program
    .command('spc')
    .description(
      'Making Data Count XmR analysis of one series: reads JSON (--input FILE, or standard input), prints JSON',
    )
    .option('--input <file>', 'read the JSON from this file instead of standard input')
    .action(async (opts: { input?: string }) => {
      process.stdout.write(`${JSON.stringify(await spcCommand(opts))}\n`);
    });

  program
    .command('forecast')
    .description(
      'simulate the EHC pipeline (discrete-event Monte Carlo): reads a scenario as JSON (--input FILE, or standard input), prints JSON',
    )
    .option('--input <file>', 'read the JSON from this file instead of standard input')
    .action(async (opts: { input?: string }) => {
      process.stdout.write(`${JSON.stringify(await forecastCommand(opts))}\n`);
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
    if (err instanceof UserFacingError) {
      process.stderr.write(`openehcp: ${err.message}\n`);
      process.exit(2);
    }
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    process.stderr.write(`openehcp: unexpected error: ${message}\n`);
    process.exit(1);
  }
}
