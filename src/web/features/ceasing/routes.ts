/**
 * Ceasing to maintain a plan in the browser (CFA s.45; SEND Regulations 2014 regs 29-31): the plan's ceasing page
 * with the family's appeal and mediation dates and what to do next, and one GOV.UK form per step. The view models
 * here decide every word and date a page states; the templates format them.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { CEASE_REASON_NAMES, CEASING_STEPS, type CeasingStep } from '../../../domain/casework/ceasing.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import { can } from '../../../domain/access/roles.js';
import type { CeasingView, FormStamp } from '../../../services/ceasing/index.js';
import { NotFoundError } from '../../../services/errors.js';
import type { Services } from '../../../services/index.js';
import type { FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { planStepRoutes } from '../../planSteps.js';
import type { StatedDate } from '../casework/caseFacts.js';
import { familyCeasingWords } from './familyWords.js';
import { CEASING_DATE_FIELDS, readCeasingStep } from './validation.js';

const long = (d: string) => formatLongDate(d as LocalDate);
const stated = (duty: string, iso: string): StatedDate => ({ duty, iso, text: long(iso) });

/** Each step's page: its heading and the rule it states above the form. */
export const CEASING_STEP_PAGES: Record<CeasingStep, { title: string; rule: string }> = {
  consult: {
    title: 'Consider ceasing the plan',
    rule: 'Before deciding, the council must tell the family it is considering ceasing the plan and consult them, and consult the head teacher or principal of the school or college named in the plan (SEND Regulations 2014 reg 31(1)).',
  },
  decision: {
    title: 'Decision notice',
    rule: 'After the consultation, tell the family, the school or college and the health commissioner the decision (reg 31(2)). A decision to cease tells the family of their right to appeal, its time limits, mediation and where to get advice (reg 31(3)).',
  },
  certificate: {
    title: 'Mediation certificate',
    rule: 'If the family went to mediation, or told the mediation adviser they did not want it, they have 1 month from the certificate to appeal when that is later than 2 months from the decision.',
  },
  appeal: {
    title: 'Appeal to the Tribunal',
    rule: 'While an appeal is decided the council keeps maintaining the plan (Children and Families Act 2014 s.45(2)).',
  },
  tribunal: {
    title: 'The Tribunal’s decision',
    rule: 'If the Tribunal dismisses the appeal the plan ends that day; if it upholds it the plan is kept.',
  },
  cease: {
    title: 'Record that the plan has ended',
    rule: 'The time for appealing has passed with no appeal: the plan ends the day after (Children and Families Act 2014 s.45(2)).',
  },
};

const STEP_DONE: Record<CeasingStep, string> = {
  consult: 'Consultation recorded. Send the decision notice when the council has decided.',
  decision: 'Decision notice recorded.',
  certificate: 'Mediation certificate recorded. The family’s appeal date has been worked out again.',
  appeal: 'Appeal recorded. The plan is maintained until the Tribunal decides.',
  tribunal: 'The Tribunal’s decision recorded.',
  cease: 'The plan has ended.',
};

const EVENT_NAMES: Record<string, string> = {
  ceasing_consulted: 'Family and school consulted about ceasing the plan',
  ceasing_decision: 'Decision notice sent',
  ceasing_mediation_certificate: 'Mediation certificate issued',
  ceasing_appeal: 'Appeal made to the Tribunal',
  ceasing_tribunal_decision: 'Tribunal decided the appeal',
  plan_ceased: 'Plan ended',
};

const href = (planId: string, step?: CeasingStep) => `/plans/${planId}/cease${step ? `/${step}` : ''}`;

/** The ceasing page's view model: every fact and date it states. */
export function ceasingPageView(v: CeasingView) {
  const c = v.ceasing?.record ?? null;
  const reason = c ? CEASE_REASON_NAMES[c.reason] : null;
  const d = v.dates;
  const decision =
    c?.decision === 'cease'
      ? 'Cease to maintain the plan'
      : c?.decision === 'maintain'
        ? 'Keep the plan (not ceased)'
        : 'Not decided yet';
  return {
    status: v.plan.ceasedDate
      ? { text: `Ceased on ${long(v.plan.ceasedDate)}`, ended: stated('plan_ceased', v.plan.ceasedDate) }
      : c && v.ceasing?.status === 'open'
        ? {
            text: c.appealLodgedDate
              ? 'Maintained until the Tribunal decides the appeal'
              : c.decision === 'cease'
                ? 'Maintained until the time for appealing has passed: the council has decided to cease it'
                : 'Maintained while ceasing is considered',
            ended: null,
          }
        : { text: 'Maintained', ended: null },
    fromReview: v.reviewCease
      ? `The annual review decided on ${long(v.reviewCease)} to cease the plan. Consult the family and the school before the decision notice (reg 31).`
      : null,
    facts: c
      ? [
          { key: 'Reason', value: reason!.text },
          { key: 'The law', value: reason!.basis },
          { key: 'Family consulted', value: long(c.consultedDate) },
          { key: 'School or college consulted', value: long(c.schoolConsultedDate) },
          { key: 'Decision', value: decision + (c.decisionDate ? `, notice sent ${long(c.decisionDate)}` : '') },
          ...(c.certificateDate ? [{ key: 'Mediation certificate', value: long(c.certificateDate) }] : []),
          ...(c.appealLodgedDate ? [{ key: 'Appeal made', value: long(c.appealLodgedDate) }] : []),
          ...(c.tribunalOutcome && c.tribunalDate
            ? [
                {
                  key: 'Tribunal',
                  value: `${c.tribunalOutcome === 'dismissed' ? 'Dismissed the appeal' : 'Upheld the appeal: the plan is kept'}, ${long(c.tribunalDate)}`,
                },
              ]
            : []),
        ]
      : [],
    familyDates: d
      ? {
          mediation: stated('mediation_contact_by', d.mediationBy),
          appeal: stated('appeal_by', d.appeal.date),
          moved:
            d.appeal.moved === 'august'
              ? `2 months ran to ${long(d.appeal.movedFrom!)}, in August: the Tribunal’s rules move it to the first working day in September.`
              : d.appeal.moved === 'christmas'
                ? `The time ran to ${long(d.appeal.movedFrom!)}, between 25 December and 1 January: the Tribunal’s rules move it to the next working day in January.`
                : null,
          fromCertificate: d.appeal.from === 'certificate',
          ceasesOn: c?.appealLodgedDate ? null : stated('plan_ends', d.ceasesOn),
        }
      : null,
    next: v.next
      ? {
          text: v.next.text,
          from: v.next.from ? stated('plan_ends', v.next.from) : null,
          href: href(v.plan.id, v.next.step),
          ready: v.steps.includes(v.next.step),
        }
      : null,
    steps: v.steps.map((s) => ({ href: href(v.plan.id, s), text: CEASING_STEP_PAGES[s].title })),
    events: v.events.map((e) => ({ title: EVENT_NAMES[e.type] ?? e.type, date: long(e.occurredOn), by: e.actorName })),
  };
}

export function ceasingRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { planId: 'plan_ceasing' });

  router.get('/plans/:planId/cease', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const v = await services.ceasing.view(ctx, req.params.planId as string);
    const done = typeof req.query.done === 'string' && (CEASING_STEPS as readonly string[]).includes(req.query.done);
    res.render('ceasing/ceasing.njk', {
      plan: v.plan,
      view: ceasingPageView(v),
      canWrite: can(ctx.actor.roles, 'case:write'),
      done: done ? STEP_DONE[req.query.done as CeasingStep] : null,
      backLinkHref: `/reviews/${v.plan.id}`,
    });
  });

  async function renderStep(
    req: Request,
    res: Response,
    step: CeasingStep,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; stamp?: FormStamp },
  ) {
    const ctx = requestContext(req);
    const v = await services.ceasing.view(ctx, req.params.planId as string);
    if (!v.steps.includes(step) && status === 200) throw new NotFoundError(`step ${step} is not open`, true);
    res.status(status).render('ceasing/step.njk', {
      plan: v.plan,
      step,
      page: CEASING_STEP_PAGES[step],
      stamp: state.stamp ?? { version: v.plan.version, submissionKey: randomUUID() },
      values: state.values,
      errors: state.errors,
      reasons: Object.entries(CEASE_REASON_NAMES).map(([value, r]) => ({
        value,
        text: r.text,
        hint: { text: r.basis },
        checked: state.values.reason === value,
      })),
      ceasesOn: step === 'cease' && v.dates ? long(v.dates.ceasesOn) : null,
      backLinkHref: href(v.plan.id),
    });
  }

  planStepRoutes(router, {
    steps: CEASING_STEPS,
    base: '/plans/:planId/cease',
    render: renderStep,
    read: readCeasingStep,
    plan: async (ctx, planId) => (await services.ceasing.view(ctx, planId)).plan,
    record: (ctx, planId, stamp, fields) => services.ceasing.record(ctx, planId, stamp, fields),
    page: href,
    dateFields: CEASING_DATE_FIELDS,
  });

  // The family's side: what they are told of a ceasing of the plan made from their request.
  uuidParams(router, services, { requestId: 'plan_ceasing' });
  router.get(
    '/my-child/:requestId/plan-ending',
    requirePermission('case:read_own_child'),
    noStore,
    async (req, res) => {
      const found = await services.ceasing.forFamily(requestContext(req), req.params.requestId as string);
      if (!found) throw new NotFoundError('no ceasing of this plan', true);
      const words = familyCeasingWords(found);
      res.render('ceasing/family.njk', { ...words, backLinkHref: `/my-child/${found.requestId}` });
    },
  );

  return router;
}

/** The link the family's request page shows when the plan made from it is being (or has been) ceased. */
export function familyCeasingLink(found: Awaited<ReturnType<Services['ceasing']['forFamily']>>) {
  if (!found) return null;
  const { title, blocks } = familyCeasingWords(found);
  return { href: `/my-child/${found.requestId}/plan-ending`, text: title, summary: blocks[0]?.text ?? '' };
}
