/**
 * Runs a forecast's replications on worker threads (one per core by default), in chunks, and puts them back in order:
 * the result is exactly the single-threaded one (each replication's random numbers depend only on the seed and its
 * number), the web service stays responsive, and progress can be shown as chunks finish.
 */
import { availableParallelism } from 'node:os';
import type { Scenario } from '../domain/forecast/scenario.js';
import { summarise, type Replication, type SimulationResult } from '../domain/forecast/simulate.js';
import { startWorker } from './workerThread.js';

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
  if (chunks.length === 0) return [];
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), chunks.length));
  const results: Replication[][] = new Array<Replication[]>(chunks.length);
  let next = 0;
  let done = 0;
  const workers = Array.from({ length: threads }, () => startWorker('forecastWorker'));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let first = true;
            const send = () => {
              if (next >= chunks.length) return resolve();
              const id = next++;
              // The scenario goes with each worker's first chunk only (the worker keeps it).
              worker.postMessage(first ? { id, scenario, ...chunks[id]! } : { id, ...chunks[id]! });
              first = false;
            };
            worker.on('message', (m: { id: number; replications: Replication[] }) => {
              results[m.id] = m.replications;
              done += m.replications.length;
              options.onProgress?.(done, end - (options.from ?? 0));
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
  return results.flat();
}
