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
  type ScenarioRequest,
} from '../../../services/forecastScenarios.js';
import { fanChartModel } from '../../charts/fanChart.js';
import { formatValue } from '../../charts/spcChart.js';
import { FormReader, text, type Body } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { addMonths } from '../../../domain/dates/months.js';
import { FINAL_PLAN_WEEKS } from '../../../domain/statutory/periods.js';
import { casePeriods } from '../casework/periods.js';

/** The staff a scenario can change, as the form names them. */
const STAFF_NAMES: Record<string, { plural: string; short: string }> = {
  educational_psychology: { plural: 'educational psychologists', short: 'Educational psychologists' },
  casework: { plural: 'EHC caseworkers', short: 'EHC caseworkers' },
};

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '' : formatValue(v * 100, '%'));
const count = (v: number | null | undefined) => (v === null || v === undefined ? '' : formatValue(v, ''));

/** The months a target can be judged in: whole months of the forecast (not the rest of this one). */
function targetMonths(today: LocalDate): { first: string; last: string } {
  return { first: addMonths(today, 1).slice(0, 7), last: addMonths(today, 23).slice(0, 7) };
}

function readRequest(
  body: Body,
  today: LocalDate,
  canSaveStaffing: boolean,
): { request: ScenarioRequest | null; form: FormReader } {
  const form = new FormReader(body);
  const staffNow: Partial<Record<CapacityStage, number>> = {};
  for (const staff of MODELLED_STAFF) {
    const n = form.number(`staff-${staff}`, `The number of ${STAFF_NAMES[staff]!.plural} now`, {
      min: 0.5,
      max: 10_000,
    });
    if (n !== null) staffNow[staff] = n;
  }
  const saveStaffing = canSaveStaffing && text(body, 'saveStaffing') === 'yes';
  form.values.saveStaffing = saveStaffing ? 'yes' : '';
  const demandChangePercent = form.number('demand', 'The change in requests', { min: -90, max: 200, unit: '%' }) ?? 0;
  const changes: ScenarioRequest['changes'] = [];
  for (const staff of MODELLED_STAFF) {
    const names = STAFF_NAMES[staff]!;
    const change = form.number(`extra-${staff}`, `More ${names.plural}`, { min: -1000, max: 1000 });
    const from = form.date(`from-${staff}`, `The date the ${names.plural} start`, {
      required: change !== null && change !== 0,
    });
    if (change === null || change === 0 || from === null) continue;
    if (staffNow[staff] === undefined) {
      form.error(`staff-${staff}`, `Enter the number of ${names.plural} now, to add more`);
      continue;
    }
    changes.push({ staff, change, from, label: 'Your scenario' });
  }
  const share = form.number('target-share', 'The target share', { min: 1, max: 100, unit: '%', required: true });
  const month = form.month('target', 'The target month');
  const { first, last } = targetMonths(today);
  if (month !== null && (month < first || month > last)) {
    form.error(
      'target',
      `The target month must be between ${formatMonth(first)} and ${formatMonth(last)}`,
      '#target-month',
    );
  }
  let solve: ScenarioRequest['solve'] = null;
  const solveStaff = form.choice(
    'solve',
    ['no', ...MODELLED_STAFF],
    'Select whether to work out how many more staff it would take',
  );
  if (solveStaff && solveStaff !== 'no') {
    const names = STAFF_NAMES[solveStaff]!;
    const chance = form.number('chance', 'The chance wanted', { min: 1, max: 99, unit: '%', required: true });
    const from = form.date('solve-from', `The date more ${names.plural} could start`);
    if (staffNow[solveStaff] === undefined) {
      form.error(
        `staff-${solveStaff}`,
        `Enter the number of ${names.plural} now, to work out how many more it would take`,
      );
    }
    if (chance !== null && from !== null) solve = { staff: solveStaff, from, chance };
  }
  if (form.errors.length > 0 || share === null || month === null) return { request: null, form };
  return {
    request: { staffNow, saveStaffing, demandChangePercent, changes, target: { share, month }, solve },
    form,
  };
}

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
      chance: o.chance === null ? '' : pct(o.chance),
      share: o.share[at]!,
      shareText: `${pct(o.share[at]!.p50)} (${pct(o.share[at]!.p10)} to ${pct(o.share[at]!.p90)})`,
      issuedYear: `${count(o.issuedNextYear.p50)} (${count(o.issuedNextYear.p10)} to ${count(o.issuedNextYear.p90)})`,
      openOver20: count(over20.reduce((a, p) => a + (p.p50 ?? 0), 0)),
      ages: o.openByAge[at]!.map((p) => count(p.p50)),
      warnings: o.warnings,
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
  return {
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
    const { request, form } = readRequest(req.body as Body, services.clock.today(), canSaveStaffing);
    if (!request) {
      await renderForm(req, res, { values: form.values, errors: form.errors, status: 400 });
      return;
    }
    try {
      const id = await services.scenarios.start(ctx(req), request);
      res.redirect(303, `/forecast/scenarios/${id}`);
    } catch (error) {
      if (!(error instanceof BusyError)) throw error;
      await renderForm(req, res, {
        values: form.values,
        errors: [{ text: error.message, href: '#main-content' }],
        status: 429,
      });
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
