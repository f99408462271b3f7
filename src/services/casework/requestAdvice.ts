import { insertAdvice, listAdvice, type NewEvent } from '../../data/repositories/casework.js';
import { adviceGivers } from '../../data/repositories/professionals.js';
import { ADVICE_TYPE_NAMES, type AdviceType } from '../../domain/casework/stages.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkDate, onRequest, stageChange, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** Step 3 (reg 6-8): ask each provider for advice; each request has its own 6-week due date. */
export async function requestAdvice(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: {
    requestedOn: LocalDate;
    providers: {
      adviceType: AdviceType;
      provider: string;
      providerEmail: string | null;
      escalationEmail: string | null;
      /** Addressed to one of the LA's advice givers by name (null: to the provider's service). */
      providerUserId?: string | null;
    }[];
  },
): Promise<StepResult> {
  return onRequest(deps, ctx, requestId, stamp, 'request_advice', async (tx, request, today) => {
    const errors: FieldErrors = [];
    checkDate(errors, 'requestedOn', 'The date advice was requested', input.requestedOn, request.receivedDate, today);
    const existing = await listAdvice(tx, ctx.actor.laCode, requestId);
    for (const p of input.providers) {
      if (existing.some((a) => a.adviceType === p.adviceType && a.receivedDate === null && p.adviceType !== 'other')) {
        errors.push({
          field: 'adviceTypes',
          text: `${ADVICE_TYPE_NAMES[p.adviceType]} advice has already been requested and not yet received`,
        });
      }
    }
    const named = input.providers.filter((p) => p.providerUserId);
    if (named.length) {
      const givers = new Set((await adviceGivers(tx, ctx.actor.laCode)).map((g) => g.id));
      for (const p of named) {
        if (!givers.has(p.providerUserId!)) {
          errors.push({ field: `professional-${p.adviceType}`, text: 'Select a professional from the list' });
        }
      }
    }
    if (errors.length) throw new CaseRuleError(errors);
    const events: NewEvent[] = [];
    for (const p of input.providers) {
      const adviceId = await insertAdvice(tx, {
        laCode: ctx.actor.laCode,
        requestId,
        adviceType: p.adviceType,
        provider: p.provider,
        providerEmail: p.providerEmail,
        escalationEmail: p.escalationEmail,
        providerUserId: p.providerUserId ?? null,
        requestedDate: input.requestedOn,
      });
      events.push({
        type: 'advice_requested',
        occurredOn: input.requestedOn,
        data: { adviceId, adviceType: p.adviceType, provider: p.provider },
      });
    }
    return { events, patch: stageChange(request, 'request_advice', input.requestedOn) };
  });
}
