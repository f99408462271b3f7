#!/usr/bin/env node
// Every package the built service loads (dist/ and bin/) must be in package.json's dependencies, since a production
// install (`npm ci --omit=dev`, the Docker image) has nothing else. Reads each built file's imports, static and
// dynamic, and require() and require.resolve() calls, with TypeScript's own import scanner; prints each package that
// is missing or only a devDependency, and exits 1 if there is any. Run after `npm run build`.
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
const devDependencies = new Set(Object.keys(pkg.devDependencies ?? {}));
const builtins = new Set(builtinModules);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (/\.(m?js|cjs)$/.test(entry.name)) yield full;
  }
}

/** The package a bare specifier names: `csv-parse/sync` -> `csv-parse`, `@scope/name/x` -> `@scope/name`. */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z]+:/.test(specifier)) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtins.has(name) ? null : name;
}

const problems = new Map();
let scanned = 0;
for (const file of [...files(path.join(root, 'dist')), ...files(path.join(root, 'bin'))]) {
  scanned += 1;
  const text = readFileSync(file, 'utf8');
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  for (const m of text.matchAll(/\brequire\.resolve\(\s*['"]([^'"]+)['"]/g)) specifiers.push(m[1]);
  for (const specifier of specifiers) {
    const name = packageOf(specifier);
    if (name === null || dependencies.has(name)) continue;
    const why = devDependencies.has(name) ? 'a devDependency' : 'not in package.json';
    const where = `${path.relative(root, file)} (${specifier})`;
    problems.set(name, [why, [...(problems.get(name)?.[1] ?? []), where]]);
  }
}

if (scanned === 0) {
  console.error('runtime-deps: dist/ is empty: run "npm run build" first');
  process.exit(2);
}
for (const [name, [why, where]] of problems) {
  console.error(`runtime-deps: ${name} is loaded at run time but is ${why}: ${where.join(', ')}`);
}
console.log(
  `runtime-deps: ${scanned} files, ${problems.size === 0 ? 'every package they load is a dependency' : `${problems.size} package(s) to move to dependencies`}`,
);
process.exit(problems.size === 0 ? 0 : 1);
