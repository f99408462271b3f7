/**
 * The family's comments beside each section of the plan editor: from their latest response sent online. The case's
 * events come newest first (data/repositories/cases.ts: by date, then by the order recorded).
 */
import { describe, expect, it } from 'vitest';
import { familyCommentsBySection } from './caseFacts.js';

const online = (on: string, sections: Record<string, string>) => ({
  type: 'family_representations',
  occurredOn: on,
  data: { source: 'family_online', representations: 'x', sections },
  actorName: 'Parent',
});

describe('the family’s comments beside each section', () => {
  it('are from their latest response when they sent two (newest first), not their first', () => {
    const events = [
      online('2025-04-09', { B: 'Second: maths as well' }),
      { type: 'draft_served', occurredOn: '2025-04-07', data: {}, actorName: 'Caseworker' },
      online('2025-04-01', { B: 'First: reading', F: 'First: every day' }),
    ];
    expect(familyCommentsBySection(events)).toEqual({
      B: { text: 'Second: maths as well', receivedOn: '2025-04-09' },
    });
  });

  it('are from their latest response sent on the same day as an earlier one (the later recorded comes first)', () => {
    const events = [online('2025-04-01', { B: 'Later' }), online('2025-04-01', { B: 'Earlier' })];
    expect(familyCommentsBySection(events).B?.text).toBe('Later');
  });
});
