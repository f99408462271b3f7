import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { familyMessage, familyMessageKey, familyNewsOf } from './familyMessages.js';

const to = { audience: 'parent' as const, givenName: 'Ada', reference: 'R-1', link: 'https://ehcp.example/my-child/1' };

describe('familyNewsOf: what a casework step tells the family', () => {
  it('finds the decision, the draft, the final plan, a new caseworker, and all the advice in', () => {
    expect(
      familyNewsOf(
        [
          { type: 'assessment_decision', data: { outcome: 'not_assess' } },
          { type: 'caseworker_assigned', data: { caseworkerId: 'u1', caseworkerName: 'Sam' } },
          { type: 'caseworker_assigned', data: { caseworkerId: null, caseworkerName: null } },
          { type: 'draft_plan_saved' },
        ],
        undefined,
        null,
      ),
    ).toEqual([
      { kind: 'assessment_decision', outcome: 'not_assess' },
      { kind: 'caseworker', caseworkerId: 'u1', name: 'Sam' },
    ]);
    // Advice received while more is awaited: the stage does not move, nothing to tell.
    expect(familyNewsOf([{ type: 'advice_received' }], undefined, null)).toEqual([]);
    expect(familyNewsOf([{ type: 'advice_received' }], 'deciding_whether_to_issue', null)).toEqual([
      { kind: 'advice_in' },
    ]);
  });
});

describe('familyMessage', () => {
  it('states the family’s deadline for comments on the draft (the clock’s 15 days, reg 13(1)(b))', () => {
    const m = familyMessage({ kind: 'draft_served', commentBy: '2025-04-22' as LocalDate }, to);
    expect(m.subject).toBe('The draft plan for Ada’s request is ready to read');
    expect(m.body).toContain('You have until 22 April 2025 to comment on it');
    expect(m.body).toContain(to.link);
    expect(m.sms).toBe(`The draft plan is ready. Comment by 22 April 2025: ${to.link}`);
  });

  it('speaks to a young person about their own request, and says a late step plainly', () => {
    const m = familyMessage(
      { kind: 'late', duty: 'advice:educational_psychology', due: '2025-04-07' as LocalDate },
      { ...to, audience: 'young_person' },
    );
    expect(m.subject).toBe('A step in your request is late');
    expect(m.body).toContain('The educational psychology advice was due by 7 April 2025 and is late (request R-1).');
    expect(m.body).not.toContain('Ada');
  });

  it('sends each piece of news once per person and channel (its dedupe key)', () => {
    const news = { kind: 'late' as const, duty: 'issue_final_plan', due: '2025-06-02' as LocalDate };
    const key = familyMessageKey(news, 'r1', 'u1', 'sms', '2025-06-03' as LocalDate);
    expect(key).toBe(familyMessageKey(news, 'r1', 'u1', 'sms', '2025-06-04' as LocalDate));
    expect(key).not.toBe(familyMessageKey(news, 'r1', 'u1', 'email', '2025-06-03' as LocalDate));
  });
});
