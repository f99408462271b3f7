import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RECENT_AUTHENTICATION_MINUTES } from '../../domain/access/localAccounts.js';
import { can, navigationFor, type Permission } from '../../domain/access/roles.js';
import type { RequestContext } from '../../services/cases.js';
import type { Services } from '../../services/index.js';
import { DatabaseSessionStore } from './session.js';

/**
 * Pages a user with roles in several councils may open before choosing which council they act for: the question
 * itself, signing out, and the identity providers' routes (/auth/..., which sign in and out there).
 */
const BEFORE_CHOOSING_COUNCIL = new Set(['/choose-council', '/sign-out', '/signed-out']);
const beforeChoosingCouncil = (path: string) => BEFORE_CHOOSING_COUNCIL.has(path) || path.startsWith('/auth/');

/**
 * Loads the signed-in user for the council they act for (roles are re-read on every request, so removing a role takes
 * effect at once) and ends sessions past their absolute limit. A user with roles in several councils who has not
 * chosen one is asked which before any other page.
 */
export function loadUser(services: Services, maxHours: number): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (userId) {
      const tooOld = !req.session.signedInAt || Date.now() - req.session.signedInAt > maxHours * 3_600_000;
      // Read with the session when it was (the session store's one query), else now.
      const read =
        req.sessionStore instanceof DatabaseSessionStore
          ? req.sessionStore.takeUserRead(req.sessionID, userId)
          : undefined;
      const user = tooOld ? undefined : read ? read.user : await services.auth.loadUser(userId, req.session.laCode);
      if (user) {
        req.user = user;
      } else {
        await new Promise<void>((resolve, reject) =>
          req.session.regenerate((err: Error | undefined) => (err ? reject(err) : resolve())),
        );
        res.locals.sessionEnded = true;
      }
    }
    if (req.user?.mustChooseCouncil && !beforeChoosingCouncil(req.path)) {
      res.redirect(303, `/choose-council?returnTo=${encodeURIComponent(returnAddress(req))}`);
      return;
    }
    res.locals.currentUser = req.user;
    res.locals.changeCouncil = (req.user?.councils.length ?? 0) > 1;
    res.locals.navigation = (req.user ? navigationFor(req.user.roles, req.user.family) : []).map((item) => ({
      ...item,
      active: item.href === '/' ? req.path === '/' : req.path === item.href || req.path.startsWith(`${item.href}/`),
    }));
    next();
  };
}

/** Longer addresses are not kept to return to: the sign-in link would not fit in a response header. */
const MAX_RETURN_TO = 2_000;

/** Only same-site paths may be returned to, so a link cannot send the user elsewhere. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return '/';
  if (value.startsWith('/sign-in') || value.startsWith('/sign-out')) return '/';
  return value;
}

/**
 * Where to come back to after a detour (choosing a council, confirming who you are): the address itself for a GET,
 * else the page the form was on (a form cannot be sent again for the user), else home.
 */
function returnAddress(req: Request): string {
  if (req.method === 'GET') return req.originalUrl.length <= MAX_RETURN_TO ? req.originalUrl : '/';
  const referer = req.get('referer');
  if (!referer) return '/';
  try {
    const from = new URL(referer);
    const here = `${req.protocol}://${req.get('host') ?? ''}`;
    return from.origin === here ? safeReturnTo(from.pathname + from.search) : '/';
  } catch {
    return '/';
  }
}

/**
 * Asks a signed-in user to prove who they are again when they last did so more than `minutes` ago, before something
 * that exposes or changes a great deal (every child's record in the SEN2 return, who may do what). A local account
 * confirms its password (and a code, with two-factor sign-in) at "Confirm it is you"; an account at an identity
 * provider is sent back to it to sign in again (max_age=0). Both return to where the user was.
 */
export function requireRecentAuthentication(minutes = RECENT_AUTHENTICATION_MINUTES): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireSignIn(req, res, next);
    const at = req.session.authenticatedAt;
    if (at !== undefined && Date.now() - at <= minutes * 60_000) return next();
    const returnTo = encodeURIComponent(returnAddress(req));
    const method = req.session.signInMethod;
    if (method === 'staff_oidc' || method === 'one_login')
      res.redirect(303, `/auth/sign-in?reauth=1&returnTo=${returnTo}`);
    else res.redirect(303, `/account/confirm-it-is-you?returnTo=${returnTo}`);
  };
}

export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  const returnTo = req.method === 'GET' && req.originalUrl.length <= MAX_RETURN_TO ? req.originalUrl : '/';
  res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
};

export function requirePermission(...permissions: Permission[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireSignIn(req, res, next);
    if (permissions.some((p) => can(req.user!.roles, p))) return next();
    res.status(403).render('errors/forbidden.njk');
  };
}

export function requestContext(req: Request): RequestContext {
  if (!req.user) throw new Error('requestContext needs a signed-in user');
  return { actor: req.user, ip: req.ip ?? 'unknown', requestId: requestIdOf(req) };
}

/** The request id pino-http gave this request (from X-Request-Id when valid). */
export function requestIdOf(req: Request): string {
  return typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '';
}

export type AsyncHandler = (req: Request, res: Response, next: NextFunction) => Promise<void>;
