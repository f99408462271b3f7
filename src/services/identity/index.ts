/**
 * Signing in with an identity provider: staff with the council's OpenID Connect provider (Microsoft Entra ID or any
 * standard one), parents and carers with GOV.UK One Login. Sign-in never creates an account, except for a parent who
 * comes with a caseworker's invitation (the invitation proves who they are). Each refusal is audited and changes
 * nothing. docs/sign-in.md explains the settings and the matching.
 */
import type { Config } from '../../config.js';
import type { Database } from '../../data/db.js';
import { appendAudit } from '../../data/repositories/audit.js';
import { users } from '../../data/schema.js';
import { checkAccountLink, hashToken } from '../accountLinks.js';
import type { Clock } from '../clock.js';
import {
  holdsRole,
  linkIdentity,
  linkParentByInvitationHash,
  recordProviderSignIn,
  subjectAt,
  userByEmail,
  userByIdentity,
  type AuditContext,
  type MatchedUser,
} from './accounts.js';
import {
  OidcFailure,
  oidcClient,
  privateKeyJwt,
  signingKeyFromPem,
  type OidcClient,
  type PendingAuthorization,
  type ProviderIdentity,
} from './oidcClient.js';
import { ClientSecretBasic } from 'openid-client';

export { OidcFailure };

export type IdentityProvider = 'staff' | 'one_login';

/** GOV.UK One Login's "medium" level of authentication (Cl.Cm): enough to sign in; no identity proofing. */
export const ONE_LOGIN_VECTOR = 'Cl.Cm';

/** What a sign-in in progress keeps in the session (one at a time). */
export interface PendingSignIn extends PendingAuthorization {
  provider: IdentityProvider;
  returnTo: string;
  /** Re-authentication of the user signed in to this session: only their authenticatedAt changes. */
  reauthenticateUserId?: string;
  /** The SHA-256 hash of a parent's invitation token (never the token: sessions are kept in the database). */
  invitationHash?: string;
}

export type RefusalReason =
  /** No sign-in was waiting in this session, or the answer's state is not the one sent. */
  | 'bad_state'
  /** The provider sent an error (the person cancelled, or the provider refused). */
  | 'provider_error'
  /** The answer failed a check: a code used before or issued to another client, the ID token's issuer or audience... */
  | 'invalid_response'
  | 'unavailable'
  | 'no_email'
  | 'unverified_email'
  /** No account with a staff role has this identity or email. */
  | 'unknown_account'
  | 'disabled'
  /** The matched account is linked to a different identity at this provider already. */
  | 'identity_conflict'
  /** Re-authentication came back as somebody else. */
  | 'different_person'
  /** The invitation carried was used or has expired. */
  | 'invitation_unusable';

export type SignInOutcome =
  | { outcome: 'signed_in'; userId: string; idToken: string; laCode?: string }
  | { outcome: 'reauthenticated' }
  /** A One Login user with no child linked and no invitation: told how to get linked; no session. */
  | { outcome: 'not_linked'; email: string | undefined }
  | { outcome: 'refused'; reason: RefusalReason };

/** A refusal thrown inside a transaction, so everything it did is undone. */
class Refused extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly userId: string | null = null,
  ) {
    super(reason);
  }
}

export interface IdentityOptions {
  baseUrl: string;
  staffOidc: Config['staffOidc'];
  oneLogin: Config['oneLogin'];
}

export function createIdentityService(database: Database, clock: Clock, options: IdentityOptions) {
  const { db } = database;
  const redirect = (path: string) => `${options.baseUrl}${path}`;
  const postLogoutRedirectUri = redirect('/signed-out');

  const staff: OidcClient | undefined = options.staffOidc
    ? oidcClient({
        issuer: options.staffOidc.issuer,
        clientId: options.staffOidc.clientId,
        clientAuth: () => Promise.resolve(ClientSecretBasic(options.staffOidc!.clientSecret)),
        redirectUri: redirect('/auth/callback'),
        postLogoutRedirectUri,
        scope: 'openid email profile',
      })
    : undefined;
  const oneLogin: OidcClient | undefined = options.oneLogin
    ? oidcClient({
        issuer: options.oneLogin.issuer,
        clientId: options.oneLogin.clientId,
        clientAuth: async () => privateKeyJwt(await signingKeyFromPem(options.oneLogin!.privateKeyPem)),
        redirectUri: redirect('/auth/one-login/callback'),
        postLogoutRedirectUri,
        scope: 'openid email',
        authorizationParameters: { vtr: JSON.stringify([ONE_LOGIN_VECTOR]) },
      })
    : undefined;
  const clients: Record<IdentityProvider, OidcClient | undefined> = { staff, one_login: oneLogin };
  const methodOf = { staff: 'staff_oidc', one_login: 'one_login' } as const;

  /** Where to send the person to sign in, and what to keep in the session until they come back. */
  async function start(
    provider: IdentityProvider,
    request: { returnTo: string; reauthenticateUserId?: string; invitationToken?: string },
  ): Promise<{ url: string; pending: PendingSignIn }> {
    const oidc = clients[provider];
    if (!oidc) throw new Error(`${provider} sign-in is not configured`);
    const { url, pending } = await oidc.start({ reauthenticate: request.reauthenticateUserId !== undefined });
    return {
      url,
      pending: {
        ...pending,
        provider,
        returnTo: request.returnTo,
        ...(request.reauthenticateUserId ? { reauthenticateUserId: request.reauthenticateUserId } : {}),
        ...(request.invitationToken ? { invitationHash: hashToken(request.invitationToken) } : {}),
      },
    };
  }

  /** Whether a parent's invitation can still be used (checked before sending them to One Login). */
  async function invitationState(token: string): Promise<'usable' | 'used' | 'expired' | 'unknown'> {
    return (await checkAccountLink(db, token, 'link_child', clock.now())).state;
  }

  async function refuse(
    provider: IdentityProvider,
    reason: RefusalReason,
    ctx: AuditContext,
    detail: { userId?: string | null; email?: string; providerDetail?: string } = {},
  ): Promise<SignInOutcome> {
    // An answer no sign-in in this session was waiting for reached no provider and names no one: it is not recorded,
    // so requests made up by anyone cannot fill the audit log. Every other refusal is.
    if (reason === 'bad_state') return { outcome: 'refused', reason };
    await appendAudit(db, {
      userId: detail.userId ?? null,
      laCode: null,
      action: 'sign_in_failed',
      entityType: 'user',
      entityId: detail.userId ?? null,
      ip: ctx.ip,
      requestId: ctx.requestId,
      detail: {
        method: methodOf[provider],
        reason,
        ...(detail.email ? { email: detail.email } : {}),
        ...(detail.providerDetail ? { providerDetail: detail.providerDetail } : {}),
      },
    });
    return { outcome: 'refused', reason };
  }

  /** The provider's answer checked, or the refusal to give (audited by the caller). */
  async function identityFrom(
    pending: PendingSignIn | undefined,
    provider: IdentityProvider,
    query: URLSearchParams,
  ): Promise<ProviderIdentity | { reason: RefusalReason; providerDetail?: string }> {
    const oidc = clients[provider];
    // An answer the session was not waiting for is refused before anything is sent to the provider (RFC 6749 10.12).
    if (!oidc || !pending || pending.provider !== provider || query.get('state') !== pending.state) {
      return { reason: 'bad_state' };
    }
    try {
      return await oidc.finish(query.toString(), pending);
    } catch (err) {
      if (err instanceof OidcFailure) return { reason: err.kind, providerDetail: err.detail };
      throw err;
    }
  }

  /** The email check both providers share: present, and not said by the provider to be unverified. */
  function emailProblem(identity: ProviderIdentity, requireVerified: boolean): RefusalReason | undefined {
    if (!identity.email) return 'no_email';
    if (identity.emailVerified === false || (requireVerified && identity.emailVerified !== true)) {
      return 'unverified_email';
    }
    return undefined;
  }

  /**
   * Finishes a staff sign-in: the account linked to this identity, else the account with this email that holds a
   * staff role (and then the identity is linked to it). Never creates an account.
   */
  async function finishStaff(
    pending: PendingSignIn | undefined,
    query: URLSearchParams,
    ctx: AuditContext,
  ): Promise<SignInOutcome> {
    const identity = await identityFrom(pending, 'staff', query);
    if ('reason' in identity) return refuse('staff', identity.reason, ctx, { providerDetail: identity.providerDetail });
    const now = clock.now();
    try {
      return await db.transaction(async (tx) => {
        let user: MatchedUser | undefined = await userByIdentity(tx, identity.issuer, identity.subject);
        if (!user) {
          // Email is matched only when the provider has not said it is unverified (Entra ID does not say either way).
          const problem = emailProblem(identity, false);
          if (problem) throw new Refused(problem);
          user = await userByEmail(tx, identity.email!);
          if (!user || !(await holdsRole(tx, user.id, 'staff'))) throw new Refused('unknown_account');
          const linked = await subjectAt(tx, user.id, identity.issuer);
          if (linked !== undefined && linked !== identity.subject) throw new Refused('identity_conflict', user.id);
        } else if (!(await holdsRole(tx, user.id, 'staff'))) {
          throw new Refused('unknown_account', user.id);
        }
        if (user.disabled) throw new Refused('disabled', user.id);
        if (pending!.reauthenticateUserId !== undefined) {
          if (pending!.reauthenticateUserId !== user.id) throw new Refused('different_person', user.id);
          await appendAudit(tx, {
            userId: user.id,
            laCode: null,
            action: 'reauthenticated',
            entityType: 'user',
            entityId: user.id,
            ip: ctx.ip,
            requestId: ctx.requestId,
            detail: { method: 'staff_oidc' },
          });
          return { outcome: 'reauthenticated' } as const;
        }
        const audit = { ...ctx, laCode: null };
        await linkIdentity(tx, { userId: user.id, issuer: identity.issuer, subject: identity.subject }, now, audit);
        await recordProviderSignIn(tx, user.id, 'staff_oidc', now, audit);
        return { outcome: 'signed_in', userId: user.id, idToken: identity.idToken } as const;
      });
    } catch (err) {
      if (err instanceof Refused)
        return refuse('staff', err.reason, ctx, { userId: err.userId, email: identity.email });
      throw err;
    }
  }

  /**
   * Finishes a parent's sign-in with GOV.UK One Login. With an invitation: the account linked to this identity, else
   * the one with this email, else a new account; linked to the invitation's child. Without: the account linked to
   * this identity, else a parent's account with this verified email. A person with no child linked is told how to
   * get linked, and not signed in.
   */
  async function finishOneLogin(
    pending: PendingSignIn | undefined,
    query: URLSearchParams,
    ctx: AuditContext,
  ): Promise<SignInOutcome> {
    const identity = await identityFrom(pending, 'one_login', query);
    if ('reason' in identity) {
      return refuse('one_login', identity.reason, ctx, { providerDetail: identity.providerDetail });
    }
    const now = clock.now();
    const invitationHash = pending!.invitationHash;
    try {
      return await db.transaction(async (tx) => {
        let user: MatchedUser | undefined = await userByIdentity(tx, identity.issuer, identity.subject);
        let laCode: string | undefined;
        if (!user) {
          // One Login always verifies the email it sends: anything else is refused.
          const problem = emailProblem(identity, true);
          if (problem) throw new Refused(problem);
          user = await userByEmail(tx, identity.email!);
          if (!user && invitationHash) {
            const created = await tx
              .insert(users)
              .values({ email: identity.email!, displayName: identity.email! })
              .returning({ id: users.id, disabled: users.disabled });
            user = created[0]!;
            await appendAudit(tx, {
              userId: user.id,
              laCode: null,
              action: 'user_created',
              entityType: 'user',
              entityId: user.id,
              ip: ctx.ip,
              requestId: ctx.requestId,
              detail: { before: null, after: { email: identity.email, via: 'one_login_invitation' } },
            });
          }
          if (!user) return { outcome: 'not_linked', email: identity.email } as const;
          if (!invitationHash && !(await holdsRole(tx, user.id, 'parent')))
            return { outcome: 'not_linked', email: identity.email } as const;
          const linked = await subjectAt(tx, user.id, identity.issuer);
          if (linked !== undefined && linked !== identity.subject) throw new Refused('identity_conflict', user.id);
        }
        if (user.disabled) throw new Refused('disabled', user.id);
        if (invitationHash) {
          const child = await linkParentByInvitationHash(tx, invitationHash, user.id, now, ctx);
          if (!child) throw new Refused('invitation_unusable', user.id);
          laCode = child.laCode;
        }
        if (!(await holdsRole(tx, user.id, 'parent'))) return { outcome: 'not_linked', email: identity.email } as const;
        const audit = { ...ctx, laCode: laCode ?? null };
        await linkIdentity(tx, { userId: user.id, issuer: identity.issuer, subject: identity.subject }, now, audit);
        await recordProviderSignIn(tx, user.id, 'one_login', now, audit);
        return { outcome: 'signed_in', userId: user.id, idToken: identity.idToken, ...(laCode ? { laCode } : {}) };
      });
    } catch (err) {
      if (err instanceof Refused) {
        return refuse('one_login', err.reason, ctx, { userId: err.userId, email: identity.email });
      }
      throw err;
    }
  }

  /**
   * Links a signed-in user's account to the child a parent's invitation names (single use, unexpired), audited; for
   * the invitation page (/account/link-child/:token). Undefined, with nothing changed, when the invitation cannot be
   * used.
   */
  async function linkParentByInvitation(
    token: string,
    userId: string,
    ctx: AuditContext = { ip: 'unknown' },
  ): Promise<{ laCode: string; childId: string } | undefined> {
    return db.transaction((tx) => linkParentByInvitationHash(tx, hashToken(token), userId, clock.now(), ctx));
  }

  /** Where sign-out sends the person to end their session at the provider they signed in with, if it can. */
  async function endSessionUrl(method: string | undefined, idToken: string | undefined): Promise<string | undefined> {
    const oidc = method === 'staff_oidc' ? staff : method === 'one_login' ? oneLogin : undefined;
    return oidc?.endSessionUrl(idToken);
  }

  /** The providers' origins: the sign-out form may lead there (Content-Security-Policy form-action). */
  const providerOrigins = [staff, oneLogin].flatMap((c) => (c ? [new URL(c.issuer).origin] : []));

  return {
    staffOidcConfigured: staff !== undefined,
    oneLoginConfigured: oneLogin !== undefined,
    providerOrigins,
    start,
    invitationState,
    finishStaff,
    finishOneLogin,
    linkParentByInvitation,
    endSessionUrl,
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
