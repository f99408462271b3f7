import { isUuid } from '../../../domain/identifiers/uuid.js';
import { Router } from 'express';
import { can } from '../../../domain/access/roles.js';
import { FAILED_SIGN_INS_DAYS } from '../../../services/admin.js';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { pageSummary, paginationItems } from '../../pagination.js';
import { formatLongDate } from '../../../domain/dates/localDate.js';
import { RECORD_KIND_NAMES, RECORD_KINDS, ruleInWords } from '../../../domain/retention/schedule.js';
import { checkForm, formErrors, optionalText } from '../../validation.js';
import { z } from 'zod';
import { userRoutes } from './users.js';

/**
 * The audit log's address: the child (their reference, a request's reference or the record id the log links use),
 * the account and the page. An address no form makes is refused whole; the child typed is the filter's one field.
 */
const auditAddress = z.object({
  child: z
    .string({ error: 'Use "child" only once in the address' })
    .optional()
    .transform((v) => (v ?? '').trim()),
  // An account given twice is not a filter the page makes: it is left out, as before.
  user: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v : undefined),
    z.string().refine(isUuid, { error: 'User must be a user identifier' }).optional(),
  ),
  page: z.preprocess(
    (v) => (typeof v === 'string' ? v : '1'),
    z
      .string()
      .refine((p) => /^\d{1,6}$/.test(p) && Number(p) >= 1, { error: 'Page must be a whole number from 1' })
      .transform(Number),
  ),
});

/** The child's reference as typed in the filter. */
const childFilter = z.object({ child: optionalText('The reference', 64) });

export function adminRoutes(services: Services): Router {
  const router = Router();

  // What is due for deletion under the retention schedule, read-only: deletion is `openehcp retention run`.
  router.get('/admin/retention', requirePermission('retention:view'), noStore, async (req, res) => {
    const today = services.clock.today();
    const { schedule, cases } = await services.retention.forAdministrator(requestContext(req), today);
    res.render('admin/retention.njk', {
      today: formatLongDate(today),
      rules: RECORD_KINDS.map((kind) => ({
        key: { text: `Kept for ${RECORD_KIND_NAMES[kind]}` },
        value: { text: ruleInWords(schedule[kind]) },
      })),
      due: cases.length,
      // On a phone the table stacks: each case a block, each value beside its column's name (app.css).
      rows: cases.map((c) => [
        { text: c.reference },
        { text: RECORD_KIND_NAMES[c.kind], attributes: { 'data-label': 'Kind of record' } },
        { text: formatLongDate(c.closedOn), attributes: { 'data-label': 'Closed on' } },
        { text: formatLongDate(c.dueOn), attributes: { 'data-label': 'Due for deletion on' } },
      ]),
    });
  });

  // The users pages: the list, invitations, one account, importing staff (features/admin/users.ts).
  router.use(userRoutes(services));

  router.get('/admin/audit', requirePermission('audit:view'), noStore, async (req, res) => {
    const address = auditAddress.safeParse(req.query);
    if (!address.success) {
      // A filter no form makes (an address typed or altered): the bad-request page, each problem once.
      const errors = formErrors(address.error.issues).map((e) => ({ text: e.text, href: '#' }));
      res.status(400).render('errors/bad-request.njk', { errors, backHref: '/admin/audit' });
      return;
    }
    const { child, user: userId, page } = address.data;
    const typed = checkForm(childFilter, { child });
    const errors = typed.ok ? [] : typed.errors;
    const result = await services.admin.auditLog(requestContext(req), {
      child: errors.length ? undefined : child || undefined,
      userId,
      page,
    });
    if (result.childNotFound) {
      errors.push({ text: `No child in ${req.user!.laName} has the reference ${child}`, href: '#child' });
    }
    const href = (p: number) => {
      const params = new URLSearchParams();
      if (child) params.set('child', child);
      if (userId) params.set('user', userId);
      params.set('page', String(p));
      return `/admin/audit?${params.toString()}`;
    };
    res.status(errors.length ? 400 : 200).render('admin/audit.njk', {
      result,
      errors,
      childTyped: child,
      userId,
      shown: pageSummary(result.page, result.pageSize, result.total),
      lastPageHref: href(result.pageCount),
      pagination: errors.length ? undefined : paginationItems(result.page, result.pageCount, href),
    });
  });

  // Failed sign-ins to the LA's accounts, by account and by address, and who is locked out now.
  router.get('/admin/audit/sign-ins', requirePermission('audit:view'), noStore, async (req, res) => {
    const unlocked = typeof req.query.unlocked === 'string' ? req.query.unlocked : '';
    const result = await services.admin.failedSignIns(requestContext(req), isUuid(unlocked) ? unlocked : undefined);
    res.render('admin/sign-ins.njk', {
      result,
      days: FAILED_SIGN_INS_DAYS,
      policy: services.auth.policy,
      canUnlock: can(req.user!.roles, 'users:unlock'),
    });
  });

  router.post('/admin/audit/sign-ins/unlock', requirePermission('users:unlock'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const userId = typeof body.user === 'string' ? body.user : '';
    if (!isUuid(userId)) {
      res.status(400).render('errors/bad-request.njk', {
        errors: [{ text: 'Choose the account to unlock from the list of accounts locked out now', href: '#' }],
        backHref: '/admin/audit/sign-ins',
      });
      return;
    }
    await services.admin.unlock(requestContext(req), userId);
    res.redirect(303, `/admin/audit/sign-ins?unlocked=${userId}`);
  });

  return router;
}
