/**
 * Small-number suppression as DfE publishes (counts below 5, and figures from fewer than 5 children, shown as "x"),
 * with the secondary rule: a single hidden category could be worked out from the total, so another is hidden too.
 */
import { describe, expect, it } from 'vitest';
import { suppressionOf, type Cell } from './suppress.js';

const cell = (dimension: string, category: string, size: number | null, month = '2025-03'): Cell => ({
  measure: 'plans_issued',
  month,
  dimension,
  category,
  size,
});

describe('suppression', () => {
  it('hides counts below 5 and keeps 5 and over', () => {
    const hidden = suppressionOf([cell('all', 'all', 4), cell('all', 'all', 5, '2025-04')]);
    expect([...hidden]).toEqual([[0, 'small_number']]);
  });

  it('hides the next smallest category when only one category of a breakdown is hidden', () => {
    // Total 30 = 3 + 7 + 20: hiding only the 3 would leave it as 30 - 7 - 20.
    const cells = [cell('all', 'all', 30), cell('need', 'SEMH', 3), cell('need', 'ASD', 20), cell('need', 'MLD', 7)];
    const hidden = suppressionOf(cells);
    expect(hidden.get(1)).toBe('small_number');
    expect(hidden.get(3)).toBe('could_be_worked_out');
    expect(hidden.has(2)).toBe(false);
    expect(hidden.has(0)).toBe(false);
  });

  it('adds nothing when two categories are already hidden, or when the breakdown is another month', () => {
    const cells = [
      cell('need', 'SEMH', 3),
      cell('need', 'MLD', 2),
      cell('need', 'ASD', 20),
      cell('need', 'ASD', 9, '2025-04'),
    ];
    expect([...suppressionOf(cells).keys()].sort()).toEqual([0, 1]);
  });

  it('cannot be undone by subtraction: in any breakdown with a hidden cell, at least two are hidden', () => {
    // Random breakdowns: check the property on many.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 500; trial++) {
      const sizes = Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * 12));
      const cells = [
        cell(
          'all',
          'all',
          sizes.reduce((a, b) => a + b, 0),
        ),
        ...sizes.map((s, i) => cell('need', `n${i}`, s)),
      ];
      const hidden = suppressionOf(cells);
      const hiddenCategories = [...hidden.keys()].filter((i) => i > 0).length;
      if (hiddenCategories > 0 && !hidden.has(0)) expect(hiddenCategories).toBeGreaterThanOrEqual(2);
    }
  });
});
