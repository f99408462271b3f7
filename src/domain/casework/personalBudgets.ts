/**
 * Personal budgets and direct payments recorded on an EHC plan (Children and Families Act 2014 s.49; the Special
 * Educational Needs (Personal Budgets) Regulations 2014, SI 2014/1652; SEN2 items 4.4a-c): which parts of the plan
 * have one, whether it is taken up through organised arrangements or direct payments, and when the direct payments
 * must next be reviewed. Domain rules only: no table, form or page records them yet.
 *
 * The review rule (statutory-timescales.md row 27, marked VERIFY there): SI 2014/1652 reg 11, as SEN Expert
 * Solicitors summarise it ([SEPB]: "The LA must review its direct payments in the first three months and also at
 * annual reviews and reassessments"): at least once within the first 3 months of the first payment, then at each
 * review or reassessment of the plan. The regulation's own words were not available here; its predecessor, the pilot
 * scheme (SI 2012/206 Sch 1 para 15(2)(a)), has the same "at least once within the first three months of direct
 * payments being made". Those 3 months are read as starting with the first payment (P8: "3 months starting with D").
 */
import type { LocalDate } from '../dates/localDate.js';
import { periodStartingWithEnds } from '../dates/months.js';

/** The parts of the plan a personal budget can be for, with SEN2's DP code (4.4c) for each. */
export const BUDGET_PARTS = {
  education: { text: 'Education (special educational provision)', sen2: 'E' },
  social_care: { text: 'Social care', sen2: 'S' },
  health: { text: 'Health', sen2: 'H' },
} as const;
export type BudgetPart = keyof typeof BUDGET_PARTS;

/** How a part's budget is taken up: held by the council or a third party (organised arrangements), or paid direct. */
export type BudgetHolding = 'organised_arrangement' | 'direct_payment';

export interface PersonalBudget {
  part: BudgetPart;
  holding: BudgetHolding;
  /** Direct payments: the day the first payment was made. */
  firstPaymentDate: LocalDate | null;
  /** Direct payments: the days the council reviewed them. */
  reviews: LocalDate[];
}

/** The first review of direct payments: within the first 3 months of the first payment (SI 2014/1652 reg 11). */
export const FIRST_DIRECT_PAYMENT_REVIEW_MONTHS = 3;

/**
 * When a direct payment is next to be reviewed: by the end of the 3 months starting with the first payment until it
 * has been reviewed in them; after that, at the plan's next review or reassessment (`nextPlanReview`, the plan's own
 * due date). Null for a budget not paid direct, or not yet paid.
 */
export function directPaymentReviewDue(
  b: PersonalBudget,
  nextPlanReview: LocalDate | null,
): { due: LocalDate | null; rule: 'first_three_months' | 'at_plan_review' } | null {
  if (b.holding !== 'direct_payment' || b.firstPaymentDate === null) return null;
  const first = periodStartingWithEnds(b.firstPaymentDate, FIRST_DIRECT_PAYMENT_REVIEW_MONTHS);
  const reviewedInTime = b.reviews.some((r) => r >= b.firstPaymentDate! && r <= first);
  const reviewedLate = b.reviews.some((r) => r > first);
  if (!reviewedInTime && !reviewedLate) return { due: first, rule: 'first_three_months' };
  return { due: nextPlanReview, rule: 'at_plan_review' };
}

/**
 * The plan's SEN2 items 4.4a-c: PB 1 when any personal budget is taken up; OA 1 when any is held in organised
 * arrangements; DP the part paid direct (E, S or H), or I when payments are made for more than one part (an
 * integrated payment), or absent when none is.
 */
export function sen2BudgetItems(budgets: readonly PersonalBudget[]): { PB: '1' | '0'; OA: '1' | '0'; DP?: string } {
  const direct = [...new Set(budgets.filter((b) => b.holding === 'direct_payment').map((b) => b.part))];
  const items: { PB: '1' | '0'; OA: '1' | '0'; DP?: string } = {
    PB: budgets.length > 0 ? '1' : '0',
    OA: budgets.some((b) => b.holding === 'organised_arrangement') ? '1' : '0',
  };
  if (direct.length === 1) items.DP = BUDGET_PARTS[direct[0]!].sen2;
  else if (direct.length > 1) items.DP = 'I';
  return items;
}
