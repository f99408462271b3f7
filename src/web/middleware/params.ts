/**
 * Route parameters that name a record by its UUID. Anything else (a NUL, 36 hyphens, a huge string) names no record:
 * the answer is the not-found page, before any handler or query runs, and for a signed-in person the attempt is
 * audited as a denied read or write, as a denied read of a real record is. Visitors not signed in are sent to sign
 * in first, as for any other address that needs it. A well-formed id that names no record of the person's LA is
 * audited the same way when the route answers "not found" (deniedAudited, called by the not-found pages), unless
 * the service has audited it already (a case: NotFoundError's `audited`).
 */
import type { Request, Response, Router } from 'express';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { NotFoundError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { requestContext, requireSignIn } from './auth.js';

/** The kind of record a parameter names (for the audit log), or how to tell it from the address. */
export type RecordKind = string | ((req: Request) => string);

/** Each UUID parameter this router's paths use, with the kind of record it names. */
export function uuidParams(router: Router, services: Services, params: Record<string, RecordKind>): void {
  for (const [name, kind] of Object.entries(params)) {
    router.param(name, (req, res, next, value: unknown) => {
      const entityType = typeof kind === 'string' ? kind : kind(req);
      const write = req.method !== 'GET' && req.method !== 'HEAD';
      const audit = () => services.denied(requestContext(req), write, entityType, String(value));
      if (isUuid(value)) {
        // The most specific id of the address (the last one read) is the one a "not found" is about.
        if (req.user) res.locals.auditDenied = audit;
        return next();
      }
      if (!req.user) return requireSignIn(req, res, next);
      audit().then(() => next(new NotFoundError(`${name} is not a record id`, true)), next);
    });
  }
}

/**
 * Audits the denied read or write of the record a not-found answer is about (see uuidParams), once; nothing when the
 * address names no record by id, or the attempt is audited already.
 */
export async function deniedAudited(res: Response, error?: NotFoundError): Promise<void> {
  const audit: unknown = res.locals.auditDenied;
  if (typeof audit !== 'function' || error?.audited) return;
  res.locals.auditDenied = undefined;
  await (audit as () => Promise<void>)();
}

/** The UUID parameters of the casework pages. */
export const CASE_PARAMS = {
  requestId: 'assessment_request',
  adviceId: 'advice_request',
  consultationId: 'setting_consultation',
  documentId: 'document',
  findingId: 'qa_finding',
};
