import { describe, expect, it } from 'vitest';
import { EventValidationError, parseEvents } from './events.js';

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
