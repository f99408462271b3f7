/**
 * Reading the annual review's forms (formats only: a real date, one of the choices). What depends on the review (a
 * meeting before the plan, a decision before the meeting, a date in the future) is the domain's, through the service.
 */
import { REVIEW_ADVICE_FROM, REVIEW_DECISIONS } from '../../../domain/casework/annualReview.js';
import { TEXT_SECTIONS, type TextSection } from '../../../domain/casework/planContent.js';
import type { ReviewStepForm } from '../../../services/reviews/index.js';
import type { Body } from '../../forms.js';
import { choice, choices, labelledDate, optionalText } from '../../validation.js';
import { readStep, stepForm } from '../casework/validation.js';

const ADVICE_FROM = Object.keys(REVIEW_ADVICE_FROM) as [
  keyof typeof REVIEW_ADVICE_FROM,
  ...(keyof typeof REVIEW_ADVICE_FROM)[],
];

export const REVIEW_DATE_FIELDS = [
  'meetingDate',
  'invitationsSentDate',
  'adviceRequestedDate',
  'adviceCirculatedDate',
  'meetingHeldDate',
  'reportSentDate',
  'decisionDate',
  'outcomeDate',
] as const;

const arrangeForm = stepForm(
  {
    meetingDate: labelledDate('The date of the review meeting'),
    invitationsSentDate: labelledDate('The date the invitations were sent'),
  },
  { dates: ['meetingDate', 'invitationsSentDate'] },
);
const adviceForm = stepForm(
  {
    adviceFrom: choices(ADVICE_FROM, 'Select who was asked for advice'),
    adviceRequestedDate: labelledDate('The date advice was asked for'),
    adviceCirculatedDate: labelledDate('The date the advice was sent out', { required: false }),
  },
  { dates: ['adviceRequestedDate', 'adviceCirculatedDate'] },
);
const heldForm = stepForm(
  { meetingHeldDate: labelledDate('The date the meeting was held') },
  { dates: ['meetingHeldDate'] },
);
const reportForm = stepForm(
  { reportSentDate: labelledDate('The date the report was sent') },
  { dates: ['reportSentDate'] },
);
const decisionForm = stepForm(
  {
    decision: choice(REVIEW_DECISIONS, 'Select the decision'),
    decisionDate: labelledDate('The date the family was told the decision'),
    ...Object.fromEntries(TEXT_SECTIONS.map((s) => [`section${s}`, optionalText(`Section ${s}`, 10_000)])),
  },
  { dates: ['decisionDate'] },
);
const outcomeForm = stepForm(
  {
    outcome: choice(['amended', 'not_amended'], 'Select whether the amended plan was issued'),
    outcomeDate: labelledDate('The date'),
    familyResponded: optionalText('Family response'),
  },
  { dates: ['outcomeDate'] },
);

/**
 * The decision form's proposed amendments: each text section whose new wording differs from the plan's now
 * (`current`). Only a decision to amend has any.
 */
function amendments(v: Record<string, unknown>, body: Body, current: Record<TextSection, string>) {
  const out: Partial<Record<TextSection, string>> = {};
  if (v.decision !== 'amend') return out;
  for (const s of TEXT_SECTIONS) {
    // A section the form did not send is unchanged (a section sent empty is cleared).
    if (!Object.hasOwn(body, `section${s}`)) continue;
    const text = v[`section${s}`];
    if (typeof text === 'string' && text.trim() !== (current[s] ?? '').trim()) out[s] = text.trim();
  }
  return out;
}

/** Reads one step's form into the service's input. */
export function readReviewStep(step: string, body: Body, current: Record<TextSection, string>) {
  switch (step) {
    case 'arrange':
      return readStep(arrangeForm, body, (v): ReviewStepForm => ({ step: 'arrange', ...v }));
    case 'advice':
      return readStep(adviceForm, body, (v): ReviewStepForm => ({ step: 'advice', ...v }));
    case 'held':
      return readStep(heldForm, body, (v): ReviewStepForm => ({ step: 'held', ...v }));
    case 'report':
      return readStep(reportForm, body, (v): ReviewStepForm => ({ step: 'report', ...v }));
    case 'decision':
      return readStep(decisionForm, body, (v): ReviewStepForm => ({
        step: 'decision',
        decision: v.decision,
        decisionDate: v.decisionDate,
        amendments: amendments(v as Record<string, unknown>, body, current),
      }));
    default:
      return readStep(outcomeForm, body, (v): ReviewStepForm => ({
        step: 'outcome',
        outcome: v.outcome,
        outcomeDate: v.outcomeDate,
        familyResponded: v.familyResponded === 'yes',
      }));
  }
}
