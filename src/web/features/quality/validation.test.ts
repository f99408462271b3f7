import { describe, expect, it } from 'vitest';
import { checkForm } from '../../validation.js';
import { rubricForm, sampleForm } from './validation.js';

describe('the monthly sample form', () => {
  it('reads the month and the two shares (a % sign allowed)', () => {
    expect(
      checkForm(sampleForm, { 'month-month': '11', 'month-year': '2026', percent: '10%', moderation: '20' }),
    ).toEqual({ ok: true, data: { month: '2026-11', percent: 10, moderation: 20 } });
  });

  it('says what is wrong with each field, linked to it, in the order of the page', () => {
    expect(checkForm(sampleForm, { 'month-month': '13', 'month-year': '2026', percent: '0', moderation: '' })).toEqual({
      ok: false,
      errors: [
        { text: 'The month must be a real month', href: '#month-month' },
        { text: 'The share of plans to audit must be between 1% and 100%', href: '#percent' },
        { text: 'Enter the share to moderate', href: '#moderation' },
      ],
    });
  });
});

describe('the rubric form', () => {
  it('reads the boundaries and each section’s weight, empty ones as null for the service to refuse', () => {
    expect(
      checkForm(rubricForm(2), {
        outstanding: '80',
        good: '',
        requiresImprovement: '40',
        'section-0-weight': '2',
        'section-1-weight': '1.5',
      }),
    ).toEqual({ ok: true, data: { outstanding: 80, good: null, requiresImprovement: 40, weights: [2, 1.5] } });
  });

  it('names the section at fault', () => {
    expect(
      checkForm(rubricForm(2), {
        outstanding: 'most',
        'section-1-name': 'x'.repeat(201),
        'section-1-weight': '11',
      }),
    ).toEqual({
      ok: false,
      errors: [
        { text: 'The Outstanding boundary must be a number', href: '#outstanding' },
        { text: 'The name of section 2 must be 200 characters or fewer', href: '#section-1-name' },
        { text: 'The weight of section 2 must be between 0 and 10', href: '#section-1-weight' },
      ],
    });
  });
});
