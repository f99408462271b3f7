/**
 * Local accounts: setting up a council and its first administrator, the links that let a person set or reset their
 * own password, and two-factor sign-in. (Invitations and the administrators' pages build on this.)
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import {
  anyLocalAuthority,
  councilsOf,
  deleteUserSessions,
  findLocalAccount,
  findLocalAccountByEmail,
  findLocalAuthority,
  insertLocalAuthority,
  insertRole,
  insertUser,
  setPassword,
  setTotp,
} from '../data/repositories/localAccounts.js';
import { clearThrottle, countAttempt } from '../data/repositories/throttle.js';
import { roleAssignments, users } from '../data/schema.js';
import { lifetimeText, type AccountLinkPurpose } from '../domain/access/accountLinks.js';
import { isEmailAddress, laCodeProblem, requiresTwoFactor } from '../domain/access/localAccounts.js';
import { passwordProblem } from '../domain/access/passwordPolicy.js';
import type { EmailSender } from '../notify/sender.js';
import { checkAccountLink, createAccountLink, useAccountLink } from './accountLinks.js';
import { deliverAccountEmail, recordAccountEmail, type AccountEmailResult } from './accountEmails.js';
import { DEFAULT_THROTTLE } from './auth.js';
import type { Clock } from './clock.js';
import { RuleError } from './errors.js';
import { hashPassword } from './passwords.js';
import { codeStep, newTotpSecret, totpAddress } from './totp.js';

export interface PasswordResetRequest {
  userId: string;
  /** The LA the reset is sent in (the administrator's, or the user's own). */
  laCode: string;
  /** The administrator who asked, or null when the user asked for themselves. */
  requestedBy: string | null;
  ip: string;
  requestId?: string;
}

export interface NewCouncil {
  laCode: string;
  laName: string;
  adminEmail: string;
  adminName: string;
}

/** A link's page: whether it can be used, and for a usable one whose account it sets up. */
export type LinkPage =
  { state: 'usable'; email: string; displayName: string; laName: string } | { state: 'used' | 'expired' | 'unknown' };

/** A new password's form, as typed. */
export interface NewPassword {
  password: string;
  confirmPassword: string;
}

const MINUTE = 60_000;

export function createAccountService(
  database: Database,
  clock: Clock,
  sender: EmailSender,
  baseUrl: string,
  throttle = DEFAULT_THROTTLE,
) {
  const { db } = database;

  /**
   * Sets up a council (`openehcp setup`): the LA, if the database does not hold it, and an administrator with no
   * password, in one transaction, audited; returns the administrator's one-time set-up link (3 days). Run again for
   * the same LA with another email, it adds that administrator; another LA in the same database is another council
   * (a regional host). An email already an administrator there, an LA held under another name or bad input is
   * refused with a RuleError naming the option, and nothing is written.
   */
  async function setUpCouncil(input: NewCouncil): Promise<{
    link: string;
    expiresAt: Date;
    laCreated: boolean;
    userCreated: boolean;
  }> {
    const laCode = input.laCode.trim();
    const laName = input.laName.trim().replace(/\s+/g, ' ');
    const adminEmail = input.adminEmail.trim();
    const adminName = input.adminName.trim().replace(/\s+/g, ' ');
    const problems = [
      ...(laCodeProblem(laCode) ? [{ field: 'la', text: laCodeProblem(laCode)! }] : []),
      ...(laName.length === 0 || laName.length > 200
        ? [{ field: 'la-name', text: 'must be the council’s name, up to 200 characters' }]
        : []),
      ...(!isEmailAddress(adminEmail)
        ? [{ field: 'admin-email', text: 'must be an email address, like name@council.gov.uk' }]
        : []),
      ...(adminName.length === 0 || adminName.length > 200
        ? [{ field: 'admin-name', text: 'must be the administrator’s name, up to 200 characters' }]
        : []),
    ];
    if (problems.length > 0) throw new RuleError(problems);
    const now = clock.now();
    return db.transaction(async (tx) => {
      const la = await findLocalAuthority(tx, laCode);
      if (la && la.name.toLowerCase() !== laName.toLowerCase())
        throw new RuleError([
          { field: 'la-name', text: `LA ${laCode} is already set up as ${la.name}, not ${laName}` },
        ]);
      if (!la) await insertLocalAuthority(tx, laCode, laName);
      const existing = await findLocalAccountByEmail(tx, adminEmail);
      const rolesBefore = existing
        ? ((await councilsOf(tx, existing.id)).find((c) => c.laCode === laCode)?.roles ?? [])
        : [];
      if (rolesBefore.includes('admin'))
        throw new RuleError([
          { field: 'admin-email', text: `${adminEmail} is already an administrator of LA ${laCode}` },
        ]);
      const userId = existing?.id ?? (await insertUser(tx, { email: adminEmail, displayName: adminName }));
      await insertRole(tx, userId, laCode, 'admin');
      const { token, link } = await createAccountLink(
        tx,
        { purpose: 'set_up', userId, email: existing?.email ?? adminEmail, laCode, createdBy: null },
        now,
      );
      await appendAudit(tx, [
        ...(la
          ? []
          : [
              {
                userId: null,
                laCode,
                action: 'council_set_up',
                entityType: 'local_authority',
                entityId: laCode,
                detail: { before: null, after: { laCode, name: laName } },
              },
            ]),
        {
          userId: null,
          laCode,
          action: 'role_given',
          entityType: 'user',
          entityId: userId,
          detail: {
            by: 'openehcp setup',
            before: existing ? { roles: rolesBefore } : null,
            after: { role: 'admin', userCreated: !existing },
            linkId: link.id,
            expiresAt: link.expiresAt.toISOString(),
          },
        },
      ]);
      return {
        link: `${baseUrl}/account/set-up/${token}`,
        expiresAt: link.expiresAt,
        laCreated: !la,
        userCreated: !existing,
      };
    });
  }

  /** A council's name, if the database holds it. */
  async function councilName(laCode: string): Promise<string | undefined> {
    return (await findLocalAuthority(db, laCode))?.name;
  }

  /** Whether any council has been set up (once one has, the answer stays yes for this process). */
  let councilSeen = false;
  async function anyCouncil(): Promise<boolean> {
    councilSeen ||= await anyLocalAuthority(db);
    return councilSeen;
  }

  /** What a set-up or reset link's page shows (without using the link). */
  async function linkPage(token: string, purpose: AccountLinkPurpose): Promise<LinkPage> {
    const checked = await checkAccountLink(db, token, purpose, clock.now());
    if (checked.state !== 'usable') return { state: checked.state };
    const account = checked.link.userId ? await findLocalAccount(db, checked.link.userId) : undefined;
    if (!account || account.disabled) return { state: 'unknown' };
    const councils = await councilsOf(db, account.id);
    const la = councils.find((c) => c.laCode === checked.link.laCode) ?? councils[0];
    return { state: 'usable', email: account.email, displayName: account.displayName, laName: la?.laName ?? '' };
  }

  /** The new password's problems, for the form: the policy (domain/access/passwordPolicy.ts) and the confirmation. */
  function newPasswordProblems(form: NewPassword, context: { email: string; displayName: string; laName: string }) {
    const problem = passwordProblem(form.password, context);
    if (problem) return [{ field: 'password', text: problem }];
    if (form.confirmPassword !== form.password)
      return [{ field: 'confirmPassword', text: 'Enter the same password in both boxes' }];
    return [];
  }

  /**
   * Sets a password with a set-up or reset link: the link is used (once, while unexpired) in the same transaction as
   * the password is set, so a refused password leaves the link working and two requests with one link set one
   * password. A reset also ends every session the user is signed in to, and lifts a lock from failed sign-ins (they
   * have proved they hold the email address). Undefined when the link cannot be used (the page says why);
   * RuleError for a password the policy refuses.
   */
  async function setPasswordWithLink(
    token: string,
    purpose: 'set_up' | 'reset_password',
    form: NewPassword,
    ip: string,
    requestId?: string,
  ): Promise<
    | { state: 'done'; userId: string; laCode: string; twoFactor: 'on' | 'set_up' | 'not_needed' }
    | { state: 'used' | 'expired' | 'unknown' }
  > {
    const page = await linkPage(token, purpose);
    if (page.state !== 'usable') return page;
    const problems = newPasswordProblems(form, page);
    if (problems.length > 0) throw new RuleError(problems);
    const passwordHash = await hashPassword(form.password);
    const now = clock.now();
    return db.transaction(async (tx) => {
      const link = await useAccountLink(tx, token, purpose, now);
      const account = link?.userId ? await findLocalAccount(tx, link.userId) : undefined;
      if (!link || !account) {
        const again = await checkAccountLink(tx, token, purpose, now);
        return { state: again.state === 'usable' ? 'unknown' : again.state };
      }
      await setPassword(tx, account.id, passwordHash, now);
      const councils = await councilsOf(tx, account.id);
      const laCode = councils.find((c) => c.laCode === link.laCode)?.laCode ?? councils[0]?.laCode ?? '';
      const sessionsEnded = purpose === 'reset_password' ? await deleteUserSessions(tx, account.id) : 0;
      if (purpose === 'reset_password') await clearThrottle(tx, 'account', account.email.toLowerCase());
      await appendAudit(tx, {
        userId: account.id,
        laCode: laCode || null,
        action: purpose === 'set_up' ? 'account_set_up' : 'password_reset',
        entityType: 'user',
        entityId: account.id,
        ip,
        requestId,
        detail: {
          linkId: link.id,
          before: { passwordSet: account.passwordHash !== null },
          after: { passwordSet: true },
          ...(purpose === 'reset_password' ? { sessionsEnded } : {}),
        },
      });
      const needs = requiresTwoFactor(
        councils.flatMap((c) => c.roles),
        account.isDemo,
      );
      const twoFactor = account.totpSecret ? 'on' : needs ? 'set_up' : 'not_needed';
      return { state: 'done' as const, userId: account.id, laCode, twoFactor };
    });
  }

  /** Whether emails reach people (GOV.UK Notify is configured), or stay in the local outbox. */
  const emailsDelivered = sender.name === 'notify';

  /**
   * "Forgotten your password?": the same answer whether or not an account uses the address (nothing here says which),
   * limited per address typed and per IP address (the sign-in limits, counted apart so that asking for links cannot
   * lock anyone out of signing in). An account that signs in with a password, is not disabled and holds a role is
   * sent a reset link (1 hour) in its first LA; without Notify the link is not shown to whoever asked (they may not
   * own the address), and the outbox copy holds none.
   */
  async function requestPasswordReset(
    email: string,
    ip: string,
    requestId?: string,
  ): Promise<{ ok: true; sending: Promise<void> } | { ok: false; retryAfterMinutes: number }> {
    const now = clock.now();
    const key = email.trim().toLowerCase();
    const byAddress = await countAttempt(db, 'reset_account', key, throttle.account, now);
    const byIp = await countAttempt(db, 'reset_ip', ip, throttle.ip, now);
    const over = [
      ...(byAddress.attempt > throttle.account.maxFailures ? [byAddress.lockedUntil] : []),
      ...(byIp.attempt > throttle.ip.maxFailures ? [byIp.lockedUntil] : []),
    ];
    if (over.length > 0) {
      const until = Math.max(...over.map((d) => d?.getTime() ?? now.getTime()));
      return { ok: false, retryAfterMinutes: Math.max(1, Math.ceil((until - now.getTime()) / MINUTE)) };
    }
    // Looked up and sent after the answer (`sending`, for the caller to wait on once it has answered): an address
    // with an account must not take longer to answer than one without (the link's records, then GOV.UK Notify).
    const sending = (async () => {
      const account = await findLocalAccountByEmail(db, key);
      if (!account || account.passwordHash === null || account.disabled) return;
      const first = (await councilsOf(db, account.id))[0];
      if (first)
        await sendPasswordReset({ userId: account.id, laCode: first.laCode, requestedBy: null, ip, requestId });
    })();
    return { ok: true, sending };
  }

  /**
   * Setting up two-factor sign-in: a secret (a new one unless the set-up in progress has one, kept by the caller in the
   * session until a code from it is typed) and the address an authenticator app scans from the QR code.
   */
  async function twoFactorSetUp(
    userId: string,
    secret: string = newTotpSecret(),
  ): Promise<{ secret: string; address: string } | undefined> {
    const account = await findLocalAccount(db, userId);
    if (!account || account.disabled) return undefined;
    const la = (await councilsOf(db, userId))[0];
    const issuer = la ? `OpenEHCP (${la.laName})` : 'OpenEHCP';
    return { secret, address: totpAddress(secret, issuer, account.email) };
  }

  /**
   * Turns two-factor sign-in on once a code from the new secret is right: the secret is stored with the code's time
   * step (never accepted again), audited. RuleError for a wrong code.
   */
  async function confirmTwoFactor(userId: string, secret: string, code: string, ip: string, requestId?: string) {
    const now = clock.now();
    const step = await codeStep(secret, code, now, null);
    if (step === undefined)
      throw new RuleError([
        {
          field: 'code',
          text: 'Enter the 6-digit code your authenticator app shows now. If it is not accepted, check the time on your phone is right',
        },
      ]);
    await db.transaction(async (tx) => {
      const account = await findLocalAccount(tx, userId);
      if (!account) throw new RuleError([{ field: 'code', text: 'This account cannot be used' }]);
      await setTotp(tx, userId, secret, step);
      const la = (await councilsOf(tx, userId))[0];
      await appendAudit(tx, {
        userId,
        laCode: la?.laCode ?? null,
        action: 'two_factor_set_up',
        entityType: 'user',
        entityId: userId,
        ip,
        requestId,
        detail: { before: { twoFactor: account.totpSecret !== null }, after: { twoFactor: true } },
      });
    });
  }

  /** Whether two-factor sign-in is on for the account, and whether its roles need it. */
  async function twoFactorStatus(userId: string): Promise<{ on: boolean; required: boolean }> {
    const account = await findLocalAccount(db, userId);
    const councils = await councilsOf(db, userId);
    return {
      on: Boolean(account?.totpSecret),
      required: requiresTwoFactor(
        councils.flatMap((c) => c.roles),
        account?.isDemo ?? false,
      ),
    };
  }

  /**
   * Sends a user a password-reset link (1 hour, single use), recorded in the outbox without the link and audited.
   * Undefined when the user holds no role in that LA (nothing is made or sent).
   */
  async function sendPasswordReset(request: PasswordResetRequest): Promise<AccountEmailResult | undefined> {
    const now = clock.now();
    const made = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ email: users.email, displayName: users.displayName })
        .from(users)
        .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
        .where(and(eq(users.id, request.userId), eq(roleAssignments.laCode, request.laCode)))
        .limit(1);
      const user = rows[0];
      if (!user) return undefined;
      const { token, link } = await createAccountLink(
        tx,
        {
          purpose: 'reset_password',
          userId: request.userId,
          email: user.email,
          laCode: request.laCode,
          createdBy: request.requestedBy,
        },
        now,
      );
      const email = {
        laCode: request.laCode,
        dedupeKey: `account-link:${link.id}`,
        kind: 'password_reset' as const,
        to: user.email,
        subject: 'Reset your OpenEHCP password',
        body: (address: string) =>
          [
            `Dear ${user.displayName},`,
            '',
            'Use this link to choose a new password for OpenEHCP:',
            '',
            address,
            '',
            `The link works once and stops working after ${lifetimeText('reset_password')}.`,
            '',
            'If you did not ask for this, you can ignore this email: your password has not changed.',
          ].join('\n'),
        link: `${baseUrl}/account/reset-password/${token}`,
      };
      const notificationId = await recordAccountEmail(tx, email);
      await appendAudit(tx, {
        userId: request.requestedBy ?? request.userId,
        laCode: request.laCode,
        action: 'password_reset_sent',
        entityType: 'user',
        entityId: request.userId,
        ip: request.ip,
        requestId: request.requestId,
        detail: {
          linkId: link.id,
          expiresAt: link.expiresAt.toISOString(),
          byAdministrator: request.requestedBy !== null,
        },
      });
      return { email, notificationId };
    });
    if (!made?.notificationId) return undefined;
    return deliverAccountEmail(db, sender, made.notificationId, made.email);
  }

  return {
    setUpCouncil,
    councilName,
    anyCouncil,
    linkPage,
    setPasswordWithLink,
    emailsDelivered,
    requestPasswordReset,
    sendPasswordReset,
    twoFactorSetUp,
    confirmTwoFactor,
    twoFactorStatus,
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
