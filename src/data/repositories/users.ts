import { and, asc, eq, sql } from 'drizzle-orm';
import { prepared, type Db } from '../db.js';
import { localAuthorities, roleAssignments, users } from '../schema.js';

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

/** A user and their role assignments in one query (a user without any role is returned as undefined). */
export async function findUserWithRoles(
  db: Db,
  userId: string,
): Promise<{ user: UserRecord; assignments: RoleAssignmentRecord[] } | undefined> {
  // Run on every signed-in request (roles are re-read each time), so prepared once.
  const rows = await prepared(db, 'user_with_roles', () =>
    db
      .select({
        ...userColumns,
        laCode: roleAssignments.laCode,
        laName: localAuthorities.name,
        role: roleAssignments.role,
        childId: roleAssignments.childId,
        team: roleAssignments.team,
      })
      .from(users)
      .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
      .innerJoin(localAuthorities, eq(localAuthorities.laCode, roleAssignments.laCode))
      .where(eq(users.id, sql.placeholder('userId')))
      .orderBy(asc(roleAssignments.laCode), asc(roleAssignments.role))
      .prepare('user_with_roles'),
  ).execute({ userId });
  const first = rows[0];
  if (!first) return undefined;
  const { id, email, displayName, passwordHash, disabled } = first;
  return {
    user: { id, email, displayName, passwordHash, disabled },
    assignments: rows.map(({ laCode, laName, role, childId, team }) => ({ laCode, laName, role, childId, team })),
  };
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
