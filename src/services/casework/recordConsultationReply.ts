import { listConsultations, recordConsultationResponse } from '../../data/repositories/casework.js';
import type { ConsultationResponse } from '../../domain/casework/consultation.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { checkDate, onRequest, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** Step 7: the setting's reply. */
export async function recordConsultationReply(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  consultationId: string,
  stamp: FormStamp,
  input: { respondedOn: LocalDate; response: ConsultationResponse; note: string },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, null, async (tx, request, today) => {
    if (!request.open) throw new CaseRuleError([{ field: '', text: 'This request is closed' }]);
    const consultation = (await listConsultations(tx, ctx.actor.laCode, requestId)).find(
      (c) => c.id === consultationId,
    );
    if (!consultation) throw new NotFoundError(consultationId);
    const errors: FieldErrors = [];
    if (consultation.respondedDate) errors.push({ field: '', text: 'This setting’s reply has already been recorded' });
    checkDate(
      errors,
      'respondedOn',
      'The date of the reply',
      input.respondedOn,
      consultation.sentDate,
      today,
      'the date the setting was consulted',
    );
    if (errors.length) throw new CaseRuleError(errors);
    await recordConsultationResponse(tx, ctx.actor.laCode, consultationId, {
      respondedDate: input.respondedOn,
      response: input.response,
      responseNote: input.note,
    });
    return {
      events: [
        {
          type: 'consultation_reply',
          occurredOn: input.respondedOn,
          data: { consultationId, settingName: consultation.settingName, response: input.response },
        },
      ],
    };
  });
}
