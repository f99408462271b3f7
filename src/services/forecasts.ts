/**
 * Each LA's forecast of the pipeline, worked out by the measures job: calibrated on its case history (seasonality from
 * three years, everything else from the last `RECENT_MONTHS` months), simulated from today's open cases for the next 24 calendar months (domain/forecast), and stored. The chance
 * that a commitment on the 20-week measure meets its target in its month is read from the stored replications.
 */
import type { Database } from '../data/db.js';
import { listLocalAuthorities } from '../data/repositories/localAuthorities.js';
import { appendAudit } from '../data/repositories/audit.js';
import { loadMeasureCases, readTargets } from '../data/repositories/measures.js';
import { putForecast, readForecast } from '../data/repositories/forecasts.js';
import { monthAt, monthIndex } from '../domain/commitments/assurance.js';
import {
  QUEUED_STAGES,
  scenarioFromCalibration,
  stageServers,
  type CaseHistory,
  type PipelineStage,
} from '../domain/forecast/calibrate.js';
import {
  COUNT_BOUNDS,
  recalibrateRange,
  recalibrationMap,
  SHARE_BOUNDS,
  correctionFor,
  type StoredCorrection,
} from '../domain/forecast/recalibrate.js';
import {
  backTestOrigins,
  backTestTable,
  recalibrationOrigins,
  type BackTestResult,
} from '../domain/forecast/backTest.js';
import { percentileErrors, type PercentileErrors } from '../domain/forecast/monteCarloError.js';
import { backlogDip, countLongWaiters, FIRST_WHOLE_PERIOD } from '../domain/forecast/scenarios.js';
import { DEFAULT_AGE_BANDS, parseScenario } from '../domain/forecast/scenario.js';
import { percentiles, summarise, type LoadWarning, type Replication } from '../domain/forecast/simulate.js';
import { daysBetween, type LocalDate } from '../domain/dates/localDate.js';
import type { MeasureCase } from '../domain/measures/monthly.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { calibrateAsOf, RECENT_MONTHS, runBackTestForecasts, runReplications } from './forecastRunner.js';

export { RECENT_MONTHS };
import { requirePermission } from './useCase.js';

/** How far ahead the stored forecast looks, in calendar months, and how many futures it simulates. */
export const FORECAST_MONTHS = 24;
export const FORECAST_REPLICATIONS = 200;
/** The measures whose monthly figure the forecast predicts (the simulation does not model exceptions). */
export const FORECAST_MEASURES = new Set(['plans_within_20_weeks_excl', 'plans_within_20_weeks_incl']);

export interface StoredForecast {
  asOf: LocalDate;
  replications: number;
  calibration: {
    ratePerWeek: number;
    seasonal: boolean;
    assessRate: number | null;
    issueRate: number | null;
    stages: {
      id: string;
      n: number;
      meanWeeks: number | null;
      p90Weeks: number | null;
      /** For the stages with capacity: cases a week it has shown it can finish, and cases in hand at once. */
      capacityPerWeek?: number | null;
      servers?: number | null;
    }[];
    openCases: number;
  };
  /** One entry per calendar month from this one (the first is the rest of this month). */
  months: { month: string; completed: { p10: number | null; p50: number | null; p90: number | null } }[];
  shareWithin: { p10: number | null; p50: number | null; p90: number | null }[];
  /** [month][replication]: the share of that month's plans within 20 weeks in that future (null: no plans). */
  replicationShares: (number | null)[][];
  /** Stages whose demand is at or above their capacity (older stored forecasts: as text). */
  warnings: (LoadWarning | string)[];
  /** Edges (weeks) of the age bands, and by month the open requests at its end in each band. */
  ageBands: number[];
  openByAge: { p10: number | null; p50: number | null; p90: number | null }[][];
  /** The months the starting backlog's long waiters pull the 20-week measure down (see domain/forecast/scenarios). */
  dip: ReturnType<typeof backlogDip>;
  /**
   * The same method run from each of the last 12 months' first day, against what then happened
   * (domain/forecast/backTest.ts). Older stored forecasts hold a one-origin back-test of another shape.
   */
  backTest: BackTestResult | null;
  /** The Monte Carlo error of the headline figures' percentiles (absent from older stored forecasts). */
  monteCarlo?: MonteCarloErrors;
  /**
   * The correction the ranges above carry, from the back-test's errors (domain/forecast/recalibrate.ts): for plans
   * issued, the share within 20 weeks and each age band; null where there were too few errors, and absent from older
   * stored forecasts (whose ranges are the simulation's own).
   */
  recalibration?: ForecastRecalibration;
}

/** Each measure's correction by horizon (older stored forecasts: one for every month; domain/forecast/recalibrate.ts). */
export interface ForecastRecalibration {
  issued: StoredCorrection;
  share: StoredCorrection;
  openByAge: StoredCorrection[];
}

type ForecastRanges = Pick<StoredForecast, 'months' | 'shareWithin' | 'replicationShares' | 'ageBands' | 'openByAge'>;

/**
 * The simulation's ranges and futures corrected by the method's own errors in the back-test (the correction for a
 * forecast made this month, from the errors of the forecasts made in the 12 months before): plans issued, the share
 * within 20 weeks (each future's share moved by the same map, so the chances worked out from them agree with the
 * range) and the open requests by age. Without a back-test, as the simulation made them.
 */
export function recalibrated(
  ranges: ForecastRanges,
  tested: BackTestResult | null,
): ForecastRanges & { recalibration: ForecastRecalibration } {
  const correction = (id: string, band: number | null = null) =>
    tested?.measures.find((m) => m.id === id && m.band === band)?.correctionNow ?? null;
  const sameBands =
    tested !== null &&
    tested.ageBands.length === ranges.ageBands.length &&
    tested.ageBands.every((edge, i) => edge === ranges.ageBands[i]);
  const recalibration: ForecastRecalibration = {
    issued: correction('issued'),
    share: correction('share'),
    openByAge: Array.from({ length: ranges.ageBands.length + 1 }, (_, band) =>
      sameBands ? correction('open', band) : null,
    ),
  };
  return {
    // Month i is i months after the forecast's own (the first is the rest of this month): horizon i.
    months: ranges.months.map((m, i) => ({
      month: m.month,
      completed: recalibrateRange(m.completed, correctionFor(recalibration.issued, i), COUNT_BOUNDS),
    })),
    shareWithin: ranges.shareWithin.map((r, i) =>
      recalibrateRange(r, correctionFor(recalibration.share, i), SHARE_BOUNDS),
    ),
    replicationShares: ranges.replicationShares.map((shares, i) => {
      const map = recalibrationMap(ranges.shareWithin[i]!, correctionFor(recalibration.share, i), SHARE_BOUNDS);
      return shares.map((v) => (v === null ? null : map(v)));
    }),
    ageBands: ranges.ageBands,
    openByAge: ranges.openByAge.map((bands, i) =>
      bands.map((r, band) => recalibrateRange(r, correctionFor(recalibration.openByAge[band], i), COUNT_BOUNDS)),
    ),
    recalibration,
  };
}

/** Over the forecast's whole months: plans issued, and the share of them within 20 weeks (0 to 1). */
export interface MonteCarloErrors {
  months: number;
  issued: PercentileErrors;
  share: PercentileErrors | null;
}

/**
 * How steady the headline figures' tails are asked to be: a standard error of at most a twentieth of the 10th to 90th
 * percentile range the page shows (the band's edges then move by less than its width over 20 between runs).
 */
export const STEADY_SHARE_OF_RANGE = 0.05;

/**
 * The Monte Carlo error of the headline figures: plans issued over the forecast's whole months, and the share of them
 * issued within 20 weeks, each replication's total (domain/forecast/monteCarloError.ts).
 */
export function headlineErrors(replications: readonly Replication[]): MonteCarloErrors {
  const totals = replications.map((r) => {
    const completed = r.periodCompleted.slice(FIRST_WHOLE_PERIOD);
    const within = r.periodWithin.slice(FIRST_WHOLE_PERIOD);
    const issued = completed.reduce((a, b) => a + b, 0);
    const inTime = completed.reduce((a, n, i) => a + n * (within[i] ?? 0), 0);
    return { issued, share: issued > 0 ? inTime / issued : null };
  });
  const errors = (values: number[]) => {
    const { p10, p90 } = percentiles(values);
    return percentileErrors(values, ((p90 ?? 0) - (p10 ?? 0)) * STEADY_SHARE_OF_RANGE);
  };
  const shares = totals.flatMap((t) => (t.share === null ? [] : [t.share]));
  return {
    months: Math.max(0, (replications[0]?.periodCompleted.length ?? 0) - FIRST_WHOLE_PERIOD),
    issued: errors(totals.map((t) => t.issued)),
    share: shares.length ? errors(shares) : null,
  };
}

/** A case's history as the calibration reads it. */
export function historyOf(c: MeasureCase): CaseHistory {
  const advice = c.advice;
  const adviceDone =
    c.assessmentDecision === 'assess' && advice.length > 0 && advice.every((a) => a.receivedDate !== null)
      ? advice.map((a) => a.receivedDate!).reduce((a, b) => (a > b ? a : b))
      : null;
  return {
    received: c.receivedDate,
    decided: c.assessmentDecisionDate,
    assess: c.assessmentDecision === null ? null : c.assessmentDecision === 'assess',
    adviceDone,
    issueDecided: c.issueDecisionDate,
    issue: c.issueDecision === null ? null : c.issueDecision === 'issue',
    finalIssued: c.finalIssuedDate,
    closed: c.withdrawnDate,
    advice: advice.map((a) => ({ requested: a.requestedDate, received: a.receivedDate })),
  };
}

/**
 * An LA's pipeline as it is today, calibrated on its case history (seasonality from three years; the rate,
 * conversions, stage times and capacities from the last `RECENT_MONTHS` months), as a scenario (before parsing, so that
 * scenarios can change it) over the next `FORECAST_MONTHS` calendar months: one period per month, the first being the
 * rest of this one.
 */
export async function calibratedPipeline(db: Database['db'], laCode: string, today: LocalDate, replications: number) {
  const cases = (await loadMeasureCases(db, laCode)).map(historyOf);
  const calibration = calibrateAsOf(cases, today);
  // Period boundaries: today, then the first day of each following month.
  const thisMonth = today.slice(0, 7);
  const months = Array.from({ length: FORECAST_MONTHS }, (_, i) => monthAt(monthIndex(thisMonth) + i));
  const boundaries = [
    0,
    ...months.map((_, i) => daysBetween(today, `${monthAt(monthIndex(thisMonth) + i + 1)}-01` as LocalDate) / 7),
  ];
  const scenario = scenarioFromCalibration(calibration, {
    horizonWeeks: boundaries[boundaries.length - 1]!,
    replications,
    seed: 1,
    periods: boundaries,
  });
  return { cases, calibration, months, scenario };
}

/**
 * The back-test (domain/forecast/backTest.ts): the forecast's method run from the first of each of the last 12 months,
 * calibrated only on what was known then (on worker threads), against what happened; null when it could run from none.
 */
export async function backTest(
  cases: readonly CaseHistory[],
  today: LocalDate,
  options: { replications?: number; threads?: number } = {},
): Promise<BackTestResult | null> {
  const origins = [...recalibrationOrigins(today), ...backTestOrigins(today)];
  const forecasts = await runBackTestForecasts(cases, origins, today, {
    replications: options.replications ?? FORECAST_REPLICATIONS,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  const table = backTestTable(cases, DEFAULT_AGE_BANDS, forecasts, today);
  // Forecasts only from the origins before the tested ones give nothing to show.
  return table.origins.length > 0 ? table : null;
}

/** A stored back-test worked out this month (not one of an older shape): whole past months do not change. */
function isCurrentBackTest(stored: BackTestResult | null | undefined, today: LocalDate): boolean {
  return Boolean(
    stored &&
    Array.isArray(stored.measures) &&
    stored.month === today.slice(0, 7) &&
    stored.recalibrationMonths !== undefined &&
    // Corrections by horizon (a back-test stored earlier this month holds one correction a measure).
    stored.measures.every((m) => Array.isArray(m.correctionNow)),
  );
}

export function createForecastService(database: Database, clock: Clock) {
  const { db } = database;

  /** Works out and stores every LA's forecast (or one LA's). */
  async function refresh(laCode?: string) {
    const today = clock.today();
    const las = laCode ? [laCode] : (await listLocalAuthorities(db)).map((la) => la.laCode);
    const done: { laCode: string; openCases: number }[] = [];
    for (const la of las) {
      const [pipeline, previous] = await Promise.all([
        calibratedPipeline(db, la, today, FORECAST_REPLICATIONS),
        latest(la),
      ]);
      const { calibration, months } = pipeline;
      const scenario = parseScenario(pipeline.scenario);
      const replications = await runReplications(scenario);
      const summary = summarise(scenario, replications);
      // The back-test looks at whole past months: worked out once a month, not at every hourly refresh.
      const tested = isCurrentBackTest(previous?.backTest, today)
        ? previous!.backTest
        : await backTest(pipeline.cases, today);
      const stored: StoredForecast = {
        asOf: today,
        replications: FORECAST_REPLICATIONS,
        calibration: {
          ratePerWeek: calibration.arrivals.ratePerWeek,
          seasonal: calibration.arrivals.weeklyFactors !== null,
          assessRate: calibration.conversion.assess.rate,
          issueRate: calibration.conversion.issue.rate,
          stages: Object.entries(calibration.durations).map(([id, d]) => ({
            id,
            n: d.n,
            meanWeeks: d.meanWeeks,
            p90Weeks: d.p90Weeks,
            capacityPerWeek: QUEUED_STAGES.includes(id as PipelineStage)
              ? calibration.capacityPerWeek[id as PipelineStage]
              : null,
            servers: QUEUED_STAGES.includes(id as PipelineStage)
              ? stageServers(calibration, id as PipelineStage)
              : null,
          })),
          openCases: calibration.backlog.length,
        },
        ...recalibrated(
          {
            months: months.map((month, i) => ({ month, completed: summary.periods[i]!.completed })),
            shareWithin: summary.periods.map((p) => p.shareWithinTarget),
            replicationShares: months.map((_, i) => replications.map((r) => r.periodWithin[i] ?? null)),
            ageBands: [...scenario.ageBands],
            openByAge: summary.periods.map((p) => p.openByAge.map(({ p10, p50, p90 }) => ({ p10, p50, p90 }))),
          },
          tested,
        ),
        warnings: summary.warnings,
        dip: backlogDip(
          months,
          summary.periods.map((p) => p.longWaiterPushDown.p50),
          countLongWaiters(calibration.backlog),
        ),
        backTest: tested,
        monteCarlo: headlineErrors(replications),
      };
      await putForecast(db, { laCode: la, computedAt: clock.now(), asOf: today, result: stored });
      done.push({ laCode: la, openCases: calibration.backlog.length });
    }
    return done;
  }

  /** The latest forecast as the forecast page shows it (aggregate figures: managers, QA and the board). */
  async function view(ctx: RequestContext) {
    requirePermission(ctx, 'measures:view');
    const [row, targets] = await Promise.all([readForecast(db, ctx.actor.laCode), readTargets(db, ctx.actor.laCode)]);
    await appendAudit(db, {
      userId: ctx.actor.userId,
      laCode: ctx.actor.laCode,
      action: 'read',
      entityType: 'forecast',
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
    return {
      computedAt: row?.computedAt ?? null,
      forecast: (row?.result as StoredForecast | undefined) ?? null,
      target: targets.get('plans_within_20_weeks_excl')?.target ?? null,
    };
  }

  async function latest(laCode: string): Promise<StoredForecast | null> {
    return ((await readForecast(db, laCode))?.result as StoredForecast | undefined) ?? null;
  }

  return { refresh, latest, view };
}

/**
 * The chance, from a stored forecast, that a month's share of plans within 20 weeks reaches `share` (a percentage);
 * null when the month is outside the forecast.
 */
export function chanceOfShare(forecast: StoredForecast, month: string, share: number): number | null {
  const i = forecast.months.findIndex((m) => m.month === month);
  if (i < 0) return null;
  const shares = forecast.replicationShares[i]!;
  if (shares.length === 0) return null;
  return shares.filter((s) => s !== null && s * 100 >= share - 1e-9).length / shares.length;
}

export type ForecastService = ReturnType<typeof createForecastService>;
