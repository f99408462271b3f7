/**
 * Small-number disclosure control for public outputs, as DfE publishes: any count below 5, and any figure worked out
 * from fewer than 5 children (a percentage, a median or a percentile with n below 5), is shown as "x". Where one
 * category of a breakdown is hidden, its number could be got back by subtracting the others from the total, so the
 * next smallest category of that breakdown is hidden too ("secondary suppression").
 */

export const DISCLOSURE_THRESHOLD = 5;

export interface Cell {
  measure: string;
  month: string;
  dimension: string;
  category: string;
  /** For a count, the count; for a rate, median or percentile, the number of children it is worked out from (n). */
  size: number | null;
}

export type SuppressionReason = 'small_number' | 'could_be_worked_out';

/**
 * Which cells to hide and why, by index into `cells`. Cells with dimension "all" are the totals their breakdowns add
 * up to; every other dimension's categories, for one measure and month, partition that total.
 */
export function suppressionOf(cells: readonly Cell[]): Map<number, SuppressionReason> {
  const hidden = new Map<number, SuppressionReason>();
  const groups = new Map<string, number[]>();
  cells.forEach((c, i) => {
    if (c.size !== null && c.size < DISCLOSURE_THRESHOLD) hidden.set(i, 'small_number');
    if (c.dimension === 'all') return;
    const key = `${c.measure}\u0000${c.month}\u0000${c.dimension}`;
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });
  for (const members of groups.values()) {
    const hiddenHere = members.filter((i) => hidden.has(i));
    if (hiddenHere.length !== 1) continue;
    // One hidden category: the total minus the rest gives it back. Hide the smallest other category as well.
    const next = members
      .filter((i) => !hidden.has(i) && cells[i]!.size !== null)
      .sort((a, b) => cells[a]!.size! - cells[b]!.size! || a - b)[0];
    if (next !== undefined) hidden.set(next, 'could_be_worked_out');
  }
  return hidden;
}
