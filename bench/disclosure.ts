/**
 * The disclosure rule on the demo county (numbers to report, never assertions): how many figures the open data
 * publishes and hides (first because of a small number, then because a hidden one could be worked out from them),
 * and how many hidden counts the adversary of test/adversary.ts gets back.
 *
 *   npx tsx bench/disclosure.ts [scale]     # default 1: the full county (a few minutes)
 */
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import supertest from 'supertest';
import { attack } from '../test/adversary.js';
import { openDb } from '../src/data/db.js';
import { readAllMeasureValues } from '../src/data/repositories/measures.js';
import { localDate } from '../src/domain/dates/localDate.js';
import { generateDemoCounty } from '../src/demo/generate.js';
import { loadDemoCounty } from '../src/demo/load.js';
import { createServices } from '../src/services/index.js';
import { createApp } from '../src/web/app.js';

const scale = Number(process.argv[2] ?? 1);
const database = await openDb({ dataDir: 'memory://' });
await database.migrate();
await loadDemoCounty(database, generateDemoCounty({ asOf: localDate('2026-11-28'), scale }), { seed: 1 });
const services = createServices(database, {
  clock: { now: () => new Date('2026-11-28T09:00:00Z'), today: () => localDate('2026-11-28') },
});
await services.measures.refresh('999');
const app = createApp({
  services,
  config: {
    env: 'test',
    sessionSecret: 'bench-secret-bench-secret-bench-secret',
    sessionIdleMinutes: 30,
    sessionMaxHours: 12,
    cookieSecure: false,
    trustProxy: false,
  },
  logger: pino({ level: 'silent' }),
});
const started = performance.now();
const csv = await supertest(app).get('/performance/999/data.csv').expect(200);
const csvMs = performance.now() - started;
const table: string[][] = parse(csv.text);
const [header, ...rows] = table;
const reason = header!.indexOf('suppressed');
const tally = (r: string) => rows.filter((row) => row[reason] === r).length;
const truth = await readAllMeasureValues(database.db, '999');
const hiddenAtLeast = rows.some((r) => r.slice(7, 10).includes('c')) ? 1 : 0;
const result = attack(rows, header!, truth, { hiddenAtLeast });
const how = (h: string) => result.recovered.filter((r) => r.how === h).length;
console.log(
  JSON.stringify(
    {
      scale,
      csvRows: rows.length,
      csvMs: Math.round(csvMs),
      rowsPublishedWhole: tally(''),
      rowsHiddenPrimary: tally('small_number'),
      rowsHiddenSecondary: tally('could_be_worked_out'),
      ratesWithValueHiddenButNPublished: rows.filter(
        (r) =>
          r[header!.indexOf('value')] === 'c' &&
          !['c', 'x'].includes(r[header!.indexOf('denominator')]!) &&
          r[header!.indexOf('unit')] === '%',
      ).length,
      countFieldsPublished: result.published,
      countFieldsHidden: result.hidden,
      recovered: result.recovered.length,
      recoveredFromPercentage: how('rate'),
      recoveredByLinearAlgebra: how('linear'),
      smallPublished: result.smallPublished.length,
    },
    null,
    1,
  ),
);
await database.close();
