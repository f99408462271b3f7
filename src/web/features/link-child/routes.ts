/**
 * A parent's or carer's invitation to link their account to their child: the caseworker's form on the case page
 * (/cases/:requestId/invite-parent), and the page the emailed link opens (/account/link-child/:token), where a parent
 * signed in links their account, and anyone else signs in or creates an account. Used, expired and unknown links each
 * have their own page; a member of staff's account is never linked to a child.
 */
import { Router, type Request, type Response } from 'express';
import { lifetimeText } from '../../../domain/access/accountLinks.js';
import { EMAIL_FORMAT_MESSAGE, isEmailAddress } from '../../../domain/access/staff.js';
import type { Services } from '../../../services/index.js';
import type { LinkOutcome } from '../../../services/users/familyLinks.js';
import { attempt } from '../../formFailures.js';
import { text, type Body } from '../../forms.js';
import { requestContext, requestIdOf, requirePermission } from '../../middleware/auth.js';
import { CASE_PARAMS, uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { startSignedInSession } from '../../middleware/startSession.js';

/** The page for a link that cannot be used (and its status): used, expired, unknown, or opened by staff. */
function renderUnusable(res: Response, why: Exclude<LinkOutcome, { linked: true }>['why']) {
  const status = { used: 410, expired: 410, unknown: 404, staff: 403 }[why];
  res.status(status).render('link-child/unusable.njk', { why, lifetime: lifetimeText('link_child') });
}

export function linkChildRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { requestId: CASE_PARAMS.requestId });
  const canInvite = requirePermission('family:invite');

  async function renderInvite(
    req: Request,
    res: Response,
    status: number,
    extra: { errors?: unknown; email?: string } = {},
  ) {
    const found = await services.familyLinks.invitationFor(requestContext(req), req.params.requestId as string);
    res.status(status).render('link-child/invite.njk', {
      found,
      email: extra.email ?? found.contactEmail ?? '',
      errors: extra.errors,
      lifetime: lifetimeText('link_child'),
      caseHref: `/cases/${found.requestId}`,
    });
  }

  router.get('/cases/:requestId/invite-parent', canInvite, noStore, async (req, res) => {
    await renderInvite(req, res, 200);
  });

  router.post('/cases/:requestId/invite-parent', canInvite, noStore, async (req, res) => {
    const email = text((req.body ?? {}) as Body, 'email');
    if (!email || !isEmailAddress(email)) {
      const message = email ? EMAIL_FORMAT_MESSAGE : 'Enter the family’s email address';
      await renderInvite(req, res, 400, { errors: [{ text: message, href: '#email' }], email });
      return;
    }
    const ctx = requestContext(req);
    const outcome = await attempt(() => services.familyLinks.invite(ctx, req.params.requestId as string, email));
    if (!outcome.ok) {
      await renderInvite(req, res, outcome.failure.status, { errors: outcome.failure.errors, email });
      return;
    }
    const found = await services.familyLinks.invitationFor(ctx, req.params.requestId as string);
    const sent = outcome.value;
    res.render('link-child/invited.njk', {
      email,
      found,
      lifetime: lifetimeText('link_child'),
      caseHref: `/cases/${found.requestId}`,
      emailed: sent.delivered === 'notify',
      link: sent.delivered === 'not_sent' ? sent.link : null,
      why:
        sent.delivered === 'not_sent' && sent.reason === 'no_notify'
          ? 'This service does not send email yet (GOV.UK Notify is not set up), so the email was not sent.'
          : 'GOV.UK Notify did not take the email, so it was not sent.',
    });
  });

  /** The invitation's page: what it is for, and how to use it as the person is now (signed in or not). */
  async function renderLinkPage(
    req: Request,
    res: Response,
    status: number,
    extra: { errors?: unknown; values?: Body } = {},
  ) {
    const token = req.params.token as string;
    const state = await services.familyLinks.invitation(token);
    if (state.state !== 'usable') return renderUnusable(res, state.state);
    const signedIn = req.user;
    if (signedIn && !signedIn.roles.every((r) => r === 'parent')) return renderUnusable(res, 'staff');
    res.status(status).render('link-child/link.njk', {
      invitation: state,
      signedIn: Boolean(signedIn),
      action: `/account/link-child/${token}`,
      signInHref: `/sign-in?returnTo=${encodeURIComponent(`/account/link-child/${token}`)}`,
      // With GOV.UK One Login set up, the family signs in there and is linked on the way back (features/auth);
      // a local account is offered as well.
      oneLoginHref: services.identity.oneLoginConfigured
        ? `/auth/one-login?linkChild=${encodeURIComponent(token)}`
        : null,
      values: extra.values ?? {},
      errors: extra.errors,
    });
  }

  router.get('/account/link-child/:token', noStore, async (req, res) => {
    await renderLinkPage(req, res, 200);
  });

  router.post('/account/link-child/:token', noStore, async (req, res) => {
    const token = req.params.token as string;
    const body = (req.body ?? {}) as Body;
    if (req.user) {
      const outcome = await services.familyLinks.linkSignedIn(
        token,
        req.user.userId,
        req.ip ?? 'unknown',
        requestIdOf(req),
      );
      if (!outcome.linked) return renderUnusable(res, outcome.why);
      res.render('link-child/linked.njk', { outcome });
      return;
    }
    const values = { name: text(body, 'name') };
    const result = await attempt(() =>
      services.familyLinks.createAndLink(
        token,
        {
          name: values.name,
          password: typeof body.password === 'string' ? body.password : '',
          confirm: typeof body.confirm === 'string' ? body.confirm : '',
        },
        req.ip ?? 'unknown',
        requestIdOf(req),
      ),
    );
    if (!result.ok) {
      await renderLinkPage(req, res, result.failure.status, { errors: result.failure.errors, values });
      return;
    }
    const { userId, outcome } = result.value;
    if (!userId || !outcome.linked) return renderUnusable(res, outcome.linked ? 'unknown' : outcome.why);
    await startSignedInSession(req, userId, 'password');
    res.redirect(303, '/my-child');
  });

  return router;
}
