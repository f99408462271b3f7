import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromDayNumber, localDate, toDayNumber } from '../dates/localDate.js';
import {
  adviceWithin6Weeks,
  finalPlansWithin20Weeks,
  isOpenOn,
  noPlanDecisionsWithin16Weeks,
  openRequestsByAge,
  requestsDecidedWithin6Weeks,
  weeksToFinalPlan,
  type CaseFacts,
} from './timeliness.js';

const d = localDate;
const year2024 = { from: d('2024-01-01'), to: d('2024-12-31') };

function plan(received: string, daysToPlan: number, exception = false): CaseFacts {
  const r = d(received);
  return {
    receivedDate: r,
    assessmentDecision: 'assess',
    assessmentDecisionDate: addDays(r, 40),
    issueDecision: 'issue',
    issueDecisionDate: addDays(r, Math.min(100, daysToPlan - 20)),
    finalIssuedDate: addDays(r, daysToPlan),
    withdrawnDate: null,
    exception,
    advice: [],
  };
}

function open(received: string): CaseFacts {
  return {
    ...plan(received, 140),
    assessmentDecision: null,
    assessmentDecisionDate: null,
    issueDecision: null,
    issueDecisionDate: null,
    finalIssuedDate: null,
  };
}

describe('final plans within 20 weeks (P12)', () => {
  it('counts day 140 as within and day 141 as late', () => {
    const [incl] = finalPlansWithin20Weeks([plan('2024-03-04', 140), plan('2024-03-04', 141)], year2024);
    expect(incl).toMatchObject({ numerator: 1, denominator: 2, percent: 50 });
  });

  it('excluding exceptions drops flagged plans from numerator and denominator; including keeps them', () => {
    const cases = [
      plan('2024-02-05', 100),
      plan('2024-02-05', 200, true),
      plan('2024-02-05', 300),
      plan('2024-02-05', 120, true),
    ];
    const [incl, excl] = finalPlansWithin20Weeks(cases, year2024);
    expect(incl).toMatchObject({ numerator: 2, denominator: 4, percent: 50 });
    expect(excl).toMatchObject({ numerator: 1, denominator: 2, percent: 50 });
    expect(excl.definition.exclusions).toContain('Week20');
  });

  it('reproduces the published 2019 England figures from counts: 31,313 / 53,327 = 58.7% incl., 29,895 / 49,519 = 60.4% excl.', () => {
    // statutory-timescales.md section 4 (DfE data set): 53,327 plans, of which 3,808 with an exception (1,418 on time).
    const cases: CaseFacts[] = [];
    const add = (n: number, days: number, exception: boolean) => {
      for (let i = 0; i < n; i++) cases.push(plan('2019-03-04', days, exception));
    };
    add(29_895, 130, false);
    add(49_519 - 29_895, 200, false);
    add(31_313 - 29_895, 130, true);
    add(53_327 - 49_519 - (31_313 - 29_895), 200, true);
    const [incl, excl] = finalPlansWithin20Weeks(cases, { from: d('2019-01-01'), to: d('2019-12-31') });
    expect(incl.percent!.toFixed(1)).toBe('58.7');
    expect(excl.percent!.toFixed(1)).toBe('60.4');
  });

  it('counts a plan in the period it was issued, not the one it was requested', () => {
    const [incl] = finalPlansWithin20Weeks([plan('2023-11-06', 100)], year2024);
    expect(incl.denominator).toBe(1);
    const [before] = finalPlansWithin20Weeks([plan('2023-06-05', 100)], year2024);
    expect(before.denominator).toBe(0);
    expect(before.percent).toBeNull();
  });
});

describe('decisions', () => {
  it('reg 5(1): decisions within 42 days count as within 6 weeks', () => {
    const a = plan('2024-03-04', 140);
    const late = { ...a, assessmentDecisionDate: addDays(a.receivedDate, 43) };
    expect(requestsDecidedWithin6Weeks([a, late], year2024)).toMatchObject({ numerator: 1, denominator: 2 });
  });
  it('reg 10(1): "no plan" decisions within 112 days count as within 16 weeks', () => {
    const base = open('2024-03-04');
    const ok = { ...base, issueDecision: 'not_issue' as const, issueDecisionDate: addDays(base.receivedDate, 112) };
    const late = { ...base, issueDecision: 'not_issue' as const, issueDecisionDate: addDays(base.receivedDate, 113) };
    expect(noPlanDecisionsWithin16Weeks([ok, late, plan('2024-03-04', 120)], year2024)).toMatchObject({
      numerator: 1,
      denominator: 2,
    });
  });
});

describe('advice within 6 weeks (reg 8(1))', () => {
  it('is reported for each advice type', () => {
    const c = plan('2024-03-04', 140);
    c.advice = [
      { adviceType: 'educational_psychology', requestedDate: d('2024-04-15'), receivedDate: d('2024-05-27') },
      { adviceType: 'educational_psychology', requestedDate: d('2024-04-15'), receivedDate: d('2024-05-28') },
      { adviceType: 'health', requestedDate: d('2024-04-15'), receivedDate: d('2024-05-01') },
      { adviceType: 'health', requestedDate: d('2024-04-15'), receivedDate: null },
    ];
    const m = adviceWithin6Weeks([c], year2024);
    expect(m.map((x) => [x.id, x.numerator, x.denominator])).toEqual([
      ['advice_within_6_weeks:educational_psychology', 1, 2],
      ['advice_within_6_weeks:health', 1, 1],
    ]);
  });
});

describe('open requests by age band', () => {
  it('puts each open request in one band by weeks since the request, as of a date', () => {
    const asOf = d('2025-01-06');
    const cases = [
      open('2025-01-06'), // 0 weeks
      open('2024-11-25'), // 6 weeks exactly -> 6-16
      open('2024-08-19'), // 20 weeks -> 20-30
      open('2024-01-01'), // 53 weeks -> 52+
      plan('2024-06-03', 100), // closed before asOf
      open('2025-02-03'), // not yet received
    ];
    const result = openRequestsByAge(cases, asOf);
    expect(result.total).toBe(4);
    expect(result.bands).toEqual([
      { band: '0-6', count: 1 },
      { band: '6-16', count: 1 },
      { band: '16-20', count: 0 },
      { band: '20-30', count: 1 },
      { band: '30-52', count: 0 },
      { band: '52+', count: 1 },
    ]);
  });
  it('treats a request as open until the day it is decided against, withdrawn or its plan issued', () => {
    const c = plan('2024-03-04', 150);
    expect(isOpenOn(c, addDays(c.receivedDate, 149))).toBe(true);
    expect(isOpenOn(c, addDays(c.receivedDate, 150))).toBe(false);
  });
});

describe('weeks to final plan', () => {
  it('gives the mean and the 90th percentile (nearest rank)', () => {
    const cases = Array.from({ length: 10 }, (_, i) => plan('2024-01-08', (i + 1) * 14));
    expect(weeksToFinalPlan(cases, year2024)).toEqual({ plans: 10, meanWeeks: 11, p90Weeks: 18 });
  });
});

describe('invariants (property-based)', () => {
  it('no numerator ever exceeds its denominator, and the open bands add up to the total', () => {
    const day = fc.integer({ min: toDayNumber(d('2023-06-01')), max: toDayNumber(d('2024-12-31')) });
    const arbitraryCase = fc
      .record({
        r: day,
        decide: fc.integer({ min: 1, max: 90 }),
        plan: fc.option(fc.integer({ min: 60, max: 500 })),
        exc: fc.boolean(),
      })
      .map(({ r, decide, plan: p, exc }): CaseFacts => {
        const received = fromDayNumber(r);
        return {
          receivedDate: received,
          assessmentDecision: 'assess',
          assessmentDecisionDate: addDays(received, decide),
          issueDecision: p === null ? null : 'issue',
          issueDecisionDate: p === null ? null : addDays(received, Math.max(decide, p - 20)),
          finalIssuedDate: p === null ? null : addDays(received, p),
          withdrawnDate: null,
          exception: exc,
          advice: [
            {
              adviceType: 'health',
              requestedDate: addDays(received, decide),
              receivedDate: addDays(received, decide + 30),
            },
          ],
        };
      });
    fc.assert(
      fc.property(fc.array(arbitraryCase, { maxLength: 60 }), day, (cases, asOfDay) => {
        const measures = [
          ...finalPlansWithin20Weeks(cases, year2024),
          requestsDecidedWithin6Weeks(cases, year2024),
          noPlanDecisionsWithin16Weeks(cases, year2024),
          ...adviceWithin6Weeks(cases, year2024),
        ];
        const open = openRequestsByAge(cases, fromDayNumber(asOfDay));
        return (
          measures.every((m) => m.numerator <= m.denominator && m.numerator >= 0) &&
          open.bands.reduce((s, b) => s + b.count, 0) === open.total
        );
      }),
    );
  });
});
