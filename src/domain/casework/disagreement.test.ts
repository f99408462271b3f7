import { describe, expect, it } from 'vitest';
import { localDate, type LocalDate } from '../dates/localDate.js';
import { englandAndWales } from '../dates/workingDays.js';
import {
  applyDisagreementStep,
  checkDisagreementStep,
  disagreementClosed,
  disagreementDuties,
  disagreementNextDeadline,
  disagreementNextStep,
  familyDeadlines,
  newDisagreement,
  openDisagreementSteps,
  type DisagreementAbout,
  type DisagreementRecord,
  type DisagreementStepInput,
} from './disagreement.js';

const d = localDate;
/** The record after each step, each checked first (no refusal expected). */
function after(r: DisagreementRecord, today: LocalDate, ...steps: DisagreementStepInput[]) {
  for (const s of steps) {
    expect(checkDisagreementStep(r, s, today)).toEqual([]);
    r = applyDisagreementStep(r, s);
  }
  return r;
}
const due = (r: DisagreementRecord, today: string) =>
  Object.fromEntries(disagreementDuties(r, d(today), englandAndWales).map((x) => [x.id, [x.due, x.status]]));

// A decision letter of Wed 1 Oct 2025 (statutory-timescales.md example E).
const start = newDisagreement('plan_content', d('2025-10-01'));

describe('mediation (statutory-timescales.md rows 20-23)', () => {
  it('takes place within 30 days of the council being told (row 22, P2): told Fri 10 Oct 2025, by Sun 9 Nov', () => {
    const r = after(start, d('2025-10-20'), { step: 'mediation', mediationToldDate: d('2025-10-10') });
    expect(due(r, '2025-10-20')).toEqual({ hold_mediation: ['2025-11-09', 'pending'] });
    expect(due(r, '2025-11-10')).toEqual({ hold_mediation: ['2025-11-09', 'overdue'] });
    expect(disagreementNextStep(r, disagreementDuties(r, d('2025-11-10')), d('2025-12-01'))).toMatchObject({
      step: 'mediated',
      due: '2025-11-09',
      overdue: true,
    });
  });

  it('the certificate within 3 working days of the mediation (regs 34-39, P6); an agreement done within 2 weeks (reg 42)', () => {
    // Held Thu 6 Nov 2025: the certificate by Tue 11 Nov (Fri 7, Mon 10, Tue 11); the agreement by Thu 20 Nov.
    const r = after(
      start,
      d('2025-11-07'),
      { step: 'mediation', mediationToldDate: d('2025-10-10') },
      {
        step: 'mediated',
        mediationHeldDate: d('2025-11-06'),
        agreement: true,
        agreementActions: 'Speech therapy',
        agreementKind: 'other',
      },
    );
    expect(due(r, '2025-11-07')).toEqual({
      hold_mediation: ['2025-11-09', 'met'],
      issue_mediation_certificate: ['2025-11-11', 'pending'],
      carry_out_mediation_agreement: ['2025-11-20', 'pending'],
    });
    // P6's own example: mediation ended Wed 24 Dec 2025, the 3rd working day after is Wed 31 Dec 2025.
    const christmas = after(
      start,
      d('2025-12-29'),
      { step: 'mediation', mediationToldDate: d('2025-12-01') },
      {
        step: 'mediated',
        mediationHeldDate: d('2025-12-24'),
        agreement: false,
        agreementActions: null,
        agreementKind: null,
      },
    );
    expect(due(christmas, '2025-12-29').issue_mediation_certificate).toEqual(['2025-12-31', 'pending']);
  });

  it('the family’s dates: the adviser by Mon 1 Dec 2025 (reg 33); appeal by the later of 2 months and the certificate + 1 month', () => {
    expect(familyDeadlines(start, englandAndWales)).toMatchObject({
      mediationContactBy: '2025-12-01',
      appealBy: { date: '2025-12-01', from: 'decision' },
    });
    // Certificate Mon 10 Nov 2025: 10 Dec 2025 is later than 1 Dec 2025.
    const r = after(
      start,
      d('2025-11-10'),
      { step: 'mediation', mediationToldDate: d('2025-10-10') },
      {
        step: 'mediated',
        mediationHeldDate: d('2025-11-06'),
        agreement: false,
        agreementActions: null,
        agreementKind: null,
      },
      { step: 'certificate', certificateDate: d('2025-11-10') },
    );
    expect(familyDeadlines(r, englandAndWales).appealBy).toMatchObject({ date: '2025-12-10', from: 'certificate' });
    expect(disagreementNextStep(r, disagreementDuties(r, d('2025-11-20')), d('2025-12-10'))).toMatchObject({
      step: 'appeal',
      text: 'Wait for the family’s decision: they may appeal until 10 December 2025',
    });
    expect(disagreementNextDeadline(r, disagreementDuties(r, d('2025-11-20')), d('2025-12-10'))).toEqual({
      duty: 'appeal_window',
      due: '2025-12-10',
    });
  });
});

describe('the Tribunal’s order (reg 44(2)) and an unopposed appeal (reg 45), from Mon 2 Mar 2026', () => {
  const appealed = after(start, d('2025-12-05'), { step: 'appeal', appealDate: d('2025-12-05') });
  /** An appeal against another kind of decision, made on 5 December 2025. */
  const appealedAgainst = (about: DisagreementAbout) =>
    after(newDisagreement(about, d('2025-10-01')), d('2025-12-05'), { step: 'appeal', appealDate: d('2025-12-05') });

  it('amend B and F: 5 weeks, by Mon 6 Apr 2026; met when the amended plan is issued by then', () => {
    const r = after(appealed, d('2026-03-02'), {
      step: 'outcome',
      outcome: 'order',
      outcomeDate: d('2026-03-02'),
      order: 'amend_b_f',
    });
    expect(due(r, '2026-03-10')).toEqual({ 'tribunal:amend_b_f': ['2026-04-06', 'pending'] });
    const done = after(r, d('2026-04-06'), { step: 'complied', orderStep: 'amend_b_f', compliedDate: d('2026-04-06') });
    expect(due(done, '2026-04-10')).toEqual({ 'tribunal:amend_b_f': ['2026-04-06', 'met'] });
    expect(disagreementClosed(done)).toBe(true);
    expect(openDisagreementSteps(done)).toEqual([]);
  });

  it('make and maintain: draft in 5 weeks (Mon 6 Apr), final in 11 (Mon 18 May); a late final is missed', () => {
    const r = after(
      appealedAgainst('not_issue'),
      d('2026-05-20'),
      { step: 'outcome', outcome: 'unopposed', outcomeDate: d('2026-03-02'), order: 'make_and_maintain' },
      { step: 'complied', orderStep: 'make_and_maintain_draft', compliedDate: d('2026-04-01') },
      { step: 'complied', orderStep: 'make_and_maintain_final', compliedDate: d('2026-05-20') },
    );
    const duties = disagreementDuties(r, d('2026-05-20'));
    expect(duties.map((x) => [x.id, x.due, x.status, x.basis])).toEqual([
      ['tribunal:make_and_maintain_draft', '2026-04-06', 'met', 'SEND Regulations 2014 reg 45'],
      ['tribunal:make_and_maintain_final', '2026-05-18', 'missed', 'SEND Regulations 2014 reg 45'],
    ]);
  });

  it('assess: notify in 2 weeks (Mon 16 Mar); then "no plan" in 10 (Mon 11 May) or the final plan in 14 (Mon 8 Jun)', () => {
    const r = after(
      appealedAgainst('not_assess'),
      d('2026-03-10'),
      { step: 'outcome', outcome: 'order', outcomeDate: d('2026-03-02'), order: 'assess' },
      { step: 'complied', orderStep: 'assess_notify', compliedDate: d('2026-03-10') },
    );
    expect(due(r, '2026-03-10')).toEqual({
      'tribunal:assess_notify': ['2026-03-16', 'met'],
      'tribunal:assess_no_plan': ['2026-05-11', 'pending'],
      'tribunal:assess_final': ['2026-06-08', 'pending'],
    });
    // A plan issued: the "no plan" step is not owed, and the order is complied with.
    const issued = after(r, d('2026-06-01'), {
      step: 'complied',
      orderStep: 'assess_final',
      compliedDate: d('2026-06-01'),
    });
    expect(due(issued, '2026-06-01')).toEqual({
      'tribunal:assess_notify': ['2026-03-16', 'met'],
      'tribunal:assess_final': ['2026-06-08', 'met'],
    });
    expect(disagreementClosed(issued)).toBe(true);
  });

  it('a dismissed appeal closes the disagreement with nothing owed', () => {
    const r = after(appealed, d('2026-03-02'), {
      step: 'outcome',
      outcome: 'dismissed',
      outcomeDate: d('2026-03-02'),
      order: null,
    });
    expect(disagreementClosed(r)).toBe(true);
    expect(disagreementDuties(r, d('2026-03-02'))).toEqual([]);
  });
});

describe('refusals', () => {
  it('refuses dates in the future, before what they follow, steps out of order, and an order without its kind', () => {
    const today = d('2025-11-01');
    expect(checkDisagreementStep(start, { step: 'mediation', mediationToldDate: d('2025-11-02') }, today)).toEqual([
      { field: 'mediationToldDate', text: 'The date the council was told must be today or in the past' },
    ]);
    expect(checkDisagreementStep(start, { step: 'mediation', mediationToldDate: d('2025-09-30') }, today)).toEqual([
      {
        field: 'mediationToldDate',
        text: 'The date the council was told must be on or after the decision letter (1 October 2025)',
      },
    ]);
    const told = applyDisagreementStep(start, { step: 'mediation', mediationToldDate: d('2025-10-10') });
    expect(checkDisagreementStep(told, { step: 'certificate', certificateDate: d('2025-10-20') }, today)[0]?.text).toBe(
      'Record that mediation took place before its certificate',
    );
    const appealed = applyDisagreementStep(start, { step: 'appeal', appealDate: d('2025-10-20') });
    expect(
      checkDisagreementStep(
        appealed,
        { step: 'outcome', outcome: 'order', outcomeDate: d('2025-10-25'), order: null },
        today,
      ),
    ).toEqual([{ field: 'order', text: 'Select what the council must do' }]);
    expect(checkDisagreementStep(appealed, { step: 'close', closedDate: d('2025-10-25') }, today)[0]?.text).toBe(
      'This disagreement cannot be closed now: an appeal has been made',
    );
    const ordered = applyDisagreementStep(appealed, {
      step: 'outcome',
      outcome: 'order',
      outcomeDate: d('2025-10-25'),
      order: 'section_i',
    });
    expect(
      checkDisagreementStep(
        ordered,
        { step: 'complied', orderStep: 'amend_b_f', compliedDate: d('2025-10-26') },
        today,
      ),
    ).toEqual([{ field: 'orderStep', text: 'Select a step the order asks for that is not done yet' }]);
  });

  it('asks what was agreed when mediation reached an agreement', () => {
    const told = applyDisagreementStep(start, { step: 'mediation', mediationToldDate: d('2025-10-10') });
    expect(
      checkDisagreementStep(
        told,
        {
          step: 'mediated',
          mediationHeldDate: d('2025-10-20'),
          agreement: true,
          agreementActions: ' ',
          agreementKind: null,
        },
        d('2025-11-01'),
      ),
    ).toEqual([
      { field: 'agreementActions', text: 'Enter what the council agreed to do' },
      { field: 'agreementKind', text: 'Select what the agreement is about' },
    ]);
  });

  it('refuses an appeal while mediation has no certificate, and a later ordered step before the one it follows', () => {
    const told = applyDisagreementStep(start, { step: 'mediation', mediationToldDate: d('2025-10-10') });
    expect(checkDisagreementStep(told, { step: 'appeal', appealDate: d('2025-10-20') }, d('2025-11-01'))).toEqual([
      { field: 'appealDate', text: 'Record the mediation and its certificate first: an appeal needs the certificate' },
    ]);
    const ordered = after(
      newDisagreement('not_issue', d('2025-10-01')),
      d('2026-03-10'),
      { step: 'appeal', appealDate: d('2025-12-05') },
      { step: 'outcome', outcome: 'order', outcomeDate: d('2026-03-02'), order: 'make_and_maintain' },
    );
    expect(
      checkDisagreementStep(
        ordered,
        { step: 'complied', orderStep: 'make_and_maintain_final', compliedDate: d('2026-03-05') },
        d('2026-03-10'),
      ),
    ).toEqual([{ field: 'orderStep', text: 'Record “Send the draft plan” first' }]);
  });

  it('offers only the orders the Tribunal can make on an appeal about that decision (s.51(2), reg 44(2))', () => {
    const cease = after(newDisagreement('cease', d('2025-10-01')), d('2025-12-05'), {
      step: 'appeal',
      appealDate: d('2025-12-05'),
    });
    expect(
      checkDisagreementStep(
        cease,
        { step: 'outcome', outcome: 'order', outcomeDate: d('2026-03-02'), order: 'section_i' },
        d('2026-03-02'),
      ),
    ).toEqual([
      {
        field: 'order',
        text: 'On an appeal against the decision to cease the plan, the council can only be asked to continue to maintain the plan',
      },
    ]);
    // Keeping the plan takes effect at once: nothing is owed later, and the disagreement is closed.
    const kept = after(cease, d('2026-03-02'), {
      step: 'outcome',
      outcome: 'order',
      outcomeDate: d('2026-03-02'),
      order: 'maintain',
    });
    expect(disagreementDuties(kept, d('2026-03-02'))).toEqual([]);
    expect(disagreementClosed(kept)).toBe(true);
    expect(
      checkDisagreementStep(
        applyDisagreementStep(start, { step: 'appeal', appealDate: d('2025-12-05') }),
        { step: 'outcome', outcome: 'dismissed', outcomeDate: d('2026-03-02'), order: 'amend_b_f' },
        d('2026-03-02'),
      ),
    ).toEqual([
      { field: 'order', text: 'Leave “What must the council do?” empty when the appeal was dismissed or withdrawn' },
    ]);
  });
});

describe('what was agreed at mediation (reg 42)', () => {
  const told = { step: 'mediation', mediationToldDate: d('2025-10-10') } as const;
  it('is due in the time the Tribunal would have given for it: amending B and F, 5 weeks from Thu 6 Nov 2025 (Thu 11 Dec)', () => {
    const r = after(start, d('2025-11-07'), told, {
      step: 'mediated',
      mediationHeldDate: d('2025-11-06'),
      agreement: true,
      agreementActions: 'Add speech and language therapy to section F',
      agreementKind: 'amend_b_f',
    });
    expect(due(r, '2025-11-07').carry_out_mediation_agreement).toEqual(['2025-12-11', 'pending']);
    // The certificate (Tue 11 Nov) is due before the agreement: it is what to do next.
    expect(disagreementNextStep(r, disagreementDuties(r, d('2025-11-07')), d('2025-12-06'))).toMatchObject({
      step: 'certificate',
      due: '2025-11-11',
    });
  });

  it('keeps the disagreement open after the Tribunal’s decision until what was agreed is done', () => {
    const r = after(
      start,
      d('2026-03-02'),
      told,
      {
        step: 'mediated',
        mediationHeldDate: d('2025-11-06'),
        agreement: true,
        agreementActions: 'A meeting with the school',
        agreementKind: 'other',
      },
      { step: 'certificate', certificateDate: d('2025-11-10') },
      { step: 'appeal', appealDate: d('2025-12-05') },
      { step: 'outcome', outcome: 'dismissed', outcomeDate: d('2026-03-02'), order: null },
    );
    expect(disagreementClosed(r)).toBe(false);
    expect(openDisagreementSteps(r)).toEqual(['agreement_done']);
    const done = after(r, d('2026-03-03'), { step: 'agreement_done', agreementDoneDate: d('2026-03-03') });
    expect(disagreementClosed(done)).toBe(true);
  });
});
