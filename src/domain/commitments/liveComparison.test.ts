/**
 * A series entered by hand beside the live measure declared to measure the same thing: month by month, the difference,
 * and the months more than the tolerance (1 percentage point, or 1) apart.
 */
import { describe, expect, it } from 'vitest';
import { COMPARISON_TOLERANCE, compareWithLive } from './liveComparison.js';

describe('a hand-entered series beside its live measure', () => {
  it('lists every month either has, with the difference, and flags those more than the tolerance apart', () => {
    const c = compareWithLive(
      [
        { month: '2026-05', value: 40 },
        { month: '2026-06', value: 50.5 },
        { month: '2026-07', value: 63.6 },
        { month: '2026-08', value: 55 },
      ],
      [
        { month: '2026-06', value: 50 },
        { month: '2026-07', value: 45 },
        { month: '2026-08', value: 56 },
        { month: '2026-09', value: 58 },
      ],
    );
    expect(COMPARISON_TOLERANCE).toBe(1);
    expect(c.months.map((m) => [m.month, m.manual, m.live, m.difference, m.beyond])).toEqual([
      ['2026-05', 40, null, null, false],
      ['2026-06', 50.5, 50, 0.5, false],
      ['2026-07', 63.6, 45, 18.6, true],
      // Exactly the tolerance apart is within it.
      ['2026-08', 55, 56, -1, false],
      ['2026-09', null, 58, null, false],
    ]);
    expect(c.compared).toBe(3);
    expect(c.beyond).toBe(1);
    expect(c.worst!.month).toBe('2026-07');
  });

  it('the worst month is the furthest apart either way; none when they agree', () => {
    const c = compareWithLive(
      [
        { month: '2026-01', value: 10 },
        { month: '2026-02', value: 20 },
      ],
      [
        { month: '2026-01', value: 12 },
        { month: '2026-02', value: 25 },
      ],
    );
    expect(c.beyond).toBe(2);
    expect(c.worst!.difference).toBe(-5);
    const same = compareWithLive([{ month: '2026-01', value: 10 }], [{ month: '2026-01', value: 10.4 }]);
    expect(same.beyond).toBe(0);
    expect(same.worst).toBeNull();
  });

  it('leaves out months with no figure on either side, and copes with no figures at all', () => {
    const c = compareWithLive(
      [
        { month: '2026-01', value: 10 },
        { month: '2026-02', value: null },
        { month: '2026-03', value: 10 },
      ],
      [],
    );
    expect(c.months.map((m) => m.month)).toEqual(['2026-01', '2026-03']);
    expect(compareWithLive([], []).months).toEqual([]);
  });
});
