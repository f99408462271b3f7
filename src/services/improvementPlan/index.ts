/**
 * The improvement plan: its details, objectives and priorities; commitments that cannot be saved as measurable unless
 * they are (domain/commitments/vagueness.ts) and whose targets cannot move without a reason kept for good; actions with
 * their effect on capacity; assurance per commitment from its live measure or a series entered by hand; the board
 * report; and the public plan. Every read and write is authorised and audited.
 *
 * Each use case is one function in its own module, given the plan's dependencies first: writes run through
 * services/useCase.ts `runUseCase` (permission, transaction, audit), reads check `requirePermission`. This module binds
 * them to one database, clock and forecast service, for the web layer and the CLI.
 */
import type { Database } from '../../data/db.js';
import type { Clock } from '../clock.js';
import type { ForecastService } from '../forecasts.js';
import { action } from './action.js';
import { addAction } from './addAction.js';
import { addObjective } from './addObjective.js';
import { addPriority } from './addPriority.js';
import { boardReport } from './boardReport.js';
import { changeObjective } from './changeObjective.js';
import { changePriority } from './changePriority.js';
import { commitment } from './commitment.js';
import { enterValue } from './enterValue.js';
import { formChoices } from './formChoices.js';
import { overview } from './overview.js';
import { publicPlan } from './publicPlan.js';
import { removeObjective } from './removeObjective.js';
import { removePriority } from './removePriority.js';
import { saveCommitment } from './saveCommitment.js';
import { savePlan } from './savePlan.js';
import type { PlanDeps } from './shared.js';
import { updateProgress } from './updateProgress.js';

export type { CommitmentView } from './commitmentViews.js';
export {
  PlanConflictError,
  PlanRuleError,
  type ActionInput,
  type CommitmentInput,
  type PlanDeps,
  type PlanDetails,
} from './shared.js';
export { RULE_FIELDS, trackedFields, unitOf } from './words.js';
export type { HistoryRow } from '../../data/repositories/improvementPlans.js';

export function createImprovementPlanService(database: Database, clock: Clock, forecasts: ForecastService) {
  const deps: PlanDeps = { database, clock, forecasts };
  /** A use case with the plan's dependencies given: the same function as the web layer calls it. */
  const bound =
    <A extends unknown[], R>(useCase: (deps: PlanDeps, ...args: A) => R) =>
    (...args: A): R =>
      useCase(deps, ...args);
  return {
    overview: bound(overview),
    savePlan: bound(savePlan),
    addObjective: bound(addObjective),
    removeObjective: bound(removeObjective),
    changeObjective: bound(changeObjective),
    addPriority: bound(addPriority),
    changePriority: bound(changePriority),
    removePriority: bound(removePriority),
    formChoices: bound(formChoices),
    saveCommitment: bound(saveCommitment),
    commitment: bound(commitment),
    enterValue: bound(enterValue),
    addAction: bound(addAction),
    action: bound(action),
    updateProgress: bound(updateProgress),
    boardReport: bound(boardReport),
    publicPlan: bound(publicPlan),
  };
}

export type ImprovementPlanService = ReturnType<typeof createImprovementPlanService>;
