import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  failedMessageInWords,
  failureKindOf,
  MAX_SEND_ATTEMPTS,
  RETRY_WAITS_MINUTES,
} from './delivery.js';

const now = new Date('2026-03-03T10:00:00Z');

describe('which failures are tried again (GOV.UK Notify API: 400 bad request, 429 rate limit, 5xx)', () => {
  it('tries again after no answer, a 5xx or a 429; not after a 400 or 403', () => {
    expect([undefined, 500, 502, 503, 429].map(failureKindOf)).toEqual(Array(5).fill('temporary'));
    expect([400, 403].map(failureKindOf)).toEqual(['permanent', 'permanent']);
  });

  it('waits 5 minutes, 30, 2 hours, 6 hours, then 15, and gives up after the sixth try, within a day', () => {
    const waits: number[] = [];
    let at = now;
    for (let attempt = 1; attempt < MAX_SEND_ATTEMPTS; attempt++) {
      const next = afterFailure(attempt, 'temporary', at);
      if (next.status !== 'retrying') throw new Error(`gave up after ${attempt}`);
      waits.push((next.nextAttemptAt.getTime() - at.getTime()) / 60_000);
      at = next.nextAttemptAt;
    }
    expect(waits).toEqual([5, 30, 120, 360, 900]);
    expect(RETRY_WAITS_MINUTES.reduce((a, b) => a + b, 0)).toBeLessThan(24 * 60);
    expect(afterFailure(MAX_SEND_ATTEMPTS, 'temporary', at)).toEqual({ status: 'failed', failure: 'unreachable' });
  });

  it('never tries a refused message again', () => {
    expect(afterFailure(1, 'permanent', now)).toEqual({ status: 'failed', failure: 'refused' });
  });
});

describe('a failed message, for the caseworker', () => {
  it('says who, what about, when and why, and to make contact another way', () => {
    const at = new Date('2026-03-03T23:30:00Z'); // 3 March in London (GMT)
    expect(
      failedMessageInWords(
        { kind: 'family_draft_served', channel: 'email', toRole: 'parent', failure: 'refused', at },
        'Sam Jones',
      ),
    ).toBe(
      "We could not send the email to Sam Jones's parent or carer about the draft plan on 3 March 2026: " +
        'the address was refused. Contact them another way.',
    );
    expect(
      failedMessageInWords(
        { kind: 'family_final_plan', channel: 'sms', toRole: 'young_person', failure: 'refused', at },
        'Sam Jones',
      ),
    ).toBe(
      'We could not send the text message to Sam Jones about the final plan on 3 March 2026: the number was refused. ' +
        'Contact them another way.',
    );
    expect(
      failedMessageInWords(
        { kind: 'consultation_overdue', channel: 'email', toRole: 'school', failure: 'unreachable', at },
        'Sam Jones',
      ),
    ).toContain('to the school or setting about the consultation about naming the school or setting on 3 March 2026');
  });
});
