/** The chance of meeting a target, and the smallest extra capacity that makes it likely enough. */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './scenario.js';
import { simulateReplications, type Replication } from './simulate.js';
import { probabilityMet, solveCapacity, withExtraServers } from './solver.js';

// 10 requests a week need advice; 2 EPs each take half a week a case (4 a week): a queue that grows, on top of 100
// cases already waiting 10 weeks. Judged: the share of plans completed in weeks 26 to 52 within 20 weeks.
const scenario = parseScenario({
  seed: 3,
  replications: 40,
  horizonWeeks: 52,
  targetWeeks: 20,
  arrivals: { ratePerWeek: 10 },
  stages: [
    { id: 'decision', servers: null, service: { distribution: 'fixed', weeks: 6 } },
    { id: 'ep_advice', servers: 2, service: { distribution: 'exponential', meanWeeks: 0.5 } },
  ],
  backlog: Array.from({ length: 100 }, () => ({ stage: 'ep_advice', ageWeeks: 10 })),
  periods: [0, 26, 52],
});
const target = { period: 1, shareWithinTarget: 0.9 };
const probabilityWith = (extra: number) => {
  const s = withExtraServers(scenario, 1, extra);
  return probabilityMet(simulateReplications(s, 0, s.replications), target);
};

describe('the chance of meeting a target', () => {
  it('is the share of replications whose period share reaches the target; no completions is not meeting it', () => {
    const rep = (share: number | null) => ({ periodWithin: [null, share] }) as unknown as Replication;
    expect(probabilityMet([rep(0.95), rep(0.9), rep(0.89), rep(null)], target)).toBe(0.5);
  });

  it('with the forecast’s correction by its past errors, judges each future’s share as the stated range moves it', () => {
    const rep = (share: number | null) => ({ periodWithin: [null, share] }) as unknown as Replication;
    const reps = [0.4, 0.45, 0.5, 0.55, 0.6, null].map(rep);
    const seventy = { period: 1, shareWithinTarget: 0.7 };
    expect(probabilityMet(reps, seventy)).toBe(0);
    // Nearest-rank 10th, 50th, 90th percentiles 0.4, 0.5, 0.6; corrected to 0.5 - 1 x 0.1 and 0.5 + 3 x 0.1: 0.4 to
    // 0.8, each share v moved to 0.4 + (v - 0.4) x 2: 0.4, 0.5, 0.6, 0.7, 0.8. Two of the six futures reach 70%.
    expect(probabilityMet(reps, seventy, { q10: -1, q90: 3, n: 40 })).toBeCloseTo(2 / 6, 12);
  });
});

describe('the capacity solver', () => {
  it('finds the smallest number of extra EPs for an 80% chance: one fewer is not enough', async () => {
    const solution = await solveCapacity(scenario, 'ep_advice', target, { probability: 0.8, maxExtra: 30 });
    expect(solution.extra).not.toBeNull();
    const extra = solution.extra!;
    expect(extra).toBeGreaterThan(0);
    expect(probabilityWith(extra)).toBeGreaterThanOrEqual(0.8);
    expect(probabilityWith(extra - 1)).toBeLessThan(0.8);
    // No smaller capacity reaches it either (the probability rises with capacity under common random numbers).
    for (let e = 0; e < extra; e++) expect(probabilityWith(e)).toBeLessThan(0.8);
    // Bisection: far fewer simulations than trying every capacity up to 30.
    expect(solution.screened.length + solution.tried.length).toBeLessThanOrEqual(10);
  });

  it('searches on a few futures and judges the answer on all of them: the same answer, for less work', async () => {
    const many = { ...scenario, replications: 200 };
    const chance = (extra: number) => {
      const s = withExtraServers(many, 1, extra);
      return probabilityMet(simulateReplications(s, 0, s.replications), target);
    };
    const solution = await solveCapacity(many, 'ep_advice', target, {
      probability: 0.8,
      maxExtra: 30,
      screenReplications: 40,
    });
    const extra = solution.extra!;
    // Judged on all 200: it meets the chance and one fewer does not.
    expect(chance(extra)).toBeGreaterThanOrEqual(0.8);
    expect(chance(extra - 1)).toBeLessThan(0.8);
    expect(solution.probability).toBe(chance(extra));
    // The search ran on 40; only the answer was judged on all 200 (one fewer was well short on the 40: 3 standard
    // errors of a chance of one half, 0.24, below 0.8).
    expect(solution.screened.find((t) => t.extra === extra - 1)!.probability).toBeLessThan(
      0.8 - 3 * Math.sqrt(0.25 / 40),
    );
    expect(solution.tried.map((t) => t.extra)).toEqual([extra]);
  });

  it('says when even the most capacity allowed is not enough, and refuses a stage without capacity', async () => {
    const none = await solveCapacity(
      scenario,
      'ep_advice',
      { period: 0, shareWithinTarget: 1 },
      { probability: 1, maxExtra: 1 },
    );
    expect(none.extra).toBeNull();
    await expect(solveCapacity(scenario, 'decision', target, { probability: 0.8, maxExtra: 5 })).rejects.toThrow(
      ScenarioError,
    );
  });

  it('counts in people when each is several servers, with the extra from a week on', async () => {
    // Each "person" is 2 servers, working from week 4: the answer is the fewest people, and one fewer fails.
    const options = { probability: 0.8, maxExtra: 15, serversPerUnit: 2, atWeek: 4 };
    const solution = await solveCapacity(scenario, 'ep_advice', target, options);
    const people = solution.extra!;
    const chance = (n: number) => {
      const s = withExtraServers(scenario, 1, 2 * n, 4);
      return probabilityMet(simulateReplications(s, 0, s.replications), target);
    };
    expect(people).toBeGreaterThan(0);
    expect(chance(people)).toBeGreaterThanOrEqual(0.8);
    expect(chance(people - 1)).toBeLessThan(0.8);
    // The extra works from week 4, on top of the 2 servers there: 3 people are 6 more servers, 8 from then.
    expect(withExtraServers(scenario, 1, 6, 4).stages[1]!.capacityChanges).toEqual([{ atWeek: 4, servers: 8 }]);
  });
});
