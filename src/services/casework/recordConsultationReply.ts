import { listConsultations, recordConsultationResponse } from '../../data/repositories/casework.js';
import type { ConsultationResponse } from '../../domain/casework/consultation.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError, StaleFormError } from '../errors.js';
import { consultationInScope, scopeOf } from '../professionals/scope.js';
import { CASEWORKER, checkDate, onRequest, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/**
 * Step 7: the setting's reply. Recorded by the caseworker, or given online by the school or setting itself
 * (`online`: only for a consultation sent to its URN, against the consultation's version they last saw).
 */
export async function recordConsultationReply(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  consultationId: string,
  stamp: FormStamp,
  input: { respondedOn: LocalDate; response: ConsultationResponse; note: string },
  online?: { consultationVersion: number },
): Promise<StepResult> {
  const as = online ? { permission: 'consultation:answer' as const, checkRequestVersion: false } : CASEWORKER;
  return onRequest(
    deps,
    ctx,
    requestId,
    stamp,
    null,
    async (tx, request, today) => {
      const closed = () => new CaseRuleError([{ field: '', text: 'This request is closed' }]);
      // Staff are told first; a setting only once the consultation is known to be theirs.
      if (!online && !request.open) throw closed();
      const consultation = (await listConsultations(tx, ctx.actor.laCode, requestId)).find(
        (c) => c.id === consultationId,
      );
      if (!consultation) throw new NotFoundError(consultationId);
      if (online) {
        if (!consultationInScope(await scopeOf(tx, ctx), consultation)) throw new NotFoundError(consultationId);
        if (consultation.version !== online.consultationVersion) {
          throw new StaleFormError({ changes: [], by: null, at: null, version: consultation.version });
        }
      }
      if (!request.open) throw closed();
      const errors: FieldErrors = [];
      if (consultation.respondedDate)
        errors.push({ field: '', text: 'This setting’s reply has already been recorded' });
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
        respondedBy: online ? ctx.actor.userId : null,
      });
      return {
        events: [
          {
            type: 'consultation_reply',
            occurredOn: input.respondedOn,
            data: {
              consultationId,
              settingName: consultation.settingName,
              response: input.response,
              ...(online ? { online: true } : {}),
            },
          },
        ],
      };
    },
    as,
  );
}
