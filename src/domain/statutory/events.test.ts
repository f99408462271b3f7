import { describe, expect, it } from 'vitest';
import { EventValidationError, isTwentyWeekException, parseEvents } from './events.js';

function fieldOf(events: unknown): string {
  try {
    parseEvents(events);
  } catch (err) {
    if (err instanceof EventValidationError) return `${err.field} | ${err.message}`;
    throw err;
  }
  return 'valid';
}

describe('event validation names the field at fault', () => {
  it.each([
    [undefined, 'events | events: required, a list of events'],
    [
      [{ type: 'request_recieved', date: '2025-01-13' }],
      'events[0].type | events[0].type: unknown event type "request_recieved"',
    ],
    [[{ date: '2025-01-13' }], 'events[0].type | events[0].type: required'],
    [
      [{ type: 'request_received', date: '2025-02-30' }],
      'events[0].date | events[0].date: 2025-02-30 is not a real date',
    ],
    [
      [{ type: 'request_received', date: '13/01/2025' }],
      'events[0].date | events[0].date: must be a date as YYYY-MM-DD, not "13/01/2025"',
    ],
    [[{ type: 'request_received' }], 'events[0].date | events[0].date: required'],
    [
      [
        { type: 'request_received', date: '2025-01-13' },
        { type: 'assessment_decision', date: '2025-02-01' },
      ],
      'events[1].outcome | events[1].outcome: required',
    ],
    [
      [
        { type: 'request_received', date: '2025-01-13' },
        { type: 'assessment_decision', date: '2025-02-01', outcome: 'maybe' },
      ],
      'events[1].outcome | events[1].outcome: must be one of assess, not_assess, not "maybe"',
    ],
    [
      [
        { type: 'request_received', date: '2025-01-13' },
        { type: 'assessment_decision', date: '2025-01-10', outcome: 'assess' },
      ],
      'events[1].date | events[1].date: 2025-01-10 is before the request was received (2025-01-13)',
    ],
    [
      [
        { type: 'request_received', date: '2025-01-13' },
        { type: 'request_received', date: '2025-01-14' },
      ],
      'events[1].type | events[1].type: a process has only one request_received',
    ],
    [
      [{ type: 'advice_received', date: '2025-03-01', adviceId: 'ep' }],
      'events[0].adviceId | events[0].adviceId: no advice_requested event has adviceId "ep"',
    ],
    [
      [{ type: 'phase_transfer', date: '2025-09-01', transferYear: '2026', route: 'school' }],
      'events[0].transferYear | events[0].transferYear: must be a year from 2014 to 2100, not "2026"',
    ],
    [['x'], 'events[0] | events[0]: must be an object'],
  ])('%j', (events, expected) => {
    expect(fieldOf(events)).toBe(expected);
  });

  it('accepts events in any order, and review invitations dated before the meeting', () => {
    expect(
      fieldOf([
        { type: 'review_meeting', date: '2025-11-03' },
        { type: 'review_invitations_sent', date: '2025-10-17' },
        { type: 'plan_issued', date: '2025-03-10' },
      ]),
    ).toBe('valid');
  });
});

describe('contracts/cli.md: advice cannot arrive before it was asked for', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  const asked = { type: 'advice_requested', date: '2025-01-27', adviceId: 'ep' };
  it('refuses advice_received dated before its advice_requested, naming the date', () => {
    expect(fieldOf([request, asked, { type: 'advice_received', date: '2025-01-26', adviceId: 'ep' }])).toBe(
      'events[2].date | events[2].date: 2025-01-26 is before the advice "ep" was requested (2025-01-27)',
    );
  });
  it('accepts advice received on the day it was asked for', () => {
    expect(fieldOf([request, asked, { type: 'advice_received', date: '2025-01-27', adviceId: 'ep' }])).toBe('valid');
  });
});

describe('P11: an exception names a duty its regulation covers (SEND Regulations 2014 regs 5(4), 8(2), 10(4), 27(3))', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  const asked = { type: 'advice_requested', date: '2025-01-27', adviceId: 'ep' };
  const exception = (fields: Record<string, unknown>) => ({ type: 'exception', date: '2025-02-03', ...fields });

  it.each([
    ['reg 5(4)(a): a school closure, to the decision whether to assess', 'reg5_4_a', 'decide_whether_to_assess'],
    ['reg 8(2)(c): a missed appointment, to the advice', 'reg8_2_c', 'advice:ep'],
    ['reg 10(4)(d): absence of 4 weeks, to the final plan (reg 13(3))', 'reg10_4_d', 'issue_final_plan'],
    ['reg 27(3)(c): exceptional circumstances, to the plan after reassessment', 'reg27_3_c', 'issue_reassessed_plan'],
    ['a second reassessment', 'reg27_3_a', 'issue_reassessed_plan:2'],
  ])('accepts %s', (_name, reason, duty) => {
    expect(fieldOf([request, asked, exception({ reason, duty })])).toBe('valid');
  });

  it('reads a reg 5(4), 10(4) or 27(3) reason without a duty as the duty its regulation covers', () => {
    for (const reason of ['reg5_4_b', 'reg10_4_a', 'reg27_3_d']) {
      expect(fieldOf([request, exception({ reason })])).toBe('valid');
    }
  });

  it.each([
    [
      'CoP 9.42: a school closure is no exception to advice, reg 8(2) has none',
      { reason: 'reg5_4_a', duty: 'advice:ep' },
      'events[2].reason | events[2].reason: reg5_4_a cannot apply to advice:ep: a reg 5(4) exception applies only to decide_whether_to_assess',
    ],
    [
      'reg 10(4) is not an exception to the 6-week decision',
      { reason: 'reg10_4_a', duty: 'decide_whether_to_assess' },
      'events[2].reason | events[2].reason: reg10_4_a cannot apply to decide_whether_to_assess: a reg 10(4) exception applies only to issue_final_plan',
    ],
    [
      'reg 8(2) is an exception to advice only',
      { reason: 'reg8_2_a', duty: 'issue_final_plan' },
      'events[2].reason | events[2].reason: reg8_2_a cannot apply to issue_final_plan: a reg 8(2) exception applies only to advice:<adviceId>',
    ],
    [
      'a reg 8(2) exception must say which advice',
      { reason: 'reg8_2_b' },
      'events[2].duty | events[2].duty: required for a reg 8(2) exception: the advice it applies to, as advice:<adviceId>',
    ],
    [
      'advice that was never asked for',
      { reason: 'reg8_2_b', duty: 'advice:health' },
      'events[2].duty | events[2].duty: no advice_requested event has adviceId "health"',
    ],
    [
      'a duty no exception applies to',
      { reason: 'reg10_4_c', duty: 'complete_annual_review' },
      'events[2].duty | events[2].duty: must be decide_whether_to_assess, advice:<adviceId>, issue_final_plan or issue_reassessed_plan, not "complete_annual_review"',
    ],
    [
      'an unknown reason',
      { reason: 'reg10_5_a' },
      'events[2].reason | events[2].reason: must be one of reg10_4_a, reg10_4_b, reg10_4_c, reg10_4_d, reg5_4_a, reg5_4_b, reg5_4_c, reg8_2_a, reg8_2_b, reg8_2_c, reg27_3_a, reg27_3_b, reg27_3_c, reg27_3_d, not "reg10_5_a"',
    ],
    [
      'an end before its start',
      { reason: 'reg10_4_c', from: '2025-02-03', to: '2025-02-02' },
      'events[2].to | events[2].to: 2025-02-02 is before from (2025-02-03)',
    ],
  ])('refuses %s', (_name, fields, expected) => {
    expect(fieldOf([request, asked, exception(fields)])).toBe(expected);
  });
});

describe('P12: which stored exceptions take a plan out of the 20-week figure (SEN2 Week20)', () => {
  it('reg 10(4) reasons, and a SEN2 Week20 flag brought over without its paragraph', () => {
    for (const r of ['reg10_4_a', 'reg10_4_b', 'reg10_4_c', 'reg10_4_d', 'reg10_4']) {
      expect(isTwentyWeekException(r)).toBe(true);
    }
  });
  it('not exceptions to the decision (reg 5(4)), advice (reg 8(2)) or a reassessed plan (reg 27(3)), nor none', () => {
    for (const r of ['reg5_4_a', 'reg8_2_c', 'reg27_3_c', null]) expect(isTwentyWeekException(r)).toBe(false);
  });
});
