/**
 * Validates a SEN2 XML file against the product's corrected copy of that year's schema (services/schemas), with
 * libxml2's xmllint compiled to WebAssembly (it runs in its own worker; no network or file access). Each problem is
 * reported as `ERROR <where>: <message>`, the validator's own format for the product's SEN2 checks.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { isSen2Year } from '../domain/sen2/census.js';

/** The schemas live beside the TypeScript sources (the build does not copy them). */
const SCHEMAS = fileURLToPath(new URL('../../src/services/schemas/', import.meta.url));

const cache = new Map<number, Promise<string>>();

export async function validateSen2Schema(xml: string, year: number): Promise<string[]> {
  if (!isSen2Year(year)) throw new RangeError(`there is no SEN2 schema for ${year}: the product knows 2025 and 2026`);
  let schema = cache.get(year);
  if (!schema) cache.set(year, (schema = readFile(`${SCHEMAS}sen2-${year}.xsd`, 'utf8')));
  const result = await validateXML({ xml: [{ fileName: 'sen2.xml', contents: xml }], schema: [await schema] });
  return result.errors.map((e) => `ERROR line ${e.loc?.lineNumber ?? '?'}: ${e.message.trim()}`);
}
