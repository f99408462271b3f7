import { listCaseworkers } from '../../data/repositories/cases.js';
import type { RequestContext } from '../cases.js';
import { requirePermission } from '../useCase.js';
import { onRequest } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/** A manager moves a case to another caseworker in the LA (or takes it off everyone's list). */
export async function reassign(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  input: { caseworkerId: string | null },
): Promise<StepResult> {
  requirePermission(ctx, 'case:reassign');
  return onRequest(deps, ctx, requestId, stamp, null, async (tx, request) => {
    if (!request.open) throw new CaseRuleError([{ field: '', text: 'This request is closed' }]);
    let name: string | null = null;
    if (input.caseworkerId) {
      const person = (await listCaseworkers(tx, ctx.actor.laCode)).find((c) => c.userId === input.caseworkerId);
      if (!person) throw new CaseRuleError([{ field: 'caseworkerId', text: 'Select a caseworker from the list' }]);
      name = person.displayName;
    }
    return {
      events: [
        {
          type: 'caseworker_assigned',
          occurredOn: deps.clock.today(),
          data: { caseworkerId: input.caseworkerId, caseworkerName: name },
        },
      ],
      patch: { caseworkerId: input.caseworkerId },
    };
  });
}
