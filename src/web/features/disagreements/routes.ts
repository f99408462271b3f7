/**
 * Disagreements in the browser: the LA's open ones by their next deadline, a case's, the form that records one, its
 * page with the clock's dates, the family's dates and what to do next, and one GOV.UK form per step. The view models
 * here decide every word and date a page states; the templates format them.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import {
  AGREEMENT_KINDS,
  DISAGREEMENT_ABOUT,
  DISAGREEMENT_STEPS,
  ORDERS_FOR,
  ORDER_STEP_NAMES,
  TRIBUNAL_ORDER_NAMES,
  TRIBUNAL_OUTCOMES,
  lowerFirst,
  type DisagreementAbout,
  type DisagreementStep,
} from '../../../domain/casework/disagreement.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import { can } from '../../../domain/access/roles.js';
import { NotFoundError } from '../../../services/errors.js';
import type { Services } from '../../../services/index.js';
import type { DisagreementView, FormStamp, StoredDisagreement } from '../../../services/disagreements/index.js';
import { attempt } from '../../formFailures.js';
import type { Body, FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { CASE_PARAMS, uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { paginationItems } from '../../pagination.js';
import { STATUS_TAGS, type StatedDate } from '../casework/caseFacts.js';
import { sentStamp } from '../casework/validation.js';
import { DISAGREEMENT_DATE_FIELDS, readDisagreementStep, readStart } from './validation.js';

const long = (d: string) => formatLongDate(d as LocalDate);
const stated = (duty: string, iso: string): StatedDate => ({ duty, iso, text: long(iso) });

/** Each step's page: its heading, and the rule it states above the form. */
const STEP_PAGES: Record<DisagreementStep, { title: string; rule: string }> = {
  mediation: {
    title: 'The family wants mediation',
    rule: 'Mediation must take place within 30 days of the council being told the family wants it (SEND Regulations 2014 reg 37).',
  },
  mediated: {
    title: 'Mediation took place',
    rule: 'Record the day the mediation ended, and whether an agreement was reached. What the council agreed is done in the time the Tribunal would have given for it, or within 2 weeks for anything the family could not have appealed (reg 42).',
  },
  certificate: {
    title: 'Mediation certificate',
    rule: 'The mediation adviser or mediator issues the certificate within 3 working days of the mediation ending, or of the family saying they do not want mediation (regs 34-39). The family may then appeal until 1 month after it, if that is later than 2 months after the decision letter.',
  },
  agreement_done: {
    title: 'Mediation agreement carried out',
    rule: 'Record the day the council finished doing what it agreed at mediation (reg 42: within 2 weeks).',
  },
  appeal: {
    title: 'The family appealed to the Tribunal',
    rule: 'Record the date of the appeal to the First-tier Tribunal (Special Educational Needs and Disability). Except for an appeal only about the school or setting named, the family needs a mediation certificate first.',
  },
  outcome: {
    title: 'The Tribunal’s decision',
    rule: 'The council must do what the Tribunal orders by the dates the law sets (reg 44(2)), and the same when it does not oppose an appeal (reg 45). The dates are on the disagreement’s page once the decision is recorded.',
  },
  complied: {
    title: 'Comply with the order',
    rule: 'Record each step the order asks for on the day it was done.',
  },
  close: {
    title: 'Close without an appeal',
    rule: 'Close this disagreement when the family has decided not to appeal, or the time to appeal has passed.',
  },
};

export const DISAGREEMENT_DONE: Record<DisagreementStep, string> = {
  mediation: 'Recorded: the family wants mediation.',
  mediated: 'Mediation recorded.',
  certificate: 'Mediation certificate recorded.',
  agreement_done: 'Recorded: the mediation agreement was carried out.',
  appeal: 'Appeal recorded.',
  outcome: 'The Tribunal’s decision recorded.',
  complied: 'Recorded: the step the order asks for is done.',
  close: 'Disagreement closed.',
};

const aboutName = (about: string) => DISAGREEMENT_ABOUT[about as DisagreementAbout] ?? about;

/** A disagreement's stage in a few words, for lists. */
function stageOf(row: StoredDisagreement): string {
  if (row.status === 'closed') {
    if (row.closedDate) return `Closed ${long(row.closedDate)} without an appeal`;
    if (row.outcome === 'order' || row.outcome === 'unopposed') return 'Closed: the order was complied with';
  }
  if (row.outcome) return TRIBUNAL_OUTCOMES[row.outcome as keyof typeof TRIBUNAL_OUTCOMES] ?? row.outcome;
  if (row.appealDate) return `Appealed ${long(row.appealDate)}`;
  if (row.mediationHeldDate) return `Mediation ${long(row.mediationHeldDate)}`;
  if (row.mediationToldDate) return 'Mediation asked for';
  return 'Decision letter sent';
}

/** The disagreement page's view model: every fact and date it states. */
export function disagreementPageView(v: DisagreementView) {
  const r = v.record;
  const appeal = v.family.appealBy;
  const appealText =
    long(appeal.date) +
    (appeal.from === 'certificate'
      ? ' (1 month after the mediation certificate)'
      : ' (2 months after the decision letter)') +
    (appeal.moved === 'christmas'
      ? `: moved from ${long(appeal.movedFrom!)} by the Tribunal’s Christmas rule`
      : appeal.moved === 'august'
        ? `: moved from ${long(appeal.movedFrom!)} by the Tribunal’s August rule`
        : '');
  const facts = [
    { key: { text: 'About' }, value: { text: aboutName(r.about) } },
    { key: { text: 'Decision letter' }, value: { text: long(r.decisionDate) } },
    {
      key: { text: 'Family to contact the mediation adviser by' },
      value: { text: `${long(v.family.mediationContactBy)} (reg 33)` },
    },
    r.appealDate
      ? { key: { text: 'Appeal' }, value: { text: `Made ${long(r.appealDate)}` } }
      : { key: { text: 'Family may appeal until' }, value: { text: appealText } },
    { key: { text: 'Mediation' }, value: { text: mediationText(v) } },
  ];
  if (r.agreement) facts.push({ key: { text: 'Agreed at mediation' }, value: { text: r.agreementActions ?? '' } });
  if (r.outcome) {
    facts.push({
      key: { text: 'Tribunal’s decision' },
      value: {
        text:
          `${TRIBUNAL_OUTCOMES[r.outcome]}, ${long(r.outcomeDate!)}` +
          (r.order ? `: ${lowerFirst(TRIBUNAL_ORDER_NAMES[r.order])}` : ''),
      },
    });
  }
  return {
    title: `Disagreement: ${lowerFirst(aboutName(r.about))}`,
    facts,
    closed: v.closed,
    next: v.next
      ? {
          text: v.next.text,
          due: v.next.due ? stated(v.next.duty ?? v.next.step, v.next.due) : null,
          overdue: v.next.overdue,
          href: `/disagreements/${v.row.id}/${v.next.step}`,
        }
      : null,
    duties: v.duties.map((d) => ({
      name: d.name,
      due: stated(d.id, d.due),
      done: d.completed ? long(d.completed) : 'Not yet',
      tag: STATUS_TAGS[d.status],
      basis: d.basis,
    })),
    steps: v.steps.map((s) => ({ href: `/disagreements/${v.row.id}/${s}`, text: STEP_PAGES[s].title })),
    caseHref: `/cases/${v.case.requestId}`,
  };
}

function mediationText(v: DisagreementView): string {
  const r = v.record;
  if (r.mediationHeldDate) {
    const agreed = r.agreement ? 'an agreement was reached' : 'no agreement';
    const cert = r.certificateDate ? `; certificate ${long(r.certificateDate)}` : '';
    return `Took place ${long(r.mediationHeldDate)}: ${agreed}${cert}`;
  }
  if (r.mediationToldDate) return `Asked for; the council was told ${long(r.mediationToldDate)}`;
  return 'None asked for';
}

export function disagreementRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { requestId: CASE_PARAMS.requestId, disagreementId: 'disagreement' });

  router.get('/disagreements', requirePermission('caseload:view'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const pageRaw = typeof req.query.page === 'string' ? req.query.page : '1';
    if (!/^\d{1,6}$/.test(pageRaw) || Number(pageRaw) < 1) {
      const errors = [{ text: 'Page must be a whole number from 1', href: '#' }];
      res.status(400).render('errors/bad-request.njk', { errors, backHref: '/disagreements' });
      return;
    }
    const list = await services.disagreements.list(ctx, { page: Number(pageRaw) });
    res.render('disagreements/list.njk', {
      list,
      items: list.items.map((i) => ({
        href: `/disagreements/${i.id}`,
        child: `${i.familyName}, ${i.givenName}`,
        reference: i.childReference,
        about: aboutName(i.about),
        next: i.nextDue
          ? {
              name: i.nextDuty === 'appeal_window' ? 'The family’s last day to appeal' : dutyName(i.nextDuty!),
              due: stated(i.nextDuty!, i.nextDue),
            }
          : null,
        overdue: i.overdue,
        waiting: 'Waiting for the Tribunal’s decision',
        caseworker: i.caseworkerName ?? 'Not assigned',
      })),
      pagination: paginationItems(list.page, list.pageCount, (p) => `/disagreements?page=${p}`),
    });
  });

  router.get('/cases/:requestId/disagreements', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const found = await services.disagreements.forCase(ctx, req.params.requestId as string);
    res.render('disagreements/case.njk', {
      child: found.case,
      canWrite: can(ctx.actor.roles, 'case:write'),
      newHref: `/cases/${found.case.requestId}/disagreements/new`,
      backLinkHref: `/cases/${found.case.requestId}`,
      items: found.disagreements.map((d) => ({
        href: `/disagreements/${d.id}`,
        about: aboutName(d.about),
        decision: long(d.decisionDate),
        stage: stageOf(d),
      })),
    });
  });

  async function renderStart(
    req: Request,
    res: Response,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; submissionKey?: string },
  ) {
    const ctx = requestContext(req);
    const found = await services.disagreements.forCase(ctx, req.params.requestId as string);
    res.status(status).render('disagreements/start.njk', {
      child: found.case,
      stamp: { version: 1, submissionKey: state.submissionKey ?? randomUUID() },
      values: state.values,
      errors: state.errors,
      abouts: Object.entries(DISAGREEMENT_ABOUT).map(([value, text]) => ({
        value,
        text,
        checked: state.values.about === value,
      })),
      backLinkHref: `/cases/${found.case.requestId}/disagreements`,
    });
  }

  router.get('/cases/:requestId/disagreements/new', requirePermission('case:write'), noStore, async (req, res) => {
    await renderStart(req, res, 200, { values: {}, errors: [] });
  });
  router.post('/cases/:requestId/disagreements/new', requirePermission('case:write'), noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const ctx = requestContext(req);
    const kept = sentStamp(body);
    const parsed = readStart(body);
    if (!parsed.input || parsed.errors.length) {
      await renderStart(req, res, 400, {
        values: parsed.values,
        errors: parsed.errors,
        submissionKey: kept.submissionKey,
      });
      return;
    }
    const { stamp, fields } = parsed.input;
    const outcome = await attempt(
      () => services.disagreements.start(ctx, req.params.requestId as string, stamp.submissionKey, fields),
      { dateFields: DISAGREEMENT_DATE_FIELDS, what: 'this case' },
    );
    if (outcome.ok) {
      res.redirect(
        303,
        outcome.value.id
          ? `/disagreements/${outcome.value.id}`
          : `/cases/${req.params.requestId as string}/disagreements`,
      );
      return;
    }
    await renderStart(req, res, outcome.failure.status, {
      values: parsed.values,
      errors: outcome.failure.errors,
      submissionKey: kept.submissionKey,
    });
  });

  router.get('/disagreements/:disagreementId', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const v = await services.disagreements.view(ctx, req.params.disagreementId as string);
    const done =
      typeof req.query.done === 'string' && (DISAGREEMENT_STEPS as readonly string[]).includes(req.query.done);
    res.render('disagreements/disagreement.njk', {
      child: v.case,
      view: disagreementPageView(v),
      canWrite: can(ctx.actor.roles, 'case:write'),
      done: done ? DISAGREEMENT_DONE[req.query.done as DisagreementStep] : null,
      backLinkHref: `/cases/${v.case.requestId}/disagreements`,
    });
  });

  async function renderStep(
    req: Request,
    res: Response,
    step: DisagreementStep,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; stamp?: FormStamp; stale?: unknown },
  ) {
    const ctx = requestContext(req);
    const v = await services.disagreements.view(ctx, req.params.disagreementId as string);
    if (!v.steps.includes(step) && status === 200) throw new NotFoundError(`step ${step} is not open`, true);
    res.status(status).render('disagreements/step.njk', {
      child: v.case,
      step,
      page: STEP_PAGES[step],
      stamp: state.stamp ?? { version: v.row.version, submissionKey: randomUUID() },
      values: state.values,
      errors: state.errors,
      stale: state.stale,
      outcomes: Object.entries(TRIBUNAL_OUTCOMES).map(([value, text]) => ({
        value,
        text,
        checked: state.values.outcome === value,
      })),
      // Only what the Tribunal can order on an appeal about this decision.
      orders: [
        { value: '', text: 'Select what the council must do' },
        ...ORDERS_FOR[v.record.about].map((value) => ({
          value,
          text: TRIBUNAL_ORDER_NAMES[value],
          selected: state.values.order === value,
        })),
      ],
      agreementKinds: Object.entries(AGREEMENT_KINDS).map(([value, kind]) => ({
        value,
        text: `${kind.name}: within ${kind.weeks} weeks`,
        checked: state.values.agreementKind === value,
      })),
      orderSteps: v.orderStepsOpen.map((s) => ({
        value: s,
        text: ORDER_STEP_NAMES[s],
        checked: state.values.orderStep === s,
      })),
      backLinkHref: `/disagreements/${v.row.id}`,
    });
  }

  for (const step of DISAGREEMENT_STEPS) {
    const url = `/disagreements/:disagreementId/${step}`;
    router.get(url, requirePermission('case:write'), noStore, async (req, res) => {
      await renderStep(req, res, step, 200, { values: {}, errors: [] });
    });
    router.post(url, requirePermission('case:write'), noStore, async (req, res) => {
      const body = (req.body ?? {}) as Body;
      const ctx = requestContext(req);
      const keptStamp = sentStamp(body);
      const id = req.params.disagreementId as string;
      const parsed = readDisagreementStep(step, body);
      if (!parsed.input || parsed.errors.length) {
        await renderStep(req, res, step, 400, { values: parsed.values, errors: parsed.errors, stamp: keptStamp });
        return;
      }
      const { stamp, fields } = parsed.input;
      const outcome = await attempt(() => services.disagreements.record(ctx, id, stamp, fields), {
        dateFields: DISAGREEMENT_DATE_FIELDS,
        what: 'this disagreement',
      });
      if (outcome.ok) {
        res.redirect(303, `/disagreements/${id}?done=${step}`);
        return;
      }
      const f = outcome.failure;
      await renderStep(req, res, step, f.status, {
        values: parsed.values,
        errors: f.errors,
        stale: f.stale,
        stamp: f.version == null ? keptStamp : { version: f.version, submissionKey: keptStamp.submissionKey },
      });
    });
  }

  return router;
}

const LIST_DUTY_NAMES: Record<string, string> = {
  hold_mediation: 'Mediation to take place',
  issue_mediation_certificate: 'Issue the mediation certificate',
  carry_out_mediation_agreement: 'Do what was agreed at mediation',
};
function dutyName(duty: string): string {
  if (duty.startsWith('tribunal:')) return ORDER_STEP_NAMES[duty.slice('tribunal:'.length)] ?? duty;
  return LIST_DUTY_NAMES[duty.replace(/:\d+$/, '')] ?? duty;
}
