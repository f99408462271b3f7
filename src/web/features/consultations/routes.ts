/**
 * Schools and settings in the browser: the consultations about naming them in section I of a child's plan
 * (/consultations), and one consultation with the draft plan they were sent and their answer (/consultations/:id),
 * version-checked and read-only once given.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { SECTION_NAMES } from '../../../domain/casework/planContent.js';
import type { ConsultationStatus } from '../../../domain/casework/consultation.js';
import type { Services } from '../../../services/index.js';
import { attempt } from '../../formFailures.js';
import type { Body, FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { sentStamp } from '../casework/validation.js';
import { readAnswer } from './validation.js';

/** Each status in the setting's words, and its tag colour. */
const STATUS: Record<ConsultationStatus, { text: string; classes: string }> = {
  due: { text: 'Reply due', classes: 'govuk-tag--blue' },
  overdue: { text: 'Reply late', classes: 'govuk-tag--red' },
  responded: { text: 'Answered', classes: 'govuk-tag--green' },
};

/** The setting's answer in its own words. */
const ANSWER_NAMES: Record<string, string> = {
  can_meet: 'Yes, we can meet the child’s needs',
  cannot_meet: 'No, we cannot meet the child’s needs',
  other: 'Other answer',
};

export function consultationRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { consultationId: 'setting_consultation' });
  const mayAnswer = requirePermission('consultation:answer');

  router.get('/consultations', mayAnswer, noStore, async (req, res) => {
    const items = await services.professionals.consultations(requestContext(req));
    res.render('consultations/list.njk', { items: items.map((i) => ({ ...i, tag: STATUS[i.status] })) });
  });

  async function render(
    req: Request,
    res: Response,
    status: number,
    state: { values?: Record<string, unknown>; errors?: FormError[]; stale?: unknown; version?: number } = {},
  ) {
    const consultation = await services.professionals.viewConsultation(
      requestContext(req),
      req.params.consultationId as string,
    );
    res.status(status).render('consultations/consultation.njk', {
      consultation,
      tag: STATUS[consultation.status],
      answerName: consultation.response ? ANSWER_NAMES[consultation.response] : null,
      answers: Object.entries(ANSWER_NAMES)
        .filter(([value]) => value !== 'other')
        .map(([value, text]) => ({ value, text })),
      sectionNames: SECTION_NAMES,
      stamp: { version: state.version ?? consultation.version, submissionKey: randomUUID() },
      values: state.values ?? {},
      errors: state.errors ?? [],
      stale: state.stale,
      sent: req.query.sent === '1',
      backLinkHref: '/consultations',
    });
  }

  router.get('/consultations/:consultationId', mayAnswer, noStore, async (req, res) => {
    await render(req, res, 200);
  });

  router.post('/consultations/:consultationId', mayAnswer, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const parsed = readAnswer(body);
    const stamp = sentStamp(body);
    if (!parsed.input) {
      await render(req, res, 400, { values: parsed.values, errors: parsed.errors, version: stamp.version });
      return;
    }
    const { fields } = parsed.input;
    const id = req.params.consultationId as string;
    const outcome = await attempt(
      () =>
        services.professionals.answerConsultation(requestContext(req), id, {
          version: stamp.version,
          submissionKey: stamp.submissionKey,
          response: fields.response,
          note: fields.note,
        }),
      { what: 'this consultation' },
    );
    if (outcome.ok) {
      res.redirect(303, `/consultations/${id}?sent=1`);
      return;
    }
    await render(req, res, outcome.failure.status, {
      values: parsed.values,
      errors: outcome.failure.errors,
      stale: outcome.failure.stale,
      version: outcome.failure.version ?? stamp.version,
    });
  });

  return router;
}
