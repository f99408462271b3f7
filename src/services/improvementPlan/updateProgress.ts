import { findAction, updateAction } from '../../data/repositories/improvementPlans.js';
import { ACTION_STATUSES, type ActionStatus } from '../../domain/commitments/plan.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { runUseCase } from '../useCase.js';
import { conflict, requireActionEditor, type PlanDeps } from './shared.js';

/**
 * The action's owner (or an editor) reports its progress: status and evidence, as the form opened at `version` saw
 * them. Answers the commitment the action is under.
 */
export async function updateProgress(
  { database, clock }: PlanDeps,
  ctx: RequestContext,
  id: string,
  progress: { status: ActionStatus; evidence: string },
  version: number,
): Promise<string> {
  return runUseCase(database, ctx, 'plan:view', async (frame) => {
    const { tx, laCode } = frame;
    const row = await findAction(tx, laCode, id, true);
    if (!row) throw new NotFoundError(id);
    requireActionEditor(ctx, row);
    if (row.version !== version) {
      const words = (p: { status: string; evidence: string }) => ({
        Status: ACTION_STATUSES[p.status as ActionStatus] ?? p.status,
        Evidence: p.evidence,
      });
      throw await conflict(
        tx,
        ctx,
        { type: 'commitment_action', id, version: row.version },
        words(row),
        words(progress),
      );
    }
    await updateAction(tx, laCode, id, { ...progress, version: version + 1, updatedAt: clock.now() });
    await frame.audit('update', 'commitment_action', id, {
      from: row.status,
      to: progress.status,
      evidence: progress.evidence,
    });
    return row.commitmentId;
  });
}
