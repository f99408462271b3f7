/**
 * The capacity estimate under heavy, steady queueing (issue 25): an advice stage overloaded for a long spell, its
 * queue never emptying in the months calibrated on (the last six), must give back its capacity.
 *
 * The process (times in days): requests Poisson at 9 a week until 1 July 2023 and 11 a week after, with no season,
 * decided after exactly 2 weeks, all assessed; advice first come, first served by 60 servers, each case taking a
 * lognormal time with mean 6 weeks (sd 2), so a capacity of 60 / 6 = 10 a week: from July 2023 a queue that grows by
 * about 1 a week for 18 months and never drains (some 80 waiting at the end, 8 weeks' work). Drafting and final plan:
 * 1 week each, all issued.
 */
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, localDate } from '../dates/localDate.js';
import { calibrate, stageServers, type CaseHistory } from './calibrate.js';
import { Streams } from './random.js';

const START = localDate('2022-01-01');
const TO = localDate('2024-12-31');
const RATE = { before: 9, after: 12 };
const OVERLOADED = localDate('2023-07-01');
const SERVERS = 60;
const SERVICE = { mean: 6, sd: 2 };

function county(servers: number, seed: number): CaseHistory[] {
  const rng = new Streams(4);
  rng.reseed(seed, 0);
  const horizon = daysBetween(START, TO);
  const s2 = Math.log(1 + (SERVICE.sd / SERVICE.mean) ** 2);
  const free = new Array<number>(servers).fill(0);
  const cases: CaseHistory[] = [];
  const at = (t: number) => (t > horizon ? null : addDays(START, Math.floor(t)));
  const spell = daysBetween(START, OVERLOADED);
  // Arrivals by thinning a Poisson process at the higher rate (Lewis and Shedler).
  for (let t = (7 * rng.exponential(0)) / RATE.after; t < horizon; t += (7 * rng.exponential(0)) / RATE.after) {
    if (t < spell && rng.next(0) * RATE.after >= RATE.before) continue;
    const decided = t + 14;
    const j = free.indexOf(Math.min(...free));
    const start = Math.max(decided, free[j]!);
    free[j] = start + 7 * Math.exp(Math.log(SERVICE.mean) - s2 / 2 + Math.sqrt(s2) * rng.normal(1));
    const adviceDone = at(free[j]);
    const issueDecided = adviceDone ? at(free[j] + 7) : null;
    cases.push({
      received: at(t)!,
      decided: at(decided),
      assess: at(decided) ? true : null,
      adviceDone,
      issueDecided,
      issue: issueDecided ? true : null,
      finalIssued: issueDecided ? at(free[j] + 14) : null,
      closed: null,
    });
  }
  return cases;
}

describe('a stage overloaded for a long spell', () => {
  it('gives back its capacity, 10 a week, within 10% in each of five counties made by the process', () => {
    // In a queue that never empties the servers and the service time are not known apart: with c' servers instead of
    // c, every case's service is counted from c' - c departures earlier (or later), the same few days for all, so
    // more servers and longer service fit as well (Little's law keeps servers / mean service at the throughput).
    // The capacity is known: what the stage finished a week while it had a queue.
    for (const seed of [1, 2, 3, 4, 5]) {
      const c = calibrate(county(SERVERS, seed), START, TO, { recentFrom: localDate('2024-07-01') });
      const capacity = SERVERS / SERVICE.mean;
      expect(c.capacityPerWeek.advice, `seed ${seed}`).not.toBeNull();
      expect(Math.abs(c.capacityPerWeek.advice! / capacity - 1), `seed ${seed}`).toBeLessThan(0.1);
      // Servers x mean service (Little's law) is the capacity the forecast runs with.
      expect(stageServers(c, 'advice')! / c.queues.advice!.service.meanWeeks!).toBeCloseTo(
        c.capacityPerWeek.advice!,
        6,
      );
    }
  });
});
