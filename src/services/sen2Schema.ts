/**
 * Validates a SEN2 XML file against the product's corrected copy of that year's schema (services/schemas), with
 * libxml2's xmllint compiled to WebAssembly (it runs in its own worker; no network or file access). Each problem is
 * reported as `ERROR <where>: <message>`, the validator's own format for the product's SEN2 checks.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { memoryPages, validateXML } from 'xmllint-wasm';
import { isSen2Year } from '../domain/sen2/census.js';
import { checkSen2, formatProblem } from '../domain/sen2/checks.js';
import type { Sen2Counts } from '../domain/sen2/counts.js';
import type { Sen2Return } from '../domain/sen2/model.js';
import { decodeSen2, elementLocator, readSen2, Sen2ReadError } from '../domain/sen2/reader.js';
import { startWorker } from './workerThread.js';

/** The schemas live beside the TypeScript sources (the build does not copy them). */
const SCHEMAS = fileURLToPath(new URL('../../src/services/schemas/', import.meta.url));

const cache = new Map<number, Promise<string>>();

async function schemaProblems(xml: string, year: number): Promise<{ line: number | null; message: string }[]> {
  if (!isSen2Year(year)) throw new RangeError(`there is no SEN2 schema for ${year}: the product knows 2025 and 2026`);
  let schema = cache.get(year);
  if (!schema) cache.set(year, (schema = readFile(`${SCHEMAS}sen2-${year}.xsd`, 'utf8')));
  // Streaming (libxml2's reader) keeps memory flat however many persons the file holds; the cap is a backstop.
  let result;
  try {
    result = await validateXML({
      xml: [{ fileName: 'sen2.xml', contents: xml }],
      schema: [await schema],
      stream: true,
      maxMemoryPages: memoryPages.GiB,
    });
  } catch (err) {
    // xmllint gives up on a file it cannot parse at all (the reader has usually refused it first, saying why).
    const message = err instanceof Error ? err.message.split('\n').slice(1).join(' ').trim() : '';
    return [{ line: null, message: `the schema check could not read the file${message ? ` (${message})` : ''}` }];
  }
  return result.errors.map((e) => ({
    line: e.loc?.lineNumber ?? null,
    message: e.message.trim().replace(/^Schemas validity error : /, ''),
  }));
}

/** Schema problems alone, each `ERROR line N: message`. */
export async function validateSen2Schema(xml: string, year: number): Promise<string[]> {
  return (await schemaProblems(xml, year)).map((e) => `ERROR line ${e.line ?? '?'}: ${e.message}`);
}

export interface Sen2Validation {
  /** The collection year the file says it is for, when it could be read. */
  year: number | null;
  /** The return as read, when the file could be read (it may still have errors). */
  ret: Sen2Return | null;
  /** One line per problem, `ERROR|QUERY <xpath>: <message>`, schema problems first. */
  lines: string[];
  errors: number;
  queries: number;
  /**
   * Why the file could not be checked at all, or null when it was: it could not be read (not UTF-8, not well-formed,
   * a DOCTYPE, nested deeper than a return ever is), or it is for a collection year the product has no schema for.
   * Such a file is bad input, not a return with problems: the pages refuse it with an error summary.
   */
  unreadable: string | null;
}

function summarise(
  year: number | null,
  ret: Sen2Return | null,
  lines: string[],
  unreadable: string | null = null,
): Sen2Validation {
  return {
    year,
    ret,
    lines,
    unreadable,
    errors: lines.filter((l) => l.startsWith('ERROR')).length,
    queries: lines.filter((l) => l.startsWith('QUERY')).length,
  };
}

/**
 * Checks a SEN2 file: that it can be read at all (UTF-8, well formed, no DOCTYPE), then against the schema of its
 * year and the checks derivable from the guide (domain/sen2/checks.ts). Schema problems are placed by element path
 * where the line and element name find one.
 */
export async function validateSen2Document(file: Uint8Array | string): Promise<Sen2Validation> {
  let xml: string;
  let ret: Sen2Return;
  try {
    xml = typeof file === 'string' ? file : decodeSen2(file);
    ret = readSen2(xml);
  } catch (err) {
    if (err instanceof Sen2ReadError) return summarise(null, null, [`ERROR /Message: ${err.message}`], err.message);
    throw err;
  }
  const year = ret.header.year;
  if (!isSen2Year(year)) {
    const unknown = `${year} is not a collection the product can check (it knows 2025 and 2026)`;
    return summarise(year, ret, [`ERROR /Message/Header/CollectionDetails/Year: ${unknown}`], unknown);
  }
  const found = await schemaProblems(xml, year);
  // Where each element starts is worked out only when there is a schema problem to place.
  const locate = found.length ? elementLocator(xml) : () => undefined;
  const schema = found.map(({ line, message }) => {
    const element = /^Element '([\w.-]+)'(?: \[[^\]]*\])?: /.exec(message);
    const path = line !== null && element ? locate(line, element[1]!) : undefined;
    return path ? `ERROR ${path}: ${message.slice(element![0].length)}` : `ERROR line ${line ?? '?'}: ${message}`;
  });
  return summarise(year, ret, [...schema, ...checkSen2(ret, year).map(formatProblem)]);
}

/** What a page shows of a check: the validation without the return, with its persons and headline counts. */
export type Sen2CheckSummary = Omit<Sen2Validation, 'ret'> & { persons: number | null; counts: Sen2Counts | null };

/**
 * validateSen2Document on a worker thread (services/sen2Worker.ts), for the web service: a file given by its path
 * is read there too, so its bytes never pass through the main thread. `summary` sends back what a page shows rather
 * than the whole return.
 */
export function validateSen2OffThread(
  file: { path: string } | { bytes: Uint8Array },
  summary: true,
): Promise<Sen2CheckSummary>;
export function validateSen2OffThread(
  file: { path: string } | { bytes: Uint8Array },
  summary: false,
): Promise<Sen2Validation>;
export async function validateSen2OffThread(
  file: { path: string } | { bytes: Uint8Array },
  summary: boolean,
): Promise<Sen2Validation | Sen2CheckSummary> {
  const worker = startWorker('sen2Worker');
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', (m: { result?: Sen2Validation | Sen2CheckSummary; error?: string }) =>
        m.result ? resolve(m.result) : reject(new Error(`the SEN2 check failed: ${m.error}`)),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the SEN2 check's thread stopped with code ${code}`)));
      worker.postMessage({ ...file, summary });
    });
  } finally {
    await worker.terminate();
  }
}
