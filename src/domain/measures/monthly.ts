/**
 * The monthly performance measures a SEND board reads, worked out from case facts for each calendar month, for the
 * whole LA and broken down by primary need, team (area), the child's age group and, for advice, by type and provider.
 * Each measure carries its definition (numerator, denominator, exclusions, source, refresh), shown on its own page.
 *
 * Flow measures count what happened in the month (plans issued, decisions made, advice returned). Stock measures are
 * taken at the end of the month (open requests, requests waiting over 20 weeks, caseload per caseworker). DfE
 * definitions: statutory-timescales.md P12 (20 weeks = 140 days from the request), reg 5(1) (6 weeks = 42 days),
 * reg 8(1) (advice within 6 weeks of the request for it); "excluding exceptions" leaves out only cases with an
 * exception to the 20-week duty (a reg 10(4) reason, applied to the final plan by reg 13(3): SEN2 Week20), as DfE's
 * statistics do; exceptions to other duties (reg 5(4), reg 8(2)) leave a plan in. How many plans had such an exception
 * is itself a measure, shown beside the 20-week one: an LA could flatter its headline figure by over-recording them.
 */
import { ageInYears, daysBetween, type LocalDate } from '../dates/localDate.js';
import {
  ADVICE_DAYS,
  ADVICE_WEEKS,
  AMENDED_PLAN_DAYS,
  AMENDED_PLAN_WEEKS,
  ANNUAL_REVIEW_MONTHS,
  DECIDE_REASSESSMENT_DAYS,
  DECIDE_WHETHER_TO_ASSESS_DAYS,
  DECIDE_WHETHER_TO_ASSESS_WEEKS,
  FINAL_PLAN_DAYS,
  FINAL_PLAN_WEEKS,
  REASSESSED_PLAN_DAYS,
  REASSESSED_PLAN_WEEKS,
  REVIEW_DECISION_DAYS,
  REVIEW_DECISION_WEEKS,
} from '../statutory/periods.js';
import { periodStartingWithEnds } from '../dates/months.js';
import { AGE_BANDS, isOpenOn, waitedOver20Weeks, type CaseFacts } from './timeliness.js';
import type { ImprovementDirection } from '../spc/xmr.js';
import type { OrderedStep } from './tribunalOrders.js';
import { commentWindowEnds, deemedServed, type ServiceMethod } from '../dates/service.js';
import type { WorkingDayCalendar } from '../dates/workingDays.js';

/** A calendar month as YYYY-MM. */
export type Month = string;

export interface MeasureCase extends CaseFacts {
  primaryNeed: string | null;
  team: string | null;
  dateOfBirth: LocalDate | null;
  caseworkerId: string | null;
  /** `online`: the professional gave it in the service (the structured form), not as a document the council recorded. */
  advice: (CaseFacts['advice'][number] & { provider: string; online?: boolean })[];
  /** The plan's submitted first quality audits: the month of the sample and the grade (domain/quality/rubric.ts). */
  audits?: { month: Month; grade: string }[];
  /** The last draft plan sent to the family: the day sent and how (deemed service, rule P4). */
  draftSent?: { on: LocalDate; method: ServiceMethod } | null;
  /** The family's comments on the draft as the case records them: the day received, and whether they sent them online. */
  familyComments?: { on: LocalDate; online: boolean }[];
}

/** A plan that ended: the day (SEN2 CeaseDate) and its SEN2 CeaseReason code. */
export interface CeasedPlan {
  ceasedDate: LocalDate;
  ceasedReason: string | null;
}

/**
 * One annual review cycle of a plan, as the review measures read it (domain/casework/annualReview.ts): the cycle's 12
 * months start with `cycleStart` (the plan's issue or the last review's decision, CFA s.44(1)). A plan's current cycle
 * with nothing recorded yet is one of these too, with every step null.
 */
export interface MeasureReview {
  cycleStart: LocalDate;
  meetingHeldDate: LocalDate | null;
  /** The day the family was told the decision (maintain, amend or cease): it concludes the review. */
  decisionDate: LocalDate | null;
  /** After a decision to amend: the amended plan issued, or a notice of not amending (reg 22(3), (4)). */
  outcome: 'amended' | 'not_amended' | null;
  outcomeDate: LocalDate | null;
  /** The day the LA stopped maintaining the plan (ceased), if it has. */
  planCeasedDate: LocalDate | null;
  primaryNeed: string | null;
}

/**
 * A reassessment as its measures read it (domain/casework/reassessment.ts): a request's decision and, after a decision
 * to reassess, the final plan. The council's own decision (s.44(3)) has no request: it counts only for the plan.
 */
export interface MeasureReassessment {
  requested: boolean;
  receivedDate: LocalDate;
  decisionDate: LocalDate | null;
  decision: 'reassess' | 'not_reassess' | null;
  finalIssuedDate: LocalDate | null;
  /** A reg 27(3) exception was recorded against the 14 weeks (it does not leave the plan out: P11). */
  exception: boolean;
}

/** reg 20(10) and reg 22(3) together: the decision within 4 weeks of the meeting, the amended plan 8 weeks after it. */
const AMENDED_PLAN_FROM_MEETING_WEEKS = REVIEW_DECISION_WEEKS + AMENDED_PLAN_WEEKS;
const AMENDED_PLAN_FROM_MEETING_DAYS = REVIEW_DECISION_DAYS + AMENDED_PLAN_DAYS;

/** The last day a review cycle may conclude by law: the end of the 12 months starting with its start (CFA s.44(1); P7). */
export function reviewStatutoryDue(cycleStart: LocalDate): LocalDate {
  return periodStartingWithEnds(cycleStart, ANNUAL_REVIEW_MONTHS);
}

export type Dimension =
  'all' | 'need' | 'team' | 'age_group' | 'advice_type' | 'provider' | 'waiting_band' | 'caseworker' | 'cease_reason';

export const DIMENSION_NAMES: Record<Dimension, string> = {
  all: 'All',
  need: 'Primary need',
  team: 'Team (area)',
  age_group: 'Age at request',
  advice_type: 'Type of advice',
  provider: 'Advice provider',
  waiting_band: 'Weeks since the request',
  caseworker: 'Caseworker',
  cease_reason: 'Why the plan ended (SEN2 CeaseReason)',
};

/**
 * Breakdowns for signed-in staff only, never published: a figure about one named member of staff is a management
 * matter, not open data, and a caseworker's few plans in a month would be small numbers about children too.
 */
export const STAFF_ONLY_DIMENSIONS: ReadonlySet<Dimension> = new Set<Dimension>(['caseworker']);

/** DfE's age groups for EHC plan statistics, by the child's age on the day the request was received. */
export const AGE_GROUPS = [
  { id: 'under_5', label: 'Under 5', from: 0, to: 4 },
  { id: '5_to_10', label: '5 to 10', from: 5, to: 10 },
  { id: '11_to_15', label: '11 to 15', from: 11, to: 15 },
  { id: '16_to_19', label: '16 to 19', from: 16, to: 19 },
  { id: '20_to_25', label: '20 to 25', from: 20, to: Infinity },
] as const;

export type MeasureKind = 'rate' | 'count' | 'median' | 'p90' | 'ratio';

export interface MeasureDefinition {
  id: string;
  title: string;
  kind: MeasureKind;
  /** How the value reads: "%", "plans", "weeks", ... */
  unit: string;
  improvementDirection: ImprovementDirection;
  /** Why the direction is what it is, where that is not obvious (shown on the definition page). */
  directionReason?: string;
  /** Taken over the month (flow) or at its end (stock). */
  timing: 'in_month' | 'month_end';
  numerator: string;
  denominator: string;
  exclusions: string;
  breakdowns: Dimension[];
  /** Shown on the public transparency page. */
  headline: boolean;
  /** The England series in shared/reference/statistics to compare with (calendar-year figures). */
  england?: string;
  /** The measure this one is read with: its chart is shown beside that one's. */
  beside?: string;
  /** What the figure's n (its denominator) counts, for the tables: children (a plan, a decision, a draft is one child's) unless said. */
  nCounts?: string;
}

const SOURCE_BREAKDOWNS: Dimension[] = ['all', 'need', 'team', 'age_group'];

/** What the two 20-week measures share; they differ only in whether exceptions count. */
const WITHIN_20_WEEKS = {
  kind: 'rate',
  unit: '%',
  improvementDirection: 'increase',
  timing: 'in_month',
  numerator: `Final EHC plans issued in the month within ${FINAL_PLAN_WEEKS} weeks (${FINAL_PLAN_DAYS} days) of the request being received.`,
  denominator: 'Final EHC plans issued in the month after an EHC needs assessment.',
  breakdowns: SOURCE_BREAKDOWNS,
  headline: true,
} as const satisfies Partial<MeasureDefinition>;

/**
 * How published measures add up across measures, for the disclosure rule (domain/disclosure, R4): in each month and
 * category, the total is the sum of the parts; null is a count not published but given by the others. Without these a
 * reader could subtract one published figure from another and find a count of 1 to 4 children.
 */
export const MEASURE_SUMS = [
  // Plans issued = those left in the figure excluding exceptions + those with an exception to the 20-week limit.
  {
    total: ['plans_within_20_weeks_incl', 'd'],
    parts: [
      ['plans_within_20_weeks_excl', 'd'],
      ['plans_with_20_week_exception', 'n'],
    ],
  },
  // Plans within 20 weeks = those excluding exceptions + plans with an exception that were still within 20 weeks.
  {
    total: ['plans_within_20_weeks_incl', 'n'],
    parts: [['plans_within_20_weeks_excl', 'n'], null],
  },
  // Decisions made in the month = decisions to assess + decisions not to assess (not published as a count).
  {
    total: ['decided_within_6_weeks', 'd'],
    parts: [['decisions_to_assess', 'count'], null],
  },
  // Open requests at the month's end = those waiting over 20 weeks + the others (not published as a count).
  {
    total: ['open_requests', 'count'],
    parts: [['waiting_over_20_weeks', 'count'], null],
  },
] as const satisfies readonly {
  total: readonly [string, 'count' | 'n' | 'd'];
  parts: readonly (readonly [string, 'count' | 'n' | 'd'] | null)[];
}[];

export const MEASURES: readonly MeasureDefinition[] = [
  {
    id: 'plans_within_20_weeks_excl',
    title: `New EHC plans issued within ${FINAL_PLAN_WEEKS} weeks, excluding exceptions`,
    ...WITHIN_20_WEEKS,
    exclusions:
      'Plans with an exception to the 20-week limit (reg 10(4), applied by reg 13(3); SEN2 Week20) are left out of both the numerator and the denominator, as in DfE statistics. Exceptions to other time limits (the 6-week decision, advice) do not leave a plan out.',
    england: 'pct_within_20wk_excl_exceptions',
  },
  {
    id: 'plans_with_20_week_exception',
    title: 'New EHC plans issued with an exception to the 20-week limit',
    kind: 'rate',
    unit: '%',
    improvementDirection: 'neutral',
    directionReason:
      'An exception is lawful when the circumstances in the regulations arise, so no level is good in itself. But each one takes a plan out of the 20-week figure excluding exceptions, so a rise can flatter that figure, and a fall can mean exceptions go unrecorded. Any significant change is shown, in purple, for the board to ask why.',
    timing: 'in_month',
    numerator:
      'Final EHC plans issued in the month with an exception to the 20-week limit recorded (reg 10(4)(a) to (d), applied by reg 13(3); SEN2 Week20).',
    denominator: 'Final EHC plans issued in the month after an EHC needs assessment.',
    exclusions:
      'None. Exceptions to other time limits (the 6-week decision, reg 5(4); advice, reg 8(2)) are not counted: they do not take a plan out of the 20-week figure. By caseworker (signed-in staff only, never published): each plan counts with the caseworker its request has today; earlier reassignments are not replayed.',
    breakdowns: ['all', 'team', 'caseworker'],
    headline: true,
    beside: 'plans_within_20_weeks_excl',
  },
  {
    id: 'plans_within_20_weeks_incl',
    title: `New EHC plans issued within ${FINAL_PLAN_WEEKS} weeks, including exceptions`,
    ...WITHIN_20_WEEKS,
    exclusions: 'None: plans with an exception to the 20-week limit are counted.',
    england: 'pct_within_20wk_incl_exceptions',
  },
  {
    id: 'plans_issued',
    title: 'New EHC plans issued',
    kind: 'count',
    unit: 'plans',
    improvementDirection: 'neutral',
    timing: 'in_month',
    numerator: 'Final EHC plans issued in the month after an EHC needs assessment.',
    denominator: 'None (a count).',
    exclusions: 'Amended plans after a review, and plans transferred in from another LA.',
    breakdowns: SOURCE_BREAKDOWNS,
    headline: true,
  },
  {
    id: 'requests_received',
    title: 'Requests for an EHC needs assessment received',
    kind: 'count',
    unit: 'requests',
    improvementDirection: 'neutral',
    timing: 'in_month',
    numerator: 'Requests for an EHC needs assessment received in the month (the day the 20-week clock starts).',
    denominator: 'None (a count).',
    exclusions: 'None: requests later withdrawn or refused are counted.',
    breakdowns: SOURCE_BREAKDOWNS,
    headline: false,
  },
  {
    id: 'decisions_to_assess',
    title: 'Decisions to carry out an EHC needs assessment',
    kind: 'count',
    unit: 'decisions',
    improvementDirection: 'neutral',
    timing: 'in_month',
    numerator: 'Decisions made in the month to carry out an EHC needs assessment (SEN2 request outcome Y).',
    denominator: 'None (a count).',
    exclusions: 'Decisions not to assess.',
    breakdowns: SOURCE_BREAKDOWNS,
    headline: false,
  },
  {
    id: 'median_weeks_to_plan',
    title: 'Median weeks from request to final plan',
    kind: 'median',
    unit: 'weeks',
    improvementDirection: 'decrease',
    timing: 'in_month',
    numerator: 'The middle value of the weeks from request to final plan, over plans issued in the month.',
    denominator: 'Final EHC plans issued in the month (n).',
    exclusions: 'None: exceptions are included.',
    breakdowns: SOURCE_BREAKDOWNS,
    headline: true,
  },
  {
    id: 'p90_weeks_to_plan',
    title: '90th percentile of weeks from request to final plan',
    kind: 'p90',
    unit: 'weeks',
    improvementDirection: 'decrease',
    timing: 'in_month',
    numerator:
      'The weeks within which 9 in 10 of the month’s final plans were issued (nearest rank: the smallest value with at least 90% of plans at or below it).',
    denominator: 'Final EHC plans issued in the month (n).',
    exclusions: 'None: exceptions are included.',
    breakdowns: SOURCE_BREAKDOWNS,
    headline: false,
  },
  {
    id: 'decided_within_6_weeks',
    title: `Requests decided within ${DECIDE_WHETHER_TO_ASSESS_WEEKS} weeks`,
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator: `Decisions whether to assess made in the month within ${DECIDE_WHETHER_TO_ASSESS_WEEKS} weeks (${DECIDE_WHETHER_TO_ASSESS_DAYS} days) of the request.`,
    denominator: 'Decisions whether to assess (to assess or not to assess) made in the month.',
    exclusions: 'Requests withdrawn before a decision, and requests not yet decided.',
    breakdowns: SOURCE_BREAKDOWNS,
    headline: true,
    england: 'pct_request_decision_within_6wk',
  },
  {
    id: 'advice_within_6_weeks',
    title: `Advice returned within ${ADVICE_WEEKS} weeks`,
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator: `Advice received in the month within ${ADVICE_WEEKS} weeks (${ADVICE_DAYS} days) of being requested (reg 8(1)).`,
    denominator: 'Advice received in the month.',
    exclusions:
      'Advice still outstanding (it counts when it arrives), and existing advice reused with the family’s agreement.',
    breakdowns: ['all', 'advice_type', 'provider'],
    headline: false,
    nCounts: 'pieces of advice',
  },
  {
    id: 'advice_given_online',
    title: 'Advice given online',
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    directionReason:
      'Advice given online reaches the caseworker the day it is sent, marks the duty met, and its needs, outcomes and provision can be taken into the draft plan without being typed again.',
    timing: 'in_month',
    numerator:
      'Advice received in the month that the professional gave in this service (the online advice form), rather than as a document the council recorded.',
    denominator: 'Advice received in the month.',
    exclusions: 'Advice still outstanding, and existing advice reused with the family’s agreement.',
    breakdowns: ['all', 'advice_type', 'provider'],
    headline: false,
    nCounts: 'pieces of advice',
    beside: 'advice_within_6_weeks',
  },
  {
    id: 'online_advice_within_6_weeks',
    title: `Advice given online within ${ADVICE_WEEKS} weeks`,
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator: `Advice given online and received in the month within ${ADVICE_WEEKS} weeks (${ADVICE_DAYS} days) of being requested (reg 8(1)).`,
    denominator: 'Advice given online and received in the month.',
    exclusions: 'Advice given as a document the council recorded, advice still outstanding, and advice reused.',
    breakdowns: ['all', 'advice_type', 'provider'],
    headline: false,
    nCounts: 'pieces of advice',
  },
  {
    id: 'families_commented_on_draft',
    title: 'Families who commented on the draft plan within 15 days',
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    directionReason:
      'A family who says what they think of the draft while it can still change is a family taking part in the plan; few comments can mean the draft, or the way it was sent, did not reach them.',
    timing: 'in_month',
    numerator:
      'Of those drafts, the ones whose family’s comments (sent online, or received another way and recorded on the case) were received by the last day of the 15 days.',
    denominator:
      'Draft plans whose 15 days for the family’s comments ended in the month (15 days from the day the draft was served: the day it was emailed or handed over, the second working day after first class post, the fourth after second class; reg 13(1), rule P3).',
    exclusions: 'Requests withdrawn before the 15 days ended; a draft sent again counts once, by the last one sent.',
    breakdowns: ['all', 'need', 'team'],
    headline: false,
  },
  {
    id: 'reviews_within_12_months',
    title: `Annual reviews completed within ${ANNUAL_REVIEW_MONTHS} months`,
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator: `Of those reviews, the ones whose decision (maintain, amend or cease) was told to the family on or before the last day of the ${ANNUAL_REVIEW_MONTHS} months: the decision concludes the review (CFA s.44(1)).`,
    denominator: `Annual reviews due in the month: the ${ANNUAL_REVIEW_MONTHS} months starting with the day the plan was issued or last reviewed ended in the month (Children and Families Act 2014 s.44(1); the corresponding-date rule, P7). A review not done by then counts as late whether or not it has been done since.`,
    exclusions: `Plans the LA stopped maintaining before the review was due. A child under 5 is judged against the law's ${ANNUAL_REVIEW_MONTHS} months too, not the 3 to 6 months the Code of Practice (9.178) recommends. Review cycles from before the service held the plan's reviews are not known and not counted.`,
    breakdowns: ['all', 'need'],
    headline: true,
    nCounts: 'reviews',
  },
  {
    id: 'review_decisions_within_4_weeks',
    title: `Review decisions made within ${REVIEW_DECISION_WEEKS} weeks of the meeting`,
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator: `Of those decisions, the ones told to the family within ${REVIEW_DECISION_WEEKS} weeks (${REVIEW_DECISION_DAYS} days) of the review meeting (SEND Regulations 2014 reg 20(10), reg 21(9); SEND Code of Practice 9.176; with the proposed amendments when amending, R (L, M and P) v Devon CC [2022] EWHC 493).`,
    denominator:
      'Annual review decisions (maintain, amend or cease) told to the family in the month, after a review meeting. As DfE counts them (SEN2 annual reviews: decisions made within 4 weeks of the meeting).',
    exclusions:
      'Reviews whose meeting has not been held or whose decision is not yet made (they count when it is made; a review not concluded at all is late in the 12-month measure).',
    breakdowns: ['all', 'need'],
    headline: true,
    england: 'pct_review_decision_within_4wk',
    nCounts: 'review decisions',
  },
  {
    id: 'amended_plans_within_12_weeks',
    title: `Amended plans issued within ${AMENDED_PLAN_FROM_MEETING_WEEKS} weeks of the review meeting`,
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator: `Of those plans, the ones issued within ${AMENDED_PLAN_FROM_MEETING_WEEKS} weeks (${AMENDED_PLAN_FROM_MEETING_DAYS} days) of the review meeting: the amendment notice within ${REVIEW_DECISION_WEEKS} weeks of the meeting (reg 20(10)), then the amended plan within ${AMENDED_PLAN_WEEKS} weeks of the notice (SEND Regulations 2014 reg 22(2), (3)).`,
    denominator: 'Amended EHC plans issued in the month after an annual review.',
    exclusions:
      'Reviews that ended with a notice of not amending the plan (reg 22(4)), and amended plans still to be issued (they count when issued).',
    breakdowns: ['all', 'need'],
    headline: true,
    nCounts: 'amended plans',
  },
  {
    id: 'reassessment_decisions_within_15_days',
    title: `Reassessment decisions made within ${DECIDE_REASSESSMENT_DAYS} days of the request`,
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator: `Of those decisions, the ones told to the family within ${DECIDE_REASSESSMENT_DAYS} days of the request being received (SEND Regulations 2014 reg 25; calendar days, rule P2).`,
    denominator:
      'Decisions on a request for a reassessment (from the parent, the young person, the school or college, or the health commissioning body: Children and Families Act 2014 s.44(2)) told to the family in the month, whether to reassess or not.',
    exclusions:
      'The council’s own decisions to reassess (s.44(3)): there is no request to decide. Requests not yet decided (they count when decided).',
    breakdowns: ['all'],
    headline: true,
    nCounts: 'decisions',
  },
  {
    id: 'reassessed_plans_within_14_weeks',
    title: `Plans issued within ${REASSESSED_PLAN_WEEKS} weeks of a decision to reassess`,
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator: `Of those plans, the ones issued within ${REASSESSED_PLAN_WEEKS} weeks (${REASSESSED_PLAN_DAYS} days) of the decision to reassess being told to the family, or of the council's own decision (SEND Regulations 2014 reg 27(2)).`,
    denominator: 'Final plans issued in the month after a reassessment.',
    exclusions:
      'None: a plan with a reg 27(3) exception recorded is counted (an exception never moves the date, rule P11). Reassessments still under way count when their plan is issued.',
    breakdowns: ['all'],
    headline: true,
    nCounts: 'plans',
  },
  {
    id: 'tribunal_orders_on_time',
    title: 'Tribunal orders complied with on time',
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator:
      'Of those steps, the ones the council did on or before their date. A step not done by its date counts as late, whether or not it has been done since.',
    denominator:
      'Steps the First-tier Tribunal (SEND) ordered the council to take (SEND Regulations 2014 reg 44(2)), or that an appeal it did not oppose set (reg 45), whose date fell in the month: each step by its own date from the order (section I named within 2 weeks; sections B and F amended within 5 weeks; a plan made: the draft within 5 weeks and the final plan within 11, two steps; an assessment: the family told within 2 weeks, then the “no plan” notice within 10 weeks or the final plan within 14, one step).',
    exclusions:
      'Orders to keep maintaining a plan (they take effect at once, with nothing to do by a date); for an order to assess, the outcome that did not happen (while neither has, only the final plan’s 14 weeks count); what the council agreed at mediation (reg 42), which is not a Tribunal order.',
    breakdowns: ['all', 'need'],
    headline: true,
    nCounts: 'ordered steps',
  },
  {
    id: 'open_requests',
    title: 'Open requests at the end of the month',
    kind: 'count',
    unit: 'requests',
    improvementDirection: 'neutral',
    timing: 'month_end',
    numerator:
      'Requests received by the end of the month with no final plan, no decision that ended them and not withdrawn by then.',
    denominator: 'None (a count).',
    exclusions: 'None.',
    breakdowns: [...SOURCE_BREAKDOWNS, 'waiting_band'],
    headline: false,
  },
  {
    id: 'waiting_over_20_weeks',
    title: `Requests waiting over ${FINAL_PLAN_WEEKS} weeks at the end of the month`,
    kind: 'count',
    unit: 'requests',
    improvementDirection: 'decrease',
    timing: 'month_end',
    numerator: `Open requests at the end of the month received more than ${FINAL_PLAN_WEEKS} weeks (${FINAL_PLAN_DAYS} days) before it.`,
    denominator: 'None (a count).',
    exclusions: 'None: requests with an exception are counted.',
    breakdowns: SOURCE_BREAKDOWNS,
    headline: true,
  },
  {
    id: 'caseload_per_caseworker',
    title: 'Open requests per caseworker at the end of the month',
    kind: 'ratio',
    unit: 'requests each',
    improvementDirection: 'neutral',
    timing: 'month_end',
    numerator: 'Open requests at the end of the month with a caseworker.',
    denominator:
      'Caseworkers with at least one of those requests. Requests are counted with their caseworker today: earlier reassignments are not replayed.',
    exclusions: 'Open requests with no caseworker.',
    breakdowns: ['all', 'team'],
    headline: false,
    nCounts: 'caseworkers',
  },
  {
    id: 'plans_ceased',
    title: 'EHC plans ceased',
    kind: 'count',
    unit: 'plans',
    improvementDirection: 'neutral',
    directionReason:
      'A plan ends for good reasons (needs met, a move to work or university) and for reasons the council should ask about (a young person who stopped engaging); the reasons, not the count, say which.',
    timing: 'in_month',
    numerator:
      'EHC plans that ended in the month: the day the plan stopped being maintained, after the family’s time to appeal passed or an appeal was decided (Children and Families Act 2014 s.45(2); SEN2 CeaseDate), not the day of the decision.',
    denominator: 'None (a count).',
    exclusions:
      'Decisions to cease whose plan is still maintained while the family may appeal, or while an appeal is decided.',
    breakdowns: ['all', 'cease_reason'],
    headline: false,
    nCounts: 'plans',
  },
  {
    id: 'plans_good_or_better',
    title: 'Audited EHC plans rated good or better',
    kind: 'rate',
    unit: '%',
    improvementDirection: 'increase',
    timing: 'in_month',
    numerator:
      'Plans in the month’s quality audit sample whose audit was graded Good or Outstanding (the grade computed from the rubric’s criteria met).',
    denominator: 'Plans in the month’s sample with a submitted audit.',
    exclusions: 'Second (moderation) audits, and audits not yet submitted.',
    breakdowns: ['all', 'need', 'team'],
    headline: false,
    nCounts: 'plans audited',
  },
];

export const MEASURE_BY_ID = new Map(MEASURES.map((m) => [m.id, m]));

export interface MeasureValue {
  measure: string;
  month: Month;
  dimension: Dimension;
  category: string;
  /** Rates: the count meeting the standard; counts: the count; median and p90: null; ratio: the requests. */
  numerator: number | null;
  /** Rates: the count judged; median and p90: n (plans); ratio: caseworkers; counts: null. */
  denominator: number | null;
  /** The figure charted: a percentage, a count, weeks or a ratio; null when there is nothing to judge. */
  value: number | null;
}

const monthOf = (date: LocalDate): Month => date.slice(0, 7);

function lastDayOf(month: Month): LocalDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, '0')}` as LocalDate;
}

/** The months from `from` to `to` inclusive. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) return out;
    out.push(month);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
}

export function ageGroupOf(dateOfBirth: LocalDate | null, on: LocalDate): string {
  if (!dateOfBirth) return 'unknown';
  const age = ageInYears(dateOfBirth, on);
  return AGE_GROUPS.find((g) => age >= g.from && age <= g.to)?.id ?? 'unknown';
}

function waitingBandOf(received: LocalDate, on: LocalDate): string {
  const weeks = daysBetween(received, on) / 7;
  return AGE_BANDS.find((b) => weeks >= b.fromWeeks && weeks < b.toWeeks)!.id;
}

/** The 50th percentile (the mean of the middle two of an even count) of sorted values. */
function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The smallest value with at least 90% of values at or below it (nearest rank), of sorted values. */
function p90(sorted: number[]): number {
  return sorted[Math.ceil(0.9 * sorted.length) - 1]!;
}

/** Accumulates numerators, denominators and lists of weeks per (measure, month, dimension, category). */
class Tally {
  readonly cells = new Map<string, { num: number; den: number; weeks: number[] }>();

  private cell(measure: string, month: Month, dimension: Dimension, category: string) {
    const key = `${measure}\u0000${month}\u0000${dimension}\u0000${category}`;
    let c = this.cells.get(key);
    if (!c) this.cells.set(key, (c = { num: 0, den: 0, weeks: [] }));
    return c;
  }

  add(measure: string, month: Month, cats: [Dimension, string][], num: number, den: number, weeks?: number): void {
    for (const [dimension, category] of cats) {
      const c = this.cell(measure, month, dimension, category);
      c.num += num;
      c.den += den;
      if (weeks !== undefined) c.weeks.push(weeks);
    }
  }

  /** Casework rows never carry a separator, so the key splits back cleanly. */
  entries() {
    return [...this.cells].map(([key, c]) => {
      const [measure, month, dimension, category] = key.split('\u0000') as [string, Month, Dimension, string];
      return { measure, month, dimension, category, ...c };
    });
  }
}

/**
 * Every measure for every month from `from` to `to` (inclusive), for the whole LA and each breakdown (`calendar`: the
 * working days, for when a posted draft is served). Months with
 * nothing to judge give no row for a breakdown category, and a row with a null value for "all" (a gap, not a zero,
 * on a chart), except counts, which are 0.
 */
export function monthlyMeasures(
  cases: readonly MeasureCase[],
  from: Month,
  to: Month,
  calendar: WorkingDayCalendar,
  ceased: readonly CeasedPlan[] = [],
  /** Every annual review cycle of the LA's plans (the review measures). */
  reviews: readonly MeasureReview[] = [],
  /** Every reassessment of the LA's plans (the reassessment measures). */
  reassessments: readonly MeasureReassessment[] = [],
  /** Every step the Tribunal ordered (domain/measures/tribunalOrders.ts). */
  orderSteps: readonly OrderedStep[] = [],
): MeasureValue[] {
  const months = monthsBetween(from, to);
  const inRange = (m: Month) => m >= from && m <= to;
  const tally = new Tally();

  // Plans ended in each month, by their SEN2 CeaseReason (every plan, made here, imported or transferred in).
  for (const p of ceased) {
    if (!inRange(monthOf(p.ceasedDate))) continue;
    tally.add(
      'plans_ceased',
      monthOf(p.ceasedDate),
      [
        ['all', 'all'],
        ['cease_reason', p.ceasedReason ?? 'unknown'],
      ],
      1,
      0,
    );
  }
  const caseworkersByCell = new Map<string, Set<string>>();

  for (const r of reviews) {
    const cats: [Dimension, string][] = [
      ['all', 'all'],
      ['need', r.primaryNeed ?? 'unknown'],
    ];
    const due = reviewStatutoryDue(r.cycleStart);
    const ceasedFirst =
      r.planCeasedDate !== null && r.planCeasedDate <= due && (r.decisionDate === null || r.decisionDate > due);
    if (inRange(monthOf(due)) && !ceasedFirst) {
      tally.add(
        'reviews_within_12_months',
        monthOf(due),
        cats,
        r.decisionDate !== null && r.decisionDate <= due ? 1 : 0,
        1,
      );
    }
    if (r.meetingHeldDate && r.decisionDate && inRange(monthOf(r.decisionDate))) {
      const ok = daysBetween(r.meetingHeldDate, r.decisionDate) <= REVIEW_DECISION_DAYS ? 1 : 0;
      tally.add('review_decisions_within_4_weeks', monthOf(r.decisionDate), cats, ok, 1);
    }
    if (r.meetingHeldDate && r.outcome === 'amended' && r.outcomeDate && inRange(monthOf(r.outcomeDate))) {
      const ok = daysBetween(r.meetingHeldDate, r.outcomeDate) <= AMENDED_PLAN_FROM_MEETING_DAYS ? 1 : 0;
      tally.add('amended_plans_within_12_weeks', monthOf(r.outcomeDate), cats, ok, 1);
    }
  }

  // Reassessments: the decision within 15 days of the request (reg 25), the plan within 14 weeks (reg 27(2)).
  for (const r of reassessments) {
    const all: [Dimension, string][] = [['all', 'all']];
    if (r.requested && r.decisionDate && inRange(monthOf(r.decisionDate))) {
      const ok = daysBetween(r.receivedDate, r.decisionDate) <= DECIDE_REASSESSMENT_DAYS ? 1 : 0;
      tally.add('reassessment_decisions_within_15_days', monthOf(r.decisionDate), all, ok, 1);
    }
    if (r.decision === 'reassess' && r.decisionDate && r.finalIssuedDate && inRange(monthOf(r.finalIssuedDate))) {
      const ok = daysBetween(r.decisionDate, r.finalIssuedDate) <= REASSESSED_PLAN_DAYS ? 1 : 0;
      tally.add('reassessed_plans_within_14_weeks', monthOf(r.finalIssuedDate), all, ok, 1);
    }
  }

  // Each ordered step in the month it was due: done on or before its date, or late (done since, or not at all).
  for (const o of orderSteps) {
    if (!inRange(monthOf(o.due))) continue;
    const ok = o.done !== null && o.done <= o.due ? 1 : 0;
    tally.add(
      'tribunal_orders_on_time',
      monthOf(o.due),
      [
        ['all', 'all'],
        ['need', o.primaryNeed ?? 'unknown'],
      ],
      ok,
      1,
    );
  }

  for (const c of cases) {
    const ageGroup = ageGroupOf(c.dateOfBirth, c.receivedDate);
    const cats: [Dimension, string][] = [
      ['all', 'all'],
      ['need', c.primaryNeed ?? 'unknown'],
      ['team', c.team ?? 'unknown'],
      ['age_group', ageGroup],
    ];
    if (c.finalIssuedDate && inRange(monthOf(c.finalIssuedDate))) {
      const month = monthOf(c.finalIssuedDate);
      const days = daysBetween(c.receivedDate, c.finalIssuedDate);
      const ok = days <= FINAL_PLAN_DAYS ? 1 : 0;
      tally.add('plans_within_20_weeks_incl', month, cats, ok, 1);
      if (!c.exception) tally.add('plans_within_20_weeks_excl', month, cats, ok, 1);
      // By team and by caseworker (the request's caseworker today, as for the caseload per caseworker).
      const byWhom: [Dimension, string][] = [
        ...cats.filter(([d]) => d === 'all' || d === 'team'),
        ['caseworker', c.caseworkerId ?? 'unknown'],
      ];
      tally.add('plans_with_20_week_exception', month, byWhom, c.exception ? 1 : 0, 1);
      tally.add('plans_issued', month, cats, 1, 0);
      tally.add('median_weeks_to_plan', month, cats, 0, 1, days / 7);
    }
    for (const a of c.audits ?? []) {
      if (!inRange(a.month)) continue;
      const good = a.grade === 'outstanding' || a.grade === 'good' ? 1 : 0;
      tally.add(
        'plans_good_or_better',
        a.month,
        cats.filter(([d]) => d !== 'age_group'),
        good,
        1,
      );
    }
    if (inRange(monthOf(c.receivedDate))) tally.add('requests_received', monthOf(c.receivedDate), cats, 1, 0);
    if (c.assessmentDecisionDate && inRange(monthOf(c.assessmentDecisionDate))) {
      const ok = daysBetween(c.receivedDate, c.assessmentDecisionDate) <= DECIDE_WHETHER_TO_ASSESS_DAYS ? 1 : 0;
      tally.add('decided_within_6_weeks', monthOf(c.assessmentDecisionDate), cats, ok, 1);
      if (c.assessmentDecision === 'assess')
        tally.add('decisions_to_assess', monthOf(c.assessmentDecisionDate), cats, 1, 0);
    }
    for (const a of c.advice) {
      if (!a.receivedDate || !inRange(monthOf(a.receivedDate))) continue;
      const ok = daysBetween(a.requestedDate, a.receivedDate) <= ADVICE_DAYS ? 1 : 0;
      const adviceCats: [Dimension, string][] = [
        ['all', 'all'],
        ['advice_type', a.adviceType],
        ['provider', a.provider],
      ];
      tally.add('advice_within_6_weeks', monthOf(a.receivedDate), adviceCats, ok, 1);
      tally.add('advice_given_online', monthOf(a.receivedDate), adviceCats, a.online ? 1 : 0, 1);
      if (a.online) tally.add('online_advice_within_6_weeks', monthOf(a.receivedDate), adviceCats, ok, 1);
    }
    if (c.draftSent) {
      const windowEnds = commentWindowEnds(deemedServed(c.draftSent.on, c.draftSent.method, calendar));
      const withdrawnFirst = c.withdrawnDate !== null && c.withdrawnDate <= windowEnds;
      if (inRange(monthOf(windowEnds)) && !withdrawnFirst) {
        const commented = (c.familyComments ?? []).some((f) => f.on >= c.draftSent!.on && f.on <= windowEnds);
        tally.add(
          'families_commented_on_draft',
          monthOf(windowEnds),
          cats.filter(([d]) => d !== 'age_group'),
          commented ? 1 : 0,
          1,
        );
      }
    }
    // Month-end stocks: every month from the request's month to the month before it ended.
    for (let i = months.findIndex((m) => m >= monthOf(c.receivedDate)); i >= 0 && i < months.length; i++) {
      const month = months[i]!;
      const end = lastDayOf(month);
      if (!isOpenOn(c, end)) {
        if (c.receivedDate <= end) break;
        continue;
      }
      tally.add('open_requests', month, [...cats, ['waiting_band', waitingBandOf(c.receivedDate, end)]], 1, 0);
      if (waitedOver20Weeks(c.receivedDate, end)) tally.add('waiting_over_20_weeks', month, cats, 1, 0);
      if (c.caseworkerId) {
        const teamCats: [Dimension, string][] = [
          ['all', 'all'],
          ['team', c.team ?? 'unknown'],
        ];
        tally.add('caseload_per_caseworker', month, teamCats, 1, 0);
        for (const [dimension, category] of teamCats) {
          const key = `${month}\u0000${dimension}\u0000${category}`;
          let set = caseworkersByCell.get(key);
          if (!set) caseworkersByCell.set(key, (set = new Set()));
          set.add(c.caseworkerId);
        }
      }
    }
  }

  const values: MeasureValue[] = [];
  for (const e of tally.entries()) {
    const base = { month: e.month, dimension: e.dimension, category: e.category };
    if (e.measure === 'median_weeks_to_plan') {
      const sorted = e.weeks.sort((a, b) => a - b);
      values.push({
        measure: 'median_weeks_to_plan',
        ...base,
        numerator: null,
        denominator: e.den,
        value: median(sorted),
      });
      values.push({ measure: 'p90_weeks_to_plan', ...base, numerator: null, denominator: e.den, value: p90(sorted) });
      continue;
    }
    const def = MEASURE_BY_ID.get(e.measure)!;
    if (def.kind === 'rate') {
      values.push({ measure: e.measure, ...base, numerator: e.num, denominator: e.den, value: (100 * e.num) / e.den });
    } else if (def.kind === 'ratio') {
      const workers = caseworkersByCell.get(`${e.month}\u0000${e.dimension}\u0000${e.category}`)!.size;
      values.push({ measure: e.measure, ...base, numerator: e.num, denominator: workers, value: e.num / workers });
    } else {
      values.push({ measure: e.measure, ...base, numerator: e.num, denominator: null, value: e.num });
    }
  }
  // The whole LA has a row for every month: counts of nothing are 0; a rate or a time with nothing to judge is a gap.
  const present = new Set(values.filter((v) => v.dimension === 'all').map((v) => `${v.measure}\u0000${v.month}`));
  for (const def of MEASURES) {
    for (const month of months) {
      if (present.has(`${def.id}\u0000${month}`)) continue;
      const zero = def.kind === 'count';
      values.push({
        measure: def.id,
        month,
        dimension: 'all',
        category: 'all',
        numerator: zero ? 0 : null,
        denominator: def.kind === 'rate' ? 0 : null,
        value: zero ? 0 : null,
      });
    }
  }
  return values.sort(
    (a, b) =>
      a.measure.localeCompare(b.measure) ||
      a.dimension.localeCompare(b.dimension) ||
      a.category.localeCompare(b.category) ||
      a.month.localeCompare(b.month),
  );
}
