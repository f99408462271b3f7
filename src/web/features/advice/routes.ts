/**
 * Advice givers in the browser: their work list (/advice), a request for advice with the form to write it
 * (/advice/:adviceId, saved as they go, version-checked), and checking and sending it with the signed document
 * (/advice/:adviceId/check). After it is sent the request is read-only to them.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import {
  ADVICE_WORK_STATUS_NAMES,
  AREAS_OF_NEED,
  isAreaOfNeed,
  type AdviceContent,
  type AdviceWorkStatus,
} from '../../../domain/casework/adviceContent.js';
import { MAX_DOCUMENT_BYTES, type UploadedFile } from '../../../services/casework/index.js';
import { ADVICE_FILTERS, type AdviceFilter } from '../../../services/professionals/index.js';
import type { Services } from '../../../services/index.js';
import { attempt } from '../../formFailures.js';
import { pageSummary, paginationItems } from '../../pagination.js';
import { text, type Body, type FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { editorRows } from '../casework/planRows.js';
import { readDraftPlan, sentStamp } from '../casework/validation.js';

/** The GOV.UK tag colour of each status on the work list. */
const STATUS_TAGS: Record<AdviceWorkStatus, string> = {
  late: 'govuk-tag--red',
  due_soon: 'govuk-tag--yellow',
  due: 'govuk-tag--blue',
  given: 'govuk-tag--green',
};
const statusTag = (status: AdviceWorkStatus) => ({
  text: ADVICE_WORK_STATUS_NAMES[status],
  classes: STATUS_TAGS[status],
});

const AREA_ITEMS = Object.entries(AREAS_OF_NEED).map(([value, text]) => ({ value, text }));

type Advice = Awaited<ReturnType<Services['professionals']['viewAdvice']>>;

/** The advice as typed on the form: the plan editor's rows for B, E and F (casework/validation.ts), with each need's area. */
export function readAdviceForm(body: Body) {
  const parsed = readDraftPlan(body, () => randomUUID());
  // The needs kept (those with words), in order, each with the area chosen in its row.
  const count = Math.max(0, Math.min(50, Number(text(body, 'need-count')) || 0));
  const areas: string[] = [];
  for (let i = 0; i < count; i++) if (text(body, `need-${i}-text`)) areas.push(text(body, `need-${i}-area`));
  const content: AdviceContent = {
    B: parsed.plan.B.map((n, i) => ({ ...n, area: isAreaOfNeed(areas[i]) ? areas[i] : '' })),
    E: parsed.plan.E,
    F: parsed.plan.F,
  };
  return { content, stamp: parsed.input?.stamp ?? null, add: parsed.add, errors: parsed.errors };
}

export function adviceRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { adviceId: 'advice_request' });
  const mayGive = requirePermission('advice:give');

  router.get('/advice', mayGive, noStore, async (req, res) => {
    const filter: AdviceFilter = ADVICE_FILTERS.find((f) => f === req.query.show) ?? 'outstanding';
    const asked = req.query.page;
    const page = typeof asked === 'string' && /^\d{1,6}$/.test(asked) ? Math.max(1, Number(asked)) : 1;
    const list = await services.professionals.workList(requestContext(req), filter, page);
    const href = (p: number) => {
      const params = new URLSearchParams();
      if (filter !== 'outstanding') params.set('show', filter);
      if (p > 1) params.set('page', String(p));
      const query = params.toString();
      return query ? `/advice?${query}` : '/advice';
    };
    const shown = pageSummary(list.page, list.pageSize, list.total);
    res.render('advice/list.njk', {
      filter,
      counts: list.counts,
      shown,
      lastPageHref: href(shown.pageCount),
      pagination: paginationItems(shown.page, shown.pageCount, href),
      items: list.items.map((i) => ({ ...i, tag: statusTag(i.status) })),
    });
  });

  function renderAdvice(
    res: Response,
    status: number,
    advice: Advice,
    state: {
      content?: AdviceContent;
      add?: string | null;
      errors?: FormError[];
      stale?: unknown;
      version?: number;
      notice?: 'saved' | 'sent' | null;
    },
  ) {
    const content = state.content ?? advice.content;
    res.status(status).render('advice/advice.njk', {
      advice,
      tag: statusTag(advice.status),
      content,
      // An empty row to write in where a section has nothing yet, and one more where "Add another" was pressed.
      ...editorRows(content, state.add, (rows) => (rows === 0 ? 1 : 0), { id: '', text: '', area: '' as const }),
      areas: AREA_ITEMS,
      areaNames: AREAS_OF_NEED,
      notice: state.notice ?? null,
      stamp: { version: state.version ?? advice.version, submissionKey: randomUUID() },
      errors: state.errors ?? [],
      stale: state.stale,
      focus: state.add,
      backLinkHref: '/advice',
    });
  }

  router.get('/advice/:adviceId', mayGive, noStore, async (req, res) => {
    const advice = await services.professionals.viewAdvice(requestContext(req), req.params.adviceId as string);
    renderAdvice(res, 200, advice, {
      notice: req.query.sent === '1' ? 'sent' : req.query.saved === '1' ? 'saved' : null,
    });
  });

  router.post('/advice/:adviceId', mayGive, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const adviceId = req.params.adviceId as string;
    const body = (req.body ?? {}) as Body;
    const parsed = readAdviceForm(body);
    const version = sentStamp(body).version;
    if (!parsed.stamp || parsed.errors.length) {
      const advice = await services.professionals.viewAdvice(ctx, adviceId);
      renderAdvice(res, 400, advice, { content: parsed.content, add: parsed.add, errors: parsed.errors, version });
      return;
    }
    // Every button saves what is on the form first ("Save as often as you like"): "Add another" too, then shows the
    // form again with the new row.
    const outcome = await attempt(
      () => services.professionals.saveAdvice(ctx, adviceId, parsed.stamp!.version, parsed.content),
      { what: 'this advice' },
    );
    if (outcome.ok && parsed.add) {
      const advice = await services.professionals.viewAdvice(ctx, adviceId);
      renderAdvice(res, 200, advice, { add: parsed.add, notice: 'saved' });
      return;
    }
    if (outcome.ok) {
      const next = text(body, 'continue') === 'yes' ? `/advice/${adviceId}/check` : `/advice/${adviceId}?saved=1`;
      res.redirect(303, next);
      return;
    }
    const advice = await services.professionals.viewAdvice(ctx, adviceId);
    renderAdvice(res, outcome.failure.status, advice, {
      content: parsed.content,
      errors: outcome.failure.errors,
      stale: outcome.failure.stale,
      version: outcome.failure.version ?? version,
    });
  });

  async function renderCheck(req: Request, res: Response, status: number, errors: FormError[] = [], version?: number) {
    const advice = await services.professionals.viewAdvice(requestContext(req), req.params.adviceId as string);
    res.status(status).render('advice/check.njk', {
      advice,
      tag: statusTag(advice.status),
      areaNames: AREAS_OF_NEED,
      stamp: { version: version ?? advice.version, submissionKey: randomUUID() },
      errors,
      maxMegabytes: MAX_DOCUMENT_BYTES / 1024 / 1024,
      backLinkHref: `/advice/${advice.id}`,
    });
  }

  router.get('/advice/:adviceId/check', mayGive, noStore, async (req, res) => {
    await renderCheck(req, res, 200);
  });

  router.post('/advice/:adviceId/check', mayGive, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const adviceId = req.params.adviceId as string;
    const stamp = sentStamp((req.body ?? {}) as Body);
    if (res.locals.uploadTooLarge) {
      await renderCheck(req, res, 400, [{ text: 'The selected file must be smaller than 10MB', href: '#document' }]);
      return;
    }
    const file = req.file;
    const document: UploadedFile | null =
      file && file.size > 0 ? { filename: file.originalname.slice(0, 200), content: await readFile(file.path) } : null;
    const outcome = await attempt(
      () =>
        services.professionals.submitAdvice(ctx, adviceId, {
          version: stamp.version,
          submissionKey: stamp.submissionKey || randomUUID(),
          document,
        }),
      { what: 'this advice' },
    );
    if (outcome.ok) {
      res.redirect(303, `/advice/${adviceId}?sent=1`);
      return;
    }
    await renderCheck(req, res, outcome.failure.status, outcome.failure.errors, outcome.failure.version ?? undefined);
  });

  return router;
}
