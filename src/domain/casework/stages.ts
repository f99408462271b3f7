/**
 * Where a request for an EHC needs assessment stands. Open stages are listed in the order a case moves through them.
 */
export const OPEN_STAGES = [
  'deciding_whether_to_assess',
  'gathering_advice',
  'deciding_whether_to_issue',
  'drafting_plan',
  'draft_with_family',
] as const;
export const CLOSED_STAGES = ['final_plan_issued', 'not_assessed', 'not_issued', 'withdrawn'] as const;

export type OpenStage = (typeof OPEN_STAGES)[number];
export type ClosedStage = (typeof CLOSED_STAGES)[number];
export type Stage = OpenStage | ClosedStage;

export const STAGE_NAMES: Record<Stage, string> = {
  deciding_whether_to_assess: 'Deciding whether to assess',
  gathering_advice: 'Gathering advice',
  deciding_whether_to_issue: 'Deciding whether to issue a plan',
  drafting_plan: 'Writing the draft plan',
  draft_with_family: 'Draft plan with the family',
  final_plan_issued: 'Final plan issued',
  not_assessed: 'Decided not to assess',
  not_issued: 'Decided not to issue a plan',
  withdrawn: 'Request withdrawn',
};

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && value in STAGE_NAMES;
}

export const ADVICE_TYPE_NAMES = {
  educational_psychology: 'Educational psychology',
  health: 'Health',
  social_care: 'Social care',
  education_setting: 'Education setting',
  other: 'Other',
} as const;
export type AdviceType = keyof typeof ADVICE_TYPE_NAMES;

export const PRIMARY_NEED_NAMES = {
  ASD: 'Autistic spectrum disorder',
  SEMH: 'Social, emotional and mental health',
  MLD: 'Moderate learning difficulty',
  SLCN: 'Speech, language and communication needs',
  SLD: 'Severe learning difficulty',
  SPLD: 'Specific learning difficulty',
  PD: 'Physical disability',
  HI: 'Hearing impairment',
  VI: 'Visual impairment',
  MSI: 'Multi-sensory impairment',
  PMLD: 'Profound and multiple learning difficulty',
  DS: 'Down syndrome',
  OTH: 'Other difficulty or disability',
} as const;
export type PrimaryNeed = keyof typeof PRIMARY_NEED_NAMES;
