/**
 * What kind of document a file is, and whether its structure is safe to keep, judged from its content (never its
 * name or what the browser says): advice and evidence come as PDF, Word (DOCX) or OpenDocument text (ODT).
 *
 * - PDF starts with `%PDF-` at offset 0 (ISO 32000-1, 7.5.2) and its last line is `%%EOF` (7.5.5; readers look for it
 *   in the last 1,024 bytes, and so does this check). A file holding a Windows (MZ ... PE) or Linux (ELF) program is
 *   refused: that is how a PDF/EXE polyglot is made.
 * - DOCX and ODT are ZIP packages (APPNOTE 6.3.10), read from their central directory (4.3.12), each entry's local
 *   header checked against it (4.3.7). A DOCX holds `[Content_Types].xml` and a `word/` part (ECMA-376 part 2, OPC);
 *   an ODT's first entry is an uncompressed file named `mimetype` holding `application/vnd.oasis.opendocument.text`
 *   (OpenDocument 1.2 part 3, 3.3). Only the parts those standards (and Office's metadata) name are accepted; macros
 *   (a DOCX's `vbaProject.bin`, an ODT's `Basic/` and `Scripts/`), ActiveX controls and programs are refused, and
 *   every entry is inflated, to at most what is left of the bounds below, so that a "zip bomb" is refused there.
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

/** A package's contents, inflated, may be at most this big in all (a 10 MB file of text compresses about 10:1). */
export const MAX_INFLATED_BYTES = 50 * 1024 * 1024;
/** ...and at most this many times the file's size, once over 10 MB (XML compresses 5-50:1; a zip bomb 1000:1). */
export const MAX_INFLATION_RATIO = 100;
/** Entries in a package: a long report with many images has a few hundred. */
export const MAX_ENTRIES = 2000;

/** Why a file was refused, in words for the person who chose it. */
export const REFUSALS = {
  notDocument: 'The selected file must be a PDF, DOCX or ODT',
  damaged: 'The selected file is damaged or not a complete PDF, DOCX or ODT: save it again and upload that copy',
  program: 'The selected file contains a program: upload the document alone',
  macros: 'The selected file contains macros: save it as a document without macros (DOCX or ODT) and upload that',
  unexpected: 'The selected file contains parts a document does not have: save it again as a PDF and upload that',
  tooBig: 'The selected file expands to more than 50MB when opened: save it as a PDF and upload that',
} as const;

export type DocumentCheck = { kind: DocumentKind; refusal?: never } | { kind?: never; refusal: string };

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';
const MACRO_CONTENT_TYPE = /macroEnabled/i;

const DOCX_PARTS = [/^\[Content_Types\]\.xml$/, /^_rels\//, /^word\//, /^docProps\//, /^customXml\//, /^docMetadata\//];
const ODT_PARTS = [
  /^mimetype$/,
  /^META-INF\//,
  /^(content|styles|meta|settings)\.xml$/,
  /^manifest\.rdf$/,
  /^layout-cache$/,
  /^Thumbnails\//,
  /^Pictures\//,
  /^Configurations2\//,
  /^ObjectReplacements\//,
  /^Object \d+\//,
];
/** Macros: VBA projects (MS-OFFMACRO2) and their data, ODF Basic and scripts. */
const MACRO_PARTS = [/(^|\/)vbaProject\.bin$/i, /(^|\/)vbaData\.xml$/i, /^Basic\//, /^Scripts\//];
const ACTIVE_PARTS = [/(^|\/)activeX\//i];
const PROGRAM_NAMES = /\.(exe|dll|com|scr|msi|bat|cmd|ps1|vbs|vbe|js|jse|wsf|hta|jar|sh|elf|so|dylib|app|lnk)$/i;

function startsWith(content: Uint8Array, text: string, at = 0): boolean {
  if (at < 0 || content.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (content[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

/** A Windows program's header: `MZ`, and at the offset it gives (e_lfanew, at 0x3C) the `PE\0\0` signature. */
function isPortableExecutable(content: Uint8Array, at: number): boolean {
  if (!startsWith(content, 'MZ', at)) return false;
  const pe = at + u32(content, at + 0x3c);
  return startsWith(content, 'PE\0\0', pe);
}

const isElf = (content: Uint8Array, at = 0) => startsWith(content, '\x7fELF', at);

/** Whether a program header is anywhere in the content (a Windows one), or in its first 1,024 bytes (ELF). */
function holdsProgram(content: Uint8Array): boolean {
  for (let i = content.indexOf(0x4d); i !== -1; i = content.indexOf(0x4d, i + 1)) {
    if (isPortableExecutable(content, i)) return true;
  }
  const head = content.subarray(0, 1024);
  for (let i = head.indexOf(0x7f); i !== -1; i = head.indexOf(0x7f, i + 1)) if (isElf(head, i)) return true;
  return false;
}

function checkPdf(content: Uint8Array): DocumentCheck {
  const tail = content.subarray(Math.max(0, content.length - 1024));
  let eof = false;
  for (let i = tail.indexOf(0x25); i !== -1 && !eof; i = tail.indexOf(0x25, i + 1)) eof = startsWith(tail, '%%EOF', i);
  if (!eof) return { refusal: REFUSALS.damaged };
  if (holdsProgram(content)) return { refusal: REFUSALS.program };
  return { kind: 'pdf' };
}

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  /** Where the entry's data starts (after its local header). */
  dataAt: number;
}

class Refused extends Error {
  constructor(readonly refusal: string) {
    super(refusal);
  }
}

/** The package's entries from its central directory, each checked against its local header. */
function readCentralDirectory(zip: Uint8Array): ZipEntry[] {
  const damaged = () => new Refused(REFUSALS.damaged);
  // The end of central directory record (APPNOTE 4.3.16): 22 bytes and a comment of at most 65,535.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (u32(zip, i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw damaged();
  const count = u16(zip, end + 10);
  const size = u32(zip, end + 12);
  const offset = u32(zip, end + 16);
  // ZIP64 (counts or offsets of 0xFFFF...) is for packages of 4 GB: no document needs it.
  if (count === 0xffff || offset === 0xffffffff || offset + size > end) throw damaged();
  if (count > MAX_ENTRIES) throw new Refused(REFUSALS.unexpected);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let at = offset;
  for (let n = 0; n < count; n++) {
    // Central directory file header (4.3.12).
    if (at + 46 > end || u32(zip, at) !== 0x02014b50) throw damaged();
    const flags = u16(zip, at + 8);
    const method = u16(zip, at + 10);
    const compressedSize = u32(zip, at + 20);
    const uncompressed = u32(zip, at + 24);
    const nameLength = u16(zip, at + 28);
    const next = at + 46 + nameLength + u16(zip, at + 30) + u16(zip, at + 32);
    const local = u32(zip, at + 42);
    if (next > end) throw damaged();
    let name: string;
    try {
      name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    } catch {
      throw damaged();
    }
    // Local file header (4.3.7): the same name; the data follows its name and extra field.
    if (local + 30 > zip.length || u32(zip, local) !== 0x04034b50) throw damaged();
    const localName = zip.subarray(local + 30, local + 30 + u16(zip, local + 26));
    if (localName.length !== nameLength || localName.some((b, i) => b !== zip[at + 46 + i])) throw damaged();
    const dataAt = local + 30 + u16(zip, local + 26) + u16(zip, local + 28);
    if (dataAt + compressedSize > zip.length) throw damaged();
    // Encrypted entries (flag bit 0) cannot be checked; only stored (0) and deflated (8) entries are in documents.
    if (flags & 1 || (method !== 0 && method !== 8)) throw damaged();
    entries.push({ name, flags, method, compressedSize, size: uncompressed, dataAt });
    at = next;
  }
  return entries;
}

/**
 * Inflates a raw deflate stream (APPNOTE 4.4.5 method 8) to at most `maxBytes`: the bytes, or null when it would
 * inflate to more; throws when the stream is damaged. (Given by the caller: zlib runs off the main thread.)
 */
export type Inflater = (deflated: Uint8Array, maxBytes: number) => Promise<Uint8Array | null>;

/**
 * Inflates every entry, counting: refused (tooBig) as soon as the total passes the bounds, whatever sizes the package
 * declares. Returns each entry's first 4 KB (where a program's headers are) and the text of [Content_Types].xml.
 */
async function inflateEntries(zip: Uint8Array, entries: ZipEntry[], inflate: Inflater) {
  const limit = Math.min(MAX_INFLATED_BYTES, Math.max(10 * 1024 * 1024, zip.length * MAX_INFLATION_RATIO));
  // What the package declares first (no need to inflate one that says it is too big), then what it holds.
  if (entries.reduce((n, e) => n + e.size, 0) > limit) throw new Refused(REFUSALS.tooBig);
  let total = 0;
  const heads: Uint8Array[] = [];
  let contentTypes = '';
  for (const entry of entries) {
    const raw = zip.subarray(entry.dataAt, entry.dataAt + entry.compressedSize);
    let data: Uint8Array | null;
    if (entry.method === 0) data = raw.length <= limit - total ? raw : null;
    else {
      try {
        data = await inflate(raw, limit - total);
      } catch {
        throw new Refused(REFUSALS.damaged);
      }
    }
    if (data === null) throw new Refused(REFUSALS.tooBig);
    total += data.length;
    // The central directory's size must be the size found (APPNOTE 4.4.9), or readers differ on what it holds.
    if (data.length !== entry.size) throw new Refused(REFUSALS.damaged);
    heads.push(data.subarray(0, 4096));
    if (entry.name === '[Content_Types].xml') contentTypes = new TextDecoder().decode(data);
  }
  return { heads, contentTypes };
}

async function checkPackage(zip: Uint8Array, inflate: Inflater): Promise<DocumentCheck> {
  const entries = readCentralDirectory(zip);
  const names = entries.map((e) => e.name);
  const first = entries[0];
  // The ODT's mimetype entry: first, at offset 0, stored, with no extra field (so its data is at 38), and exact.
  const odt =
    first?.name === 'mimetype' &&
    first.method === 0 &&
    first.dataAt === 38 &&
    first.size === ODT_MIMETYPE.length &&
    startsWith(zip, ODT_MIMETYPE, 38);
  const docx = !odt && names.includes('[Content_Types].xml') && names.some((n) => n.startsWith('word/'));
  if (!odt && !docx) return { refusal: REFUSALS.notDocument };
  if (names.some((n) => MACRO_PARTS.some((p) => p.test(n)))) return { refusal: REFUSALS.macros };
  if (names.some((n) => PROGRAM_NAMES.test(n))) return { refusal: REFUSALS.program };
  if (names.some((n) => ACTIVE_PARTS.some((p) => p.test(n)))) return { refusal: REFUSALS.unexpected };
  const allowed = odt ? ODT_PARTS : DOCX_PARTS;
  if (names.some((n) => n.includes('..') || n.startsWith('/') || !allowed.some((p) => p.test(n)))) {
    return { refusal: REFUSALS.unexpected };
  }
  if (new Set(names).size !== names.length) return { refusal: REFUSALS.damaged };
  const { heads, contentTypes } = await inflateEntries(zip, entries, inflate);
  if (heads.some((head) => isPortableExecutable(head, 0) || isElf(head))) return { refusal: REFUSALS.program };
  // A macro-enabled document (DOCM) renamed .docx says so in its content types.
  if (docx && MACRO_CONTENT_TYPE.test(contentTypes)) return { refusal: REFUSALS.macros };
  return { kind: odt ? 'odt' : 'docx' };
}

/** The document's kind, or why it is refused: not a PDF, DOCX or ODT, damaged, or holding what a document must not. */
export async function checkDocumentContent(content: Uint8Array, inflate: Inflater): Promise<DocumentCheck> {
  if (startsWith(content, '%PDF-')) return checkPdf(content);
  if (!startsWith(content, 'PK\x03\x04')) return { refusal: REFUSALS.notDocument };
  try {
    return await checkPackage(content, inflate);
  } catch (error) {
    if (error instanceof Refused) return { refusal: error.refusal };
    throw error;
  }
}
