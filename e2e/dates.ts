/** Dates for the browser journeys, which run on today's date: the dates typed are counted back from today. */

/** A date `n` days before today (negative: after), as a GOV.UK date input takes it and as ISO. */
export function daysAgo(n: number) {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - n);
  const iso = d.toISOString().slice(0, 10);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()), iso };
}
