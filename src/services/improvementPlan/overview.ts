import { findPlan } from '../../data/repositories/improvementPlans.js';
import { checkCommitment, summarisePlan } from '../../domain/commitments/vagueness.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { auditAction } from '../auditTrail.js';
import type { RequestContext } from '../cases.js';
import { requirePermission } from '../useCase.js';
import { parts, type PlanDeps } from './shared.js';
import { toChecked } from './words.js';

/** The plan as its editors and readers see it: details, objectives, priorities, commitments with their flags. */
export async function overview({ database: { db }, clock }: PlanDeps, ctx: RequestContext) {
  requirePermission(ctx, 'plan:view');
  const laCode = ctx.actor.laCode;
  const plan = await findPlan(db, laCode);
  await auditAction(db, ctx, 'read', 'improvement_plan', plan?.id ?? null, { view: 'overview' });
  if (!plan) return null;
  const { objectives, priorities, rows, list } = await parts(db, laCode, plan.id);
  const today = clock.today();
  const commitments = list.map(({ row, reference }) => ({
    row,
    reference,
    flags: checkCommitment(toChecked(row), today),
  }));
  const summary = summarisePlan(
    rows.map(toChecked),
    objectives.map((o) => ({ horizon: o.horizon as LocalDate | null })),
    today,
  );
  return { plan, objectives, priorities, commitments, summary };
}
