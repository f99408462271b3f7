/**
 * Moves between councils (SEND Regulations 2014 reg 15) and of health commissioner (reg 16), with dates worked out by
 * hand on a calendar of England and Wales bank holidays (2025: Good Friday 18 Apr, Easter Monday 21 Apr, early May
 * 5 May, summer 25 Aug).
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { englandAndWales } from '../dates/workingDays.js';
import {
  applyMoveInStep,
  applyMoveOutStep,
  checkMoveIn,
  checkMoveOut,
  healthCommissionerAsksBy,
  laName,
  moveInNextStep,
  moveOutNextStep,
  openMoveOutSteps,
  planHolder,
  tellNewHealthCommissionerBy,
  transferInDates,
  transferPlanBy,
  type MoveOutRecord,
} from './move.js';

const d = (s: string) => s as LocalDate;
const cal = englandAndWales;
const today = d('2025-09-10');
const plan = { firstIssuedDate: d('2023-03-01'), ceasedDate: null, ceasingOpen: false };
const record = (extra: Partial<MoveOutRecord> = {}): MoveOutRecord => ({
  newLaCode: '919',
  moveDate: d('2025-08-01'),
  learnedDate: d('2025-08-18'),
  healthCommissionerChanges: true,
  transferredDate: null,
  healthToldDate: null,
  ...extra,
});

describe('reg 15(2): the old council transfers the plan', () => {
  it('on the day of the move when it knew at least 15 working days before', () => {
    // Learned Mon 3 Mar 2025; the move Mon 31 Mar: 20 working days before it.
    expect(transferPlanBy(d('2025-03-31'), d('2025-03-03'), cal)).toEqual({ date: '2025-03-31', rule: 'day_of_move' });
    // Learned Mon 3 Mar, move Mon 24 Mar: 3 Mar to Fri 21 Mar are exactly 15 working days, so the day of the move.
    expect(transferPlanBy(d('2025-03-24'), d('2025-03-03'), cal)).toEqual({ date: '2025-03-24', rule: 'day_of_move' });
  });

  it('within 15 working days beginning with the day it learned, when that was fewer than 15 before the move', () => {
    // Learned Tue 4 Mar (14 working days before Mon 24 Mar): the 15th working day beginning with 4 Mar is Mon 24 Mar.
    expect(transferPlanBy(d('2025-03-24'), d('2025-03-04'), cal)).toEqual({
      date: '2025-03-24',
      rule: 'after_learning',
    });
    // Learned Wed 5 Mar: the 15th working day is Tue 25 Mar, the day after the move.
    expect(transferPlanBy(d('2025-03-24'), d('2025-03-05'), cal).date).toBe('2025-03-25');
  });

  it('counts working days past Easter and the early May bank holiday', () => {
    // Learned Mon 14 Apr 2025, move Wed 23 Apr: 14-17 Apr (4), not Good Friday 18 or Easter Monday 21, 22-25 Apr (8),
    // 28 Apr-2 May (13), not Mon 5 May, Tue 6 (14), Wed 7 May (15). Without the bank holidays it would be Fri 2 May.
    expect(transferPlanBy(d('2025-04-23'), d('2025-04-14'), cal)).toEqual({
      date: '2025-05-07',
      rule: 'after_learning',
    });
  });

  it('when the council learns of the move only after it', () => {
    // Moved Fri 1 Aug 2025, learned Mon 18 Aug: 18-22 Aug (5), not Mon 25 Aug, 26-29 Aug (9), 1-5 Sep (14),
    // Mon 8 Sep (15).
    expect(transferPlanBy(d('2025-08-01'), d('2025-08-18'), cal)).toEqual({
      date: '2025-09-08',
      rule: 'after_learning',
    });
  });
});

describe('reg 16: a change of health commissioner', () => {
  it('the new ICB is told by the same rule as the plan; it may ask for a review or assessment in 15 working days', () => {
    expect(tellNewHealthCommissionerBy(d('2025-08-01'), d('2025-08-18'), cal).date).toBe('2025-09-08');
    expect(tellNewHealthCommissionerBy(d('2025-03-31'), d('2025-03-03'), cal).date).toBe('2025-03-31');
    // Told Mon 1 Sep 2025: 1-5 Sep (5), 8-12 (10), 15-19 (15): Fri 19 Sep.
    expect(healthCommissionerAsksBy(d('2025-09-01'), cal)).toBe('2025-09-19');
  });
});

describe('reg 15(4), 15(5): the new council after a transfer in', () => {
  it('worked example F: made 10 Mar 2025, transferred Mon 1 Sep 2025', () => {
    // statutory-timescales.md example F: inform the parent by Mon 13 Oct; review by the later of 9 Mar 2026 and
    // 30 Nov 2025 = 9 Mar 2026.
    expect(transferInDates(d('2025-09-01'), d('2025-03-10'))).toEqual({
      informParentBy: '2025-10-13',
      byPlan: '2026-03-09',
      byTransfer: '2025-11-30',
      reviewBy: '2026-03-09',
    });
  });

  it('the 3 months from the transfer when the 12 months from the last review end sooner', () => {
    // Last reviewed 1 Oct 2024: 12 months end 30 Sep 2025; transferred 1 Sep 2025: 3 months end 30 Nov 2025.
    const r = applyMoveInStep(null, {
      step: 'record',
      oldLaCode: '919',
      transferDate: d('2025-09-01'),
      planMadeDate: d('2022-06-01'),
      lastReviewDate: d('2024-10-01'),
    });
    expect(moveInNextStep(r)).toMatchObject({ step: 'inform', due: '2025-10-13' });
    const told = applyMoveInStep(r, {
      step: 'inform',
      parentInformedDate: d('2025-09-05'),
      willAssess: false,
      proposedReviewDate: d('2025-11-20'),
    });
    expect(moveInNextStep(told)).toMatchObject({ step: 'review', due: '2025-11-30' });
  });

  it('refuses its own code, an unknown one, a future transfer and dates out of order', () => {
    const base = {
      step: 'record' as const,
      oldLaCode: '919',
      transferDate: d('2025-09-01'),
      planMadeDate: d('2025-03-10'),
      lastReviewDate: null,
    };
    expect(checkMoveIn('999', null, base, today)).toEqual([]);
    expect(checkMoveIn('919', null, base, today)[0]!.field).toBe('oldLaCode');
    expect(checkMoveIn('999', null, { ...base, oldLaCode: '998' }, today)[0]!.text).toBe(
      'No council in England has the code 998: enter its 3-digit DfE LA code',
    );
    expect(checkMoveIn('999', null, { ...base, transferDate: d('2025-09-11') }, today)[0]!.field).toBe('transferDate');
    expect(checkMoveIn('999', null, { ...base, planMadeDate: d('2025-09-02') }, today)[0]!.field).toBe('planMadeDate');
    expect(checkMoveIn('999', null, { ...base, lastReviewDate: d('2025-03-01') }, today)[0]!.field).toBe(
      'lastReviewDate',
    );
    const r = applyMoveInStep(null, base);
    const inform = {
      step: 'inform' as const,
      parentInformedDate: d('2025-09-05'),
      willAssess: false,
      proposedReviewDate: d('2026-03-10'),
    };
    // reg 15(5): the review is due by 9 Mar 2026.
    expect(checkMoveIn('999', r, inform, today)).toEqual([
      { field: 'proposedReviewDate', text: 'The review must be by 9 March 2026 (SEND Regulations 2014 reg 15(5))' },
    ]);
    expect(checkMoveIn('999', r, { ...inform, proposedReviewDate: d('2026-03-09') }, today)).toEqual([]);
    expect(checkMoveIn('999', r, { ...inform, parentInformedDate: d('2025-08-31') }, today)[0]!.field).toBe(
      'parentInformedDate',
    );
  });
});

describe('a transfer out as casework', () => {
  it('knows the councils of England by their DfE code', () => {
    expect(laName('919')).toBe('Hertfordshire');
    expect(laName('999')).toBeNull();
    expect(laName('toString')).toBeNull();
  });

  it('refuses a plan that has ended, its own code, an unknown code and impossible dates', () => {
    const input = {
      step: 'record' as const,
      newLaCode: '919',
      moveDate: d('2025-08-01'),
      learnedDate: d('2025-08-18'),
      healthCommissionerChanges: false,
    };
    expect(checkMoveOut(plan, '999', null, input, today)).toEqual([]);
    expect(checkMoveOut({ ...plan, ceasedDate: d('2025-01-31') }, '999', null, input, today)).toEqual([
      { field: '', text: 'The plan ended on 31 January 2025: a plan that has ended cannot move' },
    ]);
    expect(checkMoveOut({ ...plan, ceasingOpen: true }, '999', null, input, today)[0]!.field).toBe('');
    expect(checkMoveOut(plan, '919', null, input, today)).toEqual([
      {
        field: 'newLaCode',
        text: '919 is this council’s own code: enter the code of the council the child is moving to',
      },
    ]);
    expect(checkMoveOut(plan, '999', null, { ...input, newLaCode: '000' }, today)[0]!.text).toBe(
      'No council in England has the code 000: enter its 3-digit DfE LA code',
    );
    expect(checkMoveOut(plan, '999', null, { ...input, moveDate: d('2023-02-28') }, today)[0]!.field).toBe('moveDate');
    expect(checkMoveOut(plan, '999', null, { ...input, learnedDate: d('2025-09-11') }, today)[0]!.field).toBe(
      'learnedDate',
    );
    expect(checkMoveOut(plan, '999', record(), input, today)[0]!.text).toBe('A move of this plan is already recorded');
  });

  it('transfers on or after the move, then tells the ICB; the plan is the new council’s from the transfer', () => {
    const r = record();
    expect(openMoveOutSteps(r)).toEqual(['transfer', 'health']);
    expect(moveOutNextStep(r, cal)).toEqual({
      step: 'transfer',
      text: 'Send the plan and the advice it was made with to Hertfordshire',
      due: '2025-09-08',
    });
    expect(checkMoveOut(plan, '999', r, { step: 'transfer', transferredDate: d('2025-07-31') }, today)[0]!.text).toBe(
      'The plan is transferred on the day of the move or after it (SEND Regulations 2014 reg 15(2)): the date must be on or after the move (1 August 2025)',
    );
    const sent = applyMoveOutStep(r, { step: 'transfer', transferredDate: d('2025-09-05') });
    expect(planHolder(sent, d('2025-09-04'))).toBe('this_la');
    expect(planHolder(sent, d('2025-09-05'))).toBe('new_la');
    expect(moveOutNextStep(sent, cal)).toMatchObject({ step: 'health', due: '2025-09-08' });
    expect(checkMoveOut(plan, '999', sent, { step: 'health', healthToldDate: d('2025-08-15') }, today)[0]!.field).toBe(
      'healthToldDate',
    );
    const done = applyMoveOutStep(sent, { step: 'health', healthToldDate: d('2025-09-08') });
    expect(moveOutNextStep(done, cal)).toBeNull();
    expect(openMoveOutSteps(done)).toEqual([]);
  });
});
