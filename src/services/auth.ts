/**
 * Signing in: local accounts, scrypt hashes, throttling per account and per IP address, one generic error.
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import {
  clearThrottle,
  getThrottle,
  pruneThrottle as pruneThrottleRows,
  putThrottle,
  type ThrottleState,
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

export interface ThrottlePolicy {
  /** Failures allowed in the window before the key is locked. */
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

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

function isLocked(state: ThrottleState | undefined, now: Date): number {
  if (!state?.lockedUntil || state.lockedUntil <= now) return 0;
  return Math.ceil((state.lockedUntil.getTime() - now.getTime()) / MINUTE);
}

function nextState(state: ThrottleState | undefined, policy: ThrottlePolicy, now: Date): ThrottleState {
  const windowOpen = state && now.getTime() - state.windowStart.getTime() < policy.windowMinutes * MINUTE;
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStart = windowOpen ? state.windowStart : now;
  const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * MINUTE) : null;
  return { failures: lockedUntil ? 0 : failures, windowStart: lockedUntil ? now : windowStart, lockedUntil };
}

export function createAuthService(database: Database, clock: Clock, throttle = DEFAULT_THROTTLE) {
  const { db } = database;

  /** The signed-in user's current roles, reloaded on every request so a removed role takes effect at once. */
  async function loadUser(userId: string): Promise<SignedInUser | undefined> {
    return signedInUserFrom(await findUserWithRoles(db, userId));
  }

  async function signIn(email: string, password: string, ip: string): Promise<SignInResult> {
    const now = clock.now();
    const accountKey = email.trim().toLowerCase();
    const [accountState, ipState] = await Promise.all([
      getThrottle(db, 'account', accountKey),
      getThrottle(db, 'ip', ip),
    ]);
    const lockedFor = Math.max(isLocked(accountState, now), isLocked(ipState, now));
    if (lockedFor > 0) {
      await appendAudit(db, {
        userId: null,
        laCode: null,
        action: 'sign_in_throttled',
        entityType: 'user',
        ip,
        detail: { email: accountKey },
      });
      return { ok: false, reason: 'throttled', retryAfterMinutes: lockedFor };
    }

    const user = await findUserByEmail(db, accountKey);
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? null);
    const loaded = user && passwordOk && !user.disabled ? await loadUser(user.id) : undefined;

    if (!loaded) {
      await db.transaction(async (tx) => {
        await putThrottle(tx, 'account', accountKey, nextState(accountState, throttle.account, now));
        await putThrottle(tx, 'ip', ip, nextState(ipState, throttle.ip, now));
        await appendAudit(tx, {
          userId: user?.id ?? null,
          laCode: null,
          action: 'sign_in_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          ip,
          detail: { email: accountKey },
        });
      });
      return { ok: false, reason: 'invalid' };
    }

    await db.transaction(async (tx) => {
      await clearThrottle(tx, 'account', accountKey);
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

  return { signIn, signOut, loadUser, pruneThrottle };
}

export type AuthService = ReturnType<typeof createAuthService>;
