/**
 * Phase transfers in the browser (SEND Regulations 2014 reg 18): every child moving phase next September, by
 * transfer, with progress against the 15 February and 31 March deadlines, and the form recording a transfer's amended
 * plan naming the next setting. The view models here decide every word and date a page states; the templates format.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import {
  PHASE_TRANSFERS,
  PHASE_TRANSFER_NAMES,
  PHASE_TRANSFER_PROGRESS_NAMES,
  schoolYearStarting,
  type PhaseTransferKind,
  type PhaseTransferProgress,
} from '../../../domain/casework/phaseTransfer.js';
import { REVIEW_DECISION_NAMES } from '../../../domain/casework/annualReview.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import { isUuid } from '../../../domain/identifiers/uuid.js';
import { can } from '../../../domain/access/roles.js';
import type { Services } from '../../../services/index.js';
import { NEXT_SETTING_TYPES, type PhaseTransferPlanView } from '../../../services/phaseTransfers/index.js';
import type { FormStamp } from '../../../services/casework/index.js';
import { attempt } from '../../formFailures.js';
import type { Body, FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { pageSummary, paginationItems } from '../../pagination.js';
import type { StatedDate } from '../casework/caseFacts.js';
import { sentStamp } from '../casework/validation.js';
import { PHASE_TRANSFER_DATE_FIELDS, readPhaseTransfer } from './validation.js';

const long = (d: string) => formatLongDate(d as LocalDate);
const stated = (iso: string): StatedDate => ({ duty: 'finalise_phase_transfer', iso, text: long(iso) });

const DEFAULT_TRANSFER: PhaseTransferKind = 'primary_to_secondary';

const PROGRESS_TAGS: Record<PhaseTransferProgress, string> = {
  on_time: 'govuk-tag--green',
  late: 'govuk-tag--orange',
  not_yet: 'govuk-tag--grey',
  overdue: 'govuk-tag--red',
};

/** The list's query: a transfer, a caseworker, a page. Anything else is a 400 the user is told about. */
function parseListQuery(query: Record<string, unknown>) {
  const errors: FormError[] = [];
  const one = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined);
  for (const name of ['transfer', 'page', 'caseworker']) {
    if (Array.isArray(query[name])) errors.push({ text: `Use "${name}" only once in the address`, href: '#' });
  }
  const transfer = one('transfer') || DEFAULT_TRANSFER;
  const pageRaw = one('page') ?? '1';
  const caseworker = one('caseworker') || undefined;
  if (!(PHASE_TRANSFERS as readonly string[]).includes(transfer))
    errors.push({ text: 'Transfer must be one from the list', href: '#transfer' });
  if (!/^\d{1,6}$/.test(pageRaw) || Number(pageRaw) < 1)
    errors.push({ text: 'Page must be a whole number from 1', href: '#' });
  if (caseworker && !isUuid(caseworker))
    errors.push({ text: 'Caseworker must be a caseworker from the list', href: '#caseworker' });
  return { transfer: transfer as PhaseTransferKind, page: Number(pageRaw), caseworker, errors };
}

/** What a child's review stands at, in words: this school year's review decided, its meeting, or not started. */
function reviewState(
  r: { reviewDecision: string | null; reviewMeetingDate: string | null; lastReviewDate: string | null },
  schoolYearFrom: string,
): string {
  if (r.reviewDecision)
    return `Decided: ${REVIEW_DECISION_NAMES[r.reviewDecision as keyof typeof REVIEW_DECISION_NAMES].toLowerCase()}`;
  if (r.reviewMeetingDate) return `Meeting ${long(r.reviewMeetingDate)}`;
  if (r.lastReviewDate && r.lastReviewDate >= schoolYearFrom) return `Reviewed ${long(r.lastReviewDate)}`;
  return 'Not started';
}

export function transferFormView(v: PhaseTransferPlanView) {
  return {
    transfer: PHASE_TRANSFER_NAMES[v.due.kind],
    deadline: stated(v.due.deadline),
    move: long(v.due.moveDate),
    rule:
      v.due.kind === 'secondary_to_post16'
        ? 'The plan must be reviewed and amended, naming the post-16 institution, before 31 March of the year of the move (SEND Regulations 2014 reg 18(1)(a)).'
        : 'The plan must be reviewed and amended, naming the next school or setting, before 15 February of the year of the move (SEND Regulations 2014 reg 18(1)(a)).',
    currentSetting: v.currentSetting?.settingName || v.plan.settingName || 'Not recorded',
    recorded: v.recorded
      ? {
          setting: `${v.recorded.nextSettingName} (URN ${v.recorded.nextSettingUrn})`,
          finalised: long(v.recorded.finalisedDate),
        }
      : null,
  };
}

export function phaseTransferRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { planId: 'phase_transfer' });

  router.get('/phase-transfers', requirePermission('caseload:view'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const q = parseListQuery(req.query);
    if (q.errors.length) {
      res.status(400).render('errors/bad-request.njk', { errors: q.errors, backHref: '/phase-transfers' });
      return;
    }
    const list = await services.phaseTransfers.list(ctx, q);
    if (q.caseworker && !list.caseworkers.some((c) => c.id === q.caseworker)) {
      const unknown = [{ text: 'Caseworker must be a caseworker from the list', href: '#' }];
      res.status(400).render('errors/bad-request.njk', { errors: unknown, backHref: '/phase-transfers' });
      return;
    }
    const href = (page: number) =>
      `/phase-transfers?transfer=${q.transfer}${q.caseworker ? `&caseworker=${q.caseworker}` : ''}&page=${page}`;
    const schoolYearFrom = `${schoolYearStarting(list.today)}-09-01`;
    res.render('phase-transfers/phase-transfers.njk', {
      transferYear: list.transferYear,
      moveDate: long(`${list.transferYear}-09-01`),
      progress: list.progress.map((p) => ({
        name: PHASE_TRANSFER_NAMES[p.kind],
        href: `/phase-transfers?transfer=${p.kind}${q.caseworker ? `&caseworker=${q.caseworker}` : ''}`,
        selected: p.kind === q.transfer,
        deadline: stated(p.deadline),
        total: p.total,
        counts: p.counts,
      })),
      selected: {
        name: PHASE_TRANSFER_NAMES[q.transfer],
        deadline: stated(list.selected.deadline),
      },
      items: list.items.map((i) => ({
        child: `${i.familyName}, ${i.givenName}`,
        reference: i.childReference,
        born: long(i.dateOfBirth),
        reviewHref: `/reviews/${i.planId}`,
        review: reviewState(i, schoolYearFrom),
        setting: i.nextSettingName ? `${i.nextSettingName} (URN ${i.nextSettingUrn})` : 'Not named yet',
        finalised: i.finalisedDate ? long(i.finalisedDate) : null,
        progress: { text: PHASE_TRANSFER_PROGRESS_NAMES[i.progress], classes: PROGRESS_TAGS[i.progress] },
        recordHref: i.finalisedDate ? null : `/phase-transfers/${i.planId}`,
        caseworker: i.caseworkerName ?? 'Not assigned',
      })),
      transfers: PHASE_TRANSFERS.map((k) => ({ value: k, text: PHASE_TRANSFER_NAMES[k], selected: k === q.transfer })),
      caseworkers: [
        { value: '', text: 'Anyone' },
        ...list.caseworkers.map((c) => ({ value: c.id, text: c.name, selected: c.id === q.caseworker })),
      ],
      canWrite: can(ctx.actor.roles, 'case:write'),
      pagination: paginationItems(list.page, list.pageCount, href),
      shown: pageSummary(list.page, list.pageSize, list.total),
    });
  });

  async function renderForm(
    req: Request,
    res: Response,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; stamp?: FormStamp; done?: boolean },
  ) {
    const ctx = requestContext(req);
    const v = await services.phaseTransfers.view(ctx, req.params.planId as string);
    res.status(status).render('phase-transfers/record.njk', {
      plan: v.plan,
      view: transferFormView(v),
      canWrite: can(ctx.actor.roles, 'case:write') && v.plan.status === 'active',
      stamp: state.stamp ?? { version: v.plan.version, submissionKey: randomUUID() },
      values: state.values,
      errors: state.errors,
      settingTypes: Object.entries(NEXT_SETTING_TYPES).map(([value, text]) => ({
        value,
        text,
        checked: state.values.nextSettingType === value,
      })),
      done: state.done ? 'Transfer recorded: the amended plan names the next setting.' : null,
      backLinkHref: '/phase-transfers',
    });
  }

  router.get('/phase-transfers/:planId', requirePermission('case:read_any'), noStore, async (req, res) => {
    await renderForm(req, res, 200, { values: {}, errors: [], done: req.query.done === '1' });
  });

  router.post('/phase-transfers/:planId', requirePermission('case:write'), noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const ctx = requestContext(req);
    const keptStamp = sentStamp(body);
    const parsed = readPhaseTransfer(body);
    if (!parsed.input || parsed.errors.length) {
      await renderForm(req, res, 400, { values: parsed.values, errors: parsed.errors, stamp: keptStamp });
      return;
    }
    const { stamp, fields } = parsed.input;
    const planId = req.params.planId as string;
    const outcome = await attempt(() => services.phaseTransfers.record(ctx, planId, stamp.submissionKey, fields), {
      dateFields: PHASE_TRANSFER_DATE_FIELDS,
      what: 'this transfer',
    });
    if (outcome.ok) {
      res.redirect(303, `/phase-transfers/${planId}?done=1`);
      return;
    }
    await renderForm(req, res, outcome.failure.status, {
      values: parsed.values,
      errors: outcome.failure.errors,
      stamp: keptStamp,
    });
  });

  return router;
}
