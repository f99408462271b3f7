import { describe, expect, it } from 'vitest';
import { actionName, whatToDoNext, type DoneSoFar, type StepDuty } from './nextStep.js';

const nothingDone: DoneSoFar = {
  adviceRequested: false,
  draftWritten: false,
  draftSent: false,
  settingConsulted: false,
  familyCommented: false,
  commentWindowOpen: false,
};
const duty = (id: string, due: string, status: StepDuty['status'] = 'pending', completed: string | null = null) => ({
  id,
  due,
  status,
  completed,
});
// Request received 13 Jan 2025: decision due 24 Feb (reg 5(1)), "no plan" 5 May (reg 10(1)), final plan 2 Jun (reg 13(2)).
const assessment = [
  duty('decide_whether_to_assess', '2025-02-24', 'met', '2025-02-20'),
  duty('notify_decision_not_to_issue', '2025-05-05'),
  duty('issue_final_plan', '2025-06-02'),
];

describe('what to do next on a request', () => {
  it('deciding whether to assess: the decision, against the 6-week duty (reg 5(1)), even when overdue', () => {
    const w = whatToDoNext(
      'deciding_whether_to_assess',
      [duty('decide_whether_to_assess', '2025-02-24', 'overdue')],
      [],
      nothingDone,
    );
    expect(w.next).toEqual({
      step: { action: 'assessment_decision' },
      duty: duty('decide_whether_to_assess', '2025-02-24', 'overdue'),
    });
    expect(w.others.map((s) => s.action)).toEqual(['exception', 'withdraw']);
  });

  it('gathering advice: the advice due soonest is recorded first (reg 8(1)); the rest follow requesting more', () => {
    const duties = [...assessment, duty('advice:ep', '2025-04-04'), duty('advice:health', '2025-03-24', 'overdue')];
    const advice = [
      { id: 'ep', receivedDate: null },
      { id: 'health', receivedDate: null },
    ];
    const w = whatToDoNext('gathering_advice', duties, advice, { ...nothingDone, adviceRequested: true });
    expect(w.next).toEqual({
      step: { action: 'advice_received', adviceId: 'health' },
      duty: duty('advice:health', '2025-03-24', 'overdue'),
    });
    expect(w.others).toEqual([
      { action: 'request_advice' },
      { action: 'advice_received', adviceId: 'ep' },
      { action: 'issue_decision' },
      { action: 'exception' },
      { action: 'withdraw' },
    ]);
  });

  it('gathering advice with none asked for: ask for it, against the 20-week duty; with all in: the issue decision', () => {
    expect(whatToDoNext('gathering_advice', assessment, [], nothingDone).next).toEqual({
      step: { action: 'request_advice' },
      duty: duty('issue_final_plan', '2025-06-02'),
    });
    const allIn = whatToDoNext('gathering_advice', assessment, [{ id: 'ep', receivedDate: '2025-03-01' }], {
      ...nothingDone,
      adviceRequested: true,
    });
    expect(allIn.next).toEqual({
      step: { action: 'issue_decision' },
      duty: duty('notify_decision_not_to_issue', '2025-05-05'),
    });
  });

  it('drafting: write the draft first, then send it, both against the 20-week duty (reg 13(2))', () => {
    const drafting = assessment.filter((d) => d.id !== 'notify_decision_not_to_issue');
    expect(whatToDoNext('drafting_plan', drafting, [], nothingDone).next?.step).toEqual({ action: 'write_draft' });
    const written = whatToDoNext('drafting_plan', drafting, [], { ...nothingDone, draftWritten: true });
    expect(written.next).toEqual({ step: { action: 'draft_served' }, duty: duty('issue_final_plan', '2025-06-02') });
    expect(written.others.map((s) => s.action)).toEqual(['write_draft', 'consult_setting', 'exception', 'withdraw']);
  });

  it('with the draft: the family’s comments first while their 15 days run (reg 13(1)(a)), then the final plan', () => {
    const duties = [duty('issue_final_plan', '2025-06-02', 'overdue')];
    const open = { ...nothingDone, draftWritten: true, draftSent: true, commentWindowOpen: true };
    expect(whatToDoNext('draft_with_family', duties, [], open).next).toEqual({
      step: { action: 'family_representations' },
      duty: duties[0],
    });
    expect(whatToDoNext('draft_with_family', duties, [], { ...open, familyCommented: true }).next?.step).toEqual({
      action: 'final_plan_issued',
    });
    expect(whatToDoNext('draft_with_family', duties, [], { ...open, commentWindowOpen: false }).next?.step).toEqual({
      action: 'final_plan_issued',
    });
  });

  it('draft with the family: the school they named is consulted before the final plan names one (CFA 2014 s.39(2))', () => {
    const duties = [duty('issue_final_plan', '2025-06-02')];
    const commented = { ...nothingDone, draftWritten: true, draftSent: true, familyCommented: true };
    const w = whatToDoNext('draft_with_family', duties, [], { ...commented, namedSettingToConsult: true });
    expect(w.next).toEqual({ step: { action: 'consult_setting' }, duty: duties[0] });
    expect(w.others.map((s) => s.action)).toContain('final_plan_issued');
    expect(whatToDoNext('draft_with_family', duties, [], commented).next?.step).toEqual({
      action: 'final_plan_issued',
    });
  });

  it('a duty already done is not given as the deadline of the next step', () => {
    const met = [duty('issue_final_plan', '2025-06-02', 'met', '2025-05-01')];
    expect(whatToDoNext('draft_with_family', met, [], nothingDone).next?.duty).toBeNull();
  });

  it('a closed request has nothing to do', () => {
    for (const stage of ['final_plan_issued', 'not_assessed', 'not_issued', 'withdrawn']) {
      expect(whatToDoNext(stage, assessment, [], nothingDone)).toEqual({ next: null, others: [] });
    }
  });

  it('names an action done already for doing it again', () => {
    expect(actionName('request_advice', nothingDone)).toBe('Request advice');
    expect(actionName('request_advice', { ...nothingDone, adviceRequested: true })).toBe('Request more advice');
    expect(actionName('write_draft', { ...nothingDone, draftWritten: true })).toBe('Change the draft plan');
    expect(actionName('draft_served', { ...nothingDone, draftSent: true })).toBe(
      'Record sending a revised draft plan to the family',
    );
    expect(actionName('issue_decision', { ...nothingDone, adviceRequested: true })).toBe(
      'Record the decision on whether to issue a plan',
    );
  });
});
