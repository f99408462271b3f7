#!/usr/bin/env node
// The `openehcp` command. Runs the compiled code in dist/ (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('openehcp: the command is not built yet: run "npm run build" (npm install does this)\n');
  process.exit(2);
}
const { run } = await import(main.href);
await run(process.argv);
