/**
 * What a caseworker can do next on a request, by its stage: the case page offers exactly these, and the services
 * refuse anything else (a form opened before someone else moved the case on cannot skip a step).
 */
import type { OpenStage } from './stages.js';

export const CASE_ACTIONS = {
  assessment_decision: {
    name: 'Record the decision on whether to assess',
    from: ['deciding_whether_to_assess'],
  },
  request_advice: {
    name: 'Request advice',
    from: ['gathering_advice', 'deciding_whether_to_issue'],
  },
  issue_decision: {
    name: 'Record the decision on whether to issue a plan',
    from: ['gathering_advice', 'deciding_whether_to_issue'],
  },
  write_draft: {
    name: 'Write the draft plan',
    from: ['drafting_plan', 'draft_with_family'],
  },
  draft_served: {
    name: 'Record sending the draft plan to the family',
    from: ['drafting_plan', 'draft_with_family'],
  },
  consult_setting: {
    name: 'Consult a school or setting about section I',
    from: ['drafting_plan', 'draft_with_family'],
  },
  family_representations: {
    name: 'Record the family’s comments on the draft',
    from: ['draft_with_family'],
  },
  final_plan_issued: {
    name: 'Issue the final plan',
    from: ['draft_with_family'],
  },
  exception: {
    name: 'Record an exception to the time limit',
    // From the request: reg 5(4) is an exception to the 6-week decision whether to assess.
    from: [
      'deciding_whether_to_assess',
      'gathering_advice',
      'deciding_whether_to_issue',
      'drafting_plan',
      'draft_with_family',
    ],
  },
  withdraw: {
    name: 'Record that the request was withdrawn',
    from: [
      'deciding_whether_to_assess',
      'gathering_advice',
      'deciding_whether_to_issue',
      'drafting_plan',
      'draft_with_family',
    ],
  },
} as const satisfies Record<string, { name: string; from: readonly OpenStage[] }>;

export type CaseAction = keyof typeof CASE_ACTIONS;

export function canTakeAction(stage: string, action: CaseAction): boolean {
  return (CASE_ACTIONS[action].from as readonly string[]).includes(stage);
}

/** The actions open at a stage, in the order a case needs them. */
export function actionsAt(stage: string): CaseAction[] {
  return (Object.keys(CASE_ACTIONS) as CaseAction[]).filter((a) => canTakeAction(stage, a));
}
