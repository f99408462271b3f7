import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { can, navigationFor, type Permission } from '../../domain/access/roles.js';
import type { RequestContext } from '../../services/cases.js';
import type { Services } from '../../services/index.js';
import { DatabaseSessionStore } from './session.js';

/**
 * Loads the signed-in user (roles are re-read on every request, so removing a role takes effect at once) and ends
 * sessions past their absolute limit.
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
      const user = tooOld ? undefined : read ? read.user : await services.auth.loadUser(userId);
      if (user) {
        req.user = user;
      } else {
        await new Promise<void>((resolve, reject) =>
          req.session.regenerate((err: Error | undefined) => (err ? reject(err) : resolve())),
        );
        res.locals.sessionEnded = true;
      }
    }
    res.locals.currentUser = req.user;
    res.locals.navigation = (req.user ? navigationFor(req.user.roles) : []).map((item) => ({
      ...item,
      active: item.href === '/' ? req.path === '/' : req.path === item.href || req.path.startsWith(`${item.href}/`),
    }));
    next();
  };
}

/** Longer addresses are not kept to return to: the sign-in link would not fit in a response header. */
const MAX_RETURN_TO = 2_000;

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
