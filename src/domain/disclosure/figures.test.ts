/**
 * The disclosure rule on published measure rows, by the measure's kind (figures.ts; rules R1-R6 in suppress.ts).
 */
import { describe, expect, it } from 'vitest';
import type { MeasureKind } from '../measures/monthly.js';
import { disclosureOf, type Figure } from './figures.js';

const row = (
  measure: string,
  kind: MeasureKind,
  numerator: number | null,
  denominator: number | null,
  dimension = 'all',
  category = 'all',
  month = '2025-03',
): Figure => ({ measure, kind, month, dimension, category, numerator, denominator });

describe('a percentage (R3)', () => {
  it('hides "4 of 5" (the percentage times the denominator is 4) and keeps the denominator', () => {
    expect(disclosureOf([row('r', 'rate', 4, 5)])).toEqual([
      { value: 'small_number', numerator: 'small_number', denominator: null },
    ]);
  });

  it('hides "19 of 20": the denominator minus the numerator is 1 child', () => {
    const [d] = disclosureOf([row('r', 'rate', 19, 20)]);
    expect(d!.value).toBe('small_number');
    expect(d!.numerator).toBe('could_be_worked_out');
    expect(d!.denominator).toBeNull();
  });

  it('publishes "10 of 20", "0 of 7" and "7 of 7" (0 is published, R2)', () => {
    for (const [n, d] of [
      [10, 20],
      [0, 7],
      [7, 7],
    ] as const) {
      expect(disclosureOf([row('r', 'rate', n, d)])).toEqual([{ value: null, numerator: null, denominator: null }]);
    }
  });

  it('hides a percentage of 1 to 4 children with its numerator and denominator (R1)', () => {
    expect(disclosureOf([row('r', 'rate', 3, 3)])[0]).toEqual({
      value: 'small_number',
      numerator: 'small_number',
      denominator: 'small_number',
    });
  });

  it("hides a second category's percentage when one category's numerator is hidden (R4)", () => {
    // All: 14 of 25. Team A: 4 of 10 (hidden: 4). Team B: 10 of 15. A's numerator is all 14 minus B's 10.
    const rows = [
      row('r', 'rate', 14, 25),
      row('r', 'rate', 4, 10, 'team', 'A'),
      row('r', 'rate', 10, 15, 'team', 'B'),
    ];
    const d = disclosureOf(rows);
    expect(d[1]!.value).toBe('small_number');
    expect(d[2]!.value).toBe('could_be_worked_out');
    // Denominators stay published: the number of children judged gives nothing away.
    expect(d.map((x) => x.denominator)).toEqual([null, null, null]);
    expect(d[0]!.value).toBeNull();
  });
});

describe('a median or percentile (R1)', () => {
  it('is shown only with its n, and never from 1 to 4 children', () => {
    const d = disclosureOf([row('m', 'median', null, 3), row('m', 'median', null, 8, 'all', 'all', '2025-04')]);
    expect(d[0]).toEqual({ value: 'small_number', numerator: null, denominator: 'small_number' });
    expect(d[1]).toEqual({ value: null, numerator: null, denominator: null });
  });
});

describe('the same children in two measures (R6)', () => {
  it('hides the same categories of plans issued and of the 20-week denominator and median n (the same counts)', () => {
    // Plans issued by team: A 3 (hidden), B 5 and C 5: one of B and C must go too. The 20-week percentage's
    // denominators and the median's n are the same counts, listed in another order: whichever is chosen, it must be
    // the same team in all three, or the published one gives the other away.
    const rows = [
      row('issued', 'count', 13, null),
      row('issued', 'count', 3, null, 'team', 'A'),
      row('issued', 'count', 5, null, 'team', 'B'),
      row('issued', 'count', 5, null, 'team', 'C'),
      row('median', 'median', null, 13),
      row('median', 'median', null, 5, 'team', 'C'),
      row('median', 'median', null, 5, 'team', 'B'),
      row('median', 'median', null, 3, 'team', 'A'),
      row('within', 'rate', 13, 13),
      row('within', 'rate', 5, 5, 'team', 'C'),
      row('within', 'rate', 5, 5, 'team', 'B'),
      row('within', 'rate', 3, 3, 'team', 'A'),
    ];
    const d = disclosureOf(rows);
    const issuedB = d[2]!.value !== null;
    const issuedC = d[3]!.value !== null;
    expect(issuedB !== issuedC).toBe(true);
    expect([d[6]!.denominator !== null, d[5]!.denominator !== null]).toEqual([issuedB, issuedC]);
    expect([d[10]!.denominator !== null, d[9]!.denominator !== null]).toEqual([issuedB, issuedC]);
  });
});

describe('a count (R1, R2, R4)', () => {
  it('hides 1 to 4 and a partner category, and publishes 0', () => {
    const d = disclosureOf([
      row('c', 'count', 30, null),
      row('c', 'count', 3, null, 'need', 'SEMH'),
      row('c', 'count', 20, null, 'need', 'ASD'),
      row('c', 'count', 7, null, 'need', 'MLD'),
      row('c', 'count', 0, null, 'all', 'all', '2025-04'),
    ]);
    expect(d.map((x) => x.value)).toEqual([null, 'small_number', null, 'could_be_worked_out', null]);
  });
});

describe('a ratio', () => {
  it('is shown only with its numerator (children); its denominator counts staff', () => {
    expect(disclosureOf([row('q', 'ratio', 4, 2)])[0]).toEqual({
      value: 'small_number',
      numerator: 'small_number',
      denominator: null,
    });
  });
});

describe('sums across measures (R4)', () => {
  // Plans issued including exceptions (24) = excluding them (23) + plans with an exception (1).
  const sums = [
    {
      total: ['incl', 'd'],
      parts: [
        ['excl', 'd'],
        ['exc', 'n'],
      ],
    },
    { total: ['incl', 'n'], parts: [['excl', 'n'], null] },
  ] as const;

  it('hides one of the 20-week denominators when the exception count they differ by is hidden', () => {
    const rows = [row('incl', 'rate', 12, 24), row('excl', 'rate', 12, 23), row('exc', 'rate', 1, 24)];
    const [incl, excl, exc] = disclosureOf(rows, sums);
    expect(exc!.numerator).toBe('small_number');
    // 24 - 23 would give the 1 back: one of the two is hidden too.
    expect(incl!.denominator !== null || excl!.denominator !== null).toBe(true);
  });

  it('protects a count published nowhere that one figure minus another gives (2 exception plans within 20 weeks)', () => {
    const rows = [row('incl', 'rate', 14, 30), row('excl', 'rate', 12, 25), row('exc', 'rate', 5, 30)];
    const [incl, excl] = disclosureOf(rows, sums);
    expect(incl!.numerator !== null || excl!.numerator !== null).toBe(true);
  });

  it('leaves figures alone when what they differ by is 0 or 5 or more', () => {
    const rows = [row('incl', 'rate', 12, 30), row('excl', 'rate', 12, 25), row('exc', 'rate', 5, 30)];
    expect(disclosureOf(rows, sums).map((d) => d.value)).toEqual([null, null, null]);
  });
});
