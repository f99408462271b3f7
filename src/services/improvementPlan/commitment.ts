import {
  commitmentHistoryFor,
  findCommitment,
  findPlan,
  listActions,
} from '../../data/repositories/improvementPlans.js';
import { can } from '../../domain/access/roles.js';
import { isOverdue } from '../../domain/commitments/plan.js';
import { auditAction } from '../auditTrail.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { requirePermission } from '../useCase.js';
import { withAssurance } from './commitmentViews.js';
import { parts, type PlanDeps } from './shared.js';

/** One commitment with its technical note, flags, assurance, history and actions. */
export async function commitment(deps: PlanDeps, ctx: RequestContext, id: string) {
  requirePermission(ctx, 'plan:view');
  const { db } = deps.database;
  const laCode = ctx.actor.laCode;
  const plan = await findPlan(db, laCode);
  const row = plan ? await findCommitment(db, laCode, id) : null;
  if (!plan || !row) throw new NotFoundError(id);
  const [{ priorities, list }, history, actions] = await Promise.all([
    parts(db, laCode, plan.id),
    commitmentHistoryFor(db, laCode, [id]),
    listActions(db, laCode, [id]),
  ]);
  const reference = list.find((c) => c.row.id === id)!.reference;
  const {
    views: [view],
    forecast,
  } = await withAssurance(deps, laCode, [{ row, reference }], false);
  await auditAction(db, ctx, 'read', 'commitment', id);
  return {
    plan,
    ...view!,
    priority: priorities.find((p) => p.id === row.priorityId) ?? null,
    history,
    actions: actions.map((a) => ({ ...a, overdue: isOverdue(a, deps.clock.today()) })),
    canEdit: can(ctx.actor.roles, 'plan:edit'),
    /** The forecast of its measure, for a commitment on the 20-week measure (its fan chart). */
    forecast,
  };
}
