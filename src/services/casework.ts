/**
 * The caseworker's journey, one function per step. Each step, in one transaction: checks the user may write to
 * cases in this LA, locks the request, refuses a stale form (optimistic concurrency: the form's version must be the
 * request's), does nothing for a form submitted twice, checks the step against the law and the case, writes the
 * timeline event and the change, recomputes the next statutory duty, and writes an audit record. Nothing is
 * half-saved: any refusal rolls the whole step back.
 */
import { createHash } from 'node:crypto';
import type { Database, Db } from '../data/db.js';
import { pgErrorCode } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import {
  changesSince,
  childExists,
  clockInputs,
  findPossibleDuplicates,
  findSubmission,
  getDocument,
  insertAdvice,
  insertChild,
  setPrimaryNeed,
  insertConsultation,
  listConsultations,
  recordConsultationResponse,
  insertDocument,
  insertEvents,
  insertRequest,
  listAdvice,
  lockRequest,
  markAdviceReceived,
  takeReferences,
  catchUpReferences,
  referenceTaken,
  openRequestsDueFrom,
  reusableAdvice,
  setNextDuty,
  teamOf,
  updateRequest,
  type AdviceRow,
  type Change,
  type LockedRequest,
  type NewEvent,
  type PossibleDuplicate,
  type RequestPatch,
} from '../data/repositories/casework.js';
import { listCaseworkers } from '../data/repositories/cases.js';
import { insertDraftVersion, insertPlan, latestPlanContent, planVersionsFor } from '../data/repositories/plans.js';
import { emptyPlan, readPlanContent, type PlanContent } from '../domain/casework/planContent.js';
import { can } from '../domain/access/roles.js';
import { CASE_ACTIONS, canTakeAction, type CaseAction } from '../domain/casework/actions.js';
import { isOpenStage, nextStage, type Move, type MoveOutcome } from '../domain/casework/stageMachine.js';
import { caseExceptionChoices, caseNextDuty } from '../domain/casework/clockEvents.js';
import { EXCEPTION_NAMES } from '../domain/casework/events.js';
import {
  consultationResponseDue,
  consultationStatus,
  type ConsultationResponse,
} from '../domain/casework/consultation.js';
import { ADVICE_TYPE_NAMES, STAGE_NAMES, isStage, type AdviceType } from '../domain/casework/stages.js';
import { addDays, formatLongDate, type LocalDate } from '../domain/dates/localDate.js';
import { commentWindowEnds, deemedServed, type ServiceMethod } from '../domain/dates/service.js';
import { CalendarCoverageError } from '../domain/dates/workingDays.js';
import { exceptionFits, TWENTY_WEEK_DUTY, type ExceptionReason } from '../domain/statutory/events.js';
import type { CalendarHolder } from './calendar.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { checkUpload } from './documents.js';
import { ForbiddenError, NotFoundError, RuleError, StaleFormError } from './errors.js';
import type { VirusScanner } from './virusScan.js';
import { isUuid } from '../domain/identifiers/uuid.js';

/** A step the case or the law does not allow, named against the form field at fault. */
export class CaseRuleError extends RuleError {}

/** The form was filled in against an older state of the case: someone else has recorded something on it since. */
export class ConflictError extends StaleFormError {
  constructor(
    readonly changes: Change[],
    readonly currentVersion: number,
  ) {
    const last = changes.at(-1);
    super({
      changes: [],
      by: last?.actorName ?? null,
      at: last?.recordedAt ?? null,
      version: currentVersion,
      recorded: changes,
    });
  }
}

/** Every step's form carries the version of the case it was opened against and a one-off submission key. */
export interface FormStamp {
  version: number;
  submissionKey: string;
}

export type StepResult = { saved: true; requestId: string } | { saved: false; requestId: string; duplicate: true };

/** The largest document accepted (advice reports are usually well under this). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

export interface ChildDetails {
  givenName: string;
  familyName: string;
  dateOfBirth: LocalDate;
  sex: string;
  upn: string | null;
  uln: string | null;
  upnUnknown: string | null;
  ethnicity: string | null;
  postcode: string | null;
  settingName: string | null;
  settingUrn: string | null;
  /** SEN2 primary need (SENtype), when known at the request; the final plan records it in any case. */
  primaryNeed: string | null;
}

/** Who the council contacts about the request, and how (at least one way; the preferred way has its detail). */
export interface FamilyContact {
  name: string;
  relationship: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  preference: string;
}

export interface RecordRequestInput {
  submissionKey: string;
  child: ChildDetails;
  contact: FamilyContact;
  requestSource: string;
  receivedDate: LocalDate;
  /** Set once the caseworker has seen the possible duplicates and says this is a different child. */
  confirmedNewChild: boolean;
  /** Record the request for a child already known to the LA instead of a new one. */
  existingChildId: string | null;
}

export type RecordRequestResult =
  StepResult | { saved: false; possibleDuplicates: PossibleDuplicate[]; duplicate?: undefined };

/** Default provider names per advice type, until an LA sets its own. */
export const DEFAULT_PROVIDERS: Record<AdviceType, string> = {
  educational_psychology: 'Educational Psychology Service',
  health: 'Designated Clinical Officer (health)',
  social_care: "Children's Social Care",
  education_setting: 'Education setting',
  other: 'Other adviser',
};

const EXCEPTION_EVIDENCE_MAX = 2000;

/**
 * The change a move makes to a request's stage, as the domain's stage machine decides it: nothing when the case stays
 * where it is; a closed stage closes the request on `on`.
 */
function stageChange<M extends Move>(
  request: LockedRequest,
  move: M,
  on: LocalDate,
  outcome?: MoveOutcome<M>,
): RequestPatch {
  const stage = nextStage(request.stage, move, outcome);
  if (stage === request.stage) return {};
  return isOpenStage(stage) ? { stage } : { stage, open: false, closedDate: on };
}

export function createCaseworkService(
  database: Database,
  clock: Clock,
  calendar: CalendarHolder,
  /** Every uploaded document is scanned by it, when there is one. */
  scanner: VirusScanner | null = null,
) {
  const { db } = database;

  function requireWrite(ctx: RequestContext): void {
    if (!can(ctx.actor.roles, 'case:write')) throw new ForbiddenError('case:write');
  }

  /** Dates a step records: not after today, not before the request was received. */
  function checkDate(
    errors: { field: string; text: string }[],
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

  async function refreshNextDuty(tx: Db, laCode: string, requestId: string, open: boolean): Promise<void> {
    if (!open) return setNextDuty(tx, laCode, requestId, null);
    const { events, advice } = await clockInputs(tx, laCode, requestId);
    try {
      await setNextDuty(tx, laCode, requestId, caseNextDuty(events, advice, clock.today(), calendar.current()));
    } catch (err) {
      // Past the end of the bank holiday list: the deadline cannot be worked out until an admin adds the year.
      if (!(err instanceof CalendarCoverageError)) throw err;
      await setNextDuty(tx, laCode, requestId, null);
    }
  }

  /**
   * After a bank holiday is added on `date`: works out again the next duty of every open request it can move, each in
   * a transaction of its own, with the calendar that now holds it. Returns how many were worked out.
   */
  async function reworkNextDuties(date: LocalDate): Promise<number> {
    const requests = await openRequestsDueFrom(db, date);
    for (const r of requests) await db.transaction((tx) => refreshNextDuty(tx, r.laCode, r.id, true));
    return requests.length;
  }

  /**
   * The frame every step on an existing request runs in. `step` checks the case and returns the events and the
   * change to make; it throws CaseRuleError to refuse.
   */
  async function onRequest(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    action: CaseAction | null,
    step: (
      tx: Db,
      request: LockedRequest,
      today: LocalDate,
    ) => Promise<{ events: NewEvent[]; patch?: RequestPatch; audit?: Record<string, unknown> }>,
  ): Promise<StepResult> {
    requireWrite(ctx);
    const { laCode } = ctx.actor;
    const today = clock.today();
    try {
      return await db.transaction(async (tx) => {
        const request = isUuid(requestId) ? await lockRequest(tx, laCode, requestId) : undefined;
        if (!request) throw new NotFoundError(requestId);
        // Checked after taking the lock, so a double click waits for the first save and then finds it.
        if ((await findSubmission(tx, laCode, stamp.submissionKey)) === requestId) {
          return { saved: false, requestId, duplicate: true } as const;
        }
        if (request.version !== stamp.version) {
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
        const { events, patch = {}, audit } = await step(tx, request, today);
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
        await refreshNextDuty(tx, laCode, requestId, patch.open ?? request.open);
        await appendAudit(tx, {
          userId: ctx.actor.userId,
          laCode,
          action: 'write',
          entityType: 'assessment_request',
          entityId: requestId,
          childId: request.childId,
          ip: ctx.ip,
          requestId: ctx.requestId,
          detail: { events: events.map((e) => e.type), ...audit },
        });
        return { saved: true, requestId } as const;
      });
    } catch (err) {
      if (err instanceof NotFoundError) {
        await auditDenied(ctx, requestId);
        err.audited = true;
      }
      // Two submissions of one form raced past the check: the unique key refused the second. It was saved once.
      if (pgErrorCode(err) === '23505' && (await findSubmission(db, laCode, stamp.submissionKey)) === requestId) {
        return { saved: false, requestId, duplicate: true };
      }
      throw err;
    }
  }

  async function auditDenied(ctx: RequestContext, requestId: string): Promise<void> {
    await appendAudit(db, {
      userId: ctx.actor.userId,
      laCode: ctx.actor.laCode,
      action: 'write_denied',
      entityType: 'assessment_request',
      entityId: requestId.slice(0, 64),
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
  }

  /** Step 1: a request for an EHC needs assessment, for a new child or one the LA already knows. */
  async function recordRequest(ctx: RequestContext, input: RecordRequestInput): Promise<RecordRequestResult> {
    requireWrite(ctx);
    const { laCode } = ctx.actor;
    const today = clock.today();
    const errors: { field: string; text: string }[] = [];
    if (input.receivedDate > today)
      errors.push({ field: 'receivedDate', text: 'The date received must be today or in the past' });
    if (!input.existingChildId) {
      const dob = input.child.dateOfBirth;
      if (dob > today) errors.push({ field: 'dateOfBirth', text: 'Date of birth must be in the past' });
      else if (dob > input.receivedDate) {
        errors.push({ field: 'dateOfBirth', text: 'Date of birth must be before the date the request was received' });
      } else if (addDays(dob, 26 * 366) < input.receivedDate) {
        // EHC plans cover 0 to 25 (Children and Families Act 2014 s.83(2)).
        errors.push({
          field: 'dateOfBirth',
          text: 'The child or young person must be 25 or under when the request is made',
        });
      }
    }
    if (errors.length > 0) throw new CaseRuleError(errors);

    // Asked before any number is taken: the same form sent again, and a child the LA may already know.
    const earlier = await findSubmission(db, laCode, input.submissionKey);
    if (earlier) return { saved: false, requestId: earlier, duplicate: true };
    if (!input.existingChildId && !input.confirmedNewChild) {
      const matches = await findPossibleDuplicates(db, laCode, input.child);
      if (matches.length > 0) return { saved: false, possibleDuplicates: matches };
    }
    const childPrefix = `${laCode}-`;
    const requestPrefix = `EHC-${input.receivedDate.slice(0, 4)}-`;
    // The references are taken before the save's transaction, each in one short statement, so that people recording
    // at once do not wait for each other's saves (data/repositories/casework.ts, takeReferences).
    const references = async () => ({
      child: input.existingChildId ? undefined : (await takeReferences(db, laCode, 'children', childPrefix))[0]!,
      request: (await takeReferences(db, laCode, 'requests', requestPrefix))[0]!,
    });
    const record = (reference: { child: string | undefined; request: string }) =>
      db.transaction(async (tx): Promise<RecordRequestResult> => {
        const earlier = await findSubmission(tx, laCode, input.submissionKey);
        if (earlier) return { saved: false, requestId: earlier, duplicate: true };
        let childId = input.existingChildId;
        if (childId) {
          if (!(await childExists(tx, laCode, childId))) throw new NotFoundError(childId);
          // A child already known: the need given with this request is the latest known.
          if (input.child.primaryNeed) await setPrimaryNeed(tx, laCode, childId, input.child.primaryNeed);
        } else {
          childId = await insertChild(tx, {
            laCode,
            reference: reference.child!,
            givenName: input.child.givenName,
            familyName: input.child.familyName,
            dateOfBirth: input.child.dateOfBirth,
            sex: input.child.sex,
            upn: input.child.upn,
            uln: input.child.uln,
            upnUnknown: input.child.upnUnknown,
            ethnicity: input.child.ethnicity,
            postcode: input.child.postcode,
            settingName: input.child.settingName,
            settingUrn: input.child.settingUrn,
            primaryNeed: input.child.primaryNeed,
          });
        }
        const requestId = await insertRequest(tx, {
          laCode,
          childId,
          reference: reference.request,
          receivedDate: input.receivedDate,
          requestSource: input.requestSource,
          caseworkerId: ctx.actor.roles.includes('caseworker') ? ctx.actor.userId : null,
          team: await teamOf(tx, laCode, ctx.actor.userId),
          stage: 'deciding_whether_to_assess',
          open: true,
          contactName: input.contact.name,
          contactRelationship: input.contact.relationship,
          contactEmail: input.contact.email,
          contactPhone: input.contact.phone,
          contactAddress: input.contact.address,
          contactPreference: input.contact.preference,
        });
        await insertEvents(
          tx,
          { laCode, childId, requestId, actorId: ctx.actor.userId, requestVersion: 1 },
          [{ type: 'request_received', occurredOn: input.receivedDate, data: { source: input.requestSource } }],
          input.submissionKey,
        );
        await refreshNextDuty(tx, laCode, requestId, true);
        await appendAudit(tx, {
          userId: ctx.actor.userId,
          laCode,
          action: 'create',
          entityType: 'assessment_request',
          entityId: requestId,
          childId,
          ip: ctx.ip,
          requestId: ctx.requestId,
          detail: { newChild: !input.existingChildId },
        });
        return { saved: true, requestId };
      });
    for (let attempt = 1; ; attempt++) {
      try {
        return await record(await references());
      } catch (err) {
        // The same form sent twice at once: the second's unique submission key was refused; the first was saved.
        const earlier =
          pgErrorCode(err) === '23505' ? await findSubmission(db, laCode, input.submissionKey) : undefined;
        if (earlier) return { saved: false, requestId: earlier, duplicate: true };
        // A reference written without the counter (an older import) was taken: the counter catches up, once.
        const series = referenceTaken(err);
        if (!series || attempt > 1) throw err;
        await catchUpReferences(db, laCode, series, series === 'children' ? childPrefix : requestPrefix);
      }
    }
  }

  /** Step 2 (reg 4-5): assess or not, why, and the day the family was told (which meets the 6-week duty). */
  async function decideAssessment(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: { outcome: 'assess' | 'not_assess'; reasons: string; notifiedOn: LocalDate },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'assessment_decision', (_tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(errors, 'notifiedOn', 'The date the family was told', input.notifiedOn, request.receivedDate, today);
      if (errors.length) throw new CaseRuleError(errors);
      return Promise.resolve({
        events: [
          {
            type: 'assessment_decision',
            occurredOn: input.notifiedOn,
            data: { outcome: input.outcome, reasons: input.reasons },
          },
        ],
        patch: {
          assessmentDecision: input.outcome,
          assessmentDecisionDate: input.notifiedOn,
          ...stageChange(request, 'assessment_decision', input.notifiedOn, input.outcome),
        },
      });
    });
  }

  /** Step 3 (reg 6-8): ask each provider for advice; each request has its own 6-week due date. */
  async function requestAdvice(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: {
      requestedOn: LocalDate;
      providers: {
        adviceType: AdviceType;
        provider: string;
        providerEmail: string | null;
        escalationEmail: string | null;
      }[];
    },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'request_advice', async (tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(errors, 'requestedOn', 'The date advice was requested', input.requestedOn, request.receivedDate, today);
      const existing = await listAdvice(tx, ctx.actor.laCode, requestId);
      for (const p of input.providers) {
        if (
          existing.some((a) => a.adviceType === p.adviceType && a.receivedDate === null && p.adviceType !== 'other')
        ) {
          errors.push({
            field: 'adviceTypes',
            text: `${ADVICE_TYPE_NAMES[p.adviceType]} advice has already been requested and not yet received`,
          });
        }
      }
      if (errors.length) throw new CaseRuleError(errors);
      const events: NewEvent[] = [];
      for (const p of input.providers) {
        const adviceId = await insertAdvice(tx, {
          laCode: ctx.actor.laCode,
          requestId,
          adviceType: p.adviceType,
          provider: p.provider,
          providerEmail: p.providerEmail,
          escalationEmail: p.escalationEmail,
          requestedDate: input.requestedOn,
        });
        events.push({
          type: 'advice_requested',
          occurredOn: input.requestedOn,
          data: { adviceId, adviceType: p.adviceType, provider: p.provider },
        });
      }
      return { events, patch: stageChange(request, 'request_advice', input.requestedOn) };
    });
  }

  /**
   * "Tell us once" (Code of Practice 9.47): use advice the family already gave for an earlier request, with their
   * agreement, instead of asking again. It counts as requested and received on the day the family agreed.
   */
  async function reuseAdvice(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: { adviceId: string; familyAgreedOn: LocalDate },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'request_advice', async (tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(
        errors,
        'familyAgreedOn',
        'The date the family agreed',
        input.familyAgreedOn,
        request.receivedDate,
        today,
      );
      const source = (await reusableAdvice(tx, ctx.actor.laCode, request.childId, requestId)).find(
        (a) => a.id === input.adviceId,
      );
      if (!source) errors.push({ field: 'adviceId', text: 'Select advice this child already has' });
      if (errors.length || !source) throw new CaseRuleError(errors);
      const adviceId = await insertAdvice(tx, {
        laCode: ctx.actor.laCode,
        requestId,
        adviceType: source.adviceType,
        provider: source.provider,
        providerEmail: null,
        escalationEmail: null,
        requestedDate: input.familyAgreedOn,
        receivedDate: input.familyAgreedOn,
        reusedFromAdviceId: source.id,
        familyAgreedDate: input.familyAgreedOn,
        documentId: source.documentId,
      });
      const data = {
        adviceId,
        adviceType: source.adviceType,
        provider: source.provider,
        reusedFrom: source.requestReference,
      };
      return {
        events: [
          { type: 'advice_requested', occurredOn: input.familyAgreedOn, data },
          { type: 'advice_received', occurredOn: input.familyAgreedOn, data: { ...data, reused: true } },
        ],
        patch: stageAfterAdvice(
          request,
          await listAdvice(tx, ctx.actor.laCode, requestId),
          adviceId,
          input.familyAgreedOn,
        ),
      };
    });
  }

  /** Advice in: the stage machine moves the case on once no other advice (of `advice`) is awaited. */
  function stageAfterAdvice(
    request: LockedRequest,
    advice: readonly AdviceRow[],
    justReceived: string,
    on: LocalDate,
  ): RequestPatch {
    const awaited = advice.some((a) => a.receivedDate === null && a.id !== justReceived);
    return stageChange(request, 'advice_received', on, awaited ? 'advice_awaited' : 'all_advice_in');
  }

  /** Step 3, continued: advice received, with its document (PDF, DOCX or ODT, checked by content). */
  async function recordAdvice(
    ctx: RequestContext,
    requestId: string,
    adviceId: string,
    stamp: FormStamp,
    input: { receivedOn: LocalDate; document: UploadedFile | null },
  ): Promise<StepResult> {
    const document = input.document ? await checkDocument(input.document, 'document', scanner) : null;
    return onRequest(ctx, requestId, stamp, null, async (tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      if (!request.open) errors.push({ field: '', text: 'This request is closed' });
      const allAdvice = await listAdvice(tx, ctx.actor.laCode, requestId);
      const advice = allAdvice.find((a) => a.id === adviceId);
      if (!advice) throw new NotFoundError(adviceId);
      if (advice.receivedDate) errors.push({ field: '', text: 'This advice has already been recorded as received' });
      checkDate(
        errors,
        'receivedOn',
        'The date the advice was received',
        input.receivedOn,
        advice.requestedDate,
        today,
        'the date the advice was requested',
      );
      if (errors.length) throw new CaseRuleError(errors);
      const documentId = document
        ? await insertDocument(tx, {
            laCode: ctx.actor.laCode,
            childId: request.childId,
            requestId,
            filename: document.filename,
            mediaType: document.mediaType,
            sizeBytes: document.content.length,
            sha256: createHash('sha256').update(document.content).digest('hex'),
            content: document.content,
            uploadedBy: ctx.actor.userId,
          })
        : null;
      await markAdviceReceived(tx, ctx.actor.laCode, adviceId, input.receivedOn, documentId);
      return {
        events: [
          {
            type: 'advice_received',
            occurredOn: input.receivedOn,
            data: { adviceId, adviceType: advice.adviceType, provider: advice.provider, documentId },
          },
        ],
        patch: stageAfterAdvice(request, allAdvice, adviceId, input.receivedOn),
        audit: documentId ? { documentId } : undefined,
      };
    });
  }

  /** Step 5 (reg 10): issue a plan or not; a decision not to issue is due by week 16. */
  async function decideIssue(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: { outcome: 'issue' | 'not_issue'; reasons: string; decidedOn: LocalDate },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'issue_decision', (_tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(errors, 'decidedOn', 'The date of the decision', input.decidedOn, request.receivedDate, today);
      if (errors.length) throw new CaseRuleError(errors);
      return Promise.resolve({
        events: [
          {
            type: 'issue_decision',
            occurredOn: input.decidedOn,
            data: { outcome: input.outcome, reasons: input.reasons },
          },
        ],
        patch: {
          issueDecision: input.outcome,
          issueDecisionDate: input.decidedOn,
          ...stageChange(request, 'issue_decision', input.decidedOn, input.outcome),
        },
      });
    });
  }

  /** Step 7 (reg 13): the draft sent to the family; the clock works out deemed service and the 15-day window. */
  async function serveDraft(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: { sentOn: LocalDate; method: ServiceMethod },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'draft_served', async (tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(errors, 'sentOn', 'The date the draft was sent', input.sentOn, request.receivedDate, today);
      if (errors.length) throw new CaseRuleError(errors);
      // The version the family was sent, so the final plan can be compared with what they commented on.
      const planVersion = (await planVersionsFor(tx, ctx.actor.laCode, requestId)).at(-1)?.versionNo ?? null;
      return {
        events: [{ type: 'draft_served', occurredOn: input.sentOn, data: { method: input.method, planVersion } }],
        patch: { draftServedDate: input.sentOn, ...stageChange(request, 'draft_served', input.sentOn) },
      };
    });
  }

  /**
   * Step 8 (reg 13(2), 14): the final plan, an immutable version with section I (the school or other institution)
   * completed. Not before the family's 15 days to comment have passed, unless they have said they have no more to
   * say (reg 13(1)(a)).
   */
  async function issueFinalPlan(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: {
      issuedOn: LocalDate;
      sectionI: { settingName: string; settingType: string; settingUrn: string | null };
      familyResponded: boolean;
      /** The child's primary need as the plan sets it out (SEN2 SENtype rank 1). */
      primaryNeed: string;
    },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'final_plan_issued', async (tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(errors, 'issuedOn', 'The date the final plan was issued', input.issuedOn, request.receivedDate, today);
      const { events: timeline } = await clockInputs(tx, ctx.actor.laCode, requestId);
      const draft = timeline.filter((e) => e.type === 'draft_served').at(-1);
      if (draft) {
        const method = (draft.data as { method?: ServiceMethod }).method ?? 'email';
        const windowEnds = commentWindowEnds(deemedServed(draft.occurredOn as LocalDate, method, calendar.current()));
        if (input.issuedOn <= windowEnds && !input.familyResponded) {
          errors.push({
            field: 'issuedOn',
            text: `The family has until ${formatLongDate(windowEnds)} to comment on the draft. Issue the final plan after that, or record that they have responded`,
          });
        }
      }
      if (errors.length) throw new CaseRuleError(errors);
      const content = readPlanContent((await latestPlanContent(tx, ctx.actor.laCode, requestId)) ?? {});
      const advice = await listAdvice(tx, ctx.actor.laCode, requestId);
      const final: PlanContent = { ...content, I: input.sectionI, K: adviceList(advice) };
      const planId = await insertPlan(tx, {
        laCode: ctx.actor.laCode,
        childId: request.childId,
        requestId,
        issuedOn: input.issuedOn,
        content: final as unknown as Record<string, unknown>,
        createdBy: ctx.actor.userId,
      });
      await setPrimaryNeed(tx, ctx.actor.laCode, request.childId, input.primaryNeed);
      return {
        events: [
          {
            type: 'final_plan_issued',
            occurredOn: input.issuedOn,
            data: { planId, familyResponded: input.familyResponded, primaryNeed: input.primaryNeed },
          },
        ],
        patch: { finalIssuedDate: input.issuedOn, ...stageChange(request, 'final_plan_issued', input.issuedOn) },
      };
    });
  }

  /**
   * Step 9 (regs 5(4), 8(2), 10(4), 27(3)): an exception to a time limit, recorded against the duty it applies to,
   * with a reason that can apply to that duty. The due dates do not move (rule P11); an exception to the 20-week duty
   * flags the case in the measures (SEN2 Week20), and the family is told.
   */
  async function recordException(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: {
      duty: string;
      reason: ExceptionReason;
      evidence: string;
      from: LocalDate;
      to: LocalDate | null;
      familyToldOn: LocalDate;
    },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'exception', async (tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      const { events, advice } = await clockInputs(tx, ctx.actor.laCode, requestId);
      const choices = caseExceptionChoices(events, advice, today, calendar.current());
      const duty = choices.find((c) => c.id === input.duty);
      if (!duty) {
        errors.push({ field: 'duty', text: 'Select a duty of this request that an exception can apply to' });
      } else if (!exceptionFits(input.reason, input.duty)) {
        errors.push({
          field: 'reason',
          text: `“${EXCEPTION_NAMES[input.reason]}” cannot apply to “${duty.name}”: select a reason listed for that duty`,
        });
      }
      checkDate(errors, 'from', 'The date the exception began', input.from, request.receivedDate, today);
      if (input.to && input.to < input.from)
        errors.push({ field: 'to', text: 'The end date must be on or after the start date' });
      checkDate(
        errors,
        'familyToldOn',
        'The date the family was told',
        input.familyToldOn,
        input.from,
        today,
        'the date the exception began',
      );
      if (input.evidence.length > EXCEPTION_EVIDENCE_MAX) {
        errors.push({ field: 'evidence', text: `The evidence must be ${EXCEPTION_EVIDENCE_MAX} characters or fewer` });
      }
      if (errors.length) throw new CaseRuleError(errors);
      return {
        events: [
          {
            type: 'exception',
            occurredOn: input.from,
            data: {
              duty: input.duty,
              reason: input.reason,
              from: input.from,
              ...(input.to ? { to: input.to } : {}),
              evidence: input.evidence,
              familyToldOn: input.familyToldOn,
            },
          },
        ],
        // The request row keeps the reason of the exception to the 20-week duty, which the measures and SEN2 read.
        patch: input.duty === TWENTY_WEEK_DUTY ? { exceptionReason: input.reason } : {},
      };
    });
  }

  /** The request was withdrawn (or the child moved away): the case closes and its remaining duties end. */
  async function withdraw(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: { withdrawnOn: LocalDate; reason: string },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'withdraw', (_tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(errors, 'withdrawnOn', 'The date of withdrawal', input.withdrawnOn, request.receivedDate, today);
      if (errors.length) throw new CaseRuleError(errors);
      return Promise.resolve({
        events: [{ type: 'request_withdrawn', occurredOn: input.withdrawnOn, data: { reason: input.reason } }],
        patch: stageChange(request, 'withdraw', input.withdrawnOn),
      });
    });
  }

  /** Step 6 (reg 12): a new version of the draft plan, sections A to K; section I stays blank until the final. */
  async function saveDraft(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    content: PlanContent,
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'write_draft', async (tx, request) => {
      const advice = await listAdvice(tx, ctx.actor.laCode, requestId);
      const stored: PlanContent = { ...content, I: null, K: adviceList(advice) };
      const versionNo = await insertDraftVersion(tx, {
        laCode: ctx.actor.laCode,
        childId: request.childId,
        requestId,
        content: stored as unknown as Record<string, unknown>,
        createdBy: ctx.actor.userId,
      });
      return {
        events: [{ type: 'draft_plan_saved', occurredOn: clock.today(), data: { versionNo } }],
        audit: { planVersion: versionNo },
      };
    });
  }

  /** The plan as it stands (the latest version, or an empty draft), every version, and K from the advice. */
  async function planForCase(ctx: RequestContext, requestId: string) {
    if (!can(ctx.actor.roles, 'case:read_any')) throw new ForbiddenError('case:read_any');
    const [versions, advice] = await Promise.all([
      planVersionsFor(db, ctx.actor.laCode, requestId),
      listAdvice(db, ctx.actor.laCode, requestId),
    ]);
    const latest = versions.at(-1);
    const content = latest ? readPlanContent(latest.content) : emptyPlan();
    if (!latest || latest.kind === 'draft') content.K = adviceList(advice);
    return {
      content,
      versions: versions.map((v) => ({ ...v, content: readPlanContent(v.content) })),
    };
  }

  /** Step 7: a school or setting the family asked for (or the council proposes) is consulted about section I. */
  async function consultSetting(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: { settingName: string; settingUrn: string | null; sentOn: LocalDate },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'consult_setting', async (tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(errors, 'sentOn', 'The date the setting was consulted', input.sentOn, request.receivedDate, today);
      if (errors.length) throw new CaseRuleError(errors);
      const consultationId = await insertConsultation(tx, {
        laCode: ctx.actor.laCode,
        requestId,
        settingName: input.settingName,
        settingUrn: input.settingUrn,
        sentDate: input.sentOn,
      });
      return {
        events: [
          {
            type: 'setting_consulted',
            occurredOn: input.sentOn,
            data: {
              consultationId,
              settingName: input.settingName,
              responseDue: consultationResponseDue(input.sentOn),
            },
          },
        ],
      };
    });
  }

  /** Step 7: the setting's reply. */
  async function recordConsultationReply(
    ctx: RequestContext,
    requestId: string,
    consultationId: string,
    stamp: FormStamp,
    input: { respondedOn: LocalDate; response: ConsultationResponse; note: string },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, null, async (tx, request, today) => {
      if (!request.open) throw new CaseRuleError([{ field: '', text: 'This request is closed' }]);
      const consultation = (await listConsultations(tx, ctx.actor.laCode, requestId)).find(
        (c) => c.id === consultationId,
      );
      if (!consultation) throw new NotFoundError(consultationId);
      const errors: { field: string; text: string }[] = [];
      if (consultation.respondedDate)
        errors.push({ field: '', text: 'This setting’s reply has already been recorded' });
      checkDate(
        errors,
        'respondedOn',
        'The date of the reply',
        input.respondedOn,
        consultation.sentDate,
        today,
        'the date the setting was consulted',
      );
      if (errors.length) throw new CaseRuleError(errors);
      await recordConsultationResponse(tx, ctx.actor.laCode, consultationId, {
        respondedDate: input.respondedOn,
        response: input.response,
        responseNote: input.note,
      });
      return {
        events: [
          {
            type: 'consultation_reply',
            occurredOn: input.respondedOn,
            data: { consultationId, settingName: consultation.settingName, response: input.response },
          },
        ],
      };
    });
  }

  /** Step 7: what the family said about the draft, and the setting they would like named. */
  async function recordRepresentations(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: { receivedOn: LocalDate; representations: string; preferredSetting: string; meetingRequested: boolean },
  ): Promise<StepResult> {
    return onRequest(ctx, requestId, stamp, 'family_representations', (_tx, request, today) => {
      const errors: { field: string; text: string }[] = [];
      checkDate(
        errors,
        'receivedOn',
        'The date the family’s comments were received',
        input.receivedOn,
        request.receivedDate,
        today,
      );
      if (errors.length) throw new CaseRuleError(errors);
      return Promise.resolve({
        events: [
          {
            type: 'family_representations',
            occurredOn: input.receivedOn,
            data: {
              representations: input.representations,
              preferredSetting: input.preferredSetting,
              meetingRequested: input.meetingRequested,
            },
          },
        ],
      });
    });
  }

  /** The settings consulted, with each reply's due date and status (staff; the case read itself is audited). */
  async function consultations(ctx: RequestContext, requestId: string) {
    if (!can(ctx.actor.roles, 'case:read_any')) throw new ForbiddenError('case:read_any');
    const today = clock.today();
    return (await listConsultations(db, ctx.actor.laCode, requestId)).map((c) => ({
      ...c,
      responseDue: consultationResponseDue(c.sentDate as LocalDate),
      status: consultationStatus(c.sentDate as LocalDate, c.respondedDate as LocalDate | null, today),
    }));
  }

  /** A manager moves a case to another caseworker in the LA (or takes it off everyone's list). */
  async function reassign(
    ctx: RequestContext,
    requestId: string,
    stamp: FormStamp,
    input: { caseworkerId: string | null },
  ): Promise<StepResult> {
    if (!can(ctx.actor.roles, 'case:reassign')) throw new ForbiddenError('case:reassign');
    return onRequest(ctx, requestId, stamp, null, async (tx, request) => {
      if (!request.open) throw new CaseRuleError([{ field: '', text: 'This request is closed' }]);
      let name: string | null = null;
      if (input.caseworkerId) {
        const person = (await listCaseworkers(tx, ctx.actor.laCode)).find((c) => c.userId === input.caseworkerId);
        if (!person) throw new CaseRuleError([{ field: 'caseworkerId', text: 'Select a caseworker from the list' }]);
        name = person.displayName;
      }
      return {
        events: [
          {
            type: 'caseworker_assigned',
            occurredOn: clock.today(),
            data: { caseworkerId: input.caseworkerId, caseworkerName: name },
          },
        ],
        patch: { caseworkerId: input.caseworkerId },
      };
    });
  }

  /** A stored document, for download by staff who may read the case; every download is audited. */
  async function downloadDocument(ctx: RequestContext, documentId: string) {
    if (!can(ctx.actor.roles, 'case:read_any')) throw new ForbiddenError('case:read_any');
    return db.transaction(async (tx) => {
      const doc = isUuid(documentId) ? await getDocument(tx, ctx.actor.laCode, documentId) : undefined;
      if (!doc) throw new NotFoundError(documentId);
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: 'read',
        entityType: 'document',
        entityId: doc.id,
        childId: doc.childId,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      return doc;
    });
  }

  /** Advice this child already has from earlier requests, offered for "tell us once". */
  async function reusableAdviceFor(ctx: RequestContext, requestId: string, childId: string) {
    requireWrite(ctx);
    return reusableAdvice(db, ctx.actor.laCode, childId, requestId);
  }

  return {
    recordRequest,
    decideAssessment,
    requestAdvice,
    reuseAdvice,
    recordAdvice,
    decideIssue,
    serveDraft,
    issueFinalPlan,
    recordException,
    withdraw,
    reassign,
    saveDraft,
    planForCase,
    consultSetting,
    recordConsultationReply,
    recordRepresentations,
    consultations,
    downloadDocument,
    reusableAdviceFor,
    reworkNextDuties,
  };
}

/** Section K: the advice received, listed automatically (reg 12(1)(k)). */
function adviceList(advice: AdviceRow[]): PlanContent['K'] {
  return advice
    .filter((a) => a.receivedDate !== null)
    .map((a) => ({ adviceType: a.adviceType, provider: a.provider, receivedDate: a.receivedDate }));
}

/** A document's kind from its content and its size, or the reason it is refused (services/documents.ts). */
async function checkDocument(
  file: UploadedFile,
  field: string,
  scanner: VirusScanner | null,
): Promise<UploadedFile & { mediaType: string }> {
  if (file.content.length === 0) throw new CaseRuleError([{ field, text: 'The selected file is empty' }]);
  if (file.content.length > MAX_DOCUMENT_BYTES) {
    throw new CaseRuleError([{ field, text: 'The selected file must be smaller than 10MB' }]);
  }
  const checked = await checkUpload(file.content, scanner);
  if (checked.refusal !== undefined) throw new CaseRuleError([{ field, text: checked.refusal }]);
  return { ...file, mediaType: checked.mediaType };
}

export type CaseworkService = ReturnType<typeof createCaseworkService>;
export type { AdviceRow };
