/**
 * The disclosure rule (suppress.ts) applied to an LA's published figures, for any measure by its kind: which counts of
 * children each row publishes, which sums they make, and so which of a row's figures are hidden.
 *
 *  - count: the count itself.
 *  - rate: the numerator, the denominator and (derived, not published) the children who did not meet the standard;
 *    numerator + "did not meet" = denominator (R3, R4). The percentage is shown only when all three are published.
 *  - median, p90: the number of children (n); the figure is shown only with its n (R1).
 *  - ratio: the numerator (children); the denominator counts staff, not children. The figure is shown only with its
 *    numerator.
 * Rows with dimension "all" are the totals each other dimension's categories add up to, per measure and month (R4).
 * Series of counts that are equal in every row are one number (R6). Every figure is monthly (R7).
 */
import type { MeasureKind } from '../measures/monthly.js';
import { protect, type SuppressionReason, type Sum } from './suppress.js';

export interface Figure {
  measure: string;
  kind: MeasureKind;
  month: string;
  dimension: string;
  category: string;
  numerator: number | null;
  denominator: number | null;
}

/** Why each part of a row is hidden; null where it is published. */
export interface FigureDisclosure {
  /** The charted figure (a count, percentage, weeks or ratio). */
  value: SuppressionReason | null;
  numerator: SuppressionReason | null;
  denominator: SuppressionReason | null;
}

type Role = 'count' | 'n' | 'd' | 'c';

/**
 * A sum across measures, beyond each measure's own breakdowns and rates (R4): in every month and category where they
 * published, the total is the sum of the parts. A part given as null, or not published in that category, is a count of
 * children that would be the total minus the other parts: it is protected as if it were published (R3). A sum with
 * more than one such part gives nothing exact and is left out.
 */
export interface CrossSum {
  total: readonly [measure: string, role: 'count' | 'n' | 'd'];
  parts: readonly (readonly [measure: string, role: 'count' | 'n' | 'd'] | null)[];
}

function rolesOf(f: Figure): [Role, number][] {
  const n = f.numerator ?? 0;
  const d = f.denominator ?? 0;
  switch (f.kind) {
    case 'count':
      return [['count', n]];
    case 'rate':
      return [
        ['n', n],
        ['d', d],
        ['c', d - n],
      ];
    case 'median':
    case 'p90':
      return [['d', d]];
    case 'ratio':
      return [['n', n]];
  }
}

/** The stronger of two reasons: a small number is said before "could be worked out". */
function either(a: SuppressionReason | null, b: SuppressionReason | null): SuppressionReason | null {
  if (a === 'small_number' || b === 'small_number') return 'small_number';
  return a ?? b;
}

/** What to hide in each of an LA's published rows (all of them at once: sums cross rows). */
export function disclosureOf(figures: readonly Figure[], crossSums: readonly CrossSum[] = []): FigureDisclosure[] {
  // Months, breakdown groups and categories as small numbers, to key cells cheaply.
  const ids = new Map<string, number>();
  const idOf = (s: string) => {
    let i = ids.get(s);
    if (i === undefined) ids.set(s, (i = ids.size));
    return i;
  };
  const roles = figures.map(rolesOf);
  const rowTail = figures.map((f) => idOf(`${f.month}\u0000${f.dimension}\u0000${f.category}`));
  const rowMonth = figures.map((f) => idOf(`month\u0000${f.month}`));
  const rowDimension = figures.map((f) => (f.dimension === 'all' ? -1 : idOf(`dimension\u0000${f.dimension}`)));

  // Each series (a measure's role): its values by month and category, to find series that are the same (R6).
  const seriesIds = new Map<string, number>();
  const series: { values: Map<number, number>; print: number }[] = [];
  const rowSeries = figures.map((f, r) =>
    roles[r]!.map(([role, value]) => {
      const name = `${f.measure}\u0000${role}`;
      let s = seriesIds.get(name);
      if (s === undefined) {
        seriesIds.set(name, (s = series.length));
        series.push({ values: new Map(), print: 0 });
      }
      const entry = series[s]!;
      entry.values.set(rowTail[r]!, value);
      entry.print = (entry.print + Math.imul(rowTail[r]! + 1, 2654435761) + Math.imul(value + 1, 40503)) | 0;
      return s;
    }),
  );
  const canonical = series.map((_, i) => i);
  const byPrint = new Map<string, number[]>();
  series.forEach((s, i) => {
    // A series of all zeros is left alone: sharing it would say nothing and tie unrelated measures together.
    if (![...s.values.values()].some((v) => v !== 0)) return;
    const print = `${s.values.size}:${s.print}`;
    const candidates = byPrint.get(print) ?? [];
    const same = candidates.find(
      (c) =>
        series[c]!.values.size === s.values.size &&
        [...s.values].every(([tail, v]) => series[c]!.values.get(tail) === v),
    );
    if (same !== undefined) canonical[i] = same;
    else byPrint.set(print, [...candidates, i]);
  });

  const counts: number[] = [];
  const derived = new Set<number>();
  const index = new Map<number, number>();
  const tails = ids.size + 1;
  const rowCells = figures.map((_, r) => {
    const cells: Partial<Record<Role, number>> = {};
    roles[r]!.forEach(([role, value], k) => {
      const key = canonical[rowSeries[r]![k]!]! * tails + rowTail[r]!;
      let i = index.get(key);
      if (i === undefined) {
        i = counts.length;
        counts.push(value);
        index.set(key, i);
        if (role === 'c') derived.add(i);
      } else if (role !== 'c') derived.delete(i);
      cells[role] = i;
    });
    return cells;
  });

  // The sums: breakdowns (per series, month and dimension) and each rate's numerator + "did not meet".
  const sums: Sum[] = [];
  const seen = new Set<number>();
  const totals = new Map<number, number>();
  const breakdowns = new Map<number, { series: number; parts: Set<number> }>();
  const groupsPer = ids.size + 1;
  figures.forEach((f, r) => {
    const cells = rowCells[r]!;
    roles[r]!.forEach(([role], k) => {
      const seriesMonth = canonical[rowSeries[r]![k]!]! * groupsPer + rowMonth[r]!;
      if (rowDimension[r] === -1) {
        totals.set(seriesMonth, cells[role]!);
        return;
      }
      const g = seriesMonth * groupsPer + rowDimension[r]!;
      let entry = breakdowns.get(g);
      if (!entry) breakdowns.set(g, (entry = { series: seriesMonth, parts: new Set() }));
      entry.parts.add(cells[role]!);
    });
    if (f.kind === 'rate' && !seen.has(cells.n!)) {
      seen.add(cells.n!);
      sums.push({ total: cells.d!, parts: [cells.n!, cells.c!] });
    }
  });
  for (const { series: seriesMonth, parts } of breakdowns.values()) {
    const total = totals.get(seriesMonth);
    if (total !== undefined) sums.push({ total, parts: [...parts] });
  }

  // Sums across measures, in each month and category that has them all.
  if (crossSums.length > 0) {
    const cellAt = new Map<string, number>();
    figures.forEach((f, r) => {
      for (const [role, i] of Object.entries(rowCells[r]!))
        cellAt.set(`${f.measure}\u0000${role}\u0000${rowTail[r]}`, i);
    });
    const tailsOf = new Map<string, number[]>();
    figures.forEach((f, r) => {
      const list = tailsOf.get(f.measure) ?? [];
      list.push(rowTail[r]!);
      tailsOf.set(f.measure, list);
    });
    for (const cross of crossSums) {
      for (const tail of new Set(tailsOf.get(cross.total[0]) ?? [])) {
        const at = (m: readonly [string, string]) => cellAt.get(`${m[0]}\u0000${m[1]}\u0000${tail}`);
        const total = at(cross.total);
        // A part not published in this category (null, or a measure without this breakdown) is one to work out.
        const parts = cross.parts.map((p) => (p === null ? null : (at(p) ?? null)));
        if (total === undefined) continue;
        const known = parts.filter((p): p is number => p !== null);
        const rest = counts[total]! - known.reduce((a, i) => a + counts[i]!, 0);
        const unpublished = parts.filter((p) => p === null).length;
        // One unpublished part is what the sum gives away; with none, a plain sum; with more, or figures that do
        // not add up (a part larger than the total), the sum gives nothing exact.
        if (unpublished > 1 || rest < 0 || (unpublished === 0 && rest !== 0)) continue;
        const all = [...known];
        if (unpublished === 1) {
          all.push(counts.length);
          derived.add(counts.length);
          counts.push(rest);
        }
        sums.push({ total, parts: all });
      }
    }
  }

  const hidden = protect(counts, sums, derived);
  const why = (i: number | undefined) => (i === undefined ? null : (hidden.get(i) ?? null));
  return figures.map((f, r) => {
    const cells = rowCells[r]!;
    switch (f.kind) {
      case 'count': {
        const reason = why(cells.count);
        return { value: reason, numerator: reason, denominator: null };
      }
      case 'rate': {
        const numerator = why(cells.n);
        const denominator = why(cells.d);
        return { value: either(either(numerator, why(cells.c)), denominator), numerator, denominator };
      }
      case 'median':
      case 'p90': {
        const denominator = why(cells.d);
        return { value: denominator, numerator: null, denominator };
      }
      case 'ratio': {
        const numerator = why(cells.n);
        return { value: numerator, numerator, denominator: null };
      }
    }
  });
}
