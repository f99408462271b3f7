import { readFile } from 'node:fs/promises';
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
