/**
 * Staff accounts as an administrator manages them: what state an account is in, the roles a person may be given by
 * name or code, and the rules for a CSV of staff to import (columns name, email, roles, team).
 */
import { ROLE_NAMES, ROLES, STAFF_ROLES, type Role, type StaffRole } from './roles.js';

/** An email address as GOV.UK forms accept it: something@something.something, no spaces, at most 254 characters. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 100;
export const TEAM_MAX_LENGTH = 100;

export function isEmailAddress(text: string): boolean {
  return text.length <= EMAIL_MAX_LENGTH && EMAIL.test(text);
}

export const EMAIL_FORMAT_MESSAGE = 'Enter an email address in the correct format, like name@example.com';

/**
 * An account's state, as the users list shows it and filters by it: the one that decides whether the person can sign
 * in now. Disabled first (nothing else matters), then locked (failed sign-ins: an administrator can unlock), then
 * invited (no way to sign in yet: no password and no identity provider's account linked), else active. Worked out by
 * the users repository's query, so that the list can be filtered and paged by it.
 */
export const ACCOUNT_STATUSES = ['active', 'invited', 'locked', 'disabled'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const ACCOUNT_STATUS_NAMES: Record<AccountStatus, string> = {
  active: 'Active',
  invited: 'Not set up yet',
  locked: 'Locked by failed sign-ins',
  disabled: 'Disabled',
};

/** A role as written in a CSV: its code (`caseworker`) or its name (`SEND manager`), in any case. */
export function roleFromText(text: string): Role | undefined {
  const wanted = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return ROLES.find((r) => r === wanted || ROLE_NAMES[r].toLowerCase() === wanted);
}

/** The most rows one CSV may hold, and its largest size: a council's staff, with room to spare. */
export const STAFF_IMPORT_MAX_ROWS = 2_000;
export const STAFF_IMPORT_MAX_BYTES = 1_048_576;
export const STAFF_IMPORT_COLUMNS = ['name', 'email', 'roles', 'team'] as const;

export interface StaffRowInput {
  name: string;
  email: string;
  roles: string;
  team: string;
}

export interface StaffRow {
  name: string;
  email: string;
  roles: StaffRole[];
  team: string | null;
  /** An advice giver's service (an advice type); null: only the requests addressed to them by name. */
  adviceService?: string | null;
  /** A school or setting's user: the setting's URN. */
  settingUrn?: string | null;
}

/** One row of the file checked: its number in the file (the header is row 1), and its values or what is wrong. */
export type CheckedStaffRow = { row: number; input: StaffRowInput } & (
  { ok: true; value: StaffRow } | { ok: false; problems: string[] }
);

/**
 * Checks each row of a staff CSV on its own and against the others (an email address twice in the file is an error
 * on its second row): a name, an email address in the right format, one or more roles (codes or names separated by
 * `;`, none a parent's, which only a family's invitation gives), an optional team.
 */
export function checkStaffRows(rows: readonly StaffRowInput[]): CheckedStaffRow[] {
  const seen = new Map<string, number>();
  return rows.map((input, i) => {
    const row = i + 2;
    const problems: string[] = [];
    const name = input.name.trim();
    const email = input.email.trim();
    const team = input.team.trim();
    if (!name) problems.push('Enter a name');
    else if (name.length > NAME_MAX_LENGTH) problems.push(`Name must be ${NAME_MAX_LENGTH} characters or fewer`);
    if (!email) problems.push('Enter an email address');
    else if (!isEmailAddress(email)) problems.push(`${email} is not an email address in the correct format`);
    else {
      const key = email.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) problems.push(`${email} is also on row ${first}: each person once`);
      else seen.set(key, row);
    }
    const roles: StaffRole[] = [];
    const written = input.roles
      .split(';')
      .map((r) => r.trim())
      .filter(Boolean);
    if (written.length === 0) problems.push(`Enter one or more roles, separated by ";" (such as caseworker; manager)`);
    for (const text of written) {
      const role = roleFromText(text);
      if (role === undefined) problems.push(`"${text}" is not a role: use one of ${STAFF_ROLES.join(', ')}`);
      else if (role === 'parent') problems.push('A parent or carer is linked to their child by invitation, not here');
      else if (!roles.includes(role)) roles.push(role);
    }
    if (team.length > TEAM_MAX_LENGTH) problems.push(`Team must be ${TEAM_MAX_LENGTH} characters or fewer`);
    if (problems.length) return { row, input, ok: false, problems };
    return { row, input, ok: true, value: { name, email, roles, team: team || null } };
  });
}
