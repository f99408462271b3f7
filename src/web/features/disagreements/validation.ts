/**
 * Reading the disagreement forms (formats only: a real date, one of the choices). What depends on the disagreement
 * (a date before what it follows, a step out of order, a date in the future) is the domain's, through the service.
 */
import {
  AGREEMENT_KINDS,
  DISAGREEMENT_ABOUT,
  TRIBUNAL_ORDER_NAMES,
  type DisagreementOrder,
  type AgreementKind,
  ORDER_STEP_NAMES,
  TRIBUNAL_OUTCOMES,
  type DisagreementStepInput,
} from '../../../domain/casework/disagreement.js';
import type { Body } from '../../forms.js';
import { choice, labelledDate, optionalText, type FieldProblem } from '../../validation.js';
import { readStep, stepForm } from '../casework/validation.js';

const problem = (name: string, message: string): FieldProblem => ({ path: [name], message });
const keys = <T extends string>(o: Record<T, unknown>) => Object.keys(o) as [T, ...T[]];

export const DISAGREEMENT_DATE_FIELDS = [
  'decisionDate',
  'mediationToldDate',
  'mediationHeldDate',
  'certificateDate',
  'agreementDoneDate',
  'appealDate',
  'outcomeDate',
  'compliedDate',
  'closedDate',
] as const;

const startForm = stepForm(
  {
    about: choice(keys(DISAGREEMENT_ABOUT), 'Select what the family disagrees with'),
    decisionDate: labelledDate('The date of the decision letter'),
  },
  { dates: ['decisionDate'] },
);

export const readStart = (body: Body) =>
  readStep(startForm, body, (v) => ({ about: v.about, decisionDate: v.decisionDate }));

const one = (name: string, label: string) => stepForm({ [name]: labelledDate(label) }, { dates: [name] });

const mediationForm = one('mediationToldDate', 'The date the council was told');
const certificateForm = one('certificateDate', 'The date of the certificate');
const agreementDoneForm = one('agreementDoneDate', 'The date it was done');
const appealForm = one('appealDate', 'The date of the appeal');
const closeForm = one('closedDate', 'The date');
const mediatedForm = stepForm(
  {
    mediationHeldDate: labelledDate('The date of the mediation'),
    agreement: choice(['yes', 'no'], 'Select whether an agreement was reached'),
    agreementActions: optionalText('What the council agreed to do', 5000),
    agreementKind: optionalText('What the agreement is about', 40),
  },
  {
    dates: ['mediationHeldDate'],
    rules: (f) => [
      f.text('agreement') === 'yes' &&
        !f.text('agreementActions').trim() &&
        problem('agreementActions', 'Enter what the council agreed to do'),
    ],
  },
);
const outcomeForm = stepForm(
  {
    outcome: choice(keys(TRIBUNAL_OUTCOMES), 'Select the Tribunal’s decision'),
    outcomeDate: labelledDate('The date of the Tribunal’s decision'),
    order: optionalText('What the council must do', 40),
  },
  {
    dates: ['outcomeDate'],
    rules: (f) => {
      const ordered = f.text('outcome') === 'order' || f.text('outcome') === 'unopposed';
      const order = f.text('order');
      return [
        ordered && !Object.hasOwn(TRIBUNAL_ORDER_NAMES, order) && problem('order', 'Select what the council must do'),
      ];
    },
  },
);
const compliedForm = stepForm(
  {
    orderStep: choice(keys(ORDER_STEP_NAMES), 'Select what was done'),
    compliedDate: labelledDate('The date it was done'),
  },
  { dates: ['compliedDate'] },
);

/** Reads one step's form into the service's input. */
export function readDisagreementStep(step: string, body: Body) {
  switch (step) {
    case 'mediation':
      return readStep(mediationForm, body, (v): DisagreementStepInput => ({
        step: 'mediation',
        mediationToldDate: v.mediationToldDate!,
      }));
    case 'mediated':
      return readStep(mediatedForm, body, (v): DisagreementStepInput => ({
        step: 'mediated',
        mediationHeldDate: v.mediationHeldDate,
        agreement: v.agreement === 'yes',
        agreementActions: v.agreement === 'yes' ? v.agreementActions : null,
        agreementKind:
          v.agreement === 'yes' && Object.hasOwn(AGREEMENT_KINDS, v.agreementKind)
            ? (v.agreementKind as AgreementKind)
            : null,
      }));
    case 'certificate':
      return readStep(certificateForm, body, (v): DisagreementStepInput => ({
        step: 'certificate',
        certificateDate: v.certificateDate!,
      }));
    case 'agreement_done':
      return readStep(agreementDoneForm, body, (v): DisagreementStepInput => ({
        step: 'agreement_done',
        agreementDoneDate: v.agreementDoneDate!,
      }));
    case 'appeal':
      return readStep(appealForm, body, (v): DisagreementStepInput => ({ step: 'appeal', appealDate: v.appealDate! }));
    case 'outcome':
      return readStep(outcomeForm, body, (v): DisagreementStepInput => {
        return {
          step: 'outcome',
          outcome: v.outcome,
          outcomeDate: v.outcomeDate,
          order: Object.hasOwn(TRIBUNAL_ORDER_NAMES, v.order) ? (v.order as DisagreementOrder) : null,
        };
      });
    case 'complied':
      return readStep(compliedForm, body, (v): DisagreementStepInput => ({
        step: 'complied',
        orderStep: v.orderStep,
        compliedDate: v.compliedDate,
      }));
    default:
      return readStep(closeForm, body, (v): DisagreementStepInput => ({ step: 'close', closedDate: v.closedDate! }));
  }
}
