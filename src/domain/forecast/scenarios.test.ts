import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import type { RawScenario } from './calibrate.js';
import { backlogDip, wholeMonths, withStaffChanges } from './scenarios.js';

const base = (): Pick<RawScenario, 'stages'> => ({
  stages: [
    { id: 'decision', servers: null },
    { id: 'advice', servers: 280 },
    { id: 'drafting', servers: 20 },
    { id: 'final', servers: null },
  ],
});

describe('staff changes as capacity changes', () => {
  it('turns people into servers in proportion to the staff now, from the week of the change, adding up in date order', () => {
    const { scenario, applied, skipped } = withStaffChanges(
      base(),
      { educational_psychology: 28, casework: 10 },
      [
        { staff: 'educational_psychology', change: 2, from: '2027-03-01' as LocalDate, label: 'Two more later' },
        { staff: 'educational_psychology', change: 3, from: '2027-01-04' as LocalDate, label: 'Three more' },
        { staff: 'casework', change: -1, from: '2026-11-01' as LocalDate, label: 'A caseworker leaves' },
      ],
      '2026-11-30' as LocalDate,
    );
    expect(skipped).toEqual([]);
    // 280 servers for 28 psychologists: 10 each. +3 from 4 January (5 weeks on): 310; +2 more from 1 March: 330.
    expect(scenario.stages[1]!.capacityChanges).toEqual([
      { atWeek: 5, servers: 310 },
      { atWeek: 13, servers: 330 },
    ]);
    // A change already in the past applies from the start: 20 servers for 10 caseworkers, one fewer is 18.
    expect(scenario.stages[2]!.capacityChanges).toEqual([{ atWeek: 0, servers: 18 }]);
    expect(applied.map((a) => a.label)).toEqual(['A caseworker leaves', 'Three more', 'Two more later']);
  });

  it('says which changes it cannot model, and why, rather than ignoring them quietly', () => {
    const { scenario, skipped } = withStaffChanges(
      base(),
      { casework: 0 },
      [
        { staff: 'health', change: 1, from: '2027-01-01' as LocalDate, label: 'A therapist' },
        { staff: 'educational_psychology', change: 3, from: '2027-01-01' as LocalDate, label: 'EPs' },
        { staff: 'casework', change: 2, from: '2027-01-01' as LocalDate, label: 'Caseworkers' },
      ],
      '2026-11-30' as LocalDate,
    );
    expect(skipped.map((s) => [s.label, s.reason])).toEqual([
      ['A therapist', 'the forecast does not model this capacity yet'],
      ['EPs', 'the number of these staff now is not known'],
      ['Caseworkers', 'the number of these staff now is not known'],
    ]);
    expect(scenario.stages.every((s) => s.capacityChanges?.length === 0)).toBe(true);
  });
});

describe('the warning when clearing the backlog first pushes the measure down', () => {
  // The first period is the rest of December 2026 (the forecast starts part way through it); the pages chart from
  // January 2027.
  const months = ['2026-12', '2027-01', '2027-02', '2027-03'];
  it('names the whole months the long waiters pull the share down by 2 points or more, and the worst', () => {
    expect(backlogDip(months, [0.01, 0.05, 0.12, 0.019], 300)).toEqual({
      worst: { month: '2027-02', points: 12 },
      months: ['2027-01', '2027-02'],
      longWaiters: 300,
    });
  });
  it('never names the rest of the current month, which the pages do not chart, however far it falls', () => {
    const dip = backlogDip(months, [0.4, 0.05, 0.03, 0], 300)!;
    expect(dip.worst).toEqual({ month: '2027-01', points: 5 });
    expect(dip.months).toEqual(['2027-01', '2027-02']);
    expect(dip.months.every((m) => wholeMonths(months).includes(m))).toBe(true);
    expect(backlogDip(months, [0.4, 0.01, 0, 0], 300)).toBeNull();
  });
  it('stays quiet when they pull it down by less, or there are none', () => {
    expect(backlogDip(months, [0, 0.01, 0.019, null], 300)).toBeNull();
    expect(backlogDip(months, [0.05, 0.12, 0.019, 0], 0)).toBeNull();
  });
});
