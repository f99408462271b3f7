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
  calibrate,
  issuedBetween,
  QUEUED_STAGES,
  scenarioFromCalibration,
  stageServers,
  type CaseHistory,
  type PipelineStage,
} from '../domain/forecast/calibrate.js';
import { backlogDip, countLongWaiters } from '../domain/forecast/scenarios.js';
import { parseScenario } from '../domain/forecast/scenario.js';
import { summarise, type Percentiles } from '../domain/forecast/simulate.js';
import { addMonths } from '../domain/dates/months.js';
import { daysBetween, type LocalDate } from '../domain/dates/localDate.js';
import type { MeasureCase } from '../domain/measures/monthly.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { runReplications } from './forecastRunner.js';
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
  warnings: string[];
  /** Edges (weeks) of the age bands, and by month the open requests at its end in each band. */
  ageBands: number[];
  openByAge: { p10: number | null; p50: number | null; p90: number | null }[][];
  /** The months the starting backlog's long waiters pull the 20-week measure down (see domain/forecast/scenarios). */
  dip: ReturnType<typeof backlogDip>;
  /** The same method run from an earlier date, against what then happened. */
  backTest: BackTest | null;
}

export interface BackTest {
  /** The date it was calibrated up to and simulated from. */
  from: LocalDate;
  months: {
    month: string;
    issued: Percentiles;
    actualIssued: number;
    share: Percentiles;
    actualShare: number | null;
  }[];
}

/**
 * The months the rate, conversions, stage times and capacities are taken from: a service that is changing is
 * forecast as it is now. Six months did better than twelve in the demo county's back-tests (its plans were getting
 * quicker), and stage times grouped by the case's age on reaching the stage better still.
 */
export const RECENT_MONTHS = 6;

/** Whole months the back-test forecasts, ending with last month. */
export const BACK_TEST_MONTHS = 6;

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
  const calibration = calibrate(cases, addMonths(today, -36), today, { recentFrom: addMonths(today, -RECENT_MONTHS) });
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
 * The back-test: the forecast's method run as if it were the first of the month `BACK_TEST_MONTHS` months ago
 * (calibrated only on what was known then), against the plans actually issued in each month since.
 */
/** The date the back-test starts from: the first of the month `BACK_TEST_MONTHS` months before today's. */
export function backTestFrom(today: LocalDate): LocalDate {
  return `${monthAt(monthIndex(today.slice(0, 7)) - BACK_TEST_MONTHS)}-01` as LocalDate;
}

export async function backTest(cases: readonly CaseHistory[], today: LocalDate): Promise<BackTest | null> {
  const from = backTestFrom(today);
  const first = monthIndex(from.slice(0, 7));
  const starts = Array.from({ length: BACK_TEST_MONTHS + 1 }, (_, i) => `${monthAt(first + i)}-01` as LocalDate);
  const calibration = calibrate(cases, addMonths(from, -36), from, { recentFrom: addMonths(from, -RECENT_MONTHS) });
  if (calibration.durations.final.n === 0) return null;
  const periods = starts.map((d) => daysBetween(from, d) / 7);
  const scenario = parseScenario(
    scenarioFromCalibration(calibration, {
      horizonWeeks: periods[periods.length - 1]!,
      replications: FORECAST_REPLICATIONS,
      seed: 1,
      periods,
    }),
  );
  const summary = summarise(scenario, await runReplications(scenario));
  return {
    from,
    months: summary.periods.map((p, i) => {
      const actual = issuedBetween(cases, starts[i]!, starts[i + 1]!);
      return {
        month: starts[i]!.slice(0, 7),
        issued: p.completed,
        actualIssued: actual.issued,
        share: p.shareWithinTarget,
        actualShare: actual.issued > 0 ? actual.within / actual.issued : null,
      };
    }),
  };
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
        months: months.map((month, i) => ({ month, completed: summary.periods[i]!.completed })),
        shareWithin: summary.periods.map((p) => p.shareWithinTarget),
        replicationShares: months.map((_, i) => replications.map((r) => r.periodWithin[i] ?? null)),
        warnings: summary.warnings,
        ageBands: [...scenario.ageBands],
        openByAge: summary.periods.map((p) => p.openByAge.map(({ p10, p50, p90 }) => ({ p10, p50, p90 }))),
        dip: backlogDip(
          months,
          summary.periods.map((p) => p.longWaiterPushDown.p50),
          countLongWaiters(calibration.backlog),
        ),
        // The back-test looks at whole past months: worked out once a month, not at every hourly refresh.
        backTest:
          previous?.backTest && previous.backTest.from === backTestFrom(today)
            ? previous.backTest
            : await backTest(pipeline.cases, today),
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
