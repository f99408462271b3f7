/**
 * Runs the built `openehcp` command as a user would: a child process, its exit code and its output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
