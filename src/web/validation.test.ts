import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkForm,
  choice,
  choices,
  dateInput,
  formErrors,
  labelledDate,
  monthInput,
  numberInput,
  optionalText,
  pageForm,
  readForm,
  requiredText,
  withDateInputs,
} from './validation.js';

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

// What the number, date and month inputs say, as the hand-written form reader they replaced said it (a property test
// compared them on every combination of these inputs before it was removed): the same message linked to the same box
// (the GOV.UK date input pattern: design-system.service.gov.uk/components/date-input), and the same value.
describe('the number, date and month inputs', () => {
  const share = (raw: string, whole: boolean, required: boolean) =>
    checkForm(z.object({ n: numberInput('The share', { min: 0, max: 100, whole, required, unit: '%' }) }), { n: raw });

  it.each([
    ['', false, true, { errors: [{ text: 'Enter the share', href: '#n' }] }],
    [' ', false, true, { errors: [{ text: 'Enter the share', href: '#n' }] }],
    ['', false, false, { data: null }],
    ['50%', true, true, { data: 50 }],
    ['1e2', true, true, { data: 100 }],
    ['1.5', false, true, { data: 1.5 }],
    ['1.5', true, true, { errors: [{ text: 'The share must be a whole number', href: '#n' }] }],
    ['x', false, true, { errors: [{ text: 'The share must be a number', href: '#n' }] }],
    ['1,000', true, true, { errors: [{ text: 'The share must be between 0% and 100%', href: '#n' }] }],
    ['-3', true, false, { errors: [{ text: 'The share must be between 0% and 100%', href: '#n' }] }],
  ])('a number: %j (whole %s, required %s)', (raw, whole, required, expected) => {
    const checked = share(raw, whole, required);
    if ('data' in expected) expect(checked).toEqual({ ok: true, data: { n: expected.data } });
    else expect(checked).toMatchObject({ ok: false, errors: expected.errors });
  });

  const dateAndMonth = withDateInputs(
    ['d', 'm'],
    z.object({
      d: dateInput({ label: 'The date of the meeting', enter: 'the date of the meeting' }),
      m: monthInput('The month'),
    }),
  );
  const typed = (day: string, month: string, year: string) =>
    checkForm(dateAndMonth, { 'd-day': day, 'd-month': month, 'd-year': year, 'm-month': month, 'm-year': year });

  it('a real date and month give their values', () => {
    expect(typed('9', '1', '2026')).toEqual({ ok: true, data: { d: '2026-01-09', m: '2026-01' } });
    expect(typed('29', '02', '2028')).toEqual({ ok: true, data: { d: '2028-02-29', m: '2028-02' } });
  });

  it.each([
    ['', '', '', ['Enter the date of the meeting', '#d-day'], ['Enter the month', '#m-month']],
    [
      '9',
      '',
      '',
      ['The date of the meeting must include a month and year', '#d-month'],
      ['Enter the month', '#m-month'],
    ],
    [
      '',
      '1',
      '',
      ['The date of the meeting must include a day and year', '#d-day'],
      ['The month must include a year', '#m-year'],
    ],
    [
      '',
      '',
      '2026',
      ['The date of the meeting must include a day and month', '#d-day'],
      ['The month must include a month', '#m-month'],
    ],
    ['31', '2', '2026', ['The date of the meeting must be a real date', '#d-day'], null],
    ['29', '2', '2026', ['The date of the meeting must be a real date', '#d-day'], null],
    [
      '2',
      '1',
      '26',
      ['The date of the meeting must be a real date', '#d-day'],
      ['The month must be a real month', '#m-month'],
    ],
    [
      '1',
      '13',
      '2026',
      ['The date of the meeting must be a real date', '#d-day'],
      ['The month must be a real month', '#m-month'],
    ],
  ])('a date %j %j %j', (day, month, year, dateError, monthError) => {
    const errors = [dateError, monthError].filter((e) => e !== null).map(([text, href]) => ({ text, href }));
    expect(typed(day, month, year)).toMatchObject({ ok: false, errors });
  });
});

// A page's form (pageForm): every problem at once, in the order of the page, as the GOV.UK error summary lists them;
// a rule between fields is checked even where a field has a problem of its own; what was typed is kept to show again.
describe('a page form with rules between its fields', () => {
  const decision = pageForm(
    {
      outcome: choice(['assess', 'not_assess'], 'Select whether to assess'),
      reasons: optionalText('Reasons', 20),
      decidedOn: labelledDate('The date of the decision'),
      advice: choices(['health', 'social_care'], 'Select the advice'),
    },
    {
      dates: ['decidedOn'],
      lists: ['advice'],
      rules: (f) => [
        f.text('outcome') === 'not_assess' && !f.text('reasons') && { path: ['reasons'], message: 'Enter the reasons' },
        f.value('decidedOn') === '2026-01-01' && { path: [], message: 'Not on New Year’s Day' },
      ],
    },
  );

  it('gives the values when the form is right', () => {
    const body = {
      outcome: 'assess',
      'decidedOn-day': '2',
      'decidedOn-month': '1',
      'decidedOn-year': '2026',
      advice: 'health',
    };
    expect(readForm(decision, body)).toEqual({
      data: { outcome: 'assess', reasons: '', decidedOn: '2026-01-02', advice: ['health'] },
      errors: [],
      values: { outcome: 'assess', reasons: '', decidedOn: { day: '2', month: '1', year: '2026' }, advice: ['health'] },
    });
  });

  it('checks a rule where another field has its own problem, and lists it in the order of the page', () => {
    const body = { outcome: 'not_assess', reasons: ' ', 'decidedOn-day': '2', 'decidedOn-year': '2026' };
    expect(readForm(decision, body).errors).toEqual([
      { text: 'Enter the reasons', href: '#reasons' },
      { text: 'The date of the decision must include a month', href: '#decidedOn-month' },
      { text: 'Select the advice', href: '#advice' },
    ]);
  });

  it('links a rule on the whole form to the main content, after the fields; keeps what was typed', () => {
    const long = 'x'.repeat(21);
    const body = {
      outcome: 'not_assess',
      reasons: long,
      'decidedOn-day': '1',
      'decidedOn-month': '1',
      'decidedOn-year': '2026',
      advice: ['social_care', 'dental'],
    };
    const read = readForm(decision, body);
    expect(read.errors).toEqual([
      { text: 'Reasons must be 20 characters or fewer', href: '#reasons' },
      { text: 'Not on New Year’s Day', href: '#main-content' },
    ]);
    expect(read.data).toBeNull();
    expect(read.values).toMatchObject({ reasons: long, advice: ['social_care', 'dental'] });
  });
});
