/**
 * The forecast's scenarios, side by side: current capacity, the improvement plan (its actions' staff changes), and the
 * user's own (the plan plus their changes and a change in demand); with, if asked, the capacity solver's answer to
 * "how many more would it take?". A run takes seconds to a minute, so it is a job: started, run on worker threads
 * (forecastRunner), its progress read by the page until it is done. Jobs live in this process's memory for an hour.
 */
import type { Database } from '../data/db.js';
import { listCapacityActions, putStaffing, readStaffing } from '../data/repositories/forecastScenarios.js';
import { readForecast } from '../data/repositories/forecasts.js';
import { findPlan, listCommitments } from '../data/repositories/improvementPlans.js';
import { CAPACITY_STAGES, type CapacityStage } from '../domain/commitments/plan.js';
import { can } from '../domain/access/roles.js';
import { daysBetween, type LocalDate } from '../domain/dates/localDate.js';
import type { RawScenario } from '../domain/forecast/calibrate.js';
import { parseScenario, type Scenario } from '../domain/forecast/scenario.js';
import {
  backlogDip,
  countLongWaiters,
  MODELLED_STAFF,
  STAFF_STAGES,
  withCapacityFactors,
  withStaffChanges,
  type AppliedChange,
  type SkippedChange,
  type StaffChange,
} from '../domain/forecast/scenarios.js';
import {
  percentiles,
  summarise,
  type LoadWarning,
  type Percentiles,
  type Replication,
} from '../domain/forecast/simulate.js';
import {
  draftingCapacityFactors,
  reviewsOnTimeByMonth,
  reviewWorkload,
  type ReviewPolicy,
  type ReviewWorkload,
} from '../domain/forecast/reviewWorkload.js';
import { reviewWorkloadInputs } from '../data/repositories/workload.js';
import { addMonths } from '../domain/dates/months.js';
import { probabilityMet, solveCapacity, type CapacitySolution } from '../domain/forecast/solver.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { auditAction } from './auditTrail.js';
import { NotFoundError, RuleError } from './errors.js';
import { runReplications } from './forecastRunner.js';
import { BusyError, createJobBoard, type Job } from './jobs.js';
import { calibratedPipeline, FORECAST_MEASURES, type ForecastRecalibration, type StoredForecast } from './forecasts.js';
import {
  COUNT_BOUNDS,
  correctionFor,
  recalibrateRange,
  recalibrationMap,
  SHARE_BOUNDS,
  type Range,
} from '../domain/forecast/recalibrate.js';
import { requirePermission } from './useCase.js';

/** Futures per scenario: as many as the stored forecast. */
export const SCENARIO_REPLICATIONS = 200;
/** The most extra people the solver tries. */
export const SOLVER_MAX_EXTRA = 40;
/** Runs at once in this process (each uses every core); more are asked to wait. */
const MAX_RUNNING = 2;
const JOB_LIFETIME_MS = 60 * 60 * 1000;

export interface ScenarioRequest {
  /** People now, for the staff the forecast models. */
  staffNow: Partial<Record<CapacityStage, number>>;
  /** Save the staff numbers as the LA's (needs plan:edit). */
  saveStaffing: boolean;
  /** Your scenario: requests up or down by this percentage, and staff changes on top of the plan's. */
  demandChangePercent: number;
  changes: StaffChange[];
  /**
   * The annual reviews in your scenario: as they have been run, or every one on time with the overdue ones cleared
   * (the time they take comes from drafting new plans: domain/forecast/reviewWorkload.ts). Absent in runs started
   * before reviews were modelled: as now.
   */
  reviews?: ReviewPolicy;
  /** The target judged: this share (%) of the month's new plans within 20 weeks. */
  target: { share: number; month: string };
  /** Work out the smallest extra staff of this kind from this date for this chance (%) of meeting the target. */
  solve: { staff: CapacityStage; from: LocalDate; chance: number } | null;
}

export interface ScenarioOutcome {
  key: 'current' | 'plan' | 'custom';
  name: string;
  applied: AppliedChange[];
  skipped: SkippedChange[];
  demandChangePercent: number;
  months: string[];
  /** The ranges as the forecast states them: corrected by the method's past errors (StoredForecast.recalibration). */
  share: Range[];
  issued: Range[];
  /** Plans issued in the 12 whole months ahead (each future's months corrected as the months' ranges are). */
  issuedNextYear: Percentiles;
  openByAge: Range[][];
  chance: number | null;
  warnings: LoadWarning[];
  dip: ReturnType<typeof backlogDip>;
  /** The reviews this future runs, and the least of caseworkers' drafting capacity they leave (1: all of it). */
  reviews: { policy: ReviewPolicy; lowest: { month: string; factor: number } | null };
}

export interface ScenarioResults {
  asOf: LocalDate;
  replications: number;
  target: { share: number; month: string };
  ageBands: number[];
  openCases: number;
  /** The annual reviews' share of caseworkers' time now, and the overdue ones. */
  reviewWorkload: ReviewWorkload;
  outcomes: ScenarioOutcome[];
  solution: (CapacitySolution & { staff: CapacityStage; from: LocalDate; chance: number }) | null;
  /** Why the solver was asked for but not run. */
  solutionSkipped: string | null;
}

export type ScenarioJob = Job<ScenarioResults> & { request: ScenarioRequest };

export { BusyError };

export function createForecastScenarioService(database: Database, clock: Clock) {
  const { db } = database;
  const jobs = createJobBoard<ScenarioResults, { request: ScenarioRequest }>(database, {
    kind: 'forecast_scenario',
    maxRunning: MAX_RUNNING,
    lifetimeMs: JOB_LIFETIME_MS,
    busy: {
      yours: 'Your last forecast is still being worked out: wait for it to finish, then try again',
      others: 'The service is working out other forecasts: try again in a minute',
    },
    run,
  });

  /** What the scenario form starts with: the staff numbers saved, the plan's capacity actions, a target. */
  async function form(ctx: RequestContext) {
    requirePermission(ctx, 'measures:view');
    const laCode = ctx.actor.laCode;
    const today = clock.today();
    const [staffing, actions, plan, reviews] = await Promise.all([
      readStaffing(db, laCode),
      listCapacityActions(db, laCode),
      findPlan(db, laCode),
      readReviewWorkload(laCode, today),
    ]);
    const commitments = plan ? await listCommitments(db, laCode, plan.id) : [];
    await auditAction(db, ctx, 'read', 'forecast_scenario_form');
    // The target: the plan's next milestone or target on the 20-week measure still ahead, if there is one.
    const ahead = commitments
      .filter((c) => c.measureId !== null && FORECAST_MEASURES.has(c.measureId))
      .flatMap((c) => [
        ...c.milestones,
        ...(c.targetDate && c.targetValue !== null ? [{ date: c.targetDate, value: c.targetValue }] : []),
      ])
      .filter((m) => m.date.slice(0, 7) > today.slice(0, 7))
      .sort((a, b) => (a.date < b.date ? -1 : 1));
    return {
      staffing: Object.fromEntries(MODELLED_STAFF.map((s) => [s, staffing.get(s) ?? null])) as Record<
        CapacityStage,
        number | null
      >,
      actions,
      target: ahead[0] ? { share: ahead[0].value, month: ahead[0].date.slice(0, 7) } : null,
      canSaveStaffing: can(ctx.actor.roles, 'plan:edit'),
      reviews: reviews.workload,
    };
  }

  /** The reviews' workload now, and their due dates (for "every review on time"). */
  async function readReviewWorkload(laCode: string, today: LocalDate) {
    const inputs = await reviewWorkloadInputs(db, laCode, today, addMonths(today, -12));
    const dueDates = inputs.dueDates as LocalDate[];
    return { dueDates, workload: reviewWorkload({ ...inputs, dueDates, asOf: today }) };
  }

  /** Starts a run; its id is for `job`. */
  async function start(ctx: RequestContext, request: ScenarioRequest): Promise<string> {
    requirePermission(ctx, 'measures:view');
    await jobs.checkFree(ctx.actor.userId);
    await checkStaffKnown(ctx.actor.laCode, request);
    if (request.saveStaffing) {
      requirePermission(ctx, 'plan:edit');
      const people = Object.fromEntries(Object.entries(request.staffNow).filter(([, n]) => n !== undefined)) as Record<
        string,
        number
      >;
      await db.transaction(async (tx) => {
        await putStaffing(tx, ctx.actor.laCode, people, ctx.actor.userId);
        await auditAction(tx, ctx, 'update', 'forecast_staffing', null, people);
      });
    }
    const job = await jobs.start(
      ctx.actor,
      {
        step: 'Reading the case history',
        // The solver: about 8 searches on half the futures and 2 judgements on the rest (grown as it goes).
        total: 3 * SCENARIO_REPLICATIONS + (request.solve ? 5 * SCENARIO_REPLICATIONS : 0),
      },
      { request },
    );
    await auditAction(db, ctx, 'create', 'forecast_scenario', null, { job: job.id, request });
    return job.id;
  }

  /**
   * The plan's staff changes are modelled in proportion to the staff there are now, so that number is needed for each
   * kind of staff the plan changes: without it the plan's column would quietly be current capacity again.
   */
  async function checkStaffKnown(laCode: string, request: ScenarioRequest): Promise<void> {
    const actions = await listCapacityActions(db, laCode);
    const errors: { field: string; text: string }[] = [];
    for (const staff of MODELLED_STAFF) {
      const action = actions.find((a) => a.staff === staff && a.change !== 0);
      if (!action || request.staffNow[staff] !== undefined) continue;
      const who = CAPACITY_STAGES[staff].split(' (')[0]!.toLowerCase().replace(/^ehc/, 'EHC');
      errors.push({
        field: `staff-${staff}`,
        text: `Enter the number of ${who} now: the improvement plan changes them (${action.title})`,
      });
    }
    if (errors.length) throw new RuleError(errors);
  }

  async function run(job: ScenarioJob): Promise<ScenarioResults> {
    const { request } = job;
    const today = clock.today();
    const [pipeline, actions, stored, reviews] = await Promise.all([
      calibratedPipeline(db, job.laCode, today, SCENARIO_REPLICATIONS),
      listCapacityActions(db, job.laCode),
      readForecast(db, job.laCode),
      readReviewWorkload(job.laCode, today),
    ]);
    // The forecast's correction by its own past errors, so a scenario's ranges and chances are stated as the forecast's
    // are (none before the forecast has a back-test).
    const correction = (stored?.result as StoredForecast | undefined)?.recalibration ?? null;
    const { months, calibration } = pipeline;
    const planChanges: StaffChange[] = actions.map((a) => ({
      staff: a.staff as CapacityStage,
      change: a.change!,
      from: a.from! as LocalDate,
      label: a.title,
    }));
    const period = months.indexOf(request.target.month);
    const longWaiters = countLongWaiters(calibration.backlog);

    // The reviews' time, month by month, as a factor of drafting's capacity (1 throughout as now).
    // The lowest is the first month it is lowest in (months whose factors differ only by rounding are equal).
    const periods = pipeline.scenario.periods as number[];
    const reviewPolicy: ReviewPolicy = request.reviews ?? { kind: 'as_now' };
    const factors = draftingCapacityFactors(
      reviews.workload,
      reviewPolicy,
      reviewPolicy.kind === 'on_time'
        ? reviewsOnTimeByMonth(reviews.dueDates, today, months, reviewPolicy.clearOverdueMonths)
        : months.map(() => 0),
      months.map((_, i) => periods[i + 1]! - periods[i]!),
    );
    const reviewFactors = factors.map((factor, i) => ({ atWeek: periods[i]!, factor }));
    const lowest = factors.reduce<{ month: string; factor: number } | null>(
      (low, factor, i) =>
        factor < 1 - 1e-9 && (!low || factor < low.factor - 1e-9) ? { month: months[i]!, factor } : low,
      null,
    );

    const build = (changes: StaffChange[], demandChangePercent: number, withReviews = false) => {
      const staffed = withStaffChanges(pipeline.scenario, request.staffNow, changes, today);
      const reviewed = withReviews
        ? withCapacityFactors(staffed.scenario, 'drafting', reviewFactors)
        : staffed.scenario;
      const raw: RawScenario = {
        ...reviewed,
        arrivals: {
          ...staffed.scenario.arrivals,
          ratePerWeek: staffed.scenario.arrivals.ratePerWeek * (1 + demandChangePercent / 100),
        },
      };
      return { ...staffed, scenario: parseScenario(raw) };
    };
    const variants = [
      { key: 'current' as const, name: 'Current capacity', ...build([], 0), demand: 0 },
      { key: 'plan' as const, name: 'The improvement plan', ...build(planChanges, 0), demand: 0 },
      {
        key: 'custom' as const,
        name: 'Your scenario',
        ...build([...planChanges, ...request.changes], request.demandChangePercent, true),
        demand: request.demandChangePercent,
      },
    ];

    const outcomes: ScenarioOutcome[] = [];
    for (const [i, v] of variants.entries()) {
      job.step = `Simulating ${v.name.toLowerCase()}`;
      const reps = await runReplications(v.scenario, {
        onProgress: (done) => (job.done = i * SCENARIO_REPLICATIONS + done),
      });
      outcomes.push(
        outcome(
          v.key,
          v.name,
          v.scenario,
          reps,
          v.applied,
          v.skipped,
          v.demand,
          months,
          period,
          request,
          longWaiters,
          correction,
          v.key === 'custom' ? { policy: reviewPolicy, lowest } : { policy: { kind: 'as_now' }, lowest: null },
        ),
      );
    }

    let solution: ScenarioResults['solution'] = null;
    let solutionSkipped: string | null = null;
    if (request.solve && period > 0) {
      const custom = variants[2]!;
      const stageId = STAFF_STAGES[request.solve.staff];
      const stageIndex = custom.scenario.stages.findIndex((s) => s.id === stageId);
      const stage = custom.scenario.stages[stageIndex];
      const now = request.staffNow[request.solve.staff];
      if (stage && stage.servers !== null && now) {
        job.step = `Working out how many more ${CAPACITY_STAGES[request.solve.staff].split(' (')[0]!.toLowerCase()} it would take`;
        let evaluated = 0;
        const base = 3 * SCENARIO_REPLICATIONS;
        const found = await solveCapacity(
          custom.scenario,
          stageId!,
          { period, shareWithinTarget: request.target.share / 100 },
          {
            probability: request.solve.chance / 100,
            correction: correctionFor(correction?.share, period),
            maxExtra: SOLVER_MAX_EXTRA,
            atWeek: Math.max(0, daysBetween(today, request.solve.from) / 7),
            serversPerUnit: stage.servers / now,
            run: (s, from, to) =>
              runReplications(s, {
                from,
                to,
                onProgress: (done) => {
                  job.done = Math.min(job.total - 1, base + evaluated + done);
                },
              }).then((reps) => {
                evaluated += to - from;
                job.total = Math.max(job.total, base + evaluated + SCENARIO_REPLICATIONS);
                return reps;
              }),
          },
        );
        solution = { ...found, staff: request.solve.staff, from: request.solve.from, chance: request.solve.chance };
      } else {
        solutionSkipped = `There is not enough history of the ${stageId ?? ''} stage to size it, so the forecast cannot say how many more would be needed.`;
      }
    }
    return {
      asOf: today,
      replications: SCENARIO_REPLICATIONS,
      target: request.target,
      ageBands: [...variants[0]!.scenario.ageBands],
      openCases: calibration.backlog.length,
      reviewWorkload: reviews.workload,
      outcomes,
      solution,
      solutionSkipped,
    };
  }

  /** A run's progress or results, for the one who started it (or others of the LA who may see forecasts). */
  async function job(ctx: RequestContext, id: string): Promise<ScenarioJob> {
    requirePermission(ctx, 'measures:view');
    const found = await jobs.get(ctx.actor.laCode, id);
    if (!found) throw new NotFoundError('forecast scenario');
    if (found.status === 'done') await auditAction(db, ctx, 'read', 'forecast_scenario', null, { job: id });
    return found;
  }

  /** The annual reviews' share of caseworkers' time now, for the forecast page. */
  async function reviews(ctx: RequestContext): Promise<ReviewWorkload> {
    requirePermission(ctx, 'measures:view');
    const { workload } = await readReviewWorkload(ctx.actor.laCode, clock.today());
    await auditAction(db, ctx, 'read', 'review_workload');
    return workload;
  }

  return {
    form,
    reviews,
    start,
    job,
    /** The scenario jobs, for the job queue (src/jobs/userJobs.ts). */
    jobs,
    settled: jobs.settled,
    abandon: jobs.abandon,
  };
}

function outcome(
  key: ScenarioOutcome['key'],
  name: string,
  scenario: Scenario,
  reps: Replication[],
  applied: AppliedChange[],
  skipped: SkippedChange[],
  demandChangePercent: number,
  months: string[],
  period: number,
  request: ScenarioRequest,
  longWaiters: number,
  correction: ForecastRecalibration | null,
  reviews: ScenarioOutcome['reviews'],
): ScenarioOutcome {
  const summary = summarise(scenario, reps);
  // Period i is i months after this month's (the first is the rest of this month): the correction at horizon i.
  const issuedMaps = summary.periods.map((p, i) =>
    recalibrationMap(p.completed, correctionFor(correction?.issued, i), COUNT_BOUNDS),
  );
  return {
    key,
    name,
    applied,
    skipped,
    demandChangePercent,
    months,
    share: summary.periods.map((p, i) =>
      recalibrateRange(p.shareWithinTarget, correctionFor(correction?.share, i), SHARE_BOUNDS),
    ),
    issued: summary.periods.map((p, i) =>
      recalibrateRange(p.completed, correctionFor(correction?.issued, i), COUNT_BOUNDS),
    ),
    issuedNextYear: percentiles(
      reps.map((r) => r.periodCompleted.slice(1, 13).reduce((a, n, i) => a + issuedMaps[i + 1]!(n), 0)),
    ),
    openByAge: summary.periods.map((p, i) =>
      p.openByAge.map((r, band) => recalibrateRange(r, correctionFor(correction?.openByAge[band], i), COUNT_BOUNDS)),
    ),
    chance:
      period > 0
        ? probabilityMet(
            reps,
            { period, shareWithinTarget: request.target.share / 100 },
            correctionFor(correction?.share, period),
          )
        : null,
    warnings: summary.warnings,
    dip: backlogDip(
      months,
      summary.periods.map((p) => p.longWaiterPushDown.p50),
      longWaiters,
    ),
    reviews,
  };
}

export type ForecastScenarioService = ReturnType<typeof createForecastScenarioService>;
