import { describe, expect, it } from 'vitest';
import { phaseTransferFigures } from './phaseTransfers.js';

describe('phase transfers finalised by the deadline, yearly (reg 18(1); P10)', () => {
  it('gives each September move its share on time of the children due, oldest first', () => {
    const figures = phaseTransferFigures(
      [
        { transferYear: 2026, due: 8, onTime: 3, late: 4, lastDeadline: '2026-03-30' },
        { transferYear: 2025, due: 3, onTime: 2, late: 1, lastDeadline: '2025-03-30' },
        { transferYear: 2024, due: 0, onTime: 0, late: 0, lastDeadline: '2024-03-30' },
      ],
      '2026-03-30',
    );
    expect(figures.map((f) => [f.transferYear, f.value, f.notFinalised, f.provisional])).toEqual([
      [2024, null, 0, false],
      [2025, 66.7, 0, false],
      // 30 March 2026 is the last compliant day of the year's post-16 transfers: provisional until it has passed.
      [2026, 37.5, 1, true],
    ]);
    expect(
      phaseTransferFigures(
        [{ transferYear: 2026, due: 8, onTime: 3, late: 4, lastDeadline: '2026-03-30' }],
        '2026-03-31',
      )[0]!.provisional,
    ).toBe(false);
  });
});
