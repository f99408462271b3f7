/**
 * Assurance of a commitment (shared/reference/spc-method.md, "Icons"): the assurance icon from the latest limits
 * against the target, mirrored by direction; the variation icon of the latest month; and the commitment's own
 * trajectory from the baseline through its milestones to its target. The steady series alternates 69 and 71: mean 70,
 * every moving range 2, process limits 70 +/- 2.66 x 2 = 64.68 and 75.32.
 */
import { describe, expect, it } from 'vitest';
import { assess, meets, monthAt, monthIndex, trajectoryFor, type AssuranceInput } from './assurance.js';

function months(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => monthAt(monthIndex(from) + i));
}

/** 24 months from January 2024 alternating 69, 71. */
const STEADY = months('2024-01', 24).map((month, i) => ({ month, value: i % 2 === 0 ? 69 : 71 }));

function input(overrides: Partial<AssuranceInput>): AssuranceInput {
  return {
    polarity: 'increase',
    baseline: null,
    milestones: [],
    target: { month: '2026-12', value: 60 },
    series: STEADY,
    ...overrides,
  };
}

describe('the assurance icon, for each direction', () => {
  it('higher is better: a target below the lower limit (64.68) is passed consistently, above the upper (75.32) failed', () => {
    expect(assess(input({ target: { month: '2026-12', value: 60 } })).assurance).toBe('consistent_pass');
    expect(assess(input({ target: { month: '2026-12', value: 80 } })).assurance).toBe('consistent_fail');
    expect(assess(input({ target: { month: '2026-12', value: 70 } })).assurance).toBe('inconsistent');
  });

  it('lower is better: the same limits read the other way', () => {
    const lower = (value: number) =>
      assess(input({ polarity: 'decrease', target: { month: '2026-12', value } })).assurance;
    expect(lower(60)).toBe('consistent_fail');
    expect(lower(80)).toBe('consistent_pass');
    expect(lower(70)).toBe('inconsistent');
  });

  it('a target between the limits is hit and miss whichever the direction', () => {
    for (const polarity of ['increase', 'decrease'] as const) {
      expect(assess(input({ polarity, target: { month: '2026-12', value: 65 } })).assurance).toBe('inconsistent');
    }
  });
});

describe('the variation of the latest month', () => {
  const drop = [...STEADY.slice(0, 23), { month: '2025-12', value: 50 }];

  it('a fall below the lower limit is a concern when higher is better', () => {
    const a = assess(input({ series: drop }));
    expect(a.variationIcon).toBe('concern_low');
    expect(a.concern).toBe(true);
  });

  it('the same fall is an improvement when lower is better', () => {
    const a = assess(input({ series: drop, polarity: 'decrease', target: { month: '2026-12', value: 40 } }));
    expect(a.variationIcon).toBe('improvement_low');
    expect(a.concern).toBe(false);
  });

  it('common cause when nothing has changed', () => {
    expect(assess(input({})).variationIcon).toBe('common_cause');
  });
});

describe('the trajectory', () => {
  it('runs in straight lines from the baseline through each milestone to the target', () => {
    const line = trajectoryFor(
      [
        { month: '2024-01', value: 40 },
        { month: '2024-07', value: 52 },
        { month: '2025-01', value: 60 },
      ],
      ['2023-12', '2024-01', '2024-04', '2024-07', '2024-10', '2025-01', '2025-02'],
    );
    expect(line).toEqual([null, 40, 46, 52, 56, 60, null]);
  });

  it('extends the chart to the target month, with the trajectory drawn into the future', () => {
    const a = assess(
      input({
        baseline: { month: '2025-12', value: 70 },
        target: { month: '2026-06', value: 76 },
      }),
    );
    expect(a.months.at(-1)).toBe('2026-06');
    expect(a.months).toHaveLength(24 + 6);
    expect(a.values.slice(24).every((v) => v === null)).toBe(true);
    expect(a.trajectory.slice(23)).toEqual([70, 71, 72, 73, 74, 75, 76]);
  });
});

describe('milestones and the latest month', () => {
  // Rising by 2 a month from 40 in January 2025 to 62 in December 2025.
  const rising = months('2025-01', 12).map((month, i) => ({ month, value: 40 + 2 * i }));

  it('judges each past milestone against the value in its month; future ones are not yet due', () => {
    const a = assess(
      input({
        series: rising,
        baseline: { month: '2024-12', value: 38 },
        milestones: [
          { month: '2025-03', value: 44 },
          { month: '2025-06', value: 52 },
          { month: '2026-03', value: 65 },
        ],
        target: { month: '2026-07', value: 70 },
      }),
    );
    expect(a.milestones.map((m) => [m.month, m.actual, m.status])).toEqual([
      ['2025-03', 44, 'met'],
      ['2025-06', 50, 'missed'],
      ['2026-03', null, 'not_due'],
      ['2026-07', null, 'not_due'],
    ]);
    // December 2025: 62 against the line from 52 (June 2025) to 65 (March 2026): 52 + 13 x 6/9 = 60.67.
    expect(a.latest!.value).toBe(62);
    expect(a.latest!.expected).toBeCloseTo(60.667, 3);
    expect(a.latest!.onTrack).toBe(true);
    expect(a.status).toBe('on_track');
  });

  it('on the line counts as meeting it, in either direction', () => {
    expect(meets(60, 60, 'increase')).toBe(true);
    expect(meets(60, 60, 'decrease')).toBe(true);
    expect(meets(59.9, 60, 'increase')).toBe(false);
    expect(meets(59.9, 60, 'decrease')).toBe(true);
  });

  it('a lower-is-better commitment above its line is off track', () => {
    // The backlog: 400 over 20 weeks in December 2025, to fall to 100 by December 2026; 380 is above the line.
    const backlog = months('2025-01', 13).map((month, i) => ({ month, value: i < 12 ? 400 : 380 }));
    const a = assess(
      input({
        polarity: 'decrease',
        series: backlog,
        baseline: { month: '2025-12', value: 400 },
        target: { month: '2026-12', value: 100 },
      }),
    );
    expect(a.latest!.expected).toBe(375);
    expect(a.status).toBe('off_track');
  });

  it('says whether the target was met once its month has a figure, and missed in a month with no figure is "no data"', () => {
    const met = assess(input({ series: rising, target: { month: '2025-10', value: 58 } }));
    expect(met.status).toBe('target_met');
    const missed = assess(input({ series: rising, target: { month: '2025-10', value: 60 } }));
    expect(missed.status).toBe('target_missed');
    const gap = rising.map((p) => (p.month === '2025-10' ? { ...p, value: null } : p));
    const noFigure = assess(input({ series: gap, target: { month: '2025-10', value: 58 } }));
    expect(noFigure.milestones.at(-1)!.status).toBe('no_data');
  });

  it('after the target date, the latest month is held to the target, not said to be before the trajectory', () => {
    // Target 60 for October 2025; the latest month is December 2025 (62): it meets the target it is now held to.
    const after = assess(input({ series: rising, target: { month: '2025-10', value: 60 } }));
    expect(after.latest).toMatchObject({ month: '2025-12', value: 62, expected: 60, onTrack: true, pastTarget: true });
    expect(after.status).toBe('target_missed');
    const short = assess(input({ series: rising, target: { month: '2025-10', value: 70 } }));
    expect(short.latest).toMatchObject({ expected: 70, onTrack: false, pastTarget: true });
  });

  it('has nothing to judge without figures, and does not judge a month before the trajectory starts', () => {
    expect(assess(input({ series: [] })).status).toBe('no_data');
    expect(assess(input({ series: [] })).spc).toBeNull();
    const early = assess(input({ baseline: { month: '2026-01', value: 70 }, target: { month: '2026-12', value: 80 } }));
    expect(early.latest!.expected).toBeNull();
    expect(early.status).toBe('not_yet_judged');
  });
});

describe('one status from the trajectory and the assurance together', () => {
  // The steady series ends in December 2025 at 71 (limits 64.68 to 75.32). The trajectory starts from a baseline of 71
  // in December 2025: the latest month is exactly on it.
  const onLine = (target: number, polarity: 'increase' | 'decrease' = 'increase') =>
    assess(
      input({
        polarity,
        baseline: { month: '2025-12', value: 71 },
        target: { month: '2026-12', value: target },
        series: STEADY,
      }),
    );

  it('on the trajectory, with a target above the upper limit (consistently fails): not "on track", and says why', () => {
    const a = onLine(80);
    expect(a.latest!.onTrack).toBe(true);
    expect(a.assurance).toBe('consistent_fail');
    expect(a.variationIcon).toBe('common_cause');
    expect(a.status).toBe('on_trajectory_process_fails');
  });

  it('on the trajectory, with a target the process sometimes meets or always passes: on track', () => {
    expect(onLine(72).assurance).toBe('inconsistent');
    expect(onLine(72).status).toBe('on_track');
    expect(onLine(71).status).toBe('on_track');
  });

  it('the same for lower is better: a target below the lower limit consistently fails', () => {
    const a = onLine(60, 'decrease');
    expect(a.latest!.onTrack).toBe(true);
    expect(a.assurance).toBe('consistent_fail');
    expect(a.status).toBe('on_trajectory_process_fails');
  });

  it('behind the trajectory stays "behind", whatever the assurance', () => {
    const behind = assess(
      input({ baseline: { month: '2025-06', value: 72 }, target: { month: '2026-12', value: 80 }, series: STEADY }),
    );
    expect(behind.latest!.onTrack).toBe(false);
    expect(behind.assurance).toBe('consistent_fail');
    expect(behind.status).toBe('off_track');
  });

  it('a latest month that is a special cause of improvement is on track: the process is changing', () => {
    // Rising by 2 a month: the last 7 points are a trend (improvement, high), though the limits from the whole
    // series (51 +/- 5.32) are all below the target of 70.
    const rising = months('2025-01', 12).map((month, i) => ({ month, value: 40 + 2 * i }));
    const a = assess(
      input({ series: rising, baseline: { month: '2024-12', value: 38 }, target: { month: '2026-07', value: 70 } }),
    );
    expect(a.assurance).toBe('consistent_fail');
    expect(a.variationIcon).toBe('improvement_high');
    expect(a.latest!.onTrack).toBe(true);
    expect(a.status).toBe('on_track');
  });

  it('the target month decides once it has a figure', () => {
    const met = assess(input({ target: { month: '2025-12', value: 71 }, series: STEADY }));
    expect(met.status).toBe('target_met');
  });
});
