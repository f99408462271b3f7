import { describe, expect, it } from 'vitest';
import { kappaWords, shareAgreeing, weightedKappa } from './agreement.js';

const repeat = (pair: [number, number], times: number) => Array.from({ length: times }, () => pair);

describe('Cohen’s kappa, against examples worked by hand', () => {
  it('two categories: 20 both yes, 5 and 10 split, 15 both no: p_o 0.7, p_e 0.5, kappa 0.4', () => {
    const pairs = [...repeat([0, 0], 20), ...repeat([0, 1], 5), ...repeat([1, 0], 10), ...repeat([1, 1], 15)];
    expect(weightedKappa(pairs, 2, 'none')).toBeCloseTo(0.4, 12);
    expect(shareAgreeing(pairs)).toBe(0.7);
  });

  it('three ordered grades, 10 plans, each auditor 3/4/3 by grade, 6 agreeing and 4 one grade apart', () => {
    // Observed (tenths) [[2,1,0],[1,2,1],[0,1,2]]; expected from 0.3/0.4/0.3 on both sides.
    const pairs: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 1],
      [1, 2],
      [2, 2],
      [2, 1],
      [0, 0],
      [2, 2],
      [1, 0],
    ];
    // Unweighted: p_o = 0.6, p_e = 0.09 + 0.16 + 0.09 = 0.34: (0.6 - 0.34) / 0.66 = 13/33.
    expect(weightedKappa(pairs, 3, 'none')).toBeCloseTo(13 / 33, 12);
    // Linear: observed disagreement 4 x 0.5 / 10 = 0.2; expected 0.48 x 0.5 + 0.18 x 1 = 0.42: 1 - 0.2/0.42 = 11/21.
    expect(weightedKappa(pairs, 3, 'linear')).toBeCloseTo(11 / 21, 12);
    // Quadratic: observed 4 x 0.25 / 10 = 0.1; expected 0.48 x 0.25 + 0.18 x 1 = 0.3: 1 - 1/3 = 2/3.
    expect(weightedKappa(pairs, 3, 'quadratic')).toBeCloseTo(2 / 3, 12);
  });

  it('is 1 for perfect agreement, below 0 for systematic disagreement, and undefined without variety', () => {
    expect(
      weightedKappa(
        [
          [0, 0],
          [1, 1],
          [3, 3],
        ],
        4,
        'quadratic',
      ),
    ).toBe(1);
    expect(
      weightedKappa(
        [
          [0, 1],
          [1, 0],
        ],
        2,
        'none',
      ),
    ).toBe(-1);
    expect(weightedKappa(repeat([2, 2], 5), 4, 'quadratic')).toBeNull();
    expect(weightedKappa([], 4, 'quadratic')).toBeNull();
    expect(() => weightedKappa([[0, 4]], 4, 'linear')).toThrow(RangeError);
  });

  it('reads kappa in the usual words (Landis and Koch)', () => {
    expect([null, -0.1, 0.1, 0.3, 0.5, 0.7, 0.9].map(kappaWords)).toEqual([
      'Not enough variety to measure',
      'Poor (worse than chance)',
      'Slight',
      'Fair',
      'Moderate',
      'Substantial',
      'Almost perfect',
    ]);
  });
});
