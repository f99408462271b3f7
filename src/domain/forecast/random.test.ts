/**
 * The simulator's random numbers have the distributions they claim: the share of 2,000,000 draws at or below each of
 * many points equals the distribution function there, within 4.5 standard errors of a proportion (sqrt(p(1-p)/n)),
 * across the ziggurat's layers and into its tails; and the moments agree.
 */
import { describe, expect, it } from 'vitest';
import { Streams } from './random.js';

const DRAWS = 2_000_000;

/** The standard normal distribution function, by Simpson's rule on the density (error far below 1e-9 here). */
function normalCdf(x: number): number {
  const steps = 2000;
  const h = Math.abs(x) / steps;
  const f = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  let sum = f(0) + f(Math.abs(x));
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  const half = (h / 3) * sum;
  return x >= 0 ? 0.5 + half : 0.5 - half;
}

function draws(make: (streams: Streams) => number): Float64Array {
  const streams = new Streams(2);
  streams.reseed(20261128, 0);
  return Float64Array.from({ length: DRAWS }, () => make(streams));
}

function expectDistribution(values: Float64Array, cdf: (x: number) => number, points: number[]) {
  const sorted = Float64Array.from(values).sort();
  for (const x of points) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    const p = cdf(x);
    const error = Math.sqrt((p * (1 - p)) / values.length);
    expect(Math.abs(lo / values.length - p), `at ${x}`).toBeLessThanOrEqual(4.5 * error + 1e-7);
  }
}

describe('random streams', () => {
  it('normal: N(0, 1) at 57 points from -4 to 4 (layers and both tails), mean 0, variance 1', () => {
    const values = draws((s) => s.normal(1));
    const points = Array.from({ length: 57 }, (_, i) => -4 + i / 7);
    expectDistribution(values, normalCdf, points);
    const mean = values.reduce((a, b) => a + b, 0) / DRAWS;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (DRAWS - 1);
    expect(Math.abs(mean)).toBeLessThan(4.5 / Math.sqrt(DRAWS));
    // The sample variance of n normals has standard error sqrt(2 / n).
    expect(Math.abs(variance - 1)).toBeLessThan(4.5 * Math.sqrt(2 / DRAWS));
    // Beyond the base layer's edge (3.4426): the tail is drawn by its own method.
    expect(values.some((v) => v > 3.6) && values.some((v) => v < -3.6)).toBe(true);
  });

  it('exponential: P(X <= x) = 1 - exp(-x / mean) at 50 points up to 10 means (past the base layer at 7.7)', () => {
    const mean = 2.5;
    const values = draws((s) => mean * s.exponential(1));
    const points = Array.from({ length: 50 }, (_, i) => ((i + 1) / 5) * mean);
    expectDistribution(values, (x) => 1 - Math.exp(-x / mean), points);
    const sampleMean = values.reduce((a, b) => a + b, 0) / DRAWS;
    // An exponential's standard deviation is its mean.
    expect(Math.abs(sampleMean - mean)).toBeLessThan((4.5 * mean) / Math.sqrt(DRAWS));
  });

  it('uniform: P(U <= x) = x, and the streams of one replication differ', () => {
    const values = draws((s) => s.next(0));
    expectDistribution(
      values,
      (x) => x,
      Array.from({ length: 19 }, (_, i) => (i + 1) / 20),
    );
    const streams = new Streams(2);
    streams.reseed(1, 0);
    expect(streams.next(0)).not.toBe(streams.next(1));
  });

  it('is reproducible: the same seed and replication give the same numbers', () => {
    const a = new Streams(1);
    const b = new Streams(1);
    a.reseed(7, 3);
    b.reseed(7, 3);
    const first = Array.from({ length: 1000 }, () => [a.normal(0), a.exponential(0)]);
    const second = Array.from({ length: 1000 }, () => [b.normal(0), b.exponential(0)]);
    expect(second).toEqual(first);
  });
});
