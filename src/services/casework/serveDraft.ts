import { planVersionsFor } from '../../data/repositories/plans.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { ServiceMethod } from '../../domain/dates/service.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, stageChange, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** Step 7 (reg 13): the draft sent to the family; the clock works out deemed service and the 15-day window. */
export async function serveDraft(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { sentOn: LocalDate; method: ServiceMethod },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'draft_served', async (tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(errors, 'sentOn', 'The date the draft was sent', input.sentOn, request.receivedDate, today);
    if (errors.length) throw new CaseRuleError(errors);
    // The version the family was sent, so the final plan can be compared with what they commented on.
    const planVersion = (await planVersionsFor(tx, ctx.actor.laCode, requestId)).at(-1)?.versionNo ?? null;
    return {
      events: [{ type: 'draft_served', occurredOn: input.sentOn, data: { method: input.method, planVersion } }],
      patch: { draftServedDate: input.sentOn, ...stageChange(request, 'draft_served', input.sentOn) },
    };
  });
}
