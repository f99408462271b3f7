import { Router } from 'express';
import { can } from '../../../domain/access/roles.js';
import { OPEN_STAGES, PRIMARY_NEED_NAMES, STAGE_NAMES } from '../../../domain/casework/stages.js';
import { AREAS_OF_NEED } from '../../../domain/casework/adviceContent.js';
import type { CaseloadOptions } from '../../../services/cases.js';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { CASE_PARAMS, uuidParams } from '../../middleware/params.js';
import { pageSummary, paginationItems } from '../../pagination.js';
import { CASELOAD_PROCESSES, parseCaseloadQuery } from './query.js';
import { PROCESS_NAMES } from '../../../domain/casework/processes.js';
import { caseFacts, consultationsView, findingsView, nextStepsView } from '../casework/caseFacts.js';
import { casePeriods } from '../casework/periods.js';
import { familyFactsView } from '../family/staffView.js';

/** The confirmation shown on the case page after each step. */
const DONE_MESSAGES: Record<string, string> = {
  request: 'Request recorded. The decision whether to assess is due within 6 weeks.',
  finding_closed: 'Correction marked as done.',
  'assessment-decision': 'Decision recorded.',
  advice: 'Advice recorded.',
  'issue-decision': 'Decision recorded.',
  plan: 'Draft plan saved.',
  'draft-served': 'Draft plan recorded as sent. The family’s 15 days to comment are shown below.',
  'final-plan': 'Final plan issued.',
  consultations: 'Consultation recorded.',
  representations: 'The family’s comments are recorded.',
  exception: 'Exception recorded. The due dates have not changed.',
  withdraw: 'Request recorded as withdrawn.',
  meeting: 'Meeting date recorded.',
};

const COLUMNS = [
  { key: 'child', text: 'Child' },
  { key: 'stage', text: 'Stage' },
  { key: 'due', text: 'Next deadline' },
  { key: 'weeks', text: 'Weeks since request' },
  { key: 'caseworker', text: 'Caseworker' },
] as const;

/** A link to the caseload with some options changed (a page has about 20: sorts, views, pages, clearing filters). */
function caseloadHref(o: CaseloadOptions, change: Partial<CaseloadOptions>): string {
  const next = { ...o, ...change };
  let href = `/cases?view=${encodeURIComponent(next.view)}`;
  if (next.stage) href += `&stage=${encodeURIComponent(next.stage)}`;
  if (next.caseworker) href += `&caseworker=${encodeURIComponent(next.caseworker)}`;
  if (next.need) href += `&need=${encodeURIComponent(next.need)}`;
  return `${href}&sort=${encodeURIComponent(next.sort)}&direction=${encodeURIComponent(next.direction)}&page=${next.page}`;
}

export function caseloadRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { requestId: CASE_PARAMS.requestId });

  router.get('/cases', requirePermission('caseload:view'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const defaultView = ctx.actor.roles.includes('caseworker') ? 'mine' : 'all';
    const { options, process, errors } = parseCaseloadQuery(req.query, { view: defaultView });
    if (errors.length > 0) {
      res.status(400).render('errors/bad-request.njk', { errors, backHref: '/cases' });
      return;
    }
    const processes = CASELOAD_PROCESSES.map((value) => ({
      value,
      text: { request: 'New requests', review: 'Annual reviews', all: 'All statutory work' }[value],
      href: `/cases?view=${encodeURIComponent(options.view)}&process=${value}`,
      active: value === process,
    }));
    if (process !== 'request') {
      // Every process by its next deadline, overdue first (the requests' other sorts and filters are theirs alone).
      const work = await services.workload.work(ctx, { view: options.view, process, page: options.page });
      const href = (change: { view?: string; page?: number }) =>
        `/cases?view=${encodeURIComponent(change.view ?? options.view)}&process=${process}&page=${change.page ?? 1}`;
      res.render('caseload/work.njk', {
        work,
        process,
        processes,
        processNames: PROCESS_NAMES,
        views: (['mine', 'team', 'all'] as const).map((value) => ({
          value,
          text: { mine: 'My work', team: 'My team', all: 'Everyone' }[value],
          href: href({ view: value }),
          active: options.view === value,
        })),
        canReassign: can(ctx.actor.roles, 'case:reassign'),
        pagination: paginationItems(work.page, work.pageCount, (p) => href({ page: p })),
        shown: pageSummary(work.page, work.pageSize, work.total),
      });
      return;
    }
    const [caseworkers, caseload] = await Promise.all([
      services.cases.caseworkers(ctx),
      services.cases.caseload(ctx, options),
    ]);
    if (options.caseworker && !caseworkers.some((c) => c.id === options.caseworker)) {
      const unknown = [{ text: 'Caseworker must be a caseworker from the list', href: '#' }];
      res.status(400).render('errors/bad-request.njk', { errors: unknown, backHref: '/cases' });
      return;
    }
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
    const filters = {
      stage: [
        { value: '', text: 'Any stage' },
        ...OPEN_STAGES.map((s) => ({ value: s, text: STAGE_NAMES[s], selected: s === o.stage })),
      ],
      caseworker: [
        { value: '', text: 'Anyone' },
        ...caseworkers.map((c) => ({ value: c.id, text: c.name, selected: c.id === o.caseworker })),
      ],
      need: [
        { value: '', text: 'Any need' },
        ...Object.entries(PRIMARY_NEED_NAMES).map(([value, text]) => ({ value, text, selected: value === o.need })),
      ],
      active: Boolean(o.stage || o.caseworker || o.need),
      clearHref: caseloadHref(o, { stage: undefined, caseworker: undefined, need: undefined, page: 1 }),
    };
    res.render('caseload/caseload.njk', {
      caseload,
      processes,
      canWrite: can(ctx.actor.roles, 'case:write'),
      canReassign: can(ctx.actor.roles, 'case:reassign'),
      head,
      labels: Object.fromEntries(COLUMNS.map((c) => [c.key, c.text])),
      periods: casePeriods(),
      filters,
      views: (['mine', 'team', 'all'] as const).map((value) => ({
        value,
        text: { mine: 'My cases', team: 'My team', all: 'All open requests' }[value],
        href: caseloadHref(o, { view: value, page: 1 }),
        active: o.view === value,
      })),
      pagination: paginationItems(caseload.page, caseload.pageCount, (p) => caseloadHref(o, { page: p })),
      shown: pageSummary(caseload.page, caseload.pageSize, caseload.total),
      lastPageHref: caseloadHref(o, { page: caseload.pageCount }),
    });
  });

  // Staff only: a family's page for the same request is /my-child/:requestId (features/family), in their words.
  router.get('/cases/:requestId', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const record = await services.cases.viewCase(ctx, req.params.requestId as string);
    // The case page is the page caseworkers open most after the caseload: its two extra reads run together.
    const [consultations, findings, family, adviceOnline, failedMessages] = await Promise.all([
      services.casework.consultations(ctx, record.request.id),
      services.quality.findingsForCase(ctx, record.request.id),
      services.family.forStaff(ctx, record.request.id),
      services.professionals.adviceOnline(ctx, record.request.id),
      services.messages.failedForCase(ctx, record.request.id, `${record.child.givenName} ${record.child.familyName}`),
    ]);
    const back = '/cases';
    const canWrite = can(req.user!.roles, 'case:write') && record.request.open;
    const done = typeof req.query.done === 'string' ? DONE_MESSAGES[req.query.done] : undefined;
    res.render('caseload/case.njk', {
      record,
      facts: caseFacts(record),
      periods: casePeriods(),
      steps: canWrite ? nextStepsView(record, consultations) : { next: null, others: [], familyResponse: null },
      consultations: consultationsView(consultations),
      adviceOnline,
      failedMessages,
      areaNames: AREAS_OF_NEED,
      findings: findingsView(findings),
      family: familyFactsView(family),
      canCloseFindings: can(req.user!.roles, 'case:write'),
      errors:
        req.query.problem === 'finding'
          ? [{ text: 'Say how the plan was corrected before marking the correction done', href: '#findings' }]
          : undefined,
      back,
      canWrite,
      canReadDocuments: can(req.user!.roles, 'case:read_any'),
      canReassign: can(req.user!.roles, 'case:reassign') && record.request.open,
      canInviteFamily: can(req.user!.roles, 'family:invite'),
      done,
    });
  });

  return router;
}
