/**
 * Reassessments in the demo county (issue 28): about 1 a year for every 100 plans (an assumption: no published count
 * exists, see src/demo/reassessments.ts), each lawful (reg 24(2)(a)'s ground only within 6 months, the final plan after
 * the family's 15 days on the draft), each final plan a new plan version that restarts the 12 months to the next
 * review, and the same for the same seed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reviewDue } from '../domain/casework/annualReview.js';
import { withinSixMonths } from '../domain/casework/reassessment.js';
import { addDays, localDate, type LocalDate } from '../domain/dates/localDate.js';
import { generateDemoCounty } from './generate.js';
import { REASSESSMENTS_PER_PLAN_YEAR } from './reassessments.js';

const asOf = localDate('2026-11-28');
const county = generateDemoCounty({ asOf, scale: 0.3 });

describe('reassessments in the demo county', () => {
  it('about 1 a year for every 100 plans maintained (the stated assumption)', () => {
    const yearAgo = '2025-11-28';
    const received = county.reassessments.filter((r) => r.receivedDate > yearAgo).length;
    const held = county.plans.filter(
      (p) => p.firstIssuedDate && p.firstIssuedDate <= yearAgo && (!p.ceasedDate || p.ceasedDate > yearAgo),
    ).length;
    expect(REASSESSMENTS_PER_PLAN_YEAR).toBe(0.01);
    expect(received / held).toBeGreaterThan(0.004);
    expect(received / held).toBeLessThan(0.02);
    expect(new Set(county.reassessments.map((r) => r.status))).toEqual(new Set(['open', 'refused', 'completed']));
  });

  it('each is lawful: decided on or after the request, the 6-month ground only within 6 months, the plan after the 15 days', () => {
    for (const r of county.reassessments) {
      if (r.decisionDate) expect(r.decisionDate >= r.receivedDate).toBe(true);
      if (r.refusalGround === 'within_six_months') expect(withinSixMonths(r)).toBe(true);
      if (r.decision === 'not_reassess') expect(r.refusalReason).toBeTruthy();
      if (r.requestedBy === 'council') expect(r.decisionDate).toBe(r.receivedDate);
      if (r.finalIssuedDate) expect(r.finalIssuedDate > addDays(r.draftServedDate!, 14)).toBe(true);
      if (r.status === 'open') expect(r.nextDue).not.toBeNull();
      expect(r.receivedDate <= asOf).toBe(true);
    }
  });

  it('a reassessed plan is a new version, and its next review is 12 months from it (reg 27; CFA s.44(1))', () => {
    const plans = new Map(county.plans.map((p) => [p.id, p]));
    const born = new Map(county.children.map((c) => [c.id, c.dateOfBirth as LocalDate]));
    const completed = county.reassessments.filter((r) => r.status === 'completed');
    expect(completed.length).toBeGreaterThan(10);
    for (const r of completed) {
      const plan = plans.get(r.planId)!;
      expect(plan.lastReassessedDate).toBe(r.finalIssuedDate);
      const version = county.planVersions.find((v) => v.id === r.finalVersionId)!;
      expect(version).toMatchObject({ planId: r.planId, kind: 'final', issuedDate: r.finalIssuedDate });
      if (plan.status !== 'active') continue;
      const due = reviewDue(
        {
          firstIssuedDate: plan.firstIssuedDate as LocalDate,
          lastReviewDate: (plan.lastReviewDate ?? null) as LocalDate | null,
          lastReassessedDate: r.finalIssuedDate,
        },
        born.get(plan.childId)!,
      );
      expect(plan.reviewDueDate).toBe(due.due);
    }
  });

  it('the same for the same seed', () => {
    const again = generateDemoCounty({ asOf, scale: 0.3 });
    const hash = (c: typeof county) => createHash('sha256').update(JSON.stringify(c.reassessments)).digest('hex');
    expect(hash(again)).toBe(hash(county));
  });
});
