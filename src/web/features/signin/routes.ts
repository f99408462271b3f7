import { Router } from 'express';
import type { Services } from '../../../services/index.js';
import { startSignedInSession } from '../../middleware/startSession.js';
import { validateSignIn } from './validation.js';

/** Only same-site paths may be used after sign-in, so a link cannot send the user elsewhere. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return '/';
  if (value.startsWith('/sign-in') || value.startsWith('/sign-out')) return '/';
  return value;
}

export function signInRoutes(services: Services): Router {
  const router = Router();

  router.get('/sign-in', (req, res) => {
    if (req.user) return res.redirect(303, safeReturnTo(req.query.returnTo));
    res.render('signin/sign-in.njk', {
      returnTo: safeReturnTo(req.query.returnTo),
      sessionEnded: res.locals.sessionEnded === true || req.query.ended === '1',
    });
  });

  router.post('/sign-in', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    const { values, errors } = validateSignIn(body);
    if (errors.length > 0) {
      res.status(400).render('signin/sign-in.njk', { values, errors, returnTo });
      return;
    }
    const ip = req.ip ?? 'unknown';
    const result = await services.auth.signIn(values.email, values.password, ip);
    if (!result.ok) {
      const text =
        result.reason === 'throttled'
          ? `Too many attempts to sign in. Wait ${result.retryAfterMinutes} minutes, then try again.`
          : 'Enter a correct email address and password';
      // RFC 9110 section 10.2.3: how long to wait, in seconds.
      if (result.reason === 'throttled') res.set('Retry-After', String(result.retryAfterMinutes * 60));
      res.status(result.reason === 'throttled' ? 429 : 401).render('signin/sign-in.njk', {
        values: { email: values.email },
        errors: [{ text, href: '#email' }],
        returnTo,
      });
      return;
    }
    await startSignedInSession(req, result.user.userId, 'password');
    res.redirect(303, returnTo);
  });

  router.post('/sign-out', async (req, res, next) => {
    let signedOutAt = '/signed-out';
    if (req.user) {
      await services.auth.signOut(req.user.userId, req.user.laCode, req.ip ?? 'unknown');
      // Signed in with an identity provider that can end its own session (RP-initiated logout): on to it, and back.
      signedOutAt =
        (await services.identity.endSessionUrl(req.session.signInMethod, req.session.idToken)) ?? signedOutAt;
    }
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie('openehcp.sid', { path: '/' });
      res.redirect(303, signedOutAt);
    });
  });

  router.get('/signed-out', (_req, res) => {
    res.render('signin/signed-out.njk');
  });

  return router;
}
