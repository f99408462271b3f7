import { insertAdvice, listAdvice, reusableAdvice } from '../../data/repositories/casework.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, stageAfterAdvice, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/**
 * "Tell us once" (Code of Practice 9.47): use advice the family already gave for an earlier request, with their
 * agreement, instead of asking again. It counts as requested and received on the day the family agreed.
 */
export async function reuseAdvice(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { adviceId: string; familyAgreedOn: LocalDate },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'request_advice', async (tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(
      errors,
      'familyAgreedOn',
      'The date the family agreed',
      input.familyAgreedOn,
      request.receivedDate,
      today,
    );
    const source = (await reusableAdvice(tx, ctx.actor.laCode, request.childId, requestId)).find(
      (a) => a.id === input.adviceId,
    );
    if (!source) errors.push({ field: 'adviceId', text: 'Select advice this child already has' });
    if (errors.length || !source) throw new CaseRuleError(errors);
    const adviceId = await insertAdvice(tx, {
      laCode: ctx.actor.laCode,
      requestId,
      adviceType: source.adviceType,
      provider: source.provider,
      providerEmail: null,
      escalationEmail: null,
      requestedDate: input.familyAgreedOn,
      receivedDate: input.familyAgreedOn,
      reusedFromAdviceId: source.id,
      familyAgreedDate: input.familyAgreedOn,
      documentId: source.documentId,
    });
    const data = {
      adviceId,
      adviceType: source.adviceType,
      provider: source.provider,
      reusedFrom: source.requestReference,
    };
    return {
      events: [
        { type: 'advice_requested', occurredOn: input.familyAgreedOn, data },
        { type: 'advice_received', occurredOn: input.familyAgreedOn, data: { ...data, reused: true } },
      ],
      patch: stageAfterAdvice(
        request,
        await listAdvice(tx, ctx.actor.laCode, requestId),
        adviceId,
        input.familyAgreedOn,
      ),
    };
  });
}
