import { findPlan } from '../../data/repositories/improvementPlans.js';
import { localAuthorityName } from '../../data/repositories/localAuthorities.js';
import { NotFoundError } from '../errors.js';
import { assembled } from './commitmentViews.js';
import type { PlanDeps } from './shared.js';

/** The published plan, for anyone: no drafts, no actions' owners' names, small numbers hidden. */
export async function publicPlan(deps: PlanDeps, laCode: string) {
  const { db } = deps.database;
  const name = await localAuthorityName(db, laCode);
  const plan = name ? await findPlan(db, laCode) : null;
  if (!name || !plan || !plan.published) throw new NotFoundError(laCode);
  const { objectives, groups } = await assembled(deps, laCode, plan, true);
  return { laCode, laName: name, plan, objectives, groups };
}
