import { Router, type Request, type Response } from 'express';
import { PENDING_SIGN_IN_MINUTES } from '../../../domain/access/localAccounts.js';
import type { SignedInUser } from '../../../services/auth.js';
import type { Services } from '../../../services/index.js';
import { requestIdOf, safeReturnTo } from '../../middleware/auth.js';
import { startSignedInSession } from '../../middleware/startSession.js';
import { validateCode, validateEmail, validateSignIn } from './validation.js';

/** Where a signed-in user goes next: the council question when they hold roles in several, else where they were going. */
export function afterSignIn(user: SignedInUser, returnTo: string): string {
  return user.councils.length > 1 ? `/choose-council?returnTo=${encodeURIComponent(returnTo)}` : returnTo;
}

/**
 * A sign-in whose password was right, waiting for its code (or for two-factor sign-in to be set up): in a new session
 * (so a session id planted before sign-in is worthless here too), holding only the user's id, for a few minutes.
 */
export function startPendingSignIn(
  req: Request,
  pending: { userId: string; step: 'code' | 'set_up_two_factor'; returnTo: string; laCode?: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err as Error);
      req.session.pendingSignIn = { ...pending, until: Date.now() + PENDING_SIGN_IN_MINUTES * 60_000 };
      req.session.save((saveErr) => (saveErr ? reject(saveErr as Error) : resolve()));
    });
  });
}

/** The half-done sign-in at this step, while it lasts. */
export function pendingSignIn(req: Request, step: 'code' | 'set_up_two_factor') {
  const pending = req.session.pendingSignIn;
  return pending && pending.step === step && pending.until > Date.now() ? pending : undefined;
}

function throttledText(minutes: number): string {
  return `Too many attempts to sign in. Wait ${minutes} minutes, then try again.`;
}

export function signInRoutes(services: Services): Router {
  const router = Router();

  /** The sign-in page, or (before any council is set up) what to do first. */
  async function renderSignIn(res: Response, status: number, view: Record<string, unknown>) {
    const notSetUp = !(await services.accounts.anyCouncil());
    res.status(status).render('signin/sign-in.njk', { ...view, notSetUp });
  }

  router.get('/sign-in', async (req, res) => {
    if (req.user) return res.redirect(303, safeReturnTo(req.query.returnTo));
    await renderSignIn(res, 200, {
      returnTo: safeReturnTo(req.query.returnTo),
      sessionEnded: res.locals.sessionEnded === true || req.query.ended === '1',
      passwordChanged: req.query.passwordChanged === '1',
    });
  });

  router.post('/sign-in', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    const { values, errors } = validateSignIn(body);
    if (errors.length > 0) {
      await renderSignIn(res, 400, { values, errors, returnTo });
      return;
    }
    const ip = req.ip ?? 'unknown';
    const result = await services.auth.signIn(values.email, values.password, ip);
    if (!result.ok) {
      const text =
        result.reason === 'throttled'
          ? throttledText(result.retryAfterMinutes)
          : 'Enter a correct email address and password';
      // RFC 9110 section 10.2.3: how long to wait, in seconds.
      if (result.reason === 'throttled') res.set('Retry-After', String(result.retryAfterMinutes * 60));
      await renderSignIn(res, result.reason === 'throttled' ? 429 : 401, {
        values: { email: values.email },
        errors: [{ text, href: '#email' }],
        returnTo,
      });
      return;
    }
    if (result.next !== 'signed_in') {
      await startPendingSignIn(req, { userId: result.user.userId, step: result.next, returnTo });
      res.redirect(303, result.next === 'code' ? '/sign-in/code' : '/account/two-factor');
      return;
    }
    await startSignedInSession(req, result.user.userId, 'password');
    res.redirect(303, afterSignIn(result.user, returnTo));
  });

  // The second step: the code from the authenticator app.
  router.get('/sign-in/code', (req, res) => {
    if (!pendingSignIn(req, 'code')) return res.redirect(303, '/sign-in');
    res.render('signin/code.njk', {});
  });

  router.post('/sign-in/code', async (req, res) => {
    const pending = pendingSignIn(req, 'code');
    if (!pending) return res.redirect(303, '/sign-in');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { values, errors } = validateCode(body);
    if (errors.length > 0) {
      res.status(400).render('signin/code.njk', { values, errors });
      return;
    }
    const result = await services.auth.checkCode(pending.userId, values.code, req.ip ?? 'unknown');
    if (!result.ok) {
      if (result.reason === 'throttled') res.set('Retry-After', String(result.retryAfterMinutes * 60));
      res.status(result.reason === 'throttled' ? 429 : 401).render('signin/code.njk', {
        errors: [
          {
            text:
              result.reason === 'throttled'
                ? throttledText(result.retryAfterMinutes)
                : 'Enter the code your authenticator app shows now. A code works only once',
            href: '#code',
          },
        ],
      });
      return;
    }
    await startSignedInSession(req, pending.userId, 'password_totp', { laCode: pending.laCode });
    res.redirect(303, afterSignIn(result.user, pending.returnTo));
  });

  // "Which council are you working for today?", for a user with roles in several.
  router.get('/choose-council', (req, res) => {
    if (!req.user) return res.redirect(303, '/sign-in');
    res.render('signin/choose-council.njk', {
      councils: req.user.councils.map((c) => ({
        value: c.laCode,
        text: c.laName,
        checked: !req.user!.mustChooseCouncil && c.laCode === req.user!.laCode,
      })),
      returnTo: safeReturnTo(req.query.returnTo),
    });
  });

  router.post('/choose-council', (req, res, next) => {
    if (!req.user) return res.redirect(303, '/sign-in');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    const chosen = req.user.councils.find((c) => c.laCode === body.council);
    if (!chosen) {
      res.status(400).render('signin/choose-council.njk', {
        councils: req.user.councils.map((c) => ({ value: c.laCode, text: c.laName })),
        returnTo,
        errors: [{ text: 'Select the council you are working for today', href: '#council' }],
      });
      return;
    }
    req.session.laCode = chosen.laCode;
    req.session.save((err) => (err ? next(err) : res.redirect(303, returnTo)));
  });

  // Forgotten password: the same answer whether or not an account uses the address.
  router.get('/account/forgotten-password', (_req, res) => {
    res.render('signin/forgotten-password.njk', {});
  });

  router.post('/account/forgotten-password', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { values, errors } = validateEmail(body);
    if (errors.length > 0) {
      res.status(400).render('signin/forgotten-password.njk', { values, errors });
      return;
    }
    const result = await services.accounts.requestPasswordReset(values.email, req.ip ?? 'unknown', requestIdOf(req));
    if (!result.ok) {
      res.set('Retry-After', String(result.retryAfterMinutes * 60));
      res.status(429).render('signin/forgotten-password.njk', {
        values,
        errors: [
          {
            text: `Too many requests for a password reset. Wait ${result.retryAfterMinutes} minutes, then try again.`,
            href: '#email',
          },
        ],
      });
      return;
    }
    res.render('signin/forgotten-password-sent.njk', {
      email: values.email,
      emailsDelivered: services.accounts.emailsDelivered,
    });
    // The link is made and sent once the answer has gone, so the answer's time says nothing about the address.
    await result.sending.catch((err: unknown) => req.log.error({ err }, 'password reset link not sent'));
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
