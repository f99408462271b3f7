/**
 * One commitment: its assurance, technical note, milestones, actions and history; and, for a series entered by hand,
 * the form to enter a month's figure.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import {
  ACTION_STATUSES,
  parseMonth,
  REPORTING_FREQUENCIES,
  type ActionStatus,
  type ReportingFrequency,
} from '../../../domain/commitments/plan.js';
import { wholeMonths } from '../../../domain/forecast/scenarios.js';
import type { Services } from '../../../services/index.js';
import { fanChartModel } from '../../charts/fanChart.js';
import { monthLabel } from '../../charts/spcChart.js';
import { pageForm, readForm, requiredText } from '../../validation.js';
import { attempt } from '../../formFailures.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { formVersion, planNumber, type FormPage } from './planForms.js';
import { casePeriods } from '../casework/periods.js';
import { capacityText, chartView, historyView, liveComparisonView, measureName, summaryView, value } from './view.js';

/** A month's figure for a series entered by hand: the month, the value and the number it is worked out from. */
const valueForm = pageForm({
  month: requiredText('Enter the month the figure is for', 'Month', 30).transform((v, ctx) => {
    const month = parseMonth(v);
    if (month) return month;
    ctx.addIssue({ code: 'custom', message: 'Month must be a month, like March 2026 or 2026-03' });
    return z.NEVER;
  }),
  value: planNumber('Value', { required: 'Enter the value' }),
  n: planNumber('Number it is worked out from', { integer: true }),
});

export function commitmentRoutes(router: Router, services: Services): void {
  const plan = services.plan;

  async function renderCommitment(
    req: Request,
    res: Response,
    id: string,
    valueForm?: FormPage & { values: Record<string, unknown> },
  ) {
    const ctx = requestContext(req);
    const c = await plan.commitment(ctx, id);
    res.status(valueForm?.status ?? 200).render('plan/commitment.njk', {
      periods: casePeriods(),
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
      errors: valueForm?.errors ?? [],
      stale: valueForm?.stale,
      saved: req.query.saved,
    });
  }

  router.get('/improvement-plan/commitments/:id', requirePermission('plan:view'), noStore, async (req, res) => {
    await renderCommitment(req, res, req.params.id as string);
  });

  router.post('/improvement-plan/commitments/:id/values', requirePermission('plan:edit'), noStore, async (req, res) => {
    const id = req.params.id as string;
    const form = readForm(valueForm, req.body);
    if (!form.data) return renderCommitment(req, res, id, { status: 400, values: form.values, errors: form.errors });
    const { month, value: v, n } = form.data;
    const outcome = await attempt(
      () => plan.enterValue(requestContext(req), id, month, v, n, formVersion(req, 'valuesVersion')),
      { what: 'this month’s figure' },
    );
    if (!outcome.ok) return renderCommitment(req, res, id, { ...outcome.failure, values: form.values });
    res.redirect(303, `/improvement-plan/commitments/${id}?saved=value#figures`);
  });
}
