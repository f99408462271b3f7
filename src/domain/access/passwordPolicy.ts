/**
 * What a new password must be, for local accounts. Length over complexity, and never a common password:
 *
 * - NCSC password guidance (2018, "Password administration for system owners"): no complexity rules, no expiry,
 *   a deny list of the most common passwords; "three random words" for length.
 * - NIST SP 800-63B-4 (2025) section 3.1.1.2: a password used on its own SHALL be at least 15 characters; at least 64
 *   SHALL be allowed; no other composition rules; checked against a blocklist of common, expected or compromised
 *   values, including the service's name and the user's own details.
 *
 * The blocklist is the 49,233 most common passwords that zxcvbn-ts ships (`passwords-common`), matched ignoring case,
 * spaces and a trailing run of digits or symbols ("Password123!" is "password").
 */
import { dictionary } from '@zxcvbn-ts/language-common';

/** NIST SP 800-63B-4 3.1.1.2: at least 15 characters when the password is the only factor. */
export const PASSWORD_MIN_LENGTH = 15;
/** Longer passphrases are allowed up to here (NIST: at least 64); the limit bounds the hashing work per attempt. */
export const PASSWORD_MAX_LENGTH = 256;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** The password as it is compared with the blocklist: lower case, no spaces, no trailing digits or symbols. */
function core(password: string): string {
  return password
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[^a-z]+$/, '');
}

export interface PasswordContext {
  email?: string;
  displayName?: string;
  /** The council's name and the service's: a password made of them is one an attacker tries first. */
  laName?: string;
}

/**
 * The one thing wrong with a new password, as a GOV.UK error message, or undefined when it is allowed.
 */
export function passwordProblem(password: string, context: PasswordContext = {}): string | undefined {
  if (password.length === 0) return 'Enter a password';
  if ([...password].length < PASSWORD_MIN_LENGTH)
    return `Password must be ${PASSWORD_MIN_LENGTH} characters or more. Three random words make a strong password that is easy to remember`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  const whole = lower.replace(/\s+/g, '');
  const stem = core(password);
  const list = commonPasswords();
  if (
    list.has(whole) ||
    list.has(stem) ||
    /^(.)\1+$/.test(whole) ||
    /^(0123456789|1234567890|abcdefghijklmno)/.test(whole)
  )
    return 'Password is too common. Choose a password that is harder to guess, such as three random words';
  const own = [
    context.email?.split('@')[0],
    context.email,
    context.displayName,
    ...(context.displayName?.split(/\s+/) ?? []),
    context.laName,
    'openehcp',
  ]
    .map((s) => s?.toLowerCase().replace(/\s+/g, '') ?? '')
    .filter((s) => s.length >= 4);
  if (own.some((s) => whole.includes(s) && whole.length - s.length < 8))
    return 'Password must not be mostly your name, email address or the council’s name';
  return undefined;
}
