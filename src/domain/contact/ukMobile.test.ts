import { describe, expect, it } from 'vitest';
import { ukMobile } from './ukMobile.js';

describe('ukMobile (Ofcom National Telephone Numbering Plan: mobiles are 071-075, 077-079 and 07624)', () => {
  it('takes a mobile number however it is typed, kept in national form', () => {
    expect(ukMobile('07700 900123')).toBe('07700900123');
    expect(ukMobile('+44 7700 900123')).toBe('07700900123');
    expect(ukMobile('0044-7700-900-123')).toBe('07700900123');
    expect(ukMobile('(07123) 456.789')).toBe('07123456789');
    expect(ukMobile('07624 123456')).toBe('07624123456');
  });

  it('refuses landlines, personal numbers, pagers and numbers of the wrong length', () => {
    expect(ukMobile('020 7946 0018')).toBeNull();
    expect(ukMobile('07000 123456')).toBeNull();
    expect(ukMobile('07600 123456')).toBeNull();
    expect(ukMobile('0770090012')).toBeNull();
    expect(ukMobile('077009001234')).toBeNull();
    expect(ukMobile('not a number')).toBeNull();
  });
});
