/** Actions: added to a commitment by editors; their progress reported by their owners (or an editor). */
import type { Request, Response, Router } from 'express';
import {
  ACTION_STATUSES,
  CAPACITY_STAGES,
  type ActionStatus,
  type CapacityStage,
} from '../../../domain/commitments/plan.js';
import type { Services } from '../../../services/index.js';
import { choice, labelledDate, optionalText, pageForm, readForm, requiredText } from '../../validation.js';
import { attempt } from '../../formFailures.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { DATE_FIELDS, formVersion, planNumber, type FormPage } from './planForms.js';
import { capacityText } from './view.js';

const STATUSES = Object.keys(ACTION_STATUSES) as [ActionStatus, ...ActionStatus[]];

/**
 * A new action: what, who, by when and its status; and, if it changes capacity, the stage, the change (not 0) and the
 * date it takes effect, all three.
 */
const actionForm = pageForm(
  {
    title: requiredText('Enter the action', 'The action', 500),
    ownerId: requiredText('Choose the action’s owner', 'Owner'),
    dueDate: labelledDate('Due date'),
    status: choice(STATUSES, 'Choose the action’s status'),
    evidence: optionalText('Evidence', 2000),
    capacityStage: optionalText('Stage'),
    capacityChange: planNumber('Change in capacity'),
    capacityFrom: labelledDate('The date the change takes effect', { required: false }),
  },
  {
    dates: ['dueDate', 'capacityFrom'],
    rules: (f) => {
      const stage = f.text('capacityStage');
      const change = f.value('capacityChange');
      const from = f.value('capacityFrom');
      if (!stage && change === null && !from) return [];
      return [
        !Object.hasOwn(CAPACITY_STAGES, stage) && {
          path: ['capacityStage'],
          message: 'Choose the stage whose capacity changes',
        },
        change === null && { path: ['capacityChange'], message: 'Enter the change in capacity, like 3 or -1' },
        change === 0 && { path: ['capacityChange'], message: 'The change in capacity cannot be 0' },
        !from && { path: ['capacityFrom', 'day'], message: 'Enter the date the change takes effect' },
      ];
    },
  },
);

/** An action's progress: its status, and what shows it is done once it is. */
const progressForm = pageForm(
  {
    status: choice(STATUSES, 'Choose the action’s status'),
    evidence: optionalText('Evidence', 2000),
  },
  {
    rules: (f) => [
      f.text('status') === 'done' &&
        f.text('evidence') === '' && { path: ['evidence'], message: 'Say what shows the action is done' },
    ],
  },
);

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
      const form = readForm(actionForm, req.body);
      if (!form.data) {
        return renderActionForm(req, res, id, form.values, { status: 400, errors: form.errors });
      }
      const { capacityStage: stage, capacityChange: change, capacityFrom: from, ...action } = form.data;
      const capacity =
        Object.hasOwn(CAPACITY_STAGES, stage) && change && from
          ? { stage: stage as CapacityStage, change, from }
          : null;
      const outcome = await attempt(() => plan.addAction(requestContext(req), id, { ...action, capacity }), {
        dateFields: DATE_FIELDS,
      });
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
    const form = readForm(progressForm, req.body);
    if (!form.data) return renderAction(req, res, id, form.values, { status: 400, errors: form.errors });
    const { status, evidence } = form.data;
    const outcome = await attempt(
      () => plan.updateProgress(requestContext(req), id, { status, evidence }, formVersion(req)),
      { what: 'this action’s progress' },
    );
    if (!outcome.ok) return renderAction(req, res, id, form.values, outcome.failure);
    res.redirect(303, `/improvement-plan/commitments/${outcome.value}?saved=progress#actions`);
  });
}
