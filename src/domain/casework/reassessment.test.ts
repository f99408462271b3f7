/**
 * Reassessment (CFA s.44(2), (3); SEND Regulations 2014 regs 24-27): dates worked by hand from the regulations and
 * shared/reference/statutory-timescales.md (P2's example; row 14; example E for the appeal and mediation dates).
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { englandAndWales } from '../dates/workingDays.js';
import {
  applyReassessmentStep,
  checkReassessmentStep,
  lastAssessmentDate,
  openReassessmentSteps,
  reassessmentDuties,
  reassessmentNextStep,
  refusalAppealDates,
  withinSixMonths,
  type ReassessedPlan,
  type ReassessmentRecord,
  type ReassessmentStepInput,
} from './reassessment.js';

const d = (s: string) => s as LocalDate;
/** A plan issued Mon 10 Mar 2025, never reassessed. */
const plan: ReassessedPlan = { firstIssuedDate: d('2025-03-10'), ceasedDate: null, lastReassessedDate: null };
const today = d('2025-12-20');

function run(steps: ReassessmentStepInput[], on: ReassessedPlan = plan): ReassessmentRecord {
  let r: ReassessmentRecord | null = null;
  for (const s of steps) {
    expect(checkReassessmentStep(on, r, s, today)).toEqual([]);
    r = applyReassessmentStep(r, s, on);
  }
  return r!;
}
const request = (receivedDate: string, requestedBy: 'parent' | 'council' = 'parent'): ReassessmentStepInput => ({
  step: 'request',
  requestedBy,
  receivedDate: d(receivedDate),
});
const reassess = (decisionDate: string): ReassessmentStepInput => ({
  step: 'decision',
  decision: 'reassess',
  decisionDate: d(decisionDate),
  refusalGround: null,
  refusalReason: '',
});
const refuse = (
  decisionDate: string,
  ground: 'within_six_months' | 'not_necessary',
  reason = 'Reason',
): ReassessmentStepInput => ({
  step: 'decision',
  decision: 'not_reassess',
  decisionDate: d(decisionDate),
  refusalGround: ground,
  refusalReason: reason,
});
const texts = (on: ReassessedPlan, r: ReassessmentRecord | null, s: ReassessmentStepInput) =>
  checkReassessmentStep(on, r, s, today).map((e) => e.text);

describe('the clock of a reassessment', () => {
  it('P2: a request received Tue 1 Jul 2025 is decided by Wed 16 Jul (reg 25, 15 calendar days)', () => {
    const duties = reassessmentDuties(run([request('2025-07-01')]), d('2025-07-10'));
    expect(duties.map((x) => [x.id, x.due, x.status])).toEqual([['decide_reassessment', '2025-07-16', 'pending']]);
    expect(reassessmentDuties(run([request('2025-07-01')]), d('2025-07-17'))[0]!.status).toBe('overdue');
  });

  it('reg 27(2): notified Mon 14 Jul 2025, the final plan is due 14 weeks later, Mon 20 Oct 2025', () => {
    const r = run([request('2025-07-01'), reassess('2025-07-14')]);
    const duties = reassessmentDuties(r, d('2025-08-01'));
    expect(duties.map((x) => [x.id, x.due, x.completed, x.status])).toEqual([
      ['decide_reassessment', '2025-07-16', '2025-07-14', 'met'],
      ['issue_reassessed_plan', '2025-10-20', null, 'pending'],
    ]);
    expect(duties[1]!.basis).toBe('SEND Regulations 2014 reg 27(2)');
  });

  it('s.44(3): the council’s own decision on Wed 1 Oct 2025 starts the 14 weeks (Wed 7 Jan 2026), with no 15 days', () => {
    const r = run([request('2025-10-01', 'council')]);
    expect(r).toMatchObject({ decision: 'reassess', decisionDate: '2025-10-01' });
    expect(reassessmentDuties(r, d('2025-10-02')).map((x) => [x.id, x.due])).toEqual([
      ['issue_reassessed_plan', '2026-01-07'],
    ]);
  });

  it('P11: a reg 27(3) exception is listed against the 14 weeks and does not move them', () => {
    const r = run([
      request('2025-07-01'),
      reassess('2025-07-14'),
      { step: 'exception', reason: 'reg27_3_c', from: d('2025-08-04'), to: null },
    ]);
    const plan14 = reassessmentDuties(r, d('2025-10-21')).find((x) => x.id === 'issue_reassessed_plan')!;
    expect(plan14).toMatchObject({ due: '2025-10-20', status: 'overdue', exceptions: ['reg27_3_c'] });
    const own = run([
      request('2025-10-01', 'council'),
      { step: 'exception', reason: 'reg27_3_d', from: d('2025-10-06'), to: d('2025-11-20') },
    ]);
    expect(reassessmentDuties(own, today)[0]).toMatchObject({ due: '2026-01-07', exceptions: ['reg27_3_d'] });
  });

  it('the final plan completes the 14 weeks: issued Fri 17 Oct 2025 is met', () => {
    const r = run([
      request('2025-07-01'),
      reassess('2025-07-14'),
      { step: 'draft', draftServedDate: d('2025-09-15') },
      { step: 'final', finalIssuedDate: d('2025-10-17'), familyResponded: false },
    ]);
    expect(reassessmentDuties(r, today).map((x) => x.status)).toEqual(['met', 'met']);
    expect(openReassessmentSteps(r)).toEqual(['request']);
    expect(reassessmentNextStep(r, [])).toBeNull();
  });
});

describe('reg 24(2): refusing a request', () => {
  it('6 months are calendar months from the last assessment: issued 10 Mar 2025, a request on 9 Sep is within them, 10 Sep is not', () => {
    expect(withinSixMonths({ receivedDate: d('2025-09-09'), lastAssessmentDate: d('2025-03-10') })).toBe(true);
    expect(withinSixMonths({ receivedDate: d('2025-09-10'), lastAssessmentDate: d('2025-03-10') })).toBe(false);
  });

  it('within 6 months the council may refuse on that ground, giving its reason; it need not refuse', () => {
    const r = run([request('2025-09-09')]);
    expect(texts(plan, r, refuse('2025-09-15', 'within_six_months', ' '))).toEqual([
      'Give the council’s reason: within 6 months it may refuse, but it need not (reg 24(2)(a))',
    ]);
    expect(texts(plan, r, refuse('2025-09-15', 'within_six_months'))).toEqual([]);
    expect(texts(plan, r, reassess('2025-09-15'))).toEqual([]);
  });

  it('once 6 months have passed the 6-month ground is refused: the council decides whether a reassessment is necessary', () => {
    const r = run([request('2025-09-10')]);
    expect(texts(plan, r, refuse('2025-09-15', 'within_six_months'))).toEqual([
      '6 months had passed since the last assessment (10 March 2025) by 10 September 2025: decide whether a reassessment is necessary (reg 24(2)(b))',
    ]);
    expect(texts(plan, r, refuse('2025-09-15', 'not_necessary', ''))).toEqual([
      'Give the council’s reason for refusing',
    ]);
    expect(texts(plan, r, refuse('2025-09-15', 'not_necessary'))).toEqual([]);
  });

  it('the last assessment is the last reassessed plan when there was one', () => {
    const reassessed = { ...plan, lastReassessedDate: d('2025-06-02') };
    expect(lastAssessmentDate(reassessed)).toBe('2025-06-02');
    const r = run([request('2025-11-28')], reassessed);
    expect(withinSixMonths(r)).toBe(true);
  });

  it('example E: refused on Wed 1 Oct 2025, the family may contact a mediation adviser and appeal by Mon 1 Dec 2025', () => {
    const r = run([request('2025-09-20'), refuse('2025-10-01', 'not_necessary')]);
    const dates = refusalAppealDates(r, englandAndWales)!;
    expect([dates.mediationBy, dates.appeal.date, dates.appeal.moved]).toEqual(['2025-12-01', '2025-12-01', null]);
    expect(openReassessmentSteps(r)).toEqual(['request']);
  });

  it('the Tribunal’s August rule: refused Tue 10 Jun 2025, 2 months end Sun 10 Aug, so the appeal is by Mon 1 Sep', () => {
    const r = run([request('2025-06-02'), refuse('2025-06-10', 'not_necessary')]);
    const dates = refusalAppealDates(r, englandAndWales)!;
    expect(dates.appeal).toMatchObject({ date: '2025-09-01', movedFrom: '2025-08-10', moved: 'august' });
    expect(dates.mediationBy).toBe('2025-08-10');
  });

  it('a decision to reassess has no appeal dates', () => {
    expect(refusalAppealDates(run([request('2025-07-01'), reassess('2025-07-14')]), englandAndWales)).toBeNull();
  });
});

describe('what is refused', () => {
  it('a reassessment of a ceased plan', () => {
    const ceased = { ...plan, ceasedDate: d('2025-08-01') };
    expect(texts(ceased, null, request('2025-09-01'))).toEqual([
      'The plan was ceased on 1 August 2025: a plan that has ended cannot be reassessed',
    ]);
  });

  it('a second reassessment while one is open; a new one once it has ended', () => {
    const open = run([request('2025-07-01')]);
    expect(texts(plan, open, request('2025-07-05'))).toEqual([
      'A reassessment of this plan is already under way: continue it from its page',
    ]);
    const refused = run([request('2025-07-01'), refuse('2025-07-10', 'within_six_months')]);
    expect(texts(plan, refused, request('2025-07-20'))).toEqual([]);
  });

  it('a decision before the request, dates in the future, a request before the plan', () => {
    const r = run([request('2025-07-01')]);
    expect(texts(plan, r, reassess('2025-06-30'))).toEqual([
      'The decision must be on or after the date the request was received (1 July 2025)',
    ]);
    expect(texts(plan, r, reassess('2025-12-21'))).toEqual([
      'The date the family was told the decision must be today or in the past',
    ]);
    expect(texts(plan, null, request('2025-12-21'))).toEqual([
      'The date the request was received must be today or in the past',
    ]);
    expect(texts(plan, null, request('2025-03-09'))).toEqual([
      'The date the request was received must be on or after the date the plan was issued (10 March 2025)',
    ]);
  });

  it('steps out of order: advice before the decision, the final plan before the draft', () => {
    const r = run([request('2025-07-01')]);
    expect(
      texts(plan, r, {
        step: 'advice',
        adviceRequestedDate: d('2025-07-02'),
        adviceRequested: ['education'],
        adviceReceived: [],
      }),
    ).toEqual(['Record the decision to reassess first']);
    const decided = run([request('2025-07-01'), reassess('2025-07-14')]);
    expect(texts(plan, decided, { step: 'final', finalIssuedDate: d('2025-10-01'), familyResponded: true })).toEqual([
      'Record the draft plan before the final plan',
    ]);
  });

  it('advice: someone must be asked, and only advice asked for can be in', () => {
    const r = run([request('2025-07-01'), reassess('2025-07-14')]);
    expect(
      texts(plan, r, {
        step: 'advice',
        adviceRequestedDate: d('2025-07-15'),
        adviceRequested: [],
        adviceReceived: ['health'],
      }),
    ).toEqual(['Select whose advice was asked for', 'Advice can be in only from someone who was asked for it']);
  });

  it('reg 27(1), 13(1): a draft sent Mon 1 Sep 2025 leaves the family until Mon 15 Sep; the final plan from Tue 16 Sep', () => {
    const r = run([request('2025-07-01'), reassess('2025-07-14'), { step: 'draft', draftServedDate: d('2025-09-01') }]);
    expect(texts(plan, r, { step: 'final', finalIssuedDate: d('2025-09-15'), familyResponded: false })).toEqual([
      'The family has until 15 September 2025 to comment on the draft (reg 27(1), reg 13(1)). Issue the final plan after that, or record that they have responded',
    ]);
    expect(texts(plan, r, { step: 'final', finalIssuedDate: d('2025-09-15'), familyResponded: true })).toEqual([]);
    expect(texts(plan, r, { step: 'final', finalIssuedDate: d('2025-09-16'), familyResponded: false })).toEqual([]);
  });
});

describe('what to do next', () => {
  it('follows the steps, each with its statutory date', () => {
    let r = run([request('2025-07-01')]);
    expect(reassessmentNextStep(r, reassessmentDuties(r, today))).toMatchObject({
      step: 'decision',
      due: '2025-07-16',
      overdue: true,
    });
    r = run([request('2025-07-01'), reassess('2025-07-14')]);
    expect(reassessmentNextStep(r, reassessmentDuties(r, d('2025-07-20')))).toMatchObject({
      step: 'advice',
      due: '2025-10-20',
      overdue: false,
    });
  });
});
