import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { answerMalformedRequests, clientErrorPages } from './clientErrors.js';
import { configureNunjucks } from './nunjucks.js';

let server: Server;
let port: number;

beforeAll(async () => {
  // The pages as the service makes them: from its templates.
  const app = express();
  configureNunjucks(app, { watch: false });
  server = createServer((_req, res) => res.end('app'));
  answerMalformedRequests(server, await clientErrorPages(app));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

/** Sends raw bytes and reads everything the server answers until it closes. */
async function raw(bytes: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.write(bytes);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('utf8');
}

describe('requests Node refuses before the app sees them', () => {
  it('answers an address longer than Node’s 16 KB header limit with 431 and a page saying so', async () => {
    const answer = await raw(`GET /cases/${'%78'.repeat(6_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('<h1 class="govuk-heading-l">The web address is too long</h1>');
    // The service's own layout: its header and stylesheet.
    expect(answer).toContain('govuk-generic-header');
    expect(answer).toContain('<title>The web address is too long');
    // Nothing of the request comes back.
    expect(answer).not.toContain('%78');
  });

  it('answers bytes that are not HTTP with 400 and a page', async () => {
    const answer = await raw('HELLO\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('The request could not be read');
  });

  it('still serves a request of ordinary length', async () => {
    const answer = await raw('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('app');
  });
});
