/**
 * Moves between councils in the browser (SEND Regulations 2014 reg 15; reg 16): a plan's move out with its dates and
 * what to do next and one GOV.UK form per step; a plan transferred in and the family told; the open moves by next
 * deadline; and the family's page. The view models here decide every word and date a page states; the templates
 * format them.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { laName, MOVE_OUT_STEPS, type MoveOutStep } from '../../../domain/casework/move.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import { can } from '../../../domain/access/roles.js';
import type { FormStamp, MoveInView, MoveOutView } from '../../../services/moves/index.js';
import { NotFoundError } from '../../../services/errors.js';
import type { Services } from '../../../services/index.js';
import type { Body, FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { planStepRoutes } from '../../planSteps.js';
import { attempt } from '../../formFailures.js';
import { sentStamp } from '../casework/validation.js';
import type { StatedDate } from '../casework/caseFacts.js';
import { familyMoveWords } from './familyWords.js';
import { MOVE_DATE_FIELDS, readInform, readMoveOutStep, readTransferIn } from './validation.js';

const long = (d: string) => formatLongDate(d as LocalDate);
const stated = (duty: string, iso: string): StatedDate => ({ duty, iso, text: long(iso) });
const council = (code: string) => `${laName(code) ?? 'Unknown council'} (${code})`;

const REG_15_2 =
  'The council transfers the plan to the new council on the day of the move. If it learned of the move fewer than 15 working days before it, it has 15 working days beginning with the day it learned (SEND Regulations 2014 reg 15(2)).';
const REG_16 =
  'When the move changes the child’s health commissioner (ICB), SEND Regulations 2014 reg 16 applies. The date shown for telling the new ICB uses the same 15 working days as the plan; the new ICB may then ask for a review or an assessment. Check the regulation’s exact wording before relying on these dates.';

/** Each step's page: its heading and the rule it states above the form. */
export const MOVE_STEP_PAGES: Record<MoveOutStep, { title: string; rule: string }> = {
  record: { title: 'Record a move to another council', rule: REG_15_2 },
  transfer: {
    title: 'Plan sent to the new council',
    rule: 'From the date of the transfer the plan is the new council’s: it is treated as made by them on the date this council made it, and they must maintain it (reg 15(3)). Send the advice the plan was made with too.',
  },
  health: { title: 'New health commissioner told', rule: REG_16 },
};

const STEP_DONE: Record<MoveOutStep, string> = {
  record: 'Move recorded. Send the plan to the new council by the date below.',
  transfer: 'Transfer recorded. The plan is now the new council’s.',
  health: 'Recorded that the new health commissioner was told.',
};

const EVENT_NAMES: Record<string, string> = {
  move_out_recorded: 'Council learned of the move',
  plan_transferred_out: 'Plan sent to the new council',
  health_commissioner_told: 'New health commissioner told',
  transfer_in: 'Plan transferred in from another council',
  parent_informed_after_transfer: 'Family told of the transfer',
};

const DUTY_NAMES: Record<string, string> = {
  transfer: 'Send the plan to the new council (reg 15(2))',
  health: 'Tell the new health commissioner (reg 16)',
  inform: 'Tell the family of the transfer (reg 15(4))',
};

const href = (planId: string, step?: MoveOutStep) => `/plans/${planId}/move${step ? `/${step}` : ''}`;
const events = (v: { events: MoveOutView['events'] }) =>
  v.events.map((e) => ({ title: EVENT_NAMES[e.type] ?? e.type, date: long(e.occurredOn), by: e.actorName }));

/** The move out page's view model: every fact and date it states. */
export function moveOutPageView(v: MoveOutView) {
  const m = v.move?.record ?? null;
  const name = m ? (laName(m.newLaCode) ?? m.newLaCode) : null;
  return {
    status: !m
      ? v.plan.ceasedDate
        ? `Ended on ${long(v.plan.ceasedDate)}`
        : 'Maintained by this council: no move recorded'
      : v.holder === 'new_la'
        ? `Transferred to ${name} on ${long(m.transferredDate!)}: it is their plan from that day (reg 15(3))`
        : `Maintained by this council until it is transferred to ${name}`,
    facts: m
      ? [
          { key: 'Moving to', value: council(m.newLaCode) },
          { key: 'Date of the move', value: long(m.moveDate) },
          { key: 'Council learned of it', value: long(m.learnedDate) },
          { key: 'Health commissioner changes', value: m.healthCommissionerChanges ? 'Yes' : 'No' },
        ]
      : [],
    duties: v.duties.map((d) => ({
      name: d.duty === 'transfer_plan' ? 'Send the plan to the new council' : 'Tell the new health commissioner',
      due: stated(d.duty === 'transfer_plan' ? 'transfer_plan' : 'tell_health_commissioner', d.due.date),
      why:
        d.due.rule === 'day_of_move'
          ? 'the day of the move: the council knew at least 15 working days before'
          : '15 working days beginning with the day the council learned of the move',
      done: d.done ? `Done ${long(d.done)}` : v.today > d.due.date ? 'Overdue' : 'Not done yet',
    })),
    healthRule: m?.healthCommissionerChanges ? REG_16 : null,
    next: v.next
      ? {
          text: v.next.text,
          due: stated(v.next.step === 'transfer' ? 'transfer_plan' : 'tell_health_commissioner', v.next.due),
          href: href(v.plan.id, v.next.step),
          overdue: v.today > v.next.due,
        }
      : null,
    nothingNext: m ? 'Nothing: the plan has been transferred.' : 'Nothing: no move is recorded.',
    steps: v.steps.map((s) => ({ href: href(v.plan.id, s), text: MOVE_STEP_PAGES[s].title })),
    events: events(v),
  };
}

/** The transfer in page's view model. */
export function moveInPageView(v: MoveInView) {
  const r = v.move.record;
  return {
    facts: [
      { key: 'From', value: council(r.oldLaCode) },
      { key: 'Date of the transfer', value: long(r.transferDate) },
      { key: 'Plan made', value: long(r.planMadeDate) },
      { key: 'Last reviewed', value: r.lastReviewDate ? long(r.lastReviewDate) : 'Not reviewed yet' },
      ...(r.parentInformedDate
        ? [
            { key: 'Family told', value: long(r.parentInformedDate) },
            { key: 'Will the council assess?', value: r.willAssess ? 'Yes' : 'No' },
            { key: 'Review proposed by', value: long(r.proposedReviewDate!) },
          ]
        : []),
    ],
    dates: {
      inform: stated('inform_parent_after_transfer', v.dates.informParentBy),
      review: stated('review_after_transfer', v.dates.reviewBy),
      byPlan: long(v.dates.byPlan),
      byTransfer: long(v.dates.byTransfer),
    },
    next:
      v.next.step === 'inform'
        ? { text: v.next.text, href: `/moves/in/${v.move.id}/inform`, overdue: v.today > v.next.due }
        : {
            text: `Review the plan by ${long(v.next.due)}: it is in the annual reviews list`,
            href: `/reviews/${v.plan.id}`,
            overdue: false,
          },
    events: events(v),
  };
}

export function moveRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { planId: 'plan_move', moveId: 'plan_move' });

  router.get('/moves', requirePermission('caseload:view'), noStore, async (req, res) => {
    const page = Number(typeof req.query.page === 'string' ? req.query.page : '1') || 1;
    const found = await services.moves.list(requestContext(req), page);
    res.render('moves/list.njk', {
      total: found.total,
      overdue: found.overdue,
      rows: found.items.map((i) => ({
        child: `${i.givenName} ${i.familyName}`,
        reference: i.childReference,
        href: i.direction === 'out' ? href(i.planId) : `/moves/in/${i.id}`,
        direction: i.direction === 'out' ? `Out to ${council(i.otherLaCode)}` : `In from ${council(i.otherLaCode)}`,
        next: i.nextDuty ? (DUTY_NAMES[i.nextDuty] ?? i.nextDuty) : '',
        due: i.nextDue ? long(i.nextDue) : '',
        overdue: i.overdue,
      })),
      canWrite: can(requestContext(req).actor.roles, 'case:write'),
    });
  });

  router.get('/plans/:planId/move', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const v = await services.moves.outView(ctx, req.params.planId as string);
    const done = typeof req.query.done === 'string' && (MOVE_OUT_STEPS as readonly string[]).includes(req.query.done);
    res.render('moves/move.njk', {
      plan: v.plan,
      view: moveOutPageView(v),
      canWrite: can(ctx.actor.roles, 'case:write'),
      done: done ? STEP_DONE[req.query.done as MoveOutStep] : null,
      backLinkHref: `/reviews/${v.plan.id}`,
    });
  });

  async function renderStep(
    req: Request,
    res: Response,
    step: MoveOutStep,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; stamp?: FormStamp },
  ) {
    const ctx = requestContext(req);
    const v = await services.moves.outView(ctx, req.params.planId as string);
    if (!v.steps.includes(step) && status === 200) throw new NotFoundError(`step ${step} is not open`, true);
    res.status(status).render('moves/step.njk', {
      plan: v.plan,
      step,
      page: MOVE_STEP_PAGES[step],
      stamp: state.stamp ?? { version: v.plan.version, submissionKey: randomUUID() },
      values: state.values,
      errors: state.errors,
      backLinkHref: href(v.plan.id),
    });
  }

  planStepRoutes(router, {
    steps: MOVE_OUT_STEPS,
    base: '/plans/:planId/move',
    render: renderStep,
    read: readMoveOutStep,
    plan: async (ctx, planId) => (await services.moves.outView(ctx, planId)).plan,
    record: (ctx, planId, stamp, fields) => services.moves.recordOut(ctx, planId, stamp, fields),
    page: href,
    dateFields: MOVE_DATE_FIELDS,
  });

  // A plan transferred in from another council.
  const renderNewIn = (
    res: Response,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; key: string },
  ) =>
    res.status(status).render('moves/in-new.njk', {
      values: state.values,
      errors: state.errors,
      submissionKey: state.key,
      rule: 'From the date of the transfer the plan is this council’s, treated as made on the date the old council made it (SEND Regulations 2014 reg 15(3)).',
      backLinkHref: '/moves',
    });

  router.get('/moves/in/new', requirePermission('case:write'), noStore, (_req, res) => {
    renderNewIn(res, 200, { values: {}, errors: [], key: randomUUID() });
  });
  router.post('/moves/in/new', requirePermission('case:write'), noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const key = typeof body.submissionKey === 'string' ? body.submissionKey : randomUUID();
    const parsed = readTransferIn(body);
    if (!parsed.input || parsed.errors.length) {
      renderNewIn(res, 400, { values: parsed.values, errors: parsed.errors, key });
      return;
    }
    const input = parsed.input;
    const outcome = await attempt(() => services.moves.recordIn(requestContext(req), key, input), {
      dateFields: MOVE_DATE_FIELDS,
      what: 'this transfer',
    });
    if (outcome.ok) {
      res.redirect(303, outcome.value.moveId ? `/moves/in/${outcome.value.moveId}?done=in` : '/moves');
      return;
    }
    renderNewIn(res, outcome.failure.status, { values: parsed.values, errors: outcome.failure.errors, key });
  });

  router.get('/moves/in/:moveId', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const v = await services.moves.inView(ctx, req.params.moveId as string);
    res.render('moves/in.njk', {
      plan: v.plan,
      view: moveInPageView(v),
      canWrite: can(ctx.actor.roles, 'case:write'),
      done:
        req.query.done === 'in'
          ? 'Transfer recorded. The plan is on this council’s register.'
          : req.query.done === 'inform'
            ? 'Recorded that the family was told.'
            : null,
      backLinkHref: '/moves',
    });
  });

  async function renderInform(
    req: Request,
    res: Response,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; stamp?: FormStamp },
  ) {
    const v = await services.moves.inView(requestContext(req), req.params.moveId as string);
    if (v.move.record.parentInformedDate !== null && status === 200) {
      throw new NotFoundError('the family has been told', true);
    }
    res.status(status).render('moves/inform.njk', {
      plan: v.plan,
      view: moveInPageView(v),
      stamp: state.stamp ?? { version: v.move.version, submissionKey: randomUUID() },
      values: state.values,
      errors: state.errors,
      backLinkHref: `/moves/in/${v.move.id}`,
    });
  }
  router.get('/moves/in/:moveId/inform', requirePermission('case:write'), noStore, async (req, res) => {
    await renderInform(req, res, 200, { values: {}, errors: [] });
  });
  router.post('/moves/in/:moveId/inform', requirePermission('case:write'), noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const keptStamp = sentStamp(body);
    const parsed = readInform(body);
    if (!parsed.input || parsed.errors.length) {
      await renderInform(req, res, 400, { values: parsed.values, errors: parsed.errors, stamp: keptStamp });
      return;
    }
    const { stamp, fields } = parsed.input;
    const moveId = req.params.moveId as string;
    const outcome = await attempt(() => services.moves.informFamily(requestContext(req), moveId, stamp, fields), {
      dateFields: MOVE_DATE_FIELDS,
      what: 'this transfer',
    });
    if (outcome.ok) {
      res.redirect(303, `/moves/in/${moveId}?done=inform`);
      return;
    }
    const f = outcome.failure;
    await renderInform(req, res, f.status, {
      values: parsed.values,
      errors: f.errors,
      stamp: f.version == null ? keptStamp : { version: f.version, submissionKey: keptStamp.submissionKey },
    });
  });

  // The family's side: what they are told of a move of the plan made from their request.
  uuidParams(router, services, { requestId: 'plan_move' });
  router.get('/my-child/:requestId/plan-move', requirePermission('case:read_own_child'), noStore, async (req, res) => {
    const found = await services.moves.forFamily(requestContext(req), req.params.requestId as string);
    if (!found) throw new NotFoundError('no move of this plan', true);
    res.render('moves/family.njk', { ...familyMoveWords(found), backLinkHref: `/my-child/${found.requestId}` });
  });

  return router;
}

/** The link the family's request page shows when the plan made from it is moving (or has moved) to another council. */
export function familyMoveLink(found: Awaited<ReturnType<Services['moves']['forFamily']>>) {
  if (!found) return null;
  const { title, blocks } = familyMoveWords(found);
  return { href: `/my-child/${found.requestId}/plan-move`, text: title, summary: blocks[0]?.text ?? '' };
}
