/**
 * The phase-transfer measure as the dashboard shows it: a column for each September move (its share finalised by the
 * deadline), drawn as server-rendered SVG, and a table of the same figures with their counts. No process limits: a
 * yearly figure has too few points for them (domain/measures/phaseTransfers.ts).
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { PHASE_TRANSFER_MEASURE, type PhaseTransferYearFigure } from '../../../domain/measures/phaseTransfers.js';

const WIDTH = 640;
const HEIGHT = 260;
const PLOT = { left: 48, top: 16, right: WIDTH - 16, bottom: HEIGHT - 36 };

const pct = (v: number) => `${v.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;

export function phaseTransferMeasureView(figures: readonly PhaseTransferYearFigure[]) {
  const x = scaleBand<number>()
    .domain(figures.map((f) => f.transferYear))
    .range([PLOT.left, PLOT.right])
    .padding(0.3);
  const y = scaleLinear().domain([0, 100]).range([PLOT.bottom, PLOT.top]);
  const label = (f: PhaseTransferYearFigure) => `September ${f.transferYear}${f.provisional ? ' (provisional)' : ''}`;
  const shown = figures.filter((f) => f.value !== null);
  return {
    ...PHASE_TRANSFER_MEASURE,
    chart: {
      width: WIDTH,
      height: HEIGHT,
      plot: PLOT,
      empty: shown.length === 0,
      yTicks: [0, 25, 50, 75, 100].map((t) => ({ y: y(t), label: `${t}%` })),
      bars: shown.map((f) => ({
        x: x(f.transferYear)!,
        y: y(f.value!),
        width: x.bandwidth(),
        height: PLOT.bottom - y(f.value!),
        provisional: f.provisional,
        label: `${label(f)}: ${pct(f.value!)}`,
        tick: String(f.transferYear),
        tickX: x(f.transferYear)! + x.bandwidth() / 2,
      })),
      summary: shown.length
        ? `Share of phase transfers finalised by the deadline, by September move: ${shown.map((f) => `${label(f)} ${pct(f.value!)}`).join('; ')}.`
        : 'No phase transfers yet.',
    },
    rows: figures.map((f) => ({
      year: label(f),
      due: f.due,
      onTime: f.onTime,
      late: f.late,
      notFinalised: f.notFinalised,
      value: f.value === null ? 'None due' : pct(f.value),
    })),
  };
}
