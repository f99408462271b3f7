/**
 * A series entered by hand beside the live measure it is declared to measure the same thing as. Two figures of one
 * definition should agree; where they do not, one of them is wrong (a different sample, a different denominator, a
 * typing slip), and the board should see it rather than read whichever it is shown.
 *
 * The tolerance allows for the rounding of a figure typed to one decimal place and little more: 1 percentage point for
 * percentages, 1 for counts and other numbers. A month with a figure on one side only is listed, not judged.
 */
import type { MonthValue } from './assurance.js';
import { monthAt, monthIndex } from './assurance.js';

/** How far apart the two may be before the page warns: percentage points for percentages, else the unit itself. */
export const COMPARISON_TOLERANCE = 1;

export interface ComparedMonth {
  month: string;
  manual: number | null;
  live: number | null;
  /** Entered by hand minus live; null unless both have a figure. */
  difference: number | null;
  /** More than the tolerance apart. */
  beyond: boolean;
}

export interface LiveComparison {
  tolerance: number;
  /** Every month either has a figure, oldest first. */
  months: ComparedMonth[];
  /** Months with both figures. */
  compared: number;
  /** Months more than the tolerance apart. */
  beyond: number;
  /** The month furthest apart, if any is beyond the tolerance. */
  worst: ComparedMonth | null;
}

export function compareWithLive(manual: readonly MonthValue[], live: readonly MonthValue[]): LiveComparison {
  const tolerance = COMPARISON_TOLERANCE;
  const byMonth = (series: readonly MonthValue[]) =>
    new Map(series.filter((p) => p.value !== null).map((p) => [p.month, p.value!]));
  const own = byMonth(manual);
  const theirs = byMonth(live);
  const all = [...own.keys(), ...theirs.keys()].map(monthIndex);
  const months: ComparedMonth[] = [];
  if (all.length) {
    for (let i = Math.min(...all); i <= Math.max(...all); i++) {
      const month = monthAt(i);
      const m = own.get(month) ?? null;
      const l = theirs.get(month) ?? null;
      if (m === null && l === null) continue;
      const difference = m !== null && l !== null ? Math.round((m - l) * 1000) / 1000 : null;
      months.push({
        month,
        manual: m,
        live: l,
        difference,
        beyond: difference !== null && Math.abs(difference) > tolerance,
      });
    }
  }
  const beyond = months.filter((m) => m.beyond);
  return {
    tolerance,
    months,
    compared: months.filter((m) => m.difference !== null).length,
    beyond: beyond.length,
    worst: beyond.length ? beyond.reduce((a, b) => (Math.abs(b.difference!) > Math.abs(a.difference!) ? b : a)) : null,
  };
}
