/**
 * The Monte Carlo error of a forecast's percentiles: how far the 10th, 50th and 90th percentiles of a few hundred
 * simulated futures may be from where many more futures would put them, and how many futures would pin them down.
 *
 * Method: the distribution-free confidence interval for a quantile from order statistics (W. J. Conover, Practical
 * Nonparametric Statistics, 3rd ed., 1999, section 3.2; H. A. David and H. N. Nagaraja, Order Statistics, 3rd ed.,
 * 2003, section 7.1). Of n independent futures, the number below the true p-quantile is binomial (n, p), so the
 * order statistics of ranks np -/+ 1.96 sqrt(np(1 - p)) bound a 95% confidence interval for it; its half-width over
 * 1.96 is the standard error. Nothing is assumed about the distribution's shape, which suits the skewed counts and
 * bounded shares the pipeline gives. The error falls as 1 / sqrt(n): k times the futures give 1 / sqrt(k) the error.
 */
import { percentiles } from './simulate.js';

const Z95 = 1.959964;

/** The Monte Carlo standard error of the p-th percentile of `values` (independent replications); null under 2. */
export function percentileStandardError(values: readonly number[], p: number): number | null {
  const n = values.length;
  if (n < 2) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const centre = (n * p) / 100;
  const spread = Z95 * Math.sqrt((n * p * (100 - p)) / 10000);
  const rank = (r: number) => Math.min(n, Math.max(1, Math.round(r)));
  return (sorted[rank(centre + spread) - 1]! - sorted[rank(centre - spread) - 1]!) / (2 * Z95);
}

export interface PercentileErrors {
  replications: number;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  /** Monte Carlo standard errors of each. */
  se: { p10: number | null; p50: number | null; p90: number | null };
  /** The steadiness asked of the tails (a standard error at most this), and the futures that would give it. */
  tolerance: number;
  replicationsForTolerance: number | null;
}

/**
 * The 10th, 50th and 90th percentiles of the replications' values with their Monte Carlo standard errors, and how
 * many replications would bring both tails' standard errors to `tolerance` or under (the error scales as
 * 1 / sqrt(replications)).
 */
export function percentileErrors(values: readonly number[], tolerance: number): PercentileErrors {
  const { p10, p50, p90 } = percentiles([...values]);
  const se = {
    p10: percentileStandardError(values, 10),
    p50: percentileStandardError(values, 50),
    p90: percentileStandardError(values, 90),
  };
  const tail = se.p10 === null || se.p90 === null ? null : Math.max(se.p10, se.p90);
  return {
    replications: values.length,
    p10,
    p50,
    p90,
    se,
    tolerance,
    replicationsForTolerance:
      tail === null || tolerance <= 0 ? null : Math.max(1, Math.ceil(values.length * (tail / tolerance) ** 2)),
  };
}
