/**
 * The scenario editor: current capacity, the improvement plan and the user's own scenario side by side, and how many
 * more staff it would take. A run is a job on worker threads: the form starts it, the job's page shows its progress
 * (a "check progress" button without JavaScript; updated in place with it) and then the results.
 */
import { Router, type Request, type Response } from 'express';
import { can } from '../../../domain/access/roles.js';
import { formatLongDate, formatMonth, type LocalDate } from '../../../domain/dates/localDate.js';
import { CAPACITY_STAGES, type CapacityStage } from '../../../domain/commitments/plan.js';
import { MODELLED_STAFF, wholeMonths, type backlogDip } from '../../../domain/forecast/scenarios.js';
import type { Services } from '../../../services/index.js';
import { failureInWords, jobProgress } from '../../../services/jobs.js';
import {
  BusyError,
  SOLVER_MAX_EXTRA,
  type ScenarioJob,
  type ScenarioOutcome,
} from '../../../services/forecastScenarios.js';
import type { ReviewWorkload } from '../../../domain/forecast/reviewWorkload.js';
import { WEEKS_A_YEAR } from '../../../domain/forecast/scenario.js';
import { fanChartModel } from '../../charts/fanChart.js';
import { formatValue } from '../../charts/spcChart.js';
import { attempt } from '../../formFailures.js';
import { checkForm } from '../../validation.js';
import {
  REVIEW_CLEAR_MONTHS,
  SCENARIO_FIELDS,
  STAFF_NAMES,
  scenarioForm,
  targetMonths,
  typedValues,
} from './scenarioForm.js';
import { loadWarningText } from './stages.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { FINAL_PLAN_WEEKS } from '../../../domain/statutory/periods.js';
import { casePeriods } from '../casework/periods.js';

/** The annual reviews' workload now, in words, for the form and the results. */
export function reviewWorkloadText(w: ReviewWorkload): string {
  const perMonth = Math.round((w.concludedPerWeek * WEEKS_A_YEAR) / 12);
  const overdue = `${count(w.overdue)} ${w.overdue === 1 ? 'is' : 'are'} overdue today`;
  if (perMonth === 0) return `In the last 12 months no annual reviews were concluded, and ${overdue}.`;
  const now = `In the last 12 months about ${count(perMonth)} annual reviews a month were concluded, and ${overdue}.`;
  return w.reviewShare === null
    ? now
    : `${now} Reviews take about ${pct(w.reviewShare)} of caseworkers’ time; the rest goes to requests.`;
}

/** What a scenario assumed of the annual reviews, and what it left of caseworkers' time for writing new plans. */
export function reviewPolicyText(
  reviews: ScenarioOutcome['reviews'] | undefined,
  months: readonly string[],
  overdue: number,
): string {
  if (!reviews || reviews.policy.kind === 'as_now') return 'As now';
  const by = months[Math.min(months.length - 1, reviews.policy.clearOverdueMonths)]!;
  const plan = `Every review on time from ${formatMonth(months[1] ?? months[0]!)}, and the ${count(overdue)} overdue cleared by the end of ${formatMonth(by)}`;
  return reviews.lowest
    ? `${plan}: up to ${pct(1 - reviews.lowest.factor)} less of caseworkers’ time for writing new plans (in ${formatMonth(reviews.lowest.month)})`
    : `${plan}: no less of caseworkers’ time for writing new plans`;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '' : formatValue(v * 100, '%'));
const count = (v: number | null | undefined) => (v === null || v === undefined ? '' : formatValue(v, ''));

function describeChange(c: { staff: string; change: number; from: string; label: string }) {
  const names = STAFF_NAMES[c.staff];
  const who = names ? names.plural : (CAPACITY_STAGES[c.staff as CapacityStage] ?? c.staff).toLowerCase();
  const amount = `${c.change > 0 ? '+' : ''}${formatValue(c.change, '')} ${who}`;
  return `${amount} from ${formatLongDate(c.from as LocalDate)} (${c.label})`;
}

/** The results page's model: the side-by-side table, one fan chart per scenario, age bands and the solver's answer. */
function resultsView(job: ScenarioJob) {
  const result = job.result!;
  const month = result.target.month;
  const bands = result.ageBands;
  const bandNames = bandNamesOf(bands);
  const scenarios = result.outcomes.map((o) => {
    const at = o.months.indexOf(month);
    // Whole months only, as the forecast page (and the dip warning) has them.
    const months = wholeMonths(o.months);
    const shares = wholeMonths(o.share);
    const issued = wholeMonths(o.issued);
    const over20 = o.openByAge[at]!.slice(bands.indexOf(FINAL_PLAN_WEEKS) + 1);
    return {
      key: o.key,
      name: o.name,
      changes: o.applied.map(describeChange),
      skipped: o.skipped.map((s) => `${describeChange(s)}: not included, ${s.reason}`),
      demand: o.demandChangePercent,
      reviews: reviewPolicyText(o.reviews, o.months, result.reviewWorkload?.overdue ?? 0),
      chance: o.chance === null ? '' : pct(o.chance),
      share: o.share[at]!,
      shareText: `${pct(o.share[at]!.p50)} (${pct(o.share[at]!.p10)} to ${pct(o.share[at]!.p90)})`,
      issuedYear: `${count(o.issuedNextYear.p50)} (${count(o.issuedNextYear.p10)} to ${count(o.issuedNextYear.p90)})`,
      openOver20: count(over20.reduce((a, p) => a + (p.p50 ?? 0), 0)),
      ages: o.openByAge[at]!.map((p) => count(p.p50)),
      warnings: o.warnings.map((w) => scenarioWarningText(o.name, w)),
      dip: o.dip ? dipText(o.dip) : null,
      chart: fanChartModel(
        months.map((m, i) => ({
          month: m,
          p10: shares[i]!.p10 === null ? null : shares[i]!.p10 * 100,
          p50: shares[i]!.p50 === null ? null : shares[i]!.p50 * 100,
          p90: shares[i]!.p90 === null ? null : shares[i]!.p90 * 100,
        })),
        { unit: '%', target: result.target.share },
      ),
      rows: months.map((m, i) => ({
        month: formatMonth(m),
        share: [pct(shares[i]!.p10), pct(shares[i]!.p50), pct(shares[i]!.p90)],
        issued: count(issued[i]!.p50),
      })),
    };
  });
  const s = result.solution;
  let solution: { text: string; tried: { extra: string; chance: string }[] } | null = null;
  if (s) {
    const names = STAFF_NAMES[s.staff]!;
    const goal = `a ${formatValue(s.chance, '%')} chance of ${formatValue(result.target.share, '%')} within ${FINAL_PLAN_WEEKS} weeks in ${formatMonth(month)}`;
    solution = {
      text:
        s.extra === null
          ? `Even ${count(SOLVER_MAX_EXTRA)} more ${names.plural} from ${formatLongDate(s.from)} would not give ${goal} (the chance would be ${pct(s.probability)}): the time is being lost somewhere else.`
          : s.extra === 0
            ? `Your scenario already gives ${goal} (${pct(s.probability)}): no more ${names.plural} are needed.`
            : `At least ${count(s.extra)} more ${names.plural} from ${formatLongDate(s.from)}, on top of your scenario, give ${goal} (${pct(s.probability)}).`,
      tried: [...s.tried]
        .sort((a, b) => a.extra - b.extra)
        .map((t) => ({ extra: count(t.extra), chance: pct(t.probability) })),
    };
  }
  // The capacity every scenario starts from: the staff now as entered (a change to staff not entered is refused).
  const staffNow = MODELLED_STAFF.map((staff) => {
    const n = job.request.staffNow[staff];
    const names = STAFF_NAMES[staff]!;
    return n === undefined
      ? `${names.plural} not given (no change to them is modelled)`
      : `${count(n)} ${names.plural}`;
  });
  return {
    staffNow: `Each scenario starts from the staff now: ${staffNow.join(', ')}.`,
    reviewWorkload: result.reviewWorkload ? reviewWorkloadText(result.reviewWorkload) : null,
    targetText: `${formatValue(result.target.share, '%')} within ${FINAL_PLAN_WEEKS} weeks in ${formatMonth(month)}`,
    monthName: formatMonth(month),
    scenarios,
    bandNames,
    solution,
    solutionSkipped: result.solutionSkipped,
    asOf: formatLongDate(result.asOf),
    replications: result.replications,
    openCases: result.openCases,
  };
}

/** The names of the age bands open requests are counted in: "Under 6 weeks", "6 to 20 weeks", ... */
/** A load warning as one sentence naming the scenario it belongs to. */
export function scenarioWarningText(scenario: string, warning: Parameters<typeof loadWarningText>[0]): string {
  const text = loadWarningText(warning);
  return `In “${scenario}”, ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

export function bandNamesOf(bands: readonly number[]): string[] {
  if (bands.length === 0) return [];
  return [
    `Under ${bands[0]} weeks`,
    ...bands.slice(1).map((b, i) => `${bands[i]} to ${b} weeks`),
    `${bands[bands.length - 1]} weeks or more`,
  ];
}

/** The warning when the backlog's long waiters pull the 20-week measure down (for the forecast and scenario pages). */
export function dipText(dip: NonNullable<ReturnType<typeof backlogDip>>): string {
  const when =
    dip.months.length === 1
      ? formatMonth(dip.months[0]!)
      : `${formatMonth(dip.months[0]!)} to ${formatMonth(dip.months[dip.months.length - 1]!)}`;
  return `Clearing the ${count(dip.longWaiters)} requests already over ${FINAL_PLAN_WEEKS} weeks will hold the share of plans within ${FINAL_PLAN_WEEKS} weeks down (${when}; most in ${formatMonth(dip.worst.month)}, where the chart’s median would be ${formatValue(dip.worst.points, '')} percentage points higher without them): their plans can only count as late, in the month they are issued.`;
}

export function scenarioRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { id: 'forecast_scenario' });
  const ctx = (req: Request) => requestContext(req);

  const renderForm = async (
    req: Request,
    res: Response,
    extra: { values?: Record<string, unknown>; errors?: { text: string; href: string }[]; status?: number },
  ) => {
    const model = await services.scenarios.form(ctx(req));
    const today = services.clock.today();
    const { first, last } = targetMonths(today);
    const defaults: Record<string, unknown> = {
      ...Object.fromEntries(
        MODELLED_STAFF.map((s) => [`staff-${s}`, model.staffing[s] === null ? '' : String(model.staffing[s])]),
      ),
      demand: '0',
      reviews: 'as_now',
      'review-months': '6',
      'target-share': model.target ? String(model.target.share) : '',
      target: model.target
        ? { month: String(Number(model.target.month.slice(5, 7))), year: model.target.month.slice(0, 4) }
        : {},
      solve: 'no',
      chance: '80',
    };
    res.status(extra.status ?? 200).render('forecast/scenario-form.njk', {
      values: extra.values ?? defaults,
      errors: extra.errors,
      staff: MODELLED_STAFF.map((s) => ({ key: s, ...STAFF_NAMES[s]! })),
      actions: model.actions.map((a) => ({
        title: a.title,
        change: describeChange({ staff: a.staff!, change: a.change!, from: a.from!, label: a.title }),
        modelled: MODELLED_STAFF.includes(a.staff as CapacityStage),
      })),
      canSaveStaffing: model.canSaveStaffing,
      reviewWorkload: reviewWorkloadText(model.reviews),
      reviewMonths: REVIEW_CLEAR_MONTHS,
      firstMonth: formatMonth(first),
      lastMonth: formatMonth(last),
      periods: casePeriods(),
    });
  };

  router.get('/forecast/scenarios', requirePermission('measures:view'), noStore, async (req, res) => {
    await renderForm(req, res, {});
  });

  router.post('/forecast/scenarios', requirePermission('measures:view'), noStore, async (req, res) => {
    // The form's data is read (and the read audited) only to show the form again.
    const canSaveStaffing = can(req.user!.roles, 'plan:edit');
    const values = typedValues(req.body as Record<string, unknown>, canSaveStaffing);
    const form = checkForm(scenarioForm(services.clock.today(), canSaveStaffing), req.body, SCENARIO_FIELDS);
    if (!form.ok) {
      await renderForm(req, res, { values, errors: form.errors, status: 400 });
      return;
    }
    try {
      const outcome = await attempt(() => services.scenarios.start(ctx(req), form.data));
      if (!outcome.ok) {
        await renderForm(req, res, { values, errors: outcome.failure.errors, status: outcome.failure.status });
        return;
      }
      res.redirect(303, `/forecast/scenarios/${outcome.value}`);
    } catch (error) {
      if (!(error instanceof BusyError)) throw error;
      await renderForm(req, res, { values, errors: [{ text: error.message, href: '#main-content' }], status: 429 });
    }
  });

  router.get('/forecast/scenarios/:id/progress', requirePermission('measures:view'), noStore, async (req, res) => {
    const job = await services.scenarios.job(ctx(req), String(req.params.id));
    res.json(jobProgress(job));
  });

  router.get('/forecast/scenarios/:id', requirePermission('measures:view'), noStore, async (req, res) => {
    const job = await services.scenarios.job(ctx(req), String(req.params.id));
    if (job.status !== 'done') {
      // A job that failed is an outcome like any other: its page says so, why, and to start it again.
      res.render('forecast/scenario-progress.njk', { job, progress: jobProgress(job), failure: failureInWords(job) });
      return;
    }
    res.render('forecast/scenario-results.njk', { job, ...resultsView(job), periods: casePeriods() });
  });

  return router;
}
