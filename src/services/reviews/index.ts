/**
 * Annual reviews as casework (CFA s.44; SEND Regulations 2014 regs 18-22): the reviews list, one plan's review, and
 * each step of it. Every read checks the one permission and is audited before anything is returned; every step runs
 * in one transaction (services/useCase.ts): the permission, the plan locked, a double post found and ignored, a stale
 * form refused, the domain's refusals, then the review, the plan's review dates, the timeline event and the audit
 * record written together (nothing half-saved).
 */
import type { FormStamp } from '../casework/types.js';
import type { Database, Db } from '../../data/db.js';
import { pgErrorCode } from '../../data/db.js';
import {
  appendPlanVersion,
  fillMissingReviewDates,
  getReviewPlan,
  insertReview,
  insertReviewEvent,
  listPlanReviews,
  listPlanVersions,
  listReviews,
  reviewEvents,
  reviewRecord,
  reviewSubmissionSaved,
  updatePlanAtVersion,
  updateReview,
  type ReviewListRow,
  type ReviewPatch,
  type ReviewPlanRow,
  type StoredReview,
} from '../../data/repositories/reviews.js';
import { listCaseworkers } from '../../data/repositories/cases.js';
import {
  REVIEW_LIST_DUTY_NAMES,
  amendmentCommentsEnd,
  checkReviewStep,
  openSteps,
  planReviewDeadline,
  reviewCompleted,
  reviewDue,
  reviewDuties,
  reviewNextStep,
  emptyReview,
  type ReviewDecision,
  type ReviewDuty,
  type ReviewRecord,
  type ReviewStep,
  type ReviewStepInput,
} from '../../domain/casework/annualReview.js';
import { readPlanContent, type PlanContent, type TextSection } from '../../domain/casework/planContent.js';
import { addDays, type LocalDate } from '../../domain/dates/localDate.js';
import { DAYS_IN_WEEK } from '../../domain/statutory/periods.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { auditAction } from '../auditTrail.js';
import type { CalendarHolder } from '../calendar.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';

export const REVIEWS_PAGE_SIZE = 25;
/** How far ahead the list looks by default, and the most it may (a year of reviews). */
export const REVIEWS_DEFAULT_WEEKS = 8;
export const REVIEWS_MAX_WEEKS = 52;

export interface ReviewListOptions {
  caseworker?: string | undefined;
  weeks: number;
  page: number;
}

export interface ReviewListItem extends ReviewListRow {
  nextDutyName: string | null;
  overdue: boolean;
}

export type { FormStamp } from '../casework/types.js';

/** The step forms' inputs: the domain's, with the proposed amendments' text when amending. */
export type ReviewStepForm =
  | Exclude<ReviewStepInput, { step: 'decision' }>
  | {
      step: 'decision';
      decision: ReviewDecision;
      decisionDate: LocalDate;
      /** The sections' new text (only those the caseworker changed are amendments). */
      amendments: Partial<Record<TextSection, string>>;
    };

export interface ReviewView {
  plan: ReviewPlanRow;
  today: LocalDate;
  due: ReturnType<typeof reviewDue>;
  /** The review in progress (or, between reviews, none: the next one is opened by its first step). */
  review: (StoredReview & { record: ReviewRecord }) | null;
  duties: ReviewDuty[];
  next: ReturnType<typeof reviewNextStep>;
  steps: ReviewStep[];
  commentsEnd: LocalDate | null;
  past: StoredReview[];
  versions: { id: string; versionNo: number; kind: string; issuedDate: string | null; content: PlanContent }[];
  events: Awaited<ReturnType<typeof reviewEvents>>;
}

/** What a step writes to the review, and its timeline event's type and data. */
interface StepWrite {
  patch: ReviewPatch;
  event: { type: string; occurredOn: LocalDate; data: Record<string, unknown> };
}

function stepWrite(input: ReviewStepForm): StepWrite {
  switch (input.step) {
    case 'arrange':
      return {
        patch: { meetingDate: input.meetingDate, invitationsSentDate: input.invitationsSentDate },
        event: {
          type: 'review_invitations_sent',
          occurredOn: input.invitationsSentDate,
          data: { meetingDate: input.meetingDate },
        },
      };
    case 'advice':
      return {
        patch: {
          adviceRequestedDate: input.adviceRequestedDate,
          adviceFrom: input.adviceFrom,
          adviceCirculatedDate: input.adviceCirculatedDate,
        },
        event: {
          type: 'review_advice_requested',
          occurredOn: input.adviceRequestedDate,
          data: { adviceFrom: input.adviceFrom, circulatedDate: input.adviceCirculatedDate },
        },
      };
    case 'held':
      return {
        patch: { meetingHeldDate: input.meetingHeldDate },
        event: { type: 'review_meeting', occurredOn: input.meetingHeldDate, data: {} },
      };
    case 'report':
      return {
        patch: { reportSentDate: input.reportSentDate },
        event: { type: 'review_report_sent', occurredOn: input.reportSentDate, data: {} },
      };
    case 'decision':
      return {
        patch: { decision: input.decision, decisionDate: input.decisionDate },
        event: { type: 'review_decision', occurredOn: input.decisionDate, data: { outcome: input.decision } },
      };
    case 'outcome':
      return {
        patch: { outcome: input.outcome, outcomeDate: input.outcomeDate },
        event: {
          type: input.outcome === 'amended' ? 'amended_plan_issued' : 'notice_of_not_amending',
          occurredOn: input.outcomeDate,
          data: { familyResponded: input.familyResponded },
        },
      };
  }
}

export function createReviewService(database: Database, clock: Clock, calendar: CalendarHolder) {
  const { db } = database;

  async function list(
    ctx: RequestContext,
    options: ReviewListOptions,
  ): Promise<{
    items: ReviewListItem[];
    total: number;
    overdue: number;
    until: LocalDate;
    page: number;
    pageCount: number;
    pageSize: number;
    caseworkers: { id: string; name: string }[];
  }> {
    requirePermission(ctx, 'caseload:view');
    const today = clock.today();
    const until = addDays(today, options.weeks * DAYS_IN_WEEK);
    const page = Math.max(1, options.page);
    const [found, caseworkers] = await Promise.all([
      listReviews(db, {
        laCode: ctx.actor.laCode,
        caseworkerId: options.caseworker,
        today,
        until,
        limit: REVIEWS_PAGE_SIZE,
        offset: (page - 1) * REVIEWS_PAGE_SIZE,
      }),
      listCaseworkers(db, ctx.actor.laCode),
    ]);
    await auditAction(db, ctx, 'list', 'reviews', null, {
      ...options,
      childIds: found.rows.map((r) => r.childId),
    });
    return {
      items: found.rows.map((r) => ({
        ...r,
        nextDutyName: r.reviewNextDuty ? (REVIEW_LIST_DUTY_NAMES[r.reviewNextDuty] ?? r.reviewNextDuty) : null,
        overdue: r.reviewNextDue !== null && r.reviewNextDue < today,
      })),
      total: found.total,
      overdue: found.overdue,
      until,
      page,
      pageCount: Math.max(1, Math.ceil(found.total / REVIEWS_PAGE_SIZE)),
      pageSize: REVIEWS_PAGE_SIZE,
      caseworkers: caseworkers.map((c) => ({ id: c.userId, name: c.displayName })),
    };
  }

  /** The plan's review as of today, from what is stored. */
  async function reviewState(on: Db, laCode: string, plan: ReviewPlanRow) {
    const due = reviewDue(
      {
        firstIssuedDate: plan.firstIssuedDate as LocalDate,
        lastReviewDate: plan.lastReviewDate as LocalDate | null,
        lastReassessedDate: plan.lastReassessedDate as LocalDate | null,
      },
      plan.dateOfBirth as LocalDate,
    );
    const reviews = await listPlanReviews(on, laCode, plan.id);
    const stored = reviews.find((r) => r.status === 'open') ?? null;
    const review = stored ? { ...stored, record: reviewRecord(stored) } : null;
    return { due, reviews, review };
  }

  async function view(ctx: RequestContext, planId: string): Promise<ReviewView> {
    requirePermission(ctx, 'case:read_any');
    const laCode = ctx.actor.laCode;
    const today = clock.today();
    const plan = isUuid(planId) ? await getReviewPlan(db, laCode, planId) : undefined;
    if (!plan || plan.firstIssuedDate === null) {
      await auditAction(db, ctx, 'read_denied', 'plan_review', planId.slice(0, 64));
      throw new NotFoundError(planId, true);
    }
    const { due, reviews, review } = await reviewState(db, laCode, plan);
    const [versions, events] = await Promise.all([
      listPlanVersions(db, laCode, plan.id),
      reviewEvents(db, laCode, plan.childId, plan.id),
    ]);
    const record: ReviewRecord = review?.record ?? emptyReview(due.cycleStart);
    const duties = reviewDuties(record, today, calendar.current());
    await auditAction(db, ctx, 'read', 'plan_review', plan.id, {}, plan.childId);
    return {
      plan,
      today,
      due,
      review,
      duties,
      next: reviewNextStep(record, duties),
      steps: plan.status === 'active' ? openSteps(record) : [],
      commentsEnd: amendmentCommentsEnd(record),
      past: reviews.filter((r) => r.status !== 'open'),
      versions: versions.map((v) => ({ ...v, content: readPlanContent(v.content) })),
      events,
    };
  }

  async function record(
    ctx: RequestContext,
    planId: string,
    stamp: FormStamp,
    input: ReviewStepForm,
  ): Promise<{ saved: boolean }> {
    try {
      return await runUseCase(database, ctx, 'case:write', async (frame) => {
        const { tx, laCode } = frame;
        const today = clock.today();
        const plan = isUuid(planId) ? await getReviewPlan(tx, laCode, planId, true) : undefined;
        if (!plan || plan.firstIssuedDate === null) throw new NotFoundError(planId);
        if (await reviewSubmissionSaved(tx, laCode, stamp.submissionKey)) return { saved: false };
        if (plan.version !== stamp.version) {
          throw new StaleFormError({ changes: [], by: null, at: null, version: plan.version });
        }
        if (plan.status !== 'active' && plan.ceasedDate === null) {
          throw new RuleError([{ field: '', text: 'Only an issued plan that is maintained can be reviewed' }]);
        }
        const { due, review } = await reviewState(tx, laCode, plan);
        const before = review?.record ?? emptyReview(due.cycleStart);
        const amendedSections = input.step === 'decision' ? Object.keys(input.amendments).length : 0;
        const domainInput: ReviewStepInput =
          input.step === 'decision'
            ? { step: 'decision', decision: input.decision, decisionDate: input.decisionDate, amendedSections }
            : input;
        const errors = checkReviewStep(
          { firstIssuedDate: plan.firstIssuedDate as LocalDate, ceasedDate: plan.ceasedDate as LocalDate | null },
          before,
          domainInput,
          today,
        );
        if (errors.length) throw new RuleError(errors);
        const reviewId =
          review?.id ??
          (await insertReview(tx, { laCode, planId: plan.id, childId: plan.childId, cycleStart: due.cycleStart }));
        const { patch, event } = stepWrite(input);
        const versions = await listPlanVersions(tx, laCode, plan.id);
        const current = readPlanContent(versions.find((v) => v.kind === 'final')?.content ?? {});
        if (input.step === 'decision' && input.decision === 'amend') {
          // Devon: the proposed amendments go with the notice, as a version of the plan the family can read.
          const proposed: PlanContent = { ...current, ...input.amendments };
          patch.proposalVersionId = await appendPlanVersion(tx, {
            laCode,
            planId: plan.id,
            kind: 'amendment_proposal',
            issuedDate: input.decisionDate,
            content: proposed as unknown as Record<string, unknown>,
            createdBy: ctx.actor.userId,
          });
          event.data.amendedSections = Object.keys(input.amendments);
        }
        if (input.step === 'outcome' && input.outcome === 'amended') {
          const proposal = versions.find((v) => v.id === review?.proposalVersionId);
          patch.amendedVersionId = await appendPlanVersion(tx, {
            laCode,
            planId: plan.id,
            kind: 'final',
            issuedDate: input.outcomeDate,
            content: readPlanContent(proposal?.content ?? current) as unknown as Record<string, unknown>,
            createdBy: ctx.actor.userId,
          });
        }
        const after: ReviewRecord = { ...before, ...(patch as Partial<ReviewRecord>) };
        const completed = reviewCompleted(after);
        if (completed) {
          patch.status = 'completed';
          patch.completedDate = after.outcomeDate ?? after.decisionDate;
        }
        await updateReview(tx, laCode, reviewId, patch);
        // The review concludes at its decision notice, which starts the next 12 months (CFA s.44(1)).
        const lastReviewDate = after.decisionDate ?? (plan.lastReviewDate as LocalDate | null);
        const nextDue = reviewDue(
          {
            firstIssuedDate: plan.firstIssuedDate as LocalDate,
            lastReviewDate,
            lastReassessedDate: plan.lastReassessedDate as LocalDate | null,
          },
          plan.dateOfBirth as LocalDate,
        );
        // Once completed, the next review's 12 months are what is due; until then, this review's next duty.
        const deadline = planReviewDeadline(nextDue, completed ? null : after, today, calendar.current());
        const moved = await updatePlanAtVersion(tx, laCode, plan.id, plan.version, {
          ...(after.decisionDate ? { lastReviewDate: after.decisionDate } : {}),
          reviewDueDate: nextDue.due,
          reviewDueRule: nextDue.rule,
          reviewNextDuty: deadline.duty,
          reviewNextDue: deadline.due,
        });
        if (!moved) throw new StaleFormError({ changes: [], by: null, at: null, version: null });
        await insertReviewEvent(tx, {
          laCode,
          childId: plan.childId,
          actorId: ctx.actor.userId,
          type: event.type,
          occurredOn: event.occurredOn,
          data: { ...event.data, planId: plan.id, reviewId },
          submissionKey: stamp.submissionKey,
        });
        await frame.audit('write', 'plan_review', plan.id, { step: input.step, event: event.type }, plan.childId);
        return { saved: true };
      });
    } catch (err) {
      if (err instanceof NotFoundError) {
        await auditAction(db, ctx, 'write_denied', 'plan_review', planId.slice(0, 64));
        err.audited = true;
      }
      // Two submissions of one form raced past the check: the unique key refused the second. It was saved once.
      if (pgErrorCode(err) === '23505' && (await reviewSubmissionSaved(db, ctx.actor.laCode, stamp.submissionKey))) {
        return { saved: false };
      }
      throw err;
    }
  }

  return {
    list,
    view,
    record,
    /** Plans loaded without review dates get them (after a demo load or an import, and at start). */
    fillMissing: (laCode?: string) => fillMissingReviewDates(db, laCode),
  };
}
