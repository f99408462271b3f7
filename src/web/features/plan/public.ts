/** The public plan: no sign-in, published commitments only, small numbers hidden. */
import type { Router } from 'express';
import type { Services } from '../../../services/index.js';
import { monthLabel } from '../../charts/spcChart.js';
import { disclosureView } from '../measures/routes.js';
import { chartView, HIDDEN_TEXT, historyView, summaryView, value } from './view.js';

export function publicPlanRoutes(router: Router, services: Services): void {
  router.get('/performance/:laCode/plan', async (req, res, next) => {
    const laCode = req.params.laCode;
    if (!/^\d{3}$/.test(laCode)) return next();
    const p = await services.plan.publicPlan(laCode);
    res.render('plan/public.njk', {
      ...p,
      disclosure: disclosureView(),
      groups: p.groups.map((g) => ({
        priority: g.priority,
        commitments: g.commitments.map((c) => ({
          ...summaryView(c),
          graph: chartView(c, true),
          history: historyView(c.history, false),
          baseline:
            c.row.baselineValue === null
              ? ''
              : `${c.baselineHidden ? HIDDEN_TEXT : value(c.row.baselineValue, c.unit)}${c.row.baselinePeriod ? ` in ${monthLabel(c.row.baselinePeriod)}` : ''}`,
        })),
      })),
    });
  });
}
