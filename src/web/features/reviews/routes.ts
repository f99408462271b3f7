/**
 * Annual reviews in the browser: the reviews list (every active plan's next review deadline, weeks ahead, overdue
 * first), one plan's review page with the clock's dates and what to do next, and one GOV.UK form per step. The view
 * models here decide every word and date a page states; the templates format them.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import {
  REVIEW_ADVICE_FROM,
  REVIEW_DECISION_NAMES,
  REVIEW_DUE_RULE_NAMES,
  REVIEW_STEPS,
  type ReviewStep,
} from '../../../domain/casework/annualReview.js';
import { SECTION_NAMES, TEXT_SECTIONS, type PlanContent } from '../../../domain/casework/planContent.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import { isUuid } from '../../../domain/identifiers/uuid.js';
import { can } from '../../../domain/access/roles.js';
import { NotFoundError } from '../../../services/errors.js';
import type { Services } from '../../../services/index.js';
import {
  REVIEWS_DEFAULT_WEEKS,
  REVIEWS_MAX_WEEKS,
  type FormStamp,
  type ReviewView,
} from '../../../services/reviews/index.js';
import { attempt } from '../../formFailures.js';
import type { Body, FormError } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { pageSummary, paginationItems } from '../../pagination.js';
import { comparePlans } from '../casework/planCompare.js';
import { STATUS_TAGS, type StatedDate } from '../casework/caseFacts.js';
import { sentStamp } from '../casework/validation.js';
import { REVIEW_DATE_FIELDS, readReviewStep } from './validation.js';

const long = (d: string) => formatLongDate(d as LocalDate);
const stated = (duty: string, iso: string): StatedDate => ({ duty, iso, text: long(iso) });

/** Each step's page: its heading, and the legal rule it states above the form. */
const STEP_PAGES: Record<ReviewStep, { title: string; rule: string }> = {
  arrange: {
    title: 'Arrange the review meeting',
    rule: 'Invitations must go at least 2 weeks before the meeting (SEND Regulations 2014 reg 20(3)).',
  },
  advice: {
    title: 'Advice for the review',
    rule: 'Ask the school and professionals for advice, and send it to everyone invited at least 2 weeks before the meeting (reg 20(4)).',
  },
  held: { title: 'Review meeting held', rule: 'Record the date the meeting took place.' },
  report: {
    title: 'Review report sent',
    rule: 'The report of the meeting goes to everyone invited within 2 weeks of the meeting (reg 20(7)).',
  },
  decision: {
    title: 'Review decision',
    rule: 'The family is told whether the plan will be kept, amended or ceased within 4 weeks of the meeting (reg 20(10)). When amending, the proposed amendments go with the notice (R (L, M and P) v Devon CC [2022]) and the family has at least 15 days to comment (reg 22(2)(c)).',
  },
  outcome: {
    title: 'Amended plan or notice of not amending',
    rule: 'The amended plan, or a notice that the plan will not be amended, within 8 weeks of the amendment notice (reg 22(3), (4)).',
  },
};

export const REVIEW_DONE: Record<ReviewStep, string> = {
  arrange: 'Review meeting arranged and invitations recorded.',
  advice: 'Advice for the review recorded.',
  held: 'Review meeting recorded as held.',
  report: 'Review report recorded as sent.',
  decision: 'Review decision recorded. The plan’s next review is due 12 months from it.',
  outcome: 'Recorded. The review is complete.',
};

/** The review page's view model: every fact and date it states. */
export function reviewPageView(v: ReviewView) {
  const finals = v.versions.filter((x) => x.kind === 'final');
  const proposal = v.review?.proposalVersionId ? v.versions.find((x) => x.id === v.review!.proposalVersionId) : null;
  const changedOnly = (before: PlanContent, after: PlanContent) => comparePlans(before, after).filter((s) => s.changed);
  const lastAmended = v.past.find((r) => r.amendedVersionId);
  const amendedVersion = lastAmended ? v.versions.find((x) => x.id === lastAmended.amendedVersionId) : undefined;
  const beforeAmended = amendedVersion ? finals.find((x) => x.versionNo < amendedVersion.versionNo) : undefined;
  return {
    facts: [
      { key: { text: 'Plan first issued' }, value: { text: long(v.plan.firstIssuedDate!) } },
      {
        key: { text: 'Last reviewed' },
        value: { text: v.plan.lastReviewDate ? long(v.plan.lastReviewDate) : 'Not reviewed yet' },
      },
      { key: { text: 'Review due by' }, value: { html: '' }, due: stated('review_due', v.due.due) },
      { key: { text: 'Rule' }, value: { text: REVIEW_DUE_RULE_NAMES[v.due.rule] } },
      { key: { text: 'Caseworker' }, value: { text: v.plan.caseworkerName ?? 'Not assigned' } },
    ],
    underFive:
      v.due.rule === 'cop_9_178'
        ? `The law (Children and Families Act 2014 s.44(1)) sets the latest date: ${long(v.due.statutoryDue)}.`
        : null,
    next: v.next
      ? {
          text: v.next.text,
          // Before the meeting is arranged, the review is due by its rule's date (for a child under 5, CoP 9.178's
          // 6 months come before the law's 12); after, by the clock's duty for the step.
          due:
            v.next.step === 'arrange'
              ? stated('review_due', v.due.due)
              : v.next.due
                ? stated(dutyOfStep(v.next.step), v.next.due)
                : null,
          overdue: v.next.step === 'arrange' ? v.due.due < v.today : v.next.overdue,
          href: `/reviews/${v.plan.id}/${v.next.step}`,
        }
      : null,
    duties: v.duties.map((d) => ({
      name: d.name,
      due: stated(d.id, d.due),
      done: d.completed ? long(d.completed) : 'Not yet',
      tag: STATUS_TAGS[d.status],
      basis: d.basis,
    })),
    steps: v.steps.map((s) => ({ href: `/reviews/${v.plan.id}/${s}`, text: STEP_PAGES[s].title })),
    commentsEnd: v.commentsEnd ? long(v.commentsEnd) : null,
    meeting: v.review?.meetingHeldDate
      ? `Held on ${long(v.review.meetingHeldDate)}`
      : v.review?.meetingDate
        ? `Arranged for ${long(v.review.meetingDate)}`
        : 'Not arranged yet',
    decision: v.review?.decision
      ? REVIEW_DECISION_NAMES[v.review.decision as keyof typeof REVIEW_DECISION_NAMES]
      : null,
    proposal:
      proposal && finals[0]
        ? { sections: changedOnly(finals[0].content, proposal.content), issued: long(proposal.issuedDate!) }
        : null,
    amended:
      amendedVersion && beforeAmended
        ? {
            versionNo: amendedVersion.versionNo,
            issued: long(amendedVersion.issuedDate!),
            previousNo: beforeAmended.versionNo,
            sections: changedOnly(beforeAmended.content, amendedVersion.content),
          }
        : null,
    past: v.past.map((r) => ({
      cycleStart: long(r.cycleStart),
      meeting: r.meetingHeldDate ? long(r.meetingHeldDate) : 'None recorded',
      decision: r.decision ? REVIEW_DECISION_NAMES[r.decision as keyof typeof REVIEW_DECISION_NAMES] : 'None',
      decided: r.decisionDate ? long(r.decisionDate) : '',
      completed: r.completedDate ? long(r.completedDate) : '',
    })),
    // Ceasing the plan (CFA s.45; regs 29-31) has its own page: from a review's decision to cease, or at any time.
    cease: {
      href: `/plans/${v.plan.id}/cease`,
      text:
        v.review?.decision === 'cease' || v.past[0]?.decision === 'cease'
          ? 'The review decided to cease the plan: consult the family and the school, then send the decision notice'
          : 'Ceasing the plan',
    },
    // A move to another council (SEND Regulations 2014 reg 15) has its own page: web/features/moves.
    move: { href: `/plans/${v.plan.id}/move`, text: 'Moving to another council' },
    events: v.events.map((e) => ({
      title: EVENT_NAMES[e.type] ?? e.type,
      date: long(e.occurredOn),
      by: e.actorName,
    })),
  };
}

/** The clock's duty a step completes (for the date "what to do next" states). */
function dutyOfStep(step: ReviewStep): string {
  return {
    arrange: 'complete_annual_review',
    advice: 'send_review_invitations',
    held: 'review_meeting',
    report: 'send_review_report',
    decision: 'notify_review_decision',
    outcome: 'issue_amended_plan',
  }[step];
}

const EVENT_NAMES: Record<string, string> = {
  review_invitations_sent: 'Review meeting arranged, invitations sent',
  review_advice_requested: 'Advice asked for',
  review_meeting: 'Review meeting held',
  review_report_sent: 'Review report sent',
  review_decision: 'Review decision told to the family',
  amended_plan_issued: 'Amended plan issued',
  notice_of_not_amending: 'Notice of not amending sent',
  phase_transfer_plan_finalised: 'Phase transfer: amended plan naming the next setting finalised',
};

/** The list's query: weeks ahead (1 to 52), a caseworker, a page. Anything else is a 400 the user is told about. */
function parseListQuery(query: Record<string, unknown>) {
  const errors: FormError[] = [];
  const one = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined);
  const weeksRaw = one('weeks') ?? String(REVIEWS_DEFAULT_WEEKS);
  const pageRaw = one('page') ?? '1';
  const caseworker = one('caseworker') || undefined;
  for (const name of ['weeks', 'page', 'caseworker']) {
    if (Array.isArray(query[name])) errors.push({ text: `Use "${name}" only once in the address`, href: '#' });
  }
  if (!/^\d{1,2}$/.test(weeksRaw) || Number(weeksRaw) < 1 || Number(weeksRaw) > REVIEWS_MAX_WEEKS)
    errors.push({ text: `Weeks ahead must be a whole number from 1 to ${REVIEWS_MAX_WEEKS}`, href: '#weeks' });
  if (!/^\d{1,6}$/.test(pageRaw) || Number(pageRaw) < 1)
    errors.push({ text: 'Page must be a whole number from 1', href: '#' });
  if (caseworker && !isUuid(caseworker))
    errors.push({ text: 'Caseworker must be a caseworker from the list', href: '#caseworker' });
  return { weeks: Number(weeksRaw), page: Number(pageRaw), caseworker, errors };
}

export function reviewRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { planId: 'plan_review' });

  router.get('/reviews', requirePermission('caseload:view'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const q = parseListQuery(req.query);
    if (q.errors.length) {
      res.status(400).render('errors/bad-request.njk', { errors: q.errors, backHref: '/reviews' });
      return;
    }
    const list = await services.reviews.list(ctx, q);
    if (q.caseworker && !list.caseworkers.some((c) => c.id === q.caseworker)) {
      const unknown = [{ text: 'Caseworker must be a caseworker from the list', href: '#' }];
      res.status(400).render('errors/bad-request.njk', { errors: unknown, backHref: '/reviews' });
      return;
    }
    const href = (page: number) =>
      `/reviews?weeks=${q.weeks}${q.caseworker ? `&caseworker=${q.caseworker}` : ''}&page=${page}`;
    res.render('reviews/reviews.njk', {
      list,
      weeks: q.weeks,
      until: long(list.until),
      items: list.items.map((i) => ({
        href: `/reviews/${i.planId}`,
        child: `${i.familyName}, ${i.givenName}`,
        reference: i.childReference,
        next: i.reviewNextDue ? { name: i.nextDutyName, due: stated(i.reviewNextDuty!, i.reviewNextDue) } : null,
        overdue: i.overdue,
        reviewDue: i.reviewDueDate ? long(i.reviewDueDate) : '',
        rule: i.reviewDueRule === 'cop_9_178' ? 'under 5, CoP 9.178' : '12 months, CFA s.44(1)',
        stage: i.decision
          ? `Decided: ${REVIEW_DECISION_NAMES[i.decision as keyof typeof REVIEW_DECISION_NAMES].toLowerCase()}`
          : i.meetingDate
            ? `Meeting ${long(i.meetingDate)}`
            : 'Not started',
        caseworker: i.caseworkerName ?? 'Not assigned',
      })),
      caseworkers: [
        { value: '', text: 'Anyone' },
        ...list.caseworkers.map((c) => ({ value: c.id, text: c.name, selected: c.id === q.caseworker })),
      ],
      pagination: paginationItems(list.page, list.pageCount, href),
      shown: pageSummary(list.page, list.pageSize, list.total),
    });
  });

  router.get('/reviews/:planId', requirePermission('case:read_any'), noStore, async (req, res) => {
    const ctx = requestContext(req);
    const v = await services.reviews.view(ctx, req.params.planId as string);
    const done = typeof req.query.done === 'string' && (REVIEW_STEPS as readonly string[]).includes(req.query.done);
    res.render('reviews/review.njk', {
      plan: v.plan,
      view: reviewPageView(v),
      canWrite: can(ctx.actor.roles, 'case:write'),
      done: done ? REVIEW_DONE[req.query.done as ReviewStep] : null,
    });
  });

  async function renderStep(
    req: Request,
    res: Response,
    step: ReviewStep,
    status: number,
    state: { values: Record<string, unknown>; errors: FormError[]; stamp?: FormStamp; stale?: unknown },
  ) {
    const ctx = requestContext(req);
    const v = await services.reviews.view(ctx, req.params.planId as string);
    if (!v.steps.includes(step) && status === 200) throw new NotFoundError(`step ${step} is not open`, true);
    const current = v.versions.find((x) => x.kind === 'final')?.content;
    res.status(status).render('reviews/step.njk', {
      plan: v.plan,
      step,
      page: STEP_PAGES[step],
      stamp: state.stamp ?? { version: v.plan.version, submissionKey: randomUUID() },
      values: state.values,
      errors: state.errors,
      stale: state.stale,
      adviceFrom: Object.entries(REVIEW_ADVICE_FROM).map(([value, text]) => ({
        value,
        text,
        checked: ([] as unknown[]).concat(state.values.adviceFrom ?? []).includes(value),
      })),
      decisions: Object.entries(REVIEW_DECISION_NAMES).map(([value, text]) => ({
        value,
        text,
        checked: state.values.decision === value,
      })),
      sections: TEXT_SECTIONS.map((s) => ({
        name: `section${s}`,
        label: SECTION_NAMES[s],
        value: (state.values[`section${s}`] as string | undefined) ?? current?.[s] ?? '',
      })),
      commentsEnd: v.commentsEnd ? long(v.commentsEnd) : null,
      backLinkHref: `/reviews/${v.plan.id}`,
    });
  }

  for (const step of REVIEW_STEPS) {
    const url = `/reviews/:planId/${step}`;
    router.get(url, requirePermission('case:write'), noStore, async (req, res) => {
      await renderStep(req, res, step, 200, { values: {}, errors: [] });
    });
    router.post(url, requirePermission('case:write'), noStore, async (req, res) => {
      const body = (req.body ?? {}) as Body;
      const ctx = requestContext(req);
      const keptStamp = sentStamp(body);
      const v = await services.reviews.view(ctx, req.params.planId as string);
      const current = v.versions.find((x) => x.kind === 'final')?.content;
      const parsed = readReviewStep(step, body, current ?? emptyText());
      if (!parsed.input || parsed.errors.length) {
        await renderStep(req, res, step, 400, { values: parsed.values, errors: parsed.errors, stamp: keptStamp });
        return;
      }
      const { stamp, fields } = parsed.input;
      const outcome = await attempt(() => services.reviews.record(ctx, v.plan.id, stamp, fields), {
        dateFields: REVIEW_DATE_FIELDS,
        what: 'this review',
      });
      if (outcome.ok) {
        res.redirect(303, `/reviews/${v.plan.id}?done=${step}`);
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

function emptyText() {
  return Object.fromEntries(TEXT_SECTIONS.map((s) => [s, ''])) as Record<(typeof TEXT_SECTIONS)[number], string>;
}
