import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { computeClock } from '../statutory/clock.js';
import { familyView, readViews, VIEWS_MAX_LENGTH, type FamilyViewInput } from './familyView.js';

/** A request received on Monday 13 January 2025, decided (assess) 20 February, EP advice asked for 24 February. */
const received = '2025-01-13' as LocalDate;
const clock = (asOf: LocalDate) =>
  computeClock(
    [
      { type: 'request_received', date: received },
      { type: 'assessment_decision', date: '2025-02-20' as LocalDate, outcome: 'assess' },
      {
        type: 'advice_requested',
        date: '2025-02-24' as LocalDate,
        adviceId: 'a1',
        adviceType: 'educational_psychology',
      },
    ],
    asOf,
  );

function input(asOf: LocalDate, more: Partial<FamilyViewInput> = {}): FamilyViewInput {
  const result = clock(asOf);
  return {
    audience: 'parent',
    givenName: 'Ada',
    reference: 'R-1',
    stage: 'gathering_advice',
    open: true,
    duties: result.deadlines,
    draftCommentWindowEnds: result.measures.draftCommentWindowEnds,
    adviceTypes: { a1: 'educational_psychology' },
    caseworker: { name: 'Cas Worker', email: 'cas@example.org' },
    events: [
      { id: 3, type: 'draft_plan_saved', occurredOn: '2025-03-01', data: {} },
      { id: 2, type: 'assessment_decision', occurredOn: '2025-02-20', data: { outcome: 'assess' } },
      { id: 1, type: 'request_received', occurredOn: '2025-01-13', data: {} },
    ],
    draftServed: false,
    finalIssued: false,
    ...more,
  };
}

const said = (s: { before: string; date: { text: string }; after: string }) => `${s.before} ${s.date.text}${s.after}`;

describe('familyView: a family’s page from the statutory clock', () => {
  it('says what happens next and by when, each date the clock’s due date (reg 8(1): 6 weeks; reg 13(2): 20 weeks)', () => {
    const view = familyView(input('2025-04-01' as LocalDate), '2025-04-01' as LocalDate);
    expect(view.late).toEqual([]);
    expect(view.next.map(said)).toEqual([
      // Advice asked for on 24 February 2025: 6 weeks later (SEND Regulations 2014 reg 8(1)).
      'The educational psychology advice about your child is due by 7 April 2025.',
      // 16 weeks from 13 January 2025 (reg 10(1)).
      'If the council decides not to issue an EHC plan, it must tell you by 5 May 2025.',
      // 20 weeks from 13 January 2025 (reg 13(2)).
      'The final plan must be issued by 2 June 2025.',
    ]);
    expect(view.next.map((s) => s.date.iso)).toEqual(['2025-04-07', '2025-05-05', '2025-06-02']);
    expect(view.title).toBe('Ada’s request');
    expect(view.now).toContain('asking professionals for advice about your child');
  });

  it('says a late step is late, with the date it was due, and nothing of it under "next"', () => {
    const view = familyView(input('2025-04-08' as LocalDate), '2025-04-08' as LocalDate);
    expect(view.late.map(said)).toEqual([
      'This is late: the educational psychology advice about your child was due by 7 April 2025.',
    ]);
    expect(view.next.map((s) => s.date.duty)).toEqual(['notify_decision_not_to_issue', 'issue_final_plan']);
    expect(view.lateWarning).toBe('A step is late.');
  });

  it('says a late decision whether to assess honestly (reg 5(1): 6 weeks from the request)', () => {
    const result = computeClock([{ type: 'request_received', date: received }], '2025-03-01' as LocalDate);
    const view = familyView(
      input('2025-03-01' as LocalDate, { duties: result.deadlines, stage: 'deciding_whether_to_assess' }),
      '2025-03-01' as LocalDate,
    );
    expect(view.late.map(said)).toEqual([
      'This is late: the council should have told you by 24 February 2025 whether it will assess your child’s needs.',
    ]);
  });

  it('speaks to a young person about their own request', () => {
    const view = familyView(input('2025-04-01' as LocalDate, { audience: 'young_person' }), '2025-04-01' as LocalDate);
    expect(view.title).toBe('Your request');
    expect(said(view.next[0]!)).toBe('The educational psychology advice about you is due by 7 April 2025.');
    expect(view.now).not.toContain('your child');
    expect(view.timeline.map((t) => t.text)).toContain('The council decided to assess your needs.');
  });

  it('tells the family the timeline in plain words, newest first, without internal steps', () => {
    const view = familyView(input('2025-04-01' as LocalDate), '2025-04-01' as LocalDate);
    expect(view.timeline).toEqual([
      { date: '20 February 2025', text: 'The council decided to assess your child’s needs.' },
      { date: '13 January 2025', text: 'The council received the request for an assessment.' },
    ]);
  });

  it('states the family’s 15 days to comment on a served draft (reg 13(1)(b)), and closes their views', () => {
    const result = computeClock(
      [
        { type: 'request_received', date: received },
        { type: 'assessment_decision', date: '2025-02-20' as LocalDate, outcome: 'assess' },
        { type: 'issue_decision', date: '2025-04-01' as LocalDate, outcome: 'issue' },
        { type: 'draft_served', date: '2025-04-07' as LocalDate, method: 'email' },
      ],
      '2025-04-08' as LocalDate,
    );
    const view = familyView(
      input('2025-04-08' as LocalDate, {
        duties: result.deadlines,
        draftCommentWindowEnds: result.measures.draftCommentWindowEnds,
        stage: 'draft_with_family',
        draftServed: true,
      }),
      '2025-04-08' as LocalDate,
    );
    expect(view.commentBy?.date.iso).toBe(result.measures.draftCommentWindowEnds);
    expect(view.canContribute).toBe(false);
    expect(view.contributeClosedReason).toContain('comment on the draft plan');
  });

  it('once the draft is served, says plainly views can no longer be added here, and what to do instead', () => {
    const before = familyView(input('2025-04-01' as LocalDate), '2025-04-01' as LocalDate).views;
    expect(before).toEqual({
      said: 'You have not given your views yet.',
      link: { text: 'Give your views' },
      closed: null,
    });
    const served = (more: Partial<FamilyViewInput>) =>
      familyView(
        input('2025-04-08' as LocalDate, { stage: 'draft_with_family', draftServed: true, ...more }),
        '2025-04-08' as LocalDate,
      ).views;
    expect(served({})).toEqual({
      said: 'You did not give your views here before the draft plan was sent.',
      link: null,
      closed: {
        reason:
          'Views can no longer be added here, because the draft plan has been sent to you. You can still say what you think:',
        commentOnDraft: true,
        contact: { text: 'Contact your caseworker, Cas Worker', email: 'cas@example.org' },
      },
    });
    const given = served({ viewsGivenOn: '2025-03-02' as LocalDate });
    expect(given.said).toBe('You gave your views on 2 March 2025.');
    expect(given.link).toEqual({ text: 'Read your views' });
    expect(given.closed?.reason).toMatch(/^Your views can no longer be changed here/);
    // With the final plan issued there is no draft to comment on; without a caseworker, the council's SEND team.
    const final = served({ stage: 'final_plan_issued', open: false, finalIssued: true, caseworker: null });
    expect(final.closed?.reason).toMatch(
      /^Views can no longer be added here, because the final plan has been issued\./,
    );
    expect(final.closed?.commentOnDraft).toBe(false);
    expect(final.closed?.contact?.text).toMatch(/^Contact the council’s SEND team/);
  });

  it('says the family sent their comments, and asks for them no more, once they have', () => {
    const served = computeClock(
      [
        { type: 'request_received', date: received },
        { type: 'assessment_decision', date: '2025-02-20' as LocalDate, outcome: 'assess' },
        { type: 'issue_decision', date: '2025-04-01' as LocalDate, outcome: 'issue' },
        { type: 'draft_served', date: '2025-04-07' as LocalDate, method: 'email' },
      ],
      '2025-04-10' as LocalDate,
    );
    const base = input('2025-04-10' as LocalDate, {
      duties: served.deadlines,
      draftCommentWindowEnds: served.measures.draftCommentWindowEnds,
      stage: 'draft_with_family',
      draftServed: true,
    });
    const events = [
      { id: 5, type: 'family_representations', occurredOn: '2025-04-09', data: {} },
      { id: 4, type: 'draft_served', occurredOn: '2025-04-07', data: {} },
      ...base.events,
    ];
    const view = familyView({ ...base, events }, '2025-04-10' as LocalDate);
    expect(view.commentBy).toBeNull();
    expect(view.commentsSent).toBe('You sent your comments on the draft plan on 9 April 2025.');
    // Comments on an earlier draft are not comments on a new one.
    const newDraft = [{ id: 6, type: 'draft_served', occurredOn: '2025-04-10', data: {} }, ...events];
    const again = familyView({ ...base, events: newDraft }, '2025-04-10' as LocalDate);
    expect(again.commentsSent).toBeNull();
    expect(again.commentBy).not.toBeNull();
  });

  it('says the final plan will be late when its 20 weeks end inside the family’s 15 days (reg 13(2), reg 13(1)(a))', () => {
    // Received 13 January 2025: the final plan is due 2 June (20 weeks). A draft served on 28 May by email gives the
    // family until 11 June (15 days beginning with the day served), so the plan cannot be issued before 12 June.
    const late = computeClock(
      [
        { type: 'request_received', date: received },
        { type: 'assessment_decision', date: '2025-02-20' as LocalDate, outcome: 'assess' },
        { type: 'issue_decision', date: '2025-05-20' as LocalDate, outcome: 'issue' },
        { type: 'draft_served', date: '2025-05-28' as LocalDate, method: 'email' },
      ],
      '2025-05-29' as LocalDate,
    );
    const view = familyView(
      input('2025-05-29' as LocalDate, {
        duties: late.deadlines,
        draftCommentWindowEnds: late.measures.draftCommentWindowEnds,
        stage: 'draft_with_family',
        draftServed: true,
      }),
      '2025-05-29' as LocalDate,
    );
    expect(late.measures.draftCommentWindowEnds).toBe('2025-06-11');
    expect(view.finalWillBeLate).toBe(
      'Your 15 days to comment end on 11 June 2025, and the council cannot issue the final plan before then, so it will be issued after the date it was due.',
    );
    // With the draft served in good time, nothing of the kind is said.
    expect(familyView(input('2025-04-01' as LocalDate), '2025-04-01' as LocalDate).finalWillBeLate).toBeNull();
  });

  it('promises nothing on a closed request', () => {
    const view = familyView(
      input('2025-04-08' as LocalDate, { open: false, stage: 'withdrawn' }),
      '2025-04-08' as LocalDate,
    );
    expect(view.next).toEqual([]);
    expect(view.late).toEqual([]);
    expect(view.canContribute).toBe(false);
  });
});

describe('readViews', () => {
  it('keeps what was written, trimmed, and refuses an empty form or an over-long part', () => {
    expect(readViews({ about: '  Loves trains ', hopes: '' }, 'parent')).toEqual({
      content: { about: 'Loves trains' },
      errors: [],
    });
    expect(readViews({}, 'parent').errors).toEqual([
      { field: 'about', text: 'Write something in at least one of the boxes' },
    ]);
    expect(readViews({ hopes: 'x'.repeat(VIEWS_MAX_LENGTH + 1) }, 'young_person').errors).toEqual([
      { field: 'hopes', text: `Your hopes for the future must be ${VIEWS_MAX_LENGTH} characters or fewer` },
    ]);
  });
});
