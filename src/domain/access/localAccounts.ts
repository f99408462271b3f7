/**
 * Local accounts (a password, and a code from an authenticator app for the roles that can do most harm): who must use
 * two-factor sign-in, how codes are checked, how long a half-finished sign-in and a proof of identity last, and the
 * shape of what `openehcp setup` asks for.
 */
import { isRole, type Role } from './roles.js';

/**
 * Roles that must sign in with a password and a code (TOTP): administrators change who can see children's records,
 * and data officers download every child's record at once (the SEN2 return). Demo accounts are exempt: their
 * password is published.
 */
export const TWO_FACTOR_ROLES: readonly Role[] = ['admin', 'data_officer'];

/** Whether an account must have two-factor sign-in set up before it can be used. */
export function requiresTwoFactor(roles: readonly string[], isDemo: boolean): boolean {
  return !isDemo && roles.some((r) => isRole(r) && TWO_FACTOR_ROLES.includes(r));
}

/**
 * TOTP as every authenticator app does it (RFC 6238 with its defaults: HMAC-SHA-1, 30-second steps, 6 digits). A code
 * from the step before or after now is accepted too (RFC 6238 section 5.2 recommends at most one step of network
 * delay; the other allows for a phone's clock a little ahead), and a step once accepted never is again (section 5.2:
 * "the verifier MUST NOT accept the second attempt of the OTP after the successful validation").
 */
export const TOTP = { period: 30, digits: 6, toleranceSteps: 1 } as const;

/** The TOTP time step a moment falls in (RFC 6238 section 4.2: T = floor((now - T0) / X), T0 = 0). */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP.period);
}

/** What a person types as a code: 6 digits, spaces (as apps show "123 456") and dashes ignored. */
export function normaliseCode(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}

/**
 * How long a sign-in that has passed its password waits for the code (or for two-factor sign-in to be set up):
 * long enough to find a phone and scan a QR code, short enough that a session left at that step is soon worthless.
 */
export const PENDING_SIGN_IN_MINUTES = 10;

/** Exporting every child's record, or changing who may do what, needs a proof of identity this recent. */
export const RECENT_AUTHENTICATION_MINUTES = 15;

/** A DfE local authority code: 3 digits (201 City of London ... 938 West Sussex; 999 is the demo county). */
export function laCodeProblem(code: string): string | undefined {
  return /^\d{3}$/.test(code) ? undefined : 'must be the LA’s 3-digit DfE code, like 919';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email address as the GOV.UK pattern checks it: something@something.something, at most 254 characters. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}
