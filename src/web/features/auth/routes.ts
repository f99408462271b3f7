/**
 * Signing in with an identity provider (/auth/*): staff with the council's OpenID Connect provider, parents and carers
 * with GOV.UK One Login. The sign-in in progress (state, nonce, PKCE verifier, where to return) is kept in the
 * pre-sign-in session, one at a time; the answer is checked by services.identity, and every way in ends with
 * startSignedInSession (a new session id).
 */
import { Router, type Request, type Response } from 'express';
import { lifetimeText } from '../../../domain/access/accountLinks.js';
import {
  OidcFailure,
  type IdentityProvider,
  type PendingSignIn,
  type RefusalReason,
  type SignInOutcome,
} from '../../../services/identity/index.js';
import type { Services } from '../../../services/index.js';
import { requestIdOf } from '../../middleware/auth.js';
import { startSignedInSession } from '../../middleware/startSession.js';
import { safeReturnTo } from '../../middleware/auth.js';

declare module 'express-session' {
  interface SessionData {
    /** A sign-in with an identity provider waiting for the provider's answer (one at a time). */
    providerSignIn?: PendingSignIn;
  }
}

interface Problem {
  status: number;
  title: string;
  paragraphs: string[];
  action?: { text: string; href: string };
}

const TRY_AGAIN = { text: 'Try signing in again', href: '/sign-in' };
const ASK_ADMIN = 'If you think you should have access, ask your service administrator.';

/** What each refusal tells the person, and its status (400 bad request, 401 not authenticated, 403 refused). */
export const REFUSALS: Record<RefusalReason, Omit<Problem, 'action'> & { retry: boolean }> = {
  bad_state: {
    status: 400,
    title: 'Your sign-in could not be finished',
    paragraphs: [
      'The answer from the sign-in service did not match a sign-in started in this browser, or it was already used.',
      'This can happen if you used the back button, or signed in from another tab. Start again.',
    ],
    retry: true,
  },
  provider_error: {
    status: 401,
    title: 'You were not signed in',
    paragraphs: ['The sign-in service did not sign you in. You may have cancelled, or it refused the request.'],
    retry: true,
  },
  invalid_response: {
    status: 401,
    title: 'Your sign-in could not be checked',
    paragraphs: [
      'The answer from the sign-in service failed a security check (it may have been used before, or was meant for another service), so you have not been signed in.',
    ],
    retry: true,
  },
  unavailable: {
    status: 503,
    title: 'The sign-in service cannot be reached',
    paragraphs: ['The sign-in service did not answer. Try again in a few minutes.'],
    retry: true,
  },
  no_email: {
    status: 403,
    title: 'Your account has no email address',
    paragraphs: [
      'The sign-in service did not tell us your email address, so we cannot tell which account is yours.',
      ASK_ADMIN,
    ],
    retry: false,
  },
  unverified_email: {
    status: 403,
    title: 'Your email address has not been confirmed',
    paragraphs: [
      'The sign-in service says your email address has not been confirmed, so it cannot be used to find your account here.',
      'Confirm your email address with the sign-in service, then try again.',
    ],
    retry: true,
  },
  unknown_account: {
    status: 403,
    title: 'There is no account for you here',
    paragraphs: [
      'You signed in with the sign-in service, but no staff account here has your email address.',
      'Accounts are made by an administrator: ask yours to invite you.',
    ],
    retry: false,
  },
  disabled: {
    status: 403,
    title: 'Your account has been disabled',
    paragraphs: ['Your account here has been disabled, so you cannot sign in.', ASK_ADMIN],
    retry: false,
  },
  identity_conflict: {
    status: 403,
    title: 'Your account is linked to someone else’s sign-in',
    paragraphs: [
      'The account with your email address is already linked to a different account at the sign-in service.',
      'Ask your service administrator to check the account.',
    ],
    retry: false,
  },
  different_person: {
    status: 403,
    title: 'You signed in as someone else',
    paragraphs: ['To confirm who you are, sign in again as the person already signed in here.'],
    retry: false,
  },
  invitation_unusable: {
    status: 400,
    title: 'This invitation link cannot be used',
    paragraphs: [
      'The invitation has been used already, has expired or is not a whole link.',
      'Ask your caseworker to send you a new invitation.',
    ],
    retry: false,
  },
};

function renderProblem(res: Response, reason: RefusalReason): void {
  const { status, title, paragraphs, retry } = REFUSALS[reason];
  res
    .status(status)
    .render('auth/problem.njk', { problem: { title, paragraphs, action: retry ? TRY_AGAIN : undefined } });
}

function auditContext(req: Request) {
  return { ip: req.ip ?? 'unknown', requestId: requestIdOf(req) };
}

/** The query string as the provider sent it (parameters in order, none added). */
function queryOf(req: Request): URLSearchParams {
  const at = req.originalUrl.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : req.originalUrl.slice(at + 1));
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err as Error) : resolve())));
}

export function authRoutes(services: Services, options: { localSignIn: boolean }): Router {
  const router = Router();
  const { identity } = services;

  /** Keeps the sign-in in progress in the session and sends the person to the provider. */
  async function begin(
    req: Request,
    res: Response,
    provider: IdentityProvider,
    request: Parameters<typeof identity.start>[1],
  ): Promise<void> {
    let started;
    try {
      started = await identity.start(provider, request);
    } catch (err) {
      if (err instanceof OidcFailure) return renderProblem(res, 'unavailable');
      throw err;
    }
    req.session.providerSignIn = started.pending;
    await saveSession(req);
    res.redirect(303, started.url);
  }

  /** The provider's answer: the signed-in session, or the page saying why not. */
  async function complete(
    req: Request,
    res: Response,
    method: 'staff_oidc' | 'one_login',
    outcome: SignInOutcome,
    returnTo: string,
  ): Promise<void> {
    switch (outcome.outcome) {
      case 'signed_in':
        await startSignedInSession(req, outcome.userId, method, {
          idToken: outcome.idToken,
          ...(outcome.laCode ? { laCode: outcome.laCode } : {}),
        });
        return res.redirect(303, returnTo);
      case 'reauthenticated':
        req.session.authenticatedAt = Date.now();
        await saveSession(req);
        return res.redirect(303, returnTo);
      case 'not_linked':
        return res.render('auth/not-linked.njk', {
          email: outcome.email,
          invitationLifetime: lifetimeText('link_child'),
        });
      case 'refused':
        return renderProblem(res, outcome.reason);
    }
  }

  /** Takes the sign-in in progress out of the session: an answer is accepted once. */
  function takePending(req: Request): PendingSignIn | undefined {
    const pending = req.session.providerSignIn;
    delete req.session.providerSignIn;
    return pending;
  }

  if (identity.staffOidcConfigured) {
    router.get('/auth/sign-in', async (req, res) => {
      const returnTo = safeReturnTo(req.query.returnTo);
      const reauthenticate = req.query.reauth === '1';
      if (req.user && !reauthenticate) return res.redirect(303, returnTo);
      await begin(req, res, 'staff', {
        returnTo,
        ...(reauthenticate && req.user ? { reauthenticateUserId: req.user.userId } : {}),
      });
    });

    router.get('/auth/callback', async (req, res) => {
      const pending = takePending(req);
      const outcome = await identity.finishStaff(pending, queryOf(req), auditContext(req));
      await complete(req, res, 'staff_oidc', outcome, pending?.returnTo ?? '/');
    });
  }

  if (identity.oneLoginConfigured) {
    router.get('/auth/one-login', async (req, res) => {
      const returnTo = safeReturnTo(req.query.returnTo);
      const token = typeof req.query.linkChild === 'string' ? req.query.linkChild : undefined;
      if (token !== undefined && (await identity.invitationState(token)) !== 'usable') {
        return renderProblem(res, 'invitation_unusable');
      }
      await begin(req, res, 'one_login', { returnTo, ...(token !== undefined ? { invitationToken: token } : {}) });
    });

    router.get('/auth/one-login/callback', async (req, res) => {
      const pending = takePending(req);
      const outcome = await identity.finishOneLogin(pending, queryOf(req), auditContext(req));
      await complete(req, res, 'one_login', outcome, pending?.returnTo ?? '/');
    });
  }

  if (!options.localSignIn) {
    // LOCAL_SIGN_IN=off: passwords are not accepted at all, whatever a form sends.
    router.post('/sign-in', (_req, res) => {
      res.status(403).render('auth/problem.njk', {
        problem: {
          title: 'Sign in with your council account',
          paragraphs: ['This service does not accept passwords. Sign in with your council account instead.'],
          action: { text: 'Sign in with your council account', href: '/auth/sign-in' },
        },
      });
    });
  }

  return router;
}
