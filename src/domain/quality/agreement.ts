/**
 * Agreement between two auditors of the same plan (moderation): Cohen's weighted kappa on the grades, which are
 * ordered (Outstanding to Inadequate, so being one grade apart is a smaller disagreement than being three apart),
 * and on each criterion's answers the share agreeing and Cohen's (unweighted) kappa.
 *
 * Weighted kappa (Cohen 1968): with disagreement weights w(i, j) - 0 on the diagonal; |i - j| / (k - 1) linear, or
 * ((i - j) / (k - 1))^2 quadratic - the observed proportions O and those expected by chance from the two auditors'
 * own totals E (row share x column share): kappa = 1 - sum(w O) / sum(w E). With 0/1 weights it is Cohen's kappa,
 * (p_o - p_e) / (1 - p_e). It is 1 for perfect agreement, 0 for what chance would give, and undefined when chance
 * alone would give perfect agreement (both auditors always gave the same one grade).
 */

export type Weighting = 'none' | 'linear' | 'quadratic';

/** Kappa for pairs of categories 0..k-1; null when it is undefined (no pairs, or no disagreement expected by chance). */
export function weightedKappa(
  pairs: readonly (readonly [number, number])[],
  k: number,
  weighting: Weighting,
): number | null {
  const n = pairs.length;
  if (n === 0 || k < 2) return null;
  const observed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  for (const [a, b] of pairs) {
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < k && b < k)) {
      throw new RangeError(`categories must be whole numbers from 0 to ${k - 1}`);
    }
    observed[a]![b]! += 1 / n;
    rows[a]! += 1 / n;
    cols[b]! += 1 / n;
  }
  const weight = (i: number, j: number) =>
    weighting === 'none'
      ? i === j
        ? 0
        : 1
      : weighting === 'linear'
        ? Math.abs(i - j) / (k - 1)
        : ((i - j) / (k - 1)) ** 2;
  let disagreeObserved = 0;
  let disagreeExpected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      disagreeObserved += weight(i, j) * observed[i]![j]!;
      disagreeExpected += weight(i, j) * rows[i]! * cols[j]!;
    }
  }
  if (disagreeExpected < 1e-12) return null;
  return 1 - disagreeObserved / disagreeExpected;
}

/** The share of pairs in which both gave the same answer; null with none. */
export function shareAgreeing<T>(pairs: readonly (readonly [T, T])[]): number | null {
  if (pairs.length === 0) return null;
  return pairs.filter(([a, b]) => a === b).length / pairs.length;
}

/** How a word for kappa is usually read (Landis and Koch 1977), for the page. */
export function kappaWords(kappa: number | null): string {
  if (kappa === null) return 'Not enough variety to measure';
  if (kappa < 0) return 'Poor (worse than chance)';
  if (kappa <= 0.2) return 'Slight';
  if (kappa <= 0.4) return 'Fair';
  if (kappa <= 0.6) return 'Moderate';
  if (kappa <= 0.8) return 'Substantial';
  return 'Almost perfect';
}
