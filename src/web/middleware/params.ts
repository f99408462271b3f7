/**
 * Route parameters that name a record by its UUID. Anything else (a NUL, 36 hyphens, a huge string) names no record:
 * the answer is the not-found page, before any handler or query runs, and for a signed-in person the attempt is
 * audited as a denied read or write, as a denied read of a real record is. Visitors not signed in are sent to sign
 * in first, as for any other address that needs it.
 */
import type { Router } from 'express';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { NotFoundError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { requestContext, requireSignIn } from './auth.js';

/** Each UUID parameter this router's paths use, with the kind of record it names (for the audit log). */
export function uuidParams(router: Router, services: Services, params: Record<string, string>): void {
  for (const [name, entityType] of Object.entries(params)) {
    router.param(name, (req, res, next, value: unknown) => {
      if (isUuid(value)) return next();
      if (!req.user) return requireSignIn(req, res, next);
      const write = req.method !== 'GET' && req.method !== 'HEAD';
      services
        .denied(requestContext(req), write, entityType, String(value))
        .then(() => next(new NotFoundError(`${name} is not a record id`)), next);
    });
  }
}

/** The UUID parameters of the casework pages. */
export const CASE_PARAMS = {
  requestId: 'assessment_request',
  adviceId: 'advice_request',
  consultationId: 'setting_consultation',
  documentId: 'document',
  findingId: 'qa_finding',
};
