/**
 * Local accounts: councils and their first administrators, passwords, two-factor secrets and a user's sessions.
 */
import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { localAuthorities, roleAssignments, sessions, users } from '../schema.js';

export interface LocalAccount {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  disabled: boolean;
  isDemo: boolean;
  totpSecret: string | null;
  totpLastStep: number | null;
}

const accountColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  passwordHash: users.passwordHash,
  disabled: users.disabled,
  isDemo: users.isDemo,
  totpSecret: users.totpSecret,
  totpLastStep: users.totpLastStep,
};

export async function findLocalAccount(db: Db, userId: string): Promise<LocalAccount | undefined> {
  const rows = await db.select(accountColumns).from(users).where(eq(users.id, userId)).limit(1);
  return rows[0];
}

export async function findLocalAccountByEmail(db: Db, email: string): Promise<LocalAccount | undefined> {
  const rows = await db
    .select(accountColumns)
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  return rows[0];
}

/** The user's roles in each LA they hold any, with the LA's name, LAs in code order. */
export async function councilsOf(
  db: Db,
  userId: string,
): Promise<{ laCode: string; laName: string; roles: string[] }[]> {
  const rows = await db
    .select({ laCode: roleAssignments.laCode, laName: localAuthorities.name, role: roleAssignments.role })
    .from(roleAssignments)
    .innerJoin(localAuthorities, eq(localAuthorities.laCode, roleAssignments.laCode))
    .where(eq(roleAssignments.userId, userId))
    .orderBy(asc(roleAssignments.laCode), asc(roleAssignments.role));
  const byLa = new Map<string, { laCode: string; laName: string; roles: string[] }>();
  for (const r of rows) {
    const la = byLa.get(r.laCode) ?? { laCode: r.laCode, laName: r.laName, roles: [] };
    la.roles.push(r.role);
    byLa.set(r.laCode, la);
  }
  return [...byLa.values()];
}

export async function setPassword(db: Db, userId: string, passwordHash: string, at: Date): Promise<void> {
  await db.update(users).set({ passwordHash, passwordChangedAt: at }).where(eq(users.id, userId));
}

/** Turns two-factor sign-in on with its secret, and the time step of the code that proved it works (never reused). */
export async function setTotp(db: Db, userId: string, secret: string, step: number): Promise<void> {
  await db.update(users).set({ totpSecret: secret, totpLastStep: step }).where(eq(users.id, userId));
}

/**
 * Records a code's time step as used, in one statement: true for the one request that moves the user's last step
 * forward, false for a step already used (or an earlier one), however many requests bring the same code at once.
 */
export async function acceptTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Ends every session the user is signed in to (sessions.user_id): returns how many there were. */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  const rows = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ sid: sessions.sid });
  return rows.length;
}

export async function findLocalAuthority(
  db: Db,
  laCode: string,
): Promise<{ laCode: string; name: string } | undefined> {
  const rows = await db
    .select({ laCode: localAuthorities.laCode, name: localAuthorities.name })
    .from(localAuthorities)
    .where(eq(localAuthorities.laCode, laCode));
  return rows[0];
}

export async function anyLocalAuthority(db: Db): Promise<boolean> {
  const rows = await db.select({ laCode: localAuthorities.laCode }).from(localAuthorities).limit(1);
  return rows.length > 0;
}

export async function insertLocalAuthority(db: Db, laCode: string, name: string): Promise<void> {
  await db.insert(localAuthorities).values({ laCode, name });
}

export async function insertUser(db: Db, user: { email: string; displayName: string }): Promise<string> {
  const rows = await db
    .insert(users)
    .values({ email: user.email, displayName: user.displayName, passwordHash: null })
    .returning({ id: users.id });
  return rows[0]!.id;
}

export async function insertRole(db: Db, userId: string, laCode: string, role: string): Promise<void> {
  await db.insert(roleAssignments).values({ userId, laCode, role });
}
