/** The plan's details: title, partners, period, chair, and whether it is published. */
import type { Request, Response, Router } from 'express';
import type { Services } from '../../../services/index.js';
import { dateInputValues, FormReader, text, type Body } from '../../forms.js';
import { attempt } from '../../formFailures.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { formVersion, type FormPage } from './planForms.js';

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
    const form = new FormReader(req.body as Body);
    const title = form.text('title', 'Title', { required: 'Enter the plan’s title', max: 200 });
    const partnersText = form.text('partners', 'Partners', { required: 'Enter the partners, one per line', max: 2000 });
    const periodStart = form.date('periodStart', 'Start date');
    const periodEnd = form.date('periodEnd', 'End date');
    const chair = form.text('chair', 'Independent chair', { required: 'Enter the independent chair’s name', max: 200 });
    const published = text(req.body as Body, 'published') === 'yes';
    form.values.published = published ? ['yes'] : [];
    if (form.errors.length || !periodStart || !periodEnd) {
      await renderDetails(req, res, form.values, { status: 400, errors: form.errors });
      return;
    }
    const outcome = await attempt(
      () =>
        plan.savePlan(
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
        ),
      { dateFields: ['periodStart', 'periodEnd'], what: 'the plan’s details' },
    );
    if (!outcome.ok) return renderDetails(req, res, form.values, outcome.failure);
    res.redirect(303, '/improvement-plan?saved=details');
  });
}
