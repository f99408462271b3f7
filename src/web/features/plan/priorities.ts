/** The plan's priority areas, under which its commitments are grouped (one with commitments under it stays). */
import type { Router } from 'express';
import type { Services } from '../../../services/index.js';
import { optionalText, pageForm, requiredText } from '../../validation.js';
import { partRoutes } from './parts.js';

export function priorityRoutes(router: Router, services: Services): void {
  const plan = services.plan;
  partRoutes(router, services, {
    path: 'priorities',
    template: 'plan/priority.njk',
    anchor: '#commitments',
    what: 'this priority area',
    removed: 'priority-removed',
    pick: (o) => o.priorities,
    values: (p) => ({ title: p.title, description: p.description }),
    form: pageForm({
      title: requiredText('Enter the priority area', 'The priority area', 300),
      description: optionalText('Description', 2000),
    }),
    add: (ctx, v) => plan.addPriority(ctx, v.title, v.description),
    change: (ctx, id, v, version) => plan.changePriority(ctx, id, v.title, v.description, version),
    remove: (ctx, id, version) => plan.removePriority(ctx, id, version),
  });
}
