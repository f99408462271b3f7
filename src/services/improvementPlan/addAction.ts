import { findCommitment, insertAction } from '../../data/repositories/improvementPlans.js';
import { listUsersInLa } from '../../data/repositories/users.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { runUseCase } from '../useCase.js';
import { PlanRuleError, type ActionInput, type PlanDeps } from './shared.js';

/** Adds an action to a commitment, owned by one of the LA's active staff; its capacity feeds the forecast. */
export async function addAction({ database }: PlanDeps, ctx: RequestContext, commitmentId: string, input: ActionInput) {
  return runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    const row = await findCommitment(tx, laCode, commitmentId);
    if (!row) throw new NotFoundError(commitmentId);
    const owners = (await listUsersInLa(tx, laCode)).filter((u) => !u.disabled);
    if (!owners.some((u) => u.id === input.ownerId)) {
      throw new PlanRuleError([{ field: 'ownerId', text: 'Choose the action’s owner from the list' }]);
    }
    const id = await insertAction(tx, {
      laCode,
      commitmentId,
      title: input.title,
      ownerId: input.ownerId,
      dueDate: input.dueDate,
      status: input.status,
      evidence: input.evidence,
      capacityStage: input.capacity?.stage ?? null,
      capacityChange: input.capacity?.change ?? null,
      capacityFrom: input.capacity?.from ?? null,
    });
    await frame.audit('create', 'commitment_action', id, { commitmentId, title: input.title });
    return id;
  });
}
