/**
 * Calendar-month arithmetic for periods in the SEND Regulations ("month" is a calendar month: Interpretation Act
 * 1978, Sch 1).
 */
import { dayNumberOf, daysInMonth, fromDayNumber, type LocalDate } from './localDate.js';

function parts(date: LocalDate): [number, number, number] {
  const digit = (i: number) => date.charCodeAt(i) - 48;
  return [
    digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3),
    digit(5) * 10 + digit(6),
    digit(8) * 10 + digit(9),
  ];
}

function make(y: number, m: number, d: number): LocalDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as LocalDate;
}

/** The same day `months` calendar months later; where that month is shorter, its last day. */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return make(year, month, Math.min(d, daysInMonth(year, month)));
}

/**
 * The last day of a period of `months` calendar months "starting with" D (rules P7 and P8; the corresponding-date
 * rule, Dodds v Walker [1981] 1 WLR 1027): the day before the date that corresponds to D `months` later; where that
 * month has no corresponding date, its last day. 12 months starting with 10 Mar 2025 end on 9 Mar 2026; starting
 * with 1 Mar 2024, on 28 Feb 2025; 3 months starting with 30 Nov 2025, on 28 Feb 2026.
 *
 * This agrees with every example of P7 and P8. Where P7's wording ("one year after D - 1 day") and the
 * corresponding-date rule differ, the law wins: 12 months starting with 1 Mar 2023 run to 29 Feb 2024 (the wording
 * would give 28 Feb 2024, one day short of 12 months).
 */
export function periodStartingWithEnds(start: LocalDate, months: number): LocalDate {
  return fromDayNumber(periodStartingWithEndsDay(start, months));
}

/** `periodStartingWithEnds` as a day number, for the statutory clock's arithmetic. */
export function periodStartingWithEndsDay(start: LocalDate, months: number): number {
  const [y, m, d] = parts(start);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = daysInMonth(year, month);
  return d > last ? dayNumberOf(year, month, last) : dayNumberOf(year, month, d) - 1;
}

/** "Before <day> <month>" of a calendar year (rule P10): the last compliant day is the day before. */
export function lastDayBefore(year: number, month: number, day: number): LocalDate {
  return fromDayNumber(dayNumberOf(year, month, day) - 1);
}
