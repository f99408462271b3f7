/**
 * The statutory periods of an EHC needs assessment and plan, in one place: the statutory clock, the measures, the
 * advice chasers and the forecast all count with these (shared/reference/statutory-timescales.md part 0, which is
 * normative). "Where is the 20-week rule?": FINAL_PLAN_WEEKS and FINAL_PLAN_DAYS below.
 *
 * Regulations are the Special Educational Needs and Disability Regulations 2014 (SI 2014/1530); CFA is the Children
 * and Families Act 2014. A period "within N weeks of E" is E + 7N days (rule P1), "within N days of E" is E + N days
 * (P2); neither rolls forward off a weekend or bank holiday (P9). Exceptions never move them (P11).
 */

/** Rule P1: "within N weeks of E" ends 7N days after E (the day of E is not counted). */
export const DAYS_IN_WEEK = 7;
const weeks = (n: number) => n * DAYS_IN_WEEK;

// The assessment: request to final plan.

/** reg 4(1), 5(1): the decision whether to assess is notified within 6 weeks of the request. */
export const DECIDE_WHETHER_TO_ASSESS_WEEKS = 6;
export const DECIDE_WHETHER_TO_ASSESS_DAYS = weeks(DECIDE_WHETHER_TO_ASSESS_WEEKS);

/** reg 8(1): a body asked for advice gives it within 6 weeks of being asked. */
export const ADVICE_WEEKS = 6;
export const ADVICE_DAYS = weeks(ADVICE_WEEKS);

/** reg 10(1): a decision not to issue a plan is notified within 16 weeks of the request. */
export const DECISION_NOT_TO_ISSUE_WEEKS = 16;
export const DECISION_NOT_TO_ISSUE_DAYS = weeks(DECISION_NOT_TO_ISSUE_WEEKS);

/**
 * reg 13(2): the final plan is issued within 20 weeks of the request. The DfE measure (P12) counts a plan as within
 * 20 weeks when issue date - request date <= 140 days; a request is over 20 weeks from its 141st day.
 */
export const FINAL_PLAN_WEEKS = 20;
export const FINAL_PLAN_DAYS = weeks(FINAL_PLAN_WEEKS);

/**
 * reg 13(1)(a), CFA s.38(4): the family has "at least 15 days beginning with the day served" to comment on the draft
 * (P3): the window is served .. served + 14, and the plan may be finalised from served + 15.
 */
export const DRAFT_COMMENT_DAYS = 15;

/**
 * Deemed service of a draft or notice (P4; Interpretation Act 1978 s.7, 1985 Practice Direction): first class post,
 * the 2nd working day after posting; second class post, the 4th. Email or by hand: the day sent.
 */
export const FIRST_CLASS_POST_WORKING_DAYS = 2;
export const SECOND_CLASS_POST_WORKING_DAYS = 4;

/**
 * SEND Code of Practice 9.83 (CFA s.39(2)): a school or setting consulted about being named in section I should
 * reply within 15 days of being sent the draft (P2). Guidance, not a regulation: the setting's deadline, not the LA's.
 */
export const SETTING_CONSULTATION_DAYS = 15;

// Reviews, amendments and transfers.

/** CFA s.44(1): the plan is reviewed in each 12 months starting with the date it was made or last reviewed (P7). */
export const ANNUAL_REVIEW_MONTHS = 12;

/**
 * SEND Code of Practice 9.178: for a child under 5, the LA "should consider" reviewing the plan every 3 to 6 months.
 * Guidance, not law: the product lists such a plan's review 6 months (the longest the guidance allows, P8) from its
 * issue or last review, beside the 12 months of CFA s.44(1) that the law sets and the clock keeps.
 */
export const UNDER_FIVE_REVIEW_MONTHS = 6;
/** The age below which Code of Practice 9.178 applies. */
export const UNDER_FIVE_REVIEW_AGE = 5;

/** reg 22(2)(c): the family has at least 15 days to comment on the proposed amendments (as P3). */
export const AMENDMENT_COMMENT_DAYS = 15;

/** reg 20(3), 21(3): invitations to the review meeting go at least 2 weeks before it. */
export const REVIEW_INVITATIONS_WEEKS_BEFORE = 2;
export const REVIEW_INVITATIONS_DAYS_BEFORE = weeks(REVIEW_INVITATIONS_WEEKS_BEFORE);

/** reg 20(7)-(8), 21(7): the review report within 2 weeks of the meeting. */
export const REVIEW_REPORT_WEEKS = 2;
export const REVIEW_REPORT_DAYS = weeks(REVIEW_REPORT_WEEKS);

/** reg 20(10), 21(9); R (L, M and P) v Devon CC [2022] EWHC 493: the review decision within 4 weeks of the meeting. */
export const REVIEW_DECISION_WEEKS = 4;
export const REVIEW_DECISION_DAYS = weeks(REVIEW_DECISION_WEEKS);

/** reg 22(3): the final amended plan within 8 weeks of the amendment notice. */
export const AMENDED_PLAN_WEEKS = 8;
export const AMENDED_PLAN_DAYS = weeks(AMENDED_PLAN_WEEKS);

/**
 * reg 18 (P10): a phase transfer's plan is finalised before 15 February of the transfer year (school), or before
 * 31 March (secondary school to post-16). As [month, day] of the first day that is too late.
 */
export const PHASE_TRANSFER_BEFORE = { school: [2, 15], post16: [3, 31] } as const;

/** reg 25: the decision on a request for a reassessment within 15 days of the request (P2). */
export const DECIDE_REASSESSMENT_DAYS = 15;

/** reg 27(2): the plan after a reassessment within 14 weeks of deciding to reassess. */
export const REASSESSED_PLAN_WEEKS = 14;
export const REASSESSED_PLAN_DAYS = weeks(REASSESSED_PLAN_WEEKS);

/** reg 15(4): after a transfer in from another LA, the parent is informed within 6 weeks of the transfer. */
export const INFORM_PARENT_AFTER_TRANSFER_WEEKS = 6;
export const INFORM_PARENT_AFTER_TRANSFER_DAYS = weeks(INFORM_PARENT_AFTER_TRANSFER_WEEKS);

/**
 * reg 15(5): the new LA reviews the plan before the later of 12 months starting with the date the plan was made or
 * last reviewed (ANNUAL_REVIEW_MONTHS) and 3 months starting with the transfer (P8).
 */
export const REVIEW_AFTER_TRANSFER_MONTHS = 3;

/**
 * reg 15(2): the old LA transfers the plan to the new LA on the day of the move or, where it did not become aware of
 * the move at least 15 working days before it, within 15 working days beginning with the day it became aware (working
 * days as P5; the day it became aware counts when it is a working day).
 */
export const PLAN_TRANSFER_WORKING_DAYS = 15;

/**
 * reg 16 (statutory-timescales.md row 18, marked VERIFY): where the health commissioner changes, the new one is told
 * on the day of the move or within 15 working days, and may ask the new LA to review the plan or assess within 15
 * working days. The product works these dates out but states only what the reference confirms.
 */
export const HEALTH_COMMISSIONER_WORKING_DAYS = 15;

/** regs 34-39 (P6): the mediation certificate within 3 working days after mediation ends or is not wanted. */
export const MEDIATION_CERTIFICATE_WORKING_DAYS = 3;

/**
 * reg 44(2): the steps a Tribunal order sets, in days from the order. Section I only: 2 weeks; amend sections B/F:
 * 5 weeks; make and maintain a plan: draft 5 weeks, final 11 weeks; assess: notify 2 weeks, "no plan" 10 weeks,
 * final plan 14 weeks.
 */
export const TRIBUNAL_ORDER_DAYS = {
  section_i: weeks(2),
  amend_b_f: weeks(5),
  make_and_maintain_draft: weeks(5),
  make_and_maintain_final: weeks(11),
  assess_notify: weeks(2),
  assess_no_plan: weeks(10),
  assess_final: weeks(14),
} as const;

// After the final plan: mediation and appeal (statutory-timescales.md rows 20 and 24).

/** reg 33: a parent who wants to appeal contacts the mediation adviser within 2 months of the decision notice. */
export const MEDIATION_CONTACT_MONTHS = 2;

/** Tribunal Procedure Rules (SEND) r.20: an appeal within 2 months of the decision letter ... */
export const APPEAL_AFTER_DECISION_MONTHS = 2;

/** ... or, if later, 1 month from the date of the mediation certificate. */
export const APPEAL_AFTER_CERTIFICATE_MONTHS = 1;
