/**
 * Requests Node's HTTP parser refuses before the app sees them: an address or headers longer than Node's limit
 * (16 KB), or bytes that are not HTTP. Node would close the connection with a bare status line; a person who followed
 * a mangled link gets a short page saying what happened instead. The page is fixed text: nothing of the request is
 * echoed or logged (an address can hold a child's name).
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en" class="govuk-template"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – OpenEHCP</title></head>` +
  `<body class="govuk-template__body"><main class="govuk-main-wrapper" id="main-content">` +
  `<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${body}</p>` +
  `<p class="govuk-body"><a class="govuk-link" href="/">Go to the start page</a></p></main></body></html>`;

const ANSWERS: Record<string, { status: string; html: string }> = {
  tooLong: {
    status: '431 Request Header Fields Too Large',
    html: page(
      'The web address is too long',
      'The address or the request was longer than this service accepts. Check the link you followed, or start again.',
    ),
  },
  malformed: {
    status: '400 Bad Request',
    html: page('The request could not be read', 'Your browser sent a request this service could not read. Try again.'),
  },
};

/** Node's parser codes for a request whose headers (the request line among them) are over the limit. */
const TOO_LONG = new Set(['HPE_HEADER_OVERFLOW', 'HPE_URI_TOO_LONG']);

export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A connection already reset or half-written cannot take an answer.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = ANSWERS[TOO_LONG.has(err.code ?? '') ? 'tooLong' : 'malformed']!;
    socket.end(
      `HTTP/1.1 ${answer.status}\r\nContent-Type: text/html; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(answer.html)}\r\nConnection: close\r\n\r\n${answer.html}`,
    );
  });
}
