/**
 * Administrators manage their council's accounts: the list (by role and state, a page at a time), inviting a member
 * of staff, one account's roles and team, disabling and re-enabling it, its sessions, a password-reset link, and
 * importing staff from a CSV (services/users/staffImport.ts). Every change is one transaction with its audit record
 * (before and after); an account another council holds is never shown or changed (not found).
 */
import type { Database, Db } from '../../data/db.js';
import { pgErrorCode } from '../../data/db.js';
import { localAuthorityName } from '../../data/repositories/localAuthorities.js';
import {
  activeAdministrators,
  deleteSessionsOfUser,
  deleteStaffRoles,
  findUserByEmail,
  deleteIdentity,
  hasTwoFactor,
  holdsRoleIn,
  identitiesOfUser,
  insertRoleAssignments,
  insertUser,
  listAccountsInLa,
  lockUser,
  roleAssignmentsInLa,
  saveUserChange,
  sessionsOfUser,
  setTeam,
  type AccountRow,
} from '../../data/repositories/users.js';
import { createHash } from 'node:crypto';
import { ROLE_NAMES, STAFF_ROLES, type Role, type StaffRole } from '../../domain/access/roles.js';
import type { AccountStatus, StaffRow } from '../../domain/access/staff.js';
import type { EmailSender } from '../../notify/sender.js';
import type { AccountService } from '../accounts.js';
import { createAccountLink } from '../accountLinks.js';
import {
  deliverAccountEmail,
  recordAccountEmail,
  type AccountEmail,
  type AccountEmailResult,
} from '../accountEmails.js';
import type { AdminService } from '../admin.js';
import { auditAction } from '../auditTrail.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import { staleDetail } from '../staleForm.js';
import { scopeOnRoles, setProfessionalScope } from '../../data/repositories/professionals.js';
import { requirePermission, runUseCase } from '../useCase.js';
import { deliverAccessNotice, invitationEmail, recordAccessNotice, type RecordedNotice } from './emails.js';

export const USERS_PAGE_SIZE = 25;

/** An email to send once the transaction that recorded it has committed. */
export type PendingEmail =
  { kind: 'invitation'; notificationId: string; email: AccountEmail } | { kind: 'notice'; notice: RecordedNotice };

export interface Granted {
  userId: string;
  /** A new account was made (with a set-up link), or roles were added to an account held at another council. */
  outcome: 'invited' | 'roles_added';
  pending: PendingEmail | undefined;
}

/** What an invitation did, and whether its email went (without Notify, the link to pass on, shown once). */
export interface InviteResult {
  userId: string;
  email: string;
  outcome: Granted['outcome'];
  sent: AccountEmailResult | { delivered: 'notice' };
}

export interface AccountPage {
  account: AccountRow;
  /** Staff roles in the LA (the ones the form gives and takes). */
  staffRoles: StaffRole[];
  /** The children the account is linked to as a parent or carer, by reference. */
  children: string[];
  team: string | null;
  /** An advice giver's service (null: only requests addressed to them), a school user's setting URN. */
  adviceService: string | null;
  settingUrn: string | null;
  sessions: { handle: string; signedInAt: Date | null; lastActiveAt: Date; method: string | null }[];
  isSelf: boolean;
  /** They sign in with a code from an authenticator app as well as their password. */
  twoFactor: boolean;
  /** Their accounts at identity providers, by the provider's address (its host), that sign them in here. */
  identities: { id: string; provider: string; linkedAt: Date; lastUsedAt: Date | null }[];
}

/** A provider named by its address's host (login.microsoftonline.com, oidc.account.gov.uk). */
function providerName(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

/** A session named on a page without its id (the id is half of what signs a cookie): a hash of it. */
function sessionHandle(sid: string): string {
  return createHash('sha256').update(sid).digest('hex').slice(0, 32);
}

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((r, i) => r === [...b].sort()[i]);

export function rolesInWords(roles: readonly string[]): string {
  return roles.length ? roles.map((r) => ROLE_NAMES[r as Role] ?? r).join(', ') : 'None';
}

export function createUserService(
  database: Database,
  clock: Clock,
  sender: EmailSender,
  baseUrl: string,
  accounts: AccountService,
  admin: AdminService,
) {
  const { db } = database;

  async function laNameOf(tx: Db, laCode: string): Promise<string> {
    return (await localAuthorityName(tx, laCode)) ?? laCode;
  }

  /**
   * Gives a person staff roles in the LA, in the caller's transaction: a new account with a set-up link (3 days) when
   * no account has their email address; their roles added here when an account at another council has it; refused
   * when an account here has it already. The email is recorded now and sent after the commit (`sendPending`).
   */
  async function grantStaffAccess(
    tx: Db,
    ctx: RequestContext,
    laName: string,
    person: StaffRow,
    now: Date,
    field = 'email',
  ): Promise<Granted> {
    const laCode = ctx.actor.laCode;
    const existing = await findUserByEmail(tx, person.email);
    if (existing && (await holdsRoleIn(tx, existing.id, laCode))) {
      throw new RuleError([{ field, text: `${person.email} already has an account in ${laName}` }]);
    }
    const assignments = (userId: string) =>
      person.roles.map((role) => ({
        userId,
        laCode,
        role,
        team: person.team,
        adviceService: role === 'advice_giver' ? (person.adviceService ?? null) : null,
        settingUrn: role === 'school' ? (person.settingUrn ?? null) : null,
      }));
    if (existing) {
      await insertRoleAssignments(tx, assignments(existing.id));
      const version = await saveUserChange(tx, existing.id, {});
      await audit(tx, ctx, 'update', existing.id, {
        change: 'access',
        before: { roles: [], team: null },
        after: { roles: person.roles, team: person.team },
        version,
        heldElsewhere: true,
      });
      const notice = await recordAccessNotice(tx, {
        laCode,
        laName,
        key: `access-given:${existing.id}:${now.getTime()}`,
        to: existing.email,
        name: existing.displayName,
        roles: person.roles,
        signInAddress: `${baseUrl}/sign-in`,
      });
      return { userId: existing.id, outcome: 'roles_added', pending: notice && { kind: 'notice', notice } };
    }
    let userId: string;
    try {
      userId = await insertUser(tx, { email: person.email, displayName: person.name });
    } catch (err) {
      // Someone else invited the same address at the same moment: theirs stands (this transaction rolls back).
      if (pgErrorCode(err) === '23505') {
        throw new RuleError([{ field, text: `${person.email} already has an account in ${laName}` }]);
      }
      throw err;
    }
    await insertRoleAssignments(tx, assignments(userId));
    const { token, link } = await createAccountLink(
      tx,
      { purpose: 'set_up', userId, email: person.email, laCode, createdBy: ctx.actor.userId },
      now,
    );
    const email = invitationEmail({
      laCode,
      laName,
      linkId: link.id,
      to: person.email,
      name: person.name,
      roles: person.roles,
      link: `${baseUrl}/account/set-up/${token}`,
    });
    const notificationId = await recordAccountEmail(tx, email);
    await audit(tx, ctx, 'create', userId, {
      change: 'invited',
      after: { roles: person.roles, team: person.team },
      linkId: link.id,
      expiresAt: link.expiresAt.toISOString(),
    });
    return {
      userId,
      outcome: 'invited',
      pending: notificationId ? { kind: 'invitation', notificationId, email } : undefined,
    };
  }

  /** Sends what a committed change recorded: through Notify when configured; else the link comes back, to show once. */
  async function sendPending(pending: PendingEmail | undefined): Promise<AccountEmailResult | { delivered: 'notice' }> {
    if (pending?.kind === 'invitation') {
      return deliverAccountEmail(db, sender, pending.notificationId, pending.email);
    }
    if (pending?.kind === 'notice') await deliverAccessNotice(db, sender, pending.notice);
    return { delivered: 'notice' };
  }

  function audit(tx: Db, ctx: RequestContext, action: string, userId: string, detail: Record<string, unknown>) {
    return auditAction(tx, ctx, action, 'user', userId, detail);
  }

  /** The LA's accounts, filtered by role and state, a page at a time. */
  async function list(ctx: RequestContext, filter: { role?: Role; status?: AccountStatus; page: number }) {
    requirePermission(ctx, 'users:view');
    const page = Math.max(1, filter.page);
    const { rows, total } = await listAccountsInLa(db, ctx.actor.laCode, clock.now(), {
      role: filter.role,
      status: filter.status,
      limit: USERS_PAGE_SIZE,
      offset: (page - 1) * USERS_PAGE_SIZE,
    });
    return { rows, total, page, pageSize: USERS_PAGE_SIZE, pageCount: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)) };
  }

  /** One of the LA's accounts, its roles, team and sessions; not found when the LA holds no such account. */
  async function account(ctx: RequestContext, userId: string): Promise<AccountPage> {
    requirePermission(ctx, 'users:view');
    const now = clock.now();
    const found = (await listAccountsInLa(db, ctx.actor.laCode, now, { userId, limit: 1, offset: 0 })).rows[0];
    if (!found) throw new NotFoundError('user');
    const assignments = await roleAssignmentsInLa(db, userId, ctx.actor.laCode);
    const sessions = await sessionsOfUser(db, userId, now);
    return {
      account: found,
      staffRoles: STAFF_ROLES.filter((r) => assignments.some((a) => a.role === r && a.childId === null)),
      children: assignments.flatMap((a) => (a.role === 'parent' && a.childReference ? [a.childReference] : [])),
      team: assignments.find((a) => a.childId === null && a.team)?.team ?? null,
      ...(await scopeOnRoles(db, ctx.actor.laCode, userId)),
      sessions: sessions.map((s) => ({
        handle: sessionHandle(s.sid),
        signedInAt: s.signedInAt,
        lastActiveAt: s.lastActiveAt,
        method: s.method,
      })),
      isSelf: userId === ctx.actor.userId,
      twoFactor: await hasTwoFactor(db, userId),
      identities: (await identitiesOfUser(db, userId)).map((i) => ({
        id: i.id,
        provider: providerName(i.issuer),
        linkedAt: i.createdAt,
        lastUsedAt: i.lastUsedAt,
      })),
    };
  }

  /**
   * Unlinks one of the account's accounts at an identity provider (a reused or mistaken one): their next sign-in there
   * is matched by verified email again, as the first was. Audited with what was linked.
   */
  async function removeIdentity(ctx: RequestContext, userId: string, identityId: string): Promise<void> {
    await runUseCase(database, ctx, 'users:manage', async ({ tx }) => {
      if (!(await holdsRoleIn(tx, userId, ctx.actor.laCode))) throw new NotFoundError('user');
      const removed = await deleteIdentity(tx, userId, identityId);
      if (!removed) throw new NotFoundError('identity');
      await audit(tx, ctx, 'update', userId, {
        change: 'identity_removed',
        before: { provider: providerName(removed.issuer), linkedAt: removed.createdAt.toISOString() },
        after: null,
      });
    });
  }

  /** Invites one member of staff (or adds roles to their account at another council), then sends the email. */
  async function invite(ctx: RequestContext, person: StaffRow): Promise<InviteResult> {
    const now = clock.now();
    const granted = await runUseCase(database, ctx, 'users:manage', async ({ tx }) =>
      grantStaffAccess(tx, ctx, await laNameOf(tx, ctx.actor.laCode), person, now),
    );
    return {
      userId: granted.userId,
      email: person.email,
      outcome: granted.outcome,
      sent: await sendPending(granted.pending),
    };
  }

  /**
   * Locks the account, checks the LA holds it and that the form was opened on its current version; else refuses with
   * what changed since (`words` describes the account as the form shows it).
   */
  async function lockForChange(
    tx: Db,
    ctx: RequestContext,
    userId: string,
    version: number,
    yours: Record<string, string>,
    words: (current: { disabled: boolean; roles: string[]; team: string | null }) => Record<string, string>,
  ) {
    const user = await lockUser(tx, userId);
    if (!user || !(await holdsRoleIn(tx, userId, ctx.actor.laCode))) throw new NotFoundError('user');
    const assignments = await roleAssignmentsInLa(tx, userId, ctx.actor.laCode);
    const roles = STAFF_ROLES.filter((r) => assignments.some((a) => a.role === r && a.childId === null));
    const team = assignments.find((a) => a.childId === null && a.team)?.team ?? null;
    const current = { disabled: user.disabled, roles, team };
    if (user.version !== version) {
      throw new StaleFormError(
        await staleDetail(
          tx,
          ctx.actor.laCode,
          { type: 'user', id: userId, version: user.version },
          words(current),
          yours,
        ),
      );
    }
    return { user, ...current };
  }

  const accessWords = (a: { roles: readonly string[]; team: string | null }) => ({
    Roles: rolesInWords(a.roles),
    Team: a.team ?? '',
  });

  /**
   * Gives and takes an account's staff roles and sets its team. At least one role stays (to stop someone signing in,
   * disable the account); the LA's last active administrator keeps the administrator role.
   */
  async function changeAccess(
    ctx: RequestContext,
    userId: string,
    change: {
      roles: StaffRole[];
      team: string | null;
      version: number;
      adviceService?: string | null;
      settingUrn?: string | null;
    },
  ): Promise<void> {
    await runUseCase(database, ctx, 'users:manage', async ({ tx }) => {
      const before = await lockForChange(tx, ctx, userId, change.version, accessWords(change), accessWords);
      const roles = STAFF_ROLES.filter((r) => change.roles.includes(r));
      const parentLinks = (await roleAssignmentsInLa(tx, userId, ctx.actor.laCode)).some((a) => a.role === 'parent');
      if (parentLinks && roles.length > 0) {
        // A family's account is never a member of staff's too: staff are invited with their work address.
        throw new RuleError([
          {
            field: 'roles',
            text: `${before.user.displayName}'s account is a parent's or carer's. Invite them with their work email address to give them a staff role`,
          },
        ]);
      }
      if (roles.length === 0 && !parentLinks) {
        throw new RuleError([
          { field: 'roles', text: 'Select at least one role. To stop someone signing in, disable their account' },
        ]);
      }
      if (before.roles.includes('admin') && !roles.includes('admin')) {
        const admins = await activeAdministrators(tx, ctx.actor.laCode);
        if (admins.length <= 1 && admins.includes(userId)) {
          const laName = await laNameOf(tx, ctx.actor.laCode);
          throw new RuleError([
            {
              field: 'roles',
              text: `${before.user.displayName} is the only administrator in ${laName}, so they keep the administrator role. Give it to someone else first`,
            },
          ]);
        }
      }
      const scopeBefore = await scopeOnRoles(tx, ctx.actor.laCode, userId);
      const scope = {
        adviceService: roles.includes('advice_giver') ? (change.adviceService ?? null) : null,
        settingUrn: roles.includes('school') ? (change.settingUrn ?? null) : null,
      };
      const sameScope =
        (!roles.includes('advice_giver') || scopeBefore.adviceService === scope.adviceService) &&
        (!roles.includes('school') || scopeBefore.settingUrn === scope.settingUrn);
      if (sameRoles(before.roles, roles) && before.team === change.team && sameScope) return;
      await deleteStaffRoles(
        tx,
        userId,
        ctx.actor.laCode,
        before.roles.filter((r) => !roles.includes(r)),
      );
      await insertRoleAssignments(
        tx,
        roles
          .filter((r) => !before.roles.includes(r))
          .map((role) => ({ userId, laCode: ctx.actor.laCode, role, team: change.team })),
      );
      await setTeam(tx, userId, ctx.actor.laCode, change.team);
      await setProfessionalScope(tx, userId, ctx.actor.laCode, scope);
      const version = await saveUserChange(tx, userId, {});
      await audit(tx, ctx, 'update', userId, {
        change: 'access',
        before: { roles: before.roles, team: before.team, ...scopeBefore },
        after: { roles, team: change.team, ...scope },
        version,
      });
    });
  }

  const disabledWords = (a: { disabled: boolean }) => ({ Account: a.disabled ? 'Disabled' : 'Can sign in' });

  /** Disables an account (its sessions end at once) or enables it again. No one disables their own account. */
  async function setDisabled(ctx: RequestContext, userId: string, disabled: boolean, version: number): Promise<void> {
    await runUseCase(database, ctx, 'users:manage', async ({ tx }) => {
      if (disabled && userId === ctx.actor.userId) {
        throw new RuleError([{ field: '', text: 'You cannot disable your own account' }]);
      }
      const before = await lockForChange(tx, ctx, userId, version, disabledWords({ disabled }), disabledWords);
      if (before.disabled === disabled) return;
      const newVersion = await saveUserChange(tx, userId, { disabled });
      const sessionsEnded = disabled ? await deleteSessionsOfUser(tx, userId) : 0;
      await audit(tx, ctx, 'update', userId, {
        change: 'disabled',
        before: { disabled: before.disabled },
        after: { disabled },
        sessionsEnded,
        version: newVersion,
      });
    });
  }

  /**
   * Turns off the account's two-factor sign-in (a lost or replaced phone): they sign in with their password and, if
   * their role needs it (administrators, data officers), set it up again with a new key before anything else. Their
   * sessions go on; audited with before and after.
   */
  async function resetTwoFactor(ctx: RequestContext, userId: string, version: number): Promise<void> {
    await runUseCase(database, ctx, 'users:manage', async ({ tx }) => {
      const words = () => ({ 'Two-factor sign-in': 'Set up' });
      await lockForChange(tx, ctx, userId, version, words(), words);
      if (!(await hasTwoFactor(tx, userId))) return;
      const newVersion = await saveUserChange(tx, userId, { clearTwoFactor: true });
      await audit(tx, ctx, 'update', userId, {
        change: 'two_factor_reset',
        before: { twoFactor: true },
        after: { twoFactor: false },
        version: newVersion,
      });
    });
  }

  /** Ends one of an account's sessions (named by its handle on the page), or all of them. Returns how many ended. */
  async function endSessions(ctx: RequestContext, userId: string, handle?: string): Promise<number> {
    return runUseCase(database, ctx, 'users:manage', async ({ tx }) => {
      if (!(await holdsRoleIn(tx, userId, ctx.actor.laCode))) throw new NotFoundError('user');
      const sessions = await sessionsOfUser(tx, userId, clock.now());
      const sids = handle ? sessions.filter((s) => sessionHandle(s.sid) === handle).map((s) => s.sid) : undefined;
      const ended = await deleteSessionsOfUser(tx, userId, sids);
      await audit(tx, ctx, 'sessions_ended', userId, { which: handle ? 'one' : 'all', ended });
      return ended;
    });
  }

  /** Sends the account a password-reset link (1 hour), or, for an account not yet set up, a new set-up link. */
  async function sendSignInLink(
    ctx: RequestContext,
    userId: string,
  ): Promise<{ kind: 'reset' | 'set_up'; email: string; sent: AccountEmailResult }> {
    requirePermission(ctx, 'users:manage');
    const page = await account(ctx, userId);
    if (page.account.status === 'invited') {
      const now = clock.now();
      const pending = await runUseCase(database, ctx, 'users:manage', async ({ tx }) => {
        const laName = await laNameOf(tx, ctx.actor.laCode);
        const { token, link } = await createAccountLink(
          tx,
          {
            purpose: 'set_up',
            userId,
            email: page.account.email,
            laCode: ctx.actor.laCode,
            createdBy: ctx.actor.userId,
          },
          now,
        );
        const email = invitationEmail({
          laCode: ctx.actor.laCode,
          laName,
          linkId: link.id,
          to: page.account.email,
          name: page.account.displayName,
          roles: page.staffRoles,
          link: `${baseUrl}/account/set-up/${token}`,
        });
        const notificationId = await recordAccountEmail(tx, email);
        await audit(tx, ctx, 'set_up_link_sent', userId, { linkId: link.id, expiresAt: link.expiresAt.toISOString() });
        return notificationId ? { notificationId, email } : undefined;
      });
      if (!pending) throw new Error('the set-up email was not recorded');
      const sent = await deliverAccountEmail(db, sender, pending.notificationId, pending.email);
      return { kind: 'set_up', email: page.account.email, sent };
    }
    const sent = await accounts.sendPasswordReset({
      userId,
      laCode: ctx.actor.laCode,
      requestedBy: ctx.actor.userId,
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
    if (!sent) throw new NotFoundError('user');
    return { kind: 'reset', email: page.account.email, sent };
  }

  /** Lets an account locked by failed sign-ins sign in again at once (the failed sign-ins page does the same). */
  async function unlock(ctx: RequestContext, userId: string): Promise<void> {
    await admin.unlock(ctx, userId);
  }

  return {
    list,
    account,
    invite,
    changeAccess,
    setDisabled,
    resetTwoFactor,
    removeIdentity,
    endSessions,
    sendSignInLink,
    unlock,
    grantStaffAccess,
    sendPending,
    laNameOf,
  };
}

export type UserService = ReturnType<typeof createUserService>;
