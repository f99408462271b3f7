import { findPriority, updatePriority } from '../../data/repositories/improvementPlans.js';
import type { RequestContext } from '../cases.js';
import { runUseCase } from '../useCase.js';
import { goneOrStale, type PlanDeps } from './shared.js';
import { priorityWords } from './words.js';

/** Changes a priority area as the form opened at `version` has it; refused if someone else changed it since. */
export async function changePriority(
  { database }: PlanDeps,
  ctx: RequestContext,
  id: string,
  title: string,
  description: string,
  version: number,
) {
  await runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    if (!(await updatePriority(tx, laCode, id, version, { title, description }))) {
      const current = await findPriority(tx, laCode, id);
      await goneOrStale(tx, ctx, 'plan_priority', id, current, priorityWords, () =>
        priorityWords({ title, description }),
      );
    }
    await frame.audit('update', 'plan_priority', id, { title });
  });
}
