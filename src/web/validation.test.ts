import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkForm, choice, dateInput, formErrors, optionalText, requiredText, withDateInputs } from './validation.js';

// The GOV.UK Design System's error summary links each message to the field at fault, and a date input's message to
// the box at fault (design-system.service.gov.uk/components/error-summary, /components/date-input).
const form = withDateInputs(
  ['decidedOn'],
  z.object({
    decidedOn: dateInput({ label: 'The date of the decision', enter: 'the date of the decision' }),
    outcome: choice(['assess', 'not_assess'], 'Select whether to assess'),
    reason: requiredText('Enter the reason', 'The reason', 1000),
    note: optionalText('The note', 5),
  }),
);

describe('the adapter from zod issues to the GOV.UK error summary', () => {
  it('gives the values when the form is right: a real date, the choice, trimmed text', () => {
    const result = checkForm(form, {
      'decidedOn-day': '9',
      'decidedOn-month': '1',
      'decidedOn-year': '2026',
      outcome: 'assess',
      reason: '  Needs  ',
    });
    expect(result).toEqual({
      ok: true,
      data: { decidedOn: '2026-01-09', outcome: 'assess', reason: 'Needs', note: '' },
    });
  });

  it('links each message to its field, a date to its day box when it is empty, one message per field', () => {
    const result = checkForm(form, { outcome: 'maybe', reason: ' ', note: 'too long' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { text: 'Enter the date of the decision', href: '#decidedOn-day' },
        { text: 'Select whether to assess', href: '#outcome' },
        { text: 'Enter the reason', href: '#reason' },
        { text: 'The note must be 5 characters or fewer', href: '#note' },
      ],
    });
  });

  it.each([
    [
      { 'decidedOn-day': '9', 'decidedOn-year': '2026' },
      'The date of the decision must include a month',
      '#decidedOn-month',
    ],
    [{ 'decidedOn-year': '2026' }, 'The date of the decision must include a day and month', '#decidedOn-day'],
    [
      { 'decidedOn-day': '30', 'decidedOn-month': '2', 'decidedOn-year': '2026' },
      'The date of the decision must be a real date',
      '#decidedOn-day',
    ],
    [
      { 'decidedOn-day': '1', 'decidedOn-month': '1', 'decidedOn-year': '26' },
      'The date of the decision must be a real date',
      '#decidedOn-day',
    ],
  ])('a date input: %j says "%s", linked to %s', (date, text, href) => {
    const result = checkForm(form, { ...date, outcome: 'assess', reason: 'x' });
    expect(result).toEqual({ ok: false, errors: [{ text, href }] });
  });

  it('writes lengths the British way and links a problem with the whole form to the main content', () => {
    expect(checkForm(requiredText('Enter it', 'The text', 1000), 'x'.repeat(1001))).toEqual({
      ok: false,
      errors: [{ text: 'The text must be 1,000 characters or fewer', href: '#main-content' }],
    });
    expect(formErrors([{ code: 'custom', message: 'Nothing was sent', path: [], input: undefined }])).toEqual([
      { text: 'Nothing was sent', href: '#main-content' },
    ]);
  });
});
