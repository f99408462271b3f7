/** The plan at a glance: its details, objectives, and commitments by priority area with what each lacks. */
import type { Router } from 'express';
import { can } from '../../../domain/access/roles.js';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { RULE_NAMES } from './view.js';

export function overviewRoutes(router: Router, services: Services): void {
  router.get('/improvement-plan', requirePermission('plan:view'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const overview = await services.plan.overview(ctx);
    const canEdit = can(ctx.actor.roles, 'plan:edit');
    if (!overview) {
      res.render('plan/none.njk', { canEdit });
      return;
    }
    const byPriority = [...overview.priorities, null].map((p) => ({
      priority: p,
      commitments: overview.commitments
        .filter((c) => c.row.priorityId === (p?.id ?? null))
        .map((c) => ({
          id: c.row.id,
          reference: c.reference,
          statement: c.row.statement,
          draft: c.row.status === 'draft',
          ruleNames: c.flags.map((f) => RULE_NAMES[f.rule]),
        })),
    }));
    res.render('plan/overview.njk', {
      ...overview,
      canEdit,
      canForecast: can(ctx.actor.roles, 'measures:view'),
      byPriority: byPriority.filter((g) => g.priority !== null || g.commitments.length > 0),
      ruleCounts: Object.entries(overview.summary.byRule)
        .filter(([, count]) => count > 0)
        .map(([rule, count]) => ({ name: RULE_NAMES[rule as keyof typeof RULE_NAMES], count })),
      saved: req.query.saved,
    });
  });
}
