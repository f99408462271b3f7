/**
 * A forecast worker thread: runs the replications it is sent (domain/forecast/simulate.ts) and sends their results
 * back, so that long runs neither block the web service nor use only one core.
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../domain/forecast/scenario.js';
import { simulateReplications } from '../domain/forecast/simulate.js';

/** The scenario, sent with a worker's first job only rather than copied again with every chunk. */
let scenario: Scenario | undefined;

parentPort!.on('message', (job: { id: number; scenario?: Scenario; from: number; to: number }) => {
  if (job.scenario) scenario = job.scenario;
  if (!scenario) throw new Error('forecast worker: a job came before its scenario');
  parentPort!.postMessage({ id: job.id, replications: simulateReplications(scenario, job.from, job.to) });
});
