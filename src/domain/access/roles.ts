/**
 * Who may do what. Roles are granted per local authority; a parent's role is limited to their own child.
 * Navigation is derived from permissions so a user is never shown a page they cannot open.
 */
import { familyWords, type FamilyAccount } from './familyAccount.js';
export const ROLES = [
  'caseworker',
  'manager',
  'qa_auditor',
  'advice_giver',
  'parent',
  'board_member',
  'admin',
  'data_officer',
  'school',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  caseworker: 'Caseworker',
  manager: 'SEND manager',
  qa_auditor: 'Quality assurance auditor',
  advice_giver: 'Advice giver',
  parent: 'Parent or carer',
  board_member: 'Improvement board member',
  admin: 'Administrator',
  data_officer: 'Data officer',
  school: 'School or setting',
};

export type Permission =
  /** See the list of open requests for assessment in the LA. */
  | 'caseload:view'
  /** Open any case in the LA. */
  | 'case:read_any'
  /** Open the cases of children the user is linked to (a parent). */
  | 'case:read_own_child'
  /** Record casework on any case in the LA: requests, decisions, advice, drafts, final plans. */
  | 'case:write'
  /** Move cases between caseworkers and see everyone's workload. */
  | 'case:reassign'
  /** Read the messages the service has sent (chasers), by child reference. */
  | 'outbox:view'
  | 'users:view'
  | 'audit:view'
  /** Let an account locked by failed sign-ins sign in again at once. */
  | 'users:unlock'
  /**
   * Invite staff (one by one or from a CSV), give and take their roles and team, disable and re-enable accounts, send
   * a password-reset link and end a person's sessions.
   */
  | 'users:manage'
  /**
   * Invite a parent or carer, by email, to link their account to a child whose case the user works on (the link lets
   * them read that child's case only).
   */
  | 'family:invite'
  /** Keep the bank holiday list that working-day deadlines count with. */
  | 'calendar:manage'
  /** Read the retention report: the closed cases due for deletion under the retention schedule. */
  | 'retention:view'
  /** Read the performance measures dashboard (aggregates, not children's records). */
  | 'measures:view'
  /** Set the LA's target for a measure. */
  | 'measures:set_target'
  /** Read the improvement plan, its assurance and board report; update the actions one owns. */
  | 'plan:view'
  /** Write the improvement plan (and check a plan's text for vagueness). */
  | 'plan:edit'
  /** Audit the plans one is given to audit (and see only those audits). */
  | 'quality:audit'
  /** Keep the audit rubric, draw the monthly sample, see every audit, agreement and results. */
  | 'quality:manage'
  /** Make and check the SEN2 return, and import SEN2 or CSV files of existing cases. */
  | 'sen2:manage'
  /**
   * A family's part in their own child's case (a parent or carer, or a young person for themselves): give their views,
   * upload reports they hold, comment on the draft plan.
   */
  | 'family:contribute'
  /** Answer the advice requests addressed to the user or their service, and only those. */
  | 'advice:give'
  /** Answer the consultations about naming the user's school or setting in section I, and only those. */
  | 'consultation:answer';

const GRANTS: Record<Role, readonly Permission[]> = {
  caseworker: ['caseload:view', 'case:read_any', 'case:write', 'outbox:view', 'plan:view', 'family:invite'],
  manager: [
    'caseload:view',
    'case:read_any',
    'case:write',
    'case:reassign',
    'outbox:view',
    'family:invite',
    'measures:view',
    'measures:set_target',
    'plan:view',
    'plan:edit',
    'quality:manage',
    'sen2:manage',
  ],
  qa_auditor: ['case:read_any', 'measures:view', 'plan:view', 'quality:audit'],
  advice_giver: ['advice:give'],
  parent: ['case:read_own_child', 'family:contribute'],
  board_member: ['measures:view', 'plan:view', 'plan:edit'],
  admin: [
    'users:view',
    'audit:view',
    'users:unlock',
    'users:manage',
    'calendar:manage',
    'outbox:view',
    'retention:view',
  ],
  data_officer: ['measures:view', 'sen2:manage'],
  school: ['consultation:answer'],
};

/** The roles an administrator gives staff: every role but a parent's, which only a family's invitation gives. */
export const STAFF_ROLES = ROLES.filter((r): r is Exclude<Role, 'parent'> => r !== 'parent');
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function permissionsFor(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => GRANTS[r]));
}

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => GRANTS[r].includes(permission));
}

export interface CaseAccessSubject {
  laCode: string;
  childId: string;
}

export interface Actor {
  userId: string;
  laCode: string;
  roles: readonly Role[];
  /** Children a parent is linked to; empty for staff. */
  childIds: readonly string[];
}

/**
 * Whether an actor may open a case. The LA must match (one LA never sees another's children); then either the
 * actor may read any case in the LA, or the actor is linked to this child.
 */
export function canReadCase(actor: Actor, subject: CaseAccessSubject): boolean {
  if (actor.laCode !== subject.laCode) return false;
  if (can(actor.roles, 'case:read_any')) return true;
  return can(actor.roles, 'case:read_own_child') && actor.childIds.includes(subject.childId);
}

export interface NavItem {
  href: string;
  text: string;
}

/**
 * Service navigation for a signed-in user, in a fixed order. The home page is not in it: the service name (and the
 * council's name above it) already link there, and the manager's seven parts of the service then fit beside the
 * service name on one line at 1280 px, the sign-out on the next, instead of taking three lines. A family account's
 * links (`family`) decide how its one link reads.
 */
export function navigationFor(roles: readonly Role[], family: FamilyAccount | null = null): NavItem[] {
  const p = permissionsFor(roles);
  const items: NavItem[] = [];
  if (p.has('caseload:view')) items.push({ href: '/cases', text: 'Caseload' });
  if (p.has('case:read_own_child') && !p.has('caseload:view')) {
    // A family's link reads as they are: "Your request" to a young person, "Your children" to a carer of two.
    items.push({ href: '/my-child', text: family ? familyWords(family).navigation : 'Your child' });
  }
  if (p.has('advice:give')) items.push({ href: '/advice', text: 'Requests for advice' });
  if (p.has('consultation:answer')) items.push({ href: '/consultations', text: 'Consultations' });
  if (p.has('measures:view')) items.push({ href: '/measures', text: 'Measures' });
  if (p.has('plan:view')) items.push({ href: '/improvement-plan', text: 'Improvement plan' });
  if (p.has('quality:audit') || p.has('quality:manage')) items.push({ href: '/quality', text: 'Plan quality' });
  if (p.has('sen2:manage')) items.push({ href: '/sen2', text: 'SEN2 return' });
  if (p.has('outbox:view')) items.push({ href: '/messages', text: 'Messages' });
  if (p.has('users:view')) items.push({ href: '/admin/users', text: 'Users' });
  if (p.has('audit:view')) items.push({ href: '/admin/audit', text: 'Audit log' });
  if (p.has('calendar:manage')) items.push({ href: '/admin/bank-holidays', text: 'Bank holidays' });
  if (p.has('retention:view')) items.push({ href: '/admin/retention', text: 'Retention' });
  return items;
}
