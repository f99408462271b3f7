/**
 * Reading the reassessment forms (formats only: a real date, one of the choices). What depends on the plan and the
 * reassessment (a ceased plan, a decision before the request, the 6-month ground once 6 months have passed, a date in
 * the future) is the domain's, through the service.
 */
import { z } from 'zod';
import {
  REASSESSMENT_ADVICE_CODES,
  REASSESSMENT_EXCEPTIONS,
  REASSESSMENT_REQUESTERS,
  REFUSAL_GROUNDS,
  type ReassessmentAdvice,
  type ReassessmentStepInput,
} from '../../../domain/casework/reassessment.js';
import type { Body } from '../../forms.js';
import { choice, choices, labelledDate, optionalText } from '../../validation.js';
import { readStep, stepForm } from '../casework/validation.js';

export const REASSESSMENT_DATE_FIELDS = [
  'receivedDate',
  'decisionDate',
  'adviceRequestedDate',
  'draftServedDate',
  'finalIssuedDate',
  'from',
  'to',
] as const;

const ADVICE = REASSESSMENT_ADVICE_CODES as [ReassessmentAdvice, ...ReassessmentAdvice[]];

/** Checkboxes that may all be left empty: the values ticked that are among the advice codes. */
const someAdvice = z
  .preprocess(
    (v): unknown[] => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
    z.array(z.unknown()),
  )
  .transform((v) => v.filter((x): x is ReassessmentAdvice => typeof x === 'string' && ADVICE.includes(x as never)));

const requestForm = stepForm(
  {
    requestedBy: choice(REASSESSMENT_REQUESTERS, 'Select who asked for the reassessment'),
    receivedDate: labelledDate('The date the request was received'),
  },
  { dates: ['receivedDate'] },
);
const decisionForm = stepForm(
  {
    decision: choice(['reassess', 'not_reassess'], 'Select whether the council will reassess'),
    decisionDate: labelledDate('The date the family was told the decision'),
    refusalGround: optionalText('Ground'),
    refusalReason: optionalText('Reasons', 5000),
  },
  { dates: ['decisionDate'] },
);
const adviceForm = stepForm(
  {
    adviceRequestedDate: labelledDate('The date advice was asked for'),
    adviceRequested: choices(ADVICE, 'Select whose advice was asked for'),
    adviceReceived: someAdvice,
  },
  { dates: ['adviceRequestedDate'], lists: ['adviceRequested', 'adviceReceived'] },
);
const draftForm = stepForm(
  { draftServedDate: labelledDate('The date the draft plan was sent') },
  { dates: ['draftServedDate'] },
);
const finalForm = stepForm(
  {
    finalIssuedDate: labelledDate('The date the final plan was issued'),
    familyResponded: optionalText('Family response'),
  },
  { dates: ['finalIssuedDate'] },
);
const exceptionForm = stepForm(
  {
    reason: choice(REASSESSMENT_EXCEPTIONS, 'Select the reason the 14 weeks cannot be met'),
    from: labelledDate('The date the exception began'),
    to: labelledDate('The date the exception ended', { required: false }),
  },
  { dates: ['from', 'to'] },
);

const ground = (v: string) =>
  (REFUSAL_GROUNDS as readonly string[]).includes(v) ? (v as (typeof REFUSAL_GROUNDS)[number]) : null;

/** Reads one step's form into the service's input. */
export function readReassessmentStep(step: string, body: Body) {
  switch (step) {
    case 'request':
      return readStep(requestForm, body, (v): ReassessmentStepInput => ({ step: 'request', ...v }));
    case 'decision':
      return readStep(decisionForm, body, (v): ReassessmentStepInput => ({
        step: 'decision',
        decision: v.decision,
        decisionDate: v.decisionDate,
        refusalGround: v.decision === 'not_reassess' ? ground(v.refusalGround) : null,
        refusalReason: v.decision === 'not_reassess' ? v.refusalReason : '',
      }));
    case 'advice':
      return readStep(adviceForm, body, (v): ReassessmentStepInput => ({ step: 'advice', ...v }));
    case 'draft':
      return readStep(draftForm, body, (v): ReassessmentStepInput => ({ step: 'draft', ...v }));
    case 'final':
      return readStep(finalForm, body, (v): ReassessmentStepInput => ({
        step: 'final',
        finalIssuedDate: v.finalIssuedDate,
        familyResponded: v.familyResponded === 'yes',
      }));
    default:
      return readStep(exceptionForm, body, (v): ReassessmentStepInput => ({ step: 'exception', ...v }));
  }
}
