/**
 * Ceasing to maintain a plan as casework (CFA s.45; SEND Regulations 2014 regs 29-31): one plan's ceasing page and
 * each step of it. Every read checks the one permission and is audited before anything is returned; every step runs
 * in one transaction (services/useCase.ts): the permission, the plan locked, a double post found and ignored, a stale
 * form refused, the domain's refusals, then the ceasing, the plan (ended only once the family's time to appeal has
 * passed or the Tribunal has dismissed an appeal, s.45(2)), the timeline event and the audit record written together.
 */
import type { FormStamp } from '../casework/types.js';
import type { Database } from '../../data/db.js';
import { pgErrorCode } from '../../data/db.js';
import {
  ceasingRecord,
  endPlanAtVersion,
  listPlanCeasings,
  planOfRequest,
  saveCeasing,
  touchPlanAtVersion,
  type StoredCeasing,
} from '../../data/repositories/ceasings.js';
import { familyRelationship } from '../../data/repositories/family.js';
import {
  getReviewPlan,
  insertReviewEvent,
  listPlanReviews,
  reviewEvents,
  reviewSubmissionSaved,
  type ReviewPlanRow,
} from '../../data/repositories/reviews.js';
import {
  applyCeasingStep,
  ceasingAppealDates,
  ceasingNextStep,
  ceasingOpen,
  checkCeasingStep,
  openCeasingSteps,
  SEN2_CEASE_REASON,
  type CeasingRecord,
  type CeasingStep,
  type CeasingStepInput,
} from '../../domain/casework/ceasing.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { auditAction } from '../auditTrail.js';
import type { CalendarHolder } from '../calendar.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';

export type { FormStamp } from '../casework/types.js';

/** The timeline events of a ceasing (case events naming the plan). */
export const CEASING_EVENTS: Record<CeasingStep, string> = {
  consult: 'ceasing_consulted',
  decision: 'ceasing_decision',
  certificate: 'ceasing_mediation_certificate',
  appeal: 'ceasing_appeal',
  tribunal: 'ceasing_tribunal_decision',
  cease: 'plan_ceased',
};
const EVENT_TYPES = new Set(Object.values(CEASING_EVENTS));

export interface CeasingView {
  plan: ReviewPlanRow;
  today: LocalDate;
  /** The ceasing under way, or the last one (ended), or none. */
  ceasing: (StoredCeasing & { record: CeasingRecord }) | null;
  dates: ReturnType<typeof ceasingAppealDates>;
  next: ReturnType<typeof ceasingNextStep>;
  steps: CeasingStep[];
  /** The date of the last review's decision to cease, when that is where this began. */
  reviewCease: LocalDate | null;
  events: Awaited<ReturnType<typeof reviewEvents>>;
}

export function createCeasingService(database: Database, clock: Clock, calendar: CalendarHolder) {
  const { db } = database;

  async function view(ctx: RequestContext, planId: string): Promise<CeasingView> {
    requirePermission(ctx, 'case:read_any');
    const laCode = ctx.actor.laCode;
    const today = clock.today();
    const plan = isUuid(planId) ? await getReviewPlan(db, laCode, planId) : undefined;
    if (!plan || plan.firstIssuedDate === null) {
      await auditAction(db, ctx, 'read_denied', 'plan_ceasing', planId.slice(0, 64));
      throw new NotFoundError(planId, true);
    }
    const [ceasings, reviews, events] = await Promise.all([
      listPlanCeasings(db, laCode, plan.id),
      listPlanReviews(db, laCode, plan.id),
      reviewEvents(db, laCode, plan.childId, plan.id),
    ]);
    const stored = ceasings[0] ?? null;
    const ceasing = stored ? { ...stored, record: ceasingRecord(stored) } : null;
    // A new ceasing may begin only when none is open.
    const current = ceasing && ceasingOpen(ceasing.record) ? ceasing.record : null;
    const cal = calendar.current();
    const lastCease = reviews.find((r) => r.decision === 'cease' && r.decisionDate);
    await auditAction(db, ctx, 'read', 'plan_ceasing', plan.id, {}, plan.childId);
    return {
      plan,
      today,
      ceasing,
      dates: ceasing ? ceasingAppealDates(ceasing.record, cal) : null,
      next: plan.ceasedDate ? null : ceasingNextStep(current, cal),
      steps: plan.ceasedDate || plan.status !== 'active' ? [] : openCeasingSteps(current, cal, today),
      reviewCease: (lastCease?.decisionDate as LocalDate | undefined) ?? null,
      events: events.filter((e) => EVENT_TYPES.has(e.type)),
    };
  }

  async function record(
    ctx: RequestContext,
    planId: string,
    stamp: FormStamp,
    input: CeasingStepInput,
  ): Promise<{ saved: boolean; ceasedDate: LocalDate | null }> {
    try {
      return await runUseCase(database, ctx, 'case:write', async (frame) => {
        const { tx, laCode } = frame;
        const today = clock.today();
        const cal = calendar.current();
        const plan = isUuid(planId) ? await getReviewPlan(tx, laCode, planId, true) : undefined;
        if (!plan || plan.firstIssuedDate === null) throw new NotFoundError(planId);
        if (await reviewSubmissionSaved(tx, laCode, stamp.submissionKey)) return { saved: false, ceasedDate: null };
        if (plan.version !== stamp.version) {
          throw new StaleFormError({ changes: [], by: null, at: null, version: plan.version });
        }
        if (plan.status !== 'active' && plan.ceasedDate === null) {
          throw new RuleError([{ field: '', text: 'Only an issued plan that is maintained can be ceased' }]);
        }
        const ceasings = await listPlanCeasings(tx, laCode, plan.id);
        const open = ceasings.find((c) => c.status === 'open') ?? null;
        const before = open ? ceasingRecord(open) : null;
        const errors = checkCeasingStep(
          {
            firstIssuedDate: plan.firstIssuedDate as LocalDate,
            ceasedDate: plan.ceasedDate as LocalDate | null,
            dateOfBirth: plan.dateOfBirth as LocalDate,
          },
          before,
          input,
          today,
          cal,
        );
        if (errors.length) throw new RuleError(errors);
        const after = applyCeasingStep(before, input, cal);
        const status = after.ceasedDate ? 'ceased' : ceasingOpen(after) ? 'open' : 'kept';
        let reviewId = open?.reviewId ?? null;
        if (input.step === 'consult') {
          // Begun from the last review's decision to cease, when there is one no ceasing has followed yet.
          const reviews = await listPlanReviews(tx, laCode, plan.id);
          const cease = reviews.find((r) => r.decision === 'cease');
          if (cease && !ceasings.some((c) => c.reviewId === cease.id)) reviewId = cease.id;
        }
        const id = await saveCeasing(
          tx,
          { laCode, planId: plan.id, childId: plan.childId, reviewId },
          open?.id ?? null,
          after,
          status,
        );
        const moved = after.ceasedDate
          ? await endPlanAtVersion(tx, laCode, plan.id, plan.version, after.ceasedDate, SEN2_CEASE_REASON[after.reason])
          : await touchPlanAtVersion(tx, laCode, plan.id, plan.version);
        if (!moved) throw new StaleFormError({ changes: [], by: null, at: null, version: null });
        await insertReviewEvent(tx, {
          laCode,
          childId: plan.childId,
          actorId: ctx.actor.userId,
          type: CEASING_EVENTS[input.step],
          occurredOn: stepDate(input, after, today),
          data: { ...eventData(input), planId: plan.id, ceasingId: id },
          submissionKey: stamp.submissionKey,
        });
        await frame.audit('write', 'plan_ceasing', plan.id, { step: input.step }, plan.childId);
        return { saved: true, ceasedDate: after.ceasedDate };
      });
    } catch (err) {
      if (err instanceof NotFoundError) {
        await auditAction(db, ctx, 'write_denied', 'plan_ceasing', planId.slice(0, 64));
        err.audited = true;
      }
      if (pgErrorCode(err) === '23505' && (await reviewSubmissionSaved(db, ctx.actor.laCode, stamp.submissionKey))) {
        return { saved: false, ceasedDate: null };
      }
      throw err;
    }
  }

  /**
   * What the family (the parent, or the young person for themselves) is told of a ceasing of the plan made from their
   * request: that the council is considering it, its decision notice with the appeal and mediation dates, an appeal
   * under way, or the day the plan ended. Null when no ceasing has begun. Only for a child the person is linked to
   * (else not found, audited as denied); each read is audited.
   */
  async function forFamily(ctx: RequestContext, requestId: string): Promise<FamilyCeasing | null> {
    requirePermission(ctx, 'case:read_own_child');
    const laCode = ctx.actor.laCode;
    const plan = isUuid(requestId) ? await planOfRequest(db, laCode, requestId) : undefined;
    if (plan && !ctx.actor.childIds.includes(plan.childId)) {
      await auditAction(db, ctx, 'read_denied', 'plan_ceasing', requestId.slice(0, 64));
      throw new NotFoundError(requestId, true);
    }
    if (!plan) return null;
    const [latest] = await listPlanCeasings(db, laCode, plan.id);
    if (!latest) return null;
    const record = ceasingRecord(latest);
    const relationship = await familyRelationship(db, laCode, ctx.actor.userId, plan.childId);
    await auditAction(db, ctx, 'read', 'plan_ceasing', plan.id, { family: true }, plan.childId);
    return {
      requestId,
      givenName: plan.givenName,
      audience: relationship === 'young_person' ? 'young_person' : 'parent',
      record,
      dates: ceasingAppealDates(record, calendar.current()),
      today: clock.today(),
    };
  }

  return { view, record, forFamily };
}

/** A ceasing as the family reads it (web/features/ceasing/familyWords.ts puts it in plain words). */
export interface FamilyCeasing {
  requestId: string;
  givenName: string;
  audience: 'parent' | 'young_person';
  record: CeasingRecord;
  dates: ReturnType<typeof ceasingAppealDates>;
  today: LocalDate;
}

/** The day a step's event happened on the timeline. */
function stepDate(input: CeasingStepInput, after: CeasingRecord, today: LocalDate): LocalDate {
  switch (input.step) {
    case 'consult':
      return input.consultedDate;
    case 'decision':
      return input.decisionDate;
    case 'certificate':
      return input.certificateDate;
    case 'appeal':
      return input.appealLodgedDate;
    case 'tribunal':
      return input.tribunalDate;
    case 'cease':
      return after.ceasedDate ?? today;
  }
}

/** What the timeline keeps of a step (codes and dates only). */
function eventData(input: CeasingStepInput): Record<string, unknown> {
  switch (input.step) {
    case 'consult':
      return { reason: input.reason, schoolConsultedDate: input.schoolConsultedDate };
    case 'decision':
      return { decision: input.decision };
    case 'tribunal':
      return { outcome: input.tribunalOutcome };
    default:
      return {};
  }
}
