/**
 * The synthetic check (issue 25): a county made by a known process, handed to calibration in the shape the service
 * hands it the real one (CaseHistory, dates only), must give back the process's parameters within stated tolerances,
 * and the forecast from it must cover what the process then does.
 *
 * The process (times in days, dates the day an event fell on):
 * - Requests: Poisson, 12 a mean week at the end of 2024, growing 10% a year (the national trend), 0.25 times the
 *   mean in the summer holiday (weeks 30-34 of the year) and (52 - 5 x 0.25) / 47 times it in term.
 * - Decision whether to assess: a pure delay, lognormal with mean 4 weeks (sd 2) for requests received before
 *   1 July 2024 and mean 7 weeks (sd 3) after (the service slowed down); 80% assessed.
 * - Advice: first come, first served by 100 servers until 1 May 2024 and 70 after (educational psychologists left),
 *   each taking a lognormal time with mean 8 weeks (sd 3): a capacity of 100 / 8 = 12.5, then 70 / 8 = 8.75 a week,
 *   under the term-time demand of about 10.4 assessments a week, so a queue builds in term and drains in the summer.
 * - Drafting: 40 servers, lognormal mean 2 weeks (sd 1), 90% decided "issue"; final plan: lognormal mean 3 weeks (sd 1).
 */
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, localDate, type LocalDate } from '../dates/localDate.js';
import { calibrate, issuedBetween, scenarioFromCalibration, stageServers, type CaseHistory } from './calibrate.js';
import { Streams } from './random.js';
import { parseScenario } from './scenario.js';
import { simulate } from './simulate.js';

const START = localDate('2022-01-01');
const TO = localDate('2024-12-31');
const SLOWER_DECISIONS = localDate('2024-07-01');
const FEWER_EPS = localDate('2024-05-01');
const LEVEL_AT_TO = 12;
/** Decisions from SLOWER_DECISIONS: lognormal, weeks. */
const SLOW = { mean: 7, sd: 3 };
const GROWTH = 0.1;
const ASSESS = 0.8;
const ISSUE = 0.9;
const ADVICE_SERVICE = { mean: 8, sd: 3 };
const ADVICE_SERVERS = { before: 100, after: 70 };
const HOLIDAY = 0.25;
const TERM = (52 - 5 * HOLIDAY) / 47;

/** Generates the county until `until` (a day after TO for the future the forecast is checked against). */
function county(until: LocalDate, seed = 7): CaseHistory[] {
  const rng = new Streams(8);
  rng.reseed(seed, 0);
  const lognormalDays = (k: number, meanWeeks: number, sdWeeks: number) => {
    const s2 = Math.log(1 + (sdWeeks / meanWeeks) ** 2);
    return 7 * Math.exp(Math.log(meanWeeks) - s2 / 2 + Math.sqrt(s2) * rng.normal(k));
  };
  const horizon = daysBetween(START, until);
  const dayOf = (t: number) => addDays(START, Math.floor(t));
  const toDays = daysBetween(START, TO);
  // Arrivals by thinning a Poisson process at the peak rate (Lewis and Shedler).
  const rate = (t: number) => {
    const week = Math.min(51, Math.floor(daysBetween(localDate(`${dayOf(t).slice(0, 4)}-01-01`), dayOf(t)) / 7));
    const season = week >= 30 && week <= 34 ? HOLIDAY : TERM;
    return ((LEVEL_AT_TO * season) / 7) * (1 + GROWTH) ** ((t - toDays) / (365.25 / 1));
  };
  const peak = (LEVEL_AT_TO * TERM * 1.2) / 7;
  const arrivals: number[] = [];
  for (let t = rng.exponential(0) / peak; t < horizon; t += rng.exponential(0) / peak) {
    if (rng.next(0) * peak < rate(t)) arrivals.push(t);
  }
  const cases = arrivals.map((received) => {
    const slow = dayOf(received) >= SLOWER_DECISIONS;
    const decided = received + (slow ? lognormalDays(1, SLOW.mean, SLOW.sd) : lognormalDays(1, 4, 2));
    return { received, decided, assess: rng.next(2) < ASSESS, issue: rng.next(2) < ISSUE };
  });
  // Advice: first come, first served; servers from 70 on retire on FEWER_EPS (they start nothing from then).
  const change = daysBetween(START, FEWER_EPS);
  const free = new Array<number>(ADVICE_SERVERS.before).fill(0);
  const advised = new Map<number, number>();
  const byDecision = cases.map((c, i) => ({ c, i })).filter(({ c }) => c.assess);
  byDecision.sort((a, b) => a.c.decided - b.c.decided);
  for (const { c, i } of byDecision) {
    let best = Infinity;
    let server = -1;
    free.forEach((f, j) => {
      const start = Math.max(c.decided, f);
      if (j >= ADVICE_SERVERS.after && start >= change) return;
      if (start < best) {
        best = start;
        server = j;
      }
    });
    const done = best + lognormalDays(3, ADVICE_SERVICE.mean, ADVICE_SERVICE.sd);
    free[server] = done;
    advised.set(i, done);
  }
  // Drafting: 40 servers, first come, first served.
  const drafters = new Array<number>(40).fill(0);
  const drafted = new Map<number, number>();
  [...advised.entries()]
    .sort((a, b) => a[1] - b[1])
    .forEach(([i, adviceDone]) => {
      const j = drafters.indexOf(Math.min(...drafters));
      const start = Math.max(adviceDone, drafters[j]!);
      drafters[j] = start + lognormalDays(4, 2, 1);
      drafted.set(i, drafters[j]);
    });
  const at = (t: number | undefined) => (t === undefined || t >= horizon ? null : dayOf(t));
  return cases.map((c, i) => {
    const issueDecided = at(drafted.get(i));
    const finalT = issueDecided && c.issue ? drafted.get(i)! + lognormalDays(5, 3, 1) : undefined;
    return {
      received: dayOf(c.received),
      decided: at(c.decided),
      assess: at(c.decided) ? c.assess : null,
      adviceDone: at(advised.get(i)),
      issueDecided,
      issue: issueDecided ? c.issue : null,
      finalIssued: at(finalT),
      closed: null,
    };
  });
}

/** Calibrated as the service calibrates (forecasts.ts): three years, the last six months for the stage times. */
const calibrateAt = (cases: CaseHistory[], to: LocalDate) =>
  calibrate(cases, START, to, { recentFrom: localDate('2024-07-01') });

const lognormalQuantile = (mean: number, sd: number, z: number) => {
  const s2 = Math.log(1 + (sd / mean) ** 2);
  return Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * z);
};

describe('calibration recovers a county made by a known process', () => {
  const future = county(addDays(TO, 7 * 27));
  // What was known at TO: the events after it not yet happened.
  const known = (d: LocalDate | null) => (d !== null && d <= TO ? d : null);
  const history = future
    .filter((x) => x.received <= TO)
    .map((x) => ({
      ...x,
      decided: known(x.decided),
      assess: known(x.decided) ? x.assess : null,
      adviceDone: known(x.adviceDone),
      issueDecided: known(x.issueDecided),
      issue: known(x.issueDecided) ? x.issue : null,
      finalIssued: known(x.finalIssued),
    }));
  const c = calibrateAt(history, TO);

  it('uses only what was known at its date', () => {
    expect(calibrateAt(future, TO)).toEqual(c);
  });

  it('recovers the demand: its level at the end and its growth of 10% a year, within two standard errors', () => {
    expect(Math.abs(Math.log(c.arrivals.ratePerWeek / LEVEL_AT_TO))).toBeLessThan(2 * c.arrivals.logRateSe);
    expect(c.arrivals.logRateSe).toBeLessThan(0.05);
    expect(Math.abs(c.arrivals.growthPerYear - GROWTH)).toBeLessThan(2 * c.arrivals.growthSe);
    expect(c.arrivals.growthSe).toBeLessThan(0.05);
    // The holiday is a quarter of a mean week: the smoothed factor at its middle week within 0.1 of it.
    expect(Math.abs(c.arrivals.weeklyFactors![32]! - HOLIDAY)).toBeLessThan(0.1);
  });

  it('recovers the advice stage’s capacity after the change (70 servers, 8.75 a week) and its service time, not counting the queueing', () => {
    // Within 15%: weekly throughput is Poisson-like (about ±3 a week) over the 26 weeks calibrated on.
    const servers = stageServers(c, 'advice')!;
    expect(Math.abs(servers / ADVICE_SERVERS.after - 1)).toBeLessThan(0.15);
    expect(Math.abs(c.capacityPerWeek.advice! / (ADVICE_SERVERS.after / ADVICE_SERVICE.mean) - 1)).toBeLessThan(0.15);
    const advice = scenarioFromCalibration(c, { horizonWeeks: 26, replications: 1, seed: 1, periods: [] }).stages[1]!
      .service as { weeks: number[] };
    const mean = advice.weeks.reduce((a, b) => a + b, 0) / advice.weeks.length;
    expect(Math.abs(mean / ADVICE_SERVICE.mean - 1)).toBeLessThan(0.15);
  });

  it('recovers the slower decisions from the cases still waiting for one (censored), not only those decided', () => {
    // Lognormal, mean 7 weeks, sd 3: median 6.43 weeks, 90th percentile (z = 1.2816) 10.9 weeks.
    expect(Math.abs(c.durations.decision.p50Weeks! / lognormalQuantile(SLOW.mean, SLOW.sd, 0) - 1)).toBeLessThan(0.1);
    expect(Math.abs(c.durations.decision.p90Weeks! / lognormalQuantile(SLOW.mean, SLOW.sd, 1.2816) - 1)).toBeLessThan(
      0.15,
    );
    expect(c.durations.decision.censored).toBeGreaterThan(0);
  });

  it('forecasts the next six four-week periods’ plans issued inside its 10th-90th range at least 4 times in 6', () => {
    const periods = [0, 4, 8, 12, 16, 20, 24];
    const result = simulate(
      parseScenario(scenarioFromCalibration(c, { horizonWeeks: 24, replications: 200, seed: 3, periods })),
    );
    const inside = periods.slice(0, -1).filter((w, p) => {
      const actual = issuedBetween(future, addDays(TO, Math.max(1, 7 * w)), addDays(TO, 7 * periods[p + 1]!)).issued;
      const band = result.periods[p]!.completed;
      return actual >= band.p10! && actual <= band.p90!;
    });
    // 80% ranges cover each period with probability 0.8 if calibrated: 4 or more of 6 then has probability 0.90.
    expect(inside.length).toBeGreaterThanOrEqual(4);
  });
});
