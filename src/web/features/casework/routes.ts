/**
 * The caseworker's journey in the browser: one GOV.UK form per step. A form re-shows what was typed on any
 * error; a stale form shows what changed; a second submission of the same form saves nothing more.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { Permission } from '../../../domain/access/roles.js';
import {
  CONTACT_PREFERENCE_NAMES,
  CONTACT_RELATIONSHIP_NAMES,
  ETHNICITY_NAMES,
  SEX_NAMES,
  UPN_UNKNOWN_NAMES,
} from '../../../domain/casework/codes.js';
import {
  EXCEPTION_NAMES,
  EXCEPTION_REGULATION_NAMES,
  latestEvent,
  REQUEST_SOURCE_NAMES,
} from '../../../domain/casework/events.js';
import type { ExceptionReason, ExceptionRegulation } from '../../../domain/statutory/events.js';
import { ADVICE_TYPE_NAMES, PRIMARY_NEED_NAMES } from '../../../domain/casework/stages.js';
import { REVIEW_LOAD_WEEKS, REVIEW_WEIGHT, REVIEW_WEIGHT_TEXT } from '../../../domain/casework/processes.js';
import { STAGE_WEIGHTS } from '../../../domain/casework/workload.js';
import { SECTION_NAMES, type PlanContent } from '../../../domain/casework/planContent.js';
import { PLAN_SECTIONS_FROM_ADVICE, adviceSource, type AdviceContent } from '../../../domain/casework/adviceContent.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import { checkContextOf, qualityChecks } from '../../../domain/quality/writingChecks.js';
import { comparePlans } from './planCompare.js';
import { editorRows } from './planRows.js';
import {
  caseFacts,
  dueOf,
  familyCommentsBySection,
  finalPlanResponse,
  sentResponse,
  type CaseView,
} from './caseFacts.js';
import { followUps } from '../../../domain/casework/draftResponse.js';
import { casePeriods } from './periods.js';
import { familyFactsView } from '../family/staffView.js';
import { CONSULTATION_RESPONSES } from '../../../domain/casework/consultation.js';
import {
  DEFAULT_PROVIDERS,
  MAX_DOCUMENT_BYTES,
  type FormStamp,
  type StepResult,
  type UploadedFile,
} from '../../../services/casework/index.js';
import type { RequestContext } from '../../../services/cases.js';
import { NotFoundError } from '../../../services/errors.js';
import type { Services } from '../../../services/index.js';
import { attempt, type FormFailure } from '../../formFailures.js';
import type { Body, FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { CASE_PARAMS, uuidParams } from '../../middleware/params.js';
import {
  DATE_FIELDS,
  readAdviceReceived,
  readAssessmentDecision,
  readDraftServed,
  readException,
  readFinalPlan,
  readIssueDecision,
  readNewRequest,
  readReassign,
  readDraftPlan,
  readConsultation,
  readConsultationReply,
  readRepresentations,
  readRequestAdvice,
  readReuseAdvice,
  readWithdrawal,
  readMeeting,
  sentStamp,
} from './validation.js';

type Parsed<T> = {
  input: { stamp: FormStamp; fields: T } | null;
  errors: FormError[];
  values: Record<string, unknown>;
};

interface StepPage<T> {
  /** The path after /cases/:requestId/ */
  path: string;
  /** Who may open the form (default: anyone who may record casework). */
  permission?: Permission;
  view: string;
  read: (body: Body) => Parsed<T>;
  run: (services: Services, ctx: RequestContext, req: Request, stamp: FormStamp, fields: T) => Promise<StepResult>;
  /** What the form starts with when first opened (what the case already says), instead of nothing. */
  initial?: (services: Services, ctx: RequestContext, record: CaseView) => Promise<Record<string, unknown>>;
  /** More for the page to show (choices that depend on the case). */
  extra?: (services: Services, ctx: RequestContext, req: Request, record: CaseView) => Promise<Record<string, unknown>>;
}

/**
 * What a form the service refused is shown again with: the GOV.UK error summary, what was recorded on the case since
 * (a stale form), and the stamp it was sent with or, for a stale form, the case's version now (so the next save is
 * made against what the person has now seen).
 */
function refused(failure: FormFailure, sent: FormStamp) {
  const { errors, conflict, version } = failure;
  return { errors, conflict, stamp: version == null ? sent : { version, submissionKey: sent.submissionKey } };
}

const options = (table: Record<string, string>, selected?: unknown) =>
  Object.entries(table).map(([value, text]) => ({ value, text, selected: value === selected }));

/** The statutory periods the forms state in words, from the domain's constants. */
const PERIODS = casePeriods();

/** Lists for the forms' radios and selects. */
const CHOICES = {
  sex: options(SEX_NAMES),
  upnUnknown: options(UPN_UNKNOWN_NAMES),
  ethnicity: options(ETHNICITY_NAMES),
  requestSource: options(REQUEST_SOURCE_NAMES),
  primaryNeed: options(PRIMARY_NEED_NAMES),
  contactRelationship: options(CONTACT_RELATIONSHIP_NAMES),
  contactPreference: options(CONTACT_PREFERENCE_NAMES),
  adviceTypes: Object.entries(ADVICE_TYPE_NAMES).map(([value, text]) => ({
    value,
    text,
    provider: DEFAULT_PROVIDERS[value as keyof typeof DEFAULT_PROVIDERS],
  })),
};

/**
 * Parses a multipart upload (one file, at most the size limit) only for a signed-in user's request, so an
 * anonymous visitor cannot make the service store files. Mounted before the CSRF check, which needs the fields. The
 * file is streamed to a temporary file (`req.file.path`), never held in memory whole, and removed once the response
 * has gone.
 */
export function uploadParser(field = 'document', maxBytes = MAX_DOCUMENT_BYTES) {
  const upload = multer({
    storage: multer.diskStorage({}),
    limits: { fileSize: maxBytes + 1, files: 1, fields: 20, fieldSize: 10_000 },
  }).single(field);
  return (req: Request, res: Response, next: (err?: unknown) => void) => {
    if (!req.session?.userId || !req.is('multipart/form-data')) {
      next();
      return;
    }
    upload(req, res, (err: unknown) => {
      const path = req.file?.path;
      if (path) res.once('close', () => void rm(path, { force: true }));
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        // Let the handler say so on the form; the CSRF check still runs on the fields read so far.
        res.locals.uploadTooLarge = true;
        next();
        return;
      }
      // Any other upload the form could not have sent (a file in another field, two files, too many fields): bad
      // input, answered with the GOV.UK "could not be read" page (400), not a server error.
      next(err instanceof multer.MulterError ? Object.assign(err, { status: 400 }) : err);
    });
  };
}

/**
 * The exception form's choices: this case's duties an exception can apply to, and the reasons under the heading of
 * their regulation (each regulation once, in the order its first duty falls due).
 */
function exceptionForm(choices: CaseView['clock']['exceptionChoices']) {
  const groups = new Map<ExceptionRegulation, ExceptionReason[]>();
  for (const c of choices) for (const g of c.reasons) groups.set(g.regulation, g.reasons);
  return {
    exceptionDuties: choices.map((c) => ({ value: c.id, text: c.name })),
    exceptionReasons: [...groups].map(([regulation, reasons]) => ({
      heading: EXCEPTION_REGULATION_NAMES[regulation],
      reasons: reasons.map((r) => ({ value: r, text: EXCEPTION_NAMES[r] })),
    })),
  };
}

/** The buttons that take one section of advice given online into the draft, each naming the advice it is from. */
function fromAdviceChoices(advice: { adviceType: string; receivedDate: LocalDate; content: AdviceContent }) {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const { B, E, F } = advice.content;
  return {
    source: adviceSource(advice.adviceType, advice.receivedDate),
    buttons: [
      B.length > 0 && { section: 'B', text: `Add its ${count(B.length, 'need', 'needs')} to section B` },
      E.length > 0 && { section: 'E', text: `Add its ${count(E.length, 'outcome', 'outcomes')} to section E` },
      F.length > 0 && {
        section: 'F',
        text: `Add its ${count(F.length, 'provision item', 'provision items')} to section F`,
      },
    ].filter(Boolean),
  };
}

export function caseworkRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, CASE_PARAMS);
  const canWrite = requirePermission('case:write');

  function stepRoutes<T>(page: StepPage<T>) {
    const url = `/cases/:requestId/${page.path}`;
    async function render(
      req: Request,
      res: Response,
      status: number,
      state: { values: Record<string, unknown>; errors: FormError[]; stamp?: FormStamp; conflict?: unknown },
    ) {
      const ctx = requestContext(req);
      const record = await services.cases.viewCase(ctx, req.params.requestId as string);
      const stamp = state.stamp ?? { version: record.request.version, submissionKey: randomUUID() };
      const extra = page.extra ? await page.extra(services, ctx, req, record) : {};
      res.status(status).render(`casework/${page.view}.njk`, {
        record,
        facts: caseFacts(record),
        stamp,
        values: state.values,
        errors: state.errors,
        conflict: state.conflict,
        choices: CHOICES,
        periods: PERIODS,
        backLinkHref: `/cases/${record.request.id}`,
        ...extra,
      });
    }

    const allowed = page.permission ? requirePermission(page.permission) : canWrite;
    router.get(url, allowed, noStore, async (req, res) => {
      const values = page.initial
        ? await page.initial(
            services,
            requestContext(req),
            await services.cases.viewCase(requestContext(req), req.params.requestId as string),
          )
        : {};
      await render(req, res, 200, { values, errors: [] });
    });

    router.post(url, allowed, noStore, async (req, res) => {
      const body = (req.body ?? {}) as Body;
      const parsed = page.read(body);
      const keptStamp = sentStamp(body);
      if (res.locals.uploadTooLarge)
        parsed.errors.push({ text: 'The selected file must be smaller than 10MB', href: '#document' });
      if (!parsed.input || parsed.errors.length > 0) {
        await render(req, res, 400, { values: parsed.values, errors: parsed.errors, stamp: keptStamp });
        return;
      }
      const ctx = requestContext(req);
      const { stamp, fields } = parsed.input;
      const outcome = await attempt(() => page.run(services, ctx, req, stamp, fields), { dateFields: DATE_FIELDS });
      if (outcome.ok) {
        res.redirect(303, `/cases/${outcome.value.requestId}?done=${page.path.split('/')[0]}`);
        return;
      }
      await render(req, res, outcome.failure.status, { values: parsed.values, ...refused(outcome.failure, keptStamp) });
    });
  }

  stepRoutes({
    path: 'assessment-decision',
    view: 'assessment-decision',
    read: readAssessmentDecision,
    run: (s, ctx, req, stamp, fields) =>
      s.casework.decideAssessment(ctx, req.params.requestId as string, stamp, fields),
  });
  stepRoutes({
    path: 'advice/new',
    view: 'request-advice',
    read: readRequestAdvice,
    run: (s, ctx, req, stamp, fields) => s.casework.requestAdvice(ctx, req.params.requestId as string, stamp, fields),
    extra: async (s, ctx, _req, record) => {
      const givers = await s.professionals.adviceGivers(ctx);
      return {
        reusable: await s.casework.reusableAdviceFor(ctx, record.request.id, record.child.id),
        // Each advice type's choice of professional: those in its service first, then the LA's other advice givers.
        professionals: Object.fromEntries(
          Object.keys(ADVICE_TYPE_NAMES).map((type) => [
            type,
            [...givers.filter((g) => g.service === type), ...givers.filter((g) => g.service !== type)]
              .filter((g, i, all) => all.findIndex((x) => x.id === g.id) === i)
              .map((g) => ({ value: g.id, text: g.name })),
          ]),
        ),
      };
    },
  });
  stepRoutes({
    path: 'advice/reuse',
    view: 'reuse-advice',
    read: readReuseAdvice,
    run: (s, ctx, req, stamp, fields) => s.casework.reuseAdvice(ctx, req.params.requestId as string, stamp, fields),
    extra: async (s, ctx, _req, record) => {
      return { reusable: await s.casework.reusableAdviceFor(ctx, record.request.id, record.child.id) };
    },
  });
  stepRoutes({
    path: 'advice/:adviceId/received',
    view: 'advice-received',
    read: readAdviceReceived,
    run: async (s, ctx, req, stamp, fields) => {
      const file = req.file;
      const document: UploadedFile | null =
        file && file.size > 0
          ? { filename: file.originalname.slice(0, 200), content: await readFile(file.path) }
          : null;
      return s.casework.recordAdvice(ctx, req.params.requestId as string, req.params.adviceId as string, stamp, {
        ...fields,
        document,
      });
    },
    extra: (_s, _ctx, req, record) => {
      const advice = record.advice.find((a) => a.id === req.params.adviceId);
      if (!advice) return Promise.reject(new NotFoundError(String(req.params.adviceId)));
      return Promise.resolve({
        advice,
        adviceDue: dueOf(record, `advice:${advice.id}`),
        maxMegabytes: MAX_DOCUMENT_BYTES / 1024 / 1024,
      });
    },
  });
  stepRoutes({
    path: 'issue-decision',
    view: 'issue-decision',
    read: readIssueDecision,
    run: (s, ctx, req, stamp, fields) => s.casework.decideIssue(ctx, req.params.requestId as string, stamp, fields),
  });
  stepRoutes({
    path: 'draft-served',
    view: 'draft-served',
    read: readDraftServed,
    run: (s, ctx, req, stamp, fields) => s.casework.serveDraft(ctx, req.params.requestId as string, stamp, fields),
  });
  stepRoutes({
    path: 'consultations/new',
    view: 'consult-setting',
    read: readConsultation,
    run: (s, ctx, req, stamp, fields) => s.casework.consultSetting(ctx, req.params.requestId as string, stamp, fields),
    // The school the family named in their response online, until it has been consulted.
    initial: async (s, ctx, record) => {
      const named = followUps(sentResponse(record), await s.casework.consultations(ctx, record.request.id)).find(
        (f) => f.kind === 'consult_named_setting',
      );
      return named ? { settingName: named.name, settingUrn: named.urn ?? '' } : {};
    },
  });
  stepRoutes({
    path: 'consultations/:consultationId/reply',
    view: 'consultation-reply',
    read: readConsultationReply,
    run: (s, ctx, req, stamp, fields) =>
      s.casework.recordConsultationReply(
        ctx,
        req.params.requestId as string,
        req.params.consultationId as string,
        stamp,
        fields,
      ),
    extra: async (s, ctx, req, record) => {
      const consultation = (await s.casework.consultations(ctx, record.request.id)).find(
        (c) => c.id === req.params.consultationId,
      );
      if (!consultation) throw new NotFoundError(String(req.params.consultationId));
      return { consultation, responses: CONSULTATION_RESPONSES };
    },
  });
  stepRoutes({
    path: 'representations',
    view: 'representations',
    read: readRepresentations,
    run: (s, ctx, req, stamp, fields) =>
      s.casework.recordRepresentations(ctx, req.params.requestId as string, stamp, fields),
  });
  stepRoutes({
    path: 'final-plan',
    view: 'final-plan',
    read: readFinalPlan,
    run: (s, ctx, req, stamp, fields) => s.casework.issueFinalPlan(ctx, req.params.requestId as string, stamp, fields),
    // The quality checks on the plan as it stands, as a summary before it is issued (warnings, not blocks).
    extra: async (s, ctx, _req, record) => ({
      familySent: finalPlanResponse(record),
      warnings: qualityChecks(
        (await s.casework.planForCase(ctx, record.request.id)).content,
        checkContextOf(record.events),
      ),
    }),
  });
  stepRoutes({
    path: 'exception',
    view: 'exception',
    read: readException,
    run: (s, ctx, req, stamp, fields) => s.casework.recordException(ctx, req.params.requestId as string, stamp, fields),
    extra: (_s, _ctx, _req, record) => Promise.resolve(exceptionForm(record.clock.exceptionChoices)),
  });
  stepRoutes({
    path: 'withdraw',
    view: 'withdraw',
    read: readWithdrawal,
    run: (s, ctx, req, stamp, fields) => s.casework.withdraw(ctx, req.params.requestId as string, stamp, fields),
  });

  stepRoutes({
    path: 'meeting',
    view: 'meeting',
    read: readMeeting,
    run: (s, ctx, req, stamp, fields) => s.casework.recordMeeting(ctx, req.params.requestId as string, stamp, fields),
    extra: (_s, _ctx, _req, record) => Promise.resolve({ asked: sentResponse(record) }),
  });

  stepRoutes({
    path: 'caseworker',
    permission: 'case:reassign',
    view: 'reassign',
    read: readReassign,
    run: (s, ctx, req, stamp, fields) => s.casework.reassign(ctx, req.params.requestId as string, stamp, fields),
    extra: async (s, ctx) => ({ caseworkers: await s.cases.caseworkers(ctx) }),
  });

  // Step 6: the draft plan, sections A to K.
  async function renderPlanEditor(
    req: Request,
    res: Response,
    status: number,
    state: { plan?: PlanContent; add?: string | null; errors: FormError[]; stamp?: FormStamp; conflict?: unknown },
  ) {
    const ctx = requestContext(req);
    const record = await services.cases.viewCase(ctx, req.params.requestId as string);
    const [current, family] = await Promise.all([
      services.casework.planForCase(ctx, record.request.id),
      services.family.forStaff(ctx, record.request.id),
    ]);
    const plan = state.plan ?? current.content;
    const adviceOnline = await services.professionals.adviceOnline(ctx, record.request.id);
    res.status(status).render('casework/plan-edit.njk', {
      record,
      plan,
      familyComments: familyCommentsBySection(record.events),
      fromAdvice: adviceOnline.map((a) => ({ id: a.id, ...fromAdviceChoices(a) })),
      warnings: qualityChecks(plan, checkContextOf(record.events)),
      // Always one empty row to write in, and one more in the section whose "Add another" was pressed.
      ...editorRows(plan, state.add, () => 1, { id: '', text: '' }),
      sectionNames: SECTION_NAMES,
      // The family's own views, beside section A to copy from: never written into the plan for the caseworker.
      family: familyFactsView(family),
      stamp: state.stamp ?? { version: record.request.version, submissionKey: randomUUID() },
      errors: state.errors,
      conflict: state.conflict,
      focus: state.add,
      backLinkHref: `/cases/${record.request.id}`,
    });
  }

  router.get('/cases/:requestId/plan/edit', canWrite, noStore, async (req, res) => {
    await renderPlanEditor(req, res, 200, { errors: [] });
  });

  // Step 6, from the advice given online: one section's items added to the draft (never replacing what it has).
  router.post('/cases/:requestId/plan/from-advice/:adviceId', canWrite, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const stamp = sentStamp(body);
    const section = PLAN_SECTIONS_FROM_ADVICE.find((s) => s === body.section);
    if (!section) {
      await renderPlanEditor(req, res, 400, {
        errors: [{ text: 'Choose which section of the advice to add', href: '#from-advice' }],
        stamp,
      });
      return;
    }
    const requestId = req.params.requestId as string;
    const outcome = await attempt(() =>
      services.casework.addAdviceToPlan(requestContext(req), requestId, stamp, {
        adviceId: req.params.adviceId as string,
        section,
      }),
    );
    if (outcome.ok) {
      res.redirect(303, `/cases/${requestId}/plan/edit#section-${section}`);
      return;
    }
    await renderPlanEditor(req, res, outcome.failure.status, refused(outcome.failure, stamp));
  });

  router.post('/cases/:requestId/plan/edit', canWrite, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const parsed = readDraftPlan(body, () => randomUUID());
    const stamp = sentStamp(body);
    const { input } = parsed;
    if (parsed.add || !input) {
      await renderPlanEditor(req, res, parsed.add && parsed.errors.length === 0 ? 200 : 400, {
        plan: parsed.plan,
        add: parsed.add,
        errors: parsed.errors,
        stamp,
      });
      return;
    }
    const outcome = await attempt(
      () => services.casework.saveDraft(requestContext(req), req.params.requestId as string, input.stamp, input.plan),
      { dateFields: DATE_FIELDS },
    );
    if (outcome.ok) {
      res.redirect(303, `/cases/${outcome.value.requestId}?done=plan`);
      return;
    }
    await renderPlanEditor(req, res, outcome.failure.status, { plan: parsed.plan, ...refused(outcome.failure, stamp) });
  });

  // The plan to read and print, and the final plan beside the draft the family commented on.
  router.get('/cases/:requestId/plan', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const record = await services.cases.viewCase(ctx, req.params.requestId as string);
    const plan = await services.casework.planForCase(ctx, record.request.id);
    // A chosen version (?version=2), or the latest.
    const asked = typeof req.query.version === 'string' ? req.query.version : undefined;
    if (asked !== undefined && !/^\d{1,4}$/.test(asked)) {
      res.status(400).render('errors/bad-request.njk', {
        errors: [{ text: 'Version must be a whole number', href: '#' }],
        backHref: `/cases/${record.request.id}/plan`,
      });
      return;
    }
    const shown = asked ? plan.versions.find((v) => v.versionNo === Number(asked)) : plan.versions.at(-1);
    // The case was read (and audited as read): only the version asked for is not there.
    if (asked && !shown) throw new NotFoundError(`plan version ${asked}`, true);
    res.render('casework/plan.njk', {
      record,
      plan: asked && shown ? shown.content : plan.content,
      latest: shown,
      versions: plan.versions,
      sectionNames: SECTION_NAMES,
      // An issued plan is reviewed, reassessed, and may be ceased, from its own pages (by the plan, not the request).
      planLinks:
        shown && shown.planStatus !== 'draft' && plan.versions.some((v) => v.kind === 'final')
          ? [
              { href: `/reviews/${shown.planId}`, text: 'Annual review' },
              { href: `/plans/${shown.planId}/cease`, text: 'Ceasing the plan' },
              { href: `/plans/${shown.planId}/reassess`, text: 'Reassessment' },
            ]
          : [],
      backLinkHref: `/cases/${record.request.id}`,
    });
  });

  router.get('/cases/:requestId/plan/compare', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const record = await services.cases.viewCase(ctx, req.params.requestId as string);
    const { versions } = await services.casework.planForCase(ctx, record.request.id);
    const final = versions.filter((v) => v.kind === 'final').at(-1);
    // The draft the family was sent (recorded when it was served), else the last draft before the final.
    const served = latestEvent(record.events, 'draft_served')?.data as { planVersion?: unknown } | undefined;
    const draft =
      versions.find((v) => v.kind === 'draft' && v.versionNo === served?.planVersion) ??
      versions.filter((v) => v.kind === 'draft' && (!final || v.versionNo < final.versionNo)).at(-1);
    res.render('casework/plan-compare.njk', {
      record,
      draft,
      final,
      sections: draft && final ? comparePlans(draft.content, final.content) : [],
      backLinkHref: `/cases/${record.request.id}`,
    });
  });

  // Managers: who is carrying what.
  router.get('/caseload/caseworkers', requirePermission('case:reassign'), noStore, async (req, res) => {
    const pipeline = await services.workload.pipeline(requestContext(req));
    res.render('casework/workloads.njk', {
      workloads: pipeline.loads,
      pipeline,
      weights: STAGE_WEIGHTS,
      reviewWeight: REVIEW_WEIGHT,
      reviewWeightText: REVIEW_WEIGHT_TEXT,
      reviewLoadWeeks: REVIEW_LOAD_WEEKS,
    });
  });

  // Step 1: a new request.
  function renderNewRequest(res: Response, status: number, state: Record<string, unknown>) {
    res.status(status).render('casework/new-request.njk', {
      choices: CHOICES,
      periods: PERIODS,
      backLinkHref: '/cases',
      ...state,
    });
  }
  router.get('/requests/new', canWrite, noStore, (_req, res) => {
    renderNewRequest(res, 200, { values: { submissionKey: randomUUID() }, errors: [] });
  });
  router.post('/requests/new', canWrite, noStore, async (req, res) => {
    const parsed = readNewRequest((req.body ?? {}) as Body);
    const values = { ...parsed.values, submissionKey: parsed.values.submissionKey || randomUUID() };
    const { input } = parsed;
    if (!input) {
      renderNewRequest(res, 400, { values, errors: parsed.errors });
      return;
    }
    const outcome = await attempt(() => services.casework.recordRequest(requestContext(req), input), {
      dateFields: DATE_FIELDS,
    });
    if (!outcome.ok) {
      renderNewRequest(res, outcome.failure.status, { values, errors: outcome.failure.errors });
      return;
    }
    const result = outcome.value;
    if ('possibleDuplicates' in result && result.possibleDuplicates) {
      renderNewRequest(res, 200, { values, errors: [], possibleDuplicates: result.possibleDuplicates });
      return;
    }
    res.redirect(303, `/cases/${(result as StepResult).requestId}?done=request`);
  });

  router.get('/documents/:documentId', requirePermission('case:read_any'), noStore, async (req, res) => {
    const doc = await services.casework.downloadDocument(requestContext(req), req.params.documentId as string);
    res.setHeader('Content-Type', doc.mediaType);
    res.setHeader('Content-Length', String(doc.content.length));
    // Always a download, never shown inline: a document is never run in the service's origin.
    res.attachment(doc.filename);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(doc.content);
  });

  return router;
}
