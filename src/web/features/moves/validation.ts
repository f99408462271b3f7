/**
 * Reading the moves' forms (formats only: a real date, a 3-digit code, one of the choices). What depends on the plan
 * and the council (its own code, a code no council in England has, dates out of order) is the domain's, through the
 * service.
 */
import type { MoveInInput, MoveOutInput } from '../../../domain/casework/move.js';
import type { Body } from '../../forms.js';
import { choice, labelledDate, pageForm, readForm, requiredText, type FieldProblem } from '../../validation.js';
import { readStep, stepForm } from '../casework/validation.js';

export const MOVE_DATE_FIELDS = [
  'moveDate',
  'learnedDate',
  'transferredDate',
  'healthToldDate',
  'transferDate',
  'planMadeDate',
  'lastReviewDate',
  'parentInformedDate',
  'proposedReviewDate',
  'dateOfBirth',
] as const;

const problem = (name: string, message: string): FieldProblem => ({ path: [name], message });
const laCode = (required: string) => requiredText(required, 'The council’s code', 3);
const threeDigits = (name: string, value: string) =>
  value !== '' && !/^\d{3}$/.test(value) && problem(name, 'Enter the council’s 3-digit DfE LA code, like 919');

const recordForm = stepForm(
  {
    newLaCode: laCode('Enter the code of the council the child is moving to'),
    moveDate: labelledDate('The date of the move'),
    learnedDate: labelledDate('The date the council learned of the move'),
    healthCommissionerChanges: choice(['yes', 'no'], 'Select whether the child’s health commissioner changes'),
  },
  { dates: ['moveDate', 'learnedDate'], rules: (f) => [threeDigits('newLaCode', f.text('newLaCode'))] },
);
const transferForm = stepForm(
  { transferredDate: labelledDate('The date the plan was sent') },
  { dates: ['transferredDate'] },
);
const healthForm = stepForm(
  { healthToldDate: labelledDate('The date the health commissioner was told') },
  { dates: ['healthToldDate'] },
);

/** Reads one step's form of a move out into the service's input. */
export function readMoveOutStep(step: string, body: Body) {
  switch (step) {
    case 'record':
      return readStep(recordForm, body, (v): MoveOutInput => ({
        step: 'record',
        newLaCode: v.newLaCode,
        moveDate: v.moveDate,
        learnedDate: v.learnedDate,
        healthCommissionerChanges: v.healthCommissionerChanges === 'yes',
      }));
    case 'transfer':
      return readStep(transferForm, body, (v): MoveOutInput => ({ step: 'transfer', ...v }));
    default:
      return readStep(healthForm, body, (v): MoveOutInput => ({ step: 'health', ...v }));
  }
}

const transferInForm = pageForm(
  {
    givenName: requiredText('Enter the child’s first name', 'First name', 100),
    familyName: requiredText('Enter the child’s last name', 'Last name', 100),
    dateOfBirth: labelledDate('The child’s date of birth'),
    oldLaCode: laCode('Enter the code of the council the plan came from'),
    transferDate: labelledDate('The date of the transfer'),
    planMadeDate: labelledDate('The date the plan was made'),
    lastReviewDate: labelledDate('The date of the plan’s last review', { required: false }),
  },
  {
    dates: ['dateOfBirth', 'transferDate', 'planMadeDate', 'lastReviewDate'],
    rules: (f) => [threeDigits('oldLaCode', f.text('oldLaCode'))],
  },
);

/** Reads the form of a plan transferred in. */
export function readTransferIn(body: Body) {
  const { data, errors, values } = readForm(transferInForm, body);
  return {
    input: data
      ? {
          child: { givenName: data.givenName, familyName: data.familyName, dateOfBirth: data.dateOfBirth },
          move: {
            step: 'record' as const,
            oldLaCode: data.oldLaCode,
            transferDate: data.transferDate,
            planMadeDate: data.planMadeDate,
            lastReviewDate: data.lastReviewDate,
          },
        }
      : null,
    errors,
    values,
  };
}

const informForm = stepForm(
  {
    parentInformedDate: labelledDate('The date the family was told'),
    willAssess: choice(['yes', 'no'], 'Select whether the council will assess'),
    proposedReviewDate: labelledDate('The date the council will review the plan by'),
  },
  { dates: ['parentInformedDate', 'proposedReviewDate'] },
);

/** Reads the form of the family told after a transfer in (reg 15(4)). */
export function readInform(body: Body) {
  return readStep(informForm, body, (v): Extract<MoveInInput, { step: 'inform' }> => ({
    step: 'inform',
    parentInformedDate: v.parentInformedDate,
    willAssess: v.willAssess === 'yes',
    proposedReviewDate: v.proposedReviewDate,
  }));
}
