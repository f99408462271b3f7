/**
 * Uploads are judged by their structure, not their first bytes: the attacks of issue 23 item 9 (a 1 GiB zip bomb
 * shaped as a DOCX, a DOCX-shaped zip holding a program, a PDF/EXE polyglot) are refused, and real documents pass.
 */
import { constants, deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkDocumentContent as check,
  MAX_INFLATED_BYTES,
  REFUSALS,
  type Inflater,
} from '../domain/documents/fileType.js';
import { zlibInflater } from './documents.js';

const strToU8 = (text: string) => new Uint8Array(Buffer.from(text, 'binary'));
/** The domain's check with the service's inflater (zlib, in libuv's pool). */
const checkDocumentContent = (content: Uint8Array) => check(content, zlibInflater);

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const DOCX_PARTS = {
  '[Content_Types].xml': strToU8(CONTENT_TYPES),
  '_rels/.rels': strToU8('<Relationships/>'),
  'docProps/core.xml': strToU8('<coreProperties/>'),
  'word/document.xml': strToU8('<w:document><w:body><w:p>Advice</w:p></w:body></w:document>'),
};
const docx = (extra: Record<string, Uint8Array> = {}) =>
  zipOf(Object.entries({ ...DOCX_PARTS, ...extra }).map(([name, data]) => deflated(name, data)));

/** A Windows program's first bytes: MZ, e_lfanew (0x3C) = 0x40, and the PE signature there. */
function windowsProgram(): Uint8Array {
  const exe = new Uint8Array(512);
  exe.set(strToU8('MZ'), 0);
  exe[0x3c] = 0x40;
  exe.set(strToU8('PE\0\0'), 0x40);
  exe.set(strToU8('This program cannot be run in DOS mode.'), 0x4e);
  return exe;
}

interface RawEntry {
  name: string;
  /** The entry's data as stored in the package (deflated when `deflated`). */
  data: Uint8Array;
  deflated: boolean;
  /** The size the central directory declares. */
  size: number;
}

/** A ZIP package written byte by byte (APPNOTE 4.3), so that it can declare what it likes. */
function zipOf(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let at = 0;
  for (const e of entries) {
    const name = strToU8(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.deflated ? 8 : 0, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(e.deflated ? 8 : 0, 10);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(at, 42);
    parts.push(local, name, e.data);
    central.push(cd, name);
    at += 30 + name.length + e.data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...parts, ...central, end]);
}

const stored = (name: string, text: string): RawEntry => {
  const data = strToU8(text);
  return { name, data, deflated: false, size: data.length };
};
const deflated = (name: string, data: Uint8Array): RawEntry => ({
  name,
  data: deflateRawSync(data),
  deflated: true,
  size: data.length,
});

/**
 * Zeros deflated (1 GiB in about 1 MB), as a zip bomb's document part holds: 1 MiB of zeros deflated and
 * sync-flushed (a run of non-final blocks ending on a byte boundary, RFC 1951 3.2.3), repeated, then a final empty block.
 */
function deflatedZeros(mebibytes: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array<Buffer>(mebibytes).fill(block), deflateRawSync(Buffer.alloc(0))]);
}

describe('PDF', () => {
  const pdf = (body: string) => strToU8(`%PDF-1.7\n1 0 obj << >> endobj\n${body}trailer << >>\n%%EOF\n`);

  it('accepts a PDF with its header at offset 0 and %%EOF at the end (ISO 32000-1, 7.5.2 and 7.5.5)', async () => {
    expect(await checkDocumentContent(pdf(''))).toEqual({ kind: 'pdf' });
  });

  it('refuses a PDF cut short (no %%EOF in its last 1,024 bytes)', async () => {
    const whole = pdf('');
    expect(await checkDocumentContent(whole.subarray(0, whole.length - 8))).toEqual({ refusal: REFUSALS.damaged });
  });

  it('refuses a PDF/EXE polyglot: a Windows program first, the PDF after it', async () => {
    const polyglot = Buffer.concat([windowsProgram(), pdf('')]);
    expect(await checkDocumentContent(polyglot)).toEqual({ refusal: REFUSALS.notDocument });
  });

  it('refuses a PDF carrying a Windows program inside it, or a Linux one near its start', async () => {
    const withExe = Buffer.concat([pdf(''), windowsProgram(), strToU8('\n%%EOF\n')]);
    expect(await checkDocumentContent(withExe)).toEqual({ refusal: REFUSALS.program });
    const withElf = pdf('\x7fELF\x02\x01\x01\n');
    expect(await checkDocumentContent(withElf)).toEqual({ refusal: REFUSALS.program });
  });

  it('does not take a lone "MZ" in a PDF for a program', async () => {
    expect(await checkDocumentContent(pdf('(MZ is a monogram) Tj\n'))).toEqual({ kind: 'pdf' });
  });
});

describe('DOCX and ODT', () => {
  let bomb: Uint8Array;
  beforeAll(() => {
    bomb = deflatedZeros(1024);
  });

  it('accepts a Word document with the parts ECMA-376 names, and an OpenDocument text', async () => {
    expect(await checkDocumentContent(docx())).toEqual({ kind: 'docx' });
    expect(await checkDocumentContent(docx({ 'word/media/image1.png': strToU8('\x89PNG\r\n') }))).toEqual({
      kind: 'docx',
    });
    const odt = zipOf([
      stored('mimetype', 'application/vnd.oasis.opendocument.text'),
      stored('META-INF/manifest.xml', '<manifest:manifest/>'),
      stored('content.xml', '<office:document-content/>'),
    ]);
    expect(await checkDocumentContent(odt)).toEqual({ kind: 'odt' });
  });

  it('refuses a 1 GiB zip bomb shaped as a DOCX, whether it declares its size or lies about it', async () => {
    for (const size of [2 ** 30 - 1, 1000]) {
      const zip = zipOf([
        stored('[Content_Types].xml', CONTENT_TYPES),
        { name: 'word/document.xml', data: bomb, deflated: true, size },
      ]);
      // Refused at the bound, never inflating more than 50 MB of the gigabyte (nothing, when it says how big it is).
      const asked: number[] = [];
      const counting: Inflater = (data, maxBytes) => (asked.push(maxBytes), zlibInflater(data, maxBytes));
      expect(await check(zip, counting)).toEqual({ refusal: REFUSALS.tooBig });
      expect(asked.every((n) => n <= MAX_INFLATED_BYTES)).toBe(true);
      expect(asked).toHaveLength(size === 1000 ? 1 : 0);
    }
  }, 30_000);

  it('accepts a large document that compresses well, within the bounds', { timeout: 30_000 }, async () => {
    const text = Array.from({ length: 60_000 }, (_, i) => `<w:p><w:r><w:t>Paragraph ${i}</w:t></w:r></w:p>`);
    const zip = docx({ 'word/document.xml': strToU8(`<w:document>${text.join('')}</w:document>`) });
    expect(await checkDocumentContent(zip)).toEqual({ kind: 'docx' });
  });

  it('refuses a DOCX-shaped zip holding a program, by its name or by its content', async () => {
    expect(await checkDocumentContent(docx({ 'word/media/setup.exe': windowsProgram() }))).toEqual({
      refusal: REFUSALS.program,
    });
    expect(await checkDocumentContent(docx({ 'word/media/image1.png': windowsProgram() }))).toEqual({
      refusal: REFUSALS.program,
    });
  });

  it('refuses macros: a VBA project, a macro-enabled document renamed, an ODT with Basic', async () => {
    expect(await checkDocumentContent(docx({ 'word/vbaProject.bin': new Uint8Array(64) }))).toEqual({
      refusal: REFUSALS.macros,
    });
    const docm = CONTENT_TYPES.replace('wordprocessingml.document.main', 'ms-word.document.macroEnabled.main');
    expect(await checkDocumentContent(docx({ '[Content_Types].xml': strToU8(docm) }))).toEqual({
      refusal: REFUSALS.macros,
    });
    const odt = zipOf([
      stored('mimetype', 'application/vnd.oasis.opendocument.text'),
      stored('content.xml', '<office:document-content/>'),
      stored('Basic/Standard/Module1.xml', '<script:module/>'),
    ]);
    expect(await checkDocumentContent(odt)).toEqual({ refusal: REFUSALS.macros });
  });

  it('refuses parts a document does not have', async () => {
    expect(await checkDocumentContent(docx({ 'payload/readme.txt': strToU8('hello') }))).toEqual({
      refusal: REFUSALS.unexpected,
    });
    expect(await checkDocumentContent(docx({ 'word/../../evil.xml': strToU8('<x/>') }))).toEqual({
      refusal: REFUSALS.unexpected,
    });
  });

  it('refuses a package whose central directory and local headers disagree, or that is cut short', async () => {
    const zip = Buffer.from(docx());
    expect(await checkDocumentContent(zip.subarray(0, zip.length - 30))).toEqual({ refusal: REFUSALS.damaged });
    const renamed = Buffer.from(zip);
    // The first local header's name ([Content_Types].xml) changed, the central directory's left as it was.
    renamed[31] = 'X'.charCodeAt(0);
    expect(await checkDocumentContent(renamed)).toEqual({ refusal: REFUSALS.damaged });
  });

  it('refuses any other zip, and anything else', async () => {
    expect(await checkDocumentContent(zipOf([stored('readme.txt', 'hello')]))).toEqual({
      refusal: REFUSALS.notDocument,
    });
    expect(await checkDocumentContent(strToU8('<script>alert(1)</script>'))).toEqual({ refusal: REFUSALS.notDocument });
  });
});
