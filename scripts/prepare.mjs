#!/usr/bin/env node
// npm runs this after `npm install` and `npm ci` (the "prepare" script). With the dev tools installed it builds dist/
// with TypeScript. A production install (`npm ci --omit=dev`, as in the Dockerfile's runtime stage) has no TypeScript:
// there it only checks that dist/ was built beforehand, instead of failing with "tsc: not found".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
let typescript = true;
try {
  createRequire(import.meta.url).resolve('typescript/package.json');
} catch {
  typescript = false;
}

if (typescript) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(build.status ?? 1);
}
if (existsSync(new URL('dist/cli/main.js', root))) {
  console.log('prepare: a production install (no TypeScript): using the dist/ already built');
  process.exit(0);
}
console.error(
  'prepare: dist/ is not built and TypeScript is not installed (npm ci --omit=dev): build first with the dev tools ' +
    '("npm ci && npm run build"), then install with --omit=dev beside that dist/, as the Dockerfile does',
);
process.exit(1);
