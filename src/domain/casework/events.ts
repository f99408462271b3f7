/** Names for the case timeline, in plain English. */
export const EVENT_NAMES: Record<string, string> = {
  request_received: 'Request for assessment received',
  assessment_decision: 'Decision on whether to assess',
  advice_requested: 'Advice requested',
  advice_received: 'Advice received',
  issue_decision: 'Decision on whether to issue a plan',
  draft_served: 'Draft plan sent to the family',
  final_plan_issued: 'Final plan issued',
  exception: 'Exception to the time limit recorded',
  request_withdrawn: 'Request withdrawn',
  draft_plan_saved: 'Draft plan saved',
  setting_consulted: 'School or setting consulted',
  consultation_reply: 'Reply from a school or setting',
  family_representations: 'Family’s comments on the draft',
  caseworker_assigned: 'Caseworker assigned',
};

export function eventName(type: string): string {
  return EVENT_NAMES[type] ?? type.replaceAll('_', ' ');
}

export const OUTCOME_NAMES: Record<string, string> = {
  assess: 'Assess',
  not_assess: 'Not assess',
  issue: 'Issue a plan',
  not_issue: 'Not issue a plan',
};

export const EXCEPTION_NAMES: Record<string, string> = {
  reg10_4_a: 'School or college closed when advice was requested (reg 10(4)(a))',
  reg10_4_b: 'Early years provider closed when advice was requested (reg 10(4)(b))',
  reg10_4_c: 'Exceptional personal circumstances (reg 10(4)(c))',
  reg10_4_d: 'Child or parent away from the area for 4 weeks or more (reg 10(4)(d))',
  reg10_4: 'A reg 10(4) exception (brought over from a SEN2 return, which does not say which)',
};

/** Who asked for the assessment, by SEN2 RequestSource code (item 2.2). */
export const REQUEST_SOURCE_NAMES: Record<string, string> = {
  '1': 'Parent, carer or the young person',
  '2': 'School or other education setting',
  '3': 'Health professional',
  '4': 'Social care professional',
  '5': 'Someone else',
};
