import { describe, expect, it } from 'vitest';
import { assignAuditors, stratifiedSample, type SampleCandidate } from './sampling.js';

/** 40 plans: team North 30 (ASD 20, SEMH 10), team South 10 (ASD 10). */
const plans: SampleCandidate[] = [
  ...Array.from({ length: 20 }, (_, i) => ({ requestId: `n-asd-${i}`, team: 'North', need: 'ASD' })),
  ...Array.from({ length: 10 }, (_, i) => ({ requestId: `n-semh-${i}`, team: 'North', need: 'SEMH' })),
  ...Array.from({ length: 10 }, (_, i) => ({ requestId: `s-asd-${i}`, team: 'South', need: 'ASD' })),
];

describe('the monthly sample', () => {
  it('takes the percentage, rounded up, in proportion to each team and need', () => {
    const { chosen, strata } = stratifiedSample(plans, 25, 7);
    // 25% of 40 is 10: 5 of North ASD, 2.5 and 2.5 of the others: the remainders tie, broken by name.
    expect(chosen).toHaveLength(10);
    expect(strata).toEqual([
      { team: 'North', need: 'ASD', available: 20, chosen: 5 },
      { team: 'North', need: 'SEMH', available: 10, chosen: 3 },
      { team: 'South', need: 'ASD', available: 10, chosen: 2 },
    ]);
    expect(stratifiedSample(plans, 10, 7).chosen).toHaveLength(4);
    expect(stratifiedSample(plans.slice(0, 7), 10, 7).chosen).toHaveLength(1);
  });

  it('is the same for the same seed whatever the order of the list, and another for another seed', () => {
    const ids = (seed: number, list = plans) =>
      stratifiedSample(list, 25, seed)
        .chosen.map((c) => c.requestId)
        .sort();
    expect(ids(7, [...plans].reverse())).toEqual(ids(7));
    expect(ids(8)).not.toEqual(ids(7));
    expect(new Set(ids(7)).size).toBe(10);
  });

  it('refuses a percentage outside 0-100', () => {
    expect(() => stratifiedSample(plans, 0, 1)).toThrow(RangeError);
    expect(() => stratifiedSample(plans, 101, 1)).toThrow(RangeError);
  });
});

describe('sharing the sample among auditors', () => {
  it('shares it evenly and gives the moderation share a second auditor who is someone else', () => {
    const sample = stratifiedSample(plans, 25, 7).chosen;
    const assigned = assignAuditors(sample, ['edu', 'health', 'care'], 20, 3);
    const count = (id: string) => assigned.filter((a) => a.auditorId === id).length;
    expect([count('edu'), count('health'), count('care')].sort()).toEqual([3, 3, 4]);
    const moderated = assigned.filter((a) => a.moderatorId !== null);
    expect(moderated).toHaveLength(2);
    for (const a of moderated) expect(a.moderatorId).not.toBe(a.auditorId);
    // One auditor: no one to moderate.
    expect(assignAuditors(sample, ['edu'], 50, 3).every((a) => a.moderatorId === null)).toBe(true);
  });
});
