/**
 * A UK mobile number as a family types it: spaces, dashes, brackets and dots ignored; national (07...) or international
 * (+44 7..., 0044 7..., 44 7...) form. Ofcom's National Telephone Numbering Plan gives mobiles 071-075 and 077-079,
 * and 07624 (Isle of Man); 070 (personal numbering) and 076 (radiopaging) are not mobiles and cannot take a text.
 * Kept in national form: 11 digits starting 07. Null when it is not a UK mobile number.
 */
export function ukMobile(typed: string): string | null {
  const digits = typed.replace(/[\s\-().]/g, '');
  const m = /^(?:\+44|0044|44|0)(7\d{9})$/.exec(digits);
  if (!m) return null;
  const national = m[1]!;
  return /^7[1-57-9]/.test(national) || national.startsWith('7624') ? `0${national}` : null;
}
