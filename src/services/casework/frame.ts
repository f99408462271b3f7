/**
 * The frame every caseworker's step on an existing request runs in. In one transaction (services/useCase.ts
 * `runUseCase`): checks the user may write to cases in this LA, locks the request, does nothing for a form submitted
 * twice, refuses a stale form (optimistic concurrency: the form's version must be the request's), checks the step is
 * open at the case's stage, lets the step check the case against the law and return what to record, writes the
 * timeline event and the change, recomputes the next statutory duty, and writes an audit record. Nothing is
 * half-saved: any refusal rolls the whole step back. An attempt on a request the user cannot see is audited as denied.
 *
 * Beside it, what several steps share: the dates a step records, and the stage a move leads to.
 */
import type { Db } from '../../data/db.js';
import { pgErrorCode } from '../../data/db.js';
import {
  changesSince,
  clockInputs,
  findSubmission,
  insertEvents,
  lockRequest,
  setNextDuty,
  updateRequest,
  type AdviceRow,
  type LockedRequest,
  type NewEvent,
  type RequestPatch,
} from '../../data/repositories/casework.js';
import type { Permission } from '../../domain/access/roles.js';
import { CASE_ACTIONS, canTakeAction, type CaseAction } from '../../domain/casework/actions.js';
import { caseNextDuty } from '../../domain/casework/clockEvents.js';
import type { PlanContent } from '../../domain/casework/planContent.js';
import { isOpenStage, nextStage, type Move, type MoveOutcome } from '../../domain/casework/stageMachine.js';
import { STAGE_NAMES, isStage } from '../../domain/casework/stages.js';
import { formatLongDate, type LocalDate } from '../../domain/dates/localDate.js';
import { CalendarCoverageError } from '../../domain/dates/workingDays.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { auditAction } from '../auditTrail.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { runUseCase } from '../useCase.js';
import { deliverFamilyMessages, recordStepNews, type PendingFamilyMessage } from '../family/messages.js';
import { CaseRuleError, ConflictError, type CaseworkDeps, type FormStamp, type StepResult } from './types.js';

/**
 * Who a step is taken by: the council's staff (who may write to any case in the LA, their form stamped with the
 * case's version), or a professional outside it answering what was sent to them (advice, a consultation), whose
 * step checks its own scope and the version of the record they answer, not the whole case's.
 */
export interface ActingAs {
  permission: Permission;
  checkRequestVersion: boolean;
  /** A child's linked family acts on their own child's request only: any other request is "not found" to them. */
  ownChildOnly?: boolean;
}
export const CASEWORKER: ActingAs = { permission: 'case:write', checkRequestVersion: true };
/** A parent or carer, or a young person, on their own request (their response to a draft). */
export const FAMILY: ActingAs = { permission: 'family:contribute', checkRequestVersion: true, ownChildOnly: true };

/** Problems found with a form, each against its field (thrown together as a CaseRuleError). */
export type FieldErrors = { field: string; text: string }[];

/** What a step records: its timeline events, the change to the request, and anything more for the audit record. */
export interface StepOutcome {
  events: NewEvent[];
  patch?: RequestPatch;
  audit?: Record<string, unknown>;
}

/** A step's own checks and changes, on the locked request; it throws CaseRuleError to refuse. */
export type Step = (tx: Db, request: LockedRequest, today: LocalDate) => Promise<StepOutcome>;

/**
 * Runs `step` on the request `requestId` in the frame above. `action` is the caseworker's action the step is (checked
 * against the case's stage), or null for a step open at every stage (a reply, advice received, a reassignment).
 */
export async function onRequest(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  stamp: FormStamp,
  action: CaseAction | null,
  step: Step,
  as: ActingAs = CASEWORKER,
): Promise<StepResult> {
  const { database, clock } = deps;
  const today = clock.today();
  // The family's messages the step records, delivered once it has committed.
  let toFamily: PendingFamilyMessage[] = [];
  try {
    const result = await runUseCase(database, ctx, as.permission, async (frame) => {
      const { tx, laCode } = frame;
      const found = isUuid(requestId) ? await lockRequest(tx, laCode, requestId) : undefined;
      const request = as.ownChildOnly && !ctx.actor.childIds.includes(found?.childId ?? '') ? undefined : found;
      if (!request) throw new NotFoundError(requestId);
      // Checked after taking the lock, so a double click waits for the first save and then finds it.
      if ((await findSubmission(tx, laCode, stamp.submissionKey)) === requestId) {
        return { saved: false, requestId, duplicate: true } as const;
      }
      if (as.checkRequestVersion && request.version !== stamp.version) {
        throw new ConflictError(await changesSince(tx, laCode, requestId, stamp.version), request.version);
      }
      if (action && !canTakeAction(request.stage, action)) {
        const stage = isStage(request.stage) ? STAGE_NAMES[request.stage].toLowerCase() : request.stage;
        throw new CaseRuleError([
          {
            field: '',
            text: `You cannot ${CASE_ACTIONS[action].name.toLowerCase()} now: this request is at "${stage}"`,
          },
        ]);
      }
      const { events, patch = {}, audit: more } = await step(tx, request, today);
      await insertEvents(
        tx,
        {
          laCode,
          childId: request.childId,
          requestId,
          actorId: ctx.actor.userId,
          requestVersion: request.version + 1,
        },
        events,
        stamp.submissionKey,
      );
      await updateRequest(tx, laCode, requestId, patch);
      await refreshNextDuty(deps, tx, laCode, requestId, patch.open ?? request.open);
      if (deps.family) {
        toFamily = await recordStepNews(
          tx,
          deps.family,
          laCode,
          requestId,
          events,
          patch.stage,
          today,
          deps.calendar.current(),
        );
      }
      await frame.audit(
        'write',
        'assessment_request',
        requestId,
        { events: events.map((e) => e.type), ...more },
        request.childId,
      );
      return { saved: true, requestId } as const;
    });
    if (deps.family && toFamily.length) await deliverFamilyMessages(database.db, deps.family.sender, toFamily);
    return result;
  } catch (err) {
    if (err instanceof NotFoundError) {
      // The attempt is recorded even though the step's transaction was rolled back.
      await auditAction(database.db, ctx, 'write_denied', 'assessment_request', requestId.slice(0, 64));
      err.audited = true;
    }
    // Two submissions of one form raced past the check: the unique key refused the second. It was saved once.
    if (
      pgErrorCode(err) === '23505' &&
      (await findSubmission(database.db, ctx.actor.laCode, stamp.submissionKey)) === requestId
    ) {
      return { saved: false, requestId, duplicate: true };
    }
    throw err;
  }
}

/** Works out the request's next statutory duty again from its timeline and advice (none once it is closed). */
export async function refreshNextDuty(
  deps: CaseworkDeps,
  tx: Db,
  laCode: string,
  requestId: string,
  open: boolean,
): Promise<void> {
  if (!open) return setNextDuty(tx, laCode, requestId, null);
  const { events, advice } = await clockInputs(tx, laCode, requestId);
  try {
    await setNextDuty(tx, laCode, requestId, caseNextDuty(events, advice, deps.clock.today(), deps.calendar.current()));
  } catch (err) {
    // Past the end of the bank holiday list: the deadline cannot be worked out until an admin adds the year.
    if (!(err instanceof CalendarCoverageError)) throw err;
    await setNextDuty(tx, laCode, requestId, null);
  }
}

/** Dates a step records: not after today, not before the request was received. */
export function checkDate(
  errors: FieldErrors,
  field: string,
  what: string,
  date: LocalDate,
  earliest: string,
  today: LocalDate,
  earliestIs = 'the date the request was received',
) {
  if (date > today) errors.push({ field, text: `${what} must be today or in the past` });
  else if (date < earliest) {
    errors.push({
      field,
      text: `${what} must be on or after ${earliestIs} (${formatLongDate(earliest as LocalDate)})`,
    });
  }
}

/**
 * The change a move makes to a request's stage, as the domain's stage machine decides it: nothing when the case stays
 * where it is; a closed stage closes the request on `on`.
 */
export function stageChange<M extends Move>(
  request: LockedRequest,
  move: M,
  on: LocalDate,
  outcome?: MoveOutcome<M>,
): RequestPatch {
  const stage = nextStage(request.stage, move, outcome);
  if (stage === request.stage) return {};
  return isOpenStage(stage) ? { stage } : { stage, open: false, closedDate: on };
}

/** Advice in: the stage machine moves the case on once no other advice (of `advice`) is awaited. */
export function stageAfterAdvice(
  request: LockedRequest,
  advice: readonly AdviceRow[],
  justReceived: string,
  on: LocalDate,
): RequestPatch {
  const awaited = advice.some((a) => a.receivedDate === null && a.id !== justReceived);
  return stageChange(request, 'advice_received', on, awaited ? 'advice_awaited' : 'all_advice_in');
}

/** Section K: the advice received, listed automatically (reg 12(1)(k)). */
export function adviceList(advice: AdviceRow[]): PlanContent['K'] {
  return advice
    .filter((a) => a.receivedDate !== null)
    .map((a) => ({ adviceType: a.adviceType, provider: a.provider, receivedDate: a.receivedDate }));
}
