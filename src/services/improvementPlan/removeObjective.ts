import { deleteObjective, findObjective } from '../../data/repositories/improvementPlans.js';
import type { RequestContext } from '../cases.js';
import { runUseCase } from '../useCase.js';
import { goneOrStale, type PlanDeps } from './shared.js';
import { objectiveWords, REMOVED } from './words.js';

/** Removes an objective as the form opened at `version` saw it; refused if someone else changed it since. */
export async function removeObjective({ database }: PlanDeps, ctx: RequestContext, id: string, version: number) {
  await runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    if (!(await deleteObjective(tx, laCode, id, version))) {
      const current = await findObjective(tx, laCode, id);
      await goneOrStale(tx, ctx, 'plan_objective', id, current, objectiveWords, REMOVED);
    }
    await frame.audit('delete', 'plan_objective', id);
  });
}
