import { z } from 'zod';
import { checkForm, field } from '../../validation.js';

export interface FormError {
  text: string;
  href: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WRONG_EMAIL = 'Enter an email address in the correct format, like name@example.com';

/** The sign-in form: the email trimmed, the password exactly as typed (spaces can be part of it). */
const signInForm = z.object({
  email: field.pipe(
    z
      .string()
      .min(1, { error: 'Enter your email address' })
      .max(254, { error: WRONG_EMAIL })
      .regex(EMAIL, { error: WRONG_EMAIL }),
  ),
  password: password(),
});

function password() {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z
      .string()
      .min(1, { error: 'Enter your password' })
      .max(1024, { error: 'Password must be 1,024 characters or fewer' }),
  );
}

export function validateSignIn(body: Record<string, unknown>): {
  values: { email: string; password: string };
  errors: FormError[];
} {
  const values = { email: field.parse(body.email), password: typeof body.password === 'string' ? body.password : '' };
  const checked = checkForm(signInForm, body);
  return { values, errors: checked.ok ? [] : checked.errors };
}

/** "Forgotten your password?": the email address. */
const emailForm = z.object({ email: signInForm.shape.email });

export function validateEmail(body: Record<string, unknown>): { values: { email: string }; errors: FormError[] } {
  const values = { email: field.parse(body.email) };
  const checked = checkForm(emailForm, body);
  return { values, errors: checked.ok ? [] : checked.errors };
}

/** The code from an authenticator app: 6 digits (spaces and dashes, as apps show them, are ignored). */
const codeForm = z.object({
  code: field.pipe(
    z
      .string()
      .min(1, { error: 'Enter the 6-digit code from your authenticator app' })
      .regex(/^\d{3}[\s-]?\d{3}$/, { error: 'The code must be 6 digits, like 123456' }),
  ),
});

export function validateCode(body: Record<string, unknown>): { values: { code: string }; errors: FormError[] } {
  const values = { code: field.parse(body.code) };
  const checked = checkForm(codeForm, body);
  return { values, errors: checked.ok ? [] : checked.errors };
}
