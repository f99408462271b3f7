/**
 * The improvement plan: its details, objectives and priorities; commitments written from draft to measurable with the
 * vagueness check beside them; each commitment's assurance, history and actions; the board report (page, CSV, PDF);
 * the public plan; and the plan check, where a board pastes the text of its current plan (nothing pasted is stored).
 *
 * One module per sub-feature, each adding its routes to this one router, in this order (Express tries routes in the
 * order they were added: "commitments/new" before "commitments/:id"). A refusal of a form is shown through
 * web/formFailures.ts.
 */
import { Router, type Request } from 'express';
import type { Services } from '../../../services/index.js';
import { uuidParams } from '../../middleware/params.js';
import { actionRoutes } from './actions.js';
import { boardReportRoutes } from './boardReport.js';
import { checkRoutes } from './check.js';
import { commitmentFormRoutes } from './commitmentForm.js';
import { commitmentRoutes } from './commitments.js';
import { detailsRoutes } from './details.js';
import { objectiveRoutes } from './objectives.js';
import { overviewRoutes } from './overview.js';
import { priorityRoutes } from './priorities.js';
import { publicPlanRoutes } from './public.js';

/** The kind of plan record an address's id names, as the audit log calls it. */
function planRecordKind(req: Request): string {
  const part = /^\/improvement-plan\/(\w+)\//.exec(req.path)?.[1] ?? '';
  return PLAN_RECORDS[part] ?? 'improvement_plan';
}
const PLAN_RECORDS: Partial<Record<string, string>> = {
  objectives: 'plan_objective',
  priorities: 'plan_priority',
  commitments: 'commitment',
  actions: 'commitment_action',
};

export function planRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { id: planRecordKind });
  overviewRoutes(router, services);
  detailsRoutes(router, services);
  objectiveRoutes(router, services);
  priorityRoutes(router, services);
  commitmentFormRoutes(router, services);
  commitmentRoutes(router, services);
  actionRoutes(router, services);
  boardReportRoutes(router, services);
  publicPlanRoutes(router, services);
  checkRoutes(router);
  return router;
}
