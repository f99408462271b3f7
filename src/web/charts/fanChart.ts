/**
 * The geometry of a fan chart, drawn as server-rendered SVG by views/partials/charts.njk: for each month, the band
 * from the 10th to the 90th percentile of the simulated futures and the median line, with an optional target line.
 * Always shown with a table of the same figures.
 */
import { scaleLinear } from 'd3-scale';
import { formatMonth } from '../../domain/dates/localDate.js';
import { formatValue, shortMonthLabel } from './spcChart.js';

export interface FanPoint {
  month: string;
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

export interface FanChartModel {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  bandPath: string;
  medianPath: string;
  target: { y: number; label: string } | null;
  summary: string;
  empty: boolean;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function fanChartModel(
  points: readonly FanPoint[],
  options: { unit: string; target?: number | null; width?: number; height?: number },
): FanChartModel {
  const width = options.width ?? 640;
  const height = options.height ?? 260;
  const plot = { left: 52, top: 12, right: width - 30, bottom: height - 36 };
  const shown = points.filter((p) => p.p10 !== null && p.p50 !== null && p.p90 !== null);
  const values = shown.flatMap((p) => [p.p10!, p.p90!]);
  if (options.target !== null && options.target !== undefined) values.push(options.target);
  const percent = options.unit === '%';
  const lo = percent ? 0 : Math.min(0, ...values);
  const hi = percent ? 100 : Math.max(1, ...values);
  const y = scaleLinear().domain([lo, hi]).nice(5).range([plot.bottom, plot.top]);
  const step = points.length > 1 ? (plot.right - plot.left) / (points.length - 1) : 0;
  const x = (i: number) => plot.left + i * step;
  const index = new Map(points.map((p, i) => [p.month, i]));
  const upper = shown.map((p) => `${round(x(index.get(p.month)!))} ${round(y(p.p90!))}`);
  const lower = shown.map((p) => `${round(x(index.get(p.month)!))} ${round(y(p.p10!))}`).reverse();
  const every = Math.max(1, Math.ceil(points.length / 8));
  const first = shown[0];
  const last = shown[shown.length - 1];
  return {
    width,
    height,
    plot,
    yTicks: y.ticks(5).map((t) => ({ y: round(y(t)), label: formatValue(t, options.unit) })),
    xTicks: points
      .map((p, i) => ({ i, p }))
      .filter(({ i }) => i % every === 0)
      .map(({ i, p }) => ({ x: round(x(i)), label: shortMonthLabel(p.month) })),
    bandPath: shown.length ? `M${upper.join('L')}L${lower.join('L')}Z` : '',
    medianPath: shown.length
      ? `M${shown.map((p) => `${round(x(index.get(p.month)!))} ${round(y(p.p50!))}`).join('L')}`
      : '',
    target:
      options.target === null || options.target === undefined
        ? null
        : { y: round(y(options.target)), label: `Target ${formatValue(options.target, options.unit)}` },
    summary:
      first && last
        ? `Forecast from ${formatMonth(first.month)} to ${formatMonth(last.month)}: median ${formatValue(first.p50!, options.unit)} then ${formatValue(last.p50!, options.unit)}; 8 in 10 futures between ${formatValue(last.p10!, options.unit)} and ${formatValue(last.p90!, options.unit)} in the last month.`
        : 'No forecast figures.',
    empty: shown.length === 0,
  };
}
