/**
 * Runs the built `openehcp` command as a user would: a child process, its exit code and its output.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const bin = path.join(root, 'bin', 'openehcp.js');

/** Fails clearly when the build is missing (npm test builds first). */
export function requireBuilt(): void {
  if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) throw new Error('build first: npm run build');
}

export function runCommand(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: options.env ?? { PATH: process.env.PATH ?? '' },
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts `openehcp serve` (a child process) and waits for its start-up line: the address it runs at, what it has
 * printed so far, and its exit code once it stops. It is killed when the test finishes, whatever happens, so a failed
 * test leaves no server running.
 */
export async function startServe(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; output: () => string; child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { env });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line in: ${out}`)), 60_000);
    child.stdout.on('data', () => {
      const m = /running at (http:\/\/[^ ]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return { url, output: () => out, child, exited };
}
