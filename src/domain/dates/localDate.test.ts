import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageInYears,
  completedWeeksBetween,
  daysBetween,
  formatLongDate,
  fromDayNumber,
  localDate,
  type LocalDate,
  londonDate,
  parseLocalDate,
  toDayNumber,
} from './localDate.js';

describe('LocalDate', () => {
  it('accepts real calendar dates and refuses impossible ones', () => {
    expect(parseLocalDate('2024-02-29')).toBe('2024-02-29');
    expect(parseLocalDate('2025-02-29')).toBeNull();
    expect(parseLocalDate('2025-02-30')).toBeNull();
    expect(parseLocalDate('2025-13-01')).toBeNull();
    expect(parseLocalDate('2025-1-01')).toBeNull();
    expect(parseLocalDate('1900-02-29')).toBeNull();
    expect(parseLocalDate('2000-02-29')).toBe('2000-02-29');
    expect(parseLocalDate(20250101)).toBeNull();
  });

  it('adds days across month, year and leap-day boundaries (P1: request 13 Jan 2025 + 140 days = 2 Jun 2025)', () => {
    expect(addDays(localDate('2025-01-13'), 140)).toBe('2025-06-02');
    expect(addDays(localDate('2024-02-28'), 1)).toBe('2024-02-29');
    expect(addDays(localDate('2024-12-31'), 1)).toBe('2025-01-01');
    expect(addDays(localDate('2025-03-30'), -30)).toBe('2025-02-28');
  });

  it('counts days and completed weeks without daylight-saving drift (clocks change 30 Mar 2025)', () => {
    expect(daysBetween(localDate('2025-03-29'), localDate('2025-03-31'))).toBe(2);
    expect(completedWeeksBetween(localDate('2025-01-13'), localDate('2025-01-19'))).toBe(0);
    expect(completedWeeksBetween(localDate('2025-01-13'), localDate('2025-01-20'))).toBe(1);
    expect(completedWeeksBetween(localDate('2025-01-13'), localDate('2025-06-02'))).toBe(20);
  });

  it("takes today's date in England, not UTC: 23:30 UTC on 30 Jun 2025 is 1 Jul in London (BST)", () => {
    expect(londonDate(new Date('2025-06-30T23:30:00Z'))).toBe('2025-07-01');
    expect(londonDate(new Date('2025-12-31T23:30:00Z'))).toBe('2025-12-31');
  });

  it('changes the date at midnight in London to the millisecond, in summer and winter, asked in any order', () => {
    // Each minute's date is remembered: the last millisecond before midnight and the first after are different
    // minutes, and asking again, or going back, gives the right date.
    for (const [instant, date] of [
      ['2025-06-30T22:59:59.999Z', '2025-06-30'],
      ['2025-06-30T23:00:00.000Z', '2025-07-01'],
      ['2025-06-30T23:00:59.999Z', '2025-07-01'],
      ['2025-06-30T22:59:00.000Z', '2025-06-30'],
      ['2025-12-31T23:59:59.999Z', '2025-12-31'],
      ['2026-01-01T00:00:00.000Z', '2026-01-01'],
      // The clocks go forward at 01:00 UTC on 30 March 2025: midnight that night was still GMT.
      ['2025-03-29T23:59:59.999Z', '2025-03-29'],
      ['2025-03-30T00:00:00.000Z', '2025-03-30'],
      ['2025-03-30T22:59:59.999Z', '2025-03-30'],
      ['2025-03-30T23:00:00.000Z', '2025-03-31'],
    ] as const) {
      expect(londonDate(new Date(instant)), instant).toBe(date);
      expect(londonDate(new Date(instant)), `${instant} again`).toBe(date);
    }
  });

  it('formats dates the GOV.UK way', () => {
    expect(formatLongDate(localDate('2025-06-02'))).toBe('2 June 2025');
    expect(formatLongDate(localDate('2025-12-31'))).toBe('31 December 2025');
    expect(formatLongDate(localDate('2030-01-10'))).toBe('10 January 2030');
    expect(formatLongDate(localDate('1999-10-09'))).toBe('9 October 1999');
  });
});

describe('day numbers', () => {
  it('agree with the calendar for every day from 1900 to 2200 (checked against Date.UTC)', () => {
    for (let day = -25_567; day <= 84_000; day += 1) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(fromDayNumber(day)).toBe(iso);
      expect(toDayNumber(iso as LocalDate)).toBe(day);
    }
  });
});

describe('ageInYears', () => {
  it('counts whole years, turning a year older on the birthday', () => {
    expect(ageInYears(localDate('2016-12-10'), localDate('2025-12-09'))).toBe(8);
    expect(ageInYears(localDate('2016-12-10'), localDate('2025-12-10'))).toBe(9);
    // Born 29 Feb 2016: 9 on 28 Feb 2025 (no 29 Feb that year).
    expect(ageInYears(localDate('2016-02-29'), localDate('2025-02-27'))).toBe(8);
    expect(ageInYears(localDate('2016-02-29'), localDate('2025-02-28'))).toBe(9);
  });
});
