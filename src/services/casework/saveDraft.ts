import { listAdvice } from '../../data/repositories/casework.js';
import { insertDraftVersion } from '../../data/repositories/plans.js';
import type { PlanContent } from '../../domain/casework/planContent.js';
import type { RequestContext } from '../cases.js';
import { adviceList, onRequest } from './frame.js';
import type { CaseworkDeps, FormStamp, StepResult } from './types.js';

/** Step 6 (reg 12): a new version of the draft plan, sections A to K; section I stays blank until the final. */
export async function saveDraft(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  content: PlanContent,
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'write_draft', async (tx, request) => {
    const advice = await listAdvice(tx, ctx.actor.laCode, requestId);
    const stored: PlanContent = { ...content, I: null, K: adviceList(advice) };
    const versionNo = await insertDraftVersion(tx, {
      laCode: ctx.actor.laCode,
      childId: request.childId,
      requestId,
      content: stored as unknown as Record<string, unknown>,
      createdBy: ctx.actor.userId,
    });
    return {
      events: [{ type: 'draft_plan_saved', occurredOn: deps.clock.today(), data: { versionNo } }],
      audit: { planVersion: versionNo },
    };
  });
}
