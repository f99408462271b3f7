/**
 * The `openehcp` command: serve, migrate, seed, the data commands (deadlines, spc, forecast) and sen2. Bad input exits 2 with one line on standard error.
 * Each command's modules are loaded when it runs, so that a command (or its refusal of bad input) loads only what it
 * needs.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parseLocalDate, type LocalDate } from '../domain/dates/localDate.js';
import { MAX_PROCESSES } from '../config.js';
import { UserFacingError } from '../errors.js';

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
    .option(
      '--processes <n>',
      'processes serving pages, on PostgreSQL (default: PROCESSES, or one per processor up to 4)',
      parseIntOption('--processes', 1, MAX_PROCESSES),
    )
    .action(async (opts: { demo: boolean; demoScale: number; port?: number; host?: string; processes?: number }) => {
      const { serve } = await import('./serve.js');
      await serve(opts);
    });

  program
    .command('migrate')
    .description('create or update the database schema')
    .action(async () => {
      const { openConfigured } = await import('./service-commands.js');
      const { loadConfig } = await import('../config.js');
      const { installJobs } = await import('../jobs/index.js');
      const { createLogger } = await import('../logger.js');
      const config = loadConfig();
      const database = await openConfigured(config);
      try {
        // The job queue's tables and queues (pg-boss), made by the owner as the rest of the schema is.
        await installJobs(database, createLogger({ level: config.logLevel }));
      } finally {
        await database.close();
      }
      process.stdout.write('The database schema is up to date.\n');
    });

  program
    .command('setup')
    .description(
      'set up a council and its first administrator, and print their one-time link to set up their sign-in (asks for each answer when given no options)',
    )
    .option('--la <code>', 'the council’s 3-digit DfE LA code')
    .option('--la-name <name>', 'the council’s name')
    .option('--admin-email <email>', 'the administrator’s email address')
    .option('--admin-name <name>', 'the administrator’s full name')
    .option(
      '--data-dir <dir>',
      'the embedded database’s folder (default: DATA_DIR or .data/pglite; DATABASE_URL for PostgreSQL)',
    )
    .action(
      async (opts: { la?: string; laName?: string; adminEmail?: string; adminName?: string; dataDir?: string }) => {
        const { setupCommand } = await import('./setup.js');
        process.stdout.write(await setupCommand(opts));
      },
    );

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
    .command('backup')
    .description('write the whole database (embedded or PostgreSQL) to one file, with a checksum')
    .requiredOption('--out <file>', 'the backup file to write (it must not exist yet)')
    .action(async (opts: { out: string }) => {
      const { backupCommand } = await import('./backup.js');
      process.stdout.write(await backupCommand(opts));
    });

  program
    .command('restore')
    .description('replace the database’s contents with a backup’s, all or nothing, after checking the file whole')
    .argument('<file>', 'a file written by openehcp backup')
    .option('--force', 'replace a database that already holds data', false)
    .action(async (file: string, opts: { force: boolean }) => {
      const { restoreCommand } = await import('./backup.js');
      process.stdout.write(await restoreCommand(file, opts));
    });

  program
    .command('deadlines')
    .description('the statutory clock for one process: reads JSON (--input FILE, or standard input), prints JSON')
    .option('--input <file>', 'read the JSON from this file instead of standard input')
    .action(async (opts: { input?: string }) => {
      const { deadlinesCommand } = await import('./deadlines.js');
      process.stdout.write(`${JSON.stringify(await deadlinesCommand(opts))}\n`);
    });

  program
    .command('spc')
    .description(
      'Making Data Count XmR analysis of one series: reads JSON (--input FILE, or standard input), prints JSON',
    )
    .option('--input <file>', 'read the JSON from this file instead of standard input')
    .action(async (opts: { input?: string }) => {
      const { spcCommand } = await import('./spc.js');
      process.stdout.write(`${JSON.stringify(await spcCommand(opts))}\n`);
    });

  program
    .command('forecast')
    .description(
      'simulate the EHC pipeline (discrete-event Monte Carlo): reads a scenario as JSON (--input FILE, or standard input), prints JSON',
    )
    .option('--input <file>', 'read the JSON from this file instead of standard input')
    .action(async (opts: { input?: string }) => {
      const { forecastCommand } = await import('./forecast.js');
      process.stdout.write(`${JSON.stringify(await forecastCommand(opts))}\n`);
    });

  const sen2 = program.command('sen2').description('the SEN2 return: export it, check a file, import existing cases');
  sen2
    .command('export')
    .description('write the person-level SEN2 XML for a collection year (default: the embedded demo county)')
    .requiredOption('--year <yyyy>', 'the collection year (2025 or 2026)', parseIntOption('--year', 2000, 2100))
    .option('--la <code>', 'the LA’s 3-digit code (default: the demo county, 999)', parseLaCode)
    .option('--out <file>', 'write the XML to this file (default: standard output)')
    .action(async (opts: { year: number; la?: string; out?: string }) => {
      const { sen2Export } = await import('./sen2.js');
      await sen2Export(opts);
    });
  sen2
    .command('validate')
    .description('check a SEN2 XML file against its year’s schema and the guide’s rules; exit 1 if it has errors')
    .argument('<file>', 'the SEN2 XML file')
    .action(async (file: string) => {
      const { sen2Validate } = await import('./sen2.js');
      process.exitCode = await sen2Validate(file);
    });
  sen2
    .command('import')
    .description('load a SEN2 XML return or a CSV (docs/sen2-import.md) of existing cases: all or nothing')
    .argument('<file>', 'the SEN2 XML or CSV file')
    .option('--la <code>', 'the LA to import into (default: the XML file’s LEA)', parseLaCode)
    .option('--la-name <name>', 'add the LA with this name if the database does not hold it')
    .option('--format <format>', 'xml or csv (default: from the file name)', parseFormat)
    .option('--year <yyyy>', 'the collection year a CSV file’s records belong to', parseIntOption('--year', 2000, 2100))
    .option('--dry-run', 'check the file and report row by row what would be created, writing nothing', false)
    .action(
      async (
        file: string,
        opts: { la?: string; laName?: string; format?: 'xml' | 'csv'; year?: number; dryRun: boolean },
      ) => {
        const { sen2Import } = await import('./sen2.js');
        process.exitCode = await sen2Import(file, opts);
      },
    );

  const audit = program.command('audit').description('the audit log: check that nothing in it was changed');
  audit
    .command('verify')
    .description('check the audit log’s hash chain: exit 0 when intact, 1 naming the first broken row')
    .action(async () => {
      const { auditVerify } = await import('./audit.js');
      process.exitCode = await auditVerify();
    });

  const retention = program
    .command('retention')
    .description('the retention schedule: closed cases due for deletion (docs/retention.md)');
  retention
    .command('report')
    .description('list, as CSV, the closed cases whose records are due for deletion')
    .option('--la <code>', 'only this LA (3-digit code)', parseLaCode)
    .option('--as-of <date>', 'due on this day, YYYY-MM-DD (default: today)', parseDateOption)
    .action(async (opts: { la?: string; asOf?: LocalDate }) => {
      const { retentionReport } = await import('./retention.js');
      await retentionReport(opts);
    });
  retention
    .command('run')
    .description('delete the closed cases due for deletion, each recorded in the audit log; CSV of what was deleted')
    .option('--la <code>', 'only this LA (3-digit code)', parseLaCode)
    .option('--as-of <date>', 'due on this day, YYYY-MM-DD (default: today)', parseDateOption)
    .option('--dry-run', 'list what would be deleted, deleting nothing', false)
    .action(async (opts: { la?: string; asOf?: LocalDate; dryRun: boolean }) => {
      const { retentionRun } = await import('./retention.js');
      await retentionRun(opts);
    });

  return program;
}

function parseLaCode(value: string): string {
  if (!/^\d{3}$/.test(value)) throw new InvalidArgumentError('must be a 3-digit LA code, like 919');
  return value;
}

function parseFormat(value: string): 'xml' | 'csv' {
  if (value !== 'xml' && value !== 'csv') throw new InvalidArgumentError('must be xml or csv');
  return value;
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
    // Without the values a failed query carried (stderr is kept as a log).
    const { serializeError } = await import('../logger.js');
    const message = serializeError(err).message.split('\n')[0];
    process.stderr.write(`openehcp: unexpected error: ${message}\n`);
    process.exit(1);
  }
}
