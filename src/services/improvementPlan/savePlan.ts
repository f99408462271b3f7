import { insertPlan, lockPlan, updatePlan } from '../../data/repositories/improvementPlans.js';
import type { RequestContext } from '../cases.js';
import { runUseCase } from '../useCase.js';
import { goneOrStale, PlanConflictError, PlanRuleError, type PlanDeps, type PlanDetails } from './shared.js';
import { detailsWords } from './words.js';

/** Creates the plan, or changes its details as the form opened at `version` has them (0: there was no plan). */
export async function savePlan({ database }: PlanDeps, ctx: RequestContext, details: PlanDetails, version: number) {
  await runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    if (details.periodEnd <= details.periodStart) {
      throw new PlanRuleError([{ field: 'periodEnd', text: 'The plan must end after it starts' }]);
    }
    const current = await lockPlan(tx, laCode);
    if ((current?.version ?? 0) !== version) {
      if (!current) throw new PlanConflictError();
      await goneOrStale(tx, ctx, 'improvement_plan', current.id, current, detailsWords, () => detailsWords(details));
    }
    if (current) await updatePlan(tx, laCode, { ...details, version: version + 1 });
    else await insertPlan(tx, { laCode, ...details });
    await frame.audit(current ? 'update' : 'create', 'improvement_plan', current?.id ?? null, {
      title: details.title,
      published: details.published,
    });
  });
}
