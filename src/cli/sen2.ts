/**
 * `openehcp sen2 export|validate|import` (contracts/cli.md): the SEN2 return made from the database, a SEN2 file
 * checked, and SEN2 or CSV files of existing cases imported. The command line acts as the system: every export and
 * import is in the audit log as done from the command line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { UserFacingError } from '../errors.js';
import { DEMO_LA } from '../demo/generate.js';
import { isSen2Year, SEN2_YEARS } from '../domain/sen2/census.js';
import type { Sen2Caller } from '../services/sen2.js';
import { progressReporter } from './progress.js';
import { checkInput } from './input.js';
import { z } from 'zod';

/** A collection year the product knows, with the words of the command that asks for it. */
const sen2Year = (message: string) => z.number().refine(isSen2Year, { error: message });

/** `sen2 export`'s options, named as typed (checkInput names the option at fault: `--year: ...`). */
const exportOptions = z.object({
  '--year': sen2Year(`the product makes the ${SEN2_YEARS.join(' and ')} returns`),
});

/** `sen2 import`'s options: a CSV file does not name its LA, so --la is needed for one. */
const importOptions = z.object({
  '--la': z.string({ error: 'give the LA code to import into (a CSV file does not say)' }),
  '--year': sen2Year(`the product knows the ${SEN2_YEARS.join(' and ')} collections`).optional(),
});

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

const caller = (laCode: string): Sen2Caller => ({ laCode, userId: null, ip: null, requestId: null, via: 'cli' });

async function readInputFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UserFacingError(`cannot read ${file}${code ? ` (${code})` : ''}`);
  }
}

/** The configured database, with the demo county loaded into it when the command is for the demo LA. */
async function openFor(laCode: string) {
  const { openConfigured, seedDemo, DEFAULT_SEED } = await import('./service-commands.js');
  const { loadConfig } = await import('../config.js');
  const { isDemoLoaded } = await import('../demo/load.js');
  const { localAuthorityName } = await import('../data/repositories/localAuthorities.js');
  const { createServices } = await import('../services/index.js');
  const database = await openConfigured(loadConfig());
  try {
    if (laCode === DEMO_LA.laCode && !(await isDemoLoaded(database))) {
      await seedDemo(database, { seed: DEFAULT_SEED, scale: 1 });
    }
    const name = await localAuthorityName(database.db, laCode);
    return { database, services: createServices(database), name };
  } catch (err) {
    await database.close();
    throw err;
  }
}

export async function sen2Export(opts: { year: number; la?: string; out?: string }): Promise<void> {
  checkInput(exportOptions, { '--year': opts.year });
  const laCode = opts.la ?? DEMO_LA.laCode;
  const { database, services, name } = await openFor(laCode);
  try {
    if (!name) throw new UserFacingError(`--la: there is no local authority ${laCode} in this database`);
    const result = await services.sen2.exportReturn(caller(laCode), opts.year);
    if (opts.out) await writeFile(opts.out, result.xml);
    else process.stdout.write(result.xml.endsWith('\n') ? result.xml : `${result.xml}\n`);
    process.stderr.write(
      `SEN2 ${opts.year} for ${name} (${laCode}): ${result.ret.persons.length.toLocaleString('en-GB')} persons, ` +
        `${result.errors} errors, ${result.queries} queries${opts.out ? `, written to ${opts.out}` : ''}.\n`,
    );
  } finally {
    await database.close();
  }
}

/** Prints one line per problem; exit code 1 when there are errors. */
export async function sen2Validate(file: string): Promise<number> {
  const bytes = await readInputFile(file);
  const { validateSen2Document } = await import('../services/sen2Schema.js');
  const result = await validateSen2Document(bytes);
  for (const line of result.lines) process.stdout.write(`${line}\n`);
  return result.errors > 0 ? 1 : 0;
}

export async function sen2Import(
  file: string,
  opts: { la?: string; laName?: string; dryRun: boolean; format?: 'xml' | 'csv'; year?: number },
): Promise<number> {
  const bytes = await readInputFile(file);
  const format = opts.format ?? (/\.csv$/i.test(file) ? 'csv' : 'xml');
  const given =
    opts.la ?? (format === 'xml' ? /<LEA>\s*(\d{3})\s*<\/LEA>/.exec(bytes.toString('utf8'))?.[1] : undefined);
  const { '--la': laCode } = checkInput(importOptions, { '--la': given, '--year': opts.year });
  const { database, services, name } = await openFor(laCode);
  try {
    if (!name) {
      if (!opts.laName) {
        throw new UserFacingError(`--la: there is no local authority ${laCode} here: give --la-name to add it`);
      }
      const { addLocalAuthority } = await import('../data/repositories/localAuthorities.js');
      if (!opts.dryRun) await addLocalAuthority(database.db, laCode, opts.laName);
    }
    const progress = progressReporter(opts.dryRun ? 'Checking' : 'Importing');
    const report = await services.sen2
      .importFile(caller(laCode), bytes, {
        format,
        dryRun: opts.dryRun,
        name: file,
        ...(opts.year !== undefined ? { csvYear: opts.year } : {}),
        onProgress: (done, total) => progress.update(done, total),
      })
      .finally(() => progress.stop());
    for (const line of report.lines) process.stdout.write(`${line}\n`);
    if (!report.ok) {
      process.stderr.write(`Nothing imported: the file has errors (listed above).\n`);
      return 1;
    }
    if (opts.dryRun) {
      for (const row of report.rows) {
        process.stdout.write(
          `${row.where}: ${row.child === 'new' ? 'new child' : 'child already here'}, ` +
            `${plural(row.requests, 'request')} and ${plural(row.plans, 'plan')} to create` +
            `${row.alreadyHere ? `, ${row.alreadyHere} already here` : ''}\n`,
        );
      }
    }
    const counted = (n: { children: number; requests: number; plans: number }) =>
      `${plural(n.children, 'child', 'children')}, ${plural(n.requests, 'request')}, ${plural(n.plans, 'plan')}`;
    process.stderr.write(
      `${opts.dryRun ? 'Dry run (nothing written): would create' : 'Imported:'} ${counted(report.created)}; ` +
        `already here: ${counted(report.existing)}.\n`,
    );
    if (report.plan?.notKept.length) {
      process.stderr.write(
        `Not kept (the product does not hold these items): ${report.plan.notKept.map((n) => `${n.item} (${n.count})`).join(', ')}.\n`,
      );
    }
    return 0;
  } finally {
    await database.close();
  }
}
