/**
 * Moves between councils as casework (SEND Regulations 2014 reg 15; reg 16): a plan's transfer out and its steps, a
 * plan transferred in (the child and the plan put on this LA's register), the family told (reg 15(4)), the open moves
 * by next deadline, and what the family is told. Every read checks the one permission and is audited before anything
 * is returned; every step runs in one transaction (services/useCase.ts): the permission, the plan locked, a double
 * post found and ignored, a stale form refused, the domain's refusals, then the move, the plan, the timeline event and
 * the audit record written together.
 */
import type { FormStamp } from '../casework/types.js';
import type { Database } from '../../data/db.js';
import { pgErrorCode } from '../../data/db.js';
import { takeReferences } from '../../data/repositories/casework.js';
import { ceasingRecord, listPlanCeasings, planOfRequest } from '../../data/repositories/ceasings.js';
import { familyRelationship } from '../../data/repositories/family.js';
import {
  getMove,
  insertTransferredInPlan,
  listOpenMoves,
  listPlanMoves,
  moveInRecord,
  moveOutRecord,
  saveMoveIn,
  saveMoveOut,
  touchMovedPlanAtVersion,
  transferPlanOutAtVersion,
  type MoveListRow,
  type StoredMove,
} from '../../data/repositories/moves.js';
import {
  getReviewPlan,
  insertReviewEvent,
  reviewEvents,
  reviewSubmissionSaved,
  type ReviewPlanRow,
} from '../../data/repositories/reviews.js';
import {
  applyMoveInStep,
  applyMoveOutStep,
  checkMoveIn,
  checkMoveOut,
  madeOrLastReviewed,
  moveInNextStep,
  moveOutDuties,
  moveOutNextStep,
  openMoveOutSteps,
  planHolder,
  SEN2_TRANSFERRED_REASON,
  transferInDates,
  type MoveInInput,
  type MoveInRecord,
  type MoveOutInput,
  type MoveOutRecord,
  type MoveOutStep,
} from '../../domain/casework/move.js';
import { ceasingOpen } from '../../domain/casework/ceasing.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { auditAction } from '../auditTrail.js';
import type { CalendarHolder } from '../calendar.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';

export type { FormStamp } from '../casework/types.js';

/** The timeline events of a move (case events naming the plan). */
export const MOVE_EVENTS = {
  record: 'move_out_recorded',
  transfer: 'plan_transferred_out',
  health: 'health_commissioner_told',
  in: 'transfer_in',
  inform: 'parent_informed_after_transfer',
} as const;
const EVENT_TYPES = new Set<string>(Object.values(MOVE_EVENTS));

export const MOVES_PAGE_SIZE = 25;

export interface MoveOutView {
  plan: ReviewPlanRow;
  today: LocalDate;
  move: (StoredMove & { record: MoveOutRecord }) | null;
  /** The plan came to this LA by a transfer in, when it did. */
  movedIn: (StoredMove & { record: MoveInRecord }) | null;
  duties: ReturnType<typeof moveOutDuties>;
  next: ReturnType<typeof moveOutNextStep>;
  steps: MoveOutStep[];
  holder: 'this_la' | 'new_la' | null;
  events: Awaited<ReturnType<typeof reviewEvents>>;
}

export interface MoveInView {
  plan: ReviewPlanRow;
  today: LocalDate;
  move: StoredMove & { record: MoveInRecord };
  dates: ReturnType<typeof transferInDates>;
  next: ReturnType<typeof moveInNextStep>;
  events: Awaited<ReturnType<typeof reviewEvents>>;
}

/** A transfer in as its form gives it: the child, and the plan's dates. */
export interface TransferInForm {
  child: { givenName: string; familyName: string; dateOfBirth: LocalDate };
  move: Extract<MoveInInput, { step: 'record' }>;
}

function moveOutState(r: MoveOutRecord, calendar: ReturnType<CalendarHolder['current']>) {
  const next = moveOutNextStep(r, calendar);
  return next
    ? { status: 'open' as const, nextDuty: next.step, nextDue: next.due }
    : { status: 'done' as const, nextDuty: null, nextDue: null };
}

function moveInState(r: MoveInRecord) {
  // Open until the family is told (reg 15(4)); the review (reg 15(5)) is then the reviews list's.
  if (r.parentInformedDate !== null) return { status: 'done' as const, nextDuty: null, nextDue: null };
  const next = moveInNextStep(r);
  return { status: 'open' as const, nextDuty: next.step, nextDue: next.due };
}

export function createMoveService(database: Database, clock: Clock, calendar: CalendarHolder) {
  const { db } = database;

  async function planOrDenied(ctx: RequestContext, planId: string, action: 'read_denied' | 'write_denied') {
    const plan = isUuid(planId) ? await getReviewPlan(db, ctx.actor.laCode, planId) : undefined;
    if (!plan || plan.firstIssuedDate === null) {
      await auditAction(db, ctx, action, 'plan_move', planId.slice(0, 64));
      throw new NotFoundError(planId, true);
    }
    return plan;
  }

  /** A plan's move out (or none yet) as its page shows it. */
  async function outView(ctx: RequestContext, planId: string): Promise<MoveOutView> {
    requirePermission(ctx, 'case:read_any');
    const laCode = ctx.actor.laCode;
    const plan = await planOrDenied(ctx, planId, 'read_denied');
    const [moves, events] = await Promise.all([
      listPlanMoves(db, laCode, plan.id),
      reviewEvents(db, laCode, plan.childId, plan.id),
    ]);
    const out = moves.find((m) => m.direction === 'out');
    const inn = moves.find((m) => m.direction === 'in');
    const move = out ? { ...out, record: moveOutRecord(out) } : null;
    const today = clock.today();
    const cal = calendar.current();
    await auditAction(db, ctx, 'read', 'plan_move', plan.id, {}, plan.childId);
    const ended = plan.ceasedDate !== null && move?.record.transferredDate == null;
    return {
      plan,
      today,
      move,
      movedIn: inn ? { ...inn, record: moveInRecord(inn) } : null,
      duties: move ? moveOutDuties(move.record, cal) : [],
      next: move ? moveOutNextStep(move.record, cal) : null,
      steps: ended ? [] : openMoveOutSteps(move?.record ?? null),
      holder: move ? planHolder(move.record, today) : null,
      events: events.filter((e) => EVENT_TYPES.has(e.type)),
    };
  }

  async function recordOut(
    ctx: RequestContext,
    planId: string,
    stamp: FormStamp,
    input: MoveOutInput,
  ): Promise<{ saved: boolean }> {
    try {
      return await runUseCase(database, ctx, 'case:write', async (frame) => {
        const { tx, laCode } = frame;
        const today = clock.today();
        const cal = calendar.current();
        const plan = isUuid(planId) ? await getReviewPlan(tx, laCode, planId, true) : undefined;
        if (!plan || plan.firstIssuedDate === null) throw new NotFoundError(planId);
        if (await reviewSubmissionSaved(tx, laCode, stamp.submissionKey)) return { saved: false };
        if (plan.version !== stamp.version) {
          throw new StaleFormError({ changes: [], by: null, at: null, version: plan.version });
        }
        const [moves, ceasings] = await Promise.all([
          listPlanMoves(tx, laCode, plan.id),
          listPlanCeasings(tx, laCode, plan.id),
        ]);
        const stored = moves.find((m) => m.direction === 'out') ?? null;
        const before = stored ? moveOutRecord(stored) : null;
        const open = ceasings.find((c) => c.status === 'open');
        const errors = checkMoveOut(
          {
            firstIssuedDate: plan.firstIssuedDate as LocalDate,
            // The plan's own transfer out ended it: its remaining steps may still be recorded.
            ceasedDate: before?.transferredDate ? null : (plan.ceasedDate as LocalDate | null),
            ceasingOpen: open ? ceasingOpen(ceasingRecord(open)) : false,
          },
          laCode,
          before,
          input,
          today,
        );
        if (errors.length) throw new RuleError(errors);
        const after = applyMoveOutStep(before, input);
        const id = await saveMoveOut(
          tx,
          { laCode, planId: plan.id, childId: plan.childId },
          stored?.id ?? null,
          after,
          moveOutState(after, cal),
        );
        // reg 15(3): from the date of the transfer the plan is the new LA's; SEN2 CeaseDate is that day, reason 5.
        const moved =
          input.step === 'transfer'
            ? await transferPlanOutAtVersion(
                tx,
                laCode,
                plan.id,
                plan.version,
                input.transferredDate,
                SEN2_TRANSFERRED_REASON,
              )
            : await touchMovedPlanAtVersion(tx, laCode, plan.id, plan.version);
        if (!moved) throw new StaleFormError({ changes: [], by: null, at: null, version: null });
        await insertReviewEvent(tx, {
          laCode,
          childId: plan.childId,
          actorId: ctx.actor.userId,
          type: MOVE_EVENTS[input.step],
          occurredOn:
            input.step === 'record'
              ? input.learnedDate
              : input.step === 'transfer'
                ? input.transferredDate
                : input.healthToldDate,
          data: { planId: plan.id, moveId: id, ...(input.step === 'record' ? { newLaCode: input.newLaCode } : {}) },
          submissionKey: stamp.submissionKey,
        });
        await frame.audit('write', 'plan_move', plan.id, { step: input.step }, plan.childId);
        return { saved: true };
      });
    } catch (err) {
      return duplicateOr(ctx, err, planId, stamp);
    }
  }

  async function duplicateOr(ctx: RequestContext, err: unknown, id: string, stamp: FormStamp) {
    if (err instanceof NotFoundError) {
      await auditAction(db, ctx, 'write_denied', 'plan_move', id.slice(0, 64));
      err.audited = true;
    }
    if (pgErrorCode(err) === '23505' && (await reviewSubmissionSaved(db, ctx.actor.laCode, stamp.submissionKey))) {
      return { saved: false };
    }
    throw err;
  }

  /**
   * A plan transferred in from another LA (reg 15(3)): the child and the plan put on this LA's register, the plan
   * treated as made on the day the old LA made it, its review due by reg 15(5)'s date (so /reviews lists it then).
   */
  async function recordIn(
    ctx: RequestContext,
    submissionKey: string,
    form: TransferInForm,
  ): Promise<{ saved: boolean; moveId: string | null }> {
    requirePermission(ctx, 'case:write');
    const laCode = ctx.actor.laCode;
    const errors = checkMoveIn(laCode, null, form.move, clock.today());
    if (errors.length) throw new RuleError(errors);
    if (await reviewSubmissionSaved(db, laCode, submissionKey)) return { saved: false, moveId: null };
    // The child's reference is taken before the transaction, as the request form takes its own.
    const [reference] = await takeReferences(db, laCode, 'children', `${laCode}-`);
    try {
      return await runUseCase(database, ctx, 'case:write', async (frame) => {
        const { tx } = frame;
        if (await reviewSubmissionSaved(tx, laCode, submissionKey)) return { saved: false, moveId: null };
        const r = applyMoveInStep(null, form.move);
        const dates = transferInDates(r.transferDate, madeOrLastReviewed(r));
        const { childId, planId } = await insertTransferredInPlan(tx, {
          laCode,
          child: { reference: reference!, ...form.child },
          plan: {
            firstIssuedDate: r.planMadeDate,
            lastReviewDate: r.lastReviewDate,
            caseworkerId: ctx.actor.userId,
            reviewDueDate: dates.reviewBy,
            reviewNextDuty: 'review_after_transfer',
            reviewNextDue: dates.reviewBy,
          },
        });
        const id = await saveMoveIn(tx, { laCode, planId, childId }, null, r, moveInState(r));
        await insertReviewEvent(tx, {
          laCode,
          childId,
          actorId: ctx.actor.userId,
          type: MOVE_EVENTS.in,
          occurredOn: r.transferDate,
          data: { planId, moveId: id, oldLaCode: r.oldLaCode, lastReviewOrPlanDate: madeOrLastReviewed(r) },
          submissionKey,
        });
        await frame.audit('write', 'plan_move', planId, { step: 'in' }, childId);
        return { saved: true, moveId: id };
      });
    } catch (err) {
      if (pgErrorCode(err) === '23505' && (await reviewSubmissionSaved(db, laCode, submissionKey))) {
        return { saved: false, moveId: null };
      }
      throw err;
    }
  }

  async function moveInOrDenied(ctx: RequestContext, moveId: string, action: 'read_denied' | 'write_denied') {
    const move = isUuid(moveId) ? await getMove(db, ctx.actor.laCode, moveId) : undefined;
    if (!move || move.direction !== 'in') {
      await auditAction(db, ctx, action, 'plan_move', moveId.slice(0, 64));
      throw new NotFoundError(moveId, true);
    }
    return move;
  }

  async function inView(ctx: RequestContext, moveId: string): Promise<MoveInView> {
    requirePermission(ctx, 'case:read_any');
    const laCode = ctx.actor.laCode;
    const stored = await moveInOrDenied(ctx, moveId, 'read_denied');
    const plan = (await getReviewPlan(db, laCode, stored.planId))!;
    const events = await reviewEvents(db, laCode, plan.childId, plan.id);
    const record = moveInRecord(stored);
    await auditAction(db, ctx, 'read', 'plan_move', plan.id, {}, plan.childId);
    return {
      plan,
      today: clock.today(),
      move: { ...stored, record },
      dates: transferInDates(record.transferDate, madeOrLastReviewed(record)),
      next: moveInNextStep(record),
      events: events.filter((e) => EVENT_TYPES.has(e.type)),
    };
  }

  /** reg 15(4): the family told that the plan has been transferred, whether the LA will assess, and the review's date. */
  async function informFamily(
    ctx: RequestContext,
    moveId: string,
    stamp: FormStamp,
    input: Extract<MoveInInput, { step: 'inform' }>,
  ): Promise<{ saved: boolean }> {
    try {
      return await runUseCase(database, ctx, 'case:write', async (frame) => {
        const { tx, laCode } = frame;
        const stored = isUuid(moveId) ? await getMove(tx, laCode, moveId, true) : undefined;
        if (!stored || stored.direction !== 'in') throw new NotFoundError(moveId);
        if (await reviewSubmissionSaved(tx, laCode, stamp.submissionKey)) return { saved: false };
        if (stored.version !== stamp.version) {
          throw new StaleFormError({ changes: [], by: null, at: null, version: stored.version });
        }
        const before = moveInRecord(stored);
        const errors = checkMoveIn(laCode, before, input, clock.today());
        if (errors.length) throw new RuleError(errors);
        const after = applyMoveInStep(before, input);
        await saveMoveIn(
          tx,
          { laCode, planId: stored.planId, childId: stored.childId },
          stored.id,
          after,
          moveInState(after),
        );
        await insertReviewEvent(tx, {
          laCode,
          childId: stored.childId,
          actorId: ctx.actor.userId,
          type: MOVE_EVENTS.inform,
          occurredOn: input.parentInformedDate,
          data: { planId: stored.planId, moveId: stored.id, willAssess: input.willAssess },
          submissionKey: stamp.submissionKey,
        });
        await frame.audit('write', 'plan_move', stored.planId, { step: 'inform' }, stored.childId);
        return { saved: true };
      });
    } catch (err) {
      return duplicateOr(ctx, err, moveId, stamp);
    }
  }

  /** The open moves, in and out, by next deadline (overdue first), a page at a time. */
  async function list(
    ctx: RequestContext,
    page: number,
  ): Promise<{ items: (MoveListRow & { overdue: boolean })[]; total: number; overdue: number; pageCount: number }> {
    requirePermission(ctx, 'caseload:view');
    const today = clock.today();
    const p = Math.max(1, page);
    const found = await listOpenMoves(db, {
      laCode: ctx.actor.laCode,
      today,
      limit: MOVES_PAGE_SIZE,
      offset: (p - 1) * MOVES_PAGE_SIZE,
    });
    await auditAction(db, ctx, 'list', 'plan_moves', null, { page: p, childIds: found.rows.map((r) => r.childId) });
    return {
      items: found.rows.map((r) => ({ ...r, overdue: r.nextDue !== null && r.nextDue < today })),
      total: found.total,
      overdue: found.overdue,
      pageCount: Math.max(1, Math.ceil(found.total / MOVES_PAGE_SIZE)),
    };
  }

  /**
   * What the family (the parent, or the young person) is told of a move of the plan made from their request: that
   * it is moving, to which council, and from when that council holds it. Null when no move is recorded. Only for a
   * child the person is linked to (else not found, audited as denied); each read is audited.
   */
  async function forFamily(ctx: RequestContext, requestId: string): Promise<FamilyMove | null> {
    requirePermission(ctx, 'case:read_own_child');
    const laCode = ctx.actor.laCode;
    const plan = isUuid(requestId) ? await planOfRequest(db, laCode, requestId) : undefined;
    if (plan && !ctx.actor.childIds.includes(plan.childId)) {
      await auditAction(db, ctx, 'read_denied', 'plan_move', requestId.slice(0, 64));
      throw new NotFoundError(requestId, true);
    }
    if (!plan) return null;
    const out = (await listPlanMoves(db, laCode, plan.id)).find((m) => m.direction === 'out');
    if (!out) return null;
    const record = moveOutRecord(out);
    const relationship = await familyRelationship(db, laCode, ctx.actor.userId, plan.childId);
    await auditAction(db, ctx, 'read', 'plan_move', plan.id, { family: true }, plan.childId);
    const today = clock.today();
    const full = await getReviewPlan(db, laCode, plan.id);
    const made = (full?.lastReviewDate ?? full?.firstIssuedDate) as LocalDate | null | undefined;
    return {
      requestId,
      givenName: plan.givenName,
      audience: relationship === 'young_person' ? 'young_person' : 'parent',
      record,
      transferBy: moveOutDuties(record, calendar.current())[0]!.due.date,
      holder: planHolder(record, today),
      // The new LA's duties once it holds the plan (reg 15(4), 15(5)).
      newLa: record.transferredDate && made ? transferInDates(record.transferredDate, made) : null,
      today,
    };
  }

  return { outView, recordOut, recordIn, inView, informFamily, list, forFamily };
}

/** A move as the family reads it (web/features/moves/familyWords.ts puts it in plain words). */
export interface FamilyMove {
  requestId: string;
  givenName: string;
  audience: 'parent' | 'young_person';
  record: MoveOutRecord;
  transferBy: LocalDate;
  holder: 'this_la' | 'new_la';
  newLa: ReturnType<typeof transferInDates> | null;
  today: LocalDate;
}
