/**
 * Personal budgets and direct payments on a plan (CFA s.49; SI 2014/1652 reg 11, statutory-timescales.md row 27;
 * SEN2 items 4.4a-c, shared/reference/sen2/README.md): dates worked by hand.
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { directPaymentReviewDue, sen2BudgetItems, type PersonalBudget } from './personalBudgets.js';

const d = (s: string) => s as LocalDate;
const direct = (first: string | null, reviews: string[] = []): PersonalBudget => ({
  part: 'education',
  holding: 'direct_payment',
  firstPaymentDate: first ? d(first) : null,
  reviews: reviews.map(d),
});

describe('when direct payments are reviewed (SI 2014/1652 reg 11)', () => {
  it('within the first 3 months: first paid Sun 30 Nov 2025, reviewed by Sat 28 Feb 2026 (P8)', () => {
    expect(directPaymentReviewDue(direct('2025-11-30'), d('2026-09-01'))).toEqual({
      due: '2026-02-28',
      rule: 'first_three_months',
    });
  });

  it('once reviewed in them (or late), at the plan’s next review or reassessment', () => {
    expect(directPaymentReviewDue(direct('2025-11-30', ['2026-02-20']), d('2026-09-01'))).toEqual({
      due: '2026-09-01',
      rule: 'at_plan_review',
    });
    expect(directPaymentReviewDue(direct('2025-11-30', ['2026-03-02']), d('2026-09-01'))?.rule).toBe('at_plan_review');
  });

  it('nothing is due for a budget not paid direct, or not paid yet', () => {
    expect(directPaymentReviewDue(direct(null), d('2026-09-01'))).toBeNull();
    const held: PersonalBudget = {
      part: 'health',
      holding: 'organised_arrangement',
      firstPaymentDate: null,
      reviews: [],
    };
    expect(directPaymentReviewDue(held, d('2026-09-01'))).toBeNull();
  });
});

describe('SEN2 PB, OA and DP (items 4.4a-c)', () => {
  it('no budget: PB 0, OA 0, no DP', () => {
    expect(sen2BudgetItems([])).toEqual({ PB: '0', OA: '0' });
  });
  it('one part paid direct gives its letter; two parts give I (integrated)', () => {
    expect(sen2BudgetItems([direct('2025-11-30')])).toEqual({ PB: '1', OA: '0', DP: 'E' });
    const social: PersonalBudget = { ...direct('2025-11-30'), part: 'social_care' };
    expect(sen2BudgetItems([direct('2025-11-30'), social])).toEqual({ PB: '1', OA: '0', DP: 'I' });
  });
  it('organised arrangements set OA', () => {
    const held: PersonalBudget = {
      part: 'health',
      holding: 'organised_arrangement',
      firstPaymentDate: null,
      reviews: [],
    };
    expect(sen2BudgetItems([held])).toEqual({ PB: '1', OA: '1' });
  });
});
