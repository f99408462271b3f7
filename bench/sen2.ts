/**
 * SEN2 at scale: the demo county's 2026 return exported and validated (targets: 10 s each), and a return of about
 * 20,000 persons (a county half as big again) imported into an empty database, checked first as a dry run, then
 * imported, then imported again (which finds everything already there). Runs on a throwaway database on the
 * PostgreSQL server named by BENCH_DATABASE_URL, or on PGlite in memory.
 *
 *   npm run bench:sen2
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:sen2
 */
import { openTestDb } from '../test/db.js';
import type { Database } from '../src/data/db.js';
import { addLocalAuthority } from '../src/data/repositories/localAuthorities.js';
import { localDate } from '../src/domain/dates/localDate.js';
import { generateDemoCounty } from '../src/demo/generate.js';
import { loadDemoCounty } from '../src/demo/load.js';
import { fixedClock } from '../src/services/clock.js';
import { createServices } from '../src/services/index.js';
import type { Sen2Caller } from '../src/services/sen2.js';
import { validateSen2Document } from '../src/services/sen2Schema.js';

const AS_OF = localDate('2026-11-28');
const clock = fixedClock(new Date('2026-11-28T10:00:00Z'));
const system: Sen2Caller = { laCode: '999', userId: null, ip: null, requestId: null, via: 'cli' };
// A throwaway database as the tests make one: on the PostgreSQL server named by BENCH_DATABASE_URL, or PGlite.
if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
const freshDb = openTestDb;

async function timed<T>(label: string, runs: number, f: () => Promise<T>): Promise<T> {
  const times: number[] = [];
  let out: T | undefined;
  for (let i = 0; i < runs; i++) {
    global.gc?.();
    const started = performance.now();
    out = await f();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label.padEnd(44)} median ${(median / 1000).toFixed(2)} s (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')}); rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
  );
  return out!;
}

async function loadCounty(scale: number, seed: number): Promise<Database> {
  const database = await freshDb();
  const started = performance.now();
  await loadDemoCounty(database, generateDemoCounty({ asOf: AS_OF, scale, seed }), { seed });
  await createServices(database, { clock }).measures.refresh();
  console.log(`loaded a county at scale ${scale} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return database;
}

console.log(`SEN2 benchmark on ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`);
const demo = await loadCounty(1, 20140901);
const services = createServices(demo, { clock });
const exported = await timed('export, demo county (target 10 s)', 3, () => services.sen2.exportReturn(system, 2026));
console.log(
  `  ${exported.ret.persons.length} persons, ${(exported.xml.length / 1e6).toFixed(1)} MB, ${exported.errors} errors, ${exported.queries} queries`,
);
const checked = await timed('validate, demo county (target 10 s)', 3, () => validateSen2Document(exported.xml));
console.log(`  ${checked.errors} errors, ${checked.queries} queries`);
await demo.close();

const big = await loadCounty(1.5, 7);
const bigXml = (await createServices(big, { clock }).sen2.exportReturn(system, 2026)).xml;
await big.close();
const file = new TextEncoder().encode(bigXml);
const persons = (bigXml.match(/<Person>/g) ?? []).length;
console.log(`import file: ${persons} persons, ${(file.length / 1e6).toFixed(1)} MB`);

const empty = await freshDb();
await addLocalAuthority(empty.db, '999', 'Demo County Council');
const target = createServices(empty, { clock });
const run = (dryRun: boolean) => () =>
  target.sen2.importFile(system, file, { format: 'xml', dryRun, name: 'bench.xml' });
const dry = await timed(`import dry run, ${persons} persons`, 1, run(true));
console.log(`  would create ${JSON.stringify(dry.created)}`);
const done = await timed(`import, ${persons} persons`, 1, run(false));
console.log(`  created ${JSON.stringify(done.created)}`);
const again = await timed(`import again (nothing new), ${persons} persons`, 1, run(false));
console.log(`  created ${JSON.stringify(again.created)}, already here ${JSON.stringify(again.existing)}`);
await empty.close();
