/**
 * Reassessments in the browser (CFA s.44(2), (3); SEND Regulations 2014 regs 24-27): the open reassessments by next
 * deadline, a plan's reassessment page with its statutory dates and what to do next, one GOV.UK form per step, and
 * the family's page. The view models here decide every word and date a page states; the templates format them.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { can } from '../../../domain/access/roles.js';
import {
  REASSESSMENT_ADVICE,
  REASSESSMENT_EXCEPTION_NAMES,
  REASSESSMENT_STEPS,
  REFUSAL_GROUND_NAMES,
  REQUESTER_NAMES,
  type ReassessmentException,
  type ReassessmentRequester,
  type ReassessmentStep,
} from '../../../domain/casework/reassessment.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import { NotFoundError } from '../../../services/errors.js';
import type { Services } from '../../../services/index.js';
import type { FormStamp, ReassessmentView } from '../../../services/reassessments/index.js';
import type { FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { planStepRoutes } from '../../planSteps.js';
import type { StatedDate } from '../casework/caseFacts.js';
import { familyReassessmentWords } from './familyWords.js';
import { REASSESSMENT_DATE_FIELDS, readReassessmentStep } from './validation.js';

const long = (d: string) => formatLongDate(d as LocalDate);
const stated = (duty: string, iso: string): StatedDate => ({ duty, iso, text: long(iso) });

/** Each step's page: its heading and the rule it states above the form. */
export const REASSESSMENT_STEP_PAGES: Record<ReassessmentStep, { title: string; rule: string }> = {
  request: {
    title: 'Request for a reassessment',
    rule: 'The council must reassess when the parent, the young person, the school or college, or the health commissioning body asks, unless it may refuse (Children and Families Act 2014 s.44(2); SEND Regulations 2014 reg 24). It may also reassess at any time it thinks necessary (s.44(3)). It tells the family its decision on a request within 15 days (reg 25).',
  },
  decision: {
    title: 'Decision on the request',
    rule: 'The council may refuse when less than 6 months have passed since the last EHC needs assessment (reg 24(2)(a)): it may, but need not. Otherwise it may refuse only if a reassessment is not necessary (reg 24(2)(b)). A refusal tells the family the reasons, their right of appeal and its time limits, and mediation.',
  },
  advice: {
    title: 'Advice for the reassessment',
    rule: 'Advice is sought as for an assessment (reg 26, applying regs 6 to 9): each body has 6 weeks from being asked (reg 8(1)). Record who was asked, and tick whose advice is in; come back to this page as more arrives.',
  },
  draft: {
    title: 'Draft plan sent',
    rule: 'The draft goes to the family with at least 15 days to comment and ask for a school or college (reg 27(1), applying reg 13(1)).',
  },
  final: {
    title: 'Final plan after the reassessment',
    rule: 'The final plan goes to the family, the school or college named in it and the health commissioning body within 14 weeks of the decision to reassess (reg 27(2)). It becomes a new version of the plan, and the 12 months to its next review start from it.',
  },
  exception: {
    title: 'Exception to the 14 weeks',
    rule: 'The council need not meet the 14 weeks when it is impractical for one of these reasons (reg 27(3)). The date does not move: the plan is still due on it, and the exception is recorded against it.',
  },
};

const STEP_DONE: Record<ReassessmentStep, string> = {
  request: 'Request recorded.',
  decision: 'Decision recorded.',
  advice: 'Advice recorded.',
  draft: 'Draft plan recorded.',
  final: 'The final plan after the reassessment has been issued as a new version of the plan.',
  exception: 'Exception recorded. The due date has not moved.',
};

const EVENT_NAMES: Record<string, string> = {
  reassessment_requested: 'Reassessment requested',
  reassessment_decision: 'Decision on the reassessment told to the family',
  reassessment_advice: 'Advice for the reassessment recorded',
  reassessment_draft_served: 'Draft plan sent',
  reassessed_plan_issued: 'Final plan issued after the reassessment',
  reassessment_exception: 'Exception to the 14 weeks recorded',
};

const STATUS_TAGS = {
  met: { text: 'Met', classes: 'govuk-tag--green' },
  missed: { text: 'Missed', classes: 'govuk-tag--red' },
  pending: { text: 'Due', classes: 'govuk-tag--blue' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
} as const;

const LIST_DUTY_NAMES: Record<string, string> = {
  decide_reassessment: 'Decide on the request (15 days)',
  issue_reassessed_plan: 'Issue the final plan (14 weeks)',
};

const href = (planId: string, step?: ReassessmentStep) => `/plans/${planId}/reassess${step ? `/${step}` : ''}`;

/** The reassessment page's view model: every fact and date it states. */
export function reassessmentPageView(v: ReassessmentView) {
  const s = v.reassessment;
  const r = s?.record ?? null;
  const outcome =
    r === null
      ? null
      : r.finalIssuedDate
        ? `Completed: the final plan was issued on ${long(r.finalIssuedDate)}`
        : r.decision === 'not_reassess'
          ? `Refused on ${long(r.decisionDate!)}`
          : r.decision === 'reassess'
            ? 'Reassessing'
            : 'Waiting for the council’s decision';
  const advice = (codes: readonly string[]) =>
    codes.map((c) => REASSESSMENT_ADVICE[c as keyof typeof REASSESSMENT_ADVICE]).join('; ') || 'None';
  return {
    // What reg 24(2) lets the council do with a request made today.
    lastAssessment: v.withinSixMonths
      ? `The last assessment ended on ${long(v.lastAssessment)}. Until ${long(v.sixMonthsPassed)} a request made now may be refused because less than 6 months have passed (reg 24(2)(a)).`
      : `The last assessment ended on ${long(v.lastAssessment)}. 6 months have passed since then: a request made now may be refused only if a reassessment is not necessary (reg 24(2)(b)).`,
    outcome,
    facts: r
      ? [
          {
            key: 'Asked for by',
            value: `${REQUESTER_NAMES[r.requestedBy].text} (${REQUESTER_NAMES[r.requestedBy].basis})`,
          },
          {
            key: r.requestedBy === 'council' ? 'Decided by the council' : 'Request received',
            value: long(r.receivedDate),
          },
          { key: 'Last assessment', value: long(r.lastAssessmentDate) },
          ...(r.decision && r.requestedBy !== 'council'
            ? [
                {
                  key: 'Decision',
                  value: `${r.decision === 'reassess' ? 'Reassess' : 'Not reassess'}, told to the family ${long(r.decisionDate!)}`,
                },
              ]
            : []),
          ...(r.refusalGround
            ? [
                {
                  key: 'Ground',
                  value: `${REFUSAL_GROUND_NAMES[r.refusalGround].text} (${REFUSAL_GROUND_NAMES[r.refusalGround].basis})`,
                },
              ]
            : []),
          ...(s?.refusalReason ? [{ key: 'Reasons', value: s.refusalReason }] : []),
          ...(r.adviceRequestedDate
            ? [
                { key: 'Advice asked for', value: `${long(r.adviceRequestedDate)}: ${advice(r.adviceRequested)}` },
                { key: 'Advice in', value: advice(r.adviceReceived) },
              ]
            : []),
          ...(r.draftServedDate ? [{ key: 'Draft plan sent', value: long(r.draftServedDate) }] : []),
          ...r.exceptions.map((e) => ({
            key: 'Exception',
            value: `${REASSESSMENT_EXCEPTION_NAMES[e.reason]}, from ${long(e.from)}${e.to ? ` to ${long(e.to)}` : ''}`,
          })),
        ]
      : [],
    dates: [
      ...v.duties.map((d) => ({
        name: d.name,
        due: stated(d.id, d.due),
        done: d.completed ? long(d.completed) : 'Not yet',
        tag: STATUS_TAGS[d.status],
        basis: d.basis + (d.exceptions?.length ? ': exception recorded (the date does not move)' : ''),
      })),
    ],
    adviceDue: v.adviceDue && r?.finalIssuedDate === null ? stated('reassessment_advice', v.adviceDue) : null,
    commentsEnd: v.commentsEnd && r?.finalIssuedDate === null ? stated('draft_comments_end', v.commentsEnd) : null,
    appeal: v.appeal
      ? {
          mediation: stated('mediation_contact_by', v.appeal.mediationBy),
          appeal: stated('appeal_by', v.appeal.appeal.date),
          moved:
            v.appeal.appeal.moved === 'august'
              ? `2 months ran to ${long(v.appeal.appeal.movedFrom!)}, in August: the Tribunal’s rules move it to the first working day in September.`
              : v.appeal.appeal.moved === 'christmas'
                ? `2 months ran to ${long(v.appeal.appeal.movedFrom!)}, between 25 December and 1 January: the Tribunal’s rules move it to the next working day in January.`
                : null,
        }
      : null,
    next: v.next
      ? {
          text: v.next.text,
          due: v.next.due && v.next.duty ? stated(v.next.duty, v.next.due) : null,
          overdue: v.next.overdue,
          href: href(v.plan.id, v.next.step),
          ready: v.steps.includes(v.next.step),
        }
      : null,
    start: v.steps.includes('request') ? href(v.plan.id, 'request') : null,
    steps: v.steps
      .filter((x) => x !== 'request')
      .map((x) => ({ href: href(v.plan.id, x), text: REASSESSMENT_STEP_PAGES[x].title })),
    events: v.events.map((e) => ({ title: EVENT_NAMES[e.type] ?? e.type, date: long(e.occurredOn), by: e.actorName })),
  };
}

export function reassessmentRoutes(services: Services): Router {
  const router = Router();

  router.get('/reassessments', requirePermission('caseload:view'), noStore, async (req, res) => {
    const pageRaw = typeof req.query.page === 'string' ? req.query.page : '1';
    const page = /^\d{1,4}$/.test(pageRaw) && Number(pageRaw) >= 1 ? Number(pageRaw) : 1;
    const found = await services.reassessments.list(requestContext(req), page);
    res.render('reassessments/list.njk', {
      found,
      items: found.items.map((r) => ({
        href: href(r.planId),
        child: `${r.givenName} ${r.familyName}`,
        reference: r.childReference,
        requestedBy: REQUESTER_NAMES[r.requestedBy as ReassessmentRequester]?.text ?? r.requestedBy,
        next:
          r.nextDuty && r.nextDue
            ? { name: LIST_DUTY_NAMES[r.nextDuty] ?? r.nextDuty, due: stated(r.nextDuty, r.nextDue) }
            : null,
        overdue: r.overdue,
        caseworker: r.caseworkerName ?? 'No caseworker',
      })),
      summary:
        found.total === 0
          ? 'No reassessments are open.'
          : `${found.total} open, ${found.overdue} overdue. The most urgent deadline comes first.`,
      previous: found.page > 1 ? `/reassessments?page=${found.page - 1}` : null,
      nextPage: found.page < found.pageCount ? `/reassessments?page=${found.page + 1}` : null,
    });
  });

  uuidParams(router, services, { planId: 'plan_reassessment' });

  router.get('/plans/:planId/reassess', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const v = await services.reassessments.view(ctx, req.params.planId as string);
    const done =
      typeof req.query.done === 'string' && (REASSESSMENT_STEPS as readonly string[]).includes(req.query.done);
    res.render('reassessments/reassessment.njk', {
      plan: v.plan,
      view: reassessmentPageView(v),
      canWrite: can(ctx.actor.roles, 'case:write'),
      done: done ? STEP_DONE[req.query.done as ReassessmentStep] : null,
      backLinkHref: `/reviews/${v.plan.id}`,
    });
  });

  async function renderStep(
    req: Request,
    res: Response,
    step: ReassessmentStep,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; stamp?: FormStamp },
  ) {
    const ctx = requestContext(req);
    const v = await services.reassessments.view(ctx, req.params.planId as string);
    if (!v.steps.includes(step) && status === 200) throw new NotFoundError(`step ${step} is not open`, true);
    const r = v.reassessment?.record;
    const open = r && v.steps.includes(step) && step !== 'request';
    const ticked = (name: string, code: string, stored: readonly string[] | undefined) => {
      const sent = state.values[name];
      return Array.isArray(sent) ? sent.includes(code) : (stored ?? []).includes(code);
    };
    res.status(status).render('reassessments/step.njk', {
      plan: v.plan,
      step,
      page: REASSESSMENT_STEP_PAGES[step],
      stamp: state.stamp ?? { version: v.plan.version, submissionKey: randomUUID() },
      values: state.values,
      errors: state.errors,
      requesters: Object.entries(REQUESTER_NAMES).map(([value, x]) => ({
        value,
        text: x.text,
        hint: { text: x.basis },
        checked: state.values.requestedBy === value,
      })),
      // reg 24(2)(a): the 6-month ground is offered only while it applies.
      grounds: Object.entries(REFUSAL_GROUND_NAMES)
        .filter(([value]) => value !== 'within_six_months' || (open && r.receivedDate < v.sixMonthsPassed))
        .map(([value, x]) => ({
          value,
          text: x.text,
          hint: { text: x.basis },
          checked: state.values.refusalGround === value,
        })),
      sixMonths:
        step === 'decision' && open
          ? r.receivedDate < v.sixMonthsPassed
            ? `The request was received on ${long(r.receivedDate)}, less than 6 months after the last assessment (${long(r.lastAssessmentDate)}). The council may refuse on that ground, but need not: say why it does.`
            : `The request was received on ${long(r.receivedDate)}, 6 months or more after the last assessment (${long(r.lastAssessmentDate)}): decide whether a reassessment is necessary.`
          : null,
      adviceRequested: Object.entries(REASSESSMENT_ADVICE).map(([value, text]) => ({
        value,
        text,
        checked: ticked('adviceRequested', value, r?.adviceRequested),
      })),
      adviceReceived: Object.entries(REASSESSMENT_ADVICE).map(([value, text]) => ({
        value,
        text,
        checked: ticked('adviceReceived', value, r?.adviceReceived),
      })),
      adviceDate:
        state.values.adviceRequestedDate ??
        (r?.adviceRequestedDate
          ? {
              day: String(Number(r.adviceRequestedDate.slice(8, 10))),
              month: String(Number(r.adviceRequestedDate.slice(5, 7))),
              year: r.adviceRequestedDate.slice(0, 4),
            }
          : undefined),
      commentsEnd: step === 'final' && v.commentsEnd ? long(v.commentsEnd) : null,
      exceptions: Object.entries(REASSESSMENT_EXCEPTION_NAMES).map(([value, text]) => ({
        value,
        text,
        checked: state.values.reason === (value as ReassessmentException),
      })),
      backLinkHref: href(v.plan.id),
    });
  }

  planStepRoutes(router, {
    steps: REASSESSMENT_STEPS,
    base: '/plans/:planId/reassess',
    render: renderStep,
    read: readReassessmentStep,
    plan: async (ctx, planId) => (await services.reassessments.view(ctx, planId)).plan,
    record: (ctx, planId, stamp, fields) => services.reassessments.record(ctx, planId, stamp, fields),
    page: href,
    dateFields: REASSESSMENT_DATE_FIELDS,
  });

  // The family's side: what they are told of a reassessment of the plan made from their request.
  uuidParams(router, services, { requestId: 'plan_reassessment' });
  router.get(
    '/my-child/:requestId/reassessment',
    requirePermission('case:read_own_child'),
    noStore,
    async (req, res) => {
      const found = await services.reassessments.forFamily(requestContext(req), req.params.requestId as string);
      if (!found) throw new NotFoundError('no reassessment of this plan', true);
      const words = familyReassessmentWords(found);
      res.render('ceasing/family.njk', { ...words, backLinkHref: `/my-child/${found.requestId}` });
    },
  );

  return router;
}

/** The link the family's request page shows when the plan made from it is being (or was) reassessed. */
export function familyReassessmentLink(found: Awaited<ReturnType<Services['reassessments']['forFamily']>>) {
  if (!found) return null;
  const { blocks } = familyReassessmentWords(found);
  const decision = blocks.find((b) => b.id === 'decision');
  return { href: `/my-child/${found.requestId}/reassessment`, text: 'Reassessment', summary: decision?.text ?? '' };
}
