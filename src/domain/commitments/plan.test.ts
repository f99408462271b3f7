import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { formatMilestones, isOverdue, monthEnd, parseMilestones, parseMonth } from './plan.js';

describe('reading a month as people type it', () => {
  it('takes ISO months, numeric months and month names', () => {
    expect(parseMonth('2025-07')).toBe('2025-07');
    expect(parseMonth('7/2025')).toBe('2025-07');
    expect(parseMonth('July 2025')).toBe('2025-07');
    expect(parseMonth('jul 2025')).toBe('2025-07');
    expect(parseMonth('Sept 2025')).toBe('2025-09');
  });

  it('refuses what is not a month', () => {
    for (const bad of ['2025-13', 'Julember 2025', '2025', 'next July', '', '13/2025'])
      expect(parseMonth(bad)).toBeNull();
  });

  it('ends a month on its last day, 29 February in a leap year', () => {
    expect(monthEnd('2024-02')).toBe('2024-02-29');
    expect(monthEnd('2025-02')).toBe('2025-02-28');
    expect(monthEnd('2025-12')).toBe('2025-12-31');
  });
});

describe('milestones typed one per line', () => {
  it('reads a month and a value per line, in month order, skipping blank lines', () => {
    const { milestones, errors } = parseMilestones('October 2025: 50%\n\n2025-07 45\r\nJan 2026, 55.5');
    expect(errors).toEqual([]);
    expect(milestones).toEqual([
      { date: '2025-07-31', value: 45 },
      { date: '2025-10-31', value: 50 },
      { date: '2026-01-31', value: 55.5 },
    ]);
  });

  it('names each line it cannot read and refuses two values for one month', () => {
    const { errors } = parseMilestones('July 2025 45\nsoon 50\nJuly 2025 47\nAugust 2025');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain('Line 2');
    expect(errors[1]).toContain('Line 3');
    expect(errors[2]).toContain('Line 4');
  });

  it('writes milestones back in the form they are typed', () => {
    const text = formatMilestones([
      { date: '2025-07-31', value: 45 },
      { date: '2026-01-31', value: 55.5 },
    ]);
    expect(text).toBe('July 2025 45\nJanuary 2026 55.5');
    expect(parseMilestones(text).milestones.map((m) => m.value)).toEqual([45, 55.5]);
  });
});

describe('overdue actions', () => {
  const today = '2026-03-10' as LocalDate;
  it('is overdue after its due date unless done', () => {
    expect(isOverdue({ dueDate: '2026-03-09', status: 'in_progress' }, today)).toBe(true);
    expect(isOverdue({ dueDate: '2026-03-09', status: 'done' }, today)).toBe(false);
    expect(isOverdue({ dueDate: '2026-03-10', status: 'not_started' }, today)).toBe(false);
  });
});
