/** Replications run on worker threads give exactly the single-threaded result, with progress as chunks finish. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../domain/forecast/scenario.js';
import { simulate } from '../domain/forecast/simulate.js';
import { runForecast } from './forecastRunner.js';

describe('running a forecast on worker threads', () => {
  it('puts the replications back in order: the same result as one thread, progress up to the total', async () => {
    const scenario = parseScenario({
      seed: 5,
      replications: 60,
      horizonWeeks: 104,
      arrivals: { ratePerWeek: 20 },
      stages: [
        {
          id: 'decision',
          servers: null,
          service: { distribution: 'lognormal', meanWeeks: 5, sdWeeks: 1 },
          proceedProbability: 0.8,
        },
        { id: 'ep', servers: 4, service: { distribution: 'exponential', meanWeeks: 0.2 } },
      ],
      periods: [0, 26, 52, 78, 104],
    });
    const progress: number[] = [];
    const threaded = await runForecast(scenario, { threads: 2, onProgress: (done) => progress.push(done) });
    expect(threaded).toEqual(simulate(scenario));
    expect(progress.at(-1)).toBe(60);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});
