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
  acceptTotpStep,
  findLocalAccount,
  findLocalAccountByEmail,
  type LocalAccount,
} from '../data/repositories/localAccounts.js';
import {
  findUserWithRoles,
  recordSignIn,
  type RoleAssignmentRecord,
  type UserRecord,
} from '../data/repositories/users.js';
import { familyAccountOf, type FamilyAccount } from '../domain/access/familyAccount.js';
import { requiresTwoFactor } from '../domain/access/localAccounts.js';
import { type Actor, isRole, type Role } from '../domain/access/roles.js';
import type { Clock } from './clock.js';
import { verifyPassword } from './passwords.js';
import { codeStep } from './totp.js';

/** Failures allowed in a window before the key is locked, and for how long. */
export type ThrottlePolicy = ThrottleLimits;

/**
 * Who is signed in, from their user record and role assignments as stored now: no one if the account is disabled or
 * holds no role. A user acts for one LA at a time: the one chosen (`laCode`, kept with the session) while they hold a
 * role there, else their only LA. A user with roles in several LAs who has not chosen is given the first (in code
 * order) with `mustChooseCouncil`, and is asked which before any page is shown (web/middleware/auth.ts).
 */
export function signedInUserFrom(
  found: { user: UserRecord; assignments: RoleAssignmentRecord[] } | undefined,
  laCode?: string,
): SignedInUser | undefined {
  if (!found || found.user.disabled) return undefined;
  const { user, assignments } = found;
  const councils = [...new Map(assignments.map((a) => [a.laCode, { laCode: a.laCode, laName: a.laName }])).values()];
  const chosen = councils.find((c) => c.laCode === laCode);
  const acting = chosen ?? councils[0];
  if (!acting) return undefined;
  const inLa = assignments.filter((a) => a.laCode === acting.laCode);
  const roles = [...new Set(inLa.map((a) => a.role).filter(isRole))] as Role[];
  return {
    userId: user.id,
    displayName: user.displayName,
    email: user.email,
    laCode: acting.laCode,
    laName: acting.laName,
    roles,
    childIds: inLa.flatMap((a) => (a.role === 'parent' && a.childId ? [a.childId] : [])),
    family: familyAccountOf(inLa.filter((a) => a.role === 'parent' && a.childId)),
    councils,
    mustChooseCouncil: !chosen && councils.length > 1,
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
  /** A family account's links (a young person for themselves, or a parent or carer of how many children); else null. */
  family: FamilyAccount | null;
  /** Every LA the user holds a role in (code order): more than one, and they choose which to act for. */
  councils: { laCode: string; laName: string }[];
  /** Roles in several LAs and none chosen yet: the user is asked which council before anything else. */
  mustChooseCouncil: boolean;
}

export type SignInResult =
  | {
      ok: true;
      user: SignedInUser;
      /**
       * What happens next: signed in; the code from their authenticator app (two-factor sign-in is on); or setting
       * two-factor sign-in up first (their role needs it and they have none yet).
       */
      next: 'signed_in' | 'code' | 'set_up_two_factor';
    }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMinutes: number };

/** A check of a second factor or a repeated proof of identity: passed, wrong, or refused by the throttle. */
export type ProofResult =
  { ok: true } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAfterMinutes: number };

const MINUTE = 60_000;

export function createAuthService(database: Database, clock: Clock, throttle = DEFAULT_THROTTLE) {
  const { db } = database;

  /**
   * The signed-in user's current roles in the LA they act for, reloaded on every request so a removed role takes
   * effect at once.
   */
  async function loadUser(userId: string, laCode?: string): Promise<SignedInUser | undefined> {
    return signedInUserFrom(await findUserWithRoles(db, userId), laCode);
  }

  /**
   * Counts an attempt (a password, a code) against the account and the address, each in one atomic statement, before
   * anything is checked: attempts made at the same moment cannot all slip past the count while they are checked.
   * Refused (and audited) when either is over its limit.
   */
  async function countAttempts(accountKey: string, userId: string | null, ip: string, now: Date) {
    const account = await countAttempt(db, 'account', accountKey, throttle.account, now);
    const address = await countAttempt(db, 'ip', ip, throttle.ip, now);
    const refusedBy = [
      ...(account.attempt > throttle.account.maxFailures ? [account.lockedUntil] : []),
      ...(address.attempt > throttle.ip.maxFailures ? [address.lockedUntil] : []),
    ];
    if (refusedBy.length === 0) return { account, address, refused: undefined };
    await appendAudit(db, {
      userId,
      laCode: null,
      action: 'sign_in_throttled',
      entityType: 'user',
      entityId: userId,
      ip,
      detail: { email: accountKey },
    });
    const until = Math.max(...refusedBy.map((d) => d?.getTime() ?? now.getTime()));
    return {
      account,
      address,
      refused: {
        ok: false as const,
        reason: 'throttled' as const,
        retryAfterMinutes: Math.max(1, Math.ceil((until - now.getTime()) / MINUTE)),
      },
    };
  }

  /** A wrong password or code stays counted; the attempt that reached a limit started a lock, recorded as such. */
  async function recordFailure(
    accountKey: string,
    userId: string | null,
    ip: string,
    counted: {
      account: { attempt: number; lockedUntil: Date | null };
      address: { attempt: number; lockedUntil: Date | null };
    },
    what: 'password' | 'code',
  ): Promise<{ ok: false; reason: 'invalid' }> {
    const failed = { userId, laCode: null, entityType: 'user', entityId: userId, ip };
    await appendAudit(db, [
      {
        ...failed,
        action: 'sign_in_failed',
        detail: { email: accountKey, ...(what === 'code' ? { step: 'code' } : {}) },
      },
      ...(counted.account.attempt === throttle.account.maxFailures
        ? [
            {
              ...failed,
              action: 'sign_in_locked',
              detail: { email: accountKey, scope: 'account', lockedUntil: counted.account.lockedUntil },
            },
          ]
        : []),
      ...(counted.address.attempt === throttle.ip.maxFailures
        ? [
            {
              ...failed,
              action: 'sign_in_locked',
              detail: { email: accountKey, scope: 'ip', lockedUntil: counted.address.lockedUntil },
            },
          ]
        : []),
    ]);
    return { ok: false, reason: 'invalid' };
  }

  /** A sign-in complete: the account starts again from nothing, the address gets its attempt back; audited. */
  async function recordSuccess(accountKey: string, user: SignedInUser, ip: string, method: string, now: Date) {
    await db.transaction(async (tx) => {
      await clearThrottle(tx, 'account', accountKey);
      await uncountAttempt(tx, 'ip', ip, throttle.ip);
      await recordSignIn(tx, user.userId, now);
      await appendAudit(tx, {
        userId: user.userId,
        laCode: user.laCode,
        action: 'sign_in',
        entityType: 'user',
        entityId: user.userId,
        ip,
        detail: { method },
      });
    });
  }

  /**
   * Signs in with an email address and password. The attempt is counted against the account and the address first,
   * and only an attempt within both limits has its password checked. A correct password gives the attempt back (the
   * account starts again from nothing; the address loses the one attempt); a wrong one stays counted, and the attempt
   * that reaches an account's or address's limit locks it (audited as such).
   *
   * With two-factor sign-in on, a correct password is only the first step: its attempt is given back but the
   * account's earlier failures stay counted until the code is right, so the code's guesses share the account's limit
   * (5 in 15 minutes) however often the password is typed again.
   */
  async function signIn(email: string, password: string, ip: string): Promise<SignInResult> {
    const now = clock.now();
    const accountKey = email.trim().toLowerCase();
    const account = await findLocalAccountByEmail(db, accountKey);
    const counted = await countAttempts(accountKey, account?.id ?? null, ip, now);
    if (counted.refused) return counted.refused;

    const passwordOk = await verifyPassword(password, account?.passwordHash ?? null);
    const found = account && passwordOk && !account.disabled ? await findUserWithRoles(db, account.id) : undefined;
    const loaded = signedInUserFrom(found);
    if (!account || !found || !loaded) return recordFailure(accountKey, account?.id ?? null, ip, counted, 'password');

    if (account.totpSecret) {
      await db.transaction(async (tx) => {
        await uncountAttempt(tx, 'account', accountKey, throttle.account);
        await uncountAttempt(tx, 'ip', ip, throttle.ip);
      });
      return { ok: true, user: loaded, next: 'code' };
    }
    await recordSuccess(accountKey, loaded, ip, 'password', now);
    const mustSetUp = requiresTwoFactor(
      found.assignments.map((a) => a.role),
      account.isDemo,
    );
    return { ok: true, user: loaded, next: mustSetUp ? 'set_up_two_factor' : 'signed_in' };
  }

  /**
   * The second step of signing in: the code from the user's authenticator app. Counted against the same throttle as
   * passwords; a code whose time step was accepted before (or an earlier one) is refused, in one statement, so the
   * same code sent twice at once signs in once.
   */
  async function checkCode(userId: string, code: string, ip: string): Promise<SignInResult> {
    const now = clock.now();
    const account = await findLocalAccount(db, userId);
    if (!account || account.disabled || !account.totpSecret) return { ok: false, reason: 'invalid' };
    const accountKey = account.email.toLowerCase();
    const counted = await countAttempts(accountKey, account.id, ip, now);
    if (counted.refused) return counted.refused;
    const accepted = await acceptCode(account, code, now);
    const loaded = accepted ? await loadUser(userId) : undefined;
    if (!loaded) return recordFailure(accountKey, account.id, ip, counted, 'code');
    await recordSuccess(accountKey, loaded, ip, 'password_totp', now);
    return { ok: true, user: loaded, next: 'signed_in' };
  }

  async function acceptCode(account: LocalAccount, code: string, now: Date): Promise<boolean> {
    if (!account.totpSecret) return false;
    const step = await codeStep(account.totpSecret, code, now, account.totpLastStep);
    return step !== undefined && (await acceptTotpStep(db, account.id, step));
  }

  /**
   * "Confirm it is you" before exporting every child's record or changing roles: the password again, and a new code
   * when two-factor sign-in is on. Counted against the sign-in throttle; audited.
   */
  async function reauthenticate(
    user: SignedInUser,
    password: string,
    code: string | undefined,
    ip: string,
  ): Promise<ProofResult> {
    const now = clock.now();
    const account = await findLocalAccount(db, user.userId);
    if (!account) return { ok: false, reason: 'invalid' };
    const accountKey = account.email.toLowerCase();
    const counted = await countAttempts(accountKey, account.id, ip, now);
    if (counted.refused) return counted.refused;
    const passwordOk = await verifyPassword(password, account.passwordHash);
    const codeOk = !account.totpSecret || (passwordOk && (await acceptCode(account, code ?? '', now)));
    if (!passwordOk || !codeOk || account.disabled)
      return recordFailure(accountKey, account.id, ip, counted, codeOk ? 'password' : 'code');
    await db.transaction(async (tx) => {
      await clearThrottle(tx, 'account', accountKey);
      await uncountAttempt(tx, 'ip', ip, throttle.ip);
      await appendAudit(tx, {
        userId: user.userId,
        laCode: user.laCode,
        action: 'reauthenticated',
        entityType: 'user',
        entityId: user.userId,
        ip,
      });
    });
    return { ok: true };
  }

  /** Whether the user signs in with a code as well as a password (the "Confirm it is you" page asks for both). */
  async function usesTwoFactor(userId: string): Promise<boolean> {
    return Boolean((await findLocalAccount(db, userId))?.totpSecret);
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

  return { signIn, checkCode, reauthenticate, usesTwoFactor, signOut, loadUser, pruneThrottle, policy };
}

export type AuthService = ReturnType<typeof createAuthService>;
