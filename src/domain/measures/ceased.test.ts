/**
 * The ceased plans measure (issue 28): plans counted in the month they ended (SEN2 CeaseDate: after the appeal time,
 * CFA s.45(2)), for the whole LA and by SEN2 CeaseReason.
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { englandAndWales } from '../dates/workingDays.js';
import { monthlyMeasures } from './monthly.js';

const d = (s: string) => s as LocalDate;

describe('EHC plans ceased', () => {
  const values = monthlyMeasures([], '2025-01', '2025-03', englandAndWales, [
    { ceasedDate: d('2025-01-31'), ceasedReason: '2' },
    { ceasedDate: d('2025-01-01'), ceasedReason: '5' },
    { ceasedDate: d('2025-03-15'), ceasedReason: '2' },
    { ceasedDate: d('2025-04-01'), ceasedReason: '2' },
    { ceasedDate: d('2024-12-31'), ceasedReason: '3' },
    { ceasedDate: d('2025-03-02'), ceasedReason: null },
  ]);
  const of = (dimension: string, category: string) =>
    values
      .filter((v) => v.measure === 'plans_ceased' && v.dimension === dimension && v.category === category)
      .map((v) => [v.month, v.value]);

  it('counts each plan in the month it ended, a month with none as 0', () => {
    expect(of('all', 'all')).toEqual([
      ['2025-01', 2],
      ['2025-02', 0],
      ['2025-03', 2],
    ]);
  });
  it('by SEN2 CeaseReason, a plan with none recorded as unknown', () => {
    expect(of('cease_reason', '2')).toEqual([
      ['2025-01', 1],
      ['2025-03', 1],
    ]);
    expect(of('cease_reason', '5')).toEqual([['2025-01', 1]]);
    expect(of('cease_reason', 'unknown')).toEqual([['2025-03', 1]]);
    expect(of('cease_reason', '3')).toEqual([]);
  });
});
