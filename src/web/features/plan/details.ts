/** The plan's details: title, partners, period, chair, and whether it is published. */
import type { Request, Response, Router } from 'express';
import type { Services } from '../../../services/index.js';
import { dateInputValues } from '../../forms.js';
import { field, labelledDate, pageForm, readForm, requiredText } from '../../validation.js';
import { attempt } from '../../formFailures.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { formVersion, type FormPage } from './planForms.js';

/** The details form: each part required, the plan published when its box is ticked. */
const detailsForm = pageForm(
  {
    title: requiredText('Enter the plan’s title', 'Title', 200),
    partners: requiredText('Enter the partners, one per line', 'Partners', 2000),
    periodStart: labelledDate('Start date'),
    periodEnd: labelledDate('End date'),
    chair: requiredText('Enter the independent chair’s name', 'Independent chair', 200),
    published: field.transform((v) => v === 'yes'),
  },
  { dates: ['periodStart', 'periodEnd'], lists: ['published'] },
);

export function detailsRoutes(router: Router, services: Services): void {
  const plan = services.plan;

  async function renderDetails(req: Request, res: Response, values: Record<string, unknown> | null, page: FormPage) {
    const overview = await plan.overview(requestContext(req));
    const p = overview?.plan;
    res.status(page.status).render('plan/details.njk', {
      errors: page.errors,
      stale: page.stale,
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
    await renderDetails(req, res, null, { status: 200, errors: [] });
  });

  router.post('/improvement-plan/details', requirePermission('plan:edit'), noStore, async (req, res) => {
    const form = readForm(detailsForm, req.body);
    const details = form.data;
    if (!details) {
      await renderDetails(req, res, form.values, { status: 400, errors: form.errors });
      return;
    }
    const outcome = await attempt(
      () =>
        plan.savePlan(
          requestContext(req),
          {
            ...details,
            partners: details.partners
              .split(/\r?\n/)
              .map((s) => s.trim())
              .filter(Boolean),
          },
          formVersion(req),
        ),
      { dateFields: ['periodStart', 'periodEnd'], what: 'the plan’s details' },
    );
    if (!outcome.ok) return renderDetails(req, res, form.values, outcome.failure);
    res.redirect(303, '/improvement-plan?saved=details');
  });
}
