import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDayNumber, localDate, toDayNumber, type LocalDate } from '../dates/localDate.js';
import { computeClock, dutyStatus, type Duty } from './clock.js';
import { parseEvents, type ProcessEvent } from './events.js';

const d = localDate;
const clock = (events: unknown[], asOf = '2026-12-31') => computeClock(parseEvents(events), d(asOf));
const duty = (duties: Duty[], id: string) => {
  const found = duties.find((x) => x.id === id);
  if (!found) throw new Error(`no duty ${id} in ${duties.map((x) => x.id).join(', ')}`);
  return found;
};
const due = (events: unknown[], id: string) => duty(clock(events).deadlines, id).due;

describe('the contract example (contracts/cli.md)', () => {
  it('gives the four duties, their dates, statuses and bases, in due-date order', () => {
    const result = clock(
      [
        { type: 'request_received', date: '2025-01-13' },
        { type: 'assessment_decision', date: '2025-02-20', outcome: 'assess' },
        { type: 'advice_requested', date: '2025-01-27', adviceId: 'ep', adviceType: 'educational_psychology' },
        { type: 'advice_received', date: '2025-03-05', adviceId: 'ep' },
      ],
      '2025-03-01',
    );
    expect(result.deadlines).toEqual([
      {
        id: 'decide_whether_to_assess',
        due: '2025-02-24',
        completed: '2025-02-20',
        status: 'met',
        basis: 'SEND Regulations 2014 reg 5(1)',
      },
      {
        id: 'advice:ep',
        due: '2025-03-10',
        completed: '2025-03-05',
        status: 'met',
        basis: 'SEND Regulations 2014 reg 8(1)',
      },
      {
        id: 'notify_decision_not_to_issue',
        due: '2025-05-05',
        completed: null,
        status: 'pending',
        basis: 'SEND Regulations 2014 reg 10(1)',
      },
      {
        id: 'issue_final_plan',
        due: '2025-06-02',
        completed: null,
        status: 'pending',
        basis: 'SEND Regulations 2014 reg 13(2)',
      },
    ]);
    expect(result.measures).toEqual({
      finalPlanWithin20Weeks: null,
      daysToFinalPlan: null,
      exceptionApplies: false,
      draftCommentWindowEnds: null,
    });
    expect(result.ended).toEqual([]);
  });
});

describe('example A: request received Mon 13 Jan 2025 (P1, P9)', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  it('reg 5(1): decision whether to assess due Mon 24 Feb 2025 (6 weeks)', () => {
    expect(due([request], 'decide_whether_to_assess')).toBe('2025-02-24');
  });
  it('reg 8(1): educational psychology advice requested Mon 27 Jan due Mon 10 Mar', () => {
    expect(due([request, { type: 'advice_requested', date: '2025-01-27', adviceId: 'ep' }], 'advice:ep')).toBe(
      '2025-03-10',
    );
  });
  it('reg 10(1), P9: "no plan" due Mon 5 May 2025, a bank holiday, and it stays there', () => {
    expect(due([request], 'notify_decision_not_to_issue')).toBe('2025-05-05');
  });
  it('reg 13(2): final plan due Mon 2 Jun 2025 (20 weeks)', () => {
    expect(due([request], 'issue_final_plan')).toBe('2025-06-02');
  });
});

describe('which assessment duties are listed (reg 10, reg 13)', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  it('a decision not to assess completes the decision duty and ends the others', () => {
    const ids = clock([
      request,
      { type: 'assessment_decision', date: '2025-02-10', outcome: 'not_assess' },
    ]).deadlines.map((x) => x.id);
    expect(ids).toEqual(['decide_whether_to_assess']);
  });
  it('a decision to issue removes the "no plan" duty', () => {
    const ids = clock([request, { type: 'issue_decision', date: '2025-04-01', outcome: 'issue' }]).deadlines.map(
      (x) => x.id,
    );
    expect(ids).toEqual(['decide_whether_to_assess', 'issue_final_plan']);
  });
  it('a decision not to issue completes the "no plan" duty and removes the final plan duty', () => {
    const result = clock([request, { type: 'issue_decision', date: '2025-05-06', outcome: 'not_issue' }]);
    expect(result.deadlines.map((x) => x.id)).toEqual(['decide_whether_to_assess', 'notify_decision_not_to_issue']);
    expect(duty(result.deadlines, 'notify_decision_not_to_issue')).toMatchObject({
      completed: '2025-05-06',
      status: 'missed',
    });
  });
});

describe('status as of a date', () => {
  it('is pending up to and including the due date, overdue the day after', () => {
    expect(dutyStatus(d('2025-06-02'), null, d('2025-06-02'))).toBe('pending');
    expect(dutyStatus(d('2025-06-02'), null, d('2025-06-03'))).toBe('overdue');
  });
  it('is met when done on the due date and missed when done the day after', () => {
    expect(dutyStatus(d('2025-06-02'), d('2025-06-02'), d('2025-01-01'))).toBe('met');
    expect(dutyStatus(d('2025-06-02'), d('2025-06-03'), d('2025-01-01'))).toBe('missed');
  });
});

describe('P12: the DfE 20-week measure', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  it('counts a plan issued on day 140 as within 20 weeks, and on day 141 as not', () => {
    const on = clock([request, { type: 'final_plan_issued', date: '2025-06-02' }]);
    expect(on.measures).toMatchObject({ finalPlanWithin20Weeks: true, daysToFinalPlan: 140 });
    expect(duty(on.deadlines, 'issue_final_plan').status).toBe('met');
    const late = clock([request, { type: 'final_plan_issued', date: '2025-06-03' }]);
    expect(late.measures).toMatchObject({ finalPlanWithin20Weeks: false, daysToFinalPlan: 141 });
    expect(duty(late.deadlines, 'issue_final_plan').status).toBe('missed');
  });
  it('P11: an exception flags the case and never moves a due date', () => {
    const without = clock([request]);
    const withException = clock([request, { type: 'exception', date: '2025-03-01', reason: 'reg10_4_c' }]);
    expect(withException.measures.exceptionApplies).toBe(true);
    expect(withException.deadlines.map((x) => x.due)).toEqual(without.deadlines.map((x) => x.due));
  });
});

describe('P11: exceptions by the duty they apply to (SEND Regulations 2014 regs 5(4), 8(2), 10(4), 13(3), 27(3))', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  const asked = { type: 'advice_requested', date: '2025-01-27', adviceId: 'ep' };
  const exception = (reason: string, duty?: string) => ({ type: 'exception', date: '2025-02-03', reason, duty });
  const without = clock([request, asked]);

  it.each([
    ['reg 5(4)(b) to the decision whether to assess', exception('reg5_4_b'), ['decide_whether_to_assess']],
    ['reg 8(2)(c) to the educational psychologist’s advice', exception('reg8_2_c', 'advice:ep'), ['advice:ep']],
  ])('%s: listed on that duty, no date moves, and the 20-week flag stays off', (_name, e, flagged) => {
    const result = clock([request, asked, e]);
    expect(result.measures.exceptionApplies).toBe(false);
    expect(result.deadlines.map((x) => x.due)).toEqual(without.deadlines.map((x) => x.due));
    expect(result.deadlines.filter((x) => x.exceptions).map((x) => x.id)).toEqual(flagged);
    expect(duty(result.deadlines, flagged[0]!).exceptions).toEqual([e.reason]);
  });

  it('reg 10(4)(a) (implied duty issue_final_plan) covers the 16-week "no plan" limit (reg 10(1)) and, by reg 13(3), the final plan', () => {
    const result = clock([request, asked, exception('reg10_4_a')]);
    expect(result.measures.exceptionApplies).toBe(true);
    expect(result.deadlines.filter((x) => x.exceptions).map((x) => x.id)).toEqual([
      'notify_decision_not_to_issue',
      'issue_final_plan',
    ]);
    expect(result.deadlines.map((x) => x.due)).toEqual(without.deadlines.map((x) => x.due));
  });

  it('the same reason recorded twice is listed once', () => {
    const result = clock([request, exception('reg10_4_c'), { ...exception('reg10_4_c'), date: '2025-03-03' }]);
    expect(duty(result.deadlines, 'issue_final_plan').exceptions).toEqual(['reg10_4_c']);
  });

  it('reg 27(3): an exception to the plan after reassessment (reg 27(2), 14 weeks) does not flag the 20-week measure', () => {
    const result = clock([
      { type: 'reassessment_requested', date: '2026-01-05' },
      { type: 'reassessment_decision', date: '2026-01-15', outcome: 'reassess' },
      { type: 'exception', date: '2026-02-02', reason: 'reg27_3_d' },
    ]);
    expect(result.measures.exceptionApplies).toBe(false);
    expect(duty(result.deadlines, 'issue_reassessed_plan')).toMatchObject({
      due: '2026-04-23',
      exceptions: ['reg27_3_d'],
    });
  });
});

describe('contracts/cli.md: a final plan with no issue_decision recorded (SEN2 returns have none)', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  it('completes the "no plan" duty (reg 10(1)) on the day the plan was issued', () => {
    const result = clock(
      [
        request,
        { type: 'assessment_decision', date: '2025-02-20', outcome: 'assess' },
        { type: 'final_plan_issued', date: '2025-04-28' },
      ],
      '2025-06-30',
    );
    expect(duty(result.deadlines, 'notify_decision_not_to_issue')).toMatchObject({
      due: '2025-05-05',
      completed: '2025-04-28',
      status: 'met',
    });
    expect(result.deadlines.every((x) => x.completed !== null)).toBe(true);
  });
  it('a recorded "issue" decision still removes the "no plan" duty', () => {
    const ids = clock([
      request,
      { type: 'issue_decision', date: '2025-04-01', outcome: 'issue' },
      { type: 'final_plan_issued', date: '2025-04-28' },
    ]).deadlines.map((x) => x.id);
    expect(ids).toEqual(['decide_whether_to_assess', 'issue_final_plan']);
  });
});

describe('contracts/cli.md: request_withdrawn ends every undone duty of the request', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  const events = [
    request,
    { type: 'assessment_decision', date: '2025-02-20', outcome: 'assess' },
    { type: 'advice_requested', date: '2025-01-27', adviceId: 'ep' },
    { type: 'advice_requested', date: '2025-01-27', adviceId: 'health' },
    { type: 'advice_received', date: '2025-03-05', adviceId: 'ep' },
    { type: 'request_withdrawn', date: '2025-03-20' },
  ];
  it('lists only the duties done; none is pending or overdue, long after their due dates', () => {
    const result = clock(events, '2026-01-01');
    expect(result.deadlines.map((x) => [x.id, x.status])).toEqual([
      ['decide_whether_to_assess', 'met'],
      ['advice:ep', 'met'],
    ]);
  });
  it('gives the ended duties apart, with their due dates and the day the request was withdrawn', () => {
    expect(clock(events, '2026-01-01').ended).toEqual([
      { id: 'advice:health', due: '2025-03-10', basis: 'SEND Regulations 2014 reg 8(1)', endedOn: '2025-03-20' },
      {
        id: 'notify_decision_not_to_issue',
        due: '2025-05-05',
        basis: 'SEND Regulations 2014 reg 10(1)',
        endedOn: '2025-03-20',
      },
      { id: 'issue_final_plan', due: '2025-06-02', basis: 'SEND Regulations 2014 reg 13(2)', endedOn: '2025-03-20' },
    ]);
  });
  it('ends nothing while the request stands', () => {
    const result = clock(events.slice(0, -1), '2026-01-01');
    expect(result.ended).toEqual([]);
    expect(duty(result.deadlines, 'issue_final_plan').status).toBe('overdue');
  });
});

describe('example B: the draft plan and the comment window (P3, P4; reg 13(1)(a))', () => {
  const request = { type: 'request_received', date: '2025-01-13' };
  it('posted first class Thu 27 Mar 2025: served Mon 31 Mar, window ends Mon 14 Apr', () => {
    const r = clock([request, { type: 'draft_served', date: '2025-03-27', method: 'first_class_post' }]);
    expect(r.measures.draftCommentWindowEnds).toBe('2025-04-14');
  });
  it('emailed Thu 27 Mar 2025: window ends Thu 10 Apr', () => {
    const r = clock([request, { type: 'draft_served', date: '2025-03-27', method: 'email' }]);
    expect(r.measures.draftCommentWindowEnds).toBe('2025-04-10');
  });
});

describe('example C: annual review under Devon (CFA s.44(1); regs 20-22)', () => {
  const events = [
    { type: 'plan_issued', date: '2025-03-10' },
    { type: 'review_meeting', date: '2025-11-03' },
    { type: 'review_invitations_sent', date: '2025-10-17' },
    { type: 'review_report_sent', date: '2025-11-14' },
    { type: 'review_decision', date: '2025-12-01', outcome: 'amend' },
    { type: 'amendment_notice_sent', date: '2025-12-01' },
  ];
  const r = clock(events, '2025-12-05');
  it('first review by Mon 9 Mar 2026, met by the decision on 1 Dec 2025', () => {
    expect(duty(r.deadlines, 'complete_annual_review')).toMatchObject({
      due: '2026-03-09',
      completed: '2025-12-01',
      status: 'met',
    });
  });
  it('reg 20(3): invitations by Mon 20 Oct; reg 20(7): report by Mon 17 Nov; reg 20(10), Devon: decision by Mon 1 Dec', () => {
    expect(duty(r.deadlines, 'send_review_invitations')).toMatchObject({
      due: '2025-10-20',
      completed: '2025-10-17',
      status: 'met',
    });
    expect(duty(r.deadlines, 'send_review_report')).toMatchObject({ due: '2025-11-17', status: 'met' });
    expect(duty(r.deadlines, 'notify_review_decision')).toMatchObject({ due: '2025-12-01', status: 'met' });
  });
  it('reg 22(3): the amended plan by Mon 26 Jan 2026 (12 weeks from the meeting)', () => {
    expect(duty(r.deadlines, 'issue_amended_plan')).toMatchObject({ due: '2026-01-26', status: 'pending' });
  });
  it('the next review must conclude within the 12 months starting 1 Dec 2025: by 30 Nov 2026', () => {
    expect(duty(r.deadlines, 'complete_annual_review:2')).toMatchObject({ due: '2026-11-30', completed: null });
  });
  it('reg 18, P10: a Year 6 transfer plan must be finalised before 15 Feb 2026', () => {
    const t = clock([...events, { type: 'phase_transfer', date: '2025-09-01', transferYear: 2026, route: 'school' }]);
    expect(duty(t.deadlines, 'finalise_phase_transfer').due).toBe('2026-02-14');
    const p16 = clock([{ type: 'phase_transfer', date: '2025-09-01', transferYear: 2026, route: 'post16' }]);
    expect(duty(p16.deadlines, 'finalise_phase_transfer').due).toBe('2026-03-30');
  });
});

describe('example D: tribunal order dated Wed 10 Sep 2025 (reg 44(2))', () => {
  const order = (o: string) => clock([{ type: 'tribunal_order', date: '2025-09-10', order: o }]).deadlines;
  it('section I only: 24 Sep', () => expect(duty(order('section_i'), 'tribunal:section_i').due).toBe('2025-09-24'));
  it('amend B/F: 15 Oct', () => expect(duty(order('amend_b_f'), 'tribunal:amend_b_f').due).toBe('2025-10-15'));
  it('make and maintain: draft 15 Oct, final 26 Nov', () => {
    const m = order('make_and_maintain');
    expect(duty(m, 'tribunal:make_and_maintain_draft').due).toBe('2025-10-15');
    expect(duty(m, 'tribunal:make_and_maintain_final').due).toBe('2025-11-26');
  });
  it('assess: notify 24 Sep, "no plan" 19 Nov, final 17 Dec', () => {
    const a = order('assess');
    expect(duty(a, 'tribunal:assess_notify').due).toBe('2025-09-24');
    expect(duty(a, 'tribunal:assess_no_plan').due).toBe('2025-11-19');
    expect(duty(a, 'tribunal:assess_final').due).toBe('2025-12-17');
  });
});

describe('example E: mediation certificates (regs 34-39; P6)', () => {
  it('adviser told no mediation is wanted Wed 12 Nov 2025: certificate by Mon 17 Nov', () => {
    expect(due([{ type: 'mediation_ended', date: '2025-11-12' }], 'issue_mediation_certificate')).toBe('2025-11-17');
  });
  it('mediation ends Thu 11 Dec 2025: certificate by Tue 16 Dec', () => {
    expect(due([{ type: 'mediation_ended', date: '2025-12-11' }], 'issue_mediation_certificate')).toBe('2025-12-16');
  });
  it('mediation ends Wed 24 Dec 2025: certificate by Wed 31 Dec (Christmas and Boxing Day are not working days)', () => {
    expect(due([{ type: 'mediation_ended', date: '2025-12-24' }], 'issue_mediation_certificate')).toBe('2025-12-31');
  });
});

describe('example F: transfer between LAs (reg 15(4), 15(5))', () => {
  const events = [{ type: 'transfer_in', date: '2025-09-01', lastReviewOrPlanDate: '2025-03-10' }];
  it('inform the parent by Mon 13 Oct 2025', () =>
    expect(due(events, 'inform_parent_after_transfer')).toBe('2025-10-13'));
  it('review by the later of 9 Mar 2026 and 30 Nov 2025: 9 Mar 2026', () => {
    expect(due(events, 'review_after_transfer')).toBe('2026-03-09');
  });
  it('review by 3 months from the transfer when that is later', () => {
    expect(
      due([{ type: 'transfer_in', date: '2025-09-01', lastReviewOrPlanDate: '2024-10-01' }], 'review_after_transfer'),
    ).toBe('2025-11-30');
  });
});

describe('reassessment (reg 25, reg 27(2))', () => {
  it('P2: request 1 Jul 2025, decision due 16 Jul; decision to reassess 10 Jul, plan due 16 Oct (14 weeks)', () => {
    const r = clock([
      { type: 'reassessment_requested', date: '2025-07-01' },
      { type: 'reassessment_decision', date: '2025-07-10', outcome: 'reassess' },
    ]).deadlines;
    expect(duty(r, 'decide_reassessment')).toMatchObject({ due: '2025-07-16', status: 'met' });
    expect(duty(r, 'issue_reassessed_plan').due).toBe('2025-10-16');
  });
});

describe('leap years', () => {
  it('reg 13(2) across 29 Feb 2024: request Mon 15 Jan 2024, final plan due Mon 3 Jun 2024', () => {
    expect(due([{ type: 'request_received', date: '2024-01-15' }], 'issue_final_plan')).toBe('2024-06-03');
  });
  it('CFA s.44(1): plan issued 29 Feb 2024, first review by 28 Feb 2025', () => {
    expect(due([{ type: 'plan_issued', date: '2024-02-29' }], 'complete_annual_review')).toBe('2025-02-28');
  });
});

describe('invariants (property-based)', () => {
  const day = fc.integer({ min: toDayNumber(d('2019-01-01')), max: toDayNumber(d('2027-06-30')) });
  const offset = fc.integer({ min: 0, max: 400 });
  const arbitraryEvents = fc
    .record({
      start: day,
      decide: offset,
      advice: offset,
      received: offset,
      final: offset,
      meeting: offset,
      ended: offset,
    })
    .map(({ start, decide, advice, received, final, meeting, ended }): ProcessEvent[] => {
      const at = (n: number) => fromDayNumber(start + n);
      return [
        { type: 'request_received', date: at(0) },
        { type: 'assessment_decision', date: at(decide), outcome: 'assess' },
        { type: 'advice_requested', date: at(advice), adviceId: 'ep' },
        { type: 'advice_received', date: at(advice + received), adviceId: 'ep' },
        { type: 'final_plan_issued', date: at(final) },
        { type: 'plan_issued', date: at(final) },
        { type: 'review_meeting', date: at(final + meeting) },
        { type: 'mediation_ended', date: at(ended) },
      ];
    });
  it('never puts a due date before the event that starts the duty, and status agrees with the dates', () => {
    fc.assert(
      fc.property(arbitraryEvents, day, (events, asOfDay) => {
        const asOf = fromDayNumber(asOfDay);
        const { deadlines } = computeClock(events, asOf);
        const start = (type: ProcessEvent['type']) => events.find((e) => e.type === type)!.date;
        const starts: Record<string, LocalDate> = {
          decide_whether_to_assess: start('request_received'),
          issue_final_plan: start('request_received'),
          'advice:ep': start('advice_requested'),
          complete_annual_review: start('plan_issued'),
          send_review_report: start('review_meeting'),
          notify_review_decision: start('review_meeting'),
          issue_mediation_certificate: start('mediation_ended'),
        };
        for (const x of deadlines) {
          if (starts[x.id] && x.due <= starts[x.id]!) return false;
          if (x.completed === null && (x.status === 'met' || x.status === 'missed')) return false;
          if (x.completed !== null && x.status !== (x.completed <= x.due ? 'met' : 'missed')) return false;
        }
        return true;
      }),
    );
  });

  it('reads dates, not the order events arrive in: any shuffle gives the same answer', () => {
    fc.assert(
      fc.property(
        arbitraryEvents.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        day,
        ([events, shuffled], asOfDay) => {
          const asOf = fromDayNumber(asOfDay);
          expect(computeClock(shuffled, asOf)).toEqual(computeClock(events, asOf));
        },
      ),
    );
  });

  it('carries nothing from one case to the next (the clock reuses its working space)', () => {
    fc.assert(
      fc.property(arbitraryEvents, arbitraryEvents, day, (first, second, asOfDay) => {
        const asOf = fromDayNumber(asOfDay);
        const alone = computeClock(second, asOf);
        computeClock(first, asOf);
        expect(computeClock(second, asOf)).toEqual(alone);
        // An earlier answer is not changed by later calls.
        expect(alone).toEqual(computeClock(second, asOf));
      }),
    );
  });
});
