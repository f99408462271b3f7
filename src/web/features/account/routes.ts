/**
 * A local account's own pages: setting it up from a one-time link (a password, then two-factor sign-in for the
 * roles that need it), choosing a new password from a reset link, setting up two-factor sign-in, and "Confirm it is
 * you" before exporting every child's record or changing roles.
 */
import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { lifetimeText } from '../../../domain/access/accountLinks.js';
import { PASSWORD_MIN_LENGTH } from '../../../domain/access/passwordPolicy.js';
import type { Services } from '../../../services/index.js';
import { attempt } from '../../formFailures.js';
import { requestIdOf, requireSignIn, safeReturnTo } from '../../middleware/auth.js';
import { startSignedInSession } from '../../middleware/startSession.js';
import { afterSignIn, pendingSignIn, startPendingSignIn } from '../signin/routes.js';
import { validateCode } from '../signin/validation.js';

type Body = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** What each kind of link's pages say. */
const LINKS = {
  set_up: {
    path: 'set-up',
    heading: 'Create a password',
    label: 'Create a password',
    button: 'Create password',
    used: 'This link has already been used to set up the account. Sign in with the password you chose, or ask your council’s administrator for a new link.',
  },
  reset_password: {
    path: 'reset-password',
    heading: 'Choose a new password',
    label: 'New password',
    button: 'Change password',
    used: 'This link has already been used to change the password. Sign in with it, or ask for another link.',
  },
} as const;

/** The policy in words, shown before the person types (domain/access/passwordPolicy.ts). */
const POLICY_HINT = `Use ${PASSWORD_MIN_LENGTH} characters or more. Three random words make a strong password that is easy to remember. Do not use a common password, your name or the council’s.`;

/** The address of the two-factor set-up, as an SVG QR code with the key beside it as text for those who type it. */
async function qrView(secret: string, address: string) {
  const svg = await QRCode.toString(address, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return {
    qrSvg: svg.replace(
      '<svg ',
      '<svg role="img" aria-label="QR code to scan with your authenticator app" width="200" height="200" ',
    ),
    // Groups of 4, as apps that take a typed key show it.
    keyGroups: secret.match(/.{1,4}/g)?.join(' ') ?? secret,
  };
}

export function accountRoutes(services: Services): Router {
  const router = Router();

  for (const purpose of ['set_up', 'reset_password'] as const) {
    const words = LINKS[purpose];
    const render = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
      const page = await services.accounts.linkPage(text(req.params.token), purpose);
      if (page.state !== 'usable') {
        res.status(page.state === 'unknown' ? 404 : 410).render('account/link-problem.njk', {
          state: page.state,
          purpose,
          used: words.used,
          lifetime: lifetimeText(purpose),
        });
        return;
      }
      res.status(status).render('account/password.njk', {
        ...words,
        action: `/account/${words.path}/${text(req.params.token)}`,
        email: page.email,
        laName: page.laName,
        policyHint: POLICY_HINT,
        ...extra,
      });
    };

    router.get(`/account/${words.path}/:token`, async (req, res) => {
      await render(req, res, 200);
    });

    router.post(`/account/${words.path}/:token`, async (req, res) => {
      const body = (req.body ?? {}) as Body;
      const outcome = await attempt(() =>
        services.accounts.setPasswordWithLink(
          text(req.params.token),
          purpose,
          { password: text(body.password), confirmPassword: text(body.confirmPassword) },
          req.ip ?? 'unknown',
          requestIdOf(req),
        ),
      );
      if (!outcome.ok) return render(req, res, outcome.failure.status, { errors: outcome.failure.errors });
      const done = outcome.value;
      if (done.state !== 'done') return render(req, res, 200);
      if (purpose === 'reset_password') {
        // Every session was ended; the person signs in afresh with the new password (and their code, if they use one).
        res.redirect(303, '/sign-in?passwordChanged=1');
        return;
      }
      if (done.twoFactor !== 'not_needed') {
        await startPendingSignIn(req, {
          userId: done.userId,
          step: done.twoFactor === 'on' ? 'code' : 'set_up_two_factor',
          returnTo: '/',
          laCode: done.laCode,
        });
        res.redirect(303, done.twoFactor === 'on' ? '/sign-in/code' : '/account/two-factor');
        return;
      }
      await startSignedInSession(req, done.userId, 'password', { laCode: done.laCode });
      res.redirect(303, '/');
    });
  }

  /** Who is setting up two-factor sign-in: a signed-in user (optional), or a sign-in waiting for it (required). */
  function twoFactorFor(req: Request) {
    if (req.user) return { userId: req.user.userId, required: false as const };
    const pending = pendingSignIn(req, 'set_up_two_factor');
    return pending ? { userId: pending.userId, required: true as const, pending } : undefined;
  }

  async function renderTwoFactor(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const who = twoFactorFor(req)!;
    // The same key while the page is reloaded or a code is mistyped, so a scan already made still works.
    const kept = req.session.twoFactorSetUp;
    const setUp = await services.accounts.twoFactorSetUp(
      who.userId,
      kept?.userId === who.userId ? kept.secret : undefined,
    );
    if (!setUp) return res.redirect(303, '/sign-in');
    req.session.twoFactorSetUp = { userId: who.userId, secret: setUp.secret };
    res.status(status).render('account/two-factor.njk', {
      required: who.required,
      ...(await qrView(setUp.secret, setUp.address)),
      ...extra,
    });
  }

  router.get('/account/two-factor', async (req, res) => {
    const who = twoFactorFor(req);
    if (!who) return res.redirect(303, '/sign-in?returnTo=%2Faccount%2Ftwo-factor');
    if (!who.required && (await services.accounts.twoFactorStatus(who.userId)).on) return res.redirect(303, '/account');
    await renderTwoFactor(req, res, 200);
  });

  router.post('/account/two-factor', async (req, res) => {
    const who = twoFactorFor(req);
    const setUp = req.session.twoFactorSetUp;
    if (!who || setUp?.userId !== who.userId) return res.redirect(303, who ? '/account/two-factor' : '/sign-in');
    const body = (req.body ?? {}) as Body;
    const { values, errors } = validateCode(body);
    if (errors.length > 0) return renderTwoFactor(req, res, 400, { values, errors });
    const outcome = await attempt(() =>
      services.accounts.confirmTwoFactor(who.userId, setUp.secret, values.code, req.ip ?? 'unknown', requestIdOf(req)),
    );
    if (!outcome.ok) return renderTwoFactor(req, res, outcome.failure.status, { errors: outcome.failure.errors });
    delete req.session.twoFactorSetUp;
    if (who.pending) {
      await startSignedInSession(req, who.userId, 'password_totp', { laCode: who.pending.laCode });
      const user = await services.auth.loadUser(who.userId, who.pending.laCode);
      res.redirect(303, user ? afterSignIn(user, who.pending.returnTo) : '/');
      return;
    }
    res.redirect(303, '/account?twoFactor=on');
  });

  router.get('/account', requireSignIn, async (req, res) => {
    const status = await services.accounts.twoFactorStatus(req.user!.userId);
    res.render('account/account.njk', { twoFactor: status, justTurnedOn: req.query.twoFactor === 'on' });
  });

  // "Confirm it is you": the password again (and a code with two-factor sign-in), then back where the user was.
  const renderConfirm = async (
    req: Request,
    res: Response,
    status: number,
    problem?: 'missing' | 'invalid' | { throttledMinutes: number },
  ) => {
    const usesCode = await services.auth.usesTwoFactor(req.user!.userId);
    const body = (req.body ?? {}) as Body;
    const problemText =
      problem === undefined
        ? undefined
        : problem === 'missing'
          ? 'Enter your password'
          : problem === 'invalid'
            ? usesCode
              ? 'Enter your correct password and a new code from your authenticator app'
              : 'Enter your correct password'
            : `Too many attempts. Wait ${problem.throttledMinutes} minutes, then try again.`;
    res.status(status).render('account/confirm.njk', {
      usesCode,
      returnTo: safeReturnTo(req.method === 'POST' ? body.returnTo : req.query.returnTo),
      errors: problemText ? [{ text: problemText, href: '#password' }] : [],
    });
  };

  router.get('/account/confirm-it-is-you', requireSignIn, async (req, res) => {
    await renderConfirm(req, res, 200);
  });

  router.post('/account/confirm-it-is-you', requireSignIn, async (req, res, next) => {
    const body = (req.body ?? {}) as Body;
    const returnTo = safeReturnTo(body.returnTo);
    const password = text(body.password);
    if (password.length === 0 || password.length > 1024) return renderConfirm(req, res, 400, 'missing');
    const result = await services.auth.reauthenticate(req.user!, password, text(body.code), req.ip ?? 'unknown');
    if (!result.ok) {
      if (result.reason === 'throttled') {
        res.set('Retry-After', String(result.retryAfterMinutes * 60));
        return renderConfirm(req, res, 429, { throttledMinutes: result.retryAfterMinutes });
      }
      return renderConfirm(req, res, 401, 'invalid');
    }
    req.session.authenticatedAt = Date.now();
    req.session.save((err) => (err ? next(err) : res.redirect(303, returnTo)));
  });

  return router;
}
