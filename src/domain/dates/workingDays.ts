/**
 * Working days (rule P5): Monday to Friday, not a bank holiday in England and Wales. The calendar is built from a
 * list of bank holidays (shipped with the product; the database holds the live copy that an admin can extend).
 */
import shipped from './data/bank-holidays-england-and-wales.json' with { type: 'json' };
import { addDays, parseLocalDate, toDayNumber, type LocalDate } from './localDate.js';

/** A date past the last year the bank holiday list covers: working days cannot be counted reliably there. */
export class CalendarCoverageError extends RangeError {}

export function dayOfWeek(date: LocalDate): number {
  // 1970-01-01 (day 0) was a Thursday; 0 = Sunday ... 6 = Saturday.
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: LocalDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

export class WorkingDayCalendar {
  private readonly holidays: Set<string>;
  readonly firstYear: number;
  readonly lastYear: number;

  constructor(bankHolidays: readonly string[]) {
    const valid = bankHolidays.map((d) => {
      const parsed = parseLocalDate(d);
      if (!parsed) throw new RangeError(`not a calendar date in the bank holiday list: ${d}`);
      return parsed;
    });
    if (valid.length === 0) throw new RangeError('the bank holiday list is empty');
    this.holidays = new Set(valid);
    const years = valid.map((d) => Number(d.slice(0, 4)));
    this.firstYear = Math.min(...years);
    this.lastYear = Math.max(...years);
    this.coveredFrom = `${this.firstYear}-01-01`;
    this.coveredTo = `${this.lastYear}-12-31`;
  }

  private readonly coveredFrom: string;
  private readonly coveredTo: string;

  private checkCovered(date: LocalDate): void {
    if (date < this.coveredFrom || date > this.coveredTo) {
      const year = Number(date.slice(0, 4));
      throw new CalendarCoverageError(
        `no bank holiday data for ${year}: the calendar covers ${this.firstYear} to ${this.lastYear}; an administrator must add the missing years`,
      );
    }
  }

  isBankHoliday(date: LocalDate): boolean {
    this.checkCovered(date);
    return this.holidays.has(date);
  }

  isWorkingDay(date: LocalDate): boolean {
    return !isWeekend(date) && !this.isBankHoliday(date);
  }

  /** The nth working day after `date` (rule P6); `date` itself never counts. */
  nthWorkingDayAfter(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a whole number of at least 1');
    let d = date;
    let count = 0;
    while (count < n) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) count += 1;
    }
    return d;
  }
}

/** The England and Wales bank holidays shipped with the product (GOV.UK's list). */
export const SHIPPED_BANK_HOLIDAYS: readonly string[] = shipped.dates;
export const englandAndWales = new WorkingDayCalendar(SHIPPED_BANK_HOLIDAYS);
