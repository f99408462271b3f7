import { describe, expect, it } from 'vitest';
import { hiddenMonthsAfterLatest } from './routes.js';

const rows = ['September 2026', 'October 2026', 'November 2026'].map((month) => ({ month, value: '50%' }));

describe('why the public "Latest" figure is older than the last month', () => {
  it('names the hidden month, or the run of hidden months, after the last one shown', () => {
    expect(hiddenMonthsAfterLatest(rows, [{ value: false }, { value: false }, { value: true }])).toBe(
      'The figure for November 2026 is hidden',
    );
    expect(hiddenMonthsAfterLatest(rows, [{ value: false }, { value: true }, { value: true }])).toBe(
      'The figures for October 2026 to November 2026 are hidden',
    );
  });

  it('says nothing when the last month is shown, whatever was hidden before it', () => {
    expect(hiddenMonthsAfterLatest(rows, [{ value: true }, { value: false }, { value: false }])).toBeNull();
  });
});
