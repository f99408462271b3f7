/**
 * Requests Node's HTTP parser refuses before the app sees them: an address or headers longer than Node's limit
 * (16 KB), or bytes that are not HTTP. Node would close the connection with a bare status line; a person who followed
 * a mangled link gets the service's own error page saying what happened instead. The pages are made once, when the
 * service starts, from the service's templates (nothing of the request is in them, echoed or logged: an address can
 * hold a child's name).
 */
import type { Express } from 'express';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

export interface ClientErrorPages {
  tooLong: string;
  malformed: string;
}

const ANSWERS = {
  tooLong: {
    status: '431 Request Header Fields Too Large',
    title: 'The web address is too long',
    text: 'The address or the request was longer than this service accepts. Check the link you followed, or start again.',
  },
  malformed: {
    status: '400 Bad Request',
    title: 'The request could not be read',
    text: 'Your browser sent a request this service could not read. Try again.',
  },
} as const;

/** The two pages, rendered by the app's templates (the layout signed out: no one is known for such a request). */
export async function clientErrorPages(app: Express): Promise<ClientErrorPages> {
  const render = (answer: (typeof ANSWERS)[keyof typeof ANSWERS]) =>
    new Promise<string>((resolve, reject) =>
      app.render('errors/client-error.njk', { title: answer.title, text: answer.text }, (err, html) =>
        err ? reject(err) : resolve(html),
      ),
    );
  return { tooLong: await render(ANSWERS.tooLong), malformed: await render(ANSWERS.malformed) };
}

/** Node's parser codes for a request whose headers (the request line among them) are over the limit. */
const TOO_LONG = new Set(['HPE_HEADER_OVERFLOW', 'HPE_URI_TOO_LONG']);

export function answerMalformedRequests(server: Server, pages: ClientErrorPages): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A connection already reset or half-written cannot take an answer.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const kind = TOO_LONG.has(err.code ?? '') ? 'tooLong' : 'malformed';
    const html = pages[kind];
    socket.end(
      `HTTP/1.1 ${ANSWERS[kind].status}\r\nContent-Type: text/html; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(html)}\r\nConnection: close\r\n\r\n${html}`,
    );
  });
}
