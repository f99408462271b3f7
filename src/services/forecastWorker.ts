/**
 * A forecast worker thread: runs the replications it is sent (domain/forecast/simulate.ts) and sends their results
 * back, so that long runs neither block the web service nor use only one core.
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../domain/forecast/scenario.js';
import { simulateReplications } from '../domain/forecast/simulate.js';

parentPort!.on('message', (job: { id: number; scenario: Scenario; from: number; to: number }) => {
  parentPort!.postMessage({ id: job.id, replications: simulateReplications(job.scenario, job.from, job.to) });
});
