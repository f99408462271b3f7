/**
 * A worker thread running one of the services' worker modules (forecastWorker, sen2Worker): the built JavaScript, or
 * (from the TypeScript sources, in development and the tests) the source through tsx's loader.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export function startWorker(name: 'forecastWorker' | 'sen2Worker'): Worker {
  const built = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built);
  const source = new URL(`./${name}.ts`, import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`,
    { eval: true },
  );
}
