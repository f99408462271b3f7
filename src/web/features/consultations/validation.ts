import { choice, optionalText } from '../../validation.js';
import type { Body } from '../../forms.js';
import { readStep, stepForm } from '../casework/validation.js';

/** A setting's answers: it can meet the child's needs, or it cannot (and then says why). */
export const SETTING_ANSWERS = ['can_meet', 'cannot_meet'] as const;

const answerForm = stepForm(
  {
    response: choice(SETTING_ANSWERS, 'Select whether your setting can meet the child’s needs'),
    note: optionalText('Your reasons', 5000),
  },
  {
    rules: (f) => [
      f.text('response') === 'cannot_meet' &&
        !f.text('note') && { path: ['note'], message: 'Enter the reasons your setting cannot meet the child’s needs' },
    ],
  },
);

export const readAnswer = (body: Body) => readStep(answerForm, body, (v) => v);
