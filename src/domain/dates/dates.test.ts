import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromDayNumber, localDate, toDayNumber } from './localDate.js';
import { addMonths, lastDayBefore, periodStartingWithEnds } from './months.js';
import { commentWindowEnds, deemedServed } from './service.js';
import { CalendarCoverageError, dayOfWeek, englandAndWales, isWeekend, WorkingDayCalendar } from './workingDays.js';

const d = localDate;

describe('calendar months (Interpretation Act 1978 Sch 1; rules P7, P8)', () => {
  it('P7: 12 months starting with 10 Mar 2025 end on 9 Mar 2026', () => {
    expect(periodStartingWithEnds(d('2025-03-10'), 12)).toBe('2026-03-09');
  });
  it('P7: 12 months starting with 1 Mar 2024 end on 28 Feb 2025 (29 Feb 2025 does not exist)', () => {
    expect(periodStartingWithEnds(d('2024-03-01'), 12)).toBe('2025-02-28');
  });
  it('P8: 3 months starting with 30 Nov 2025 end on 28 Feb 2026', () => {
    expect(periodStartingWithEnds(d('2025-11-30'), 3)).toBe('2026-02-28');
  });
  it('P7 into a leap year: 12 months starting with 1 Mar 2023 end on 29 Feb 2024 (corresponding-date rule)', () => {
    expect(periodStartingWithEnds(d('2023-03-01'), 12)).toBe('2024-02-29');
  });
  it('P7 from a leap day: 12 months starting with 29 Feb 2024 end on 28 Feb 2025', () => {
    expect(periodStartingWithEnds(d('2024-02-29'), 12)).toBe('2025-02-28');
  });
  it('a period of months is never shorter than its months nor ends before it starts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 17_000, max: 22_000 }), fc.integer({ min: 1, max: 24 }), (day, months) => {
        const start = fromDayNumber(day);
        const end = periodStartingWithEnds(start, months);
        const nextStart = addDays(end, 1);
        // The day after the period is the corresponding date, or the 1st of the month after a shorter month.
        return end >= start && (nextStart.slice(8) === start.slice(8) || nextStart.slice(8) === '01');
      }),
    );
  });
  it('adds months clamped to the last day of shorter months', () => {
    expect(addMonths(d('2025-01-31'), 1)).toBe('2025-02-28');
    expect(addMonths(d('2024-01-31'), 1)).toBe('2024-02-29');
    expect(addMonths(d('2025-12-15'), 2)).toBe('2026-02-15');
    expect(addMonths(d('2025-03-31'), -1)).toBe('2025-02-28');
  });
  it('P10: "before 15 February" means 14 February at the latest; "before 31 March", 30 March', () => {
    expect(lastDayBefore(2026, 2, 15)).toBe('2026-02-14');
    expect(lastDayBefore(2026, 3, 31)).toBe('2026-03-30');
  });
});

describe('working days in England and Wales (rules P5, P6)', () => {
  it('knows the weekday of a date', () => {
    expect(dayOfWeek(d('2025-01-13'))).toBe(1); // Monday
    expect(dayOfWeek(d('2025-12-25'))).toBe(4); // Thursday
    expect(isWeekend(d('2025-03-29'))).toBe(true);
  });

  it('treats bank holidays as non-working days: Christmas, Boxing Day, Good Friday, Easter Monday', () => {
    for (const day of ['2025-12-25', '2025-12-26', '2025-04-18', '2025-04-21', '2024-03-29', '2024-04-01']) {
      expect(englandAndWales.isWorkingDay(d(day))).toBe(false);
    }
    expect(englandAndWales.isWorkingDay(d('2025-04-22'))).toBe(true);
  });

  it('P6: mediation ended Wed 24 Dec 2025; the 3rd working day after is Wed 31 Dec 2025', () => {
    expect(englandAndWales.nthWorkingDayAfter(d('2025-12-24'), 3)).toBe('2025-12-31');
  });

  it('counts across the Easter weekend: 3 working days after Thu 17 Apr 2025 is Thu 24 Apr', () => {
    // Fri 18 (Good Friday), Sat, Sun, Mon 21 (Easter Monday) are not working days: Tue 22, Wed 23, Thu 24.
    expect(englandAndWales.nthWorkingDayAfter(d('2025-04-17'), 3)).toBe('2025-04-24');
  });

  it('refuses to count working days in a year the bank holiday list does not cover', () => {
    expect(() => englandAndWales.nthWorkingDayAfter(d('2028-12-29'), 3)).toThrow(CalendarCoverageError);
  });

  it('uses the live list: a calendar with an extra holiday skips it', () => {
    const withExtra = new WorkingDayCalendar([...['2025-12-25', '2025-12-26'], '2025-06-02']);
    expect(withExtra.nthWorkingDayAfter(d('2025-05-30'), 1)).toBe('2025-06-03');
  });

  it('never lands on a weekend or bank holiday, and always after the start (property)', () => {
    const start = toDayNumber(d('2018-01-01'));
    // Far enough before the end of the list (2028) that 20 working days never run past it.
    const end = toDayNumber(d('2028-10-31'));
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 1, max: 20 }), (day, n) => {
        const from = fromDayNumber(day);
        const result = englandAndWales.nthWorkingDayAfter(from, n);
        return englandAndWales.isWorkingDay(result) && result > from && toDayNumber(result) - day <= n * 2 + 6;
      }),
    );
  });
});

describe('deemed service and the comment window (rules P3, P4; reg 13(1)(a))', () => {
  it('P4: posted first class on Thu 27 Mar 2025, served Mon 31 Mar', () => {
    expect(deemedServed(d('2025-03-27'), 'first_class_post', englandAndWales)).toBe('2025-03-31');
  });
  it('P3: served Mon 31 Mar 2025, the window ends Mon 14 Apr and the plan may be final from Tue 15 Apr', () => {
    expect(commentWindowEnds(d('2025-03-31'))).toBe('2025-04-14');
  });
  it('P4: email and hand delivery are served the day sent', () => {
    expect(deemedServed(d('2025-03-27'), 'email', englandAndWales)).toBe('2025-03-27');
    expect(deemedServed(d('2025-03-27'), 'hand', englandAndWales)).toBe('2025-03-27');
  });
  it('P4 across a bank holiday: second class on Wed 16 Apr 2025 is served Thu 24 Apr (Easter)', () => {
    // Thu 17 (1), Fri 18 Good Friday, weekend, Mon 21 Easter Monday, Tue 22 (2), Wed 23 (3), Thu 24 (4).
    expect(deemedServed(d('2025-04-16'), 'second_class_post', englandAndWales)).toBe('2025-04-24');
  });
  it('P4 across Christmas: first class on Tue 23 Dec 2025 is served Mon 29 Dec', () => {
    // Wed 24 (1), Thu 25 and Fri 26 bank holidays, weekend, Mon 29 (2).
    expect(deemedServed(d('2025-12-23'), 'first_class_post', englandAndWales)).toBe('2025-12-29');
  });
  it('a window is never shorter than 15 days beginning with service (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 17_600, max: 21_500 }), (day) => {
        const served = fromDayNumber(day);
        return toDayNumber(commentWindowEnds(served)) - toDayNumber(served) + 1 === 15;
      }),
    );
    expect(addDays(d('2025-03-31'), 15)).toBe('2025-04-15');
  });
});
