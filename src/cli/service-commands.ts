/**
 * What the commands that use the database share: opening it (migrated), and the demo county (seed, and serve --demo).
 * Loaded only when one of them runs, so the data commands (deadlines, spc, forecast) start quickly; and it loads
 * nothing of the web service (src/cli/serve.ts), so that the commands that only open the database (migrate, setup,
 * backup, restore, audit, retention, sen2) do not load it either: 1.8 s of processor time rather than 0.2 s, before
 * each of them opened the database.
 */
import type { Config } from '../config.js';
import { openDb, type Database } from '../data/db.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import { DEMO_PASSWORD, generateDemoCounty } from '../demo/generate.js';
import { systemClock } from '../services/clock.js';

export const DEFAULT_SEED = 20140901;

/** What `serve` says on a database with no council (the home and sign-in pages say the same). */
export const NO_COUNCIL =
  'No council is set up yet: run `openehcp setup` to create your council and its first administrator (or `openehcp serve --demo` to try the demo county).';

export async function openConfigured(config: Config, poolSize?: number): Promise<Database> {
  const database = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize });
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
  const { loadDemoCounty } = await import('../demo/load.js');
  const { progressReporter } = await import('./progress.js');
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
  ['advice@demo-county.example', 'Advice giver (psychology)'],
  ['dco@demo-county.example', 'Advice giver (health)'],
  ['school@demo-county.example', 'School or setting'],
  ['parent@demo-county.example', 'Parent or carer'],
  ['carer@demo-county.example', 'Carer (draft, final plan)'],
  ['youngperson@demo-county.example', 'Young person (over 16)'],
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
