import type { ExceptionRegulation } from '../statutory/events.js';

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
  family_views: 'The family gave or changed their views',
  family_document: 'Document from the family',
  family_meeting_arranged: 'Meeting with the family about the draft arranged',
  disagreement_started: 'Disagreement with a decision recorded',
  mediation_requested: 'Family asked for mediation',
  mediation_held: 'Mediation took place',
  mediation_certificate_recorded: 'Mediation certificate issued',
  mediation_agreement_done: 'Mediation agreement carried out',
  tribunal_appeal: 'Appeal to the Tribunal',
  tribunal_decision: 'Tribunal decision',
  tribunal_order_step_done: 'Tribunal order complied with',
  disagreement_closed: 'Disagreement closed',
};

/**
 * The latest event of a type in a case's timeline as the case record holds it: newest first (by date, then by the
 * order recorded), so the first found is the latest.
 */
export function latestEvent<E extends { type: string }>(newestFirst: readonly E[], type: string): E | undefined {
  return newestFirst.find((e) => e.type === type);
}

export function eventName(type: string): string {
  return EVENT_NAMES[type] ?? type.replaceAll('_', ' ');
}

export const OUTCOME_NAMES: Record<string, string> = {
  assess: 'Assess',
  not_assess: 'Not assess',
  issue: 'Issue a plan',
  not_issue: 'Not issue a plan',
};

/**
 * The exceptions to the time limits, by reason code (SEND Regulations 2014 regs 5(4), 8(2), 10(4), 27(3);
 * statutory-timescales.md rows 1, 2, 5 and 14).
 */
export const EXCEPTION_NAMES: Record<string, string> = {
  reg5_4_a: 'School or college closed when its advice was requested (reg 5(4)(a))',
  reg5_4_b: 'Exceptional personal circumstances (reg 5(4)(b))',
  reg5_4_c: 'Child or parent away from the area for 4 weeks or more (reg 5(4)(c))',
  reg8_2_a: 'Exceptional circumstances affecting the child, parent or young person (reg 8(2)(a))',
  reg8_2_b: 'Child or parent away from the area for 4 weeks or more (reg 8(2)(b))',
  reg8_2_c: 'Child or parent missed an appointment (reg 8(2)(c))',
  reg10_4_a: 'School or college closed when advice was requested (reg 10(4)(a))',
  reg10_4_b: 'Early years provider closed when advice was requested (reg 10(4)(b))',
  reg10_4_c: 'Exceptional personal circumstances (reg 10(4)(c))',
  reg10_4_d: 'Child or parent away from the area for 4 weeks or more (reg 10(4)(d))',
  reg27_3_a: 'School or college closed when advice was requested (reg 27(3)(a))',
  reg27_3_b: 'Early years provider closed when advice was requested (reg 27(3)(b))',
  reg27_3_c: 'Exceptional personal circumstances (reg 27(3)(c))',
  reg27_3_d: 'Child or parent away from the area for 4 weeks or more (reg 27(3)(d))',
  reg10_4: 'A reg 10(4) exception (brought over from a SEN2 return, which does not say which)',
};

/** The heading over each regulation's reasons on the exception form. */
export const EXCEPTION_REGULATION_NAMES: Record<ExceptionRegulation, string> = {
  reg5_4: 'For the decision whether to assess (regulation 5(4))',
  reg8_2: 'For a body’s advice (regulation 8(2); a school closure is not one)',
  reg10_4: 'For the final plan (regulations 10(4) and 13(3))',
  reg27_3: 'For the plan after a reassessment (regulation 27(3))',
};

/** Who asked for the assessment, by SEN2 RequestSource code (item 2.2). */
export const REQUEST_SOURCE_NAMES: Record<string, string> = {
  '1': 'Parent, carer or the young person',
  '2': 'School or other education setting',
  '3': 'Health professional',
  '4': 'Social care professional',
  '5': 'Someone else',
};
