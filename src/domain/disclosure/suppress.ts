/**
 * The disclosure rule for everything published about an LA (public measure pages and their chart tables, the open
 * data, the public improvement plan). It follows the Government Statistical Service's guidance on statistical
 * disclosure control for tables (primary suppression of small counts, then secondary suppression so that hidden
 * counts cannot be got back by differencing), in these words:
 *
 *  R1 No count of 1 to 4 children is published. A percentage, median or percentile is a figure about its children:
 *     it is published only with its number of children (n), and never from 1 to 4 children.
 *  R2 Zero is published. A 0 identifies nobody, and DfE publishes 0 while hiding 1 to 4. So a reader knows that a
 *     hidden count is at least 1; the rule allows for that (R5).
 *  R3 A percentage gives its numerator away when its denominator is published (percentage x denominator), and with it
 *     the children who did not meet the standard (denominator - numerator). When either of those is 1 to 4, the
 *     percentage and its numerator are hidden and the denominator stays published: the denominator is the number of
 *     children judged, usually published elsewhere as a count of its own (plans issued), so hiding it would hide
 *     nothing, while the percentage is what gives the small number away. Hiding only the denominator would not do:
 *     it comes back from the breakdown's total, and the percentage then gives the numerator.
 *  R4 Every published total is the sum of its parts (a breakdown's categories add up to the whole LA; a rate's
 *     numerator and "did not meet" count add up to its denominator). In each such sum, a hidden number must never be
 *     the only hidden one (it would be the total minus the rest), whether it is a part or the total itself. So another
 *     is hidden ("secondary suppression"): the smallest non-zero published part, or the total when there is none.
 *     This is repeated until no sum has a single hidden number, because each new hidden number may be the only one in
 *     another sum.
 *  R5 Counts within 1 to 4 of a published total: when a total is published, its hidden parts together are the total
 *     minus the published parts. If that is 1 to 4, the reader learns that 1 to 4 children are in the hidden groups
 *     (the same disclosure as a category of 1 to 4: "the other 3 children"), and two hidden parts adding up to 2 must
 *     each be 1. So the hidden parts of a published total must add up to 0 or to 5 or more, and not to exactly one
 *     child each (five hidden 1s making 5); otherwise one more part is hidden. This is the general form of R3's
 *     "denominator minus numerator".
 *  R6 Figures that are the same children wherever both are shown (plans issued, the 20-week measure's denominator,
 *     the median's n) are one number: what hides one hides the other.
 *  R7 Figures for a year or a year to date would be the sum of their months. The service publishes none: only
 *     monthly figures (a month's stock, or what happened in the month). A new yearly figure needs its months adding
 *     as a sum under R4.
 *  R8 Bounds: a reader who knows each hidden count is at least 1 (R2) can narrow hidden counts through the sums, and
 *     sometimes to a single value. While any hidden count is pinned that way, one more number is hidden in a sum it
 *     is in (the smallest, as in R4), and R4 and R5 are settled again.
 */

export const DISCLOSURE_THRESHOLD = 5;

export type SuppressionReason = 'small_number' | 'could_be_worked_out';

/** Published numbers that add up: `total` = the sum of `parts` (indexes into the counts). */
export interface Sum {
  total: number;
  parts: readonly number[];
}

/** A count of children from 1 to 4 (R1); 0 is published (R2). */
export function isSmall(count: number): boolean {
  return count >= 1 && count < DISCLOSURE_THRESHOLD;
}

/**
 * Which counts to hide and why (R1, R4, R5, R8), by index. `derived` counts are not published themselves but follow from
 * what is (a rate's "did not meet" count): a reader cannot tell that one is 0, so one may be hidden at 0, while a
 * published count is never hidden at 0 (R2).
 */
export function protect(
  counts: readonly number[],
  sums: readonly Sum[],
  derived: ReadonlySet<number> = new Set(),
): Map<number, SuppressionReason> {
  const hidden = new Map<number, SuppressionReason>();
  counts.forEach((n, i) => {
    if (isSmall(n)) hidden.set(i, 'small_number');
  });
  const sumsOf = counts.map((): number[] => []);
  sums.forEach((s, i) => {
    sumsOf[s.total]!.push(i);
    for (const p of s.parts) sumsOf[p]!.push(i);
  });

  const queue = sums.map((_, i) => i);
  const queued = new Set(queue);
  const hide = (i: number) => {
    hidden.set(i, 'could_be_worked_out');
    for (const s of sumsOf[i]!) {
      if (!queued.has(s)) {
        queued.add(s);
        queue.push(s);
      }
    }
  };
  const settle = () => {
    for (let head = 0; head < queue.length; head++) {
      const si = queue[head]!;
      queued.delete(si);
      const s = sums[si]!;
      const totalHidden = hidden.has(s.total);
      const hiddenParts = s.parts.filter((p) => hidden.has(p));
      const hiddenTerms = hiddenParts.length + (totalHidden ? 1 : 0);
      if (hiddenTerms === 0) continue;
      let needMore = hiddenTerms === 1;
      if (!totalHidden && !needMore) {
        // R5: what the hidden parts add up to is published (the total minus the rest).
        const rest = hiddenParts.reduce((a, p) => a + counts[p]!, 0);
        const atLeastOne = hiddenParts.filter((p) => !derived.has(p)).length;
        needMore = rest < DISCLOSURE_THRESHOLD || rest === atLeastOne;
      }
      if (!needMore) continue;
      const next = nextToHide(s, counts, hidden, derived);
      if (next === null) continue;
      hide(next);
      if (!queued.has(si)) {
        queued.add(si);
        queue.push(si);
      }
    }
    queue.length = 0;
  };
  settle();
  // R8: four hidden numerators of at least 1 under a hidden total that another sum keeps to at most 4 pin them all.
  for (;;) {
    const pinned = pinnedCells(counts, sums, hidden, derived);
    if (pinned.length === 0) return hidden;
    const candidates = pinned
      .flatMap((c) => sumsOf[c]!.map((si) => nextToHide(sums[si]!, counts, hidden, derived)))
      .filter((c): c is number => c !== null);
    if (candidates.length === 0) return hidden;
    hide(candidates.sort((a, b) => counts[a]! - counts[b]! || a - b)[0]!);
    settle();
  }
}

/** Hidden counts whose bounds (at least 1, or 0 if derived; the sums) leave them a single value. */
function pinnedCells(
  counts: readonly number[],
  sums: readonly Sum[],
  hidden: ReadonlyMap<number, SuppressionReason>,
  derived: ReadonlySet<number>,
): number[] {
  const live = sums.filter((s) => hidden.has(s.total) || s.parts.some((p) => hidden.has(p)));
  const lo = Float64Array.from(counts);
  const hi = Float64Array.from(counts);
  for (const i of hidden.keys()) {
    lo[i] = derived.has(i) ? 0 : 1;
    hi[i] = Infinity;
  }
  const low = (i: number) => lo[i]!;
  const high = (i: number) => hi[i]!;
  for (let pass = 0, changed = true; changed && pass < 50; pass++) {
    changed = false;
    for (const s of live) {
      let partsLo = 0;
      let partsHiFinite = 0;
      let unbounded = 0;
      for (const p of s.parts) {
        partsLo += low(p);
        if (high(p) === Infinity) unbounded++;
        else partsHiFinite += high(p);
      }
      const partsHi = unbounded ? Infinity : partsHiFinite;
      const tighten = (i: number, from: number, to: number) => {
        if (from > lo[i]!) {
          lo[i] = from;
          changed = true;
        }
        if (to < hi[i]!) {
          hi[i] = to;
          changed = true;
        }
      };
      /** The most the parts other than `p` can add up to. */
      const othersHi = (p: number) =>
        high(p) === Infinity
          ? unbounded > 1
            ? Infinity
            : partsHiFinite
          : unbounded
            ? Infinity
            : partsHiFinite - high(p);
      // total = sum of parts; each part = total - the other parts.
      if (hidden.has(s.total)) tighten(s.total, partsLo, partsHi);
      for (const p of s.parts) {
        if (!hidden.has(p)) continue;
        tighten(p, low(s.total) - othersHi(p), high(s.total) - (partsLo - low(p)));
      }
    }
  }
  return [...hidden.keys()].filter((i) => low(i) === high(i));
}

/** The smallest non-zero published part; else a derived part (even 0); else the total. */
function nextToHide(
  s: Sum,
  counts: readonly number[],
  hidden: ReadonlyMap<number, SuppressionReason>,
  derived: ReadonlySet<number>,
): number | null {
  const open = s.parts.filter((p) => !hidden.has(p));
  const smallest = (list: number[]) => list.sort((a, b) => counts[a]! - counts[b]! || a - b)[0] ?? null;
  return (
    smallest(open.filter((p) => counts[p]! > 0)) ??
    smallest(open.filter((p) => derived.has(p))) ??
    (hidden.has(s.total) ? null : s.total)
  );
}
