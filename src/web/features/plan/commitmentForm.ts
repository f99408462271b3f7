/** Writing a commitment: new or changed, as a draft or as measurable, or checked without saving. */
import type { Request, Response, Router } from 'express';
import { isUuid } from '../../../domain/identifiers/uuid.js';
import {
  formatMilestones,
  parseMilestones,
  parseMonth,
  REPORTING_FREQUENCIES,
  type ReportingFrequency,
} from '../../../domain/commitments/plan.js';
import { checkCommitment } from '../../../domain/commitments/vagueness.js';
import { MEASURES } from '../../../domain/measures/monthly.js';
import type { Services } from '../../../services/index.js';
import type { CommitmentInput, CommitmentView } from '../../../services/improvementPlan/index.js';
import { monthLabel } from '../../charts/spcChart.js';
import { dateInputValues, text, type Body, type FormError } from '../../forms.js';
import { labelledDate, madeText, optionalText, pageForm, readForm, requiredText } from '../../validation.js';
import { attempt } from '../../formFailures.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { DATE_FIELDS, formVersion, planNumber, type FormPage } from './planForms.js';
import { RULE_NAMES } from './view.js';
import { casePeriods } from '../casework/periods.js';

/** A series entered by hand: its definition, and a live figure with the same definition to compare it with. */
const SERIES = {
  seriesName: optionalText('Name of the series', 200),
  seriesSource: optionalText('Source', 500),
  seriesNumerator: optionalText('Numerator', 500),
  seriesDenominator: optionalText('Denominator', 500),
  liveMeasureId: optionalText('Live figure with the same definition'),
};

/**
 * The commitment form; a series entered by hand (measure "manual") has its definition too. Its fields in the order
 * they have always been read, so that the error summary lists their problems in that order.
 */
function commitmentForm(manual: boolean) {
  const series: Partial<typeof SERIES> = manual ? SERIES : {};
  return pageForm(
    {
      statement: requiredText('Enter the commitment, in a sentence', 'The commitment', 1000),
      priorityId: optionalText('Priority area'),
      measureId: optionalText('Measure'),
      seriesUnit: optionalText('Unit'),
      ...series,
      polarity: optionalText('Which way is better'),
      baselinePeriod: madeText(
        'Baseline month',
        30,
        parseMonth,
        'Baseline month must be a month, like March 2024 or 2024-03',
      ),
      milestones: optionalText('Milestones', 5000).transform((v, ctx) => {
        const { milestones, errors } = parseMilestones(v);
        if (errors.length) ctx.addIssue({ code: 'custom', message: errors[0]! });
        return milestones;
      }),
      frequency: optionalText('Reporting frequency'),
      lagMonths: planNumber('Reporting lag', { integer: true }).refine((v) => v === null || (v >= 0 && v <= 12), {
        error: 'Reporting lag must be from 0 to 12 months',
      }),
      baselineValue: planNumber('Baseline'),
      baselineN: planNumber('Baseline number', { integer: true }),
      targetValue: planNumber('Target'),
      targetDate: labelledDate('Target date', { required: false }),
      ownerRole: optionalText('Owner’s role', 200),
      ownerOrganisation: optionalText('Owner’s organisation', 200),
      reason: optionalText('Reason', 1000),
    },
    { dates: ['targetDate'] },
  );
}

/** The commitment form, read: the input for the service (null when it has problems), its errors and what was typed. */
function readCommitment(body: Body): {
  input: CommitmentInput | null;
  errors: FormError[];
  values: Record<string, unknown>;
} {
  const manual = text(body, 'measureId') === 'manual';
  const { data: v, errors, values } = readForm(commitmentForm(manual), body);
  if (!v) return { input: null, errors, values };
  const input: CommitmentInput = {
    statement: v.statement,
    priorityId: isUuid(v.priorityId) ? v.priorityId : null,
    measureId: manual || v.measureId === '' ? null : v.measureId,
    series: manual
      ? {
          name: v.seriesName ?? '',
          source: v.seriesSource ?? '',
          numerator: v.seriesNumerator ?? '',
          denominator: v.seriesDenominator ?? '',
          unit: v.seriesUnit === '%' ? '%' : '',
        }
      : null,
    liveMeasureId: (manual && v.liveMeasureId) || null,
    polarity: v.polarity === 'increase' || v.polarity === 'decrease' ? v.polarity : null,
    baselineValue: v.baselineValue,
    baselinePeriod: v.baselinePeriod,
    baselineN: v.baselineN,
    targetValue: v.targetValue,
    targetDate: v.targetDate,
    milestones: v.milestones,
    ownerRole: v.ownerRole,
    ownerOrganisation: v.ownerOrganisation,
    frequency: (Object.hasOwn(REPORTING_FREQUENCIES, v.frequency) ? v.frequency : 'monthly') as ReportingFrequency,
    lagMonths: v.lagMonths ?? 1,
  };
  return { input, errors, values };
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
export function commitmentFormRoutes(router: Router, services: Services): void {
  const plan = services.plan;

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
      stale?: FormPage['stale'];
    },
  ) {
    const choices = await plan.formChoices(requestContext(req));
    res.status(options.status ?? (options.errors.length ? 400 : 200)).render('plan/commitment-form.njk', {
      ...options,
      periods: casePeriods(),
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
    const c = await plan.commitment(requestContext(req), req.params.id as string);
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
    const { input, errors, values } = readCommitment(body);
    const intent = text(body, 'intent');
    const version = Number(text(body, 'version'));
    const measurable = text(body, 'measurable') === 'yes';
    const again = (errors: FormError[], checked?: ReturnType<typeof checkCommitment>, status?: number) =>
      renderCommitmentForm(req, res, { id, version, measurable, values, errors, checked, status });
    if (!input) return again(errors);
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
    const outcome = await attempt(
      () =>
        plan.saveCommitment(requestContext(req), id, input, {
          draft: intent === 'draft',
          version: formVersion(req),
          reason: text(body, 'reason'),
        }),
      { dateFields: DATE_FIELDS, what: 'this commitment' },
    );
    if (!outcome.ok) {
      const { status, errors: refusal, stale, version: now } = outcome.failure;
      return renderCommitmentForm(req, res, {
        id,
        version: now ?? version,
        measurable,
        values,
        errors: refusal,
        checked,
        status,
        stale,
      });
    }
    res.redirect(
      303,
      `/improvement-plan/commitments/${outcome.value}?saved=${intent === 'draft' ? 'draft' : 'measurable'}`,
    );
  }

  router.post('/improvement-plan/commitments', requirePermission('plan:edit'), noStore, (req, res) =>
    saveCommitment(req, res, null),
  );
  router.post('/improvement-plan/commitments/:id', requirePermission('plan:edit'), noStore, (req, res) => {
    return saveCommitment(req, res, req.params.id as string);
  });
}
