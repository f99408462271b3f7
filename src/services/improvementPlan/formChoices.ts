import { findPlan, listPriorities } from '../../data/repositories/improvementPlans.js';
import { listUsersInLa } from '../../data/repositories/users.js';
import { can, isRole } from '../../domain/access/roles.js';
import { auditAction } from '../auditTrail.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { requirePermission } from '../useCase.js';
import type { PlanDeps } from './shared.js';

/** The form's choices: priorities, and the staff who can own an action. */
export async function formChoices({ database: { db } }: PlanDeps, ctx: RequestContext) {
  requirePermission(ctx, 'plan:view');
  const plan = await findPlan(db, ctx.actor.laCode);
  if (!plan) throw new NotFoundError('improvement plan');
  const [priorities, people] = await Promise.all([
    listPriorities(db, ctx.actor.laCode, plan.id),
    listUsersInLa(db, ctx.actor.laCode),
  ]);
  const owners = people
    .filter((u) => !u.disabled && u.roles.some((r) => isRole(r) && can([r], 'plan:view')))
    .map((u) => ({ id: u.id, name: u.displayName }));
  await auditAction(db, ctx, 'read', 'improvement_plan', plan.id, { view: 'form' });
  return { plan, priorities, owners };
}
