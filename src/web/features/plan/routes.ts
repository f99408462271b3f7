/**
 * The improvement plan: its details, objectives and priorities; commitments written from draft to measurable with the
 * vagueness check beside them; each commitment's assurance, history and actions; the board report (page, CSV, PDF);
 * the public plan; and the plan check, where a board pastes the text of its current plan (nothing pasted is stored).
 */
import { isUuid } from '../../../domain/identifiers/uuid.js';
import { Router, type Request, type Response } from 'express';
import { can } from '../../../domain/access/roles.js';
import {
  ACTION_STATUSES,
  CAPACITY_STAGES,
  formatMilestones,
  parseMilestones,
  parseMonth,
  REPORTING_FREQUENCIES,
  type ActionStatus,
  type CapacityStage,
  type ReportingFrequency,
} from '../../../domain/commitments/plan.js';
import {
  candidatesFromText,
  checkCommitment,
  MAX_PASTED_CHARACTERS,
  type Candidate,
} from '../../../domain/commitments/vagueness.js';
import { MEASURES } from '../../../domain/measures/monthly.js';
import { wholeMonths } from '../../../domain/forecast/scenarios.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import type { Services } from '../../../services/index.js';
import {
  PlanConflictError,
  PlanRuleError,
  type CommitmentInput,
  type CommitmentView,
} from '../../../services/improvementPlan/index.js';
import { toCsv, type CsvCell } from '../../../services/csv.js';
import { dateInputValues, FormReader, serviceErrors, staleView, text, type Body, type FormError } from '../../forms.js';
import { fanChartModel } from '../../charts/fanChart.js';
import { monthLabel } from '../../charts/spcChart.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { disclosureView } from '../measures/routes.js';
import { boardReportPdf } from './pdf.js';
import {
  capacityText,
  chartView,
  HIDDEN_TEXT,
  historyView,
  liveComparisonView,
  measureName,
  RULE_NAMES,
  summaryView,
  value,
} from './view.js';

function checkSummary(candidates: Candidate[]) {
  const byRule = Object.entries(RULE_NAMES).map(([rule, name]) => ({
    name,
    count: candidates.filter((c) => c.flags.some((f) => f.rule === rule)).length,
  }));
  return {
    statements: candidates.length,
    measurable: candidates.filter((c) => c.flags.length === 0).length,
    byRule: byRule.filter((r) => r.count > 0),
  };
}

/** An optional number as people type it ("60", "60%", "1,200"); undefined when it is not one. */
function readNumber(form: FormReader, name: string, label: string, integer = false): number | null {
  const raw = form.text(name, label, { max: 20 });
  if (raw === '') return null;
  const n = Number(raw.replace(/[,%\s]/g, ''));
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    form.error(name, `${label} must be ${integer ? 'a whole number' : 'a number'}, like ${integer ? '120' : '60'}`);
    return null;
  }
  return n;
}

const DATE_FIELDS = ['targetDate', 'dueDate', 'capacityFrom'];

/** The commitment form, read: the input for the service, or the errors of what could not be read. */
function readCommitment(body: Body): { input: CommitmentInput; form: FormReader } {
  const form = new FormReader(body);
  const statement = form.text('statement', 'The commitment', {
    required: 'Enter the commitment, in a sentence',
    max: 1000,
  });
  const priorityId = form.text('priorityId', 'Priority area');
  const measure = form.text('measureId', 'Measure');
  const manual = measure === 'manual';
  const unit: '%' | '' = form.text('seriesUnit', 'Unit') === '%' ? '%' : '';
  const series = manual
    ? {
        name: form.text('seriesName', 'Name of the series', { max: 200 }),
        source: form.text('seriesSource', 'Source', { max: 500 }),
        numerator: form.text('seriesNumerator', 'Numerator', { max: 500 }),
        denominator: form.text('seriesDenominator', 'Denominator', { max: 500 }),
        unit,
      }
    : null;
  const liveMeasure = manual ? form.text('liveMeasureId', 'Live figure with the same definition') : '';
  const polarity = form.text('polarity', 'Which way is better');
  const baselinePeriodText = form.text('baselinePeriod', 'Baseline month', { max: 30 });
  const baselinePeriod = baselinePeriodText ? parseMonth(baselinePeriodText) : null;
  if (baselinePeriodText && !baselinePeriod) {
    form.error('baselinePeriod', 'Baseline month must be a month, like March 2024 or 2024-03');
  }
  const milestonesText = form.text('milestones', 'Milestones', { max: 5000 });
  const { milestones, errors: milestoneErrors } = parseMilestones(milestonesText);
  if (milestoneErrors.length) form.error('milestones', milestoneErrors[0]!);
  const frequency = form.text('frequency', 'Reporting frequency');
  const lag = readNumber(form, 'lagMonths', 'Reporting lag', true);
  if (lag !== null && (lag < 0 || lag > 12)) form.error('lagMonths', 'Reporting lag must be from 0 to 12 months');
  const input: CommitmentInput = {
    statement,
    priorityId: isUuid(priorityId) ? priorityId : null,
    measureId: manual || measure === '' ? null : measure,
    series,
    liveMeasureId: liveMeasure === '' ? null : liveMeasure,
    polarity: polarity === 'increase' || polarity === 'decrease' ? polarity : null,
    baselineValue: readNumber(form, 'baselineValue', 'Baseline'),
    baselinePeriod,
    baselineN: readNumber(form, 'baselineN', 'Baseline number', true),
    targetValue: readNumber(form, 'targetValue', 'Target'),
    targetDate: form.date('targetDate', 'Target date', { required: false }),
    milestones,
    ownerRole: form.text('ownerRole', 'Owner’s role', { max: 200 }),
    ownerOrganisation: form.text('ownerOrganisation', 'Owner’s organisation', { max: 200 }),
    frequency: (frequency in REPORTING_FREQUENCIES ? frequency : 'monthly') as ReportingFrequency,
    lagMonths: lag ?? 1,
  };
  form.text('reason', 'Reason', { max: 1000 });
  return { input, form };
}

/** The form's values from a stored commitment. */
function formValues(row: CommitmentView['row']): Record<string, unknown> {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return {
    statement: row.statement,
    priorityId: row.priorityId ?? '',
    measureId: row.measureId ?? (row.seriesName !== null ? 'manual' : ''),
    seriesName: row.seriesName ?? '',
    seriesSource: row.seriesSource ?? '',
    seriesNumerator: row.seriesNumerator ?? '',
    seriesDenominator: row.seriesDenominator ?? '',
    seriesUnit: row.seriesUnit ?? '',
    liveMeasureId: row.liveMeasureId ?? '',
    polarity: row.polarity ?? '',
    baselineValue: n(row.baselineValue),
    baselinePeriod: row.baselinePeriod ? monthLabel(row.baselinePeriod) : '',
    baselineN: n(row.baselineN),
    targetValue: n(row.targetValue),
    targetDate: dateInputValues(row.targetDate),
    milestones: formatMilestones(row.milestones),
    ownerRole: row.ownerRole ?? '',
    ownerOrganisation: row.ownerOrganisation ?? '',
    frequency: row.frequency,
    lagMonths: String(row.lagMonths),
    reason: '',
  };
}

/** The kind of plan record an address's id names, as the audit log calls it. */
function planRecordKind(req: Request): string {
  const part = /^\/improvement-plan\/(\w+)\//.exec(req.path)?.[1] ?? '';
  return PLAN_RECORDS[part] ?? 'improvement_plan';
}
const PLAN_RECORDS: Partial<Record<string, string>> = {
  objectives: 'plan_objective',
  priorities: 'plan_priority',
  commitments: 'commitment',
  actions: 'commitment_action',
};

/** The version of the record the form was opened at (its hidden field), or -1 when it is missing or not a number. */
function formVersion(req: Request, field = 'version'): number {
  const version = Number(text(req.body as Body, field));
  return Number.isInteger(version) ? version : -1;
}

export function planRoutes(services: Services): Router {
  const router = Router();
  const plan = services.plan;
  uuidParams(router, services, { id: planRecordKind });

  router.get('/improvement-plan', requirePermission('plan:view'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const overview = await plan.overview(ctx);
    const canEdit = can(ctx.actor.roles, 'plan:edit');
    if (!overview) {
      res.render('plan/none.njk', { canEdit });
      return;
    }
    const byPriority = [...overview.priorities, null].map((p) => ({
      priority: p,
      commitments: overview.commitments
        .filter((c) => c.row.priorityId === (p?.id ?? null))
        .map((c) => ({
          id: c.row.id,
          reference: c.reference,
          statement: c.row.statement,
          draft: c.row.status === 'draft',
          ruleNames: c.flags.map((f) => RULE_NAMES[f.rule]),
        })),
    }));
    res.render('plan/overview.njk', {
      ...overview,
      canEdit,
      canForecast: can(ctx.actor.roles, 'measures:view'),
      byPriority: byPriority.filter((g) => g.priority !== null || g.commitments.length > 0),
      ruleCounts: Object.entries(overview.summary.byRule)
        .filter(([, count]) => count > 0)
        .map(([rule, count]) => ({ name: RULE_NAMES[rule as keyof typeof RULE_NAMES], count })),
      saved: req.query.saved,
    });
  });

  // The plan's details: title, partners, period, chair, and whether it is published.
  async function renderDetails(
    req: Request,
    res: Response,
    values: Record<string, unknown> | null,
    errors: FormError[],
    stale?: ReturnType<typeof staleView>,
  ) {
    const overview = await plan.overview(requestContext(req));
    const p = overview?.plan;
    res.status(stale ? 409 : errors.length ? 400 : 200).render('plan/details.njk', {
      errors: stale?.errors ?? errors,
      stale: stale?.stale,
      version: p?.version ?? 0,
      values: values ?? {
        title: p?.title ?? '',
        partners: p?.partners.join('\n') ?? '',
        periodStart: dateInputValues(p?.periodStart),
        periodEnd: dateInputValues(p?.periodEnd),
        chair: p?.chair ?? '',
        published: p?.published ? ['yes'] : [],
      },
    });
  }

  router.get('/improvement-plan/details', requirePermission('plan:edit'), noStore, async (req, res) => {
    await renderDetails(req, res, null, []);
  });

  router.post('/improvement-plan/details', requirePermission('plan:edit'), noStore, async (req, res) => {
    const form = new FormReader(req.body as Body);
    const title = form.text('title', 'Title', { required: 'Enter the plan’s title', max: 200 });
    const partnersText = form.text('partners', 'Partners', { required: 'Enter the partners, one per line', max: 2000 });
    const periodStart = form.date('periodStart', 'Start date');
    const periodEnd = form.date('periodEnd', 'End date');
    const chair = form.text('chair', 'Independent chair', { required: 'Enter the independent chair’s name', max: 200 });
    const published = text(req.body as Body, 'published') === 'yes';
    form.values.published = published ? ['yes'] : [];
    if (form.errors.length || !periodStart || !periodEnd) {
      await renderDetails(req, res, form.values, form.errors);
      return;
    }
    try {
      await plan.savePlan(
        requestContext(req),
        {
          title,
          partners: partnersText
            .split(/\r?\n/)
            .map((s) => s.trim())
            .filter(Boolean),
          periodStart,
          periodEnd,
          chair,
          published,
        },
        formVersion(req),
      );
    } catch (err) {
      if (err instanceof PlanRuleError)
        return renderDetails(req, res, form.values, serviceErrors(err.errors, ['periodStart', 'periodEnd']));
      if (err instanceof PlanConflictError) {
        return renderDetails(req, res, form.values, [], staleView(err.detail, 'the plan’s details'));
      }
      throw err;
    }
    res.redirect(303, '/improvement-plan?saved=details');
  });

  // Objectives and priority areas: a short form each, to add or to change.
  type Overview = NonNullable<Awaited<ReturnType<typeof plan.overview>>>;

  async function current<T extends { id: string }>(req: Request, pick: (o: Overview) => T[]) {
    const overview = await plan.overview(requestContext(req));
    return overview ? (pick(overview).find((x) => x.id === req.params.id) ?? null) : null;
  }

  function partRoutes<T extends { id: string; version: number }, V>(spec: {
    path: string;
    template: string;
    anchor: string;
    /** What the form changes, as the conflict message names it ("this objective"). */
    what: string;
    pick: (o: Overview) => T[];
    values: (item: T) => Record<string, unknown>;
    read: (form: FormReader) => V;
    add: (ctx: ReturnType<typeof requestContext>, value: V) => Promise<void>;
    change: (ctx: ReturnType<typeof requestContext>, id: string, value: V, version: number) => Promise<void>;
  }) {
    const base = `/improvement-plan/${spec.path}`;
    router.get(`${base}/new`, requirePermission('plan:edit'), noStore, (_req, res) => {
      res.render(spec.template, { id: null, values: {}, errors: [] });
    });
    router.get(`${base}/:id/edit`, requirePermission('plan:edit'), noStore, async (req, res, next) => {
      const item = await current(req, spec.pick);
      if (!item) return next();
      res.render(spec.template, { id: item.id, version: item.version, values: spec.values(item), errors: [] });
    });
    const save = async (req: Request, res: Response, id: string | null) => {
      const form = new FormReader(req.body as Body);
      const value = spec.read(form);
      const version = Number(text(req.body as Body, 'version'));
      if (form.errors.length) {
        res.status(400).render(spec.template, { id, version, values: form.values, errors: form.errors });
        return;
      }
      try {
        if (id) await spec.change(requestContext(req), id, value, formVersion(req));
        else await spec.add(requestContext(req), value);
      } catch (err) {
        if (!(err instanceof PlanConflictError)) throw err;
        // Shown again with what was typed, their change beside it, and the version now: saving again is a choice.
        res.status(409).render(spec.template, {
          id,
          version: err.detail.version,
          values: form.values,
          ...staleView(err.detail, spec.what),
        });
        return;
      }
      res.redirect(303, `/improvement-plan?saved=${spec.path}${spec.anchor}`);
    };
    router.post(base, requirePermission('plan:edit'), noStore, (req, res) => save(req, res, null));
    router.post(`${base}/:id`, requirePermission('plan:edit'), noStore, (req, res) =>
      save(req, res, req.params.id as string),
    );
  }

  partRoutes({
    path: 'objectives',
    template: 'plan/objective.njk',
    anchor: '#objectives',
    what: 'this objective',
    pick: (o) => o.objectives,
    values: (o) => ({ text: o.text, horizon: dateInputValues(o.horizon) }),
    read: (form) => ({
      text: form.text('text', 'The objective', { required: 'Enter the objective', max: 1000 }),
      horizon: form.date('horizon', 'The date it is to be met by'),
    }),
    add: (ctx, v) => plan.addObjective(ctx, v.text, v.horizon),
    change: (ctx, id, v, version) => plan.changeObjective(ctx, id, v.text, v.horizon, version),
  });
  router.post('/improvement-plan/objectives/:id/delete', requirePermission('plan:edit'), noStore, async (req, res) => {
    const id = req.params.id as string;
    try {
      await plan.removeObjective(requestContext(req), id, formVersion(req));
    } catch (err) {
      if (!(err instanceof PlanConflictError)) throw err;
      // The objective as it is now, their change shown: removing it again is a choice.
      const objective = await current(req, (o) => o.objectives);
      res.status(409).render('plan/objective.njk', {
        id,
        version: err.detail.version,
        values: objective ? { text: objective.text, horizon: dateInputValues(objective.horizon) } : {},
        ...staleView(err.detail, 'this objective', 'remove'),
      });
      return;
    }
    res.redirect(303, '/improvement-plan?saved=objective-removed#objectives');
  });

  partRoutes({
    path: 'priorities',
    template: 'plan/priority.njk',
    anchor: '#commitments',
    what: 'this priority area',
    pick: (o) => o.priorities,
    values: (p) => ({ title: p.title, description: p.description }),
    read: (form) => ({
      title: form.text('title', 'The priority area', { required: 'Enter the priority area', max: 300 }),
      description: form.text('description', 'Description', { max: 2000 }),
    }),
    add: (ctx, v) => plan.addPriority(ctx, v.title, v.description),
    change: (ctx, id, v, version) => plan.changePriority(ctx, id, v.title, v.description, version),
  });
  router.post(
    '/improvement-plan/priorities/:id/delete',
    requirePermission('plan:edit'),
    noStore,
    async (req, res, next) => {
      const id = req.params.id as string;
      try {
        await plan.removePriority(requestContext(req), id, formVersion(req));
      } catch (err) {
        if (!(err instanceof PlanRuleError || err instanceof PlanConflictError)) throw err;
        const priority = await current(req, (o) => o.priorities);
        if (!priority) return next();
        const refusal =
          err instanceof PlanConflictError
            ? { status: 409, ...staleView(err.detail, 'this priority area', 'remove') }
            : { status: 400, errors: serviceErrors(err.errors, []) };
        res.status(refusal.status).render('plan/priority.njk', {
          id,
          version: priority.version,
          values: { title: priority.title, description: priority.description },
          ...refusal,
        });
        return;
      }
      res.redirect(303, '/improvement-plan?saved=priority-removed#commitments');
    },
  );

  // Writing a commitment: new or changed, as a draft or as measurable, or checked without saving.
  async function renderCommitmentForm(
    req: Request,
    res: Response,
    options: {
      id: string | null;
      version: number;
      measurable: boolean;
      values: Record<string, unknown>;
      errors: FormError[];
      checked?: ReturnType<typeof checkCommitment>;
      status?: number;
      stale?: ReturnType<typeof staleView>['stale'];
    },
  ) {
    const choices = await plan.formChoices(requestContext(req));
    res.status(options.status ?? (options.errors.length ? 400 : 200)).render('plan/commitment-form.njk', {
      ...options,
      priorities: choices.priorities,
      measures: MEASURES.filter((m) => m.improvementDirection !== 'neutral' || m.kind === 'count'),
      frequencies: REPORTING_FREQUENCIES,
      checked: options.checked?.map((f) => ({ name: RULE_NAMES[f.rule], message: f.message })),
    });
  }

  router.get('/improvement-plan/commitments/new', requirePermission('plan:edit'), noStore, async (req, res) => {
    const priorityId = typeof req.query.priority === 'string' ? req.query.priority : '';
    await renderCommitmentForm(req, res, {
      id: null,
      version: 0,
      measurable: false,
      values: { priorityId, frequency: 'monthly', lagMonths: '1' },
      errors: [],
    });
  });

  router.get('/improvement-plan/commitments/:id/edit', requirePermission('plan:edit'), noStore, async (req, res) => {
    const c = await services.plan.commitment(requestContext(req), req.params.id as string);
    await renderCommitmentForm(req, res, {
      id: c.row.id,
      version: c.row.version,
      measurable: c.row.status === 'measurable',
      values: formValues(c.row),
      errors: [],
      checked: c.flags,
    });
  });

  async function saveCommitment(req: Request, res: Response, id: string | null) {
    const body = req.body as Body;
    const { input, form } = readCommitment(body);
    const intent = text(body, 'intent');
    const version = Number(text(body, 'version'));
    const measurable = text(body, 'measurable') === 'yes';
    const again = (errors: FormError[], checked?: ReturnType<typeof checkCommitment>, status?: number) =>
      renderCommitmentForm(req, res, { id, version, measurable, values: form.values, errors, checked, status });
    if (form.errors.length) return again(form.errors);
    const checked = checkCommitment(
      {
        statement: input.statement,
        measureId: input.measureId,
        manualSeries: input.series,
        polarity: input.polarity,
        baseline: { value: input.baselineValue, period: input.baselinePeriod, n: input.baselineN },
        target: { value: input.targetValue, date: input.targetDate },
        trajectory: input.milestones,
        owner: { role: input.ownerRole, organisation: input.ownerOrganisation },
      },
      services.clock.today(),
    );
    // "Check" shows what the vagueness check finds without saving anything.
    if (intent === 'check') return again([], checked, 200);
    try {
      const savedId = await plan.saveCommitment(requestContext(req), id, input, {
        draft: intent === 'draft',
        version: formVersion(req),
        reason: text(body, 'reason'),
      });
      res.redirect(
        303,
        `/improvement-plan/commitments/${savedId}?saved=${intent === 'draft' ? 'draft' : 'measurable'}`,
      );
    } catch (err) {
      if (err instanceof PlanRuleError) return again(serviceErrors(err.errors, DATE_FIELDS), checked);
      if (err instanceof PlanConflictError) {
        const { errors, stale } = staleView(err.detail, 'this commitment');
        return renderCommitmentForm(req, res, {
          id,
          version: err.detail.version ?? version,
          measurable,
          values: form.values,
          errors,
          checked,
          status: 409,
          stale,
        });
      }
      throw err;
    }
  }

  router.post('/improvement-plan/commitments', requirePermission('plan:edit'), noStore, (req, res) =>
    saveCommitment(req, res, null),
  );
  router.post('/improvement-plan/commitments/:id', requirePermission('plan:edit'), noStore, (req, res) => {
    return saveCommitment(req, res, req.params.id as string);
  });

  // One commitment: assurance, technical note, milestones, actions, history.
  async function renderCommitment(
    req: Request,
    res: Response,
    id: string,
    valueForm?: { values: Record<string, unknown>; errors: FormError[]; stale?: ReturnType<typeof staleView> },
  ) {
    const ctx = requestContext(req);
    const c = await plan.commitment(ctx, id);
    const status = valueForm?.stale ? 409 : valueForm?.errors.length ? 400 : 200;
    res.status(status).render('plan/commitment.njk', {
      c: summaryView(c),
      row: c.row,
      unit: c.unit,
      priority: c.priority,
      measure: measureName(c.row),
      baseline:
        c.row.baselineValue === null
          ? 'No baseline'
          : `${value(c.row.baselineValue, c.unit)}${c.row.baselinePeriod ? ` in ${monthLabel(c.row.baselinePeriod)}` : ''}${c.row.baselineN !== null ? ` (n = ${c.row.baselineN})` : ''}`,
      graph: chartView(c, false),
      live: liveComparisonView(c),
      forecastChart: c.forecast
        ? fanChartModel(
            wholeMonths(c.forecast.months).map((m, i) => {
              const share = wholeMonths(c.forecast!.shareWithin)[i]!;
              const pct = (v: number | null) => (v === null ? null : v * 100);
              return { month: m.month, p10: pct(share.p10), p50: pct(share.p50), p90: pct(share.p90) };
            }),
            { unit: '%', target: c.row.targetValue },
          )
        : null,
      history: historyView(c.history, true),
      actions: c.actions.map((a) => ({
        ...a,
        statusText: ACTION_STATUSES[a.status as ActionStatus],
        capacity: capacityText(a),
      })),
      canEdit: c.canEdit,
      frequency: REPORTING_FREQUENCIES[c.row.frequency as ReportingFrequency] ?? c.row.frequency,
      valueForm: c.row.measureId === null && c.canEdit ? (valueForm ?? { values: {}, errors: [] }) : null,
      errors: valueForm?.stale?.errors ?? valueForm?.errors ?? [],
      stale: valueForm?.stale?.stale,
      saved: req.query.saved,
    });
  }

  router.get('/improvement-plan/commitments/:id', requirePermission('plan:view'), noStore, async (req, res) => {
    await renderCommitment(req, res, req.params.id as string);
  });

  router.post('/improvement-plan/commitments/:id/values', requirePermission('plan:edit'), noStore, async (req, res) => {
    const id = req.params.id as string;
    const form = new FormReader(req.body as Body);
    const monthText = form.text('month', 'Month', { required: 'Enter the month the figure is for', max: 30 });
    const month = monthText ? parseMonth(monthText) : null;
    if (monthText && !month) form.error('month', 'Month must be a month, like March 2026 or 2026-03');
    const v = readNumber(form, 'value', 'Value');
    if (v === null && !form.errors.some((e) => e.href === '#value')) form.error('value', 'Enter the value');
    const n = readNumber(form, 'n', 'Number it is worked out from', true);
    if (form.errors.length || !month || v === null)
      return renderCommitment(req, res, id, { values: form.values, errors: form.errors });
    try {
      await plan.enterValue(requestContext(req), id, month, v, n, formVersion(req, 'valuesVersion'));
    } catch (err) {
      if (err instanceof PlanRuleError)
        return renderCommitment(req, res, id, { values: form.values, errors: serviceErrors(err.errors, []) });
      if (err instanceof PlanConflictError) {
        const stale = staleView(err.detail, 'this month’s figure');
        return renderCommitment(req, res, id, { values: form.values, errors: stale.errors, stale });
      }
      throw err;
    }
    res.redirect(303, `/improvement-plan/commitments/${id}?saved=value#figures`);
  });

  // Actions: added by editors; their progress reported by their owners.
  async function renderActionForm(
    req: Request,
    res: Response,
    commitmentId: string,
    values: Record<string, unknown>,
    errors: FormError[],
  ) {
    const ctx = requestContext(req);
    const [c, choices] = await Promise.all([plan.commitment(ctx, commitmentId), plan.formChoices(ctx)]);
    res.status(errors.length ? 400 : 200).render('plan/action-form.njk', {
      commitment: { id: c.row.id, reference: c.reference, statement: c.row.statement },
      owners: choices.owners,
      statuses: ACTION_STATUSES,
      stages: CAPACITY_STAGES,
      values,
      errors,
    });
  }

  router.get(
    '/improvement-plan/commitments/:id/actions/new',
    requirePermission('plan:edit'),
    noStore,
    async (req, res) => {
      await renderActionForm(req, res, req.params.id as string, { status: 'not_started' }, []);
    },
  );

  router.post(
    '/improvement-plan/commitments/:id/actions',
    requirePermission('plan:edit'),
    noStore,
    async (req, res) => {
      const id = req.params.id as string;
      const form = new FormReader(req.body as Body);
      const title = form.text('title', 'The action', { required: 'Enter the action', max: 500 });
      const ownerId = form.text('ownerId', 'Owner', { required: 'Choose the action’s owner' });
      const dueDate = form.date('dueDate', 'Due date');
      const status = form.choice(
        'status',
        Object.keys(ACTION_STATUSES) as ActionStatus[],
        'Choose the action’s status',
      );
      const evidence = form.text('evidence', 'Evidence', { max: 2000 });
      const stage = form.text('capacityStage', 'Stage');
      const change = readNumber(form, 'capacityChange', 'Change in capacity');
      const from = form.date('capacityFrom', 'The date the change takes effect', { required: false });
      let capacity: { stage: CapacityStage; change: number; from: LocalDate } | null = null;
      if (stage || change !== null || from) {
        if (!(stage in CAPACITY_STAGES)) form.error('capacityStage', 'Choose the stage whose capacity changes');
        if (change === null && !form.errors.some((e) => e.href === '#capacityChange')) {
          form.error('capacityChange', 'Enter the change in capacity, like 3 or -1');
        } else if (change === 0) form.error('capacityChange', 'The change in capacity cannot be 0');
        if (!from && !form.errors.some((e) => e.href.startsWith('#capacityFrom'))) {
          form.error('capacityFrom', 'Enter the date the change takes effect', '#capacityFrom-day');
        }
        if (stage in CAPACITY_STAGES && change && from) capacity = { stage: stage as CapacityStage, change, from };
      }
      if (form.errors.length || !dueDate || !status) return renderActionForm(req, res, id, form.values, form.errors);
      try {
        await plan.addAction(requestContext(req), id, { title, ownerId, dueDate, status, evidence, capacity });
      } catch (err) {
        if (err instanceof PlanRuleError)
          return renderActionForm(req, res, id, form.values, serviceErrors(err.errors, DATE_FIELDS));
        throw err;
      }
      res.redirect(303, `/improvement-plan/commitments/${id}?saved=action#actions`);
    },
  );

  async function renderAction(
    req: Request,
    res: Response,
    id: string,
    values: Record<string, unknown> | null,
    errors: FormError[],
    stale?: ReturnType<typeof staleView>,
  ) {
    const a = await plan.action(requestContext(req), id);
    res.status(stale ? 409 : errors.length ? 400 : 200).render('plan/action.njk', {
      ...a,
      stale: stale?.stale,
      statusText: ACTION_STATUSES[a.action.status as ActionStatus],
      capacity: capacityText(a.action) || 'None',
      statuses: ACTION_STATUSES,
      values: values ?? { status: a.action.status, evidence: a.action.evidence },
      errors: stale?.errors ?? errors,
    });
  }

  router.get('/improvement-plan/actions/:id', requirePermission('plan:view'), noStore, async (req, res) => {
    await renderAction(req, res, req.params.id as string, null, []);
  });

  router.post('/improvement-plan/actions/:id', requirePermission('plan:view'), noStore, async (req, res) => {
    const id = req.params.id as string;
    const form = new FormReader(req.body as Body);
    const status = form.choice('status', Object.keys(ACTION_STATUSES) as ActionStatus[], 'Choose the action’s status');
    const evidence = form.text('evidence', 'Evidence', { max: 2000 });
    if (status === 'done' && evidence === '') form.error('evidence', 'Say what shows the action is done');
    if (form.errors.length || !status) return renderAction(req, res, id, form.values, form.errors);
    try {
      const commitmentId = await plan.updateProgress(requestContext(req), id, { status, evidence }, formVersion(req));
      res.redirect(303, `/improvement-plan/commitments/${commitmentId}?saved=progress#actions`);
    } catch (err) {
      if (err instanceof PlanConflictError) {
        return renderAction(req, res, id, form.values, [], staleView(err.detail, 'this action’s progress'));
      }
      throw err;
    }
  });

  // The board report: page, CSV and PDF.
  async function report(req: Request) {
    const r = await plan.boardReport(requestContext(req));
    return {
      ...r,
      groups: r.groups.map((g) => ({ priority: g.priority, commitments: g.commitments.map(summaryView) })),
    };
  }

  router.get('/improvement-plan/board-report', requirePermission('plan:view'), noStore, async (req, res) => {
    res.render('plan/board-report.njk', await report(req));
  });

  router.get('/improvement-plan/board-report.csv', requirePermission('plan:view'), noStore, async (req, res) => {
    const r = await report(req);
    const rows: CsvCell[][] = [
      [
        'priority',
        'reference',
        'commitment',
        'status',
        'measure',
        'owner',
        'target',
        'latest',
        'trajectory_value',
        'variation',
        'assurance',
        'forecast_probability',
      ],
    ];
    for (const g of r.groups) {
      for (const c of g.commitments) {
        rows.push([
          g.priority?.title ?? 'No priority area',
          c.reference,
          c.statement,
          c.statusText,
          c.measure,
          c.owner,
          c.target,
          c.latest,
          c.expected,
          c.variationIcon ?? '',
          c.assurance ?? '',
          c.forecastProbability ?? '',
        ]);
      }
    }
    rows.push([]);
    rows.push(['exception', 'reference', 'detail']);
    for (const e of r.exceptions) rows.push([e.kind, e.reference, e.text]);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`board-report-${r.today}.csv`)
      .send(toCsv(rows, { bom: true, lineEnding: 'windows' }));
  });

  router.get('/improvement-plan/board-report.pdf', requirePermission('plan:view'), noStore, async (req, res) => {
    const r = await report(req);
    const pdf = await boardReportPdf(r);
    res.type('application/pdf').attachment(`board-report-${r.today}.pdf`).send(pdf);
  });

  // The public plan: no sign-in, published commitments only, small numbers hidden.
  router.get('/performance/:laCode/plan', async (req, res, next) => {
    const laCode = req.params.laCode;
    if (!/^\d{3}$/.test(laCode)) return next();
    const p = await plan.publicPlan(laCode);
    res.render('plan/public.njk', {
      ...p,
      disclosure: disclosureView(),
      groups: p.groups.map((g) => ({
        priority: g.priority,
        commitments: g.commitments.map((c) => ({
          ...summaryView(c),
          graph: chartView(c, true),
          history: historyView(c.history, false),
          baseline:
            c.row.baselineValue === null
              ? ''
              : `${c.baselineHidden ? HIDDEN_TEXT : value(c.row.baselineValue, c.unit)}${c.row.baselinePeriod ? ` in ${monthLabel(c.row.baselinePeriod)}` : ''}`,
        })),
      })),
    });
  });

  // The plan check: paste a plan, see what is not measurable. Nothing pasted is stored.
  router.get('/improvement-plan/check', requirePermission('plan:edit'), noStore, (_req, res) => {
    res.render('plan/check.njk', { maxCharacters: MAX_PASTED_CHARACTERS });
  });
  router.post('/improvement-plan/check', requirePermission('plan:edit'), noStore, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const pasted = typeof body.planText === 'string' ? body.planText : '';
    if (pasted.trim() === '') {
      res.status(400).render('plan/check.njk', {
        maxCharacters: MAX_PASTED_CHARACTERS,
        errors: [{ text: 'Paste the text of the plan', href: '#planText' }],
      });
      return;
    }
    const { candidates, truncated } = candidatesFromText(pasted);
    res.render('plan/check.njk', {
      maxCharacters: MAX_PASTED_CHARACTERS,
      // The text goes back into the box, so nothing typed is lost (only what was read, when it was cut short).
      planText: pasted.slice(0, MAX_PASTED_CHARACTERS),
      truncated,
      candidates: candidates.map((c) => ({ ...c, ruleNames: c.flags.map((f) => RULE_NAMES[f.rule]) })),
      summary: checkSummary(candidates),
    });
  });
  return router;
}
