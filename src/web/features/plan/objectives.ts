/** The plan's objectives: what it is to achieve, each by a date. */
import type { Router } from 'express';
import type { Services } from '../../../services/index.js';
import { dateInputValues } from '../../forms.js';
import { partRoutes } from './parts.js';

export function objectiveRoutes(router: Router, services: Services): void {
  const plan = services.plan;
  partRoutes(router, services, {
    path: 'objectives',
    template: 'plan/objective.njk',
    anchor: '#objectives',
    what: 'this objective',
    removed: 'objective-removed',
    pick: (o) => o.objectives,
    values: (o) => ({ text: o.text, horizon: dateInputValues(o.horizon) }),
    read: (form) => ({
      text: form.text('text', 'The objective', { required: 'Enter the objective', max: 1000 }),
      horizon: form.date('horizon', 'The date it is to be met by'),
    }),
    add: (ctx, v) => plan.addObjective(ctx, v.text, v.horizon),
    change: (ctx, id, v, version) => plan.changeObjective(ctx, id, v.text, v.horizon, version),
    remove: (ctx, id, version) => plan.removeObjective(ctx, id, version),
  });
}
