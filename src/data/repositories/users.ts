import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { prepared, type Db } from '../db.js';
import { localAuthorities, roleAssignments, sessions, users } from '../schema.js';

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  disabled: boolean;
}

export interface RoleAssignmentRecord {
  laCode: string;
  laName: string;
  role: string;
  childId: string | null;
  team: string | null;
}

const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  passwordHash: users.passwordHash,
  disabled: users.disabled,
};

export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | undefined> {
  const rows = await db
    .select(userColumns)
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  return rows[0];
}

/** A user and one of their role assignments, a row each. */
const userRoleColumns = {
  ...userColumns,
  laCode: roleAssignments.laCode,
  laName: localAuthorities.name,
  role: roleAssignments.role,
  childId: roleAssignments.childId,
  team: roleAssignments.team,
};

/** A user and their role assignments in one query (a user without any role is returned as undefined). */
export async function findUserWithRoles(
  db: Db,
  userId: string,
): Promise<{ user: UserRecord; assignments: RoleAssignmentRecord[] } | undefined> {
  // Run on every signed-in request (roles are re-read each time), so prepared once.
  const rows = await prepared(db, 'user_with_roles', () =>
    db
      .select(userRoleColumns)
      .from(users)
      .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
      .innerJoin(localAuthorities, eq(localAuthorities.laCode, roleAssignments.laCode))
      .where(eq(users.id, sql.placeholder('userId')))
      .orderBy(asc(roleAssignments.laCode), asc(roleAssignments.role))
      .prepare('user_with_roles'),
  ).execute({ userId });
  return userWithRolesFrom(rows);
}

type UserRoleRow = UserRecord & Omit<RoleAssignmentRecord, 'laName'> & { laName: string | null };

/** Rows of a user joined to their role assignments, as one user (none when there are no rows). */
function userWithRolesFrom(rows: UserRoleRow[]): { user: UserRecord; assignments: RoleAssignmentRecord[] } | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const { id, email, displayName, passwordHash, disabled } = first;
  return {
    user: { id, email, displayName, passwordHash, disabled },
    assignments: rows.map(({ laCode, laName, role, childId, team }) => ({
      laCode,
      laName: laName ?? '',
      role,
      childId,
      team,
    })),
  };
}

/** A session's user id, when it is one (anything else matches no user rather than failing the query). */
const sessionUserId = sql`case when ${sessions.sess}->>'userId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (${sessions.sess}->>'userId')::uuid end`;

/**
 * A session and, when someone is signed in to it, their user and role assignments as they are now: what every
 * signed-in request needs first, in one query instead of two.
 */
export async function findSessionWithUser(
  db: Db,
  sid: string,
): Promise<
  | { sess: unknown; expiresAt: Date; user: { user: UserRecord; assignments: RoleAssignmentRecord[] } | undefined }
  | undefined
> {
  const rows = await prepared(db, 'session_with_user', () =>
    db
      .select({ sess: sessions.sess, expiresAt: sessions.expiresAt, ...userRoleColumns })
      .from(sessions)
      .leftJoin(users, eq(users.id, sessionUserId))
      .leftJoin(roleAssignments, eq(roleAssignments.userId, users.id))
      .leftJoin(localAuthorities, eq(localAuthorities.laCode, roleAssignments.laCode))
      .where(eq(sessions.sid, sql.placeholder('sid')))
      .orderBy(asc(roleAssignments.laCode), asc(roleAssignments.role))
      .prepare('session_with_user'),
  ).execute({ sid });
  const first = rows[0];
  if (!first) return undefined;
  // A user without any role assignment comes back as one row with no role: no user, as findUserWithRoles has it.
  const withRoles = rows.filter((r): r is UserRoleRow & typeof r => r.id !== null && r.role !== null);
  return { sess: first.sess, expiresAt: first.expiresAt, user: userWithRolesFrom(withRoles) };
}

export async function recordSignIn(db: Db, userId: string, at: Date): Promise<void> {
  await db.update(users).set({ lastSignInAt: at }).where(eq(users.id, userId));
}

export interface UserListRow {
  id: string;
  email: string;
  displayName: string;
  disabled: boolean;
  canSignIn: boolean;
  lastSignInAt: Date | null;
  roles: string[];
  teams: string[];
}

/** Users who hold any role in the LA, with their roles there. */
export async function listUsersInLa(db: Db, laCode: string): Promise<UserListRow[]> {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      disabled: users.disabled,
      canSignIn: sql<boolean>`${users.passwordHash} is not null`,
      lastSignInAt: users.lastSignInAt,
      roles: sql<string[]>`array_agg(distinct ${roleAssignments.role} order by ${roleAssignments.role})`,
      teams: sql<
        string[]
      >`coalesce(array_agg(distinct ${roleAssignments.team}) filter (where ${roleAssignments.team} is not null), '{}')`,
    })
    .from(users)
    .innerJoin(roleAssignments, and(eq(roleAssignments.userId, users.id), eq(roleAssignments.laCode, laCode)))
    .groupBy(users.id)
    .orderBy(asc(users.displayName));
  return rows;
}

/** The names of people who hold (or held) a role in the LA, by user id; ids of anyone else are left out. */
export async function displayNames(db: Db, laCode: string, ids: readonly string[]): Promise<Map<string, string>> {
  const valid = ids.filter((id) => id !== 'unknown'); // ids from stored figures: user ids, or 'unknown'
  if (valid.length === 0) return new Map();
  const rows = await db
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(users)
    .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
    .where(and(eq(roleAssignments.laCode, laCode), inArray(users.id, valid)));
  return new Map(rows.map((r) => [r.id, r.name]));
}
