import { Router } from 'express';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { paginationItems } from '../../pagination.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function adminRoutes(services: Services): Router {
  const router = Router();

  router.get('/admin/users', requirePermission('users:view'), noStore, async (req, res) => {
    const users = await services.admin.users(requestContext(req));
    res.render('admin/users.njk', { users });
  });

  router.get('/admin/audit', requirePermission('audit:view'), noStore, async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const errors: { text: string; href: string }[] = [];
    const childId = typeof q.child === 'string' && q.child !== '' ? q.child : undefined;
    const userId = typeof q.user === 'string' && q.user !== '' ? q.user : undefined;
    const pageRaw = typeof q.page === 'string' ? q.page : '1';
    if (childId && !UUID.test(childId)) errors.push({ text: 'Child must be a record identifier', href: '#' });
    if (userId && !UUID.test(userId)) errors.push({ text: 'User must be a user identifier', href: '#' });
    if (!/^\d{1,6}$/.test(pageRaw) || Number(pageRaw) < 1)
      errors.push({ text: 'Page must be a whole number from 1', href: '#' });
    if (errors.length) {
      res.status(400).render('errors/bad-request.njk', { errors, backHref: '/admin/audit' });
      return;
    }
    const result = await services.admin.auditLog(requestContext(req), { childId, userId, page: Number(pageRaw) });
    const href = (p: number) => {
      const params = new URLSearchParams();
      if (childId) params.set('child', childId);
      if (userId) params.set('user', userId);
      params.set('page', String(p));
      return `/admin/audit?${params.toString()}`;
    };
    res.render('admin/audit.njk', {
      result,
      childId,
      userId,
      pagination: paginationItems(result.page, result.pageCount, href),
    });
  });

  return router;
}
