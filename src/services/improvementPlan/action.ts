import { findAction } from '../../data/repositories/improvementPlans.js';
import { isOverdue } from '../../domain/commitments/plan.js';
import { auditAction } from '../auditTrail.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { requirePermission } from '../useCase.js';
import { mayEditAction, type PlanDeps } from './shared.js';

/** One action, and whether this person may report its progress (its owner, or an editor). */
export async function action({ database: { db }, clock }: PlanDeps, ctx: RequestContext, id: string) {
  requirePermission(ctx, 'plan:view');
  const row = await findAction(db, ctx.actor.laCode, id);
  if (!row) throw new NotFoundError(id);
  await auditAction(db, ctx, 'read', 'commitment_action', id);
  return { action: row, mayEdit: mayEditAction(ctx, row), overdue: isOverdue(row, clock.today()) };
}
