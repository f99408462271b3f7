import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AccountStatus } from '../../domain/access/staff.js';
import { prepared, queryRows, type Db } from '../db.js';
import { externalIdentities, localAuthorities, roleAssignments, sessions, staffImports, users } from '../schema.js';

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
  /** A family link's relationship to the child ('parent' or 'young_person'); null otherwise. */
  relationship: string | null;
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
  relationship: roleAssignments.relationship,
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
    assignments: rows.map(({ laCode, laName, role, childId, team, relationship }) => ({
      laCode,
      laName: laName ?? '',
      role,
      childId,
      team,
      relationship,
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

/** One account as the administrator's pages show it, with its state worked out from the rows that decide it. */
export interface AccountRow {
  id: string;
  email: string;
  displayName: string;
  disabled: boolean;
  /** A password is set or an identity provider's account is linked: the person can sign in. */
  canSignIn: boolean;
  /** The end of a lock after failed sign-ins, when one is in force now. */
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  status: AccountStatus;
  /** Their roles in the LA (each once). */
  roles: string[];
  teams: string[];
  version: number;
}

/**
 * The LA's accounts, filtered by role and state, a page at a time (by name), with how many match in all. An
 * account's state is the one that decides whether they can sign in now (domain/access/staff.ts): disabled, else
 * locked by failed sign-ins, else invited (no password and no identity provider's account yet), else active.
 */
export async function listAccountsInLa(
  db: Db,
  laCode: string,
  now: Date,
  filter: { role?: string; status?: AccountStatus; userId?: string; limit: number; offset: number },
): Promise<{ rows: AccountRow[]; total: number }> {
  const rows = await queryRows<{
    id: string;
    email: string;
    display_name: string;
    disabled: boolean;
    can_sign_in: boolean;
    locked_until: Date | string | null;
    last_sign_in_at: Date | string | null;
    status: AccountStatus;
    roles: string[];
    teams: string[];
    version: number;
    total: number;
  }>(
    db,
    sql`with a as (
        select u.id, u.email, u.display_name, u.disabled, u.last_sign_in_at, u.version,
          (u.password_hash is not null
            or exists (select 1 from external_identities e where e.user_id = u.id)) as can_sign_in,
          max(t.locked_until) as locked_until,
          array_agg(distinct r.role order by r.role) as roles,
          coalesce(array_agg(distinct r.team order by r.team) filter (where r.team is not null), '{}') as teams
        from users u
        join role_assignments r on r.user_id = u.id and r.la_code = ${laCode}
        left join sign_in_throttle t
          on t.scope = 'account' and t.key = lower(u.email) and t.locked_until > ${now}::timestamptz
        where ${filter.userId ? sql`u.id = ${filter.userId}` : sql`true`}
        group by u.id
      ), s as (
        select a.*, case when disabled then 'disabled' when locked_until is not null then 'locked'
          when not can_sign_in then 'invited' else 'active' end as status
        from a
      )
      select s.*, (count(*) over ())::int as total from s
      where ${filter.role ? sql`${filter.role} = any(s.roles)` : sql`true`}
        and ${filter.status ? sql`s.status = ${filter.status}` : sql`true`}
      order by lower(s.display_name), s.id
      limit ${filter.limit} offset ${filter.offset}`,
  );
  const asDate = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    total: rows[0]?.total ?? (filter.offset > 0 ? await countAccounts(db, laCode, now, filter) : 0),
    rows: rows.map((r) => ({
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      disabled: r.disabled,
      canSignIn: r.can_sign_in,
      lockedUntil: asDate(r.locked_until),
      lastSignInAt: asDate(r.last_sign_in_at),
      status: r.status,
      roles: r.roles,
      teams: r.teams,
      version: Number(r.version),
    })),
  };
}

/** How many accounts match when a page past the last was asked for. */
async function countAccounts(
  db: Db,
  laCode: string,
  now: Date,
  filter: { role?: string; status?: AccountStatus; userId?: string },
): Promise<number> {
  const { total } = await listAccountsInLa(db, laCode, now, { ...filter, limit: 1, offset: 0 });
  return total;
}

/** A user's role assignments in one LA, as stored (a parent's each name a child). */
export async function roleAssignmentsInLa(
  db: Db,
  userId: string,
  laCode: string,
): Promise<{ role: string; childId: string | null; childReference: string | null; team: string | null }[]> {
  return queryRows(
    db,
    sql`select r.role, r.child_id as "childId", c.reference as "childReference", r.team
      from role_assignments r left join children c on c.id = r.child_id and c.la_code = r.la_code
      where r.user_id = ${userId} and r.la_code = ${laCode}
      order by r.role, c.reference`,
  );
}

/**
 * Locks a user's row for a change and reads what an administrator changes (whether disabled, the version), in the
 * caller's transaction. Undefined when there is no such user.
 */
export async function lockUser(
  db: Db,
  userId: string,
): Promise<{ id: string; email: string; displayName: string; disabled: boolean; version: number } | undefined> {
  const rows = await queryRows<{ id: string; email: string; displayName: string; disabled: boolean; version: number }>(
    db,
    sql`select id, email, display_name as "displayName", disabled, version from users where id = ${userId} for update`,
  );
  return rows[0];
}

/** Raises a user's version after a change (their row locked by lockUser first), and sets whether disabled. */
export async function saveUserChange(
  db: Db,
  userId: string,
  change: { disabled?: boolean; clearTwoFactor?: boolean },
): Promise<number> {
  const rows = await db
    .update(users)
    .set({
      version: sql`${users.version} + 1`,
      ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
      ...(change.clearTwoFactor ? { totpSecret: null, totpLastStep: null } : {}),
    })
    .where(eq(users.id, userId))
    .returning({ version: users.version });
  return rows[0]!.version;
}

export async function insertUser(db: Db, user: { email: string; displayName: string }): Promise<string> {
  const rows = await db.insert(users).values(user).returning({ id: users.id });
  return rows[0]!.id;
}

export async function insertRoleAssignments(
  db: Db,
  rows: { userId: string; laCode: string; role: string; team: string | null; childId?: string | null }[],
): Promise<void> {
  if (rows.length) await db.insert(roleAssignments).values(rows);
}

/** Takes staff roles from a user in one LA (a parent's link to a child is never taken here). */
export async function deleteStaffRoles(db: Db, userId: string, laCode: string, roles: string[]): Promise<void> {
  if (roles.length === 0) return;
  await db
    .delete(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, userId),
        eq(roleAssignments.laCode, laCode),
        inArray(roleAssignments.role, roles),
        isNull(roleAssignments.childId),
      ),
    );
}

/** Sets the team on all of a user's staff roles in one LA (null for none). */
export async function setTeam(db: Db, userId: string, laCode: string, team: string | null): Promise<void> {
  await db
    .update(roleAssignments)
    .set({ team })
    .where(
      and(eq(roleAssignments.userId, userId), eq(roleAssignments.laCode, laCode), isNull(roleAssignments.childId)),
    );
}

/** The LA's administrators whose accounts are not disabled. */
export async function activeAdministrators(db: Db, laCode: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
    .where(and(eq(roleAssignments.laCode, laCode), eq(roleAssignments.role, 'admin'), eq(users.disabled, false)));
  return rows.map((r) => r.id);
}

/** Whether the user holds any role in the LA. */
export async function holdsRoleIn(db: Db, userId: string, laCode: string): Promise<boolean> {
  const rows = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.laCode, laCode)))
    .limit(1);
  return rows.length > 0;
}

/** A user's sessions that have not expired: when they signed in and were last active (the newest first). */
export async function sessionsOfUser(
  db: Db,
  userId: string,
  now: Date,
): Promise<{ sid: string; signedInAt: Date | null; lastActiveAt: Date; expiresAt: Date; method: string | null }[]> {
  const rows = await queryRows<{
    sid: string;
    signed_in_ms: string | null;
    max_age_ms: string | null;
    expires_at: Date | string;
    method: string | null;
  }>(
    db,
    sql`select sid, sess->>'signedInAt' as signed_in_ms, sess->'cookie'->>'originalMaxAge' as max_age_ms,
        expires_at, sess->>'signInMethod' as method
      from sessions where user_id = ${userId} and expires_at > ${now}::timestamptz
      order by expires_at desc`,
  );
  return rows.map((r) => {
    const expiresAt = new Date(r.expires_at);
    const maxAge = r.max_age_ms && /^\d+$/.test(r.max_age_ms) ? Number(r.max_age_ms) : 0;
    const signedIn = r.signed_in_ms && /^\d+$/.test(r.signed_in_ms) ? new Date(Number(r.signed_in_ms)) : null;
    return {
      sid: r.sid,
      signedInAt: signedIn,
      // The store pushes the expiry back an idle period after each request (to within a minute).
      lastActiveAt: new Date(expiresAt.getTime() - maxAge),
      expiresAt,
      method: r.method,
    };
  });
}

/** Ends a user's sessions: those named, or all. Returns how many ended. */
export async function deleteSessionsOfUser(db: Db, userId: string, sids?: string[]): Promise<number> {
  if (sids && sids.length === 0) return 0;
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), sids ? inArray(sessions.sid, sids) : undefined))
    .returning({ sid: sessions.sid });
  return rows.length;
}

/** Keeps an uploaded staff CSV for its confirmation, replacing the administrator's earlier ones and any a day old. */
export async function putStaffImport(
  db: Db,
  upload: { laCode: string; createdBy: string; fileName: string; content: string },
  now: Date,
): Promise<string> {
  await db
    .delete(staffImports)
    .where(
      sql`${staffImports.createdBy} = ${upload.createdBy} or ${staffImports.createdAt} < ${new Date(now.getTime() - 86_400_000)}`,
    );
  const rows = await db.insert(staffImports).values(upload).returning({ id: staffImports.id });
  return rows[0]!.id;
}

/** An uploaded staff CSV, only for the administrator who uploaded it, in their LA. */
export async function findStaffImport(
  db: Db,
  id: string,
  laCode: string,
  createdBy: string,
): Promise<{ id: string; fileName: string; content: string } | undefined> {
  const rows = await db
    .select({ id: staffImports.id, fileName: staffImports.fileName, content: staffImports.content })
    .from(staffImports)
    .where(and(eq(staffImports.id, id), eq(staffImports.laCode, laCode), eq(staffImports.createdBy, createdBy)));
  return rows[0];
}

export async function deleteStaffImport(db: Db, id: string): Promise<void> {
  await db.delete(staffImports).where(eq(staffImports.id, id));
}

/** The users with these email addresses (any case), and whether each holds a role in the LA. */
export async function usersByEmail(
  db: Db,
  emails: string[],
  laCode: string,
): Promise<Map<string, { id: string; email: string; inLa: boolean }>> {
  if (emails.length === 0) return new Map();
  const rows = await queryRows<{ id: string; email: string; in_la: boolean }>(
    db,
    sql`select u.id, u.email,
        exists (select 1 from role_assignments r where r.user_id = u.id and r.la_code = ${laCode}) as in_la
      from users u where lower(u.email) in (${sql.join(
        emails.map((e) => sql`${e.toLowerCase()}`),
        sql`, `,
      )})`,
  );
  return new Map(rows.map((r) => [r.email.toLowerCase(), { id: r.id, email: r.email, inLa: r.in_la }]));
}

/** Whether the user holds any role but a parent's, in any LA (a member of staff somewhere). */
export async function holdsStaffRole(db: Db, userId: string): Promise<boolean> {
  const rows = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.userId, userId), sql`${roleAssignments.role} <> 'parent'`))
    .limit(1);
  return rows.length > 0;
}

/** What a parent's invitation names: the request's child (by reference) and the family's contact email. */
export async function requestForInvitation(
  db: Db,
  laCode: string,
  requestId: string,
): Promise<
  | {
      requestId: string;
      requestReference: string;
      childId: string;
      childReference: string;
      contactEmail: string | null;
    }
  | undefined
> {
  const rows = await queryRows<{
    requestId: string;
    requestReference: string;
    childId: string;
    childReference: string;
    contactEmail: string | null;
  }>(
    db,
    sql`select r.id as "requestId", r.reference as "requestReference", c.id as "childId",
        c.reference as "childReference", r.contact_email as "contactEmail"
      from assessment_requests r join children c on c.id = r.child_id and c.la_code = r.la_code
      where r.la_code = ${laCode} and r.id = ${requestId}`,
  );
  return rows[0];
}

/** A child's reference, and their LA's name, for the page a parent's invitation opens. */
export async function childForInvitation(
  db: Db,
  laCode: string,
  childId: string,
): Promise<{ childReference: string; laName: string } | undefined> {
  const rows = await queryRows<{ childReference: string; laName: string }>(
    db,
    sql`select c.reference as "childReference", l.name as "laName"
      from children c join local_authorities l on l.la_code = c.la_code
      where c.la_code = ${laCode} and c.id = ${childId}`,
  );
  return rows[0];
}

/** Whether the user is linked to the child as their parent or carer in the LA. */
export async function isParentOf(db: Db, userId: string, laCode: string, childId: string): Promise<boolean> {
  const rows = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, userId),
        eq(roleAssignments.laCode, laCode),
        eq(roleAssignments.role, 'parent'),
        eq(roleAssignments.childId, childId),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** A new account that signs in with a password (a parent creating theirs from an invitation). */
export async function insertUserWithPassword(
  db: Db,
  user: { email: string; displayName: string; passwordHash: string; passwordChangedAt: Date },
): Promise<string> {
  const rows = await db.insert(users).values(user).returning({ id: users.id });
  return rows[0]!.id;
}

/** Whether the account signs in with a code from an authenticator app as well as its password. */
export async function hasTwoFactor(db: Db, userId: string): Promise<boolean> {
  const rows = await db
    .select({ on: sql<boolean>`${users.totpSecret} is not null` })
    .from(users)
    .where(eq(users.id, userId));
  return rows[0]?.on === true;
}

export interface IdentityRecord {
  id: string;
  issuer: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The account's links to identity providers' accounts (its council's provider, GOV.UK One Login), oldest first. */
export async function identitiesOfUser(db: Db, userId: string): Promise<IdentityRecord[]> {
  return db
    .select({
      id: externalIdentities.id,
      issuer: externalIdentities.issuer,
      createdAt: externalIdentities.createdAt,
      lastUsedAt: externalIdentities.lastUsedAt,
    })
    .from(externalIdentities)
    .where(eq(externalIdentities.userId, userId))
    .orderBy(asc(externalIdentities.createdAt));
}

/** Removes one of the account's links to a provider's account; the removed link, or undefined if it had none such. */
export async function deleteIdentity(db: Db, userId: string, id: string): Promise<IdentityRecord | undefined> {
  const rows = await db
    .delete(externalIdentities)
    .where(and(eq(externalIdentities.id, id), eq(externalIdentities.userId, userId)))
    .returning({
      id: externalIdentities.id,
      issuer: externalIdentities.issuer,
      createdAt: externalIdentities.createdAt,
      lastUsedAt: externalIdentities.lastUsedAt,
    });
  return rows[0];
}
