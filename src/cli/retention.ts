/**
 * `openehcp retention report` and `openehcp retention run [--dry-run]`: the closed cases due for deletion under the
 * retention schedule (RETENTION_SCHEDULE; docs/retention.md), as CSV, and their deletion, each audited.
 */
import { toCsv } from '../services/csv.js';
import { z } from 'zod';
import { checkInput } from './input.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import type { DueCase } from '../services/retention.js';

interface RetentionOptions {
  la?: string;
  asOf?: LocalDate;
}

async function openRetention() {
  const { openConfigured } = await import('./service-commands.js');
  const { loadConfig } = await import('../config.js');
  const { createRetentionService } = await import('../services/retention.js');
  const { systemClock } = await import('../services/clock.js');
  const config = loadConfig();
  const database = await openConfigured(config);
  return { database, retention: createRetentionService(database, config.retention), today: systemClock.today() };
}

/** `retention run`'s options: it deletes only what is due by today (report looks ahead). */
const runOptions = (today: LocalDate) =>
  z.object({
    '--as-of': z
      .string()
      .refine((asOf) => asOf <= today, { error: 'run deletes only what is due by today; use report to look ahead' })
      .optional(),
  });

const COLUMNS = ['la_code', 'reference', 'kind', 'rule', 'closed_on', 'due_on'] as const;

function csv(cases: DueCase[]): string {
  return toCsv([COLUMNS, ...cases.map((c) => [c.laCode, c.reference, c.kind, c.rule, c.closedOn, c.dueOn])]);
}

/** Prints the cases due for deletion as CSV (a header line when none is). */
export async function retentionReport(opts: RetentionOptions): Promise<void> {
  const { database, retention, today } = await openRetention();
  try {
    const cases = await retention.report(opts.asOf ?? today, opts.la);
    process.stdout.write(csv(cases));
    process.stderr.write(`${cases.length} closed ${cases.length === 1 ? 'case is' : 'cases are'} due for deletion.\n`);
  } finally {
    await database.close();
  }
}

/** Deletes the cases due (lists them, writing nothing, with --dry-run): CSV of them, a summary line on stderr. */
export async function retentionRun(opts: RetentionOptions & { dryRun: boolean }): Promise<void> {
  const { systemClock } = await import('../services/clock.js');
  // Checked before the database is opened: a refused option touches nothing.
  checkInput(runOptions(systemClock.today()), { '--as-of': opts.asOf });
  const { database, retention, today } = await openRetention();
  try {
    const result = await retention.run({ asOf: opts.asOf ?? today, laCode: opts.la, dryRun: opts.dryRun });
    process.stdout.write(csv(result.cases));
    const n = result.cases.length;
    const cases = `${n} closed ${n === 1 ? 'case' : 'cases'}`;
    process.stderr.write(
      opts.dryRun
        ? `Dry run (nothing deleted): ${cases} would be deleted.\n`
        : `Deleted ${cases}, each recorded in the audit log.\n`,
    );
  } finally {
    await database.close();
  }
}
