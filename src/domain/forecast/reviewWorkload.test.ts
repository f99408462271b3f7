import { describe, expect, it } from 'vitest';
import { localDate } from '../dates/localDate.js';
import { REVIEW_LOAD_WEEKS } from '../casework/processes.js';
import { draftingCapacityFactors, reviewsOnTimeByMonth, reviewWorkload } from './reviewWorkload.js';
import { WEEKS_A_YEAR } from './scenario.js';
import { withCapacityFactors } from './scenarios.js';

const months = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const m = from + i;
    return `${2027 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  });

describe('annual reviews in caseworkers’ time (issue 28)', () => {
  it('weighs reviews by Little’s law beside the requests by stage: 3 a week, each in hand 8 weeks, weigh 24 against 26', () => {
    // Requests: 10 plans being written (weight 2) and 4 gathering advice (1.5): 26 (domain/casework/workload.ts).
    const w = reviewWorkload({
      asOf: localDate('2027-01-15'),
      dueDates: [localDate('2026-12-01'), localDate('2027-01-14'), localDate('2027-01-15')],
      concludedLastYear: 3 * WEEKS_A_YEAR,
      openRequestsByStage: { drafting_plan: 10, gathering_advice: 4 },
    });
    expect(REVIEW_LOAD_WEEKS).toBe(8);
    expect(w.overdue).toBe(2);
    expect(w.concludedPerWeek).toBeCloseTo(3, 10);
    expect(w.reviewLoad).toBeCloseTo(24, 10);
    expect(w.requestLoad).toBe(26);
    expect(w.reviewShare).toBeCloseTo(24 / 50, 10);
  });

  it('holds each review in its due month and 12 months on (CFA s.44(1)), and spreads the overdue over the months asked', () => {
    const asOf = localDate('2027-01-15');
    const due = ['2026-12-01', '2026-11-20', '2027-01-20', '2027-03-05', '2028-02-01', '2029-02-01'].map(localDate);
    const counts = reviewsOnTimeByMonth(due, asOf, months(0, 24), 2);
    const expected = Array(24).fill(0);
    // Overdue: one in February and one in March 2027 (months 1 and 2), each again a year later.
    // 20 Jan 2027: January 2027 and 2028. 5 Mar 2027: March 2027 and 2028. 1 Feb 2028: February 2028.
    for (const [i, n] of [
      [0, 1],
      [1, 1],
      [2, 2],
      [12, 1],
      [13, 2],
      [14, 2],
    ] as const)
      expected[i] = n;
    expect(counts).toEqual(expected);
  });

  it('takes the extra reviews’ load from drafting in proportion, gives it back for fewer, and never goes below none', () => {
    const w = reviewWorkload({
      asOf: localDate('2027-01-15'),
      dueDates: [],
      concludedLastYear: WEEKS_A_YEAR, // 1 a week
      openRequestsByStage: { drafting_plan: 10, gathering_advice: 4 }, // 26
    });
    // 12 in a 4-week month: 3 a week, 2 more than now: 2 x 8 weeks = 16 of the requests' 26 -> 10/26 of drafting left.
    // None in a 2-week month: 1 a week fewer, 8 given back -> 34/26. 100 in 1 week: none left.
    const f = draftingCapacityFactors(w, { kind: 'on_time', clearOverdueMonths: 3 }, [12, 0, 100], [4, 2, 1]);
    expect(f[0]).toBeCloseTo(10 / 26, 10);
    expect(f[1]).toBeCloseTo(34 / 26, 10);
    expect(f[2]).toBe(0);
    expect(draftingCapacityFactors(w, { kind: 'as_now' }, [12, 0, 100], [4, 2, 1])).toEqual([1, 1, 1]);
  });

  it('multiplies a stage’s servers by the factor on top of its capacity changes', () => {
    const scenario = {
      stages: [
        { id: 'advice', servers: 7, capacityChanges: [] },
        { id: 'drafting', servers: 10, capacityChanges: [{ atWeek: 5, servers: 20 }] },
      ],
    };
    const out = withCapacityFactors(scenario, 'drafting', [
      { atWeek: 0, factor: 0.5 },
      { atWeek: 8, factor: 1 },
    ]);
    expect(out.stages[0]).toEqual(scenario.stages[0]);
    expect(out.stages[1]).toMatchObject({
      servers: 5,
      capacityChanges: [
        { atWeek: 5, servers: 10 },
        { atWeek: 8, servers: 20 },
      ],
    });
  });
});
