/**
 * Signing in: local accounts, scrypt hashes, throttling per account and per IP address, one generic error.
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import {
  clearThrottle,
  countAttempt,
  pruneThrottle as pruneThrottleRows,
  uncountAttempt,
  type ThrottleLimits,
} from '../data/repositories/throttle.js';
import {
  findUserByEmail,
  findUserWithRoles,
  recordSignIn,
  type RoleAssignmentRecord,
  type UserRecord,
} from '../data/repositories/users.js';
import { type Actor, isRole, type Role } from '../domain/access/roles.js';
import type { Clock } from './clock.js';
import { verifyPassword } from './passwords.js';

/** Failures allowed in a window before the key is locked, and for how long. */
export type ThrottlePolicy = ThrottleLimits;

/**
 * Who is signed in, from their user record and role assignments as stored now: no one if the account is disabled or
 * holds no role. Roles are those in the first LA (in code order) the user has any role in.
 */
export function signedInUserFrom(
  found: { user: UserRecord; assignments: RoleAssignmentRecord[] } | undefined,
): SignedInUser | undefined {
  if (!found || found.user.disabled) return undefined;
  const { user, assignments } = found;
  const first = assignments[0];
  if (!first) return undefined;
  const inLa = assignments.filter((a) => a.laCode === first.laCode);
  const roles = [...new Set(inLa.map((a) => a.role).filter(isRole))] as Role[];
  return {
    userId: user.id,
    displayName: user.displayName,
    email: user.email,
    laCode: first.laCode,
    laName: first.laName,
    roles,
    childIds: inLa.flatMap((a) => (a.role === 'parent' && a.childId ? [a.childId] : [])),
  };
}

export const DEFAULT_THROTTLE: { account: ThrottlePolicy; ip: ThrottlePolicy } = {
  account: { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 },
  ip: { maxFailures: 30, windowMinutes: 15, lockMinutes: 15 },
};

export interface SignedInUser extends Actor {
  displayName: string;
  email: string;
  laName: string;
}

export type SignInResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMinutes: number };

const MINUTE = 60_000;

export function createAuthService(database: Database, clock: Clock, throttle = DEFAULT_THROTTLE) {
  const { db } = database;

  /** The signed-in user's current roles, reloaded on every request so a removed role takes effect at once. */
  async function loadUser(userId: string): Promise<SignedInUser | undefined> {
    return signedInUserFrom(await findUserWithRoles(db, userId));
  }

  /**
   * Signs in with an email address and password. The attempt is counted against the account and the address first,
   * each in one atomic statement, and only an attempt within both limits has its password checked: attempts made at
   * the same moment cannot all slip past the count while their passwords are being checked. A correct password gives
   * the attempt back (the account starts again from nothing; the address loses the one attempt); a wrong one stays
   * counted, and the attempt that reaches an account's or address's limit locks it (audited as such).
   */
  async function signIn(email: string, password: string, ip: string): Promise<SignInResult> {
    const now = clock.now();
    const accountKey = email.trim().toLowerCase();
    const account = await countAttempt(db, 'account', accountKey, throttle.account, now);
    const address = await countAttempt(db, 'ip', ip, throttle.ip, now);
    const user = await findUserByEmail(db, accountKey);

    const refusedBy = [
      ...(account.attempt > throttle.account.maxFailures ? [account.lockedUntil] : []),
      ...(address.attempt > throttle.ip.maxFailures ? [address.lockedUntil] : []),
    ];
    if (refusedBy.length > 0) {
      await appendAudit(db, {
        userId: user?.id ?? null,
        laCode: null,
        action: 'sign_in_throttled',
        entityType: 'user',
        entityId: user?.id ?? null,
        ip,
        detail: { email: accountKey },
      });
      const until = Math.max(...refusedBy.map((d) => d?.getTime() ?? now.getTime()));
      return {
        ok: false,
        reason: 'throttled',
        retryAfterMinutes: Math.max(1, Math.ceil((until - now.getTime()) / MINUTE)),
      };
    }

    const passwordOk = await verifyPassword(password, user?.passwordHash ?? null);
    const loaded = user && passwordOk && !user.disabled ? await loadUser(user.id) : undefined;

    if (!loaded) {
      const failed = { userId: user?.id ?? null, laCode: null, entityType: 'user', entityId: user?.id ?? null, ip };
      await appendAudit(db, [
        { ...failed, action: 'sign_in_failed', detail: { email: accountKey } },
        // The attempt that reached a limit started a lock: recorded, so an administrator can see when and why.
        ...(account.attempt === throttle.account.maxFailures
          ? [
              {
                ...failed,
                action: 'sign_in_locked',
                detail: { email: accountKey, scope: 'account', lockedUntil: account.lockedUntil },
              },
            ]
          : []),
        ...(address.attempt === throttle.ip.maxFailures
          ? [
              {
                ...failed,
                action: 'sign_in_locked',
                detail: { email: accountKey, scope: 'ip', lockedUntil: address.lockedUntil },
              },
            ]
          : []),
      ]);
      return { ok: false, reason: 'invalid' };
    }

    await db.transaction(async (tx) => {
      await clearThrottle(tx, 'account', accountKey);
      await uncountAttempt(tx, 'ip', ip, throttle.ip);
      await recordSignIn(tx, loaded.userId, now);
      await appendAudit(tx, {
        userId: loaded.userId,
        laCode: loaded.laCode,
        action: 'sign_in',
        entityType: 'user',
        entityId: loaded.userId,
        ip,
      });
    });
    return { ok: true, user: loaded };
  }

  async function signOut(userId: string, laCode: string, ip: string): Promise<void> {
    await appendAudit(db, { userId, laCode, action: 'sign_out', entityType: 'user', entityId: userId, ip });
  }

  /** Forgets failed sign-ins whose window and lock have both passed (run by the service every 15 minutes). */
  async function pruneThrottle(): Promise<void> {
    const longest = Math.max(
      throttle.account.windowMinutes,
      throttle.account.lockMinutes,
      throttle.ip.windowMinutes,
      throttle.ip.lockMinutes,
    );
    await pruneThrottleRows(db, new Date(clock.now().getTime() - longest * MINUTE));
  }

  /** The throttling policy in force, as pages explain it. */
  const policy = throttle;

  return { signIn, signOut, loadUser, pruneThrottle, policy };
}

export type AuthService = ReturnType<typeof createAuthService>;
