import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, stageChange, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** Step 5 (reg 10): issue a plan or not; a decision not to issue is due by week 16. */
export async function decideIssue(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { outcome: 'issue' | 'not_issue'; reasons: string; decidedOn: LocalDate },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'issue_decision', (_tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(errors, 'decidedOn', 'The date of the decision', input.decidedOn, request.receivedDate, today);
    if (errors.length) throw new CaseRuleError(errors);
    return Promise.resolve({
      events: [
        {
          type: 'issue_decision',
          occurredOn: input.decidedOn,
          data: { outcome: input.outcome, reasons: input.reasons },
        },
      ],
      patch: {
        issueDecision: input.outcome,
        issueDecisionDate: input.decidedOn,
        ...stageChange(request, 'issue_decision', input.decidedOn, input.outcome),
      },
    });
  });
}
