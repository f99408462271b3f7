/**
 * Each statutory period against the law, as a literal: a constant changed by mistake fails here, whatever else uses
 * it (shared/reference/statutory-timescales.md part 0). SEND Regulations 2014 = "reg"; CFA = Children and Families
 * Act 2014.
 */
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../dates/localDate.js';
import { commentWindowEnds } from '../dates/service.js';
import * as periods from './periods.js';
import {
  ADVICE_DAYS,
  ADVICE_WEEKS,
  AMENDED_PLAN_DAYS,
  AMENDED_PLAN_WEEKS,
  AMENDMENT_COMMENT_DAYS,
  ANNUAL_REVIEW_MONTHS,
  APPEAL_AFTER_CERTIFICATE_MONTHS,
  APPEAL_AFTER_DECISION_MONTHS,
  DAYS_IN_WEEK,
  DECIDE_REASSESSMENT_DAYS,
  DECIDE_WHETHER_TO_ASSESS_DAYS,
  DECIDE_WHETHER_TO_ASSESS_WEEKS,
  DECISION_NOT_TO_ISSUE_DAYS,
  DECISION_NOT_TO_ISSUE_WEEKS,
  DRAFT_COMMENT_DAYS,
  FINAL_PLAN_DAYS,
  FINAL_PLAN_WEEKS,
  FIRST_CLASS_POST_WORKING_DAYS,
  INFORM_PARENT_AFTER_TRANSFER_DAYS,
  INFORM_PARENT_AFTER_TRANSFER_WEEKS,
  MEDIATION_CERTIFICATE_WORKING_DAYS,
  MEDIATION_CONTACT_MONTHS,
  PHASE_TRANSFER_BEFORE,
  REASSESSED_PLAN_DAYS,
  REASSESSED_PLAN_WEEKS,
  REVIEW_AFTER_TRANSFER_MONTHS,
  REVIEW_DECISION_DAYS,
  REVIEW_DECISION_WEEKS,
  REVIEW_INVITATIONS_DAYS_BEFORE,
  REVIEW_INVITATIONS_WEEKS_BEFORE,
  REVIEW_REPORT_DAYS,
  REVIEW_REPORT_WEEKS,
  SECOND_CLASS_POST_WORKING_DAYS,
  SETTING_CONSULTATION_DAYS,
  TRIBUNAL_ORDER_DAYS,
  UNDER_FIVE_REVIEW_AGE,
  UNDER_FIVE_REVIEW_MONTHS,
} from './periods.js';

describe('the statutory periods, as the law sets them', () => {
  it('P1: "within N weeks" is 7N days', () => {
    expect(DAYS_IN_WEEK).toBe(7);
  });

  it('the assessment: reg 5(1) 6 weeks, reg 8(1) 6 weeks, reg 10(1) 16 weeks, reg 13(2) 20 weeks', () => {
    expect([DECIDE_WHETHER_TO_ASSESS_WEEKS, DECIDE_WHETHER_TO_ASSESS_DAYS]).toEqual([6, 42]);
    expect([ADVICE_WEEKS, ADVICE_DAYS]).toEqual([6, 42]);
    expect([DECISION_NOT_TO_ISSUE_WEEKS, DECISION_NOT_TO_ISSUE_DAYS]).toEqual([16, 112]);
    // P12: DfE counts a plan within 20 weeks when issue - request <= 140 days.
    expect([FINAL_PLAN_WEEKS, FINAL_PLAN_DAYS]).toEqual([20, 140]);
  });

  it('part 0 example A: request Mon 13 Jan 2025 gives 24 Feb (6 weeks), 5 May (16 weeks), 2 Jun 2025 (20 weeks)', () => {
    const request = localDate('2025-01-13');
    expect(addDays(request, DECIDE_WHETHER_TO_ASSESS_DAYS)).toBe('2025-02-24');
    expect(addDays(request, DECISION_NOT_TO_ISSUE_DAYS)).toBe('2025-05-05');
    expect(addDays(request, FINAL_PLAN_DAYS)).toBe('2025-06-02');
  });

  it('reg 13(1)(a), P3: at least 15 days beginning with the day served (served Mon 31 Mar 2025: to Mon 14 Apr)', () => {
    expect(DRAFT_COMMENT_DAYS).toBe(15);
    expect(commentWindowEnds(localDate('2025-03-31'))).toBe('2025-04-14');
  });

  it('P4: first class post is served on the 2nd working day after posting, second class on the 4th', () => {
    expect([FIRST_CLASS_POST_WORKING_DAYS, SECOND_CLASS_POST_WORKING_DAYS]).toEqual([2, 4]);
  });

  it('CoP 9.83: a consulted setting replies within 15 days', () => {
    expect(SETTING_CONSULTATION_DAYS).toBe(15);
  });

  it('reviews: CFA s.44(1) 12 months; reg 20/21 invitations 2 weeks before, report 2 weeks, decision 4 weeks', () => {
    expect(ANNUAL_REVIEW_MONTHS).toBe(12);
    expect([REVIEW_INVITATIONS_WEEKS_BEFORE, REVIEW_INVITATIONS_DAYS_BEFORE]).toEqual([2, 14]);
    expect([REVIEW_REPORT_WEEKS, REVIEW_REPORT_DAYS]).toEqual([2, 14]);
    expect([REVIEW_DECISION_WEEKS, REVIEW_DECISION_DAYS]).toEqual([4, 28]);
  });

  it('CoP 9.178: a child under 5 reviewed every 3 to 6 months (listed at 6); reg 22(2)(c): 15 days to comment on amendments', () => {
    expect([UNDER_FIVE_REVIEW_MONTHS, UNDER_FIVE_REVIEW_AGE]).toEqual([6, 5]);
    expect(AMENDMENT_COMMENT_DAYS).toBe(15);
  });

  it('reg 22(3) amended plan 8 weeks; reg 25 reassessment decision 15 days; reg 27(2) reassessed plan 14 weeks', () => {
    expect([AMENDED_PLAN_WEEKS, AMENDED_PLAN_DAYS]).toEqual([8, 56]);
    expect(DECIDE_REASSESSMENT_DAYS).toBe(15);
    expect([REASSESSED_PLAN_WEEKS, REASSESSED_PLAN_DAYS]).toEqual([14, 98]);
  });

  it('reg 18, P10: phase transfer before 15 February (school) or 31 March (post-16)', () => {
    expect(PHASE_TRANSFER_BEFORE).toEqual({ school: [2, 15], post16: [3, 31] });
  });

  it('reg 15(4) inform the parent within 6 weeks of a transfer in; reg 15(5) review within 3 months of it', () => {
    expect([INFORM_PARENT_AFTER_TRANSFER_WEEKS, INFORM_PARENT_AFTER_TRANSFER_DAYS]).toEqual([6, 42]);
    expect(REVIEW_AFTER_TRANSFER_MONTHS).toBe(3);
  });

  it('regs 34-39, P6: the mediation certificate within 3 working days', () => {
    expect(MEDIATION_CERTIFICATE_WORKING_DAYS).toBe(3);
    // Row 20: contact the mediation adviser within 2 months after the decision notice (reg 33).
    expect(MEDIATION_CONTACT_MONTHS).toBe(2);
    // Row 24: appeal by the later of 2 months from the decision letter and 1 month from the mediation certificate.
    expect(APPEAL_AFTER_DECISION_MONTHS).toBe(2);
    expect(APPEAL_AFTER_CERTIFICATE_MONTHS).toBe(1);
  });

  it('reg 44(2): the Tribunal order steps, 2, 5, 5 and 11, 2, 10 and 14 weeks', () => {
    expect(TRIBUNAL_ORDER_DAYS).toEqual({
      section_i: 14,
      amend_b_f: 35,
      make_and_maintain_draft: 35,
      make_and_maintain_final: 77,
      assess_notify: 14,
      assess_no_plan: 70,
      assess_final: 98,
    });
  });

  it('checks every constant the module exports (a new period needs its literal check here)', () => {
    const checked = [
      'DAYS_IN_WEEK',
      'ADVICE_DAYS',
      'ADVICE_WEEKS',
      'AMENDED_PLAN_DAYS',
      'AMENDED_PLAN_WEEKS',
      'AMENDMENT_COMMENT_DAYS',
      'ANNUAL_REVIEW_MONTHS',
      'APPEAL_AFTER_CERTIFICATE_MONTHS',
      'APPEAL_AFTER_DECISION_MONTHS',
      'DECIDE_REASSESSMENT_DAYS',
      'DECIDE_WHETHER_TO_ASSESS_DAYS',
      'DECIDE_WHETHER_TO_ASSESS_WEEKS',
      'DECISION_NOT_TO_ISSUE_DAYS',
      'DECISION_NOT_TO_ISSUE_WEEKS',
      'DRAFT_COMMENT_DAYS',
      'FINAL_PLAN_DAYS',
      'FINAL_PLAN_WEEKS',
      'FIRST_CLASS_POST_WORKING_DAYS',
      'HEALTH_COMMISSIONER_WORKING_DAYS',
      'INFORM_PARENT_AFTER_TRANSFER_DAYS',
      'INFORM_PARENT_AFTER_TRANSFER_WEEKS',
      'MEDIATION_CERTIFICATE_WORKING_DAYS',
      'MEDIATION_CONTACT_MONTHS',
      'PHASE_TRANSFER_BEFORE',
      'PLAN_TRANSFER_WORKING_DAYS',
      'REASSESSED_PLAN_DAYS',
      'REASSESSED_PLAN_WEEKS',
      'REVIEW_AFTER_TRANSFER_MONTHS',
      'REVIEW_DECISION_DAYS',
      'REVIEW_DECISION_WEEKS',
      'REVIEW_INVITATIONS_DAYS_BEFORE',
      'REVIEW_INVITATIONS_WEEKS_BEFORE',
      'REVIEW_REPORT_DAYS',
      'REVIEW_REPORT_WEEKS',
      'SECOND_CLASS_POST_WORKING_DAYS',
      'SETTING_CONSULTATION_DAYS',
      'TRIBUNAL_ORDER_DAYS',
      'UNDER_FIVE_REVIEW_AGE',
      'UNDER_FIVE_REVIEW_MONTHS',
    ];
    expect(Object.keys(periods).sort()).toEqual(checked.sort());
  });
});
