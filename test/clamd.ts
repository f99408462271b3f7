/**
 * A real ClamAV daemon for the tests: clamd (Debian's clamav-daemon) started in a temporary folder with a signature
 * database written here (the EICAR test file's hash, and a marker string the tests put inside a PDF), listening on a
 * free TCP port and a Unix socket. When clamd is not installed the tests that need it are reported as skipped, with
 * the reason, never passed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLAMD = ['/usr/sbin/clamd', '/usr/bin/clamd'].find((p) => existsSync(p));

export const CLAMD_MISSING = CLAMD
  ? null
  : 'clamd is not installed (apt-get install clamav-daemon): the tests against a real virus scanner cannot run';

/** The EICAR anti-virus test file (eicar.org), put together here so this source is not itself flagged. */
export const EICAR = Buffer.from(
  ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS', '-TEST-FILE!$H+H*'].join(''),
);
/** A string the test database's body signature finds anywhere in a file (ClamAV .ndb, target 0, offset *). */
export const MARKER = 'OPENEHCP-TEST-VIRUS-MARKER';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(reply.startsWith('PONG')));
    socket.on('connect', () => socket.end('zPING\0'));
  });
}

export interface Clamd {
  port: number;
  socket: string;
  stop(): Promise<void>;
}

export async function startClamd(): Promise<Clamd> {
  if (!CLAMD) throw new Error(CLAMD_MISSING!);
  const dir = mkdtempSync(path.join(tmpdir(), 'openehcp-clamd-'));
  const port = await freePort();
  const socket = path.join(dir, 'clamd.sock');
  writeFileSync(
    path.join(dir, 'test.hdb'),
    `${createHash('md5').update(EICAR).digest('hex')}:${EICAR.length}:Eicar-Test-Signature\n`,
  );
  writeFileSync(path.join(dir, 'test.ndb'), `OpenEHCP.Test.Marker:0:*:${Buffer.from(MARKER).toString('hex')}\n`);
  writeFileSync(
    path.join(dir, 'clamd.conf'),
    [
      'Foreground yes',
      `DatabaseDirectory ${dir}`,
      `LocalSocket ${socket}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `LogFile ${path.join(dir, 'clamd.log')}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(CLAMD, ['-c', path.join(dir, 'clamd.conf')], { stdio: 'ignore' });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    if (await answers(port)) return { port, socket, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('clamd did not start in 30 s');
}
