/**
 * Working days (rule P5): Monday to Friday, not a bank holiday in England and Wales. The calendar is built from a
 * list of bank holidays (shipped with the product; the database holds the live copy that an admin can extend).
 */
import shipped from './data/bank-holidays-england-and-wales.json' with { type: 'json' };
import { dayNumberOf, fromDayNumber, parseLocalDate, toDayNumber, type LocalDate } from './localDate.js';

/** A date past the last year the bank holiday list covers: working days cannot be counted reliably there. */
export class CalendarCoverageError extends RangeError {}

export function dayOfWeek(date: LocalDate): number {
  return weekdayOf(toDayNumber(date));
}

/** 1970-01-01 (day 0) was a Thursday; 0 = Sunday ... 6 = Saturday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(date: LocalDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

export class WorkingDayCalendar {
  readonly firstYear: number;
  readonly lastYear: number;
  /** Day numbers of 1 January of the first year and 31 December of the last year the list covers. */
  private readonly firstDay: number;
  private readonly lastDay: number;
  /** One entry per covered day: 1 for a working day, 0 for a weekend or bank holiday. */
  private readonly working: Uint8Array;
  private readonly holidays: Set<string>;

  constructor(bankHolidays: readonly string[]) {
    const valid = bankHolidays.map((d) => {
      const parsed = parseLocalDate(d);
      if (!parsed) throw new RangeError(`not a calendar date in the bank holiday list: ${d}`);
      return parsed;
    });
    if (valid.length === 0) throw new RangeError('the bank holiday list is empty');
    const years = valid.map((d) => Number(d.slice(0, 4)));
    this.firstYear = Math.min(...years);
    this.lastYear = Math.max(...years);
    this.firstDay = dayNumberOf(this.firstYear, 1, 1);
    this.lastDay = dayNumberOf(this.lastYear, 12, 31);
    this.working = new Uint8Array(this.lastDay - this.firstDay + 1);
    for (let day = this.firstDay; day <= this.lastDay; day++) {
      const weekday = weekdayOf(day);
      this.working[day - this.firstDay] = weekday === 0 || weekday === 6 ? 0 : 1;
    }
    for (const d of valid) this.working[toDayNumber(d) - this.firstDay] = 0;
    this.holidays = new Set(valid);
  }

  private checkCovered(day: number): void {
    if (day < this.firstDay || day > this.lastDay) {
      const year = Number(fromDayNumber(day).slice(0, 4));
      throw new CalendarCoverageError(
        `no bank holiday data for ${year}: the calendar covers ${this.firstYear} to ${this.lastYear}; an administrator must add the missing years`,
      );
    }
  }

  isBankHoliday(date: LocalDate): boolean {
    const day = toDayNumber(date);
    this.checkCovered(day);
    return this.holidays.has(date);
  }

  isWorkingDay(date: LocalDate): boolean {
    const day = toDayNumber(date);
    this.checkCovered(day);
    return this.working[day - this.firstDay] === 1;
  }

  /** The nth working day after `date` (rule P6); `date` itself never counts. */
  nthWorkingDayAfter(date: LocalDate, n: number): LocalDate {
    return fromDayNumber(this.nthWorkingDayAfterDay(toDayNumber(date), n));
  }

  /** `nthWorkingDayAfter` on day numbers, for the statutory clock's arithmetic. */
  nthWorkingDayAfterDay(day: number, n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a whole number of at least 1');
    let d = day;
    let count = 0;
    while (count < n) {
      d += 1;
      this.checkCovered(d);
      count += this.working[d - this.firstDay]!;
    }
    return d;
  }
}

/** The England and Wales bank holidays shipped with the product (GOV.UK's list). */
export const SHIPPED_BANK_HOLIDAYS: readonly string[] = shipped.dates;
export const englandAndWales = new WorkingDayCalendar(SHIPPED_BANK_HOLIDAYS);
