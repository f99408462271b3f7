/**
 * A family's disagreement with a decision, as casework on the clock: mediation, the appeal to the First-tier Tribunal
 * (SEND), and the Tribunal's order or an appeal the council did not oppose, complied with by its dates
 * (shared/reference/statutory-timescales.md rows 20-26 and part 0).
 *
 * - Mediation (regs 32-42): the family tells the council they want mediation; it takes place within 30 days of the
 *   council being told (row 22; P2, calendar days); the certificate follows within 3 working days of it ending (regs
 *   34-39; P6); what the council agreed to do at mediation it does within 2 weeks (reg 42, for what could not be
 *   appealed; W).
 * - Appeal: by the later of 2 months from the decision letter and 1 month from the certificate, moved by the
 *   Tribunal's Christmas and August rule (statutory/appeal.ts).
 * - Order (reg 44(2)) or unopposed appeal (reg 45): each ordered step by its date from the order (or from the day the
 *   council told the Tribunal it would not oppose): section I only 2 weeks; amend B and F 5 weeks; make and maintain
 *   a plan: draft 5 weeks, final 11 weeks; assess: notify 2 weeks, "no plan" 10 weeks or the final plan 14 weeks.
 */
import { addDays, formatLongDate, type LocalDate } from '../dates/localDate.js';
import type { WorkingDayCalendar } from '../dates/workingDays.js';
import { appealBy as appealDeadline, mediationContactBy, type AppealDeadline } from '../statutory/appeal.js';
import { computeClock, dutyStatus, type Duty } from '../statutory/clock.js';
import { TRIBUNAL_ORDERS, type ProcessEvent, type TribunalOrder } from '../statutory/events.js';
import { DAYS_IN_WEEK } from '../statutory/periods.js';

/** The decisions a family may take to mediation and appeal (CFA 2014 s.51(2)). */
export const DISAGREEMENT_ABOUT = {
  not_assess: 'The decision not to carry out an assessment',
  not_issue: 'The decision not to issue a plan',
  plan_content: 'What the plan says (sections B, F or I)',
  not_amend: 'The decision not to amend the plan after a review',
  cease: 'The decision to cease the plan',
} as const;
export type DisagreementAbout = keyof typeof DISAGREEMENT_ABOUT;

/** Row 22: mediation takes place within 30 days of the council being told the family wants it (P2, calendar days). */
export const MEDIATION_WITHIN_DAYS = 30;

export const TRIBUNAL_OUTCOMES = {
  order: 'The Tribunal ordered the council to act (reg 44)',
  unopposed: 'The council did not oppose the appeal (reg 45)',
  dismissed: 'The appeal was dismissed',
  withdrawn: 'The family withdrew the appeal',
} as const;
export type TribunalOutcome = keyof typeof TRIBUNAL_OUTCOMES;

/** What an order (or an appeal not opposed) asks of the council: the clock's kinds, and keeping a plan on a cease appeal. */
export type DisagreementOrder = TribunalOrder | 'maintain';

export const TRIBUNAL_ORDER_NAMES: Record<DisagreementOrder, string> = {
  section_i: 'Name a school or setting in section I only',
  amend_b_f: 'Amend sections B and F (needs and provision)',
  make_and_maintain: 'Make and maintain a plan',
  assess: 'Carry out an assessment',
  maintain: 'Continue to maintain the plan',
};

/** The steps an order sets, by the clock's duty ids (`tribunal:<step>`), in the order they come. */
export const ORDER_STEPS: Record<DisagreementOrder, readonly string[]> = {
  section_i: ['section_i'],
  amend_b_f: ['amend_b_f'],
  make_and_maintain: ['make_and_maintain_draft', 'make_and_maintain_final'],
  assess: ['assess_notify', 'assess_no_plan', 'assess_final'],
  // Keeping the plan takes effect at once (reg 44(2)): nothing to do by a later date.
  maintain: [],
};

/** What the Tribunal can order on an appeal about each kind of decision (CFA 2014 s.51(2); reg 44(2)). */
export const ORDERS_FOR: Record<DisagreementAbout, readonly DisagreementOrder[]> = {
  not_assess: ['assess'],
  not_issue: ['make_and_maintain'],
  plan_content: ['amend_b_f', 'section_i'],
  not_amend: ['amend_b_f', 'section_i'],
  cease: ['maintain'],
};

/**
 * What the council agreed at mediation, for its deadline (reg 42): what the family could have appealed is done within
 * the time the Tribunal would have given for the same step (reg 44's limits; for a plan or an assessment, the final
 * plan's); anything else within 2 weeks.
 */
export const AGREEMENT_KINDS = {
  other: { name: 'Something else (for example, arranging a meeting or a service)', weeks: 2 },
  section_i: { name: 'Naming a school or setting in section I', weeks: 2 },
  amend_b_f: { name: 'Amending sections B and F', weeks: 5 },
  make_and_maintain: { name: 'Making a plan', weeks: 11 },
  assess: { name: 'Carrying out an assessment', weeks: 14 },
} as const;
export type AgreementKind = keyof typeof AGREEMENT_KINDS;

export const ORDER_STEP_NAMES: Record<string, string> = {
  section_i: 'Issue the plan with the school or setting named in section I',
  amend_b_f: 'Issue the plan with sections B and F amended',
  make_and_maintain_draft: 'Send the draft plan',
  make_and_maintain_final: 'Issue the final plan',
  assess_notify: 'Tell the family the assessment will be carried out',
  assess_no_plan: 'Tell the family a plan will not be issued',
  assess_final: 'Issue the final plan',
};

/** What a disagreement has recorded so far (dates are calendar dates; null until recorded). */
export interface DisagreementRecord {
  about: DisagreementAbout;
  /** The date of the decision letter the family disagrees with. */
  decisionDate: LocalDate;
  mediationToldDate: LocalDate | null;
  mediationHeldDate: LocalDate | null;
  /** Whether an agreement was reached at mediation, and what the council agreed to do. */
  agreement: boolean | null;
  agreementActions: string | null;
  agreementKind: AgreementKind | null;
  agreementDoneDate: LocalDate | null;
  certificateDate: LocalDate | null;
  appealDate: LocalDate | null;
  outcome: TribunalOutcome | null;
  outcomeDate: LocalDate | null;
  order: DisagreementOrder | null;
  /** The date each ordered step was done, by step id. */
  complied: Record<string, LocalDate>;
  closedDate: LocalDate | null;
}

export function newDisagreement(about: DisagreementAbout, decisionDate: LocalDate): DisagreementRecord {
  return {
    about,
    decisionDate,
    mediationToldDate: null,
    mediationHeldDate: null,
    agreement: null,
    agreementActions: null,
    agreementKind: null,
    agreementDoneDate: null,
    certificateDate: null,
    appealDate: null,
    outcome: null,
    outcomeDate: null,
    order: null,
    complied: {},
    closedDate: null,
  };
}

export const DISAGREEMENT_STEPS = [
  'mediation',
  'mediated',
  'certificate',
  'agreement_done',
  'appeal',
  'outcome',
  'complied',
  'close',
] as const;
export type DisagreementStep = (typeof DISAGREEMENT_STEPS)[number];

export type DisagreementStepInput =
  | { step: 'mediation'; mediationToldDate: LocalDate }
  | {
      step: 'mediated';
      mediationHeldDate: LocalDate;
      agreement: boolean;
      agreementActions: string | null;
      agreementKind: AgreementKind | null;
    }
  | { step: 'certificate'; certificateDate: LocalDate }
  | { step: 'agreement_done'; agreementDoneDate: LocalDate }
  | { step: 'appeal'; appealDate: LocalDate }
  | { step: 'outcome'; outcome: TribunalOutcome; outcomeDate: LocalDate; order: DisagreementOrder | null }
  | { step: 'complied'; orderStep: string; compliedDate: LocalDate }
  | { step: 'close'; closedDate: LocalDate };

/** The ordered steps not yet done, in order; for an assessment, "no plan" and the final plan are alternatives. */
export function orderStepsOpen(r: DisagreementRecord): string[] {
  if (r.order === null || (r.outcome !== 'order' && r.outcome !== 'unopposed')) return [];
  const open = ORDER_STEPS[r.order].filter((s) => r.complied[s] === undefined);
  if (r.order === 'assess' && (r.complied.assess_no_plan || r.complied.assess_final)) {
    return open.filter((s) => s !== 'assess_no_plan' && s !== 'assess_final');
  }
  return open;
}

/** A disagreement ends with the appeal dismissed or withdrawn, every ordered step done, or closed without appeal. */
export function disagreementClosed(r: DisagreementRecord): boolean {
  // What was agreed at mediation stays owed whatever the Tribunal decides (reg 42).
  if (r.agreement === true && r.agreementDoneDate === null) return false;
  if (r.closedDate !== null) return true;
  if (r.outcome === 'dismissed' || r.outcome === 'withdrawn') return true;
  return r.outcome !== null && orderStepsOpen(r).length === 0;
}

/** The steps that may be recorded now, in their order. */
export function openDisagreementSteps(r: DisagreementRecord): DisagreementStep[] {
  if (disagreementClosed(r)) return [];
  const agreementOwed = r.agreement === true && r.agreementDoneDate === null;
  if (r.outcome !== null) {
    const steps: DisagreementStep[] = orderStepsOpen(r).length ? ['complied'] : [];
    if (agreementOwed) steps.push('agreement_done');
    return steps;
  }
  const steps: DisagreementStep[] = [];
  if (r.appealDate === null && r.closedDate === null) {
    if (r.mediationToldDate === null && r.certificateDate === null) steps.push('mediation');
    else if (r.mediationToldDate !== null && r.mediationHeldDate === null) steps.push('mediated');
    // A certificate follows the mediation, or the family telling the adviser they do not want it (reg 34).
    if (r.certificateDate === null && (r.mediationToldDate === null || r.mediationHeldDate !== null)) {
      steps.push('certificate');
    }
  }
  if (agreementOwed) steps.push('agreement_done');
  if (r.closedDate !== null) return steps;
  if (r.appealDate === null) steps.push('appeal', 'close');
  else steps.push('outcome');
  return steps;
}

export type DisagreementFieldErrors = { field: string; text: string }[];

const STEP_CLOSED: Record<DisagreementStep, string> = {
  mediation: 'Mediation cannot be recorded now',
  mediated: 'Record that the family asked for mediation before recording that it took place',
  certificate: 'Record that mediation took place before its certificate',
  agreement_done: 'Only an agreement reached at mediation, not yet carried out, can be recorded as done',
  appeal: 'The appeal cannot be recorded now',
  outcome: 'Record the appeal before the Tribunal’s decision',
  complied: 'Record the Tribunal’s order before what was done to comply with it',
  close: 'This disagreement cannot be closed now: an appeal has been made',
};

const long = (d: LocalDate) => formatLongDate(d);

/** The ordered step each one follows. */
const STEP_BEFORE: Record<string, string> = {
  make_and_maintain_final: 'make_and_maintain_draft',
  assess_no_plan: 'assess_notify',
  assess_final: 'assess_notify',
};
/** A name that starts a sentence, put in the middle of one. */
export const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The refusals of a step: a date in the future for what has happened, a date before what it follows (mediation
 * before the decision, a certificate before the mediation, an order before the appeal), an order without its kind, an
 * ordered step that was not ordered or is done. Each against its form field, in words a caseworker can act on.
 */
export function checkDisagreementStep(
  r: DisagreementRecord,
  input: DisagreementStepInput,
  today: LocalDate,
): DisagreementFieldErrors {
  const errors: DisagreementFieldErrors = [];
  if (!openDisagreementSteps(r).includes(input.step)) return [{ field: '', text: STEP_CLOSED[input.step] }];
  const happened = (field: string, what: string, date: LocalDate) => {
    if (date > today) errors.push({ field, text: `${what} must be today or in the past` });
  };
  const notBefore = (field: string, what: string, date: LocalDate, earliest: LocalDate, earliestIs: string) => {
    if (date < earliest) errors.push({ field, text: `${what} must be on or after ${earliestIs} (${long(earliest)})` });
  };
  const afterDecision = (field: string, what: string, date: LocalDate) =>
    notBefore(field, what, date, r.decisionDate, 'the decision letter');
  switch (input.step) {
    case 'mediation':
      happened('mediationToldDate', 'The date the council was told', input.mediationToldDate);
      afterDecision('mediationToldDate', 'The date the council was told', input.mediationToldDate);
      break;
    case 'mediated':
      happened('mediationHeldDate', 'The date of the mediation', input.mediationHeldDate);
      notBefore(
        'mediationHeldDate',
        'The date of the mediation',
        input.mediationHeldDate,
        r.mediationToldDate!,
        'the day the council was told',
      );
      if (input.agreement && !input.agreementActions?.trim()) {
        errors.push({ field: 'agreementActions', text: 'Enter what the council agreed to do' });
      }
      if (input.agreement && input.agreementKind === null) {
        errors.push({ field: 'agreementKind', text: 'Select what the agreement is about' });
      }
      break;
    case 'certificate':
      happened('certificateDate', 'The date of the certificate', input.certificateDate);
      if (r.mediationHeldDate) {
        notBefore(
          'certificateDate',
          'The date of the certificate',
          input.certificateDate,
          r.mediationHeldDate,
          'the mediation',
        );
      } else {
        afterDecision('certificateDate', 'The date of the certificate', input.certificateDate);
      }
      break;
    case 'agreement_done':
      happened('agreementDoneDate', 'The date', input.agreementDoneDate);
      notBefore('agreementDoneDate', 'The date', input.agreementDoneDate, r.mediationHeldDate!, 'the mediation');
      break;
    case 'appeal':
      // An appeal follows the mediation certificate (CFA 2014 s.55), but for one about the school named alone.
      if (r.mediationToldDate !== null && r.certificateDate === null) {
        errors.push({
          field: 'appealDate',
          text: 'Record the mediation and its certificate first: an appeal needs the certificate',
        });
        break;
      }
      happened('appealDate', 'The date of the appeal', input.appealDate);
      if (r.certificateDate) {
        notBefore(
          'appealDate',
          'The date of the appeal',
          input.appealDate,
          r.certificateDate,
          'the mediation certificate',
        );
      } else {
        afterDecision('appealDate', 'The date of the appeal', input.appealDate);
      }
      break;
    case 'outcome':
      happened('outcomeDate', 'The date of the Tribunal’s decision', input.outcomeDate);
      notBefore('outcomeDate', 'The date of the Tribunal’s decision', input.outcomeDate, r.appealDate!, 'the appeal');
      if (input.outcome === 'order' || input.outcome === 'unopposed') {
        const allowed = ORDERS_FOR[r.about];
        if (input.order === null) {
          errors.push({ field: 'order', text: 'Select what the council must do' });
        } else if (!allowed.includes(input.order)) {
          const can = allowed.map((o) => lowerFirst(TRIBUNAL_ORDER_NAMES[o])).join(' or ');
          errors.push({
            field: 'order',
            text: `On an appeal against ${lowerFirst(DISAGREEMENT_ABOUT[r.about])}, the council can only be asked to ${can}`,
          });
        }
      } else if (input.order !== null) {
        errors.push({
          field: 'order',
          text: 'Leave “What must the council do?” empty when the appeal was dismissed or withdrawn',
        });
      }
      break;
    case 'complied': {
      if (!orderStepsOpen(r).includes(input.orderStep)) {
        errors.push({ field: 'orderStep', text: 'Select a step the order asks for that is not done yet' });
      }
      happened('compliedDate', 'The date it was done', input.compliedDate);
      notBefore('compliedDate', 'The date it was done', input.compliedDate, r.outcomeDate!, 'the order');
      // A later step follows the one before it: the final plan after the draft, the plan after the assessment.
      const before = STEP_BEFORE[input.orderStep];
      if (before && r.complied[before] === undefined) {
        errors.push({ field: 'orderStep', text: `Record “${ORDER_STEP_NAMES[before]}” first` });
      } else if (before) {
        const what = `“${lowerFirst(ORDER_STEP_NAMES[before]!)}”`;
        notBefore('compliedDate', 'The date it was done', input.compliedDate, r.complied[before]!, what);
      }
      break;
    }
    case 'close':
      happened('closedDate', 'The date', input.closedDate);
      afterDecision('closedDate', 'The date', input.closedDate);
      break;
  }
  return errors;
}

/** The record after a step (the step already checked). */
export function applyDisagreementStep(r: DisagreementRecord, input: DisagreementStepInput): DisagreementRecord {
  switch (input.step) {
    case 'mediation':
      return { ...r, mediationToldDate: input.mediationToldDate };
    case 'mediated':
      return {
        ...r,
        mediationHeldDate: input.mediationHeldDate,
        agreement: input.agreement,
        agreementActions: input.agreement ? (input.agreementActions?.trim() ?? null) : null,
        agreementKind: input.agreement ? input.agreementKind : null,
      };
    case 'certificate':
      return { ...r, certificateDate: input.certificateDate };
    case 'agreement_done':
      return { ...r, agreementDoneDate: input.agreementDoneDate };
    case 'appeal':
      return { ...r, appealDate: input.appealDate };
    case 'outcome': {
      const ordered = input.outcome === 'order' || input.outcome === 'unopposed';
      return { ...r, outcome: input.outcome, outcomeDate: input.outcomeDate, order: ordered ? input.order : null };
    }
    case 'complied':
      return { ...r, complied: { ...r.complied, [input.orderStep]: input.compliedDate } };
    case 'close':
      return { ...r, closedDate: input.closedDate };
  }
}

/** The events the statutory clock reads: the mediation's end, its certificate, the order and what complied with it. */
export function disagreementClockEvents(r: DisagreementRecord): ProcessEvent[] {
  const events: ProcessEvent[] = [];
  if (r.mediationHeldDate) events.push({ type: 'mediation_ended', date: r.mediationHeldDate });
  if (r.certificateDate) events.push({ type: 'mediation_certificate_issued', date: r.certificateDate });
  if (r.order && r.order !== 'maintain' && r.outcomeDate) {
    events.push({ type: 'tribunal_order', date: r.outcomeDate, order: r.order });
    const c = r.complied;
    if (c.section_i) events.push({ type: 'amended_plan_issued', date: c.section_i });
    if (c.amend_b_f) events.push({ type: 'amended_plan_issued', date: c.amend_b_f });
    if (c.make_and_maintain_draft) {
      events.push({ type: 'draft_served', date: c.make_and_maintain_draft, method: 'email' });
    }
    if (c.make_and_maintain_final) events.push({ type: 'final_plan_issued', date: c.make_and_maintain_final });
    if (c.assess_notify) events.push({ type: 'assessment_decision', date: c.assess_notify, outcome: 'assess' });
    if (c.assess_no_plan) events.push({ type: 'issue_decision', date: c.assess_no_plan, outcome: 'not_issue' });
    if (c.assess_final) {
      events.push({ type: 'issue_decision', date: c.assess_final, outcome: 'issue' });
      events.push({ type: 'final_plan_issued', date: c.assess_final });
    }
  }
  return events;
}

export interface DisagreementDuty extends Duty {
  name: string;
}

/**
 * The council's duties in the disagreement as of `today`, by due date: the mediation within 30 days of being told,
 * its certificate within 3 working days, the mediation agreement within 2 weeks, and each ordered step by its date.
 * For an unopposed appeal the periods are reg 45's, which are the same as reg 44's for each kind of order.
 */
export function disagreementDuties(
  r: DisagreementRecord,
  today: LocalDate,
  calendar?: WorkingDayCalendar,
): DisagreementDuty[] {
  const duties: DisagreementDuty[] = [];
  if (r.mediationToldDate) {
    const due = addDays(r.mediationToldDate, MEDIATION_WITHIN_DAYS);
    const done = r.mediationHeldDate;
    duties.push({
      id: 'hold_mediation',
      due,
      completed: done,
      status: dutyStatus(due, done, today),
      basis: 'SEND Regulations 2014 reg 37 (30 days)',
      name: 'Mediation to take place',
    });
  }
  if (r.agreement && r.mediationHeldDate) {
    const kind = r.agreementKind ?? 'other';
    const due = addDays(r.mediationHeldDate, AGREEMENT_KINDS[kind].weeks * DAYS_IN_WEEK);
    duties.push({
      id: 'carry_out_mediation_agreement',
      due,
      completed: r.agreementDoneDate,
      status: dutyStatus(due, r.agreementDoneDate, today),
      basis:
        kind === 'other' ? 'SEND Regulations 2014 reg 42' : 'SEND Regulations 2014 reg 42, in reg 44’s time for it',
      name: 'Do what the council agreed at mediation',
    });
  }
  const unopposed = r.outcome === 'unopposed';
  for (const d of computeClock(disagreementClockEvents(r), today, calendar).deadlines) {
    if (d.id.startsWith('issue_mediation_certificate')) {
      duties.push({ ...d, name: 'Mediation certificate (the mediation adviser or mediator issues it)' });
    } else if (d.id.startsWith('tribunal:')) {
      const step = d.id.slice('tribunal:'.length);
      duties.push({
        ...d,
        basis: unopposed ? 'SEND Regulations 2014 reg 45' : d.basis,
        name: ORDER_STEP_NAMES[step] ?? step,
      });
    }
  }
  return duties.sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
}

/** The family's dates: the last day to contact the mediation adviser (reg 33) and to appeal (Tribunal rules). */
export function familyDeadlines(
  r: DisagreementRecord,
  calendar: WorkingDayCalendar,
): { mediationContactBy: LocalDate; appealBy: AppealDeadline } {
  return {
    mediationContactBy: mediationContactBy(r.decisionDate),
    appealBy: appealDeadline(r.decisionDate, r.certificateDate, calendar),
  };
}

/** What to do next, and by when (null once the disagreement is closed). */
export function disagreementNextStep(
  r: DisagreementRecord,
  duties: readonly DisagreementDuty[],
  appealBy: LocalDate,
): { step: DisagreementStep; text: string; duty: string | null; due: LocalDate | null; overdue: boolean } | null {
  if (disagreementClosed(r)) return null;
  const make = (step: DisagreementStep, text: string, duty: DisagreementDuty | undefined) => ({
    step,
    text,
    duty: duty?.id ?? null,
    due: duty?.due ?? null,
    overdue: duty?.status === 'overdue',
  });
  const open = (prefix: string) => duties.find((d) => d.id.startsWith(prefix) && d.completed === null);
  // What is owed now, each with its duty; the one due first is next.
  const owed: [DisagreementStep, string, DisagreementDuty | undefined][] = [];
  const step = orderStepsOpen(r)[0];
  if (step)
    owed.push(['complied', `Comply with the order: ${lowerFirst(ORDER_STEP_NAMES[step]!)}`, open(`tribunal:${step}`)]);
  if (r.agreement && r.agreementDoneDate === null) {
    owed.push(['agreement_done', 'Do what the council agreed at mediation', open('carry_out_mediation_agreement')]);
  }
  if (r.appealDate === null && r.mediationToldDate !== null && r.mediationHeldDate === null) {
    owed.push(['mediated', 'Hold the mediation', open('hold_mediation')]);
  }
  if (r.appealDate === null && r.mediationHeldDate !== null && r.certificateDate === null) {
    owed.push(['certificate', 'Record the mediation certificate', open('issue_mediation_certificate')]);
  }
  owed.sort((x, y) => (x[2]?.due ?? '9999').localeCompare(y[2]?.due ?? '9999'));
  if (owed[0]) return make(...owed[0]);
  if (r.appealDate !== null) return make('outcome', 'Record the Tribunal’s decision when it comes', undefined);
  return {
    step: 'appeal',
    text: `Wait for the family’s decision: they may appeal until ${long(appealBy)}`,
    duty: null,
    due: null,
    overdue: false,
  };
}

/** The deadline a list of disagreements orders by: the next duty not done, or the family's appeal date. */
export function disagreementNextDeadline(
  r: DisagreementRecord,
  duties: readonly DisagreementDuty[],
  appealBy: LocalDate,
): { duty: string; due: LocalDate } | null {
  if (disagreementClosed(r)) return null;
  let next: DisagreementDuty | null = null;
  for (const d of duties) if (d.completed === null && (next === null || d.due < next.due)) next = d;
  if (next) return { duty: next.id, due: next.due };
  return r.appealDate === null ? { duty: 'appeal_window', due: appealBy } : null;
}

export const isTribunalOrder = (v: unknown): v is TribunalOrder =>
  typeof v === 'string' && (TRIBUNAL_ORDERS as readonly string[]).includes(v);
