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
import { createForecastScenarioService } from '../src/services/forecastScenarios.js';
import { roleAssignments } from '../src/data/schema.js';
import { and, eq } from 'drizzle-orm';

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

  // A scenario comparison as a SEND manager runs it from the forecast page: the three columns (the forecast now, the
  // improvement plan's staff changes, 10% more requests with 2 more caseworkers), then the same with the capacity
  // solver asked how many more educational psychologists an 80% chance of the target needs.
  const [manager] = await database.db
    .select({ userId: roleAssignments.userId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.laCode, '999'), eq(roleAssignments.role, 'manager')))
    .limit(1);
  if (!manager) throw new Error('the demo county has no SEND manager');
  const ctx = {
    actor: { userId: manager.userId, laCode: '999', roles: ['manager' as const], childIds: [] },
    ip: '127.0.0.1',
    requestId: 'bench',
  };
  const scenarios = createForecastScenarioService(database, fixedClock(new Date('2026-12-06T10:00:00Z')));
  const form = await scenarios.form(ctx);
  const request = {
    staffNow: {
      educational_psychology: form.staffing.educational_psychology ?? 12,
      casework: form.staffing.casework ?? 20,
    },
    saveStaffing: false,
    demandChangePercent: 10,
    changes: [{ staff: 'casework' as const, change: 2, from: localDate('2027-02-01'), label: 'Your scenario' }],
    target: form.target ?? { share: 60, month: '2027-09' },
    solve: null,
  };
  const scenarioMs: number[] = [];
  for (const solve of [null, { staff: 'educational_psychology' as const, from: localDate('2027-02-01'), chance: 80 }]) {
    t = performance.now();
    const id = await scenarios.start(ctx, { ...request, solve });
    await scenarios.settled();
    scenarioMs.push(performance.now() - t);
    const job = await scenarios.job(ctx, id);
    if (job.status !== 'done') throw new Error(`the scenario run ended ${job.status}`);
  }

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
          scenarioComparison: seconds(scenarioMs[0]!),
          scenarioComparisonWithSolver: seconds(scenarioMs[1]!),
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
