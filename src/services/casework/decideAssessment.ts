import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, stageChange, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** Step 2 (reg 4-5): assess or not, why, and the day the family was told (which meets the 6-week duty). */
export async function decideAssessment(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { outcome: 'assess' | 'not_assess'; reasons: string; notifiedOn: LocalDate },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'assessment_decision', (_tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(errors, 'notifiedOn', 'The date the family was told', input.notifiedOn, request.receivedDate, today);
    if (errors.length) throw new CaseRuleError(errors);
    return Promise.resolve({
      events: [
        {
          type: 'assessment_decision',
          occurredOn: input.notifiedOn,
          data: { outcome: input.outcome, reasons: input.reasons },
        },
      ],
      patch: {
        assessmentDecision: input.outcome,
        assessmentDecisionDate: input.notifiedOn,
        ...stageChange(request, 'assessment_decision', input.notifiedOn, input.outcome),
      },
    });
  });
}
