import { insertPriority, listPriorities } from '../../data/repositories/improvementPlans.js';
import type { RequestContext } from '../cases.js';
import { runUseCase } from '../useCase.js';
import { requirePlan, type PlanDeps } from './shared.js';

/** Adds a priority area to the plan, after those it has. */
export async function addPriority({ database }: PlanDeps, ctx: RequestContext, title: string, description: string) {
  await runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    const plan = await requirePlan(tx, laCode);
    const existing = await listPriorities(tx, laCode, plan.id);
    await insertPriority(tx, { laCode, planId: plan.id, title, description, position: existing.length + 1 });
    await frame.audit('create', 'plan_priority', null, { title });
  });
}
