/**
 * The Monte Carlo standard error of a percentile by the order-statistic method (Conover, Practical Nonparametric
 * Statistics, 3rd ed., section 3.2; David and Nagaraja, Order Statistics, 3rd ed., section 7.1).
 */
import { describe, expect, it } from 'vitest';
import { percentileErrors, percentileStandardError } from './monteCarloError.js';
import { percentiles } from './simulate.js';

const oneTo100 = Array.from({ length: 100 }, (_, i) => 100 - i);

describe('the standard error of a percentile', () => {
  it('is half the distance between the order statistics of ranks np -/+ 1.96 sqrt(np(1-p)), over 1.96', () => {
    // 100 values 1..100, 10th percentile: ranks 10 -/+ 1.96 x 3 = 4.12 and 15.88, so the 4th and 16th values.
    expect(percentileStandardError(oneTo100, 10)).toBeCloseTo(12 / (2 * 1.959964), 6);
    // Median: ranks 50 -/+ 1.96 x 5 = 40.2 and 59.8, so the 40th and 60th.
    expect(percentileStandardError(oneTo100, 50)).toBeCloseTo(20 / (2 * 1.959964), 6);
    expect(percentileStandardError([3], 50)).toBeNull();
  });

  it('matches the spread of the 10th percentile over many independent runs (normal futures: sqrt(p(1-p)/n) / density)', () => {
    // A seeded generator (Park and Miller's minimal standard) and Box-Muller normals: 400 runs of 200 futures.
    let state = 20140901;
    const uniform = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const p10s: number[] = [];
    const estimates: number[] = [];
    for (let run = 0; run < 400; run++) {
      const values = Array.from({ length: 200 }, normal);
      p10s.push(percentiles(values).p10!);
      estimates.push(percentileStandardError(values, 10)!);
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const spread = Math.sqrt(mean(p10s.map((v) => (v - mean(p10s)) ** 2)));
    // Theory: sqrt(0.1 x 0.9 / 200) / phi(-1.2816) = 0.0212 / 0.1755 = 0.121.
    const theory = Math.sqrt(0.09 / 200) / (Math.exp(-(1.2816 ** 2) / 2) / Math.sqrt(2 * Math.PI));
    expect(theory).toBeCloseTo(0.121, 3);
    expect(spread / theory).toBeGreaterThan(0.85);
    expect(spread / theory).toBeLessThan(1.15);
    expect(mean(estimates) / spread).toBeGreaterThan(0.85);
    expect(mean(estimates) / spread).toBeLessThan(1.15);
  });
});

describe('how many futures make the tails steady', () => {
  it('scales the futures by (the larger tail error / the tolerance) squared: the error falls as 1 / sqrt(futures)', () => {
    const e = percentileErrors(oneTo100, 1);
    expect([e.p10, e.p50, e.p90]).toEqual([10, 50, 90]);
    // Both tails' errors are 12 / 3.92 = 3.061: 100 x 3.061^2 = 937.1, so 938 futures for an error of 1.
    expect(e.se.p90).toBeCloseTo(3.0613, 4);
    expect(e.replicationsForTolerance).toBe(938);
    expect(percentileErrors(oneTo100, 4).replicationsForTolerance).toBe(59);
  });
});
