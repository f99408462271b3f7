import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { firstIssue, pathText } from '../domain/schemaIssues.js';
import { UserFacingError } from '../errors.js';

/** Reads the JSON document a data command works on: from --input FILE, else standard input. */
export async function readJsonInput(file: string | undefined): Promise<unknown> {
  let text: string;
  if (file !== undefined) {
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new UserFacingError(`--input: cannot read ${file}${code ? ` (${code})` : ''}`);
    }
  } else {
    if (process.stdin.isTTY) throw new UserFacingError('input: give the JSON on standard input or with --input FILE');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/\s+/g, ' ') : 'not JSON';
    throw new UserFacingError(`input: not valid JSON (${reason})`);
  }
}

/** A JSON value as a message quotes it: `"up"`, `[1]`, `undefined`. */
export function describeValue(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * The CLI's adapter from zod: the document checked against its schema, or UserFacingError with one line naming the
 * first field at fault (`values[3]: must be a number or null (a gap), not "x"`), which the command prints before
 * exiting with code 2 (contracts/cli.md). An unknown key is named as the field.
 */
export function checkInput<T>(schema: z.ZodType<T>, doc: unknown): T {
  const result = schema.safeParse(doc);
  if (result.success) return result.data;
  const { path, message } = firstIssue(result.error);
  throw new UserFacingError(`${pathText(path) || 'input'}: ${message}`);
}
