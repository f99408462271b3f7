/**
 * The disclosure rule's suppression of counts in sums (suppress.ts R1, R2, R4, R5), after the Government Statistical
 * Service's guidance on disclosure control for tables: small counts are hidden (primary suppression) and further
 * counts are hidden so that no hidden count is a sum's total minus the rest (secondary suppression).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protect, type Sum } from './suppress.js';

const hiddenOf = (counts: number[], sums: Sum[], derived?: Set<number>) =>
  Object.fromEntries([...protect(counts, sums, derived)].sort(([a], [b]) => a - b));

describe('primary suppression (R1, R2)', () => {
  it('hides counts of 1 to 4 children and publishes 0 and 5', () => {
    expect(hiddenOf([0, 1, 4, 5], [])).toEqual({ 1: 'small_number', 2: 'small_number' });
  });
});

describe('secondary suppression in sums (R4)', () => {
  it('hides the smallest other category when one category of a breakdown is hidden', () => {
    // 30 = 3 + 7 + 20: hiding only the 3 would leave it as 30 - 7 - 20.
    expect(hiddenOf([30, 3, 20, 7], [{ total: 0, parts: [1, 2, 3] }])).toEqual({
      1: 'small_number',
      3: 'could_be_worked_out',
    });
  });

  it('hides another category rather than the total; a small total with its only category needs nothing more', () => {
    // 3 = 3 + 0: both 3s are small, so two numbers of the sum are hidden already.
    expect(hiddenOf([3, 3, 0], [{ total: 0, parts: [1, 2] }])).toEqual({ 0: 'small_number', 1: 'small_number' });
    expect(hiddenOf([9, 4, 5], [{ total: 0, parts: [1, 2] }])).toEqual({
      1: 'small_number',
      2: 'could_be_worked_out',
    });
  });

  it('does not leave a hidden total as the only hidden number of another breakdown of it', () => {
    // Total 5: by need five 1s (each known to be 1 from the total, R5), so the total goes; by team 5 alone, which
    // would give the total back, so that goes too.
    const sums = [
      { total: 0, parts: [1, 2, 3, 4, 5] },
      { total: 0, parts: [6] },
    ];
    const hidden = hiddenOf([5, 1, 1, 1, 1, 1, 5], sums);
    expect(hidden[0]).toBe('could_be_worked_out');
    expect(hidden[6]).toBe('could_be_worked_out');
    // A total of 12: need 3 + 9, team 12 alone. Hiding 3 hides 9 (R4), and the team's 12 stays: the total is published.
    expect(
      hiddenOf(
        [12, 3, 9, 12],
        [
          { total: 0, parts: [1, 2] },
          { total: 0, parts: [3] },
        ],
      ),
    ).toEqual({ 1: 'small_number', 2: 'could_be_worked_out' });
  });

  it('repeats until no sum has a single hidden number: hiding in one sum reaches the next', () => {
    // A rate's table: numerators 1 (A) and 6 (B) of denominators 6 and 12; "did not meet" 5 and 6.
    // Cells: 0 N_all 7, 1 C_all 11, 2 D_all 18, 3 N_A 1, 4 C_A 5, 5 D_A 6, 6 N_B 6, 7 C_B 6, 8 D_B 12.
    const counts = [7, 11, 18, 1, 5, 6, 6, 6, 12];
    const sums = [
      { total: 2, parts: [0, 1] },
      { total: 5, parts: [3, 4] },
      { total: 8, parts: [6, 7] },
      { total: 0, parts: [3, 6] },
      { total: 1, parts: [4, 7] },
      { total: 2, parts: [5, 8] },
    ];
    const hidden = hiddenOf(counts, sums, new Set([1, 4, 7]));
    // N_A small; its "did not meet" (5) would give it away from D_A, so hidden; N_all - N_A gives N_B unless B's
    // numerator goes too, and then B's "did not meet". Denominators all stay published.
    expect(Object.keys(hidden).map(Number)).toEqual([3, 4, 6, 7]);
    for (const s of sums) {
      const terms = [s.total, ...s.parts].filter((i) => i in hidden).length;
      expect(terms).not.toBe(1);
    }
  });
});

describe('hidden groups together of 1 to 4 children (R5)', () => {
  it('hides more when the hidden categories of a published total add up to 1 to 4', () => {
    // 30 = 2 + 2 + 6 + 20: the two hidden 2s would say "4 children are in the other groups".
    expect(hiddenOf([30, 2, 2, 6, 20], [{ total: 0, parts: [1, 2, 3, 4] }])).toEqual({
      1: 'small_number',
      2: 'small_number',
      3: 'could_be_worked_out',
    });
  });

  it('hides more when two hidden categories add up to 2, each of which must be 1', () => {
    const hidden = hiddenOf([17, 1, 1, 15], [{ total: 0, parts: [1, 2, 3] }]);
    expect(hidden).toEqual({ 1: 'small_number', 2: 'small_number', 3: 'could_be_worked_out' });
  });

  it('hides more when five hidden 1s add up to 5: each is then known to be 1', () => {
    const counts = [12, 1, 1, 1, 1, 1, 7];
    const hidden = hiddenOf(counts, [{ total: 0, parts: [1, 2, 3, 4, 5, 6] }]);
    expect(hidden[6]).toBe('could_be_worked_out');
  });

  it('may hide a derived 0 (a reader cannot see it), but never a published one', () => {
    // Rate A: 7 of 7 (0 did not meet, derived). Numerators: all 10 = A 7 + B 3. B is small, so A's numerator goes
    // too (R4); then A's "did not meet" 0 is hidden rather than its denominator.
    // Cells: 0 D_A 7, 1 N_A 7, 2 C_A 0, 3 N_all 10, 4 N_B 3.
    const counts = [7, 7, 0, 10, 3];
    const sums = [
      { total: 0, parts: [1, 2] },
      { total: 3, parts: [1, 4] },
    ];
    expect(Object.keys(hiddenOf(counts, sums, new Set([2])))).toEqual(['1', '2', '4']);
    // Were the 0 published, the denominator would have to go instead.
    expect(Object.keys(hiddenOf(counts, sums))).toEqual(['0', '1', '4']);
  });
});

describe('bounds (R8)', () => {
  it('hides more when "each hidden count is at least 1" pins hidden counts', () => {
    // Numerators: all 4 (hidden) = four categories of 1 (hidden). Denominator 5 (published) = the 4 + 1 who did not
    // meet (hidden, at least 1). So the 4 is at most 4 and at least 4, and each category exactly 1: the 5 must go.
    const counts = [4, 1, 1, 1, 1, 5, 1];
    const sums = [
      { total: 0, parts: [1, 2, 3, 4] },
      { total: 5, parts: [0, 6] },
    ];
    expect(hiddenOf(counts, sums)[5]).toBe('could_be_worked_out');
  });
});

describe('on any breakdown (property)', () => {
  it('leaves no sum with one hidden number, and no published total whose hidden parts are 1 to 4 or all 1s', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 3,
        }),
        (breakdowns) => {
          // Several breakdowns of one total: each is made to add up to the first's sum by a last category.
          const total = breakdowns[0]!.reduce((a, b) => a + b, 0);
          const counts = [total];
          const sums: Sum[] = [];
          for (const b of breakdowns) {
            const parts: number[] = [];
            let left = total;
            for (const v of b) {
              const take = Math.min(v, left);
              left -= take;
              parts.push(counts.push(take) - 1);
            }
            if (left > 0) parts.push(counts.push(left) - 1);
            sums.push({ total: 0, parts });
          }
          const hidden = protect(counts, sums);
          for (const s of sums) {
            const hiddenParts = s.parts.filter((p) => hidden.has(p));
            const terms = hiddenParts.length + (hidden.has(s.total) ? 1 : 0);
            expect(terms).not.toBe(1);
            if (!hidden.has(s.total) && hiddenParts.length) {
              const rest = hiddenParts.reduce((a, p) => a + counts[p]!, 0);
              expect(rest).toBeGreaterThanOrEqual(5);
              expect(rest).toBeGreaterThan(hiddenParts.length);
            }
          }
          for (const [i, reason] of hidden) {
            expect(counts[i]).toBeGreaterThan(0);
            if (reason === 'small_number') expect(counts[i]).toBeLessThan(5);
          }
          counts.forEach((n, i) => {
            if (n >= 1 && n <= 4) expect(hidden.has(i)).toBe(true);
          });
        },
      ),
      { numRuns: 500, seed: 20140901 },
    );
  });
});
