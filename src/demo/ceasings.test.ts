/**
 * Plans ceased in the demo county (issue 28): about as many a year as England's published rate (DfE, calendar year
 * 2024: 44,862 plans ceased of 638,745, 7.0%; shared/reference/statistics/dfe-ehcp-2025/ceased_plans.csv and
 * caseload.csv), for the reasons England's counts give, each lawful at the person's age, and each plan the council
 * ended ceased only after the family's time to appeal (CFA s.45(2)). The same for the same seed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ageInYears, localDate, type LocalDate } from '../domain/dates/localDate.js';
import { englandAndWales } from '../domain/dates/workingDays.js';
import { ceasingAppealDates, SEN2_CEASE_REASON } from '../domain/casework/ceasing.js';
import { generateDemoCounty } from './generate.js';

const asOf = localDate('2026-11-28');
const county = generateDemoCounty({ asOf, scale: 0.3 });

describe('plans ceased in the demo county', () => {
  it('about 5 in 100 plans a year end, a little under England’s 7.0% in 2024', () => {
    const yearAgo = '2025-11-28';
    const ended = county.plans.filter((p) => p.ceasedDate && p.ceasedDate > yearAgo).length;
    const held = county.plans.filter(
      (p) => p.firstIssuedDate && p.firstIssuedDate <= yearAgo && (!p.ceasedDate || p.ceasedDate > yearAgo),
    ).length;
    const rate = ended / held;
    expect(rate).toBeGreaterThan(0.03);
    expect(rate).toBeLessThan(0.1);
  });

  it('for England’s reasons: moved to another council and no longer engaging the most, then work and needs met', () => {
    const byCode = new Map<string, number>();
    for (const p of county.plans) if (p.ceasedReason) byCode.set(p.ceasedReason, (byCode.get(p.ceasedReason) ?? 0) + 1);
    const ranked = [...byCode].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    // England 2024: 5 transferred 13,953, 6 no longer engages 16,091; the young people's reasons need the age.
    expect(ranked.slice(0, 2)).toContain('5');
    expect(byCode.get('8') ?? 0).toBeLessThan(byCode.get('5')!);
    expect([...byCode.keys()].every((c) => /^[1-9]$/.test(c))).toBe(true);
  });

  it('each ceasing is lawful at the person’s age and ends the plan the day after the time to appeal', () => {
    const born = new Map(county.children.map((c) => [c.id, c.dateOfBirth as LocalDate]));
    const plans = new Map(county.plans.map((p) => [p.id, p]));
    // Plans transferred to another council (reason 5, a third of them) are moves, not ceasings (demo/moves.ts).
    expect(county.ceasings.length).toBeGreaterThan(60);
    expect(county.ceasings.some((c) => c.reason === 'moved_la')).toBe(false);
    for (const c of county.ceasings) {
      const plan = plans.get(c.planId)!;
      expect(plan).toMatchObject({
        status: 'ceased',
        ceasedDate: c.ceasedDate,
        ceasedReason: SEN2_CEASE_REASON[c.reason],
      });
      const dates = ceasingAppealDates(
        {
          ...c,
          certificateDate: null,
          appealLodgedDate: null,
          tribunalOutcome: null,
          tribunalDate: null,
          ceasedDate: null,
        },
        englandAndWales,
      )!;
      expect(c.ceasedDate).toBe(dates.ceasesOn);
      expect(c.ceasedDate <= asOf).toBe(true);
      expect(c.consultedDate < c.decisionDate).toBe(true);
      const age = ageInYears(born.get(c.childId)!, c.ceasedDate);
      if (c.reason === 'left_education') expect(age).toBeGreaterThanOrEqual(18);
      if (c.reason === 'higher_education' || c.reason === 'paid_employment') expect(age).toBeGreaterThanOrEqual(16);
    }
  });

  it('is the same for the same seed, and the sign-in families’ plans are left as they were', () => {
    const digest = (c: object) => createHash('sha256').update(JSON.stringify(c)).digest('hex');
    const again = generateDemoCounty({ asOf, scale: 0.3 });
    expect(digest(again.ceasings)).toBe(digest(county.ceasings));
    const family = new Set(county.roleAssignments.filter((a) => a.role === 'parent').map((a) => a.childId));
    expect(county.ceasings.some((c) => family.has(c.childId))).toBe(false);
  });
});
