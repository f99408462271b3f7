/**
 * A caseworker's weighted caseload: open requests counted by how much work their stage usually takes, so a manager
 * can compare people whose cases are at different points. The weights are the product's stated assumption (an LA can
 * change them when it has its own time study): the heaviest stages are gathering and chasing advice and writing the
 * draft plan; a case awaiting a decision or the family's comments takes less.
 */
import type { OpenStage } from './stages.js';

export const STAGE_WEIGHTS: Record<OpenStage, number> = {
  deciding_whether_to_assess: 1,
  gathering_advice: 1.5,
  deciding_whether_to_issue: 1,
  drafting_plan: 2,
  draft_with_family: 1,
};

/** The weighted total of open requests by stage; stages without a weight count 1. */
export function weightedCaseload(openByStage: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const [stage, n] of Object.entries(openByStage)) total += n * (STAGE_WEIGHTS[stage as OpenStage] ?? 1);
  return total;
}
