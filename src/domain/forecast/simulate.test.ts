/**
 * The simulator against queueing theory's closed forms (shared/reference/forecasting.md): each simulated estimate must
 * fall within 4 standard errors of the replication means (its Monte Carlo error) of the exact value. Time units here
 * are whatever the example uses; the simulator calls them weeks.
 */
import { describe, expect, it } from 'vitest';
import { erlangC, mmcMeanWait } from './queueing.js';
import { parseScenario, ScenarioError } from './scenario.js';
import { simulate, tailOf } from './simulate.js';

function scenario(overrides: Record<string, unknown>) {
  return parseScenario({ seed: 11, replications: 20, warmupWeeks: 500, horizonWeeks: 10_500, ...overrides });
}

function within(estimate: number | null, exact: number, error: number | null, floor = 1e-3) {
  expect(estimate).not.toBeNull();
  expect(error).not.toBeNull();
  expect(Math.abs(estimate! - exact)).toBeLessThanOrEqual(4 * error! + floor);
}

describe('against M/M/c (Erlang C)', () => {
  it('M/M/3, lambda 0.2, mu 0.1: C = 4/9 wait, Wq = 4.444, utilisation 2/3, Little L = lambda W', () => {
    const r = simulate(
      scenario({
        horizonWeeks: 20_500,
        arrivals: { ratePerWeek: 0.2 },
        stages: [{ id: 'ep', servers: 3, service: { distribution: 'exponential', meanWeeks: 10 } }],
      }),
    );
    const [ep] = r.stages;
    within(ep!.shareWaiting, 4 / 9, r.standardError.stages[0]!.shareWaiting);
    within(ep!.meanWaitWeeks, 40 / 9, r.standardError.stages[0]!.meanWaitWeeks);
    expect(ep!.utilisation).toBeCloseTo(2 / 3, 1);
    // Little's law: the mean number in the pipeline is the arrival rate times the mean time in it (4.444 + 10).
    expect(r.overall.meanInSystem / (0.2 * (40 / 9 + 10))).toBeCloseTo(1, 1);
    within(r.overall.meanTimeInSystemWeeks, 40 / 9 + 10, r.standardError.meanTimeInSystemWeeks);
  });

  it('offered load 2.5 (30 an hour, 5 minutes each): P(wait) 0.702 / 0.320 / 0.130 / 0.047 for 3 / 4 / 5 / 6', () => {
    for (const c of [3, 4, 5, 6]) {
      const r = simulate(
        scenario({
          warmupWeeks: 20,
          horizonWeeks: 420,
          arrivals: { ratePerWeek: 30 },
          stages: [{ id: 'desk', servers: c, service: { distribution: 'exponential', meanWeeks: 1 / 12 } }],
        }),
      );
      within(r.stages[0]!.shareWaiting, erlangC(c, 2.5), r.standardError.stages[0]!.shareWaiting);
      within(r.stages[0]!.meanWaitWeeks, mmcMeanWait(c, 30, 12), r.standardError.stages[0]!.meanWaitWeeks);
    }
  });
});

describe('against M/M/1 and a tandem of M/M/1 stages', () => {
  it('lambda 0.9, mu 1: Wq = 9, and time in system is exponential with rate 0.1 (P(T <= 10) = 1 - e^-1)', () => {
    const r = simulate(
      scenario({
        replications: 16,
        warmupWeeks: 2_000,
        horizonWeeks: 102_000,
        targetWeeks: 10,
        arrivals: { ratePerWeek: 0.9 },
        stages: [{ id: 'one', servers: 1, service: { distribution: 'exponential', meanWeeks: 1 } }],
      }),
    );
    within(r.stages[0]!.meanWaitWeeks, 9, r.standardError.stages[0]!.meanWaitWeeks);
    within(r.overall.shareWithinTarget, 1 - Math.exp(-1), r.standardError.shareWithinTarget);
    within(r.overall.meanTimeInSystemWeeks, 10, r.standardError.meanTimeInSystemWeeks);
  });

  it('a tandem of stable M/M/1 stages: each sees Poisson arrivals (Burke), so the times add: 1/0.5 + 1/0.3', () => {
    const r = simulate(
      scenario({
        arrivals: { ratePerWeek: 0.5 },
        stages: [
          { id: 'first', servers: 1, service: { distribution: 'exponential', meanWeeks: 1 } },
          { id: 'second', servers: 1, service: { distribution: 'exponential', meanWeeks: 1.25 } },
        ],
      }),
    );
    within(r.overall.meanTimeInSystemWeeks, 2 + 1 / 0.3, r.standardError.meanTimeInSystemWeeks);
    // Waits in the queue, rho / (mu - lambda): 0.5 / 0.5 = 1 at the first, 0.625 / 0.3 = 2.083 at the second.
    within(r.stages[0]!.meanWaitWeeks, 1, r.standardError.stages[0]!.meanWaitWeeks);
    within(r.stages[1]!.meanWaitWeeks, 0.625 / 0.3, r.standardError.stages[1]!.meanWaitWeeks);
  });
});

describe('the pipeline’s own features', () => {
  const pipeline = {
    replications: 5,
    warmupWeeks: 0,
    horizonWeeks: 100,
    arrivals: { ratePerWeek: 10 },
    stages: [
      { id: 'decision', servers: null, service: { distribution: 'fixed', weeks: 6 }, proceedProbability: 0.75 },
      { id: 'advice', servers: null, service: { distribution: 'fixed', weeks: 6 }, proceedProbability: 0.9 },
      { id: 'final', servers: null, service: { distribution: 'fixed', weeks: 8 } },
    ],
  };

  it('is reproducible by seed, and another seed gives another run', () => {
    const a = simulate(scenario({ ...pipeline, seed: 3 }));
    const b = simulate(scenario({ ...pipeline, seed: 3 }));
    const c = simulate(scenario({ ...pipeline, seed: 4 }));
    expect(b).toEqual(a);
    expect(c.overall.completed).not.toBe(a.overall.completed);
  });

  it('pure delays add up exactly, and proceed probabilities thin the flow (10 x 100 x 0.75 x 0.9 complete)', () => {
    const r = simulate(scenario({ ...pipeline, replications: 40, targetWeeks: 20 }));
    expect(r.overall.meanTimeInSystemWeeks).toBeCloseTo(20, 10);
    expect(r.overall.shareWithinTarget).toBe(1);
    expect(r.overall.completed / (10 * 100 * 0.75 * 0.9)).toBeCloseTo(1, 1);
    expect((r.overall.completed + r.overall.left) / 1000).toBeCloseTo(1, 1);
    expect(r.stages.map((s) => s.utilisation)).toEqual([null, null, null]);
  });

  it('a lognormal delay has the mean asked for', () => {
    const r = simulate(
      scenario({
        replications: 10,
        warmupWeeks: 0,
        horizonWeeks: 1000,
        arrivals: { ratePerWeek: 5 },
        stages: [{ id: 'd', servers: null, service: { distribution: 'lognormal', meanWeeks: 3, sdWeeks: 2 } }],
      }),
    );
    within(r.overall.meanTimeInSystemWeeks, 3, r.standardError.meanTimeInSystemWeeks);
  });

  it('starts from a backlog and counts completions by period for fan charts', () => {
    const r = simulate(
      scenario({
        replications: 50,
        warmupWeeks: 0,
        horizonWeeks: 52,
        targetWeeks: 20,
        arrivals: { ratePerWeek: 0 },
        stages: [{ id: 'advice', servers: 2, service: { distribution: 'fixed', weeks: 1 } }],
        backlog: Array.from({ length: 10 }, () => ({ stage: 'advice', ageWeeks: 18 })),
        periods: [0, 2, 4, 6],
      }),
    );
    // Two at a time, a week each, done at weeks 1, 2, 3, 4 and 5, aged 19, 20, 21, 22 and 23 weeks: weeks [0, 2)
    // have 2 (within 20 weeks), [2, 4) have 4 (half within: 20 is within), [4, 6) have 4 (none within).
    expect(r.periods.map((p) => p.completed.p50)).toEqual([2, 4, 4]);
    expect(r.periods.map((p) => p.shareWithinTarget.p50)).toEqual([1, 0.5, 0]);
  });

  it('counts the cases still open at the end of each period by age band (under 6, 6-20, 20-52, 52+ weeks)', () => {
    const r = simulate(
      scenario({
        replications: 5,
        warmupWeeks: 0,
        horizonWeeks: 52,
        arrivals: { ratePerWeek: 0 },
        stages: [{ id: 'advice', servers: 2, service: { distribution: 'fixed', weeks: 1 } }],
        backlog: Array.from({ length: 10 }, () => ({ stage: 'advice', ageWeeks: 18 })),
        periods: [0, 2, 4, 6],
      }),
    );
    // Done two a week at weeks 1 to 5. At the end of [0, 2) the two finishing at week 2 are still open (they count in
    // the next period), so 8 are open, aged 20 weeks: 20 is in the band from 20 weeks. Then 4, then none.
    expect(r.periods.map((p) => p.openByAge.map((b) => b.p50))).toEqual([
      [0, 0, 8, 0],
      [0, 0, 4, 0],
      [0, 0, 0, 0],
    ]);
    expect(r.periods.map((p) => p.open.p50)).toEqual([8, 4, 0]);
  });

  it('measures how far the backlog’s long waiters pull a period’s share within target down', () => {
    const r = simulate(
      scenario({
        replications: 3,
        warmupWeeks: 0,
        horizonWeeks: 10,
        targetWeeks: 20,
        arrivals: { ratePerWeek: 0 },
        stages: [{ id: 'drafting', servers: 4, service: { distribution: 'fixed', weeks: 1 } }],
        backlog: [30, 30, 1, 1].map((ageWeeks) => ({ stage: 'drafting', ageWeeks })),
        periods: [0, 2],
      }),
    );
    // All four finish at week 1: the two aged 30 weeks late, the two aged 1 within 20 weeks. Half are within; without
    // the long waiters all would be: they pull the share down by 0.5.
    expect(r.periods[0]!.shareWithinTarget.p50).toBe(0.5);
    expect(r.periods[0]!.longWaiterPushDown.p50).toBe(0.5);
  });

  it('draws a stage’s time from the group for the case’s age on reaching it (deadline-driven work)', () => {
    const r = simulate(
      scenario({
        replications: 2,
        warmupWeeks: 0,
        horizonWeeks: 1,
        arrivals: { ratePerWeek: 0 },
        stages: [
          { id: 'drafting', servers: null, service: { distribution: 'fixed', weeks: 3 } },
          {
            id: 'final',
            servers: null,
            service: { distribution: 'empiricalByAge', ageEdges: [10], groups: [[5], [1]] },
          },
        ],
        // Aged 12 at drafting: reaches final at week 3 aged 15, takes 1 week. Aged 2: reaches it aged 5, takes 5.
        // Aged 14 already 0.5 weeks into final (reached it aged 13.5): its 1 week has half a week left.
        backlog: [
          { stage: 'drafting', ageWeeks: 12 },
          { stage: 'drafting', ageWeeks: 2 },
          { stage: 'final', ageWeeks: 14, stageAgeWeeks: 0.5 },
        ],
        periods: [0, 1, 4.5, 8.5],
      }),
    );
    expect(r.periods.map((p) => p.completed.p50)).toEqual([1, 1, 1]);
    expect(() =>
      scenario({
        warmupWeeks: 0,
        horizonWeeks: 1,
        arrivals: { ratePerWeek: 0 },
        stages: [{ id: 'x', service: { distribution: 'empiricalByAge', ageEdges: [10], groups: [[5]] } }],
      }),
    ).toThrow('stages[0].service.groups: must be 2 lists of durations, one more than the edges');
  });

  it('puts a stage’s backlog in service while servers are free, with its time there so far, and queues the rest', () => {
    const r = simulate(
      scenario({
        replications: 3,
        warmupWeeks: 0,
        horizonWeeks: 20,
        arrivals: { ratePerWeek: 0 },
        stages: [{ id: 'drafting', servers: 2, service: { distribution: 'fixed', weeks: 4 } }],
        backlog: Array.from({ length: 3 }, () => ({ stage: 'drafting', ageWeeks: 10, stageAgeWeeks: 3 })),
        periods: [0, 2, 6],
      }),
    );
    // Two have a week left (done at week 1); the third waits for a server and then takes 4 weeks (done at week 5).
    expect(r.periods.map((p) => p.completed.p50)).toEqual([2, 1]);
  });

  it('new servers from a week on shorten the wait after it', () => {
    const base = {
      replications: 20,
      warmupWeeks: 0,
      horizonWeeks: 104,
      targetWeeks: 20,
      arrivals: { ratePerWeek: 10 },
      periods: [0, 52, 104],
    };
    const stage = { id: 'ep', servers: 8, service: { distribution: 'exponential', meanWeeks: 0.95 } };
    const before = simulate(scenario({ ...base, stages: [stage] }));
    const after = simulate(
      scenario({ ...base, stages: [{ ...stage, capacityChanges: [{ atWeek: 52, servers: 12 }] }] }),
    );
    // The same arrivals and service times up to week 52 (common random numbers): the first year is identical.
    expect(after.periods[0]).toEqual(before.periods[0]);
    expect(after.stages[0]!.meanWaitWeeks).toBeLessThan(before.stages[0]!.meanWaitWeeks);
  });

  it('flags a queue that grows without bound, and still finishes; cases never served are not counted', () => {
    const r = simulate(
      scenario({
        replications: 3,
        warmupWeeks: 0,
        horizonWeeks: 200,
        arrivals: { ratePerWeek: 2 },
        stages: [
          {
            id: 'ep',
            servers: 1,
            service: { distribution: 'exponential', meanWeeks: 1 },
            capacityChanges: [{ atWeek: 50, servers: 0 }],
          },
        ],
      }),
    );
    expect(r.unstable).toBe(true);
    // No servers at all from week 50: no capacity, so no ratio.
    expect(r.warnings).toEqual([{ stage: 'ep', load: null }]);
    expect(r.overall.completed).toBeLessThan(2 * 60);
  });

  it('names the stage whose demand is over its capacity, with demand over capacity (load = arrivals x mean service / servers)', () => {
    const r = simulate(
      scenario({
        replications: 2,
        warmupWeeks: 0,
        horizonWeeks: 20,
        arrivals: { ratePerWeek: 2 },
        stages: [
          { id: 'decision', servers: null, service: { distribution: 'fixed', weeks: 1 } },
          { id: 'ep', servers: 1, service: { distribution: 'exponential', meanWeeks: 0.6 } },
        ],
      }),
    );
    // 2 a week x 0.6 weeks each on 1 server: 120% of capacity. The delay stage has no capacity to exceed.
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]!.stage).toBe('ep');
    expect(r.warnings[0]!.load).toBeCloseTo(1.2, 10);
  });
});

describe('impossible scenarios are refused, naming the field', () => {
  const ok = {
    horizonWeeks: 10,
    arrivals: { ratePerWeek: 1 },
    stages: [{ id: 'a', servers: 1, service: { distribution: 'exponential', meanWeeks: 1 } }],
  };
  const field = (raw: unknown) => {
    try {
      parseScenario(raw);
    } catch (err) {
      if (err instanceof ScenarioError) return err.field;
      throw err;
    }
    return null;
  };

  it.each([
    [{ ...ok, arrivals: { ratePerWeek: -1 } }, 'arrivals.ratePerWeek'],
    [{ ...ok, stages: [{ ...ok.stages[0], proceedProbability: 1.5 }] }, 'stages[0].proceedProbability'],
    [{ ...ok, stages: [{ ...ok.stages[0], servers: 0 }] }, 'stages[0].servers'],
    [{ ...ok, stages: [{ ...ok.stages[0], service: { distribution: 'gamma' } }] }, 'stages[0].service.distribution'],
    [
      { ...ok, stages: [{ ...ok.stages[0], service: { distribution: 'exponential', meanWeeks: 0 } }] },
      'stages[0].service.meanWeeks',
    ],
    [{ ...ok, horizonWeeks: 0 }, 'horizonWeeks'],
    [{ ...ok, warmupWeeks: 20 }, 'horizonWeeks'],
    [{ ...ok, stages: [] }, 'stages'],
    [{ ...ok, stages: [ok.stages[0], ok.stages[0]] }, 'stages[1].id'],
    [{ ...ok, backlog: [{ stage: 'zz', ageWeeks: 1 }] }, 'backlog[0].stage'],
    [{ ...ok, replications: 100_000, horizonWeeks: 100_000, arrivals: { ratePerWeek: 100 } }, 'replications'],
    ['not an object', 'input'],
  ])('%# refuses %j at %s', (raw, expected) => {
    expect(field(raw)).toBe(expected);
  });

  it('accepts the contract’s example', () => {
    expect(
      field({ ...ok, seed: 7, replications: 200, warmupWeeks: 52, horizonWeeks: 520, targetWeeks: 20 }),
    ).toBeNull();
  });
});

describe('the demand’s parameter uncertainty, drawn for each replication', () => {
  // 10 requests a week for 52 weeks, decided at once: the requests a replication sees are Poisson(520) with the rate
  // as given (variance 520, 10th-90th range 520 ± 1.2816 x 22.8 = about ±29); with the rate drawn as 520 x exp(0.2 Z),
  // the range is the lognormal's, 520 x exp(±1.2816 x 0.2) = 402 to 673, about ±135 (Poisson noise adds little).
  const year = (arrivals: Record<string, unknown>) =>
    simulate(
      parseScenario({
        seed: 5,
        replications: 400,
        horizonWeeks: 52,
        arrivals: { ratePerWeek: 10, ...arrivals },
        stages: [{ id: 'decision', servers: null, service: { distribution: 'fixed', weeks: 0 } }],
        periods: [0, 52],
      }),
    ).periods[0]!.completed;

  it('widens the range to the drawn rate’s, where a fixed rate gives the Poisson range only', () => {
    const fixed = year({});
    expect(fixed.p90! - fixed.p10!).toBeGreaterThan(40);
    expect(fixed.p90! - fixed.p10!).toBeLessThan(80);
    const drawn = year({ logRateSd: 0.2 });
    expect(drawn.p10!).toBeGreaterThan(402 - 30);
    expect(drawn.p10!).toBeLessThan(402 + 30);
    expect(drawn.p90!).toBeGreaterThan(673 - 45);
    expect(drawn.p90!).toBeLessThan(673 + 45);
  });

  it('draws the growth too: with a growth uncertain by 0.2 a year, the year’s total varies by about its half-year mean', () => {
    // log rate at week t: 0.2 Z t / 52.18; over the year the total is about 520 x exp(0.2 Z / 2): ±1.2816 x 0.1.
    const drawn = year({ logGrowthSdPerYear: 0.2 });
    expect(drawn.p10!).toBeGreaterThan(520 * Math.exp(-0.128) - 25);
    expect(drawn.p90!).toBeLessThan(520 * Math.exp(0.128) + 25);
    expect(drawn.p90! - drawn.p10!).toBeGreaterThan(100);
  });

  it('refuses an uncertainty that is not a number from 0 to 1', () => {
    expect(() =>
      parseScenario({
        horizonWeeks: 52,
        arrivals: { ratePerWeek: 10, logRateSd: -1 },
        stages: [{ id: 'decision', servers: null, service: { distribution: 'fixed', weeks: 0 } }],
      }),
    ).toThrow('arrivals.logRateSd: must be a number from 0 to 1, not -1');
  });
});

describe('the time left of a case already at its stage (the starting backlog)', () => {
  // Twenty times seen: 1 to 18 weeks, 20 and 26. The tail (simulate.ts tailOf: peaks over a threshold, exponential
  // excess, Davison and Smith 1990) is the longest tenth, 20 and 26, over the time just below them, 18: its mean
  // excess is (2 + 8) / 2 = 5 weeks.
  const times = [...Array.from({ length: 18 }, (_, i) => i + 1), 20, 26];

  /** Completions in each period of `count` backlog cases all `stageAgeWeeks` into a pure delay with these times. */
  function finishing(stageAgeWeeks: number, periods: number[], count = 1000, replications = 5) {
    const r = simulate(
      scenario({
        replications,
        warmupWeeks: 0,
        horizonWeeks: periods[periods.length - 1],
        arrivals: { ratePerWeek: 0 },
        stages: [{ id: 'final', servers: null, service: { distribution: 'empirical', weeks: times } }],
        backlog: Array.from({ length: count }, () => ({ stage: 'final', ageWeeks: 40, stageAgeWeeks })),
        periods,
      }),
    );
    return r.periods.map((p) => p.completed.mean!);
  }

  /** Each period's mean count is within 4 standard errors of count x its probability (a binomial count). */
  function distributed(counts: number[], probabilities: number[], count = 1000, replications = 5) {
    counts.forEach((c, i) => {
      const p = probabilities[i]!;
      expect(Math.abs(c - count * p)).toBeLessThanOrEqual(4 * Math.sqrt((count * p * (1 - p)) / replications));
    });
  }

  it('finds the tail of a list of times: the longest tenth over the time below it, and none in a list of one', () => {
    expect(tailOf(Float64Array.from(times))).toEqual({ from: 18, mean: 5 });
    expect(tailOf(Float64Array.from([3]))).toEqual({ from: 3, mean: 0 });
  });

  it('gives a case older than every time seen an exponential time left with the tail’s mean excess, not none', () => {
    // Exponential with mean 5 weeks (memoryless: whatever the age): a quarter left by each of 5 ln(4/3), 5 ln 2 and
    // 5 ln 4 weeks, 0.15 more by 5 ln 10, the last tenth later. Taken as finishing at once, all would be in the first.
    const beyond = [0, ...[4 / 3, 2, 4, 10].map((r) => 5 * Math.log(r)), 60];
    const probabilities = [0.25, 0.25, 0.25, 0.15, 0.1 - Math.exp(-12)];
    distributed(finishing(30, beyond), probabilities);
    // A case in the tail but not past every time (19 weeks, between 18 and 26) has the same time left.
    distributed(finishing(19, beyond), probabilities);
  });

  it('draws the time left of a case short of the tail from the longer times seen, each as likely', () => {
    // 16.5 weeks in: the times longer are 17, 18, 20 and 26, so 0.5, 1.5, 3.5 or 9.5 weeks left, a quarter each.
    distributed(finishing(16.5, [0, 1, 2, 4, 10]), [0.25, 0.25, 0.25, 0.25]);
  });

  it('gives a case far into a lognormal’s tail its hazard there, from Mills’ ratio, not none', () => {
    // Mean 1, sd 0.1: sigma^2 = ln 1.01, mu = -sigma^2 / 2. At 3 weeks z = (ln 3 - mu) / sigma (about 11; P(T > 3) is
    // about 1e-28, so no draw is longer), and the time left is exponential with mean sigma x 3 / z: half by m ln 2.
    const sigma = Math.sqrt(Math.log(1.01));
    const z = (Math.log(3) + sigma ** 2 / 2) / sigma;
    const m = (sigma * 3) / z;
    const r = simulate(
      scenario({
        replications: 5,
        warmupWeeks: 0,
        horizonWeeks: 10,
        arrivals: { ratePerWeek: 0 },
        stages: [{ id: 'final', servers: null, service: { distribution: 'lognormal', meanWeeks: 1, sdWeeks: 0.1 } }],
        backlog: Array.from({ length: 1000 }, () => ({ stage: 'final', ageWeeks: 40, stageAgeWeeks: 3 })),
        periods: [0, m * Math.log(2), 10],
      }),
    );
    distributed(
      r.periods.map((p) => p.completed.mean!),
      [0.5, 0.5],
    );
  });
});
