/**
 * The monthly measures against cases worked out by hand. Day counts: 20 weeks is 140 days (statutory-timescales.md
 * P12), 6 weeks 42 days (reg 5(1), reg 8(1)).
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { englandAndWales } from '../dates/workingDays.js';
import {
  ageGroupOf,
  monthlyMeasures,
  monthsBetween,
  type MeasureCase,
  type MeasureReview,
  type MeasureValue,
} from './monthly.js';

const d = (s: string) => s as LocalDate;

function kase(over: Partial<MeasureCase>): MeasureCase {
  return {
    receivedDate: d('2025-01-06'),
    assessmentDecision: null,
    assessmentDecisionDate: null,
    issueDecision: null,
    issueDecisionDate: null,
    finalIssuedDate: null,
    withdrawnDate: null,
    exception: false,
    advice: [],
    primaryNeed: 'ASD',
    team: 'North area',
    dateOfBirth: d('2015-03-01'),
    caseworkerId: 'cw1',
    ...over,
  };
}

// A: 140 days to plan (on time), decided on day 42, EP advice in 42 days.
const A = kase({
  assessmentDecision: 'assess',
  assessmentDecisionDate: d('2025-02-17'),
  issueDecision: 'issue',
  issueDecisionDate: d('2025-04-14'),
  finalIssuedDate: d('2025-05-26'),
  advice: [
    {
      adviceType: 'educational_psychology',
      provider: 'EPS',
      requestedDate: d('2025-02-17'),
      receivedDate: d('2025-03-31'),
    },
  ],
});
// B: 141 days (late), with an exception; decided on day 43; health advice in 43 days.
const B = kase({
  exception: true,
  primaryNeed: 'SEMH',
  assessmentDecision: 'assess',
  assessmentDecisionDate: d('2025-02-18'),
  finalIssuedDate: d('2025-05-27'),
  advice: [{ adviceType: 'health', provider: 'NHS', requestedDate: d('2025-02-16'), receivedDate: d('2025-03-31') }],
});
// C: received later, 98 days to plan, another caseworker and team, aged 16 at the request.
const C = kase({
  receivedDate: d('2025-02-03'),
  finalIssuedDate: d('2025-05-12'),
  caseworkerId: 'cw2',
  team: 'South area',
  dateOfBirth: d('2009-01-01'),
});
// D: received in December 2024 and still open.
const D = kase({ receivedDate: d('2024-12-02'), caseworkerId: 'cw2', team: 'South area' });

const values = monthlyMeasures([A, B, C, D], '2025-01', '2025-06', englandAndWales);
const pick = (measure: string, month: string, dimension = 'all', category = 'all') =>
  values.find(
    (v) => v.measure === measure && v.month === month && v.dimension === dimension && v.category === category,
  );
const figure = (v: MeasureValue | undefined) => [v?.numerator, v?.denominator, v?.value];

describe('monthly measures', () => {
  it('20 weeks: 140 days is on time, 141 late; "excluding exceptions" leaves the exception out of both parts', () => {
    expect(figure(pick('plans_within_20_weeks_incl', '2025-05'))).toEqual([2, 3, (100 * 2) / 3]);
    expect(figure(pick('plans_within_20_weeks_excl', '2025-05'))).toEqual([2, 2, 100]);
    expect(figure(pick('plans_issued', '2025-05'))).toEqual([3, null, 3]);
  });

  it('P11, P12: the share of plans issued with an exception to the 20-week limit, by team (1 of 3 in May: B)', () => {
    expect(figure(pick('plans_with_20_week_exception', '2025-05'))).toEqual([1, 3, 100 / 3]);
    expect(figure(pick('plans_with_20_week_exception', '2025-05', 'team', 'North area'))).toEqual([1, 2, 50]);
    expect(figure(pick('plans_with_20_week_exception', '2025-05', 'team', 'South area'))).toEqual([0, 1, 0]);
    // And by caseworker (issue 22: "by month, team and caseworker"): B and A are cw1's, C is cw2's.
    expect(figure(pick('plans_with_20_week_exception', '2025-05', 'caseworker', 'cw1'))).toEqual([1, 2, 50]);
    expect(figure(pick('plans_with_20_week_exception', '2025-05', 'caseworker', 'cw2'))).toEqual([0, 1, 0]);
    // Only the whole LA, teams and caseworkers: no breakdown by need or age.
    expect(pick('plans_with_20_week_exception', '2025-05', 'need', 'SEMH')).toBeUndefined();
    // A month with no plan issued is a gap, not 0%.
    expect(figure(pick('plans_with_20_week_exception', '2025-04'))).toEqual([null, 0, null]);
  });

  it('breaks the same figures down by need, team and age group at the request', () => {
    expect(figure(pick('plans_within_20_weeks_incl', '2025-05', 'need', 'ASD'))).toEqual([2, 2, 100]);
    expect(figure(pick('plans_within_20_weeks_incl', '2025-05', 'need', 'SEMH'))).toEqual([0, 1, 0]);
    expect(figure(pick('plans_issued', '2025-05', 'team', 'South area'))).toEqual([1, null, 1]);
    expect(figure(pick('plans_issued', '2025-05', 'age_group', '16_to_19'))).toEqual([1, null, 1]);
    expect(figure(pick('plans_issued', '2025-05', 'age_group', '5_to_10'))).toEqual([2, null, 2]);
  });

  it('weeks to plan: the median of 14, 20 and 20.14 weeks is 20; the 90th percentile (nearest rank) 20.14', () => {
    expect(pick('median_weeks_to_plan', '2025-05')?.value).toBe(20);
    expect(pick('median_weeks_to_plan', '2025-05')?.denominator).toBe(3);
    expect(pick('p90_weeks_to_plan', '2025-05')?.value).toBeCloseTo(141 / 7, 10);
  });

  it('decisions within 6 weeks: day 42 is on time, day 43 late', () => {
    expect(figure(pick('decided_within_6_weeks', '2025-02'))).toEqual([1, 2, 50]);
  });

  it('requests received and decisions to assess, counted in their month (the SEN2 return’s headline counts)', () => {
    // A and B arrive in January, C in February (D in December 2024, before the range); A and B are decided to assess
    // in February, C never is.
    expect(figure(pick('requests_received', '2025-01'))).toEqual([2, null, 2]);
    expect(figure(pick('requests_received', '2025-02'))).toEqual([1, null, 1]);
    expect(figure(pick('decisions_to_assess', '2025-02'))).toEqual([2, null, 2]);
    expect(figure(pick('decisions_to_assess', '2025-03'))).toEqual([0, null, 0]);
  });

  it('advice within 6 weeks, by type and by provider', () => {
    expect(figure(pick('advice_within_6_weeks', '2025-03'))).toEqual([1, 2, 50]);
    expect(figure(pick('advice_within_6_weeks', '2025-03', 'advice_type', 'educational_psychology'))).toEqual([
      1, 1, 100,
    ]);
    expect(figure(pick('advice_within_6_weeks', '2025-03', 'provider', 'NHS'))).toEqual([0, 1, 0]);
  });

  it('open requests and waits over 20 weeks are taken at the end of each month', () => {
    // End of January: A, B and D (C arrives in February). End of May: only D, which by then has waited 180 days.
    expect(pick('open_requests', '2025-01')?.value).toBe(3);
    expect(pick('open_requests', '2025-02')?.value).toBe(4);
    expect(pick('open_requests', '2025-05')?.value).toBe(1);
    expect(pick('waiting_over_20_weeks', '2025-03')?.value).toBe(0); // D: 119 days on 31 March
    expect(pick('waiting_over_20_weeks', '2025-04')?.value).toBe(1); // 149 days on 30 April
    expect(pick('open_requests', '2025-05', 'waiting_band', '20-30')?.value).toBe(1);
  });

  it('caseload per caseworker: open requests with a caseworker over the caseworkers holding them', () => {
    expect(figure(pick('caseload_per_caseworker', '2025-02'))).toEqual([4, 2, 2]);
    expect(figure(pick('caseload_per_caseworker', '2025-02', 'team', 'South area'))).toEqual([2, 1, 2]);
  });

  it('audited plans good or better: submitted first audits graded Good or Outstanding, by sample month, need and team', () => {
    const audited = monthlyMeasures(
      [
        kase({ audits: [{ month: '2025-03', grade: 'good' }] }),
        kase({ audits: [{ month: '2025-03', grade: 'requires_improvement' }], team: 'South area' }),
        kase({ audits: [{ month: '2025-03', grade: 'outstanding' }], primaryNeed: 'SEMH' }),
        kase({ audits: [{ month: '2025-04', grade: 'inadequate' }] }),
      ],
      '2025-01',
      '2025-06',
      englandAndWales,
    );
    const at = (month: string, dimension = 'all', category = 'all') =>
      figure(
        audited.find(
          (v) =>
            v.measure === 'plans_good_or_better' &&
            v.month === month &&
            v.dimension === dimension &&
            v.category === category,
        ),
      );
    expect(at('2025-03')).toEqual([2, 3, (100 * 2) / 3]);
    expect(at('2025-04')).toEqual([0, 1, 0]);
    expect(at('2025-03', 'team', 'South area')).toEqual([0, 1, 0]);
    expect(at('2025-03', 'need', 'SEMH')).toEqual([1, 1, 100]);
    // No audits that month: a gap, not 0%.
    expect(at('2025-05')).toEqual([null, 0, null]);
  });

  it('a month with nothing to judge is a gap for rates and times, and zero for counts', () => {
    expect(figure(pick('plans_within_20_weeks_incl', '2025-06'))).toEqual([null, 0, null]);
    expect(pick('median_weeks_to_plan', '2025-06')?.value).toBeNull();
    expect(pick('plans_issued', '2025-06')?.value).toBe(0);
    // No breakdown row is invented for a month without cases in it.
    expect(pick('plans_issued', '2025-06', 'need', 'ASD')).toBeUndefined();
  });

  it('a withdrawn request, or one refused assessment, is no longer open', () => {
    const withdrawn = kase({ withdrawnDate: d('2025-02-10') });
    const refused = kase({ assessmentDecision: 'not_assess', assessmentDecisionDate: d('2025-02-10') });
    const v = monthlyMeasures([withdrawn, refused], '2025-01', '2025-03', englandAndWales);
    const open = (m: string) => v.find((x) => x.measure === 'open_requests' && x.month === m && x.dimension === 'all');
    expect([open('2025-01')?.value, open('2025-02')?.value, open('2025-03')?.value]).toEqual([2, 0, 0]);
  });
});

describe('families and professionals taking part (issue 27)', () => {
  const advice = (provider: string, type: string, requested: string, received: string, online: boolean) => ({
    adviceType: type,
    provider,
    requestedDate: d(requested),
    receivedDate: d(received),
    online,
  });
  // Received in March 2025: the EP's online in 35 days, the health service's online in 53 (late: reg 8(1) gives 42),
  // the school's as a document in 28.
  const adviceCase = kase({
    advice: [
      advice('EPS', 'educational_psychology', '2025-02-03', '2025-03-10', true),
      advice('NHS', 'health', '2025-01-20', '2025-03-14', true),
      advice('Hill Primary', 'education_setting', '2025-02-03', '2025-03-03', false),
    ],
  });
  // Drafts and the 15 days for the family's comments (reg 13(1); P3: served + 14; P4: deemed service).
  // Posted first class on Friday 7 March 2025: served the 2nd working day after, Tuesday 11 March; the 15 days end
  // 25 March. Comments that day count.
  const posted = kase({
    draftSent: { on: d('2025-03-07'), method: 'first_class_post' },
    familyComments: [{ on: d('2025-03-25'), online: false }],
  });
  // Emailed 20 March: the 15 days end 3 April; comments on 4 April are late.
  const emailed = kase({
    draftSent: { on: d('2025-03-20'), method: 'email' },
    familyComments: [{ on: d('2025-04-04'), online: true }],
    team: 'South area',
  });
  // Second class on Thursday 17 April 2025: Good Friday and Easter Monday are not working days, so served the 4th
  // working day after, Friday 25 April; the 15 days end 9 May. Online comments on 8 May count.
  const easter = kase({
    draftSent: { on: d('2025-04-17'), method: 'second_class_post' },
    familyComments: [{ on: d('2025-05-08'), online: true }],
  });
  // Withdrawn on 10 May, before its 15 days (emailed 1 May, ending 15 May) ended: not judged.
  const withdrawn = kase({ draftSent: { on: d('2025-05-01'), method: 'email' }, withdrawnDate: d('2025-05-10') });
  // Sent again on 20 February (the 15 days end 6 March): comments on 10 February were on the draft before.
  const resent = kase({
    draftSent: { on: d('2025-02-20'), method: 'email' },
    familyComments: [{ on: d('2025-02-10'), online: false }],
  });
  const v = monthlyMeasures(
    [adviceCase, posted, emailed, easter, withdrawn, resent],
    '2025-01',
    '2025-06',
    englandAndWales,
  );
  const at = (measure: string, month: string, dimension = 'all', category = 'all') => {
    const found = v.find(
      (x) => x.measure === measure && x.month === month && x.dimension === dimension && x.category === category,
    );
    return found ? [found.numerator, found.denominator, found.value] : undefined;
  };

  it('advice given online: of the advice received in the month, by type and provider', () => {
    expect(at('advice_given_online', '2025-03')).toEqual([2, 3, 200 / 3]);
    expect(at('advice_given_online', '2025-03', 'provider', 'Hill Primary')).toEqual([0, 1, 0]);
    expect(at('advice_given_online', '2025-03', 'advice_type', 'health')).toEqual([1, 1, 100]);
    // All of March's advice, as the 6-week measure judges it: 2 of 3 in time.
    expect(at('advice_within_6_weeks', '2025-03')).toEqual([2, 3, 200 / 3]);
  });

  it('advice given online within 6 weeks: its timeliness by provider', () => {
    expect(at('online_advice_within_6_weeks', '2025-03')).toEqual([1, 2, 50]);
    expect(at('online_advice_within_6_weeks', '2025-03', 'provider', 'EPS')).toEqual([1, 1, 100]);
    expect(at('online_advice_within_6_weeks', '2025-03', 'provider', 'NHS')).toEqual([0, 1, 0]);
    // The school's document is not online advice: no row for it.
    expect(at('online_advice_within_6_weeks', '2025-03', 'provider', 'Hill Primary')).toBeUndefined();
  });

  it('families who commented on the draft within 15 days, by the month the 15 days ended', () => {
    // March: the posted draft (comments on its last day) and the draft sent again (comments only on the one before).
    expect(at('families_commented_on_draft', '2025-03')).toEqual([1, 2, 50]);
    expect(at('families_commented_on_draft', '2025-04')).toEqual([0, 1, 0]);
    expect(at('families_commented_on_draft', '2025-04', 'team', 'South area')).toEqual([0, 1, 0]);
    // May: the Easter draft; the withdrawn request is not judged.
    expect(at('families_commented_on_draft', '2025-05')).toEqual([1, 1, 100]);
    // A month with no draft's 15 days ending is a gap, not 0%.
    expect(at('families_commented_on_draft', '2025-02')).toEqual([null, 0, null]);
  });
});

describe('annual review measures (issue 28)', () => {
  function review(over: Partial<MeasureReview>): MeasureReview {
    return {
      cycleStart: d('2024-03-01'),
      meetingHeldDate: null,
      decisionDate: null,
      outcome: null,
      outcomeDate: null,
      planCeasedDate: null,
      primaryNeed: 'ASD',
      ...over,
    };
  }
  // R1: 12 months starting with 1 Mar 2024 end 28 Feb 2025 (CFA s.44(1); P7); decided on that last day, 28 days
  // after the meeting (reg 20(10): 4 weeks, P1); amended plan on day 84 (4 + 8 weeks, reg 20(10), reg 22(3)).
  const R1 = review({
    meetingHeldDate: d('2025-01-31'),
    decisionDate: d('2025-02-28'),
    outcome: 'amended',
    outcomeDate: d('2025-04-25'),
  });
  // R2: due 9 Feb 2025 (12 months from 10 Feb 2024); decided 10 Feb, a day late, 31 days after the meeting; the
  // amended plan on day 85, a day late.
  const R2 = review({
    cycleStart: d('2024-02-10'),
    meetingHeldDate: d('2025-01-10'),
    decisionDate: d('2025-02-10'),
    outcome: 'amended',
    outcomeDate: d('2025-04-05'),
  });
  // R3: due 14 Mar 2025, nothing recorded: late.
  const R3 = review({ cycleStart: d('2024-03-15') });
  // R4: due 19 Mar 2025, but the plan was ceased on 1 Mar before it was reviewed: not judged.
  const R4 = review({ cycleStart: d('2024-03-20'), planCeasedDate: d('2025-03-01') });
  // R5: due 28 Feb 2025, decided 20 Feb (17 days after the meeting), then a notice of not amending (reg 22(4)).
  const R5 = review({
    primaryNeed: 'SEMH',
    meetingHeldDate: d('2025-02-03'),
    decisionDate: d('2025-02-20'),
    outcome: 'not_amended',
    outcomeDate: d('2025-03-10'),
  });
  // R6: due in June 2026, after the months measured.
  const R6 = review({ cycleStart: d('2025-06-15') });
  const v = monthlyMeasures([], '2025-01', '2025-06', englandAndWales, [], [R1, R2, R3, R4, R5, R6]);
  const at = (measure: string, month: string, dimension = 'all', category = 'all') => {
    const found = v.find(
      (x) => x.measure === measure && x.month === month && x.dimension === dimension && x.category === category,
    );
    return found ? [found.numerator, found.denominator, found.value] : undefined;
  };

  it('reviews completed within 12 months, by the month of the due date (CFA s.44(1), P7)', () => {
    // February: R1 on its last day, R5 early, R2 a day late.
    expect(at('reviews_within_12_months', '2025-02')).toEqual([2, 3, 200 / 3]);
    expect(at('reviews_within_12_months', '2025-02', 'need', 'SEMH')).toEqual([1, 1, 100]);
    expect(at('reviews_within_12_months', '2025-02', 'need', 'ASD')).toEqual([1, 2, 50]);
    // March: R3 not reviewed at all is late; R4's plan ceased first and is not judged.
    expect(at('reviews_within_12_months', '2025-03')).toEqual([0, 1, 0]);
    // Nothing due in January or June: a gap, not 0%.
    expect(at('reviews_within_12_months', '2025-01')).toEqual([null, 0, null]);
    expect(at('reviews_within_12_months', '2025-06')).toEqual([null, 0, null]);
  });

  it('review decisions within 4 weeks (28 days) of the meeting, by the month of the decision (reg 20(10))', () => {
    // February: R1 (28 days) and R5 (17) in time, R2 (31) late.
    expect(at('review_decisions_within_4_weeks', '2025-02')).toEqual([2, 3, 200 / 3]);
    expect(at('review_decisions_within_4_weeks', '2025-03')).toEqual([null, 0, null]);
  });

  it('amended plans within 12 weeks (84 days) of the meeting, by the month issued (reg 20(10) + reg 22(3))', () => {
    // April: R1 on day 84 in time, R2 on day 85 late; R5's notice of not amending is not an amended plan.
    expect(at('amended_plans_within_12_weeks', '2025-04')).toEqual([1, 2, 50]);
    expect(at('amended_plans_within_12_weeks', '2025-03')).toEqual([null, 0, null]);
  });
});

describe('reassessment measures (SEND Regulations 2014 reg 25, reg 27(2))', () => {
  const base = { requested: true, exception: false, finalIssuedDate: null };
  // A: received Tue 1 Jul 2025, decided Wed 16 Jul (day 15: in time); plan Wed 22 Oct (day 98 after the decision).
  const A = {
    ...base,
    receivedDate: d('2025-07-01'),
    decisionDate: d('2025-07-16'),
    decision: 'reassess' as const,
    finalIssuedDate: d('2025-10-22'),
  };
  // B: received Tue 1 Jul 2025, refused Thu 17 Jul (day 16: late).
  const B = {
    ...base,
    receivedDate: d('2025-07-01'),
    decisionDate: d('2025-07-17'),
    decision: 'not_reassess' as const,
  };
  // C: the council's own decision Thu 10 Jul 2025 (no request); plan Fri 17 Oct (day 99: late), with an exception.
  const C = {
    requested: false,
    exception: true,
    receivedDate: d('2025-07-10'),
    decisionDate: d('2025-07-10'),
    decision: 'reassess' as const,
    finalIssuedDate: d('2025-10-17'),
  };
  const v = monthlyMeasures([], '2025-06', '2025-10', englandAndWales, [], [], [A, B, C]);
  const at = (measure: string, month: string) => {
    const found = v.find((x) => x.measure === measure && x.month === month && x.dimension === 'all');
    return found ? [found.numerator, found.denominator, found.value] : undefined;
  };

  it('decisions within 15 days of the request, by the month decided; the council’s own decision is not one', () => {
    expect(at('reassessment_decisions_within_15_days', '2025-07')).toEqual([1, 2, 50]);
    expect(at('reassessment_decisions_within_15_days', '2025-06')).toEqual([null, 0, null]);
  });

  it('plans within 14 weeks (98 days) of the decision, by the month issued; an exception does not leave one out', () => {
    expect(at('reassessed_plans_within_14_weeks', '2025-10')).toEqual([1, 2, 50]);
    expect(at('reassessed_plans_within_14_weeks', '2025-09')).toEqual([null, 0, null]);
  });
});

describe('helpers', () => {
  it('lists months across a year end', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });

  it('puts a child in DfE age groups by age on the request date', () => {
    expect(ageGroupOf(d('2020-06-01'), d('2025-05-31'))).toBe('under_5');
    expect(ageGroupOf(d('2020-06-01'), d('2025-06-01'))).toBe('5_to_10');
    expect(ageGroupOf(d('2000-01-01'), d('2025-01-01'))).toBe('20_to_25');
    expect(ageGroupOf(null, d('2025-01-01'))).toBe('unknown');
  });
});
