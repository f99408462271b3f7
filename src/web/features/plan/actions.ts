/** Actions: added to a commitment by editors; their progress reported by their owners (or an editor). */
import type { Request, Response, Router } from 'express';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import {
  ACTION_STATUSES,
  CAPACITY_STAGES,
  type ActionStatus,
  type CapacityStage,
} from '../../../domain/commitments/plan.js';
import type { Services } from '../../../services/index.js';
import { FormReader, type Body } from '../../forms.js';
import { attempt } from '../../formFailures.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { DATE_FIELDS, formVersion, readNumber, type FormPage } from './planForms.js';
import { capacityText } from './view.js';

export function actionRoutes(router: Router, services: Services): void {
  const plan = services.plan;

  async function renderActionForm(
    req: Request,
    res: Response,
    commitmentId: string,
    values: Record<string, unknown>,
    page: FormPage,
  ) {
    const ctx = requestContext(req);
    const [c, choices] = await Promise.all([plan.commitment(ctx, commitmentId), plan.formChoices(ctx)]);
    res.status(page.status).render('plan/action-form.njk', {
      commitment: { id: c.row.id, reference: c.reference, statement: c.row.statement },
      owners: choices.owners,
      statuses: ACTION_STATUSES,
      stages: CAPACITY_STAGES,
      values,
      errors: page.errors,
    });
  }

  router.get(
    '/improvement-plan/commitments/:id/actions/new',
    requirePermission('plan:edit'),
    noStore,
    async (req, res) => {
      await renderActionForm(req, res, req.params.id as string, { status: 'not_started' }, { status: 200, errors: [] });
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
      if (form.errors.length || !dueDate || !status) {
        return renderActionForm(req, res, id, form.values, { status: 400, errors: form.errors });
      }
      const outcome = await attempt(
        () => plan.addAction(requestContext(req), id, { title, ownerId, dueDate, status, evidence, capacity }),
        { dateFields: DATE_FIELDS },
      );
      if (!outcome.ok) return renderActionForm(req, res, id, form.values, outcome.failure);
      res.redirect(303, `/improvement-plan/commitments/${id}?saved=action#actions`);
    },
  );

  async function renderAction(
    req: Request,
    res: Response,
    id: string,
    values: Record<string, unknown> | null,
    page: FormPage,
  ) {
    const a = await plan.action(requestContext(req), id);
    res.status(page.status).render('plan/action.njk', {
      ...a,
      stale: page.stale,
      statusText: ACTION_STATUSES[a.action.status as ActionStatus],
      capacity: capacityText(a.action) || 'None',
      statuses: ACTION_STATUSES,
      values: values ?? { status: a.action.status, evidence: a.action.evidence },
      errors: page.errors,
    });
  }

  router.get('/improvement-plan/actions/:id', requirePermission('plan:view'), noStore, async (req, res) => {
    await renderAction(req, res, req.params.id as string, null, { status: 200, errors: [] });
  });

  router.post('/improvement-plan/actions/:id', requirePermission('plan:view'), noStore, async (req, res) => {
    const id = req.params.id as string;
    const form = new FormReader(req.body as Body);
    const status = form.choice('status', Object.keys(ACTION_STATUSES) as ActionStatus[], 'Choose the action’s status');
    const evidence = form.text('evidence', 'Evidence', { max: 2000 });
    if (status === 'done' && evidence === '') form.error('evidence', 'Say what shows the action is done');
    if (form.errors.length || !status)
      return renderAction(req, res, id, form.values, { status: 400, errors: form.errors });
    const outcome = await attempt(
      () => plan.updateProgress(requestContext(req), id, { status, evidence }, formVersion(req)),
      { what: 'this action’s progress' },
    );
    if (!outcome.ok) return renderAction(req, res, id, form.values, outcome.failure);
    res.redirect(303, `/improvement-plan/commitments/${outcome.value}?saved=progress#actions`);
  });
}
