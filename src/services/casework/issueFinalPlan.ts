import { clockInputs, listAdvice, setPrimaryNeed } from '../../data/repositories/casework.js';
import { insertPlan, latestPlanContent } from '../../data/repositories/plans.js';
import { responseToLatestDraft } from '../../domain/casework/draftResponse.js';
import { readPlanContent, type PlanContent } from '../../domain/casework/planContent.js';
import { formatLongDate, type LocalDate } from '../../domain/dates/localDate.js';
import { commentWindowEnds, deemedServed, type ServiceMethod } from '../../domain/dates/service.js';
import type { RequestContext } from '../cases.js';
import { adviceList, checkDate, onRequest, stageChange, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/**
 * Step 8 (reg 13(2), 14): the final plan, an immutable version with section I (the school or other institution)
 * completed. Not before the family's 15 days to comment have passed, unless they have responded (reg 13(1)(a)):
 * the caseworker records that they have, or the family sent their response to the latest draft online.
 */
export async function issueFinalPlan(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: {
    issuedOn: LocalDate;
    sectionI: { settingName: string; settingType: string; settingUrn: string | null };
    familyResponded: boolean;
    /** The child's primary need as the plan sets it out (SEN2 SENtype rank 1). */
    primaryNeed: string;
  },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'final_plan_issued', async (tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(errors, 'issuedOn', 'The date the final plan was issued', input.issuedOn, request.receivedDate, today);
    const { events: timeline } = await clockInputs(tx, ctx.actor.laCode, requestId);
    const draft = timeline.filter((e) => e.type === 'draft_served').at(-1);
    // The family has responded when the caseworker says so, or when they sent their response online themselves.
    const responded = input.familyResponded || responseToLatestDraft(timeline) !== null;
    if (draft) {
      const method = (draft.data as { method?: ServiceMethod }).method ?? 'email';
      const windowEnds = commentWindowEnds(
        deemedServed(draft.occurredOn as LocalDate, method, deps.calendar.current()),
      );
      if (input.issuedOn <= windowEnds && !responded) {
        errors.push({
          field: 'issuedOn',
          text: `The family has until ${formatLongDate(windowEnds)} to comment on the draft. Issue the final plan after that, or record that they have responded`,
        });
      }
    }
    if (errors.length) throw new CaseRuleError(errors);
    const content = readPlanContent((await latestPlanContent(tx, ctx.actor.laCode, requestId)) ?? {});
    const advice = await listAdvice(tx, ctx.actor.laCode, requestId);
    const final: PlanContent = { ...content, I: input.sectionI, K: adviceList(advice) };
    const planId = await insertPlan(tx, {
      laCode: ctx.actor.laCode,
      childId: request.childId,
      requestId,
      issuedOn: input.issuedOn,
      content: final as unknown as Record<string, unknown>,
      createdBy: ctx.actor.userId,
    });
    await setPrimaryNeed(tx, ctx.actor.laCode, request.childId, input.primaryNeed);
    return {
      events: [
        {
          type: 'final_plan_issued',
          occurredOn: input.issuedOn,
          data: { planId, familyResponded: responded, primaryNeed: input.primaryNeed },
        },
      ],
      patch: { finalIssuedDate: input.issuedOn, ...stageChange(request, 'final_plan_issued', input.issuedOn) },
    };
  });
}
