import { findObjective, updateObjective } from '../../data/repositories/improvementPlans.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { runUseCase } from '../useCase.js';
import { goneOrStale, type PlanDeps } from './shared.js';
import { objectiveWords } from './words.js';

/** Changes an objective as the form opened at `version` has it; refused if someone else changed it since. */
export async function changeObjective(
  { database }: PlanDeps,
  ctx: RequestContext,
  id: string,
  text: string,
  horizon: LocalDate | null,
  version: number,
) {
  await runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    if (!(await updateObjective(tx, laCode, id, version, { text, horizon }))) {
      const current = await findObjective(tx, laCode, id);
      await goneOrStale(tx, ctx, 'plan_objective', id, current, objectiveWords, () =>
        objectiveWords({ text, horizon }),
      );
    }
    await frame.audit('update', 'plan_objective', id, { text, horizon });
  });
}
