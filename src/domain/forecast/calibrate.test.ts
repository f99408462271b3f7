/**
 * Calibration recovers the parameters a synthetic history was made with: 10 requests a week in term and 2 a week in
 * the summer holiday (weeks 30 to 34 of the year), 3 of 4 decided "assess" after exactly 6 weeks, advice taking 5,
 * 1 in 10 of all requests (all of them assessed) decided "not issue" 2 weeks later, so 13 of 15 assessed are issued, final
 * plans 4 weeks after that.
 */
import { describe, expect, it } from 'vitest';
import { addDays, localDate, type LocalDate } from '../dates/localDate.js';
import {
  calibrate,
  issuedBetween,
  knownAt,
  scenarioFromCalibration,
  weekOfYear,
  type CaseHistory,
} from './calibrate.js';

function history(): CaseHistory[] {
  const cases: CaseHistory[] = [];
  let i = 0;
  for (const year of [2022, 2023, 2024]) {
    for (let w = 0; w < 52; w++) {
      const perWeek = w >= 30 && w <= 34 ? 2 : 10;
      for (let k = 0; k < perWeek; k++) {
        const received = addDays(localDate(`${year}-01-01`), 7 * w + (k % 7));
        const assess = i % 4 !== 0;
        const issue = assess && i % 10 !== 1;
        const decided = addDays(received, 42);
        const adviceDone = assess ? addDays(decided, 35) : null;
        const issueDecided = adviceDone ? addDays(adviceDone, 14) : null;
        cases.push({
          received,
          decided,
          assess,
          adviceDone,
          issueDecided,
          issue: issueDecided ? issue : null,
          finalIssued: issueDecided && issue ? addDays(issueDecided, 28) : null,
          closed: null,
        });
        i++;
      }
    }
  }
  return cases;
}

const from = localDate('2022-01-01');
const to = localDate('2024-12-31');

describe('calibrating the pipeline from its history', () => {
  const c = calibrate(history(), from, to);

  it('recovers the weekly arrivals and their school-year seasonality', () => {
    // A mean week of the year holds (47 x 10 + 5 x 2) / 52 requests, and there is no trend: the fitted level at the
    // end is within two standard errors of it (Poisson regression, calibrate.ts `trend`), and no trend is kept (a
    // growth within two standard errors of none is taken as none).
    const mean = (47 * 10 + 5 * 2) / 52;
    expect(Math.abs(Math.log(c.arrivals.ratePerWeek / mean))).toBeLessThan(2 * c.arrivals.logRateSe);
    expect(c.arrivals.logRateSe).toBeLessThan(0.06);
    expect(c.arrivals.growthPerYear).toBe(0);
    expect(c.arrivals.growthSe).toBe(0);
    expect(c.arrivals.weeklyFactors![10]).toBeCloseTo(10 / mean, 2);
    expect(c.arrivals.weeklyFactors![32]).toBeCloseTo(2 / mean, 2);
    // (To 2 places: the trend, within its error of none, is taken out first.) The smoothing spreads the holiday over
    // its edges: week 30 is (10 + 2 + 2) / 3.
    expect(c.arrivals.weeklyFactors![30]).toBeCloseTo(14 / 3 / mean, 2);
    expect(c.arrivals.weeklyFactors!.reduce((a, b) => a + b, 0)).toBeCloseTo(52, 6);
  });

  it('recovers the conversion rates and the stage times', () => {
    expect(c.conversion.assess.rate).toBeCloseTo(0.75, 2);
    expect(c.conversion.issue.rate).toBeCloseTo(1 - 0.1 / 0.75, 2);
    expect(c.durations.decision.meanWeeks).toBe(6);
    expect(c.durations.advice.meanWeeks).toBe(5);
    expect(c.durations.drafting.meanWeeks).toBe(2);
    expect(c.durations.final.meanWeeks).toBe(4);
    expect(c.durations.decision.sdWeeks).toBe(0);
  });

  it('finds the open cases at the end, each in its stage with its age', () => {
    // Received in the last 17 weeks of 2024 (6 + 5 + 2 + 4 weeks to a final plan) and still open on 31 December.
    const stages = new Set(c.backlog.map((b) => b.stage));
    expect(stages).toEqual(new Set(['decision', 'advice', 'drafting', 'final']));
    expect(Math.max(...c.backlog.map((b) => b.ageWeeks))).toBeLessThanOrEqual(17);
    const newest = c.backlog.filter((b) => b.stage === 'decision');
    expect(newest.every((b) => b.ageWeeks < 6)).toBe(true);
  });

  it('gives no seasonality from less than two years', () => {
    expect(calibrate(history(), localDate('2024-01-01'), to).arrivals.weeklyFactors).toBeNull();
  });

  it('keeps no trend from a few requests all in the last months, so the forecast does not grow them for years', () => {
    // A new service's first months: 30 requests in the last 10 weeks of a three-year window. A Poisson regression of
    // those reads growth of hundreds of times a year, with a standard error larger still; it is not kept.
    const recent = history()
      .filter((c) => c.received > addDays(to, -70))
      .slice(0, 30);
    const level = calibrate(recent, from, to).arrivals;
    expect(level.growthPerYear).toBe(0);
    expect(level.growthSe).toBe(0);
    expect(level.ratePerWeek).toBeGreaterThan(0);
    // A steady 10% a year over the same three years is kept, within two standard errors.
    // (Every case of 2024, 110 in 121 of 2023's and 100 in 121 of 2022's.)
    const growing = history().filter((c, i) => i % 121 < 121 / Math.pow(1.1, 2024 - Number(c.received.slice(0, 4))));
    const kept = calibrate(growing, from, to).arrivals;
    expect(kept.growthPerYear).toBeGreaterThan(0);
    expect(Math.abs(kept.growthPerYear - 0.1)).toBeLessThan(2 * kept.growthSe);
  });

  it('numbers the weeks of the year from 0', () => {
    expect(weekOfYear('2025-01-01' as LocalDate)).toBe(0);
    expect(weekOfYear('2025-01-08' as LocalDate)).toBe(1);
    expect(weekOfYear('2024-12-31' as LocalDate)).toBe(51);
  });
});

describe('a back-test: calibrate on the history to a date, forecast the months after it, compare', () => {
  it('puts the plans actually issued in each of the next 6 four-week periods inside the forecast’s 10th-90th band', async () => {
    const { parseScenario } = await import('./scenario.js');
    const { simulate } = await import('./simulate.js');
    const cases = history();
    const cut = localDate('2024-06-30');
    const calibration = calibrate(cases, localDate('2022-01-01'), cut);
    const periods = [0, 4, 8, 12, 16, 20, 24];
    const result = simulate(
      parseScenario(scenarioFromCalibration(calibration, { horizonWeeks: 24, replications: 200, seed: 1, periods })),
    );
    // Simulated week t is the date cut + 7t days: period [w, w') holds plans issued from cut + 7w to cut + 7w' - 1
    // (those issued on the cut day itself are history, not forecast).
    const actual = periods
      .slice(0, -1)
      .map((w, p) => issuedBetween(cases, addDays(cut, Math.max(1, 7 * w)), addDays(cut, 7 * periods[p + 1]!)));
    result.periods.forEach((p, i) => {
      expect(actual[i]!.issued).toBeGreaterThanOrEqual(p.completed.p10!);
      expect(actual[i]!.issued).toBeLessThanOrEqual(p.completed.p90!);
    });
  });
});

describe('calibrating on recent months', () => {
  it('takes the rate and stage times from the recent part and the seasonality from the whole window', () => {
    // The last year, advice took 3 weeks instead of 5 (the service improved); seasonality as before.
    const cases = history().map((c) =>
      c.received >= '2024-01-01' && c.adviceDone ? { ...c, adviceDone: addDays(c.decided!, 21) } : c,
    );
    const recent = calibrate(cases, from, to, { recentFrom: localDate('2024-04-01') });
    expect(recent.durations.advice.meanWeeks).toBe(3);
    expect(recent.arrivals.weeklyFactors).toEqual(calibrate(cases, from, to).arrivals.weeklyFactors);
  });

  it('groups a stage’s times by the case’s age on reaching it, when there are enough', () => {
    // Final plans: 2 weeks for requests that reached the decision to issue before 16 weeks old, 8 weeks after.
    const cases = history().map((c, i) => {
      if (!c.issueDecided || !c.finalIssued) return c;
      const old = i % 3 === 0;
      const issueDecided = addDays(c.received, old ? 17 * 7 : 12 * 7);
      return { ...c, issueDecided, finalIssued: addDays(issueDecided, old ? 56 : 14) };
    });
    const byAge = calibrate(cases, from, to).durations.final.byAge!;
    expect(byAge.ageEdges).toEqual([17]);
    expect(new Set(byAge.groups[0])).toEqual(new Set([2]));
    expect(new Set(byAge.groups[1])).toEqual(new Set([8]));
    // Too few to group: one list.
    expect(calibrate(cases.slice(0, 150), from, to).durations.final.byAge).toBeNull();
  });

  it('keeps in each age group the long tail of the cases still in the stage (Kaplan-Meier), not only the finished', () => {
    // As above, but half the older requests' final plans take 40 weeks: none of those that reached the stage in the
    // 39 weeks calibrated on has finished. Finished cases alone would say 2 weeks for every older one, and a case
    // already 30 weeks at the stage would be drawn as finishing at once (simulate.ts remainingTime).
    const cases = history().map((c, i) => {
      if (!c.issueDecided || !c.finalIssued) return c;
      const old = i % 3 === 0;
      const issueDecided = addDays(c.received, old ? 17 * 7 : 12 * 7);
      return { ...c, issueDecided, finalIssued: addDays(issueDecided, old && i % 2 === 0 ? 280 : 14) };
    });
    const final = calibrate(cases, from, to, { recentFrom: localDate('2024-04-01') }).durations.final;
    const older = final.byAge!.groups[1]!;
    expect(final.byAge!.ageEdges).toEqual([17]);
    expect(older[0]).toBe(2);
    // Half finished at 2 weeks; the rest still open, up to 39 weeks: the upper half of the group is past 2 weeks.
    expect(older[Math.floor(0.75 * older.length)]).toBeGreaterThan(20);
    expect(new Set(final.byAge!.groups[0])).toEqual(new Set([2]));
    // The 40-week stays, longer than the window, are seen in the cases already at the stage when it began (left
    // truncated): the longest time is 40 weeks, not the 39 that the window's own open cases have had so far.
    expect(final.weeks[final.weeks.length - 1]).toBe(40);
  });

  it('takes the rate of a mean week from a recent part that is mostly holiday, not the holiday rate', () => {
    // 1 July to 31 December 2024 holds the 5 holiday weeks at 2 a week: counting weeks would give 8.4 a week.
    const summer = calibrate(history(), from, to, { recentFrom: localDate('2024-07-01') });
    const mean = (47 * 10 + 5 * 2) / 52;
    expect(Math.abs(summer.arrivals.ratePerWeek - mean) / mean).toBeLessThan(0.03);
  });
});

describe('a stage whose times have been falling', () => {
  // Two requests a day, all assessed, decided after 6 weeks; advice took 12 weeks to the decisions of 2023,
  // then less each day, down to 4 weeks by the end of 2024 (a service getting faster, with no queue at all).
  const cases: CaseHistory[] = [];
  for (let d = 0; d < 3 * 365; d++) {
    const received = addDays(localDate('2022-01-01'), d);
    for (let k = 0; k < 2; k++) {
      const decided = addDays(received, 42);
      const share = Math.min(1, Math.max(0, (d + 42 - 730) / 364));
      const adviceDone = addDays(decided, Math.round((12 - 8 * share + ((k * 3 + d) % 5) * 0.2) * 7));
      const issueDecided = addDays(adviceDone, 14);
      const finalIssued = addDays(issueDecided, 28);
      cases.push({ received, decided, assess: true, adviceDone, issueDecided, issue: true, finalIssued, closed: null });
    }
  }
  const to = localDate('2024-12-31');

  it('is never given a capacity below what it finished in its last 13 weeks, so no queue builds at once', async () => {
    // The cases in the stage fall with its times (Little's law), which the queueing reconstruction reads as a queue
    // clearing: alone it gave 7 servers of 0.53 weeks, 13.2 a week, where the stage had just finished 16.5 a week.
    const calibration = calibrate(cases, localDate('2022-01-01'), to, { recentFrom: localDate('2024-07-01') });
    const finished = cases.filter((c) => c.adviceDone! > addDays(to, -91) && c.adviceDone! <= to).length / 13;
    expect(calibration.capacityPerWeek.advice).toBeGreaterThanOrEqual(finished);
    // The 14 requests a week reaching advice are under its capacity: the forecast does not grow a queue there.
    const { parseScenario, stageLoads } = await import('./scenario.js');
    const scenario = parseScenario(
      scenarioFromCalibration(calibration, { horizonWeeks: 26, replications: 10, seed: 1, periods: [0, 26] }),
    );
    expect(stageLoads(scenario).find((l) => l.id === 'advice')!.load).toBeLessThan(1);
  });
});

describe('a case as it was known on an earlier day', () => {
  // Decided to assess on 3 February 2025; an educational psychologist's advice asked for on 10 February and in on
  // 3 March; a speech and language therapist's asked for on 17 March (found to be needed later) and in on 14 April.
  const c: CaseHistory = {
    received: localDate('2024-12-23'),
    decided: localDate('2025-02-03'),
    assess: true,
    adviceDone: localDate('2025-04-14'),
    issueDecided: null,
    issue: null,
    finalIssued: null,
    closed: null,
    advice: [
      { requested: localDate('2025-02-10'), received: localDate('2025-03-03') },
      { requested: localDate('2025-03-17'), received: localDate('2025-04-14') },
    ],
  };

  it('ends the advice stage with the last advice asked for by then, when it was all in', () => {
    expect(knownAt(c, localDate('2025-03-10')).adviceDone).toBe('2025-03-03');
    // With the second advice still outstanding today, the stage looked finished on 10 March all the same.
    expect(
      knownAt(
        { ...c, adviceDone: null, advice: [c.advice![0]!, { ...c.advice![1]!, received: null }] },
        localDate('2025-03-10'),
      ).adviceDone,
    ).toBe('2025-03-03');
  });

  it('leaves the stage open on a day some advice asked for was still out, and before any was in', () => {
    expect(knownAt(c, localDate('2025-03-20')).adviceDone).toBe('2025-04-14');
    expect(knownAt(c, localDate('2025-02-20')).adviceDone).toBe('2025-04-14');
    expect(knownAt(c, localDate('2025-05-01'))).toBe(c);
  });

  it('puts the case in drafting on 10 March and in advice on 20 March when calibrating', () => {
    const stageOn = (day: string) =>
      calibrate([c], localDate('2024-06-01'), localDate(day)).backlog.map((b) => b.stage);
    expect(stageOn('2025-03-10')).toEqual(['drafting']);
    expect(stageOn('2025-03-20')).toEqual(['advice']);
  });
});
