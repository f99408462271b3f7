import { describe, expect, it } from 'vitest';
import { isUuid, MAX_INTEGER, versionFrom } from './uuid.js';

describe('record identifiers', () => {
  it('takes a UUID in its 8-4-4-4-12 form (RFC 9562), in either case', () => {
    expect(isUuid('0b6a5d3e-8f1c-4c2a-9e7d-1a2b3c4d5e6f')).toBe(true);
    expect(isUuid('0B6A5D3E-8F1C-4C2A-9E7D-1A2B3C4D5E6F')).toBe(true);
  });

  it('refuses what only looks like one: 36 hyphens and hex digits in the wrong places, NUL, other text', () => {
    // Each of these matched the old check /^[0-9a-f-]{36}$/ and then made PostgreSQL fail the query (issue 23).
    expect(isUuid('------------------------------------')).toBe(false);
    expect(isUuid('0b6a5d3e8f1c4c2a9e7d1a2b3c4d5e6f----')).toBe(false);
    expect(isUuid('0b6a5d3e-8f1c-4c2a-9e7d-1a2b3c4d5e6')).toBe(false);
    expect(isUuid('\u0000')).toBe(false);
    expect(isUuid('0b6a5d3e-8f1c-4c2a-9e7d-1a2b3c4d5e6f\n')).toBe(false);
    expect(isUuid(undefined)).toBe(false);
  });
});

describe('record versions from a form', () => {
  it('reads whole numbers up to the largest a PostgreSQL integer holds (2^31 - 1)', () => {
    expect(versionFrom('0')).toBe(0);
    expect(versionFrom('7')).toBe(7);
    expect(versionFrom(String(MAX_INTEGER))).toBe(2_147_483_647);
  });

  it('gives NaN for anything else, so no stored version matches it', () => {
    for (const raw of ['2147483648', '99999999999999999999', '-1', '1.5', '1e3', '', ' 1', 'NaN']) {
      expect(versionFrom(raw)).toBeNaN();
    }
  });
});
