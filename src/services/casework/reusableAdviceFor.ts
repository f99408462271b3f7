import { reusableAdvice } from '../../data/repositories/casework.js';
import type { RequestContext } from '../cases.js';
import { requirePermission } from '../useCase.js';
import type { CaseworkDeps } from './types.js';

/** Advice this child already has from earlier requests, offered for "tell us once". */
export async function reusableAdviceFor(deps: CaseworkDeps, ctx: RequestContext, requestId: string, childId: string) {
  requirePermission(ctx, 'case:write');
  return reusableAdvice(deps.database.db, ctx.actor.laCode, childId, requestId);
}
