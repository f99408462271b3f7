/**
 * Unique pupil numbers (DfE): 13 characters, a check letter then 12 characters (LA code, establishment number, year,
 * serial). The check letter is the sum of each later character's value times its position (2 to 13), modulo 23,
 * mapped to the letters A-Z without I, O and S.
 */
const CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

export function upnCheckLetter(body: string): string {
  if (!/^\d{11}[0-9A-Z]$/.test(body)) throw new RangeError('a UPN body is 11 digits and a digit or letter');
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const ch = body[i]!;
    // A temporary UPN ends in a letter, valued by its place in CHECK_LETTERS.
    const value = /\d/.test(ch) ? Number(ch) : CHECK_LETTERS.indexOf(ch);
    sum += value * (i + 2);
  }
  return CHECK_LETTERS[sum % 23]!;
}

/** The UPN's form as the SEN2 schema has it (a letter, then 12 digits or 11 and a letter), check letter unchecked. */
export function hasUpnForm(value: string): boolean {
  return /^[A-Za-z]\d{11}[0-9A-Za-z]$/.test(value);
}

export function isValidUpn(value: string): boolean {
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(value)) return false;
  const body = value.slice(1);
  if (/[A-Z]$/.test(body) && !CHECK_LETTERS.includes(body.slice(-1))) return false;
  return upnCheckLetter(body) === value[0];
}
