/**
 * An uploaded document checked before it is kept: its kind and structure from its content (domain/documents), the
 * packages' parts inflated by zlib off the main thread (in libuv's pool), then the virus scanner, when one is
 * configured. The answer is the media type to keep it as, or why it is refused, in words for the person uploading.
 */
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { checkDocumentContent, DOCUMENT_TYPES, type Inflater } from '../domain/documents/fileType.js';
import { ScannerUnavailableError, type VirusScanner } from './virusScan.js';

const inflateRawAsync = promisify(inflateRaw);

/** zlib's inflate, stopped at `maxBytes` (null when the data would inflate to more). */
export const zlibInflater: Inflater = async (deflated, maxBytes) => {
  try {
    return await inflateRawAsync(deflated, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return null;
    throw error;
  }
};

export const SCANNER_UNAVAILABLE =
  'The file could not be checked for viruses just now, so it has not been saved: try again in a few minutes';
export const VIRUS_FOUND = 'The selected file contains a virus: it has not been saved';

export async function checkUpload(
  content: Uint8Array,
  scanner: VirusScanner | null,
): Promise<{ mediaType: string; refusal?: never } | { refusal: string; mediaType?: never }> {
  const checked = await checkDocumentContent(content, zlibInflater);
  if (checked.refusal !== undefined) return { refusal: checked.refusal };
  if (scanner) {
    try {
      const scanned = await scanner.scan(content);
      if (!scanned.clean) return { refusal: VIRUS_FOUND };
    } catch (error) {
      if (error instanceof ScannerUnavailableError) return { refusal: SCANNER_UNAVAILABLE };
      throw error;
    }
  }
  return { mediaType: DOCUMENT_TYPES[checked.kind].mediaType };
}
