/**
 * Forecast benchmark (issue 7's target: 1,000 replications x 104 weeks at the demo county's demand in 3 s or less).
 * The scenario is the demo county's shape: about 65 requests a week, a decision (a delay of about 5 weeks, 75% go on
 * to assessment), educational psychology advice (the bottleneck, 28 EPs), drafting (caseworkers, 95% issued) and a
 * 3-week consultation to the final plan; 1,200 open cases at the start, and monthly periods for the fan charts.
 * Run: npm run bench:forecast (on worker threads, one per core, and on one thread for comparison)
 */
import { availableParallelism } from 'node:os';
// The built code, as the service runs it (the script builds first).
import { parseScenario } from '../dist/domain/forecast/scenario.js';
import { simulate } from '../dist/domain/forecast/simulate.js';
import { runForecast, runReplications } from '../dist/services/forecastRunner.js';
import { solveCapacity } from '../dist/domain/forecast/solver.js';

const stages = ['decision', 'ep_advice', 'drafting', 'final'];
const backlog = Array.from({ length: 1200 }, (_, i) => ({ stage: stages[i % 4], ageWeeks: (i * 7) % 40 }));
const scenario = parseScenario({
  seed: 1,
  replications: Number(process.env.REPS ?? 1000),
  warmupWeeks: 0,
  horizonWeeks: 104,
  targetWeeks: 20,
  arrivals: { ratePerWeek: 65 },
  stages: [
    {
      id: 'decision',
      servers: null,
      service: { distribution: 'lognormal', meanWeeks: 5, sdWeeks: 1.5 },
      proceedProbability: 0.75,
    },
    {
      id: 'ep_advice',
      servers: 28,
      service: { distribution: 'exponential', meanWeeks: 0.5 },
      capacityChanges: [{ atWeek: 26, servers: 31 }],
    },
    {
      id: 'drafting',
      servers: 20,
      service: { distribution: 'lognormal', meanWeeks: 0.35, sdWeeks: 0.2 },
      proceedProbability: 0.95,
    },
    { id: 'final', servers: null, service: { distribution: 'fixed', weeks: 3 } },
  ],
  backlog,
  periods: Array.from({ length: 25 }, (_, i) => (i * 104) / 24),
});

global.gc?.();
let started = performance.now();
const single = simulate(scenario);
const singleMs = performance.now() - started;
started = performance.now();
const result = await runForecast(scenario);
const ms = performance.now() - started;
// The capacity solve (target 15 s): the smallest extra EPs for a 90% chance that 99% of the plans completed in the
// last month are within 20 weeks.
started = performance.now();
const solution = await solveCapacity(
  {
    ...scenario,
    stages: scenario.stages.map((s) => (s.id === 'ep_advice' ? { ...s, servers: 24, capacityChanges: [] } : s)),
  },
  'ep_advice',
  { period: 23, shareWithinTarget: 0.99 },
  // As the service runs it: on worker threads, searching on 200 futures and judging the answer on all 1,000.
  { probability: 0.9, maxExtra: 40, run: (s, from, to) => runReplications(s, { from, to }) },
);
const solveMs = performance.now() - started;
const memory = process.memoryUsage();
if (JSON.stringify(result) !== JSON.stringify(single)) throw new Error('bench: threads and one thread disagree');
console.log(
  JSON.stringify(
    {
      replications: scenario.replications,
      horizonWeeks: scenario.horizonWeeks,
      arrivalsPerWeek: scenario.arrivals.ratePerWeek,
      threads: availableParallelism(),
      seconds: Number((ms / 1000).toFixed(2)),
      secondsOnOneThread: Number((singleMs / 1000).toFixed(2)),
      targetSeconds: 3,
      capacitySolve: {
        seconds: Number((solveMs / 1000).toFixed(2)),
        targetSeconds: 15,
        searchedOnFewer: solution.screened.length,
        judgedOnAll: solution.tried.length,
        extraEducationalPsychologists: solution.extra,
        probability: solution.probability,
      },
      rssMB: Math.round(memory.rss / 1e6),
      completedPerReplication: Math.round(result.overall.completed),
      shareWithinTarget: Number(result.overall.shareWithinTarget?.toFixed(3)),
      lastMonthShareWithin: result.periods.at(-1).shareWithinTarget,
    },
    null,
    2,
  ),
);
