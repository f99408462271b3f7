import { randomUUID } from 'node:crypto';
import { listAdvice } from '../../data/repositories/casework.js';
import { insertDraftVersion, planVersionsFor } from '../../data/repositories/plans.js';
import { adviceGivenOnline } from '../../data/repositories/professionals.js';
import {
  addAdviceToPlan as addToPlan,
  adviceSource,
  readAdviceContent,
  type SectionFromAdvice,
} from '../../domain/casework/adviceContent.js';
import { emptyPlan, readPlanContent, type PlanContent } from '../../domain/casework/planContent.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { adviceList, onRequest } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/**
 * Step 6, from the advice: the items of one section (B needs, E outcomes, F provision) of advice given online added
 * to the draft plan after what it has, each with its source named ("From educational psychology advice, given 3
 * March 2027"), as a new draft version; nothing in the draft is changed or removed, and items already taken are not
 * added again. Audited with the advice and the number of items added.
 */
export async function addAdviceToPlan(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { adviceId: string; section: SectionFromAdvice },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'write_draft', async (tx, request) => {
    const advice = (await adviceGivenOnline(tx, ctx.actor.laCode, requestId)).find((a) => a.id === input.adviceId);
    if (!advice?.receivedDate) throw new NotFoundError(input.adviceId);
    const versions = await planVersionsFor(tx, ctx.actor.laCode, requestId);
    const latest = versions.at(-1);
    const current: PlanContent = latest ? readPlanContent(latest.content) : emptyPlan();
    const source = adviceSource(advice.adviceType, advice.receivedDate as LocalDate);
    const { plan, added } = addToPlan(current, readAdviceContent(advice.content), input.section, source, () =>
      randomUUID(),
    );
    if (added === 0) {
      throw new CaseRuleError([
        { field: '', text: `The draft plan already has everything in this section of the advice` },
      ]);
    }
    const stored: PlanContent = { ...plan, I: null, K: adviceList(await listAdvice(tx, ctx.actor.laCode, requestId)) };
    const versionNo = await insertDraftVersion(tx, {
      laCode: ctx.actor.laCode,
      childId: request.childId,
      requestId,
      content: stored as unknown as Record<string, unknown>,
      createdBy: ctx.actor.userId,
    });
    return {
      events: [{ type: 'draft_plan_saved', occurredOn: deps.clock.today(), data: { versionNo } }],
      audit: { planVersion: versionNo, fromAdvice: input.adviceId, section: input.section, added },
    };
  });
}
