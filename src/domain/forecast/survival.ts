/**
 * Durations from a history that is still going on: some cases have finished a stage (an event at their time), the
 * rest are still in it (censored: all that is known is that they have taken at least as long as they have had).
 * Dropping the open cases drops the long tail exactly while a backlog is open; the Kaplan-Meier product-limit
 * estimator (Kaplan and Meier, "Nonparametric estimation from incomplete observations", JASA 53, 1958) uses them:
 * S(t) = prod over event times t_i <= t of (1 - d_i / n_i), d_i finishing at t_i out of n_i still in the stage
 * just before it (a case censored at t_i counts as still in the stage at t_i).
 *
 * A case that was already in the stage when the history calibrated on began is seen from then on only (left
 * truncated, "delayed entry"): it is in the risk set from the time it had spent by then, not from 0 (Klein and
 * Moeschberger, Survival Analysis, 2nd ed., 2003, section 4.6). Leaving such cases out would lose exactly the long
 * stays that a short window cannot see from start to end.
 */

export interface Observation {
  /** Weeks in the stage: to the end if it ended, to today if it is still open. */
  weeks: number;
  ended: boolean;
  /** Weeks it had already spent in the stage when it came into view (left truncation); 0 if omitted. */
  entered?: number;
}

/** The survival curve: after each event time `weeks`, the share still in the stage. */
export interface SurvivalCurve {
  steps: { weeks: number; survival: number }[];
  /** The longest time observed (event or censored): beyond it the curve says nothing. */
  followUpWeeks: number;
  /** Finished cases and cases still open. */
  events: number;
  censored: number;
}

export function kaplanMeier(observations: readonly Observation[]): SurvivalCurve {
  const sorted = [...observations].sort((a, b) => a.weeks - b.weeks || Number(b.ended) - Number(a.ended));
  // Entry times, earliest first: a case is at risk at t if it entered before t and had not left before t.
  const entries = observations.map((o) => o.entered ?? 0).sort((a, b) => a - b);
  const steps: SurvivalCurve['steps'] = [];
  let entered = 0;
  let gone = 0;
  let survival = 1;
  let i = 0;
  let events = 0;
  while (i < sorted.length) {
    const t = sorted[i]!.weeks;
    while (entered < entries.length && entries[entered]! < t) entered++;
    let ended = 0;
    let leaving = 0;
    while (i < sorted.length && sorted[i]!.weeks === t) {
      if (sorted[i]!.ended) ended++;
      leaving++;
      i++;
    }
    const atRisk = entered - gone;
    if (ended > 0 && atRisk > 0) {
      survival *= 1 - ended / atRisk;
      steps.push({ weeks: t, survival });
      events += ended;
    }
    gone += leaving;
  }
  return {
    steps,
    followUpWeeks: sorted.length ? sorted[sorted.length - 1]!.weeks : 0,
    events,
    censored: sorted.length - events,
  };
}

/**
 * The hazard (finishing a week) beyond the follow-up, for the mass the curve leaves there: the events over the
 * exposure (weeks in the stage, Σ min(time, ...)) in the later half of the follow-up, the maximum-likelihood rate of an
 * exponential tail (constant hazard) fitted with censoring. Null with no event there.
 */
function tailHazard(observations: readonly Observation[], fromWeeks: number): number | null {
  let events = 0;
  let exposure = 0;
  for (const o of observations) {
    if (o.weeks <= fromWeeks) continue;
    exposure += o.weeks - Math.max(fromWeeks, o.entered ?? 0);
    if (o.ended) events++;
  }
  return events > 0 && exposure > 0 ? events / exposure : null;
}

/**
 * `count` durations at evenly spaced quantiles ((k + 0.5) / count) of the Kaplan-Meier distribution, for an
 * empirical service time. The mass beyond the last event (cases still open longer than any finished) is spread over
 * an exponential tail from there, its rate fitted on the later half of the follow-up (at least one finishing there;
 * otherwise at the follow-up). Empty with no event at all.
 */
export function survivalQuantiles(observations: readonly Observation[], count = 200): number[] {
  const curve = kaplanMeier(observations);
  if (curve.events === 0) return [];
  const last = curve.steps[curve.steps.length - 1]!;
  const hazard = last.survival > 0 ? tailHazard(observations, curve.followUpWeeks / 2) : null;
  const out: number[] = [];
  let s = 0;
  for (let k = 0; k < count; k++) {
    const p = (k + 0.5) / count;
    // The first event time at which the share finished (1 - S) reaches p.
    while (s < curve.steps.length && 1 - curve.steps[s]!.survival < p - 1e-12) s++;
    if (s < curve.steps.length) {
      out.push(curve.steps[s]!.weeks);
    } else {
      // In the tail: S(t) = S_last * exp(-h (t - t_last)), solved for S(t) = 1 - p.
      const start = Math.max(last.weeks, curve.followUpWeeks);
      out.push(hazard ? start + Math.log(last.survival / (1 - p)) / hazard : start);
    }
  }
  return out;
}
