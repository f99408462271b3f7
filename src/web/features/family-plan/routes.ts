/**
 * A family's draft and final plan (issue 27, part B), for a linked parent, carer or young person on their own child's
 * request: the draft served on them, section by section, with the date to comment by and their rights; a comment on
 * each section, the school or setting they want, a meeting; check your answers and send (the representations on the
 * case). The final plan as a page, a tagged PDF and a Word document, with the right of appeal and mediation. Staff
 * are refused (403); another child's request is not found (404), audited as denied.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { isCommentSection, type ResponseChange } from '../../../domain/casework/draftResponse.js';
import { versionFrom } from '../../../domain/identifiers/uuid.js';
import type { Services } from '../../../services/index.js';
import type { FamilyDraft } from '../../../services/familyPlan/index.js';
import { NotFoundError } from '../../../services/errors.js';
import { attempt, type FormFailure } from '../../formFailures.js';
import { text, type Body } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { CASE_PARAMS, uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { finalPlanDocx } from './docx.js';
import { finalPlanPdf } from './pdf.js';
import { draftWords, finalPlanBlocks, planSections, responseRows } from './words.js';

type Page = 'section' | 'setting' | 'meeting';

export function familyPlanRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { requestId: CASE_PARAMS.requestId });
  const family = requirePermission('family:contribute');
  const base = (req: Request) => `/my-child/${req.params.requestId as string}`;

  async function loadDraft(req: Request): Promise<FamilyDraft> {
    return services.familyPlan.viewDraft(requestContext(req), req.params.requestId as string);
  }

  function draftModel(req: Request, d: FamilyDraft) {
    const sections = planSections(d.draft, false, d.audience);
    return {
      d,
      words: draftWords(d),
      sections,
      answers: responseRows(d.response, sections),
      base: base(req),
      hasResponse: d.responseVersion > 0,
    };
  }

  router.get('/my-child/:requestId/draft', family, noStore, async (req, res) => {
    const d = await loadDraft(req);
    res.render('family-plan/draft.njk', draftModel(req, d));
  });

  /** One page of the response: its form, with what is saved (or what was typed, after a refusal). */
  async function renderPart(
    req: Request,
    res: Response,
    page: Page,
    status = 200,
    failure?: FormFailure,
    values?: Record<string, string>,
  ) {
    const d = await loadDraft(req);
    const model = draftModel(req, d);
    const section = page === 'section' ? model.sections.find((s) => s.key === req.params.section) : undefined;
    if (page === 'section' && (!section || !isCommentSection(section.key))) throw new NotFoundError('no such section');
    const saved: Record<string, string> = {
      comment: section ? (d.response.comments[section.key as keyof typeof d.response.comments] ?? '') : '',
      preferredSetting: d.response.preferredSetting,
      settingUrn: d.response.settingUrn,
      meetingRequested: d.response.meetingRequested === null ? '' : d.response.meetingRequested ? 'yes' : 'no',
      meetingTopics: d.response.meetingTopics,
    };
    res.status(status).render(`family-plan/${page}.njk`, {
      ...model,
      section,
      values: values ?? saved,
      version: failure?.version ?? d.responseVersion,
      errors: failure?.errors,
      stale: failure?.stale,
    });
  }

  function changeFrom(page: Page, req: Request): ResponseChange {
    const body = (req.body ?? {}) as Body;
    if (page === 'setting') {
      return {
        part: 'setting',
        preferredSetting: text(body, 'preferredSetting'),
        settingUrn: text(body, 'settingUrn'),
      };
    }
    if (page === 'meeting') {
      const answer = text(body, 'meetingRequested');
      return {
        part: 'meeting',
        meetingRequested: answer === 'yes' ? true : answer === 'no' ? false : null,
        meetingTopics: text(body, 'meetingTopics'),
      };
    }
    const section = req.params.section;
    if (!isCommentSection(section)) throw new NotFoundError('no such section');
    return { part: 'comment', section, text: text(body, 'comment') };
  }

  for (const page of ['section', 'setting', 'meeting'] as const) {
    const path =
      page === 'section' ? '/my-child/:requestId/draft/sections/:section' : `/my-child/:requestId/draft/${page}`;
    router.get(path, family, noStore, async (req, res) => {
      await renderPart(req, res, page);
    });
    router.post(path, family, noStore, async (req, res) => {
      const body = (req.body ?? {}) as Body;
      const change = changeFrom(page, req);
      const outcome = await attempt(
        () =>
          services.familyPlan.saveResponse(
            requestContext(req),
            req.params.requestId as string,
            versionFrom(text(body, 'version')),
            change,
          ),
        { what: 'your response' },
      );
      if (!outcome.ok) {
        const values = Object.fromEntries(
          ['comment', 'preferredSetting', 'settingUrn', 'meetingRequested', 'meetingTopics'].map((k) => [
            k,
            text(body, k),
          ]),
        );
        return renderPart(req, res, page, outcome.failure.status, outcome.failure, values);
      }
      const anchor = page === 'section' ? `#section-${String(req.params.section).toLowerCase()}` : `#${page}`;
      res.redirect(303, `${base(req)}/draft${anchor}`);
    });
  }

  router.get('/my-child/:requestId/draft/check', family, noStore, async (req, res) => {
    const d = await loadDraft(req);
    res.render('family-plan/check.njk', { ...draftModel(req, d), submissionKey: randomUUID() });
  });

  router.post('/my-child/:requestId/draft/check', family, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const outcome = await attempt(
      () =>
        services.familyPlan.sendResponse(requestContext(req), req.params.requestId as string, {
          version: versionFrom(text(body, 'version')),
          submissionKey: text(body, 'submissionKey'),
        }),
      { what: 'your response' },
    );
    if (!outcome.ok) {
      const d = await loadDraft(req);
      return res.status(outcome.failure.status).render('family-plan/check.njk', {
        ...draftModel(req, d),
        submissionKey: randomUUID(),
        errors: outcome.failure.errors,
        stale: outcome.failure.stale,
      });
    }
    res.redirect(303, `${base(req)}/draft`);
  });

  async function finalPlan(req: Request, format: 'html' | 'pdf' | 'docx') {
    const plan = await services.familyPlan.finalPlan(requestContext(req), req.params.requestId as string, format);
    return { plan, ...finalPlanBlocks(plan), council: req.user!.laName };
  }

  router.get('/my-child/:requestId/plan', family, noStore, async (req, res) => {
    const doc = await finalPlan(req, 'html');
    res.render('family-plan/plan.njk', { ...doc, base: base(req) });
  });

  router.get('/my-child/:requestId/plan.pdf', family, noStore, async (req, res) => {
    const doc = await finalPlan(req, 'pdf');
    res
      .type('application/pdf')
      .attachment(`ehc-plan-${doc.plan.issuedOn}.pdf`)
      .send(await finalPlanPdf(doc));
  });

  router.get('/my-child/:requestId/plan.docx', family, noStore, async (req, res) => {
    const doc = await finalPlan(req, 'docx');
    res
      .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .attachment(`ehc-plan-${doc.plan.issuedOn}.docx`)
      .send(await finalPlanDocx(doc));
  });

  return router;
}
