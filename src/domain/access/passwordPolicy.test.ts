import { describe, expect, it } from 'vitest';
import { PASSWORD_MIN_LENGTH, passwordProblem } from './passwordPolicy.js';

describe('new password policy', () => {
  it('needs 15 characters or more (NIST SP 800-63B-4 3.1.1.2, a password on its own)', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(15);
    expect(passwordProblem('kettle-orbit-m')).toMatch(/15 characters or more/);
    expect(passwordProblem('kettle-orbit-mu')).toBeUndefined();
    expect(passwordProblem('')).toBe('Enter a password');
  });

  it('asks for length, not complexity: three lower-case words are fine (NCSC: no composition rules)', () => {
    expect(passwordProblem('purple kettle orbit')).toBeUndefined();
    expect(passwordProblem('correcthorsebatterystaple')).toBeUndefined();
  });

  it('refuses common passwords, with case, spaces and trailing digits or symbols ignored (NCSC deny list)', () => {
    expect(passwordProblem('passwordpassword')).toMatch(/too common/);
    expect(passwordProblem('Password123456789!')).toMatch(/too common/);
    expect(passwordProblem('qwertyuiop123456')).toMatch(/too common/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/too common/);
    expect(passwordProblem('123456789012345')).toMatch(/too common/);
  });

  it("refuses a password that is mostly the user's own name, email or the council's name", () => {
    const context = { email: 'sam.okafor@county.gov.uk', displayName: 'Sam Okafor', laName: 'Hertfordshire' };
    expect(passwordProblem('hertfordshire2026', context)).toMatch(/council’s name/);
    expect(passwordProblem('sam.okafor2026!!', context)).toMatch(/your name/);
    expect(passwordProblem('okafor kettle orbit planet', context)).toBeUndefined();
  });

  it('allows long passphrases up to 256 characters (NIST: at least 64 allowed)', () => {
    expect(passwordProblem('word '.repeat(13) + 'end')).toBeUndefined();
    expect(passwordProblem('x'.repeat(257))).toMatch(/256 characters or fewer/);
  });
});
