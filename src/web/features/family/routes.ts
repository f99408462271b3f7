/**
 * A family's pages (a parent or carer, or a young person for themselves), phone first and in plain English: their
 * children's requests, one request's page (where it is, what is next and by when, who to contact, what happened), their
 * views (section A), the documents they hold, and how they want to be told. The services check the permission and
 * that the child is theirs; staff are refused (403), another child's request is not found (404, audited).
 */
import { readFile } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import { familyWords } from '../../../domain/access/familyAccount.js';
import { VIEWS_FIELDS, VIEWS_MAX_LENGTH } from '../../../domain/casework/familyView.js';
import { isUuid } from '../../../domain/identifiers/uuid.js';
import { MAX_DOCUMENT_BYTES, type UploadedFile } from '../../../services/casework/index.js';
import type { Services } from '../../../services/index.js';
import { familyCeasingLink } from '../ceasing/routes.js';
import { familyReassessmentLink } from '../reassessments/routes.js';
import { familyMoveLink } from '../moves/routes.js';
import { attempt } from '../../formFailures.js';
import type { Body, FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { CASE_PARAMS, uuidParams } from '../../middleware/params.js';

const DONE: Record<string, string> = {
  views: 'Your views are saved. Your caseworker can see them now.',
  document: 'Your document is uploaded. Your caseworker can see it now.',
};

/** The request page the contact page was opened from (`?request=`, only ever a request id), if any. */
const fromRequest = (req: Request) =>
  typeof req.query.request === 'string' && isUuid(req.query.request) ? req.query.request : null;

/** Back to the request page the contact page was opened from, else the family's requests. */
const contactBack = (req: Request) => {
  const from = fromRequest(req);
  return from ? `/my-child/${from}` : '/my-child';
};

export function familyRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { requestId: CASE_PARAMS.requestId, documentId: CASE_PARAMS.documentId });
  const read = requirePermission('case:read_own_child');
  const write = requirePermission('family:contribute');

  router.get('/my-child', read, noStore, async (req, res) => {
    const requests = await services.cases.myChildren(requestContext(req));
    // One request only: straight to its page.
    if (requests.length === 1) {
      res.redirect(302, `/my-child/${requests[0]!.requestId}`);
      return;
    }
    res.render('family/my-child.njk', { requests });
  });

  router.get('/my-child/:requestId', read, noStore, async (req, res) => {
    const page = await services.family.requestPage(requestContext(req), req.params.requestId as string);
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    const ceasing = familyCeasingLink(await services.ceasing.forFamily(requestContext(req), page.requestId));
    const reassessment = familyReassessmentLink(
      await services.reassessments.forFamily(requestContext(req), page.requestId),
    );
    const move = familyMoveLink(await services.moves.forFamily(requestContext(req), page.requestId));
    // What else is happening to the child's plan, each with its page: a reassessment, a move, the plan ending.
    const notices = [
      reassessment && { ...reassessment, linkText: `${reassessment.text}: what happens next` },
      move && { ...move, linkText: `${move.text}: what happens next` },
      ceasing && { ...ceasing, linkText: `${ceasing.text}: what happens and your right to appeal` },
    ].filter((n) => n !== null && n !== undefined);
    res.render('family/request.njk', { page, view: page.view, done, notices });
  });

  async function renderViews(
    req: Request,
    res: Response,
    status: number,
    state: { values?: Record<string, unknown>; errors?: FormError[]; version?: number; stale?: unknown },
  ) {
    const form = await services.family.viewsForm(requestContext(req), req.params.requestId as string);
    const young = form.audience === 'young_person';
    const values = state.values ?? form.views.content;
    res.status(status).render('family/views.njk', {
      form,
      fields: VIEWS_FIELDS.map((f) => ({
        name: f.name,
        label: young ? f.youngPerson : f.parent,
        value: values[f.name],
      })),
      readOnlyRows: VIEWS_FIELDS.map((f) => ({
        key: { text: young ? f.youngPerson : f.parent },
        value: { text: form.views.content[f.name] ?? 'Nothing written' },
      })),
      maxLength: VIEWS_MAX_LENGTH,
      version: state.version ?? form.views.version,
      errors: state.errors ?? [],
      stale: state.stale,
      backLinkHref: `/my-child/${form.requestId}`,
    });
  }

  router.get('/my-child/:requestId/views', read, noStore, async (req, res) => {
    await renderViews(req, res, 200, {});
  });

  router.post('/my-child/:requestId/views', write, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const version = Number(body.version);
    const values = Object.fromEntries(
      VIEWS_FIELDS.map((f) => [f.name, typeof body[f.name] === 'string' ? body[f.name] : '']),
    );
    if (!Number.isInteger(version) || version < 0) {
      await renderViews(req, res, 400, {
        values,
        errors: [{ text: 'The form could not be read: open it again and try once more', href: '#main-content' }],
      });
      return;
    }
    const requestId = req.params.requestId as string;
    const outcome = await attempt(() => services.family.saveViews(requestContext(req), requestId, version, values), {
      what: 'these views',
    });
    if (outcome.ok) {
      res.redirect(303, `/my-child/${requestId}?done=views`);
      return;
    }
    const { failure } = outcome;
    await renderViews(req, res, failure.status, {
      values,
      errors: failure.errors,
      version: failure.version ?? version,
      stale: failure.stale,
    });
  });

  async function renderDocuments(req: Request, res: Response, status: number, errors: FormError[] = []) {
    const page = await services.family.documentsPage(requestContext(req), req.params.requestId as string);
    res.status(status).render('family/documents.njk', {
      page,
      errors,
      maxMegabytes: MAX_DOCUMENT_BYTES / 1024 / 1024,
      backLinkHref: `/my-child/${page.requestId}`,
    });
  }

  router.get('/my-child/:requestId/documents', read, noStore, async (req, res) => {
    await renderDocuments(req, res, 200);
  });

  router.post('/my-child/:requestId/documents', write, noStore, async (req, res) => {
    if (res.locals.uploadTooLarge) {
      await renderDocuments(req, res, 400, [
        { text: `The selected file must be smaller than ${MAX_DOCUMENT_BYTES / 1024 / 1024}MB`, href: '#document' },
      ]);
      return;
    }
    const file = req.file;
    const document: UploadedFile | null =
      file && file.size > 0 ? { filename: file.originalname.slice(0, 200), content: await readFile(file.path) } : null;
    const requestId = req.params.requestId as string;
    const outcome = await attempt(() => services.family.uploadDocument(requestContext(req), requestId, document));
    if (outcome.ok) {
      res.redirect(303, `/my-child/${requestId}?done=document`);
      return;
    }
    await renderDocuments(req, res, outcome.failure.status, outcome.failure.errors);
  });

  router.get('/my-child/:requestId/documents/:documentId', read, noStore, async (req, res) => {
    const doc = await services.family.downloadDocument(
      requestContext(req),
      req.params.requestId as string,
      req.params.documentId as string,
    );
    res.setHeader('Content-Type', doc.mediaType);
    res.setHeader('Content-Length', String(doc.content.length));
    // Always a download, never shown inline: a document is never run in the service's origin.
    res.attachment(doc.filename);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(doc.content);
  });

  async function renderContact(
    req: Request,
    res: Response,
    status: number,
    state: { values?: Record<string, unknown>; errors?: FormError[] } = {},
  ) {
    const choice = await services.family.contactChoice(requestContext(req));
    res.status(status).render('family/contact.njk', {
      choice,
      // What a text never has in it: "your child’s full name", "your children’s full names", "your full name".
      fullName: familyWords(req.user!.family ?? { youngPerson: false, children: 1 }).fullName,
      values: state.values ?? { sms: choice.smsOptIn ? 'yes' : 'no', phone: choice.phone ?? '' },
      errors: state.errors ?? [],
      saved: req.query.done === 'saved' && status === 200,
      backLinkHref: contactBack(req),
    });
  }

  router.get('/account/contact', write, noStore, async (req, res) => {
    await renderContact(req, res, 200);
  });

  router.post('/account/contact', write, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const values = { sms: body.sms, phone: typeof body.phone === 'string' ? body.phone : '' };
    const outcome = await attempt(() => services.family.saveContactChoice(requestContext(req), values));
    if (outcome.ok) {
      const from = fromRequest(req);
      res.redirect(303, `/account/contact?done=saved${from ? `&request=${from}` : ''}`);
      return;
    }
    await renderContact(req, res, outcome.failure.status, { values, errors: outcome.failure.errors });
  });

  return router;
}
