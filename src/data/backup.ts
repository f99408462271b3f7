/**
 * Backup and restore of the whole database, in one format for PGlite and PostgreSQL alike (a backup of either restores
 * into either): a logical dump of every table in the public schema, made through the driver.
 *
 * The file is gzip-compressed text, one JSON document a line:
 *   1. the header: {"format": "openehcp-backup", "version": 1, "createdAt", "source" (pglite or postgres),
 *      "migrations" (the hashes of the schema migrations applied, in order), "tables": [{"name", "rows"}]}, the tables
 *      in an order where every table comes after those its foreign keys refer to;
 *   2. each table's rows in that order, each as PostgreSQL's own `row_to_json` of the row (every column, whatever it
 *      is: nothing is listed by hand, so a column added later is copied too);
 *   3. the trailer: {"sha256": the SHA-256 of every byte before it (uncompressed)}.
 * Rows come from one snapshot (a repeatable-read transaction), so a backup taken while the service runs is consistent.
 * A restore checks the whole file before it touches the database, then replaces every table's rows in one transaction
 * with the tables' triggers off (the rows go back exactly as they were: the audit log's, and the columns that
 * triggers fill in), sets the id sequences past the restored ids, and checks each table's count before committing.
 * The job queue (pg-boss's `pgboss` schema) is not the service's data and is not in a backup: its schedules are set
 * again whenever the service starts, and work waiting or running when the backup was made (a scenario run, an import)
 * shows as stopped after a restore (services/jobs.ts failStoppedJobs), to be started again.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { UserFacingError } from '../errors.js';
import { queryRows, type Database, type Db } from './db.js';

export const BACKUP_FORMAT = 'openehcp-backup';
const VERSION = 1;
const FETCH_ROWS = 2_000;
/** Rows inserted per statement (fewer when they are large). */
const INSERT_ROWS = 1_000;
const INSERT_CHARS = 8_000_000;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  source: Database['kind'];
  migrations: string[];
  tables: { name: string; rows: number }[];
}

export class BackupFileError extends UserFacingError {}

const table = (name: string) => sql.identifier(name);

/** The hashes of the migrations this database has had, in order. */
async function migrationsOf(db: Db): Promise<string[]> {
  const rows = await queryRows<{ hash: string }>(
    db,
    sql`select hash from drizzle.__drizzle_migrations order by created_at, id`,
  );
  return rows.map((r) => r.hash);
}

/** The public schema's tables, each after the tables its foreign keys refer to (then by name). */
async function tablesInOrder(db: Db): Promise<string[]> {
  const tables = (
    await queryRows<{ name: string }>(db, sql`select tablename as name from pg_tables where schemaname = 'public'`)
  )
    .map((t) => t.name)
    .sort();
  const refs = await queryRows<{ child: string; parent: string }>(
    db,
    sql`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where c.contype = 'f' and n.nspname = 'public' and c.conrelid <> c.confrelid`,
  );
  const unquote = (n: string) => n.replace(/^"(.*)"$/, '$1').replace(/""/g, '"');
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const r of refs) parents.get(unquote(r.child))?.add(unquote(r.parent));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (!next) throw new Error('the tables’ foreign keys refer to each other in a cycle');
    ordered.push(next);
    placed.add(next);
  }
  return ordered;
}

/** Writes a backup of the whole database to `file` (through a temporary file, so a failure leaves no partial file). */
export async function writeBackup(database: Database, file: string): Promise<BackupHeader> {
  const partial = `${file}.partial`;
  let header!: BackupHeader;
  async function* lines(tx: Db): AsyncGenerator<string> {
    const hash = createHash('sha256');
    const line = (text: string) => {
      const l = `${text}\n`;
      hash.update(l);
      return l;
    };
    const names = await tablesInOrder(tx);
    const tables = [];
    for (const name of names) {
      const [{ rows }] = (await queryRows<{ rows: number }>(
        tx,
        sql`select count(*)::int as rows from ${table(name)}`,
      )) as [{ rows: number }];
      tables.push({ name, rows });
    }
    header = {
      format: BACKUP_FORMAT,
      version: VERSION,
      createdAt: new Date().toISOString(),
      source: database.kind,
      migrations: await migrationsOf(tx),
      tables,
    };
    yield line(JSON.stringify(header));
    for (const { name } of tables) {
      await tx.execute(
        sql`declare backup_rows no scroll cursor for select row_to_json(t)::text as r from ${table(name)} t`,
      );
      for (;;) {
        const batch = await queryRows<{ r: string }>(tx, sql.raw(`fetch forward ${FETCH_ROWS} from backup_rows`));
        if (batch.length === 0) break;
        yield batch.map((b) => line(b.r)).join('');
      }
      await tx.execute(sql`close backup_rows`);
    }
    yield `${JSON.stringify({ sha256: hash.digest('hex') })}\n`;
  }
  try {
    await database.db.transaction(
      async (tx) => {
        await pipeline(Readable.from(lines(tx as unknown as Db)), createGzip(), createWriteStream(partial));
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return header;
}

/** The file's lines, decompressed, one at a time (a read or gzip error ends the loop with that error). */
async function* readLines(file: string): AsyncGenerator<string, void> {
  const source = createReadStream(file);
  const input = createGunzip();
  source.once('error', (err) => input.destroy(err));
  source.pipe(input);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of input) {
      const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
    rest += decoder.end();
    if (rest) yield rest;
  } finally {
    source.destroy();
    input.destroy();
  }
}

/**
 * Checks a backup file whole (it is one, it is complete and unchanged: the checksum, and each table's count of rows)
 * without touching any database, and returns its header. BackupFileError says what is wrong.
 */
export async function checkBackup(file: string): Promise<BackupHeader> {
  const damaged = (why: string) => new BackupFileError(`${file} is not a usable OpenEHCP backup: ${why}`);
  const hash = createHash('sha256');
  let header: BackupHeader | undefined;
  let previous: string | undefined;
  let rows = 0;
  try {
    for await (const line of readLines(file)) {
      if (previous !== undefined) {
        hash.update(`${previous}\n`);
        rows++;
      }
      if (header === undefined) {
        try {
          header = JSON.parse(line) as BackupHeader;
        } catch {
          throw damaged('it does not start with a backup header');
        }
        if (header.format !== BACKUP_FORMAT) throw damaged('it does not start with a backup header');
        if (header.version !== VERSION) throw damaged(`it is of format version ${header.version}, not ${VERSION}`);
        rows = -1; // the header is not a row
      }
      previous = line;
    }
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new BackupFileError(`cannot read ${file} (${code})`);
    throw damaged('it is not a complete gzip file (damaged or cut short)');
  }
  if (!header || previous === undefined) throw damaged('it is empty');
  let trailer: { sha256?: unknown };
  try {
    trailer = JSON.parse(previous) as { sha256?: unknown };
  } catch {
    throw damaged('it has no checksum at the end (cut short?)');
  }
  if (typeof trailer.sha256 !== 'string') throw damaged('it has no checksum at the end (cut short?)');
  if (trailer.sha256 !== hash.digest('hex')) throw damaged('its checksum does not match its contents (damaged)');
  if (header.tables.reduce((n, t) => n + t.rows, 0) !== rows) throw damaged('its row counts do not match its rows');
  return header;
}

/**
 * What every new database is given by its migrations: the bank holidays, and the audit chain's head (which names
 * the last audit row, so it holds data only when the audit log does).
 */
const GIVEN_TABLES = new Set(['bank_holidays', 'audit_chain_head']);

/** Whether any table holds rows, leaving out what every new database is given. */
export async function holdsData(db: Db): Promise<boolean> {
  for (const name of await tablesInOrder(db)) {
    if (GIVEN_TABLES.has(name)) continue;
    const rows = await queryRows<{ any: boolean }>(db, sql`select exists (select from ${table(name)}) as any`);
    if (rows[0]!.any) return true;
  }
  return false;
}

/**
 * Replaces everything in the database with the backup's rows, in one transaction: all or nothing. Refuses (before
 * touching anything) a file that checkBackup refuses, one made by another version of the schema, and a database that
 * holds data unless `force`.
 */
export async function restoreBackup(
  database: Database,
  file: string,
  options: { force: boolean; /** The file's header, when checkBackup has just checked it. */ checked?: BackupHeader },
): Promise<BackupHeader> {
  const header = options.checked ?? (await checkBackup(file));
  const { db } = database;
  const here = await migrationsOf(db);
  if (JSON.stringify(here) !== JSON.stringify(header.migrations)) {
    throw new BackupFileError(
      `${file} was made by a version of OpenEHCP with another database schema (${header.migrations.length} migrations, ` +
        `this one has ${here.length}): restore it with that version, then upgrade`,
    );
  }
  const names = await tablesInOrder(db);
  if (JSON.stringify([...names].sort()) !== JSON.stringify(header.tables.map((t) => t.name).sort())) {
    throw new BackupFileError(`${file} does not hold the tables this database has`);
  }
  if (!options.force && (await holdsData(db))) {
    throw new BackupFileError(
      'the database already holds data: restoring would replace all of it (add --force to do so)',
    );
  }
  await db.transaction(async (tx) => {
    for (const name of names) await tx.execute(sql`alter table ${table(name)} disable trigger user`);
    await tx.execute(sql`truncate ${sql.join(names.map(table), sql`, `)}`);
    const lines = readLines(file);
    await lines.next(); // the header
    for (const { name, rows } of header.tables) {
      let batch: string[] = [];
      let chars = 0;
      const insert = async () => {
        if (batch.length === 0) return;
        await tx.execute(
          sql`insert into ${table(name)} select * from json_populate_recordset(null::${table(name)}, ${`[${batch.join(',')}]`}::json)`,
        );
        batch = [];
        chars = 0;
      };
      for (let i = 0; i < rows; i++) {
        const { value: row } = await lines.next();
        if (row === undefined) throw new Error(`restoring ${name}: the file ended before its rows did`);
        batch.push(row);
        chars += row.length;
        if (batch.length >= INSERT_ROWS || chars >= INSERT_CHARS) await insert();
      }
      await insert();
      const [{ n }] = (await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${table(name)}`)) as [
        { n: number },
      ];
      if (n !== rows) throw new Error(`restoring ${name}: ${n} rows written of ${rows}`);
    }
    await lines.return(undefined);
    // Ids handed out next follow the restored ones.
    const serials = await queryRows<{ name: string; column: string }>(
      tx,
      sql`select table_name as name, column_name as column from information_schema.columns
          where table_schema = 'public' and column_default like 'nextval(%'`,
    );
    for (const s of serials) {
      await tx.execute(
        sql`select setval(pg_get_serial_sequence(quote_ident(${s.name}), ${s.column}), coalesce(max(${sql.identifier(s.column)}), 0) + 1, false) from ${table(s.name)}`,
      );
    }
    for (const name of names) await tx.execute(sql`alter table ${table(name)} enable trigger user`);
  });
  // PGlite has no autovacuum: the planner needs statistics after a bulk load.
  await db.execute(sql`analyze`);
  return header;
}
