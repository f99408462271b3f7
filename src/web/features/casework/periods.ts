/**
 * The statutory periods the casework forms state in words ("within 6 weeks of the request"), taken from the domain's
 * constants (domain/statutory/periods.ts), so a form says what the statutory clock counts and changes with it.
 */
import {
  ADVICE_WEEKS,
  DECIDE_WHETHER_TO_ASSESS_WEEKS,
  DECISION_NOT_TO_ISSUE_WEEKS,
  DRAFT_COMMENT_DAYS,
  FINAL_PLAN_DAYS,
  FINAL_PLAN_WEEKS,
  FIRST_CLASS_POST_WORKING_DAYS,
  SECOND_CLASS_POST_WORKING_DAYS,
  SETTING_CONSULTATION_DAYS,
} from '../../../domain/statutory/periods.js';

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ... */
export function ordinal(n: number): string {
  const teens = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teens ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** What the casework views are given as `periods`. */
export function casePeriods() {
  return {
    /** reg 4(1), 5(1) */
    decideWhetherToAssessWeeks: DECIDE_WHETHER_TO_ASSESS_WEEKS,
    /** reg 8(1) */
    adviceWeeks: ADVICE_WEEKS,
    /** reg 10(1) */
    decisionNotToIssueWeeks: DECISION_NOT_TO_ISSUE_WEEKS,
    /** reg 13(2) */
    finalPlanWeeks: FINAL_PLAN_WEEKS,
    /** The same in days, as DfE counts it (statutory-timescales.md P12) */
    finalPlanDays: FINAL_PLAN_DAYS,
    /** reg 13(1)(a) */
    draftCommentDays: DRAFT_COMMENT_DAYS,
    /** Code of Practice 9.83 */
    settingConsultationDays: SETTING_CONSULTATION_DAYS,
    /** Deemed service of a posted draft (Interpretation Act 1978 s.7): the working day after posting, in words. */
    firstClassPostWorkingDay: ordinal(FIRST_CLASS_POST_WORKING_DAYS),
    secondClassPostWorkingDay: ordinal(SECOND_CLASS_POST_WORKING_DAYS),
  };
}
