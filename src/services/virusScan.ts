/**
 * Every uploaded document is passed to a virus scanner when one is configured: ClamAV's daemon (clamd), the usual
 * council choice, over TCP (CLAMAV_HOST, CLAMAV_PORT) or a Unix socket (CLAMAV_SOCKET), with its INSTREAM command
 * (clamd(8): `zINSTREAM\0`, then chunks each led by its length as 4 bytes, big-endian, then a zero length; the answer
 * is `stream: OK`, `stream: <name> FOUND` or `... ERROR`). A scanner that is configured but cannot be reached, or
 * answers with an error, refuses the upload (fails closed) and says so in the log.
 */
import { connect, type Socket } from 'node:net';
import type { Logger } from 'pino';

export type ScanResult = { clean: true } | { clean: false; threat: string };

export interface VirusScanner {
  /** Where it is, for the log. */
  readonly name: string;
  scan(content: Uint8Array): Promise<ScanResult>;
}

/** The scanner could not give an answer: the upload is refused. */
export class ScannerUnavailableError extends Error {}

export type ClamdAddress = { socket: string } | { host: string; port: number };

/** clamd's default StreamMaxLength is 25 MB; chunks of 64 KB keep each write small. */
const CHUNK = 64 * 1024;

function describe(address: ClamdAddress): string {
  return 'socket' in address ? `clamd at ${address.socket}` : `clamd at ${address.host}:${address.port}`;
}

/** Sends `content` to clamd with INSTREAM and returns its one-line answer (without the trailing NUL). */
function instream(address: ClamdAddress, content: Uint8Array, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = 'socket' in address ? connect(address.socket) : connect(address.port, address.host);
    const answer: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    socket.on('data', (chunk: Buffer) => answer.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(answer).toString('utf8').replace(/\0+$/, '').trim()));
    socket.on('connect', () => {
      socket.write('zINSTREAM\0');
      for (let at = 0; at < content.length; at += CHUNK) {
        const chunk = content.subarray(at, at + CHUNK);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(chunk.length);
        socket.write(length);
        socket.write(chunk);
      }
      socket.end(Buffer.alloc(4));
    });
  });
}

export function clamdScanner(
  address: ClamdAddress,
  options: { logger?: Pick<Logger, 'error' | 'warn'>; timeoutMs?: number } = {},
): VirusScanner {
  const name = describe(address);
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    name,
    async scan(content) {
      let reply: string;
      try {
        reply = await instream(address, content, timeoutMs);
      } catch (error) {
        options.logger?.error({ scanner: name, error: (error as Error).message }, 'virus scanner unreachable');
        throw new ScannerUnavailableError(`${name} could not be reached`);
      }
      if (/^stream: OK$/.test(reply)) return { clean: true };
      const found = /^stream: (.+) FOUND$/.exec(reply);
      if (found) {
        // The signature's name only: never the file's name or content.
        options.logger?.warn({ scanner: name, threat: found[1] }, 'virus scanner refused an upload');
        return { clean: false, threat: found[1]! };
      }
      options.logger?.error({ scanner: name, reply: reply.slice(0, 200) }, 'virus scanner answered with an error');
      throw new ScannerUnavailableError(`${name} answered: ${reply.slice(0, 200)}`);
    },
  };
}
