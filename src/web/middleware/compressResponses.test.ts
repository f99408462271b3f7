import express from 'express';
import { once } from 'node:events';
import { get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressResponses } from './compressResponses.js';

// Pages with text in several scripts (2, 3 and 4 bytes a character in UTF-8), of different sizes.
const line = 'Zoë O’Brien – Łódź – 東京 – 😀 <b>&amp;</b>\n';
const long = `<p>${line.repeat(200)}</p>`;
const pages: Record<string, string> = {
  long,
  short: `<p>${line.repeat(40)}</p>`,
  // Over a megabyte: several of the compressor's chunks.
  huge: `<p>${line.repeat(30_000)}</p>`,
  tiny: '<p>Small</p>',
};

let server: Server;
let port: number;
beforeAll(async () => {
  const app = express();
  app.use(compressResponses);
  app.get('/text', (_req, res) => res.type('text/plain').send(pages.long));
  app.get('/json', (_req, res) => res.json({ lines: long.split('\n') }));
  app.get('/csv', (_req, res) => res.type('text/csv; charset=utf-8').send(Buffer.from(long)));
  app.get('/pdf', (_req, res) => res.type('application/pdf').send(Buffer.from(long)));
  app.get('/bytes', (_req, res) => res.send(Buffer.from(long)));
  app.get('/:name', (req, res) => res.send(pages[req.params.name]));
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

function raw(path: string, accepted: string) {
  return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': accepted } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('compressing answers (the compression middleware at its fastest settings)', () => {
  it('decodes to exactly the page, for pages of every size one after another, by brotli and by gzip', async () => {
    for (const [accepted, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      for (const name of ['long', 'short', 'huge', 'short', 'long']) {
        const { headers, body } = await raw(`/${name}`, accepted);
        expect(headers['content-encoding'], `${name} ${accepted}`).toBe(accepted);
        expect(headers['content-type']).toBe('text/html; charset=utf-8');
        expect(decode(body).toString('utf8'), `${name} ${accepted}`).toBe(pages[name]);
      }
    }
  });

  it('uses gzip level 1 and brotli quality 1, the fastest, as pages are compressed while someone waits', async () => {
    // RFC 1952 section 2.3.1: the header's XFL byte is 4 when the compressor used its fastest algorithm.
    const gzip = await raw('/long', 'gzip');
    expect(gzip.body[8]).toBe(4);
    // Brotli does not record its quality; at quality 1 this page compresses to a known size, unlike at 4 (the
    // middleware's default) or 11.
    const quality = (q: number) =>
      brotliCompressSync(Buffer.from(long), { params: { [constants.BROTLI_PARAM_QUALITY]: q } }).length;
    expect(new Set([quality(1), quality(4), quality(11)]).size).toBe(3);
    const br = await raw('/long', 'br');
    expect(br.body.length).toBe(quality(1));
  });

  it('prefers brotli when the browser accepts both', async () => {
    const { headers } = await raw('/long', 'gzip, deflate, br');
    expect(headers['content-encoding']).toBe('br');
    expect(headers.vary).toMatch(/Accept-Encoding/i);
  });

  it('compresses JSON, and text and CSV downloads, each decoding to exactly what was sent, with its type', async () => {
    const json = await raw('/json', 'br');
    expect(json.headers['content-encoding']).toBe('br');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(brotliDecompressSync(json.body).toString('utf8'))).toEqual({ lines: long.split('\n') });
    for (const [path, type] of [
      ['/text', 'text/plain; charset=utf-8'],
      ['/csv', 'text/csv; charset=utf-8'],
    ] as const) {
      const { headers, body } = await raw(path, 'gzip');
      expect(headers['content-encoding'], path).toBe('gzip');
      expect(headers['content-type'], path).toBe(type);
      expect(gunzipSync(body).toString('utf8'), path).toBe(long);
    }
  });

  it('sends small pages, types that do not compress and bytes of no stated type as they are', async () => {
    const tiny = await raw('/tiny', 'br');
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString('utf8')).toBe(pages.tiny);
    for (const [path, type] of [
      ['/pdf', 'application/pdf'],
      ['/bytes', 'application/octet-stream'],
    ] as const) {
      const { headers, body } = await raw(path, 'gzip, br');
      expect(headers['content-encoding'], path).toBeUndefined();
      expect(headers['content-type'], path).toBe(type);
      expect(body.toString('utf8'), path).toBe(long);
    }
  });
});
