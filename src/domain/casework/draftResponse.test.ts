import { describe, expect, it } from 'vitest';
import { followUps, responseToLatestDraft, type SentResponse } from './draftResponse.js';

const served = (on: string) => ({ type: 'draft_served', occurredOn: on, data: { method: 'email' } });
const online = (on: string, data: Record<string, unknown> = {}) => ({
  type: 'family_representations',
  occurredOn: on,
  data: {
    source: 'family_online',
    representations: 'text',
    sections: { B: 'Maths too', F: 'Every day, please' },
    preferredSetting: 'Hill Primary',
    settingUrn: '117000',
    meetingRequested: true,
    meetingTopics: 'The help in section F',
    late: false,
    ...data,
  },
});

describe('the family’s response to the latest draft, as they sent it online', () => {
  it('is read from their event after the draft served last, sections in the plan’s order', () => {
    expect(responseToLatestDraft([served('2025-03-28'), online('2025-04-01')])).toEqual({
      sentOn: '2025-04-01',
      sections: ['B', 'F'],
      preferredSetting: 'Hill Primary',
      settingUrn: '117000',
      meetingRequested: true,
      meetingTopics: 'The help in section F',
      late: false,
    });
  });

  it('is none before they send it, for a revised draft served since, or when a caseworker typed it in', () => {
    expect(responseToLatestDraft([served('2025-03-28')])).toBeNull();
    expect(responseToLatestDraft([served('2025-03-28'), online('2025-04-01'), served('2025-04-03')])).toBeNull();
    const recorded = { type: 'family_representations', occurredOn: '2025-04-01', data: { representations: 'x' } };
    expect(responseToLatestDraft([served('2025-03-28'), recorded])).toBeNull();
    expect(responseToLatestDraft([online('2025-04-01')])).toBeNull();
  });
});

describe('what a response sent online asks of the caseworker', () => {
  const response = responseToLatestDraft([served('2025-03-28'), online('2025-04-01')]) as SentResponse;

  it('answer the comments, arrange the meeting with its topics (reg 13(1)), consult the school they named (CFA 2014 s.39(2))', () => {
    expect(followUps(response, [])).toEqual([
      { kind: 'answer_comments', sections: ['B', 'F'] },
      { kind: 'arrange_meeting', topics: 'The help in section F' },
      { kind: 'consult_named_setting', name: 'Hill Primary', urn: '117000' },
    ]);
  });

  it('not the school once it is consulted: the same URN, or the same name where a URN is missing', () => {
    const withoutSchool = (c: { settingName: string; settingUrn: string | null }[]) =>
      followUps(response, c).some((f) => f.kind === 'consult_named_setting');
    expect(withoutSchool([{ settingName: 'Hill Primary School', settingUrn: '117000' }])).toBe(false);
    expect(withoutSchool([{ settingName: '  hill   primary ', settingUrn: null }])).toBe(false);
    // Another school of the same name is not the one they named.
    expect(withoutSchool([{ settingName: 'Hill Primary', settingUrn: '100001' }])).toBe(true);
    expect(withoutSchool([{ settingName: 'Dale School', settingUrn: null }])).toBe(true);
  });

  it('nothing to follow up without a response, or without comments, a meeting or a school in it', () => {
    expect(followUps(null, [])).toEqual([]);
    const bare = responseToLatestDraft([
      served('2025-03-28'),
      online('2025-04-01', { sections: {}, preferredSetting: '', settingUrn: '', meetingRequested: false }),
    ]);
    expect(followUps(bare, [])).toEqual([]);
  });
});
