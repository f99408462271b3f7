/**
 * The forecast page's back-test and Monte Carlo error, worded from the stored figures (the template only formats).
 */
import { formatMonth } from '../../../domain/dates/localDate.js';
import {
  BACK_TEST_MONTHS_AHEAD,
  NAIVE_MONTHS,
  type BackTestMeasure,
  type BackTestResult,
} from '../../../domain/forecast/backTest.js';
import { corrects, RECALIBRATION_MIN_ERRORS, RECALIBRATION_MONTHS } from '../../../domain/forecast/recalibrate.js';
import type { ForecastRecalibration, MonteCarloErrors } from '../../../services/forecasts.js';
import { formatValue } from '../../charts/spcChart.js';
import { FINAL_PLAN_WEEKS } from '../../../domain/statutory/periods.js';
import { bandNamesOf } from './scenarios.js';

/** The goal for the months inside the forecast's 10th to 90th percentile range (issue 25): 70% to 90%. */
export const COVERAGE_GOAL = { from: 0.7, to: 0.9 } as const;

const number = (v: number) => formatValue(v, '');
/** "a", "a and b", "a, b and c". */
const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

function measureName(m: BackTestMeasure, bandNames: string[]): { row: string; words: string } {
  if (m.id === 'issued') return { row: 'Plans issued in the month', words: 'plans issued' };
  if (m.id === 'share') {
    return {
      row: `Plans issued within ${FINAL_PLAN_WEEKS} weeks (share)`,
      words: `the share within ${FINAL_PLAN_WEEKS} weeks`,
    };
  }
  const band = (bandNames[m.band!] ?? '').toLowerCase();
  return { row: `Requests open ${band} at the month’s end`, words: `requests open ${band}` };
}

/** A difference between two percentages, as a number of percentage points ("1 percentage point", "3.5 ..."). */
const percentagePoints = (share: number) => {
  const text = number(share * 100);
  return `${text} percentage point${text === '1' ? '' : 's'}`;
};

/** An error in the measure's unit: plans or requests, or percentage points for the share. */
const errorText = (m: BackTestMeasure, error: number | null) =>
  error === null ? '' : m.id === 'share' ? percentagePoints(error) : number(error);

export function backTestView(result: BackTestResult) {
  const bandNames = bandNamesOf(result.ageBands);
  const measures = result.measures.filter((m) => m.points.length > 0);
  const rows = measures.map((m) => {
    const n = m.points.length;
    const share = m.inside / n;
    return {
      ...measureName(m, bandNames),
      inside: `${m.inside} of ${n} (${formatValue(Math.round(share * 100), '%')})`,
      insideRaw: `${m.insideRaw} of ${n} (${formatValue(Math.round((m.insideRaw / n) * 100), '%')})`,
      share,
      meetsGoal: share >= COVERAGE_GOAL.from - 1e-9 && share <= COVERAGE_GOAL.to + 1e-9,
      forecastError: errorText(m, m.forecastError),
      naiveError: errorText(m, m.naiveError),
      beatsNaive: m.forecastError !== null && m.naiveError !== null && m.forecastError < m.naiveError - 1e-9,
    };
  });
  // Two short sentences a board member can read; the table beside them names each measure's figures.
  const n = rows.length;
  const every = n === 1 ? 'the measure' : n === 2 ? 'both measures' : `all ${n} measures`;
  const of = (k: number) => (k === n ? every : `${k} of ${n} measures`);
  const meets = rows.filter((r) => r.meetsGoal).map((r) => r.words);
  const narrow = rows.filter((r) => !r.meetsGoal && r.share < COVERAGE_GOAL.from).length;
  const wide = rows.filter((r) => !r.meetsGoal && r.share > COVERAGE_GOAL.to).length;
  const goal = `${formatValue(COVERAGE_GOAL.from * 100, '%')} to ${formatValue(COVERAGE_GOAL.to * 100, '%')}`;
  const why =
    narrow > 0 && wide > 0
      ? `for ${narrow} its ranges were too narrow and for ${wide} too wide`
      : `${meets.length === 0 ? '' : `for the other ${narrow + wide} `}its ranges were too ${narrow > 0 ? 'narrow' : 'wide'}`;
  const coverage =
    meets.length === n
      ? `For ${of(n)}, the forecast’s 80% range held what happened in ${goal} of months, as it should.`
      : meets.length === 0
        ? `The forecast’s 80% range did not hold what happened in ${goal} of months, as it should, for ${n === 1 ? 'the measure' : `any of the ${n} measures`}: ${why}.`
        : `The forecast’s 80% range held what happened in ${goal} of months, as it should, for ${of(meets.length)} (${list(meets)}); ${why}.`;
  const beats = rows.filter((r) => r.beatsNaive).length;
  const notBeats = rows.filter((r) => !r.beatsNaive).map((r) => r.words);
  const naive = `the average of the ${NAIVE_MONTHS} months before`;
  const accuracy =
    beats === 0
      ? `Its middle figure was no closer to what happened than ${naive} for any measure.`
      : `Its middle figure was closer to what happened than ${naive} for ${of(beats)}${beats < n ? ` (not for ${list(notBeats)})` : ''}.`;

  // Month by month: plans issued and the share within 20 weeks, from each origin.
  const issued = result.measures.find((m) => m.id === 'issued')?.points ?? [];
  const shares = new Map(
    (result.measures.find((m) => m.id === 'share')?.points ?? []).map((p) => [`${p.origin} ${p.month}`, p]),
  );
  const pct = (v: number | null) => (v === null ? '' : formatValue(v * 100, '%'));
  const detail = issued.map((p) => {
    const s = shares.get(`${p.origin} ${p.month}`);
    return {
      origin: formatMonth(p.origin.slice(0, 7)),
      month: formatMonth(p.month),
      issued: `${number(p.forecast.p10!)} to ${number(p.forecast.p90!)}`,
      actualIssued: number(p.actual),
      issuedIn: p.inside,
      share: s ? `${pct(s.forecast.p10)} to ${pct(s.forecast.p90)}` : '',
      actualShare: s ? pct(s.actual) : '',
      shareIn: s ? s.inside : true,
    };
  });
  // How the ranges were corrected by the method's own past errors (domain/forecast/recalibrate.ts).
  const all = measures.flatMap((m) => m.points);
  const corrected = all.filter((p) => p.corrected).length;
  const insideNow = measures.reduce((k, m) => k + m.inside, 0);
  const insideRaw = measures.reduce((k, m) => k + m.insideRaw, 0);
  const compared = insideRaw < insideNow ? 'fewer' : insideRaw > insideNow ? 'more' : 'as many';
  const correction =
    corrected === 0
      ? 'There were too few earlier forecasts to correct the ranges by: they are the simulation’s own.'
      : `Each range is the simulation’s, corrected by how far the same method’s forecasts made in the ${result.recalibrationMonths} months before it were from what happened${
          corrected < all.length
            ? `, where there were ${RECALIBRATION_MIN_ERRORS} or more of them (${corrected} of ${all.length} months)`
            : ''
        }. Without the correction they held ${compared} months (the last column).`;
  return {
    origins: result.origins.length,
    firstOrigin: formatMonth(result.origins[0]!.slice(0, 7)),
    lastOrigin: formatMonth(result.origins[result.origins.length - 1]!.slice(0, 7)),
    points: issued.length,
    monthsAhead: BACK_TEST_MONTHS_AHEAD,
    naiveMonths: NAIVE_MONTHS,
    rows,
    sentence: `${coverage} ${accuracy}`,
    correction,
    detail,
  };
}

/**
 * One plain sentence on how steady the headline figures' percentiles are with the futures simulated, and how many
 * futures would make the tails steady to the tolerance asked (services/forecasts.ts).
 */
export function monteCarloText(mc: MonteCarloErrors): string | null {
  const { issued, share } = mc;
  if (issued.se.p10 === null || issued.se.p90 === null || issued.replicationsForTolerance === null) return null;
  const tail = (se: { p10: number | null; p90: number | null }) => Math.max(se.p10 ?? 0, se.p90 ?? 0);
  const plans = `±${number(tail(issued.se))} plans`;
  const shareText =
    share && share.se.p10 !== null && share.se.p90 !== null
      ? ` and those of the share within ${FINAL_PLAN_WEEKS} weeks within ±${percentagePoints(tail(share.se))}`
      : '';
  const needed = Math.max(issued.replicationsForTolerance, share?.replicationsForTolerance ?? 0);
  const steadyTo = `a twentieth of the 80% range (±${number(issued.tolerance)} plans${shareText ? `, ±${percentagePoints(share?.tolerance ?? 0)}` : ''})`;
  const enough =
    needed <= issued.replications
      ? `that holds the tails to ${steadyTo}`
      : `holding the tails to ${steadyTo} would take about ${number(roundUp(needed))} futures`;
  return `With ${number(issued.replications)} futures, the 10th and 90th percentiles of the plans issued over the next ${mc.months} months are within ${plans} of where many more futures would put them (one Monte Carlo standard error)${shareText}; ${enough}.`;
}

/** A number of futures to 2 significant figures, upwards. */
function roundUp(n: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / unit) * unit;
}

/**
 * Whether the forecast's ranges carry the correction by the method's own past errors (services/forecasts.ts,
 * `recalibrated`), in one sentence; null for a forecast stored before there was one.
 */
export function recalibrationText(recalibration: ForecastRecalibration | undefined): string | null {
  if (!recalibration) return null;
  const all = [recalibration.issued, recalibration.share, ...recalibration.openByAge];
  const n = all.filter(corrects).length;
  if (n === 0) {
    return 'The ranges are the simulation’s own: there were too few forecasts from the last 12 months to check them against what happened.';
  }
  return `The ranges are corrected by how far this method’s forecasts made in the last ${RECALIBRATION_MONTHS} months were from what happened (the back-test below)${
    n < all.length ? ', for the figures with enough of them' : ''
  }: the simulation alone leaves out some of what makes real months vary.`;
}
