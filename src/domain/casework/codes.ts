/**
 * Code sets for recording a child and a request, as the SEN2 return uses them
 * (shared/reference/sen2/README.md section 3), and the format checks for identifiers.
 */
import { isValidUpn } from '../identifiers/upn.js';

/** SEN2 UPNunknown (item 1.7c): why a child has neither a UPN nor a ULN. */
export const UPN_UNKNOWN_NAMES: Record<string, string> = {
  UN1: 'Under 6 and has no UPN',
  UN2: 'Never attended a state school in England',
  UN3: 'Educated outside England',
  UN5: 'Sources of the UPN conflict',
  UN8: 'New to the area, UPN not yet known',
  UN9: 'Never in a state school or further education, no UPN or ULN',
  UN10: 'Request ended before the UPN was known',
};

/** SEN2 Sex (item 1.4). */
export const SEX_NAMES: Record<string, string> = { F: 'Female', M: 'Male' };

/** CBDS main ethnicity codes, as the school census and SEN2 use them. */
export const ETHNICITY_NAMES: Record<string, string> = {
  WBRI: 'White - British',
  WIRI: 'White - Irish',
  WIRT: 'Traveller of Irish heritage',
  WOTH: 'Any other White background',
  WROM: 'Gypsy or Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Black Caribbean',
  BAFR: 'Black African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
};

/** Unique Learner Number: 10 digits, not starting with 0 (the corrected SEN2 schema). */
export function isValidUln(value: string): boolean {
  return /^[1-9]\d{9}$/.test(value);
}

/** GIAS unique reference number of a school or setting: 6 digits. */
export function isValidUrn(value: string): boolean {
  return /^\d{6}$/.test(value);
}

/** A full UK postcode, e.g. "SG13 8DQ" (outward code, space optional, inward code). */
const POSTCODE =
  /^(GIR ?0AA|[A-PR-UWYZ](\d[A-HJKPSTUW]?|[A-HK-Y]\d[ABEHMNPRVWXY]?|\d{2}|[A-HK-Y]\d{2}) ?\d[ABD-HJLNP-UW-Z]{2})$/;

/** The postcode in its usual form (upper case, one space before the inward code), or null if it is not one. */
export function normalisePostcode(value: string): string | null {
  const compact = value.toUpperCase().replace(/\s+/g, '');
  if (!POSTCODE.test(compact)) return null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

export { isValidUpn };

/** Who the council contacts about a request. A young person of 16 or over may make the request for themselves. */
export const CONTACT_RELATIONSHIP_NAMES: Record<string, string> = {
  parent: 'Parent',
  carer: 'Carer or other person with parental responsibility',
  young_person: 'The young person themselves',
  other: 'Someone else acting for the family',
};

/** How they would like to be contacted; each needs the matching detail (an email address, a phone number, an address). */
export const CONTACT_PREFERENCE_NAMES: Record<string, string> = {
  email: 'Email',
  text: 'Text message',
  phone: 'Phone call',
  letter: 'Letter',
};

export const CONTACT_PREFERENCE_NEEDS: Record<string, 'email' | 'phone' | 'address'> = {
  email: 'email',
  text: 'phone',
  phone: 'phone',
  letter: 'address',
};

/**
 * A UK phone number as people write it (spaces, brackets and dashes allowed): 10 or 11 digits starting 0, or +44
 * followed by 9 or 10 digits. Returns the digits (with the leading +), or null when it is not one.
 */
export function normalisePhone(value: string): string | null {
  const compact = value.replace(/[\s()-]/g, '');
  if (/^0\d{9,10}$/.test(compact)) return compact;
  if (/^\+44\d{9,10}$/.test(compact)) return compact;
  return null;
}
