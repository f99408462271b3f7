import { describe, expect, it } from 'vitest';
import { validateBankHoliday } from './bankHolidays.js';

// The GOV.UK date input pattern (design-system.service.gov.uk/components/date-input): say what is missing, link to
// the box at fault, and "must be a real date" for one that does not exist.
describe('the bank holiday form', () => {
  const check = (body: Record<string, unknown>) => validateBankHoliday(body);

  it('accepts a real date from 2014 to 2100 with an optional name', () => {
    expect(check({ day: ' 1 ', month: '1', year: '2029', title: "New Year's Day" })).toEqual({
      values: { day: '1', month: '1', year: '2029', title: "New Year's Day" },
      date: '2029-01-01',
      errors: [],
    });
  });

  it.each([
    [{}, [{ text: 'Enter the date of the bank holiday', href: '#date-day' }]],
    [{ day: '1', year: '2029' }, [{ text: 'The date must include a month', href: '#date-month' }]],
    [{ year: '2029' }, [{ text: 'The date must include a day and month', href: '#date-day' }]],
    [
      { day: '31', month: '2', year: '2029' },
      [{ text: 'The date must be a real date, like 25 12 2029', href: '#date-day' }],
    ],
    [
      { day: 'one', month: '2', year: '2029' },
      [{ text: 'The date must be a real date, like 25 12 2029', href: '#date-day' }],
    ],
    [{ day: '1', month: '1', year: '2101' }, [{ text: 'The year must be between 2014 and 2100', href: '#date-year' }]],
    [
      { day: '1', month: '1', year: '2013', title: 'x'.repeat(101) },
      [
        { text: 'The year must be between 2014 and 2100', href: '#date-year' },
        { text: 'The name must be 100 characters or fewer', href: '#title' },
      ],
    ],
  ])('%j: %j', (body, errors) => {
    const result = check(body);
    expect(result.errors).toEqual(errors);
    expect(result.date).toBeNull();
  });
});
