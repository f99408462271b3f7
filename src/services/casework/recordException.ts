import { clockInputs } from '../../data/repositories/casework.js';
import { caseExceptionChoices } from '../../domain/casework/clockEvents.js';
import { EXCEPTION_NAMES } from '../../domain/casework/events.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { exceptionFits, TWENTY_WEEK_DUTY, type ExceptionReason } from '../../domain/statutory/events.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

const EXCEPTION_EVIDENCE_MAX = 2000;

/**
 * Step 9 (regs 5(4), 8(2), 10(4), 27(3)): an exception to a time limit, recorded against the duty it applies to,
 * with a reason that can apply to that duty. The due dates do not move (rule P11); an exception to the 20-week duty
 * flags the case in the measures (SEN2 Week20), and the family is told.
 */
export async function recordException(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: {
    duty: string;
    reason: ExceptionReason;
    evidence: string;
    from: LocalDate;
    to: LocalDate | null;
    familyToldOn: LocalDate;
  },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'exception', async (tx, request, today) => {
    const errors: FieldErrors = [];
    const { events, advice } = await clockInputs(tx, ctx.actor.laCode, requestId);
    const choices = caseExceptionChoices(events, advice, today, deps.calendar.current());
    const duty = choices.find((c) => c.id === input.duty);
    if (!duty) {
      errors.push({ field: 'duty', text: 'Select a duty of this request that an exception can apply to' });
    } else if (!exceptionFits(input.reason, input.duty)) {
      errors.push({
        field: 'reason',
        text: `“${EXCEPTION_NAMES[input.reason]}” cannot apply to “${duty.name}”: select a reason listed for that duty`,
      });
    }
    checkDate(errors, 'from', 'The date the exception began', input.from, request.receivedDate, today);
    if (input.to && input.to < input.from)
      errors.push({ field: 'to', text: 'The end date must be on or after the start date' });
    checkDate(
      errors,
      'familyToldOn',
      'The date the family was told',
      input.familyToldOn,
      input.from,
      today,
      'the date the exception began',
    );
    if (input.evidence.length > EXCEPTION_EVIDENCE_MAX) {
      errors.push({ field: 'evidence', text: `The evidence must be ${EXCEPTION_EVIDENCE_MAX} characters or fewer` });
    }
    if (errors.length) throw new CaseRuleError(errors);
    return {
      events: [
        {
          type: 'exception',
          occurredOn: input.from,
          data: {
            duty: input.duty,
            reason: input.reason,
            from: input.from,
            ...(input.to ? { to: input.to } : {}),
            evidence: input.evidence,
            familyToldOn: input.familyToldOn,
          },
        },
      ],
      // The request row keeps the reason of the exception to the 20-week duty, which the measures and SEN2 read.
      patch: input.duty === TWENTY_WEEK_DUTY ? { exceptionReason: input.reason } : {},
    };
  });
}
