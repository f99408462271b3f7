/**
 * Runs a forecast's replications on worker threads (one per core by default), in chunks, and puts them back in order:
 * the result is exactly the single-threaded one (each replication's random numbers depend only on the seed and its
 * number), the web service stays responsive, and progress can be shown as chunks finish. The back-test's origins run
 * there too, a whole origin (calibration and futures) to a job.
 */
import { availableParallelism } from 'node:os';
import { addMonths } from '../domain/dates/months.js';
import { addDays, daysBetween, type LocalDate } from '../domain/dates/localDate.js';
import { backTestMonths, type OriginForecast } from '../domain/forecast/backTest.js';
import { calibrate, scenarioFromCalibration, type CaseHistory } from '../domain/forecast/calibrate.js';
import { parseScenario, ScenarioError, type Scenario } from '../domain/forecast/scenario.js';
import {
  simulate,
  summarise,
  type Percentiles,
  type Replication,
  type SimulationResult,
} from '../domain/forecast/simulate.js';
import { startWorker } from './workerThread.js';

/**
 * The months the rate, conversions, stage times and capacities are taken from: a service that is changing is
 * forecast as it is now. Six months did better than twelve in the demo county's back-tests (its plans were getting
 * quicker), and stage times grouped by the case's age on reaching the stage better still.
 */
export const RECENT_MONTHS = 6;

/**
 * The forecast's calibration as of `today`, from the cases' history (seasonality and the trend from three years; the
 * rate, conversions, stage times and capacities from the last `RECENT_MONTHS` months): the live forecast's, and the
 * back-test's from each origin.
 */
export function calibrateAsOf(cases: readonly CaseHistory[], today: LocalDate) {
  return calibrate(cases, addMonths(today, -36), today, { recentFrom: addMonths(today, -RECENT_MONTHS) });
}

/** Replications per message: small enough for smooth progress, large enough that messages cost nothing. */
const CHUNK = 25;

export async function runForecast(
  scenario: Scenario,
  options: { threads?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<SimulationResult> {
  return summarise(scenario, await runReplications(scenario, options));
}

/** A scenario's replications (all of them, or `from` to `to` - 1), in order, run on worker threads. */
export async function runReplications(
  scenario: Scenario,
  options: {
    threads?: number;
    onProgress?: (done: number, total: number) => void;
    from?: number;
    to?: number;
  } = {},
): Promise<Replication[]> {
  const chunks: { from: number; to: number }[] = [];
  const end = options.to ?? scenario.replications;
  for (let from = options.from ?? 0; from < end; from += CHUNK) {
    chunks.push({ from, to: Math.min(end, from + CHUNK) });
  }
  let done = 0;
  const results = await onWorkers<Replication[]>(
    chunks.map((c) => ({ kind: 'replications', ...c })),
    { scenario },
    options.threads,
    (replications) => {
      done += replications.length;
      options.onProgress?.(done, end - (options.from ?? 0));
    },
  );
  return results.flat();
}

/**
 * The months from `origin` forecast as the live forecast would have forecast them that day: calibrated on the cases
 * as they were known when the day began (`calibrateAsOf` to the day before: `calibrate` reads no fact dated after its
 * `to`, and advice asked for later does not hide an advice stage that looked finished then) and simulated month by
 * month (domain/forecast/backTest.ts's `backTestMonths`). Null where the method could not have run then (no final
 * plan issued in the calibration's window, or a pipeline the simulation refuses).
 */
export function forecastFromOrigin(
  cases: readonly CaseHistory[],
  origin: LocalDate,
  today: LocalDate,
  replications: number,
): OriginForecast | null {
  // What was known when the origin day began: the months compared start on the origin day, so a plan issued that day
  // is one the forecast has to forecast, not one it already knew of.
  const calibration = calibrateAsOf(cases, addDays(origin, -1));
  if (calibration.durations.final.n === 0) return null;
  const periods = backTestMonths(origin, today).map((d) => daysBetween(origin, d) / 7);
  let scenario: Scenario;
  try {
    scenario = parseScenario(
      scenarioFromCalibration(calibration, {
        horizonWeeks: periods[periods.length - 1]!,
        replications,
        seed: 1,
        periods,
      }),
    );
  } catch (err) {
    if (err instanceof ScenarioError) return null;
    throw err;
  }
  const summary = simulate(scenario);
  return {
    origin,
    months: summary.periods.map((p) => ({
      issued: range(p.completed),
      share: range(p.shareWithinTarget),
      openByAge: p.openByAge.map(range),
    })),
  };
}

const range = ({ p10, p50, p90 }: Percentiles) => ({ p10, p50, p90 });

/**
 * The back-test's forecasts from each origin (oldest first, those the method could not run from left out), on worker
 * threads: each origin's calibration (most of a second at the demo county's size) and its futures run off the web
 * service's thread, two origins at a time on two cores.
 */
export async function runBackTestForecasts(
  cases: readonly CaseHistory[],
  origins: readonly LocalDate[],
  today: LocalDate,
  options: { replications: number; threads?: number },
): Promise<OriginForecast[]> {
  const results = await onWorkers<OriginForecast | null>(
    origins.map((origin) => ({ kind: 'origin', origin, today, replications: options.replications })),
    { cases },
    options.threads,
  );
  return results.filter((f): f is OriginForecast => f !== null);
}

/**
 * Runs jobs on worker threads (one per core by default, no more than the jobs), each worker taking the next job as it
 * finishes one, and gives the results in the jobs' order. `shared` (the scenario, the cases) goes with each worker's
 * first job only: the worker keeps it.
 */
async function onWorkers<R>(
  jobs: readonly Record<string, unknown>[],
  shared: Record<string, unknown>,
  threadCount: number | undefined,
  onResult?: (result: R) => void,
): Promise<R[]> {
  if (jobs.length === 0) return [];
  const threads = Math.max(1, Math.min(threadCount ?? availableParallelism(), jobs.length));
  const results = new Array<R>(jobs.length);
  let next = 0;
  const workers = Array.from({ length: threads }, () => startWorker('forecastWorker'));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let first = true;
            const send = () => {
              if (next >= jobs.length) return resolve();
              const id = next++;
              worker.postMessage(first ? { id, ...shared, ...jobs[id]! } : { id, ...jobs[id]! });
              first = false;
            };
            worker.on('message', (m: { id: number; result: R }) => {
              results[m.id] = m.result;
              onResult?.(m.result);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`a forecast worker stopped with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
