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
import { dateInputValues, FormReader, text, type Body, type FormError } from '../../forms.js';
import { attempt } from '../../formFailures.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { DATE_FIELDS, formVersion, readNumber, type FormPage } from './planForms.js';
import { RULE_NAMES } from './view.js';
import { casePeriods } from '../casework/periods.js';

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
      const { status, errors, stale, version: now } = outcome.failure;
      return renderCommitmentForm(req, res, {
        id,
        version: now ?? version,
        measurable,
        values: form.values,
        errors,
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
