/**
 * A forecast worker thread: runs the jobs it is sent and sends their results back, so that long runs neither block the
 * web service nor use only one core. Two kinds of job: a chunk of a scenario's replications
 * (domain/forecast/simulate.ts), and one origin of the back-test (calibrated and simulated: forecastRunner.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { LocalDate } from '../domain/dates/localDate.js';
import type { CaseHistory } from '../domain/forecast/calibrate.js';
import type { Scenario } from '../domain/forecast/scenario.js';
import { simulateReplications } from '../domain/forecast/simulate.js';
import { forecastFromOrigin } from './forecastRunner.js';

type Job = { id: number; scenario?: Scenario; cases?: CaseHistory[] } & (
  | { kind: 'replications'; from: number; to: number }
  | { kind: 'origin'; origin: LocalDate; today: LocalDate; replications: number }
);

/** The scenario or the cases, sent with a worker's first job only rather than copied again with every job. */
let scenario: Scenario | undefined;
let cases: CaseHistory[] | undefined;

parentPort!.on('message', (job: Job) => {
  if (job.scenario) scenario = job.scenario;
  if (job.cases) cases = job.cases;
  if (job.kind === 'origin') {
    if (!cases) throw new Error('forecast worker: a back-test origin came before the cases');
    parentPort!.postMessage({ id: job.id, result: forecastFromOrigin(cases, job.origin, job.today, job.replications) });
    return;
  }
  if (!scenario) throw new Error('forecast worker: a job came before its scenario');
  parentPort!.postMessage({ id: job.id, result: simulateReplications(scenario, job.from, job.to) });
});
