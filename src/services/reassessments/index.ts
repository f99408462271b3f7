/**
 * Reassessments as casework (CFA s.44(2), (3); SEND Regulations 2014 regs 24-27): the open reassessments by their
 * next deadline, one plan's reassessment page, each step of it, and what the family is told. Every read checks the
 * one permission and is audited before anything is returned; every step runs in one transaction
 * (services/useCase.ts): the permission, the plan locked, a double post found and ignored, a stale form refused, the
 * domain's refusals, then the reassessment, the plan (a new version and its review dates when the reassessed plan is
 * issued), the timeline event and the audit record written together (nothing half-saved).
 */
import type { FormStamp } from '../casework/types.js';
import type { Database } from '../../data/db.js';
import { pgErrorCode } from '../../data/db.js';
import { familyRelationship } from '../../data/repositories/family.js';
import { planOfRequest } from '../../data/repositories/ceasings.js';
import {
  listOpenReassessments,
  listPlanReassessments,
  movePlanAtVersion,
  reassessmentRecord,
  saveReassessment,
  type ReassessmentListRow,
  type StoredReassessment,
} from '../../data/repositories/reassessments.js';
import {
  appendPlanVersion,
  getReviewPlan,
  insertReviewEvent,
  listPlanVersions,
  reviewEvents,
  reviewSubmissionSaved,
  type ReviewPlanRow,
} from '../../data/repositories/reviews.js';
import { reviewDue } from '../../domain/casework/annualReview.js';
import { readPlanContent } from '../../domain/casework/planContent.js';
import {
  adviceDue,
  applyReassessmentStep,
  checkReassessmentStep,
  draftCommentsEnd,
  lastAssessmentDate,
  openReassessmentSteps,
  reassessmentDuties,
  reassessmentNextDeadline,
  reassessmentNextStep,
  reassessmentOpen,
  refusalAppealDates,
  sixMonthsPassedOn,
  withinSixMonths,
  type ReassessedPlan,
  type ReassessmentDuty,
  type ReassessmentRecord,
  type ReassessmentStep,
  type ReassessmentStepInput,
} from '../../domain/casework/reassessment.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { auditAction } from '../auditTrail.js';
import type { CalendarHolder } from '../calendar.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';

export type { FormStamp } from '../casework/types.js';

export const REASSESSMENTS_PAGE_SIZE = 25;

/** The timeline events of a reassessment (case events naming the plan). */
export const REASSESSMENT_EVENTS: Record<ReassessmentStep, string> = {
  request: 'reassessment_requested',
  decision: 'reassessment_decision',
  advice: 'reassessment_advice',
  draft: 'reassessment_draft_served',
  final: 'reassessed_plan_issued',
  exception: 'reassessment_exception',
};
const EVENT_TYPES = new Set(Object.values(REASSESSMENT_EVENTS));

export interface ReassessmentView {
  plan: ReviewPlanRow;
  today: LocalDate;
  /** The reassessment under way, or the last one (ended), or none. */
  reassessment: (StoredReassessment & { record: ReassessmentRecord }) | null;
  duties: ReassessmentDuty[];
  next: ReturnType<typeof reassessmentNextStep>;
  steps: ReassessmentStep[];
  appeal: ReturnType<typeof refusalAppealDates>;
  commentsEnd: LocalDate | null;
  adviceDue: LocalDate | null;
  /** reg 24(2)(a): the last assessment, and whether a request made today would be within 6 months of it. */
  lastAssessment: LocalDate;
  sixMonthsPassed: LocalDate;
  withinSixMonths: boolean;
  events: Awaited<ReturnType<typeof reviewEvents>>;
}

function planFacts(plan: ReviewPlanRow): ReassessedPlan {
  return {
    firstIssuedDate: plan.firstIssuedDate as LocalDate,
    ceasedDate: plan.ceasedDate as LocalDate | null,
    lastReassessedDate: plan.lastReassessedDate as LocalDate | null,
  };
}

export function createReassessmentService(database: Database, clock: Clock, calendar: CalendarHolder) {
  const { db } = database;

  async function list(ctx: RequestContext, page: number) {
    requirePermission(ctx, 'caseload:view');
    const today = clock.today();
    const at = Math.max(1, page);
    const found = await listOpenReassessments(db, {
      laCode: ctx.actor.laCode,
      today,
      limit: REASSESSMENTS_PAGE_SIZE,
      offset: (at - 1) * REASSESSMENTS_PAGE_SIZE,
    });
    await auditAction(db, ctx, 'list', 'reassessments', null, {
      page: at,
      childIds: found.rows.map((r) => r.childId),
    });
    return {
      items: found.rows.map((r: ReassessmentListRow) => ({ ...r, overdue: r.nextDue !== null && r.nextDue < today })),
      total: found.total,
      overdue: found.overdue,
      page: at,
      pageCount: Math.max(1, Math.ceil(found.total / REASSESSMENTS_PAGE_SIZE)),
      today,
    };
  }

  async function view(ctx: RequestContext, planId: string): Promise<ReassessmentView> {
    requirePermission(ctx, 'case:read_any');
    const laCode = ctx.actor.laCode;
    const today = clock.today();
    const plan = isUuid(planId) ? await getReviewPlan(db, laCode, planId) : undefined;
    if (!plan || plan.firstIssuedDate === null) {
      await auditAction(db, ctx, 'read_denied', 'plan_reassessment', planId.slice(0, 64));
      throw new NotFoundError(planId, true);
    }
    const [stored, events] = await Promise.all([
      listPlanReassessments(db, laCode, plan.id),
      reviewEvents(db, laCode, plan.childId, plan.id),
    ]);
    const latest = stored[0] ?? null;
    const reassessment = latest ? { ...latest, record: reassessmentRecord(latest) } : null;
    const record = reassessment?.record ?? null;
    const current = record && reassessmentOpen(record) ? record : null;
    const duties = record ? reassessmentDuties(record, today) : [];
    const last = lastAssessmentDate(planFacts(plan));
    await auditAction(db, ctx, 'read', 'plan_reassessment', plan.id, {}, plan.childId);
    return {
      plan,
      today,
      reassessment,
      duties,
      next: reassessmentNextStep(current, duties),
      steps: plan.ceasedDate || plan.status !== 'active' ? [] : openReassessmentSteps(current),
      appeal: record ? refusalAppealDates(record, calendar.current()) : null,
      commentsEnd: record ? draftCommentsEnd(record) : null,
      adviceDue: record ? adviceDue(record) : null,
      lastAssessment: last,
      sixMonthsPassed: sixMonthsPassedOn(last),
      withinSixMonths: withinSixMonths({ receivedDate: today, lastAssessmentDate: last }),
      events: events.filter((e) => EVENT_TYPES.has(e.type)),
    };
  }

  async function record(
    ctx: RequestContext,
    planId: string,
    stamp: FormStamp,
    input: ReassessmentStepInput,
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
          throw new RuleError([{ field: '', text: 'Only an issued plan that is maintained can be reassessed' }]);
        }
        const facts = planFacts(plan);
        const all = await listPlanReassessments(tx, laCode, plan.id);
        const open = all.find((r) => r.status === 'open') ?? null;
        const before = open ? reassessmentRecord(open) : null;
        const errors = checkReassessmentStep(facts, before, input, today);
        if (errors.length) throw new RuleError(errors);
        const after = applyReassessmentStep(before, input, facts);
        const status = after.finalIssuedDate ? 'completed' : after.decision === 'not_reassess' ? 'refused' : 'open';
        const next = status === 'open' ? reassessmentNextDeadline(reassessmentDuties(after, today)) : null;
        let finalVersionId: string | undefined;
        let planChange: Parameters<typeof movePlanAtVersion>[4] = null;
        if (input.step === 'final') {
          // reg 27(1): the plan amended or replaced: a new version of it, issued on the day.
          const versions = await listPlanVersions(tx, laCode, plan.id);
          const current = readPlanContent(versions.find((v) => v.kind === 'final')?.content ?? {});
          finalVersionId = await appendPlanVersion(tx, {
            laCode,
            planId: plan.id,
            kind: 'final',
            issuedDate: input.finalIssuedDate,
            content: current as unknown as Record<string, unknown>,
            createdBy: ctx.actor.userId,
          });
          // The reassessed plan starts the 12 months to its next review (annualReview.ts reviewDue).
          const due = reviewDue(
            {
              ...facts,
              lastReviewDate: plan.lastReviewDate as LocalDate | null,
              lastReassessedDate: input.finalIssuedDate,
            },
            plan.dateOfBirth as LocalDate,
          );
          planChange = {
            lastReassessedDate: input.finalIssuedDate,
            reviewDueDate: due.due,
            reviewDueRule: due.rule,
            reviewNextDuty: 'complete_annual_review',
            reviewNextDue: due.due,
          };
        }
        const id = await saveReassessment(
          tx,
          { laCode, planId: plan.id, childId: plan.childId },
          open?.id ?? null,
          after,
          {
            status,
            nextDuty: next?.duty ?? null,
            nextDue: next?.due ?? null,
            ...(input.step === 'decision' && input.decision === 'not_reassess'
              ? { refusalReason: input.refusalReason.trim() }
              : {}),
            ...(finalVersionId ? { finalVersionId } : {}),
          },
        );
        const moved = await movePlanAtVersion(tx, laCode, plan.id, plan.version, planChange);
        if (!moved) throw new StaleFormError({ changes: [], by: null, at: null, version: null });
        await insertReviewEvent(tx, {
          laCode,
          childId: plan.childId,
          actorId: ctx.actor.userId,
          type: REASSESSMENT_EVENTS[input.step],
          occurredOn: stepDate(input),
          data: { ...eventData(input), planId: plan.id, reassessmentId: id },
          submissionKey: stamp.submissionKey,
        });
        await frame.audit('write', 'plan_reassessment', plan.id, { step: input.step }, plan.childId);
        return { saved: true };
      });
    } catch (err) {
      if (err instanceof NotFoundError) {
        await auditAction(db, ctx, 'write_denied', 'plan_reassessment', planId.slice(0, 64));
        err.audited = true;
      }
      // Two submissions of one form raced past the check: the unique key refused the second. It was saved once.
      if (pgErrorCode(err) === '23505' && (await reviewSubmissionSaved(db, ctx.actor.laCode, stamp.submissionKey))) {
        return { saved: false };
      }
      throw err;
    }
  }

  /**
   * What the family (the parent, or the young person) is told of a reassessment of the plan made from their request:
   * the request, the decision and its date, and what happens next. Null when there has been none. Only for a child the
   * person is linked to (else not found, audited as denied); each read is audited.
   */
  async function forFamily(ctx: RequestContext, requestId: string): Promise<FamilyReassessment | null> {
    requirePermission(ctx, 'case:read_own_child');
    const laCode = ctx.actor.laCode;
    const plan = isUuid(requestId) ? await planOfRequest(db, laCode, requestId) : undefined;
    if (plan && !ctx.actor.childIds.includes(plan.childId)) {
      await auditAction(db, ctx, 'read_denied', 'plan_reassessment', requestId.slice(0, 64));
      throw new NotFoundError(requestId, true);
    }
    if (!plan) return null;
    const [latest] = await listPlanReassessments(db, laCode, plan.id);
    if (!latest) return null;
    const record = reassessmentRecord(latest);
    const today = clock.today();
    const relationship = await familyRelationship(db, laCode, ctx.actor.userId, plan.childId);
    await auditAction(db, ctx, 'read', 'plan_reassessment', plan.id, { family: true }, plan.childId);
    return {
      requestId,
      givenName: plan.givenName,
      audience: relationship === 'young_person' ? 'young_person' : 'parent',
      record,
      refusalReason: latest.refusalReason,
      duties: reassessmentDuties(record, today),
      appeal: refusalAppealDates(record, calendar.current()),
      commentsEnd: draftCommentsEnd(record),
      today,
    };
  }

  return { list, view, record, forFamily };
}

/** A reassessment as the family reads it (web/features/reassessments/familyWords.ts puts it in plain words). */
export interface FamilyReassessment {
  requestId: string;
  givenName: string;
  audience: 'parent' | 'young_person';
  record: ReassessmentRecord;
  refusalReason: string | null;
  duties: ReassessmentDuty[];
  appeal: ReturnType<typeof refusalAppealDates>;
  commentsEnd: LocalDate | null;
  today: LocalDate;
}

/** The day a step's event happened on the timeline. */
function stepDate(input: ReassessmentStepInput): LocalDate {
  switch (input.step) {
    case 'request':
      return input.receivedDate;
    case 'decision':
      return input.decisionDate;
    case 'advice':
      return input.adviceRequestedDate;
    case 'draft':
      return input.draftServedDate;
    case 'final':
      return input.finalIssuedDate;
    case 'exception':
      return input.from;
  }
}

/** What the timeline keeps of a step (codes and dates only: never the council's written reasons). */
function eventData(input: ReassessmentStepInput): Record<string, unknown> {
  switch (input.step) {
    case 'request':
      return { requestedBy: input.requestedBy };
    case 'decision':
      return { outcome: input.decision, ground: input.refusalGround };
    case 'advice':
      return { requested: input.adviceRequested, received: input.adviceReceived };
    case 'final':
      return { familyResponded: input.familyResponded };
    case 'exception':
      return { reason: input.reason, to: input.to };
    default:
      return {};
  }
}
