/**
 * What a caseworker can do next on a request, by its stage: the case page offers exactly these, and the services
 * refuse anything else (a form opened before someone else moved the case on cannot skip a step). The stage machine
 * (stageMachine.ts) says which stages each action can be taken at and where it takes the case.
 */
import { canMove, type Move } from './stageMachine.js';

/** The actions the case page offers, in the order a case needs them, with their names. */
export const CASE_ACTIONS = {
  assessment_decision: { name: 'Record the decision on whether to assess' },
  request_advice: { name: 'Request advice' },
  issue_decision: { name: 'Record the decision on whether to issue a plan' },
  write_draft: { name: 'Write the draft plan' },
  draft_served: { name: 'Record sending the draft plan to the family' },
  consult_setting: { name: 'Consult a school or setting about section I' },
  family_representations: { name: 'Record the family’s comments on the draft' },
  final_plan_issued: { name: 'Issue the final plan' },
  exception: { name: 'Record an exception to the time limit' },
  withdraw: { name: 'Record that the request was withdrawn' },
} as const satisfies Record<Exclude<Move, 'advice_received'>, { name: string }>;

export type CaseAction = keyof typeof CASE_ACTIONS;

export function canTakeAction(stage: string, action: CaseAction): boolean {
  return canMove(stage, action);
}

/** The actions open at a stage, in the order a case needs them. */
export function actionsAt(stage: string): CaseAction[] {
  return (Object.keys(CASE_ACTIONS) as CaseAction[]).filter((a) => canTakeAction(stage, a));
}
