import { describe, expect, it } from 'vitest';
import { hasUpnForm, isValidUpn, upnCheckLetter } from './upn.js';

describe('unique pupil number check letter (DfE UPN guidance)', () => {
  it('computes the check letter from positions 2-13 weighted 2..13, modulo 23', () => {
    // 8*2 + 2*3 + 3*4 + 1*8 + 1*9 + 1*13 = 64; 64 mod 23 = 18, the 19th of ABCDEFGHJKLMNPQRTUVWXYZ = 'V'
    expect(upnCheckLetter('823000110001')).toBe('V');
    expect(isValidUpn('V823000110001')).toBe(true);
  });

  it('rejects a UPN whose check letter does not match, and malformed values', () => {
    expect(isValidUpn('A823000110001')).toBe(false);
    expect(isValidUpn('T82300011000')).toBe(false);
    expect(isValidUpn('t823000110001')).toBe(false);
    expect(isValidUpn('T82300011000I')).toBe(false);
  });

  it('tells a value of the SEN2 schema’s UPN form (check letter aside) from one that is not', () => {
    expect(hasUpnForm('A823000110001')).toBe(true);
    expect(hasUpnForm('a82300011000B')).toBe(true);
    expect(hasUpnForm('X1234567898765')).toBe(false);
    expect(hasUpnForm('1823000110001')).toBe(false);
  });
});
