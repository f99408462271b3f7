/** The plan's objectives: what it is to achieve, each by a date. */
import type { Router } from 'express';
import type { Services } from '../../../services/index.js';
import { dateInputValues } from '../../forms.js';
import { labelledDate, pageForm, requiredText } from '../../validation.js';
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
    form: pageForm(
      {
        text: requiredText('Enter the objective', 'The objective', 1000),
        horizon: labelledDate('The date it is to be met by'),
      },
      { dates: ['horizon'] },
    ),
    add: (ctx, v) => plan.addObjective(ctx, v.text, v.horizon),
    change: (ctx, id, v, version) => plan.changeObjective(ctx, id, v.text, v.horizon, version),
    remove: (ctx, id, version) => plan.removeObjective(ctx, id, version),
  });
}
