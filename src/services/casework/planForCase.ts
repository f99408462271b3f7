import { listAdvice } from '../../data/repositories/casework.js';
import { planVersionsFor } from '../../data/repositories/plans.js';
import { emptyPlan, readPlanContent } from '../../domain/casework/planContent.js';
import type { RequestContext } from '../cases.js';
import { requirePermission } from '../useCase.js';
import { adviceList } from './frame.js';
import type { CaseworkDeps } from './types.js';

/** The plan as it stands (the latest version, or an empty draft), every version, and K from the advice. */
export async function planForCase(deps: CaseworkDeps, ctx: RequestContext, requestId: string) {
  requirePermission(ctx, 'case:read_any');
  const { db } = deps.database;
  const [versions, advice] = await Promise.all([
    planVersionsFor(db, ctx.actor.laCode, requestId),
    listAdvice(db, ctx.actor.laCode, requestId),
  ]);
  const latest = versions.at(-1);
  const content = latest ? readPlanContent(latest.content) : emptyPlan();
  if (!latest || latest.kind === 'draft') content.K = adviceList(advice);
  return {
    content,
    versions: versions.map((v) => ({ ...v, content: readPlanContent(v.content) })),
  };
}
