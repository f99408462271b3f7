import { describe, expect, it } from 'vitest';
import { validateSignIn } from './validation.js';

// GOV.UK Design System error messages for email and password fields (design-system.service.gov.uk/patterns/email-addresses).
describe('the sign-in form', () => {
  it('keeps the email trimmed and the password exactly as typed', () => {
    expect(validateSignIn({ email: ' a@b.example ', password: ' secret ' })).toEqual({
      values: { email: 'a@b.example', password: ' secret ' },
      errors: [],
    });
  });

  it.each<[Record<string, unknown>, ...[string, string][]]>([
    [{}, ['Enter your email address', '#email'], ['Enter your password', '#password']],
    [
      { email: 'not-an-email', password: 'x' },
      ['Enter an email address in the correct format, like name@example.com', '#email'],
    ],
    [
      { email: `${'a'.repeat(250)}@b.example`, password: 'x' },
      ['Enter an email address in the correct format, like name@example.com', '#email'],
    ],
    [{ email: 'a@b.example', password: 'x'.repeat(1025) }, ['Password must be 1,024 characters or fewer', '#password']],
    [{ email: ['a@b.example', 'c@d.example'], password: 'x' }, ['Enter your email address', '#email']],
  ])('%j', (body, ...expected) => {
    expect(validateSignIn(body).errors).toEqual(expected.map(([text, href]) => ({ text, href })));
  });
});
