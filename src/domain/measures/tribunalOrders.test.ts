import { describe, expect, it } from 'vitest';
import { newDisagreement, type DisagreementRecord } from '../casework/disagreement.js';
import type { LocalDate } from '../dates/localDate.js';
import { englandAndWales } from '../dates/workingDays.js';
import { MEASURE_BY_ID, monthlyMeasures } from './monthly.js';
import { orderedSteps } from './tribunalOrders.js';

const d = (s: string) => s as LocalDate;

function ordered(over: Partial<DisagreementRecord>): DisagreementRecord {
  return {
    ...newDisagreement('plan_content', d('2024-10-01')),
    appealDate: d('2024-11-20'),
    outcome: 'order',
    outcomeDate: d('2025-02-03'),
    ...over,
  };
}

// The periods run from the order's date (SEND Regulations 2014 reg 44(2); reg 45 the same for an appeal not opposed;
// statutory-timescales.md rows 25 and 26): section I 2 weeks, B and F 5 weeks, a plan's draft 5 and final 11 weeks,
// an assessment's notice 2 weeks, then "no plan" 10 or the final plan 14 weeks.
describe('the steps a Tribunal order sets, each with its date', () => {
  it('gives each step its date from the order, and the day it was done', () => {
    // Ordered 3 February 2025: section I by 17 February (14 days), done on the day.
    expect(orderedSteps(ordered({ order: 'section_i', complied: { section_i: d('2025-02-17') } }), 'ASD')).toEqual([
      { step: 'section_i', due: '2025-02-17', done: '2025-02-17', primaryNeed: 'ASD' },
    ]);
    // Make and maintain a plan: two steps, the draft by 10 March (35 days), the final plan by 21 April (77 days).
    const plan = ordered({
      about: 'not_issue',
      order: 'make_and_maintain',
      outcome: 'unopposed',
      complied: { make_and_maintain_draft: d('2025-03-12') },
    });
    expect(orderedSteps(plan, null)).toEqual([
      { step: 'make_and_maintain_draft', due: '2025-03-10', done: '2025-03-12', primaryNeed: null },
      { step: 'make_and_maintain_final', due: '2025-04-21', done: null, primaryNeed: null },
    ]);
  });

  it('counts one outcome of an order to assess: the one that happened, or the final plan’s 14 weeks until one does', () => {
    const assess = (complied: Record<string, LocalDate>) =>
      orderedSteps(ordered({ about: 'not_assess', order: 'assess', complied }), null).map((s) => [s.step, s.due]);
    expect(assess({ assess_notify: d('2025-02-10') })).toEqual([
      ['assess_notify', '2025-02-17'],
      ['assess_final', '2025-05-12'],
    ]);
    expect(assess({ assess_notify: d('2025-02-10'), assess_no_plan: d('2025-04-01') })).toEqual([
      ['assess_notify', '2025-02-17'],
      ['assess_no_plan', '2025-04-14'],
    ]);
  });

  it('sets no step for an order to keep a plan, a dismissed appeal or one not yet decided', () => {
    expect(orderedSteps(ordered({ about: 'cease', order: 'maintain' }), null)).toEqual([]);
    expect(orderedSteps(ordered({ outcome: 'dismissed', order: null }), null)).toEqual([]);
    expect(orderedSteps(ordered({ outcome: null, outcomeDate: null, order: null }), null)).toEqual([]);
  });
});

describe('tribunal orders complied with on time, by the month each step was due', () => {
  const steps = [
    // February: section I done on its last day (in time), and another done a day late.
    ...orderedSteps(ordered({ order: 'section_i', complied: { section_i: d('2025-02-17') } }), 'ASD'),
    ...orderedSteps(ordered({ order: 'section_i', complied: { section_i: d('2025-02-18') } }), 'SEMH'),
    // March: the draft two days late; April: the final plan not done at all (late, though done since or not).
    ...orderedSteps(
      ordered({ order: 'make_and_maintain', complied: { make_and_maintain_draft: d('2025-03-12') } }),
      'ASD',
    ),
  ];
  const v = monthlyMeasures([], '2025-01', '2025-05', englandAndWales, [], [], [], steps);
  const at = (month: string, dimension = 'all', category = 'all') => {
    const found = v.find(
      (x) =>
        x.measure === 'tribunal_orders_on_time' &&
        x.month === month &&
        x.dimension === dimension &&
        x.category === category,
    );
    return found ? [found.numerator, found.denominator, found.value] : undefined;
  };

  it('has the month’s steps due as its denominator, and those done by their date as its numerator', () => {
    expect(at('2025-02')).toEqual([1, 2, 50]);
    expect(at('2025-02', 'need', 'ASD')).toEqual([1, 1, 100]);
    expect(at('2025-02', 'need', 'SEMH')).toEqual([0, 1, 0]);
    expect(at('2025-03')).toEqual([0, 1, 0]);
    expect(at('2025-04')).toEqual([0, 1, 0]);
    // Nothing due in January or May: a gap, not 0%.
    expect(at('2025-01')).toEqual([null, 0, null]);
    expect(at('2025-05')).toEqual([null, 0, null]);
  });

  it('says in its definition that the month’s denominator is the steps due in it', () => {
    const def = MEASURE_BY_ID.get('tribunal_orders_on_time')!;
    expect(def.denominator).toContain('whose date fell in the month');
    expect(def.headline).toBe(true);
  });
});
