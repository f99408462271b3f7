import { deletePriority, findPriority, priorityInUse } from '../../data/repositories/improvementPlans.js';
import type { RequestContext } from '../cases.js';
import { runUseCase } from '../useCase.js';
import { goneOrStale, PlanRuleError, type PlanDeps } from './shared.js';
import { priorityWords, REMOVED } from './words.js';

/**
 * Removes a priority area as the form opened at `version` saw it (refused if someone else changed it since); one
 * with commitments under it stays (move them first).
 */
export async function removePriority({ database }: PlanDeps, ctx: RequestContext, id: string, version: number) {
  await runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    const current = await findPriority(tx, laCode, id);
    if (current?.version !== version) await goneOrStale(tx, ctx, 'plan_priority', id, current, priorityWords, REMOVED);
    if (await priorityInUse(tx, laCode, id)) {
      throw new PlanRuleError([
        { field: 'title', text: 'This priority area has commitments under it: move them to another area first' },
      ]);
    }
    if (!(await deletePriority(tx, laCode, id, version))) {
      // Changed between the read and the delete: refused as stale, as above.
      const now = await findPriority(tx, laCode, id);
      await goneOrStale(tx, ctx, 'plan_priority', id, now, priorityWords, REMOVED);
    }
    await frame.audit('delete', 'plan_priority', id);
  });
}
