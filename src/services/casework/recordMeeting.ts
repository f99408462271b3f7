import type { LocalDate } from '../../domain/dates/localDate.js';
import { formatLongDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { onRequest, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/**
 * The meeting the family asked for about the draft (SEND Regulations 2014 reg 13(1)(b)) is arranged: its date is
 * recorded on the case's timeline (audited with the step), and the case page stops asking for it. It is the date
 * agreed with the family: today or later, while the draft is with them.
 */
export async function recordMeeting(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { meetingOn: LocalDate },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, null, (_tx, request, today) => {
    const errors: FieldErrors = [];
    if (request.stage !== 'draft_with_family')
      errors.push({
        field: '',
        text: 'You can record a meeting about the draft only while the draft is with the family',
      });
    else if (input.meetingOn < today)
      errors.push({
        field: 'meetingOn',
        text: `The date of the meeting must be today or later (${formatLongDate(today)})`,
      });
    if (errors.length) throw new CaseRuleError(errors);
    return Promise.resolve({
      events: [{ type: 'family_meeting_arranged', occurredOn: today, data: { meetingOn: input.meetingOn } }],
    });
  });
}
