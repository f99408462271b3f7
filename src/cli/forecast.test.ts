/**
 * `openehcp forecast` as a data team runs it: the built command, JSON in, JSON out (contracts/cli.md). The contract's
 * example is M/M/8 with arrivals 10 a week and mean service 0.6667 weeks: offered load 6.667, so Erlang C gives
 * P(wait) = 0.530, Wq = 0.530 / (8 x 1.5 - 10) = 0.265 weeks, utilisation 0.833, and 10 x 468 = 4,680 completed
 * per replication in the 468 weeks after the warm-up.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCommand } from '../../test/command.js';
import { erlangC } from '../domain/forecast/queueing.js';

const forecast = (input: string) => runCommand(['forecast'], { input });
const example = {
  seed: 7,
  replications: 200,
  warmupWeeks: 52,
  horizonWeeks: 520,
  targetWeeks: 20,
  arrivals: { ratePerWeek: 10 },
  stages: [
    {
      id: 'ep_advice',
      servers: 8,
      service: { distribution: 'exponential', meanWeeks: 0.6667 },
      proceedProbability: 1,
    },
  ],
};

interface Output {
  overall: { meanTimeInSystemWeeks: number; shareWithinTarget: number; completed: number };
  stages: { id: string; meanWaitWeeks: number; shareWaiting: number; utilisation: number }[];
}

beforeAll(() => requireBuilt());

describe('openehcp forecast', () => {
  it('answers the contract’s example with the contract’s fields, agreeing with Erlang C', () => {
    const r = forecast(JSON.stringify(example));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Output;
    const c = erlangC(8, 10 * 0.6667);
    expect(out.stages[0]!.id).toBe('ep_advice');
    expect(out.stages[0]!.shareWaiting).toBeCloseTo(c, 1);
    expect(out.stages[0]!.meanWaitWeeks).toBeCloseTo(c / (8 / 0.6667 - 10), 1);
    expect(out.stages[0]!.utilisation).toBeCloseTo((10 * 0.6667) / 8, 2);
    expect(out.overall.meanTimeInSystemWeeks).toBeCloseTo(c / (8 / 0.6667 - 10) + 0.6667, 1);
    expect(out.overall.shareWithinTarget).toBe(1);
    expect(out.overall.completed / 4680).toBeCloseTo(1, 1);
  });

  it('gives the same output for the same seed and input', () => {
    const small = JSON.stringify({ ...example, replications: 5 });
    expect(forecast(small).stdout).toBe(forecast(small).stdout);
  });

  it('refuses an impossible scenario with exit code 2 and one line naming the field', () => {
    for (const [scenario, field] of [
      [{ ...example, stages: [{ ...example.stages[0], servers: 0 }] }, 'stages[0].servers'],
      [{ ...example, stages: [{ ...example.stages[0], proceedProbability: -0.1 }] }, 'stages[0].proceedProbability'],
      [{ ...example, arrivals: { ratePerWeek: 'ten' } }, 'arrivals.ratePerWeek'],
    ] as const) {
      const r = forecast(JSON.stringify(scenario));
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(field);
    }
    const notJson = forecast('{ "seed": ');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
  });
});
