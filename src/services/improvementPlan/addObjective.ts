import { insertObjective } from '../../data/repositories/improvementPlans.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { runUseCase } from '../useCase.js';
import { requirePlan, type PlanDeps } from './shared.js';

/** Adds an objective to the plan, to be met by `horizon`. */
export async function addObjective(
  { database }: PlanDeps,
  ctx: RequestContext,
  text: string,
  horizon: LocalDate | null,
) {
  await runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    const plan = await requirePlan(tx, laCode);
    await insertObjective(tx, { laCode, planId: plan.id, text, horizon });
    await frame.audit('create', 'plan_objective', null, { text, horizon });
  });
}
