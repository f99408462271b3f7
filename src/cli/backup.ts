/**
 * `openehcp backup --out FILE` and `openehcp restore FILE [--force]`: the whole database (PGlite or PostgreSQL, as
 * configured) to one file and back, in the format of data/backup.ts (either database's backup restores into either).
 */
import { existsSync, statSync } from 'node:fs';
import { UserFacingError } from '../errors.js';
import { checkBackup, restoreBackup, writeBackup, type BackupHeader } from '../data/backup.js';

const rowsOf = (header: BackupHeader) => header.tables.reduce((n, t) => n + t.rows, 0).toLocaleString('en-GB');

async function openDatabase() {
  const { openConfigured } = await import('./service-commands.js');
  const { loadConfig } = await import('../config.js');
  const config = loadConfig();
  const where = config.databaseUrl ? 'the PostgreSQL database' : `the embedded database in ${config.dataDir}`;
  return { database: await openConfigured(config), where, config };
}

export async function backupCommand(opts: { out: string }): Promise<string> {
  if (existsSync(opts.out)) throw new UserFacingError(`--out: ${opts.out} already exists: give a new file name`);
  const { database, where } = await openDatabase();
  try {
    const started = Date.now();
    const header = await writeBackup(database, opts.out).catch((err: unknown) => {
      const code = (err as { code?: string }).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
        throw new UserFacingError(`--out: cannot write ${opts.out} (${code})`);
      }
      throw err;
    });
    const mb = (statSync(opts.out).size / 1e6).toFixed(1);
    return (
      `Backed up ${where}: ${rowsOf(header)} rows in ${header.tables.length} tables, to ${opts.out} ` +
      `(${mb} MB, in ${((Date.now() - started) / 1000).toFixed(1)}s).\n`
    );
  } finally {
    await database.close();
  }
}

export async function restoreCommand(file: string, opts: { force: boolean }): Promise<string> {
  // The whole file is checked before the database is opened.
  const header = await checkBackup(file);
  const { database, where, config } = await openDatabase();
  try {
    const started = Date.now();
    await restoreBackup(database, file, { force: opts.force, checked: header });
    // The job queue (pg-boss's own schema) is not in a backup: work waiting when it was made is not carried over, and
    // the schedules are set whenever the service starts. Its tables and queues are made here, by the owner, as
    // `openehcp migrate` makes them, so the service's own role can start on a restored database at once.
    const { installJobs } = await import('../jobs/index.js');
    const { createLogger } = await import('../logger.js');
    await installJobs(database, createLogger({ level: config.logLevel }));
    return (
      `Restored ${where} from ${file} (made ${header.createdAt}): ${rowsOf(header)} rows in ` +
      `${header.tables.length} tables, in ${((Date.now() - started) / 1000).toFixed(1)}s.\n`
    );
  } finally {
    await database.close();
  }
}
