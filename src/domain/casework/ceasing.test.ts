import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { englandAndWales } from '../dates/workingDays.js';
import {
  applyCeasingStep,
  academicYearEnd,
  ceasingAppealDates,
  ceasingNextStep,
  checkCeasingStep,
  openCeasingSteps,
  SEN2_CEASE_REASON,
  type CeasingRecord,
  type CeasingStepInput,
} from './ceasing.js';

const d = (s: string) => s as LocalDate;
const cal = englandAndWales;
const today = d('2025-12-20');
const plan = (dateOfBirth: string) => ({
  firstIssuedDate: d('2022-03-10'),
  ceasedDate: null,
  dateOfBirth: d(dateOfBirth),
});
const consult = (
  reason: string,
  extra: Partial<Extract<CeasingStepInput, { step: 'consult' }>> = {},
): CeasingStepInput => ({
  step: 'consult',
  reason: reason as never,
  consultedDate: d('2025-05-01'),
  schoolConsultedDate: d('2025-05-02'),
  reviewedNoReturn: false,
  ...extra,
});
const consulted = (reason = 'no_longer_necessary'): CeasingRecord => applyCeasingStep(null, consult(reason), cal);
const decided = (decisionDate: string, certificateDate: string | null = null): CeasingRecord => ({
  ...consulted(),
  decision: 'cease',
  decisionDate: d(decisionDate),
  certificateDate: certificateDate ? d(certificateDate) : null,
});

describe('the reasons the law allows (CFA ss.45-46; regs 29-30)', () => {
  it('a child under 18 who has left education keeps the plan: it is reviewed and amended instead (reg 29(2))', () => {
    const errors = checkCeasingStep(plan('2010-01-01'), null, consult('left_education'), today, cal);
    expect(errors).toEqual([{ field: 'reason', text: expect.stringContaining('reg 29(2)') as string }]);
  });
  it('a young person of 18 who has left education: only after a review finds they do not wish to return (reg 30(1))', () => {
    const p = plan('2006-01-01');
    expect(checkCeasingStep(p, null, consult('left_education'), today, cal)[0]!.field).toBe('reviewedNoReturn');
    expect(checkCeasingStep(p, null, consult('left_education', { reviewedNoReturn: true }), today, cal)).toEqual([]);
  });
  it('outcomes achieved are a reason only from 19 (CFA s.45(4)): 18 on 1 May 2025 is refused, 19 is not', () => {
    expect(checkCeasingStep(plan('2006-05-02'), null, consult('outcomes_met'), today, cal)[0]!.field).toBe('reason');
    expect(checkCeasingStep(plan('2006-05-01'), null, consult('outcomes_met'), today, cal)).toEqual([]);
  });
  it('the maximum age: 25 by the end of the academic year, 31 August (CFA s.46)', () => {
    expect(academicYearEnd(d('2025-05-01'))).toBe('2025-08-31');
    expect(academicYearEnd(d('2025-09-01'))).toBe('2026-08-31');
    // Born 31 Aug 2000: 25 on 31 Aug 2025, the last day of the academic year of the consultation.
    expect(checkCeasingStep(plan('2000-08-31'), null, consult('max_age'), today, cal)).toEqual([]);
    expect(checkCeasingStep(plan('2000-09-01'), null, consult('max_age'), today, cal)[0]!.field).toBe('reason');
  });
  it('higher education and employment are for a young person, not a child of 12', () => {
    expect(checkCeasingStep(plan('2013-01-01'), null, consult('higher_education'), today, cal)).toHaveLength(1);
    expect(checkCeasingStep(plan('2006-01-01'), null, consult('paid_employment'), today, cal)).toEqual([]);
  });
  it('each reason has its SEN2 CeaseReason code (item 4.6)', () => {
    expect(SEN2_CEASE_REASON).toMatchObject({
      max_age: '1',
      no_longer_necessary: '2',
      higher_education: '3',
      paid_employment: '4',
      moved_la: '5',
      left_education: '6',
      moved_outside_england: '7',
      deceased: '8',
    });
  });
});

describe('the steps and their refusals (reg 31; s.45(2))', () => {
  it('a consultation in the future and before the plan are refused', () => {
    const errors = checkCeasingStep(
      plan('2012-01-01'),
      null,
      consult('no_longer_necessary', { consultedDate: d('2025-12-21'), schoolConsultedDate: d('2022-03-09') }),
      today,
      cal,
    );
    expect(errors).toEqual([
      { field: 'consultedDate', text: 'The date the family was consulted must be today or in the past' },
      {
        field: 'schoolConsultedDate',
        text: 'The date the school or college was consulted must be on or after the date the plan was issued (10 March 2022)',
      },
    ]);
  });
  it('a decision notice before the consultation ended is refused (reg 31(2): "following that consultation")', () => {
    const errors = checkCeasingStep(
      plan('2012-01-01'),
      consulted(),
      { step: 'decision', decision: 'cease', decisionDate: d('2025-05-01') },
      today,
      cal,
    );
    expect(errors).toEqual([
      {
        field: 'decisionDate',
        text: 'The decision notice must be on or after the consultation with the family and the school (reg 31) (2 May 2025)',
      },
    ]);
  });
  it('no decision before a consultation; no second ceasing; nothing on a ceased plan', () => {
    const decision: CeasingStepInput = { step: 'decision', decision: 'cease', decisionDate: d('2025-06-01') };
    expect(checkCeasingStep(plan('2012-01-01'), null, decision, today, cal)[0]!.text).toMatch(/Consult the family/);
    expect(checkCeasingStep(plan('2012-01-01'), consulted(), consult('deceased'), today, cal)[0]!.text).toMatch(
      /already under way/,
    );
    const ceased = { ...plan('2012-01-01'), ceasedDate: d('2025-01-10') };
    expect(checkCeasingStep(ceased, null, consult('deceased'), today, cal)).toEqual([
      { field: '', text: 'The plan was ceased on 10 January 2025: it cannot be ceased again' },
    ]);
  });
});

describe('the family’s dates and the day the plan ends (Tribunal rules; reg 33; s.45(2))', () => {
  it('decision Mon 10 Mar 2025: appeal by Sat 10 May 2025 (2 months), mediation by 10 May; the plan ends Sun 11 May', () => {
    expect(ceasingAppealDates(decided('2025-03-10'), cal)).toMatchObject({
      appeal: { date: '2025-05-10', moved: null, from: 'decision' },
      mediationBy: '2025-05-10',
      maintainedUntil: '2025-05-10',
      ceasesOn: '2025-05-11',
    });
  });
  it('a mediation certificate of 20 Apr 2025 gives 1 month from it: appeal by 20 May, the plan ends 21 May', () => {
    expect(ceasingAppealDates(decided('2025-03-10', '2025-04-20'), cal)).toMatchObject({
      appeal: { date: '2025-05-20', from: 'certificate' },
      ceasesOn: '2025-05-21',
    });
  });
  it('the August rule: decision Mon 2 Jun 2025, 2 months end Sat 2 Aug, moved to Mon 1 Sep 2025', () => {
    expect(ceasingAppealDates(decided('2025-06-02'), cal)).toMatchObject({
      appeal: { date: '2025-09-01', moved: 'august', movedFrom: '2025-08-02' },
      ceasesOn: '2025-09-02',
    });
  });
  it('the Christmas rule: decision Mon 27 Oct 2025, 2 months end Sat 27 Dec, moved to Fri 2 Jan 2026', () => {
    expect(ceasingAppealDates(decided('2025-10-27'), cal)?.appeal).toMatchObject({
      date: '2026-01-02',
      moved: 'christmas',
    });
  });
  it('the plan cannot be recorded as ended while the family can still appeal; then it ends the day after', () => {
    const r = decided('2025-10-27');
    const p = plan('2012-01-01');
    expect(openCeasingSteps(r, cal, d('2026-01-02'))).toEqual(['certificate', 'appeal']);
    expect(checkCeasingStep(p, r, { step: 'cease' }, d('2026-01-02'), cal)[0]!.text).toBe(
      'The family can appeal until 2 January 2026: the plan is maintained until then and ends on 3 January 2026 (Children and Families Act 2014 s.45(2))',
    );
    expect(checkCeasingStep(p, r, { step: 'cease' }, d('2026-01-03'), cal)).toEqual([]);
    expect(applyCeasingStep(r, { step: 'cease' }, cal).ceasedDate).toBe('2026-01-03');
    expect(ceasingNextStep(r, cal)).toMatchObject({ step: 'cease', from: '2026-01-03' });
  });
  it('an appeal keeps the plan until the Tribunal decides: dismissed, it ends that day (row 25); upheld, it is kept', () => {
    const appealed = applyCeasingStep(
      decided('2025-03-10'),
      { step: 'appeal', appealLodgedDate: d('2025-04-01') },
      cal,
    );
    expect(openCeasingSteps(appealed, cal, today)).toEqual(['tribunal']);
    const dismissed = applyCeasingStep(
      appealed,
      { step: 'tribunal', tribunalOutcome: 'dismissed', tribunalDate: d('2025-09-15') },
      cal,
    );
    expect(dismissed.ceasedDate).toBe('2025-09-15');
    const upheld = applyCeasingStep(
      appealed,
      { step: 'tribunal', tribunalOutcome: 'upheld', tribunalDate: d('2025-09-15') },
      cal,
    );
    expect(upheld.ceasedDate).toBeNull();
    expect(ceasingNextStep(upheld, cal)).toBeNull();
  });
  it('a decision to keep the plan ends the ceasing with nothing to appeal', () => {
    const kept = applyCeasingStep(
      consulted(),
      { step: 'decision', decision: 'maintain', decisionDate: d('2025-06-01') },
      cal,
    );
    expect(ceasingAppealDates(kept, cal)).toBeNull();
    expect(openCeasingSteps(kept, cal, today)).toEqual([]);
  });
});
