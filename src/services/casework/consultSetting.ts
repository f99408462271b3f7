import { insertConsultation } from '../../data/repositories/casework.js';
import { latestDraftVersionId } from '../../data/repositories/professionals.js';
import { consultationResponseDue } from '../../domain/casework/consultation.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** Step 7: a school or setting the family asked for (or the council proposes) is consulted about section I. */
export async function consultSetting(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { settingName: string; settingUrn: string | null; sentOn: LocalDate },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'consult_setting', async (tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(errors, 'sentOn', 'The date the setting was consulted', input.sentOn, request.receivedDate, today);
    if (errors.length) throw new CaseRuleError(errors);
    const consultationId = await insertConsultation(tx, {
      laCode: ctx.actor.laCode,
      requestId,
      settingName: input.settingName,
      settingUrn: input.settingUrn,
      sentDate: input.sentOn,
      // The draft the setting is sent with the consultation (Code of Practice 9.79): what it reads online.
      planVersionId: await latestDraftVersionId(tx, ctx.actor.laCode, requestId),
    });
    return {
      events: [
        {
          type: 'setting_consulted',
          occurredOn: input.sentOn,
          data: {
            consultationId,
            settingName: input.settingName,
            responseDue: consultationResponseDue(input.sentOn),
          },
        },
      ],
    };
  });
}
