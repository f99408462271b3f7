/**
 * The geometry of a Making Data Count XmR chart, drawn as server-rendered SVG by views/partials/charts.njk: the values
 * (broken at missing months), each group's mean, process limits and 2-sigma lines, coloured special-cause points, an
 * optional target and England's published figure as a comparison line. No JavaScript in the browser.
 */
import { scaleLinear } from 'd3-scale';
import { formatMonth, MONTH_NAMES } from '../../domain/dates/localDate.js';
import type { PointType, SpcResult } from '../../domain/spc/xmr.js';

export interface ChartPoint {
  month: string;
  value: number | null;
  england?: number | null;
}

export interface ChartOptions {
  unit: string;
  target?: number | null;
  /** A promised path (an improvement plan's trajectory), one value or null per point. */
  trajectory?: readonly (number | null)[];
  width?: number;
  height?: number;
}

export interface ChartModel {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  valuePath: string;
  limits: { mean: string; upl: string; lpl: string; nearUpl: string; nearLpl: string }[];
  points: { x: number; y: number; kind: 'common' | 'improvement' | 'concern' | 'neutral'; label: string }[];
  englandPath: string | null;
  target: { y: number; label: string } | null;
  trajectoryPath: string | null;
  /** Plain words for the chart's description. */
  summary: string;
  /** No month has a value. */
  empty: boolean;
}

const KIND: Record<PointType, ChartModel['points'][number]['kind']> = {
  common_cause: 'common',
  special_cause_improvement: 'improvement',
  special_cause_concern: 'concern',
  special_cause_neutral: 'neutral',
};

/** "October 2026". */
export const monthLabel = formatMonth;

/** "Oct 2026", for chart axes. */
export function shortMonthLabel(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]!.slice(0, 3)} ${month.slice(0, 4)}`;
}

/** One formatter for every figure: making one per call (as toLocaleString does) took 50 µs each. */
const ONE_DECIMAL = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** A figure to one decimal place, with a % sign for percentages. */
export function formatValue(value: number, unit: string): string {
  const text = ONE_DECIMAL.format(Math.round(value * 10) / 10);
  return unit === '%' ? `${text}%` : text;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A path through the points, lifting the pen at every null. */
function path(xs: number[], ys: (number | null)[]): string {
  let d = '';
  let pen = false;
  ys.forEach((y, i) => {
    if (y === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${round(xs[i]!)} ${round(y)}`;
    pen = true;
  });
  return d;
}

export function spcChartModel(points: readonly ChartPoint[], spc: SpcResult | null, options: ChartOptions): ChartModel {
  const width = options.width ?? 640;
  const height = options.height ?? 280;
  const plot = { left: 52, top: 12, right: width - 30, bottom: height - 36 };
  const values = points.map((p) => p.value);
  const candidates: number[] = [];
  for (const v of values) if (v !== null) candidates.push(v);
  for (const g of spc?.groups ?? []) for (const l of [g.lpl, g.upl]) if (l !== null) candidates.push(l);
  for (const p of points) if (p.england !== null && p.england !== undefined) candidates.push(p.england);
  if (options.target !== null && options.target !== undefined) candidates.push(options.target);
  for (const t of options.trajectory ?? []) if (t !== null) candidates.push(t);
  // Nothing to draw yet: an empty chart on a sensible scale.
  if (candidates.length === 0) candidates.push(0, options.unit === '%' ? 100 : 1);
  const lo = Math.min(...candidates, options.unit === '%' ? 0 : Infinity);
  const hi = Math.max(...candidates, lo + 1);
  let domainLo = lo;
  let domainHi = hi;
  if (options.unit === '%') {
    domainLo = Math.max(0, lo);
    domainHi = Math.min(100, Math.max(hi, domainLo + 1));
  }
  const y = scaleLinear().domain([domainLo, domainHi]).nice(5).range([plot.bottom, plot.top]).clamp(true);
  const step = points.length > 1 ? (plot.right - plot.left) / (points.length - 1) : 0;
  const xs = points.map((_, i) => plot.left + i * step);

  const yTicks = y.ticks(5).map((t) => ({ y: round(y(t)), label: formatValue(t, options.unit) }));
  const every = Math.max(1, Math.ceil(points.length / 8));
  const xTicks = points
    .map((p, i) => ({ i, p }))
    .filter(({ i }) => (points.length - 1 - i) % every === 0)
    .map(({ i, p }) => ({ x: round(xs[i]!), label: shortMonthLabel(p.month) }));

  const limits = (spc?.groups ?? [])
    .filter((g) => g.mean !== null)
    .map((g) => {
      const x0 = xs[g.start]!;
      const x1 = xs[g.end - 1]!;
      const line = (v: number | null) => (v === null ? '' : `M${round(x0)} ${round(y(v))}L${round(x1)} ${round(y(v))}`);
      return {
        mean: line(g.mean),
        upl: line(g.upl),
        lpl: line(g.lpl),
        nearUpl: line(g.nearUpl),
        nearLpl: line(g.nearLpl),
      };
    });

  const chartPoints: ChartModel['points'] = [];
  points.forEach((p, i) => {
    if (p.value === null) return;
    const type = spc?.points[i]?.pointType ?? 'common_cause';
    chartPoints.push({
      x: round(xs[i]!),
      y: round(y(p.value)),
      kind: KIND[type],
      label: `${monthLabel(p.month)}: ${formatValue(p.value, options.unit)}`,
    });
  });

  const england = points.map((p) => (p.england === null || p.england === undefined ? null : y(p.england)));
  const englandPath = england.some((e) => e !== null) ? path(xs, england) : null;
  const target =
    options.target === null || options.target === undefined
      ? null
      : { y: round(y(options.target)), label: `Target ${formatValue(options.target, options.unit)}` };

  const trajectory = (options.trajectory ?? []).map((t) => (t === null ? null : y(t)));
  const trajectoryPath = trajectory.some((t) => t !== null) ? path(xs, trajectory) : null;

  const shown = points.filter((p) => p.value !== null);
  const first = shown[0];
  const last = shown[shown.length - 1];
  const summary =
    first && last
      ? `Monthly values from ${monthLabel(first.month)} to ${monthLabel(last.month)}, latest ${formatValue(last.value!, options.unit)}` +
        (spc?.mean !== null && spc?.mean !== undefined
          ? `; mean ${formatValue(spc.mean, options.unit)}` +
            (spc.lpl !== null && spc.upl !== null
              ? `, process limits ${formatValue(spc.lpl, options.unit)} to ${formatValue(spc.upl, options.unit)}`
              : '')
          : '') +
        '.'
      : 'No values yet.';

  return {
    width,
    height,
    plot,
    yTicks,
    xTicks,
    valuePath: path(
      xs,
      values.map((v) => (v === null ? null : y(v))),
    ),
    limits,
    points: chartPoints,
    englandPath,
    target,
    trajectoryPath,
    summary,
    empty: chartPoints.length === 0,
  };
}
