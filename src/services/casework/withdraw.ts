import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, stageChange, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** The request was withdrawn (or the child moved away): the case closes and its remaining duties end. */
export async function withdraw(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { withdrawnOn: LocalDate; reason: string },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'withdraw', (_tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(errors, 'withdrawnOn', 'The date of withdrawal', input.withdrawnOn, request.receivedDate, today);
    if (errors.length) throw new CaseRuleError(errors);
    return Promise.resolve({
      events: [{ type: 'request_withdrawn', occurredOn: input.withdrawnOn, data: { reason: input.reason } }],
      patch: stageChange(request, 'withdraw', input.withdrawnOn),
    });
  });
}
