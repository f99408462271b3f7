/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. Arithmetic is done on day numbers (days since 1970-01-01, UTC-based),
 * so no local time zone or daylight saving change can shift a date.
 */
export type LocalDate = string & { readonly __localDate: unique symbol };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return MONTH_LENGTHS[month - 1] ?? 0;
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

/**
 * Days since 1970-01-01 (negative before). Integer arithmetic only (the days-from-civil algorithm): fast, and no
 * time zone can touch it.
 */
export function toDayNumber(date: LocalDate): number {
  return dayNumberOf(
    (date.charCodeAt(0) - 48) * 1000 +
      (date.charCodeAt(1) - 48) * 100 +
      (date.charCodeAt(2) - 48) * 10 +
      (date.charCodeAt(3) - 48),
    (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48),
    (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48),
  );
}

/** The day number of a year, month (1-12) and day of the month. */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const PAD2 = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));

/** Day numbers of 1900-01-01 and 2200-12-31: the range of dates the product accepts. */
const FIRST_DAY = -25_567;
const LAST_DAY = 84_006;
/** Dates already formatted: due dates repeat across cases, so the clock reuses the same strings. */
const formatted: (LocalDate | undefined)[] = [];

/** The date of a day number. */
export function fromDayNumber(day: number): LocalDate {
  if (day >= FIRST_DAY && day <= LAST_DAY) {
    const i = day - FIRST_DAY;
    return (formatted[i] ??= civilFromDays(day));
  }
  return civilFromDays(day);
}

/** The civil-from-days algorithm: integer arithmetic only. */
function civilFromDays(day: number): LocalDate {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${PAD2[m]}-${PAD2[d]}` as LocalDate;
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

/** Age in whole years on `on` for someone born on `born` (a 29 February birthday falls on 28 February). */
export function ageInYears(born: LocalDate, on: LocalDate): number {
  const years = Number(on.slice(0, 4)) - Number(born.slice(0, 4));
  const bornMonthDay = born.slice(5) === '02-29' ? '02-28' : born.slice(5);
  return on.slice(5) >= bornMonthDay ? years : years - 1;
}

/** One formatter for every call: building an Intl.DateTimeFormat is far slower than using one. */
const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The last minute asked about and its date: a page asks for today several times, and the date only changes on a
 * minute's boundary (the UK's offsets from UTC are whole hours). */
let lastMinute = NaN;
let lastMinuteDate = '' as LocalDate;

/** The calendar date in England (Europe/London) at an instant. */
export function londonDate(instant: Date): LocalDate {
  const minute = Math.floor(instant.getTime() / 60_000);
  if (minute === lastMinute) return lastMinuteDate;
  const parts = LONDON_PARTS.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}` as LocalDate;
  lastMinute = minute;
  lastMinuteDate = date;
  return date;
}

/** Month names, January first. */
export const MONTH_NAMES = [
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
] as const;

/** A calendar month (YYYY-MM) in words: "July 2025". */
export function formatMonth(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** GOV.UK style: "2 June 2025". */
export function formatLongDate(date: LocalDate): string {
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const day = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  return `${day} ${MONTH_NAMES[month - 1]} ${date.slice(0, 4)}`;
}
