/** The forecast page's words, from the figures: load warnings, the back-test's sentence and the Monte Carlo error. */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import type { BackTestMeasure, BackTestResult } from '../../../domain/forecast/backTest.js';
import { backTestView, monteCarloText, recalibrationText } from './forecastView.js';
import { scenarioWarningText } from './scenarios.js';
import { loadWarningText } from './stages.js';

describe('load warnings', () => {
  it('name the stage in plain words and say what demand over capacity means', () => {
    expect(loadWarningText({ stage: 'advice', load: 1.094 })).toBe(
      'Decision to the last advice received: requests reach this stage faster than it has ever dealt with them (demand is 109% of what it has shown it can do), so its queue grows.',
    );
    expect(loadWarningText({ stage: 'drafting', load: null })).toBe(
      'Last advice to decision whether to issue: this stage has no capacity in the forecast, so requests reaching it wait there and its queue grows.',
    );
  });

  it('on the scenario results, name the scenario once, in one sentence', () => {
    expect(scenarioWarningText('Current capacity', { stage: 'advice', load: 1.094 })).toBe(
      'In “Current capacity”, decision to the last advice received: requests reach this stage faster than it has ever dealt with them (demand is 109% of what it has shown it can do), so its queue grows.',
    );
  });
});

/**
 * A measure with `inside` of `n` month-points inside the range (`insideRaw` inside the simulation's own range, and
 * `corrected` of them corrected) and the two mean errors.
 */
function measure(
  id: BackTestMeasure['id'],
  inside: number,
  n: number,
  errors: [number, number],
  { insideRaw = inside, corrected = n }: { insideRaw?: number; corrected?: number } = {},
): BackTestMeasure {
  const points = Array.from({ length: n }, (_, i) => ({
    origin: '2026-01-01' as LocalDate,
    month: '2026-01',
    forecast: { p10: 1, p50: 2, p90: 3 },
    raw: { p10: 1, p50: 2, p90: 3 },
    corrected: i < corrected,
    naive: 2,
    actual: 2,
    inside: i < inside,
    insideRaw: i < insideRaw,
  }));
  return {
    id,
    band: null,
    points,
    inside,
    insideRaw,
    forecastError: errors[0],
    naiveError: errors[1],
    correctionNow: null,
  };
}

describe('the back-test’s sentence', () => {
  const result = (measures: BackTestMeasure[]): BackTestResult => ({
    month: '2026-12',
    origins: ['2026-01-01' as LocalDate],
    ageBands: [],
    measures,
    recalibrationMonths: 12,
  });

  it('says which measures meet the goal of 70% to 90% inside, which do not and why, and which beat the naive forecast', () => {
    const view = backTestView(result([measure('issued', 8, 10, [1, 2]), measure('share', 5, 10, [0.2, 0.1])]));
    expect(view.sentence).toBe(
      'The forecast’s 80% range held what happened in 70% to 90% of months, as it should, for 1 of 2 measures (plans issued); for the other 1 its ranges were too narrow. Its middle figure was closer to what happened than the average of the 3 months before for 1 of 2 measures (not for the share within 20 weeks).',
    );
    expect(view.rows.map((r) => [r.row, r.inside, r.forecastError, r.naiveError])).toEqual([
      ['Plans issued in the month', '8 of 10 (80%)', '1', '2'],
      ['Plans issued within 20 weeks (share)', '5 of 10 (50%)', '20 percentage points', '10 percentage points'],
    ]);
  });

  it('counts exactly 70% and 90% as meeting the goal, 95% as too wide, and a tie as not beating the naive forecast', () => {
    const view = backTestView(result([measure('issued', 7, 10, [1, 1]), measure('share', 9, 10, [0.1, 0.1])]));
    expect(view.sentence).toBe(
      'For both measures, the forecast’s 80% range held what happened in 70% to 90% of months, as it should. Its middle figure was no closer to what happened than the average of the 3 months before for any measure.',
    );
    const wide = backTestView(result([measure('issued', 19, 20, [1, 2])]));
    expect(wide.sentence).toBe(
      'The forecast’s 80% range did not hold what happened in 70% to 90% of months, as it should, for the measure: its ranges were too wide. Its middle figure was closer to what happened than the average of the 3 months before for the measure.',
    );
    const mixed = backTestView(
      result([measure('issued', 5, 10, [1, 2]), measure('share', 10, 10, [1, 2]), measure('share', 8, 10, [3, 2])]),
    );
    expect(mixed.sentence).toContain(
      'for 1 of 3 measures (the share within 20 weeks); for 1 its ranges were too narrow and for 1 too wide.',
    );
    expect(mixed.sentence).toContain('for 2 of 3 measures (not for the share within 20 weeks).');
  });

  it('says the ranges are corrected by the method’s own past errors, and gives the months inside the simulation’s own', () => {
    const view = backTestView(result([measure('issued', 46, 57, [13.5, 16], { insideRaw: 27 })]));
    expect(view.correction).toBe(
      'Each range is the simulation’s, corrected by how far the same method’s forecasts made in the 12 months before it were from what happened. Without the correction they held fewer months (the last column).',
    );
    expect(view.rows[0]!.insideRaw).toBe('27 of 57 (47%)');
    const none = backTestView(result([measure('issued', 8, 10, [1, 2], { corrected: 0 })]));
    expect(none.correction).toBe(
      'There were too few earlier forecasts to correct the ranges by: they are the simulation’s own.',
    );
    const some = backTestView(result([measure('issued', 8, 10, [1, 2], { corrected: 4, insideRaw: 9 })]));
    expect(some.correction).toBe(
      'Each range is the simulation’s, corrected by how far the same method’s forecasts made in the 12 months before it were from what happened, where there were 9 or more of them (4 of 10 months). Without the correction they held more months (the last column).',
    );
  });
});

describe('the Monte Carlo error', () => {
  it('gives the tails’ error with the futures run and how many futures would hold them to the tolerance', () => {
    const text = monteCarloText({
      months: 23,
      issued: {
        replications: 200,
        p10: 200,
        p50: 250,
        p90: 300,
        se: { p10: 4, p50: 3, p90: 5 },
        tolerance: 2.5,
        replicationsForTolerance: 800,
      },
      share: {
        replications: 200,
        p10: 0.4,
        p50: 0.5,
        p90: 0.6,
        se: { p10: 0.012, p50: 0.01, p90: 0.008 },
        tolerance: 0.01,
        replicationsForTolerance: 288,
      },
    });
    expect(text).toBe(
      'With 200 futures, the 10th and 90th percentiles of the plans issued over the next 23 months are within ±5 plans of where many more futures would put them (one Monte Carlo standard error) and those of the share within 20 weeks within ±1.2 percentage points; holding the tails to a twentieth of the 80% range (±2.5 plans, ±1 percentage point) would take about 800 futures.',
    );
  });
});

describe('the forecast’s ranges, corrected or not', () => {
  const c = { q10: -1.8, q90: 2.1, n: 57 };
  it('says when the ranges carry the correction by the method’s own past errors, and when only some do', () => {
    expect(recalibrationText({ issued: c, share: c, openByAge: [c, c] })).toBe(
      'The ranges are corrected by how far this method’s forecasts made in the last 12 months were from what happened (the back-test below): the simulation alone leaves out some of what makes real months vary.',
    );
    expect(recalibrationText({ issued: c, share: null, openByAge: [c] })).toContain(
      '(the back-test below), for the figures with enough of them:',
    );
    expect(recalibrationText({ issued: null, share: null, openByAge: [null] })).toBe(
      'The ranges are the simulation’s own: there were too few forecasts from the last 12 months to check them against what happened.',
    );
    expect(recalibrationText(undefined)).toBeNull();
  });
});
