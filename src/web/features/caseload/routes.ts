import { Router } from 'express';
import type { CaseloadOptions } from '../../../services/cases.js';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { paginationItems } from '../../pagination.js';
import { parseCaseloadQuery } from './query.js';

const COLUMNS = [
  { key: 'child', text: 'Child' },
  { key: 'stage', text: 'Stage' },
  { key: 'due', text: 'Next deadline' },
  { key: 'weeks', text: 'Weeks since request' },
  { key: 'caseworker', text: 'Caseworker' },
] as const;

function caseloadHref(o: CaseloadOptions, change: Partial<CaseloadOptions>): string {
  const next = { ...o, ...change };
  const params = new URLSearchParams({
    view: next.view,
    sort: next.sort,
    direction: next.direction,
    page: String(next.page),
  });
  return `/cases?${params.toString()}`;
}

export function caseloadRoutes(services: Services): Router {
  const router = Router();

  router.get('/cases', requirePermission('caseload:view'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const defaultView = ctx.actor.roles.includes('caseworker') ? 'mine' : 'all';
    const { options, errors } = parseCaseloadQuery(req.query, { view: defaultView });
    if (errors.length > 0) {
      res.status(400).render('errors/bad-request.njk', { errors, backHref: '/cases' });
      return;
    }
    const caseload = await services.cases.caseload(ctx, options);
    const o = caseload.options;
    const head = COLUMNS.map((c) => {
      const active = o.sort === c.key;
      const nextDirection = active ? (o.direction === 'asc' ? 'desc' : 'asc') : c.key === 'weeks' ? 'desc' : 'asc';
      return {
        ...c,
        href: caseloadHref(o, { sort: c.key, direction: nextDirection, page: 1 }),
        ariaSort: active ? (o.direction === 'asc' ? 'ascending' : 'descending') : 'none',
      };
    });
    res.render('caseload/caseload.njk', {
      caseload,
      head,
      views: [
        {
          value: 'mine',
          text: 'My cases',
          href: caseloadHref(o, { view: 'mine', page: 1 }),
          current: o.view === 'mine',
        },
        {
          value: 'all',
          text: 'All open requests',
          href: caseloadHref(o, { view: 'all', page: 1 }),
          current: o.view === 'all',
        },
      ],
      pagination: paginationItems(caseload.page, caseload.pageCount, (p) => caseloadHref(o, { page: p })),
      firstItem: caseload.total === 0 ? 0 : (caseload.page - 1) * caseload.pageSize + 1,
      lastItem: Math.min(caseload.total, caseload.page * caseload.pageSize),
    });
  });

  router.get(
    '/cases/:requestId',
    requirePermission('case:read_any', 'case:read_own_child'),
    noStore,
    async (req, res) => {
      const record = await services.cases.viewCase(requestContext(req), req.params.requestId as string);
      const back = req.user?.roles.some((r) => r === 'caseworker' || r === 'manager') ? '/cases' : '/my-child';
      res.render('caseload/case.njk', { record, back });
    },
  );

  router.get('/my-child', requirePermission('case:read_own_child'), noStore, async (req, res) => {
    const requests = await services.cases.myChildren(requestContext(req));
    res.render('caseload/my-child.njk', { requests });
  });

  return router;
}
