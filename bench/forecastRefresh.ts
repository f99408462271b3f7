/**
 * The forecast's hourly refresh on the demo county (issue 25): the county generated and loaded into an in-memory
 * PGlite (SCALE of full size, default 1; seed 20140901, as of 6 December 2026, as `openehcp serve --demo` has it),
 * then timed: reading the cases, the calibration, the 200 futures, the back-test over 12 origins (calibrated and
 * simulated on the forecast worker threads) and a whole refresh (which works the back-test out once a month: the
 * second refresh reuses it). Reports the times, the machine's load and the back-test's table.
 *
 *   node --expose-gc --import tsx bench/forecastRefresh.ts          (SCALE=0.1 for a tenth of the county)
 */
import { loadavg } from 'node:os';
import { openTestDb } from '../test/db.js';
import { generateDemoCounty } from '../src/demo/generate.js';
import { loadDemoCounty } from '../src/demo/load.js';
import { localDate } from '../src/domain/dates/localDate.js';
import { loadMeasureCases } from '../src/data/repositories/measures.js';
import { calibratedPipeline, backTest, createForecastService, historyOf } from '../src/services/forecasts.js';
import { fixedClock } from '../src/services/clock.js';
import { runReplications } from '../src/services/forecastRunner.js';
import { parseScenario } from '../src/domain/forecast/scenario.js';

const SEED = 20140901;
const scale = Number(process.env.SCALE ?? '1');
const today = localDate('2026-12-06');
const database = await openTestDb();
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
try {
  let t = performance.now();
  await loadDemoCounty(database, generateDemoCounty({ seed: SEED, asOf: today, scale }), { seed: SEED });
  const loadMs = performance.now() - t;
  const load = loadavg().map((l) => Number(l.toFixed(2)));

  t = performance.now();
  const cases = (await loadMeasureCases(database.db, '999')).map(historyOf);
  const readMs = performance.now() - t;
  t = performance.now();
  const pipeline = await calibratedPipeline(database.db, '999', today, 200);
  const calibrateMs = performance.now() - t - readMs;
  t = performance.now();
  await runReplications(parseScenario(pipeline.scenario));
  const futuresMs = performance.now() - t;
  t = performance.now();
  const test = await backTest(cases, today);
  const backTestMs = performance.now() - t;

  const service = createForecastService(database, fixedClock(new Date('2026-12-06T10:00:00Z')));
  t = performance.now();
  await service.refresh('999');
  const firstRefreshMs = performance.now() - t;
  t = performance.now();
  await service.refresh('999');
  const hourlyRefreshMs = performance.now() - t;

  console.log(
    JSON.stringify(
      {
        scale,
        cases: cases.length,
        openCases: pipeline.calibration.backlog.length,
        loadAverageBefore: load,
        seconds: {
          loadDemoCounty: seconds(loadMs),
          readCases: seconds(readMs),
          calibration: seconds(calibrateMs),
          futures200: seconds(futuresMs),
          backTest12Origins: seconds(backTestMs),
          refreshWithBackTest: seconds(firstRefreshMs),
          refreshReusingBackTest: seconds(hourlyRefreshMs),
        },
        loadAverageAfter: loadavg().map((l) => Number(l.toFixed(2))),
        backTest: test?.measures.map((m) => ({
          measure: m.band === null ? m.id : `${m.id}[${m.band}]`,
          inside: `${m.inside}/${m.points.length}`,
          forecastError: Number(m.forecastError?.toFixed(2)),
          naiveError: Number(m.naiveError?.toFixed(2)),
        })),
        monteCarlo: (await service.latest('999'))?.monteCarlo,
      },
      null,
      2,
    ),
  );
} finally {
  await database.close();
}
