/**
 * Two-factor sign-in codes (TOTP, RFC 6238) with otplib: a new secret, the otpauth:// address an authenticator app
 * scans, and the check of a typed code, which gives the time step it belongs to (so that step is never accepted again).
 */
import { generateSecret, generateURI, verify } from 'otplib';
import { normaliseCode, TOTP } from '../domain/access/localAccounts.js';

/** A new shared secret: 20 random bytes (160 bits, RFC 4226 section 4's recommended length), in base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The address an authenticator app reads from the QR code: the service and council as issuer, the email as label. */
export function totpAddress(secret: string, issuer: string, email: string): string {
  return generateURI({ issuer, label: email, secret, period: TOTP.period, digits: TOTP.digits });
}

/**
 * The time step of a typed code that is right now (or one step either side), and later than `afterStep`; undefined
 * for a wrong, malformed or already used code.
 */
export async function codeStep(
  secret: string,
  typed: string,
  now: Date,
  afterStep: number | null,
): Promise<number | undefined> {
  const token = normaliseCode(typed);
  if (!token) return undefined;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    period: TOTP.period,
    digits: TOTP.digits,
    epochTolerance: TOTP.period * TOTP.toleranceSteps,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
