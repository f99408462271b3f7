import { describe, expect, it } from 'vitest';
import { analyseSeries } from '../../domain/spc/xmr.js';
import { formatValue, monthLabel, spcChartModel } from './spcChart.js';

describe('the SPC chart geometry', () => {
  it('draws every value, broken at a missing month, with each group’s limits across its own months', () => {
    const points = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05'].map((month, i) => ({
      month,
      value: [50, 60, null, 55, 65][i]!,
    }));
    const spc = analyseSeries(
      points.map((p) => p.value),
      'increase',
    );
    const chart = spcChartModel(points, spc, { unit: '%', target: 60 });
    // Two pieces of line (M ... L ... then M ... L ...), four points, one group's mean and limits.
    expect(chart.valuePath.match(/M/g)).toHaveLength(2);
    expect(chart.points).toHaveLength(4);
    expect(chart.limits).toHaveLength(1);
    expect(chart.target?.label).toBe('Target 60%');
    expect(chart.empty).toBe(false);
    expect(chart.summary).toBe(
      `Monthly values from January 2025 to May 2025, latest 65%; mean ${formatValue(spc.mean!, '%')}, process limits ${formatValue(spc.lpl!, '%')} to ${formatValue(spc.upl!, '%')}.`,
    );
    // Every coordinate is a number inside the drawing.
    for (const p of chart.points) {
      expect(p.x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(p.y).toBeLessThanOrEqual(chart.plot.bottom);
    }
  });

  it('has nothing to draw, and says so, before any month has a value', () => {
    const chart = spcChartModel([], null, { unit: 'plans' });
    expect(chart.empty).toBe(true);
    expect(chart.summary).toBe('No values yet.');
    expect(chart.yTicks.every((t) => Number.isFinite(t.y))).toBe(true);
  });

  it('writes months and figures the GOV.UK way', () => {
    expect(monthLabel('2026-10')).toBe('October 2026');
    expect(formatValue(66.666, '%')).toBe('66.7%');
    expect(formatValue(1070.66, 'requests')).toBe('1,070.7');
  });
});
