/**
 * What kind of document a file is, judged from its content (never its name or what the browser says): advice and
 * evidence come as PDF, Word (DOCX) or OpenDocument text (ODT).
 *
 * - PDF starts with `%PDF-` (ISO 32000-1, 7.5.2).
 * - DOCX and ODT are ZIP packages (local file header `PK\x03\x04`). An ODT's first entry is an uncompressed file
 *   named `mimetype` holding `application/vnd.oasis.opendocument.text` (OpenDocument 1.2 part 3, 3.3). A DOCX has
 *   `[Content_Types].xml` and a `word/` part (ECMA-376 part 2).
 */
export const DOCUMENT_TYPES = {
  pdf: { mediaType: 'application/pdf', name: 'PDF' },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    name: 'Word document (DOCX)',
  },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', name: 'OpenDocument text (ODT)' },
} as const;

export type DocumentKind = keyof typeof DOCUMENT_TYPES;

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

function startsWith(content: Uint8Array, text: string, at = 0): boolean {
  if (content.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (content[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function contains(content: Uint8Array, text: string): boolean {
  const first = text.charCodeAt(0);
  outer: for (
    let i = content.indexOf(first);
    i !== -1 && i <= content.length - text.length;
    i = content.indexOf(first, i + 1)
  ) {
    for (let j = 1; j < text.length; j++) if (content[i + j] !== text.charCodeAt(j)) continue outer;
    return true;
  }
  return false;
}

/** The document's kind, or null when it is none of the accepted kinds. */
export function detectDocumentKind(content: Uint8Array): DocumentKind | null {
  if (startsWith(content, '%PDF-')) return 'pdf';
  if (!startsWith(content, 'PK\x03\x04')) return null;
  // ZIP local file header: the name length is at offset 26, the extra field length at 28, the name at 30.
  const nameLength = (content[26] ?? 0) | ((content[27] ?? 0) << 8);
  const extraLength = (content[28] ?? 0) | ((content[29] ?? 0) << 8);
  if (startsWith(content, 'mimetype', 30) && nameLength === 8) {
    return startsWith(content, ODT_MIMETYPE, 30 + nameLength + extraLength) ? 'odt' : null;
  }
  return contains(content, '[Content_Types].xml') && contains(content, 'word/') ? 'docx' : null;
}
