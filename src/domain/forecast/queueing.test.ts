/** The closed forms against the worked examples in shared/reference/forecasting.md. */
import { describe, expect, it } from 'vitest';
import { erlangC, maxMeanWaitFor, mm1SojournExceeds, mmcMeanWait, mmcWaitExceeds } from './queueing.js';

describe('Erlang C', () => {
  it('M/M/3 with lambda 0.2 and mu 0.1: C = 4/9 and Wq = 4.444', () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    expect(mmcMeanWait(3, 0.2, 0.1)).toBeCloseTo(40 / 9, 10);
  });

  it('offered load 2.5: P(wait) 0.702, 0.320, 0.130, 0.047 for 3, 4, 5, 6 servers', () => {
    expect([3, 4, 5, 6].map((c) => Number(erlangC(c, 2.5).toFixed(3)))).toEqual([0.702, 0.32, 0.13, 0.047]);
  });

  it('is certain waiting at or above capacity, and decays exponentially in t', () => {
    expect(erlangC(2, 2)).toBe(1);
    expect(mmcWaitExceeds(3, 0.2, 0.1, 0)).toBeCloseTo(4 / 9, 12);
    expect(mmcWaitExceeds(3, 0.2, 0.1, 10)).toBeCloseTo((4 / 9) * Math.exp(-1), 12);
  });
});

describe('M/M/1 and the waiting-list rule of thumb', () => {
  it('lambda 0.9, mu 1: Wq = 9 and P(time in system > t) = exp(-0.1 t)', () => {
    expect(mmcMeanWait(1, 0.9, 1)).toBeCloseTo(9, 10);
    expect(mm1SojournExceeds(0.9, 1, 10)).toBeCloseTo(Math.exp(-1), 12);
  });

  it('20 weeks: a mean wait of at most 7.9, 6.7, 4.3 weeks for 92%, 95%, 99% within', () => {
    expect([0.92, 0.95, 0.99].map((x) => Number(maxMeanWaitFor(20, x).toFixed(1)))).toEqual([7.9, 6.7, 4.3]);
  });
});
