/**
 * The adversary of the disclosure rule: someone who takes everything an LA publishes (the open-data CSV, which holds
 * every published figure of the public pages) and does arithmetic on it to get back a hidden count of children.
 *
 * What it knows: the CSV, the measures' public definitions (which are counts and which are percentages) and the
 * published method (with `hiddenAtLeast: 1`, that a hidden count is never 0 because 0 is published). What it does:
 *  - a percentage times its denominator gives the numerator; the denominator minus the numerator gives the children
 *    who did not meet the standard (and a percentage and numerator give the denominator);
 *  - a breakdown's categories add up to the whole LA's figure, for every count, numerator, denominator and
 *    "did not meet" count;
 *  - two published series equal wherever both are shown (plans issued, the 20-week measure's denominator and the
 *    median's n) are taken to be the same children;
 *  - measures that add up by their definitions do (`ADDS_UP`): plans including exceptions = excluding + with an
 *    exception, decisions made = decisions to assess + not to, open requests = waiting over 20 weeks + the rest;
 *  - it solves the linear system these make (exact Gaussian elimination per connected part) and narrows each hidden
 *    count between bounds (at least 0, or 1; sums of the others), until nothing more is learnt.
 * It works independently of the rule's code, and is judged against the truth: a count is "recovered" only when the
 * adversary pins it to its true value.
 */
import { MEASURE_BY_ID } from '../src/domain/measures/monthly.js';

/**
 * Totals that are one published measure plus another, by the measures' published definitions: [total, part, the
 * other part where it is published itself, else null (it is then total minus part)].
 *  - plans issued including exceptions = excluding them + those with an exception (its own measure);
 *  - plans within 20 weeks including exceptions = excluding them + the exception plans within 20 weeks (unpublished);
 *  - decisions made in the month (the 6-week measure's denominator) = decisions to assess + decisions not to;
 *  - open requests at the month's end = those waiting over 20 weeks + the rest.
 */
const ADDS_UP: readonly [total: string, part: string, other: string | null][] = [
  ['plans_within_20_weeks_incl:d', 'plans_within_20_weeks_excl:d', 'plans_with_20_week_exception:n'],
  ['plans_within_20_weeks_incl:n', 'plans_within_20_weeks_excl:n', null],
  ['decided_within_6_weeks:d', 'decisions_to_assess:count', null],
  ['open_requests:count', 'waiting_over_20_weeks:count', null],
];

export interface TrueValue {
  measure: string;
  month: string;
  dimension: string;
  category: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
}

export interface Recovery {
  key: string;
  value: number;
  how: 'rate' | 'linear' | 'bounds';
}

export interface AdversaryResult {
  /** Count fields (counts, numerators, denominators, n) published with a number. */
  published: number;
  /** Count fields published as hidden. */
  hidden: number;
  /** Hidden counts of children the adversary pinned to their true value. */
  recovered: Recovery[];
  /** Published counts, or counts got directly from a published percentage and denominator, of 1 to 4 children. */
  smallPublished: string[];
}

const HIDDEN = new Set(['c', 'x']);
const NOT_APPLICABLE = new Set(['', 'z']);

type Field = 'count' | 'n' | 'd' | 'c';

/** Reads the open data and plays the adversary; `truth` is the unsuppressed store, to judge what it recovered. */
export function attack(
  csvRows: string[][],
  header: string[],
  truth: readonly TrueValue[],
  options: { hiddenAtLeast: 0 | 1 },
): AdversaryResult {
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name}`);
    return i;
  };
  const [cMeasure, cMonth, cDim, cCat, cNum, cDen, cValue] = [
    'measure',
    'month',
    'breakdown',
    'category',
    'numerator',
    'denominator',
    'value',
  ].map(col) as [number, number, number, number, number, number, number];

  // Every count the adversary reasons about: known (a number) or unknown (null), with its lower bound.
  const known = new Map<string, number | null>();
  const lower = new Map<string, number>();
  const hiddenInCsv = new Set<string>();
  const fieldsOf = new Map<string, Field[]>();
  let published = 0;
  const smallPublished: string[] = [];
  const recovered: Recovery[] = [];
  const keyOf = (measure: string, field: Field, month: string, dim: string, cat: string) =>
    `${measure}:${field}|${month}|${dim}|${cat}`;
  const num = (s: string): number | null | 'hidden' =>
    HIDDEN.has(s) ? 'hidden' : NOT_APPLICABLE.has(s) ? null : Number(s);

  const setCsvField = (key: string, raw: number | null | 'hidden') => {
    if (raw === 'hidden') {
      known.set(key, null);
      hiddenInCsv.add(key);
      lower.set(key, options.hiddenAtLeast);
    } else {
      known.set(key, raw ?? 0);
      published++;
      if (raw !== null && raw >= 1 && raw <= 4) smallPublished.push(key);
    }
  };

  for (const r of csvRows) {
    const def = MEASURE_BY_ID.get(r[cMeasure]!);
    if (!def) continue;
    const [measure, month, dim, cat] = [r[cMeasure]!, r[cMonth]!, r[cDim]!, r[cCat]!];
    const k = (f: Field) => keyOf(measure, f, month, dim, cat);
    if (def.kind === 'count') {
      setCsvField(k('count'), num(r[cNum]!) ?? num(r[cValue]!));
      fieldsOf.set(measure, ['count']);
    } else if (def.kind === 'median' || def.kind === 'p90') {
      setCsvField(k('d'), num(r[cDen]!));
      fieldsOf.set(measure, ['d']);
    } else if (def.kind === 'rate') {
      fieldsOf.set(measure, ['n', 'd', 'c']);
      let n = num(r[cNum]!);
      let d = num(r[cDen]!);
      const v = num(r[cValue]!);
      const nHidden = n === 'hidden';
      const dHidden = d === 'hidden';
      setCsvField(k('n'), n);
      setCsvField(k('d'), d);
      // A percentage and one of its counts give the other.
      if (typeof v === 'number') {
        if (n === 'hidden' && typeof d === 'number') n = Math.round((v * d) / 100);
        else if (d === 'hidden' && typeof n === 'number' && v > 0) d = Math.round((100 * n) / v);
      }
      if (nHidden && typeof n === 'number') {
        known.set(k('n'), n);
        recovered.push({ key: k('n'), value: n, how: 'rate' });
        if (n >= 1 && n <= 4) smallPublished.push(`${k('n')} (from the percentage)`);
      }
      if (dHidden && typeof d === 'number') {
        known.set(k('d'), d);
        recovered.push({ key: k('d'), value: d, how: 'rate' });
      }
      const kc = k('c');
      if (typeof n === 'number' && typeof d === 'number') {
        known.set(kc, d - n);
        if (d - n >= 1 && d - n <= 4 && (typeof v === 'number' || (!nHidden && !dHidden)))
          smallPublished.push(`${kc} (denominator minus numerator)`);
      } else {
        known.set(kc, null);
        lower.set(kc, 0);
      }
    }
  }

  // The equations: each a list of [key, coefficient] summing to 0.
  const equations: [string, number][][] = [];
  const byGroup = new Map<string, string[]>();
  for (const key of known.keys()) {
    const [qty, month, dim] = key.split('|') as [string, string, string];
    if (dim === 'all') continue;
    const g = `${qty}|${month}|${dim}`;
    byGroup.set(g, [...(byGroup.get(g) ?? []), key]);
  }
  for (const [g, parts] of byGroup) {
    const [qty, month] = g.split('|') as [string, string];
    const total = `${qty}|${month}|all|all`;
    if (!known.has(total)) continue;
    equations.push([[total, 1], ...parts.map((p): [string, number] => [p, -1])]);
  }
  for (const key of known.keys()) {
    const [qty, ...rest] = key.split('|');
    const [measure, field] = qty!.split(':');
    if (field !== 'd' || fieldsOf.get(measure!)?.length !== 3) continue;
    const tail = rest.join('|');
    equations.push([
      [key, 1],
      [`${measure}:n|${tail}`, -1],
      [`${measure}:c|${tail}`, -1],
    ]);
  }
  // Series that agree wherever both are published, on the same rows, are taken to be the same children.
  const series = new Map<string, Map<string, string>>();
  for (const key of known.keys()) {
    const [qty, ...rest] = key.split('|');
    if (!series.has(qty!)) series.set(qty!, new Map());
    series.get(qty!)!.set(rest.join('|'), key);
  }
  const names = [...series.keys()];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = series.get(names[i]!)!;
      const b = series.get(names[j]!)!;
      if (a.size !== b.size) continue;
      let agree = 0;
      let same = true;
      for (const [tail, ka] of a) {
        const kb = b.get(tail);
        if (!kb) {
          same = false;
          break;
        }
        const va = known.get(ka);
        const vb = known.get(kb);
        if (va != null && vb != null) {
          if (va !== vb) {
            same = false;
            break;
          }
          if (va > 0) agree++;
        }
      }
      if (!same || agree < 3) continue;
      for (const [tail, ka] of a)
        equations.push([
          [ka, 1],
          [b.get(tail)!, -1],
        ]);
    }
  }

  // Measures that add up to one another by their published definitions: one minus the other gives the rest.
  const across: string[] = [];
  for (const key of [...known.keys()]) {
    const [qty, ...rest] = key.split('|');
    const relation = ADDS_UP.find(([total]) => total === qty);
    if (!relation) continue;
    const [, part, other] = relation;
    const tail = rest.join('|');
    const partKey = `${part}|${tail}`;
    if (!known.has(partKey)) continue;
    let otherKey = other ? `${other}|${tail}` : '';
    if (!known.has(otherKey)) {
      otherKey = `across:${qty}|${tail}`;
      known.set(otherKey, null);
      lower.set(otherKey, 0);
      across.push(otherKey);
    }
    equations.push([
      [key, 1],
      [partKey, -1],
      [otherKey, -1],
    ]);
  }

  // Solve: alternately exact elimination and bounds, until nothing new is learnt.
  const before = new Set([...known].filter(([, v]) => v === null).map(([k]) => k));
  for (let round = 0; round < 50; round++) {
    const learnt = solveLinear(equations, known) + narrowBounds(equations, known, lower);
    if (learnt === 0) break;
  }
  // A count published nowhere but worked out across measures is as good as published.
  for (const key of across) {
    const v = known.get(key);
    if (v != null && v >= 1 && v <= 4) smallPublished.push(`${key} (one measure minus another)`);
  }
  const truthOf = trueValues(truth);
  for (const key of before) {
    const v = known.get(key);
    if (v === null || v === undefined) continue;
    const t = truthOf.get(key) ?? 0;
    if (Math.abs(v - t) < 1e-6 && hiddenInCsv.has(key)) recovered.push({ key, value: v, how: 'linear' });
  }
  return {
    published,
    hidden: hiddenInCsv.size,
    recovered: recovered.filter((r) => Math.abs(r.value - (truthOf.get(r.key) ?? 0)) < 1e-6),
    smallPublished,
  };
}

function trueValues(truth: readonly TrueValue[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of truth) {
    const def = MEASURE_BY_ID.get(t.measure);
    if (!def) continue;
    const tail = `${t.month}|${t.dimension}|${t.category}`;
    if (def.kind === 'count') out.set(`${t.measure}:count|${tail}`, t.value ?? 0);
    else if (def.kind === 'rate') {
      out.set(`${t.measure}:n|${tail}`, t.numerator ?? 0);
      out.set(`${t.measure}:d|${tail}`, t.denominator ?? 0);
      out.set(`${t.measure}:c|${tail}`, (t.denominator ?? 0) - (t.numerator ?? 0));
    } else if (def.kind === 'median' || def.kind === 'p90') out.set(`${t.measure}:d|${tail}`, t.denominator ?? 0);
  }
  return out;
}

/**
 * Gaussian elimination on each connected part of the system (unknowns linked by an equation): an unknown is
 * determined when its row of the reduced echelon form has no other unknown. Returns how many were learnt.
 */
function solveLinear(equations: [string, number][][], known: Map<string, number | null>): number {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const live = equations.filter((eq) => eq.some(([k]) => known.get(k) === null));
  for (const eq of live) {
    const unknowns = eq.filter(([k]) => known.get(k) === null).map(([k]) => k);
    for (const k of unknowns) if (!parent.has(k)) parent.set(k, k);
    for (const k of unknowns.slice(1)) parent.set(find(k), find(unknowns[0]!));
  }
  const parts = new Map<string, [string, number][][]>();
  for (const eq of live) {
    const root = find(eq.find(([k]) => known.get(k) === null)![0]);
    parts.set(root, [...(parts.get(root) ?? []), eq]);
  }
  let learnt = 0;
  for (const eqs of parts.values()) {
    const vars = [...new Set(eqs.flatMap((eq) => eq.filter(([k]) => known.get(k) === null).map(([k]) => k)))];
    const index = new Map(vars.map((v, i) => [v, i]));
    const width = vars.length;
    // Rows: coefficients of the unknowns, then the constant (known terms moved across).
    const rows = eqs.map((eq) => {
      const row = new Array<number>(width + 1).fill(0);
      for (const [k, a] of eq) {
        const v = known.get(k);
        if (v === null) row[index.get(k)!]! += a;
        else row[width]! -= a * (v ?? 0);
      }
      return row;
    });
    let pivotRow = 0;
    const pivots: number[] = [];
    for (let c = 0; c < width && pivotRow < rows.length; c++) {
      let best = -1;
      for (let r = pivotRow; r < rows.length; r++) {
        if (Math.abs(rows[r]![c]!) > 1e-9 && (best < 0 || Math.abs(rows[r]![c]!) > Math.abs(rows[best]![c]!))) best = r;
      }
      if (best < 0) continue;
      [rows[pivotRow], rows[best]] = [rows[best]!, rows[pivotRow]!];
      const p = rows[pivotRow]!;
      const pv = p[c]!;
      for (let j = c; j <= width; j++) p[j]! /= pv;
      for (let r = 0; r < rows.length; r++) {
        if (r === pivotRow) continue;
        const f = rows[r]![c]!;
        if (Math.abs(f) < 1e-12) continue;
        const row = rows[r]!;
        for (let j = c; j <= width; j++) row[j]! -= f * p[j]!;
      }
      pivots.push(c);
      pivotRow++;
    }
    pivots.forEach((c, r) => {
      const row = rows[r]!;
      for (let j = 0; j < width; j++) if (j !== c && Math.abs(row[j]!) > 1e-9) return;
      known.set(vars[c]!, Math.round(row[width]!));
      learnt++;
    });
  }
  return learnt;
}

/** Each unknown lies between bounds that the others' bounds give it in each equation; equal bounds pin it. */
function narrowBounds(
  equations: [string, number][][],
  known: Map<string, number | null>,
  lower: Map<string, number>,
): number {
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const [k, v] of known) {
    if (v === null) {
      lo.set(k, lower.get(k) ?? 0);
      hi.set(k, Infinity);
    } else {
      lo.set(k, v);
      hi.set(k, v);
    }
  }
  for (let pass = 0; pass < 20; pass++) {
    let changed = false;
    for (const eq of equations) {
      if (!eq.some(([k]) => known.get(k) === null)) continue;
      for (const [k, a] of eq) {
        if (known.get(k) !== null) continue;
        // a*x_k = -(sum of the others' a_i x_i)
        let min = 0;
        let max = 0;
        for (const [o, b] of eq) {
          if (o === k) continue;
          const l = lo.get(o)!;
          const h = hi.get(o)!;
          min += b > 0 ? -b * h : -b * l;
          max += b > 0 ? -b * l : -b * h;
        }
        const [newLo, newHi] = a > 0 ? [min / a, max / a] : [max / a, min / a];
        if (newLo > lo.get(k)! + 1e-9) {
          lo.set(k, Math.ceil(newLo - 1e-9));
          changed = true;
        }
        if (newHi < hi.get(k)! - 1e-9) {
          hi.set(k, Math.floor(newHi + 1e-9));
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  let learnt = 0;
  for (const [k, v] of known) {
    if (v === null && lo.get(k) === hi.get(k)) {
      known.set(k, lo.get(k)!);
      learnt++;
    }
  }
  return learnt;
}
