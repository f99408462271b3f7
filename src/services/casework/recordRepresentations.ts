import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** Step 7: what the family said about the draft, and the setting they would like named. */
export async function recordRepresentations(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { receivedOn: LocalDate; representations: string; preferredSetting: string; meetingRequested: boolean },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'family_representations', (_tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(
      errors,
      'receivedOn',
      'The date the family’s comments were received',
      input.receivedOn,
      request.receivedDate,
      today,
    );
    if (errors.length) throw new CaseRuleError(errors);
    return Promise.resolve({
      events: [
        {
          type: 'family_representations',
          occurredOn: input.receivedOn,
          data: {
            representations: input.representations,
            preferredSetting: input.preferredSetting,
            meetingRequested: input.meetingRequested,
          },
        },
      ],
    });
  });
}
