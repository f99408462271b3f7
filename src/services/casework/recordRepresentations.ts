import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import type { Db } from '../../data/db.js';
import type { LockedRequest } from '../../data/repositories/casework.js';
import { CASEWORKER, checkDate, FAMILY, onRequest, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** What the family sent online as well as the text: their comment on each section, the URN, the meeting's topics. */
export interface OnlineResponse {
  /** Each section's comment by the section's letter, in the plan's order. */
  sections: Record<string, string>;
  settingUrn: string | null;
  meetingTopics: string;
  /** Sent after the 15 days to comment ended: still recorded, and marked late. */
  late: boolean;
}

/**
 * Step 7: what the family said about the draft, and the setting they would like named. A caseworker records what the
 * family sent them; or the family sends it themselves online (`from`: the family as the actor, with their comments
 * section by section, and `alongside` run in the same transaction, so the response is marked sent with the event or
 * not at all).
 */
export async function recordRepresentations(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { receivedOn: LocalDate; representations: string; preferredSetting: string; meetingRequested: boolean },
  from?: {
    online: OnlineResponse;
    alongside: (tx: Db, request: LockedRequest) => Promise<Record<string, unknown>>;
  },
): Promise<StepResult> {
  return onRequest(
    deps,
    ctx,
    requestId,
    stamp,
    'family_representations',
    async (tx, request, today) => {
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
      const audit = from ? await from.alongside(tx, request) : undefined;
      return {
        events: [
          {
            type: 'family_representations',
            occurredOn: input.receivedOn,
            data: {
              representations: input.representations,
              preferredSetting: input.preferredSetting,
              meetingRequested: input.meetingRequested,
              ...(from ? { source: 'family_online', ...from.online } : {}),
            },
          },
        ],
        audit,
      };
    },
    from ? FAMILY : CASEWORKER,
  );
}
