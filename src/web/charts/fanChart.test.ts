/** The fan chart's geometry: the band runs along the 90th percentiles and back along the 10th; the median between. */
import { describe, expect, it } from 'vitest';
import { fanChartModel } from './fanChart.js';

describe('a fan chart', () => {
  const points = [
    { month: '2027-01', p10: 40, p50: 50, p90: 60 },
    { month: '2027-02', p10: null, p50: null, p90: null },
    { month: '2027-03', p10: 50, p50: 60, p90: 70 },
  ];
  const chart = fanChartModel(points, { unit: '%', target: 60, width: 330, height: 136 });

  it('draws the band over the months with figures, upper edge out and lower edge back, on a 0-100% scale', () => {
    // Plot 52..300 across, 12..100 down: 0% at 100, 100% at 12, so 60% is at 47.2, 70% at 38.4.
    expect(chart.bandPath).toBe('M52 47.2L300 38.4L300 56L52 64.8Z');
    expect(chart.medianPath).toBe('M52 56L300 47.2');
    expect(chart.target).toEqual({ y: 47.2, label: 'Target 60%' });
    expect(chart.empty).toBe(false);
  });

  it('says in words what it shows, and that there is nothing to show when no month has figures', () => {
    expect(chart.summary).toContain('median 50% then 60%');
    expect(fanChartModel([points[1]!], { unit: '%' }).empty).toBe(true);
  });
});
