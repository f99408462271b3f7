/**
 * The Kaplan-Meier product-limit estimator (Kaplan and Meier, JASA 53, 1958): S(t) = prod over event times t_i <= t
 * of (1 - d_i / n_i), a case censored at an event time still at risk there.
 */
import { describe, expect, it } from 'vitest';
import { kaplanMeier, survivalQuantiles } from './survival.js';

describe('durations with cases still open (censored)', () => {
  it('gives the product-limit curve of a worked example', () => {
    // 1 (ended), 2 (still open), 3, 3 (ended), 4 (ended): at 1, 4 of 5 remain (0.8); the case open at 2 leaves the
    // risk set; at 3, 2 of the 3 at risk end (0.8 x 1/3); at 4 the last ends (0).
    const curve = kaplanMeier([
      { weeks: 1, ended: true },
      { weeks: 2, ended: false },
      { weeks: 3, ended: true },
      { weeks: 3, ended: true },
      { weeks: 4, ended: true },
    ]);
    expect(curve.steps.map((s) => s.weeks)).toEqual([1, 3, 4]);
    expect(curve.steps[0]!.survival).toBeCloseTo(0.8, 12);
    expect(curve.steps[1]!.survival).toBeCloseTo(0.8 / 3, 12);
    expect(curve.steps[2]!.survival).toBe(0);
    expect(curve.censored).toBe(1);
  });

  it('counts a case censored at an event time as still at risk at it', () => {
    // 2 ended and 2 open at 2 weeks, out of 4: S(2) = 1 - 2/4.
    const curve = kaplanMeier([
      { weeks: 2, ended: true },
      { weeks: 2, ended: true },
      { weeks: 2, ended: false },
      { weeks: 2, ended: false },
    ]);
    expect(curve.steps).toEqual([{ weeks: 2, survival: 0.5 }]);
  });

  it('counts a case seen only from part way through its stay (left truncated) at risk from then on', () => {
    // Klein and Moeschberger, Survival Analysis (2nd ed.), 4.6: the risk set at t holds the cases that entered before
    // t and had not left. Two seen from 0 end at 2 and 4; two seen from 3 weeks end at 5 and are still open at 6.
    // At 2 only the first two are at risk (1 - 1/2); at 4, three (x 2/3); at 5, two (x 1/2). Counted from 0, the
    // late two would wrongly be at risk at 2 (1 - 1/4).
    const curve = kaplanMeier([
      { weeks: 2, ended: true },
      { weeks: 4, ended: true },
      { weeks: 5, ended: true, entered: 3 },
      { weeks: 6, ended: false, entered: 3 },
    ]);
    expect(curve.steps.map((s) => s.weeks)).toEqual([2, 4, 5]);
    expect(curve.steps[0]!.survival).toBeCloseTo(0.5, 12);
    expect(curve.steps[1]!.survival).toBeCloseTo(1 / 3, 12);
    expect(curve.steps[2]!.survival).toBeCloseTo(1 / 6, 12);
  });

  it('gives the plain quantiles with nothing censored, and a longer tail than the finished alone with open cases', () => {
    const finished = [1, 2, 3, 4].map((weeks) => ({ weeks, ended: true }));
    expect(survivalQuantiles(finished, 4)).toEqual([1, 2, 3, 4]);
    // Six cases open for 5 weeks so far: beyond the last finish, their share (0.6) follows an exponential tail whose
    // rate is fitted on the later half of the follow-up (events 3 and 4, exposure from 2.5 weeks): 2 / (0.5 + 1.5 +
    // 6 x 2.5) = 2 / 17 a week; the median is then 5 + ln(0.6 / 0.5) x 17 / 2 weeks.
    const open = Array.from({ length: 6 }, () => ({ weeks: 5, ended: false }));
    const q = survivalQuantiles([...finished, ...open], 2);
    // p = 0.25: 1, 2 and 3 of 10 finished by 3 weeks (S = 0.7).
    expect(q[0]).toBe(3);
    // p = 0.75: S = 0.25.
    expect(q[1]).toBeCloseTo(5 + (Math.log(0.6 / 0.25) * 17) / 2, 9);
    expect(survivalQuantiles(open)).toEqual([]);
  });
});
