import { describe, expect, it } from 'vitest';
import { localDate } from '../dates/localDate.js';
import { computeClock } from '../statutory/clock.js';
import { EventValidationError } from '../statutory/events.js';
import { clockEventsFor, dutyName, nextDuty } from './clockEvents.js';

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
