import { describe, expect, it } from 'vitest';
import { localDate } from '../dates/localDate.js';
import { computeClock } from '../statutory/clock.js';
import { EventValidationError } from '../statutory/events.js';
import {
  caseExceptionChoices,
  caseNextDuty,
  clockEventsFor,
  dutyName,
  nextDuty,
  recordedExceptions,
} from './clockEvents.js';

const timeline = [
  { type: 'request_received', occurredOn: '2025-01-13', data: {} },
  { type: 'caseworker_assigned', occurredOn: '2025-01-14', data: {} },
  { type: 'assessment_decision', occurredOn: '2025-02-20', data: { outcome: 'assess' } },
  { type: 'advice_requested', occurredOn: '2025-02-24', data: { adviceType: 'health' } },
];
const advice = [
  { id: 'a1', adviceType: 'educational_psychology', requestedDate: '2025-02-24', receivedDate: '2025-03-20' },
  { id: 'a2', adviceType: 'health', requestedDate: '2025-02-24', receivedDate: null },
];

describe('the clock for a stored case', () => {
  it('reads the timeline and the advice requests, ignoring events the clock does not use', () => {
    const events = clockEventsFor(timeline, advice);
    expect(events.map((e) => e.type)).toEqual([
      'request_received',
      'assessment_decision',
      'advice_requested',
      'advice_received',
      'advice_requested',
    ]);
  });

  it('finds the next duty: outstanding health advice due 7 Apr 2025 (reg 8(1))', () => {
    const result = computeClock(clockEventsFor(timeline, advice), localDate('2025-03-25'));
    expect(nextDuty(result)).toMatchObject({ id: 'advice:a2', due: '2025-04-07', status: 'pending' });
  });

  it('has no next duty once every duty is done', () => {
    const done = [
      ...timeline,
      { type: 'issue_decision', occurredOn: '2025-04-10', data: { outcome: 'issue' } },
      { type: 'final_plan_issued', occurredOn: '2025-05-30', data: {} },
    ];
    const result = computeClock(
      clockEventsFor(done, [{ ...advice[1]!, receivedDate: '2025-04-01' }]),
      localDate('2025-06-01'),
    );
    expect(nextDuty(result)).toBeNull();
  });

  it('refuses a stored record the clock cannot read, naming the event', () => {
    const bad = [...timeline, { type: 'issue_decision', occurredOn: '2024-12-01', data: { outcome: 'issue' } }];
    expect(() => clockEventsFor(bad, [])).toThrow(EventValidationError);
    expect(() => clockEventsFor(bad, [])).toThrow(/timeline\[\d\]\.date/);
  });

  it('names duties in plain English', () => {
    expect(dutyName('issue_final_plan')).toBe('Issue the final plan');
    expect(dutyName('advice:a1', { a1: 'educational_psychology' })).toBe('Educational psychology advice');
    expect(dutyName('complete_annual_review:2')).toBe('Complete the annual review (2)');
    // A duty this version does not know is shown by its id in words, even one named like an object's property.
    expect(dutyName('some_new_duty')).toBe('some new duty');
    expect(dutyName('constructor')).toBe('constructor');
    expect(dutyName('toString:3')).toBe('toString (3)');
  });
});

describe('exceptions and withdrawal on a stored case (P11; contracts/cli.md)', () => {
  it('reads an exception stored before duties were recorded (reg 10(4) only) as one to the final plan', () => {
    const stored = [
      ...timeline,
      { type: 'exception', occurredOn: '2025-03-01', data: { reason: 'reg10_4_c', evidence: 'x' } },
    ];
    const events = clockEventsFor(stored, advice);
    expect(recordedExceptions(events)).toEqual([
      { duty: 'issue_final_plan', reason: 'reg10_4_c', from: '2025-03-01', to: null },
    ]);
    expect(computeClock(events, localDate('2025-03-25')).measures.exceptionApplies).toBe(true);
  });

  it('offers the duties not met in time, each with the reasons its regulation allows', () => {
    // 25 Mar 2025: decision met (20 Feb, due 24 Feb); EP advice met; health advice and the final plan outstanding.
    const choices = caseExceptionChoices(timeline, advice, localDate('2025-03-25'));
    expect(choices.map((c) => [c.id, c.name, c.reasons.map((g) => g.regulation)])).toEqual([
      ['advice:a2', 'Health advice', ['reg8_2']],
      ['issue_final_plan', 'Issue the final plan', ['reg10_4']],
    ]);
    expect(choices[0]!.reasons[0]!.reasons).toEqual(['reg8_2_a', 'reg8_2_b', 'reg8_2_c']);
  });

  it('a withdrawal ends the undone duties: no next duty, and no exception can be recorded against them', () => {
    const withdrawn = [...timeline, { type: 'request_withdrawn', occurredOn: '2025-03-10', data: { reason: 'moved' } }];
    expect(caseNextDuty(withdrawn, advice, localDate('2025-06-01'))).toBeNull();
    expect(caseExceptionChoices(withdrawn, advice, localDate('2025-06-01'))).toEqual([]);
  });
});
