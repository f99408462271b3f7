/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. Arithmetic is done on day numbers (days since 1970-01-01, UTC-based),
 * so no local time zone or daylight saving change can shift a date.
 */
export type LocalDate = string & { readonly __localDate: unique symbol };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Returns the date if `value` is a real calendar date in ISO form (2025-02-30 is not), else null. */
export function parseLocalDate(value: unknown): LocalDate | null {
  if (typeof value !== 'string') return null;
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return value as LocalDate;
}

export function localDate(value: string): LocalDate {
  const d = parseLocalDate(value);
  if (d === null) throw new RangeError(`not a calendar date: ${value}`);
  return d;
}

export function toDayNumber(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export function fromDayNumber(day: number): LocalDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10) as LocalDate;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Completed weeks from `from` to `to`: 0 for the first six days, 1 from day 7. */
export function completedWeeksBetween(from: LocalDate, to: LocalDate): number {
  return Math.floor(daysBetween(from, to) / 7);
}

/** The calendar date in England (Europe/London) at an instant. */
export function londonDate(instant: Date): LocalDate {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}` as LocalDate;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** GOV.UK style: "2 June 2025". */
export function formatLongDate(date: LocalDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
