/**
 * Reading the ceasing forms (formats only: a real date, one of the choices). What depends on the plan and the person
 * (a reason the law does not allow at their age, a notice before the consultation, a date in the future) is the
 * domain's, through the service.
 */
import { CEASE_REASONS, type CeasingStepInput } from '../../../domain/casework/ceasing.js';
import type { Body } from '../../forms.js';
import { choice, labelledDate, optionalText } from '../../validation.js';
import { readStep, stepForm } from '../casework/validation.js';

export const CEASING_DATE_FIELDS = [
  'consultedDate',
  'schoolConsultedDate',
  'decisionDate',
  'certificateDate',
  'appealLodgedDate',
  'tribunalDate',
] as const;

const consultForm = stepForm(
  {
    reason: choice(CEASE_REASONS, 'Select why the council is considering ceasing the plan'),
    consultedDate: labelledDate('The date the family was consulted'),
    schoolConsultedDate: labelledDate('The date the school or college was consulted'),
    reviewedNoReturn: optionalText('Review'),
  },
  { dates: ['consultedDate', 'schoolConsultedDate'] },
);
const decisionForm = stepForm(
  {
    decision: choice(['cease', 'maintain'], 'Select the decision'),
    decisionDate: labelledDate('The date of the decision notice'),
  },
  { dates: ['decisionDate'] },
);
const certificateForm = stepForm(
  { certificateDate: labelledDate('The date of the mediation certificate') },
  { dates: ['certificateDate'] },
);
const appealForm = stepForm(
  { appealLodgedDate: labelledDate('The date of the appeal') },
  { dates: ['appealLodgedDate'] },
);
const tribunalForm = stepForm(
  {
    tribunalOutcome: choice(['dismissed', 'upheld'], 'Select what the Tribunal decided'),
    tribunalDate: labelledDate('The date of the Tribunal’s decision'),
  },
  { dates: ['tribunalDate'] },
);
const ceaseForm = stepForm({});

/** Reads one step's form into the service's input. */
export function readCeasingStep(step: string, body: Body) {
  switch (step) {
    case 'consult':
      return readStep(consultForm, body, (v): CeasingStepInput => ({
        step: 'consult',
        reason: v.reason,
        consultedDate: v.consultedDate,
        schoolConsultedDate: v.schoolConsultedDate,
        reviewedNoReturn: v.reviewedNoReturn === 'yes',
      }));
    case 'decision':
      return readStep(decisionForm, body, (v): CeasingStepInput => ({ step: 'decision', ...v }));
    case 'certificate':
      return readStep(certificateForm, body, (v): CeasingStepInput => ({ step: 'certificate', ...v }));
    case 'appeal':
      return readStep(appealForm, body, (v): CeasingStepInput => ({ step: 'appeal', ...v }));
    case 'tribunal':
      return readStep(tribunalForm, body, (v): CeasingStepInput => ({ step: 'tribunal', ...v }));
    default:
      return readStep(ceaseForm, body, (): CeasingStepInput => ({ step: 'cease' }));
  }
}
