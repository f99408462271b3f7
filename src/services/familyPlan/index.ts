/**
 * A family's part in the draft and final plan (issue 27, part B): reading the draft served on them, writing their
 * response section by section (kept as they write it, version-checked), sending it as the representations on the case
 * (recordRepresentations, the family as the actor), and reading the final plan with the dates of their right to
 * mediation and appeal. Only a linked parent, carer or young person, for their own child: anyone else's request is
 * "not found" and the attempt is audited as denied; staff are refused (they read the case pages). Every read and
 * write is audited; no free text goes into the audit record.
 */
import { appendAudit } from '../../data/repositories/audit.js';
import { getCase, type CaseRecord } from '../../data/repositories/cases.js';
import { lockRequest } from '../../data/repositories/casework.js';
import {
  findDraftResponse,
  insertDraftResponse,
  latestFinalVersion,
  markDraftResponseSent,
  planVersionByNumber,
  updateDraftResponse,
} from '../../data/repositories/draftResponses.js';
import {
  COMMENT_SECTIONS,
  applyChange,
  emptyResponse,
  hasContent,
  readResponse,
  representationsText,
  responseDifferences,
  responseProblems,
  type DraftResponse,
  type ResponseChange,
} from '../../domain/casework/draftResponse.js';
import { latestEvent } from '../../domain/casework/events.js';
import type { FamilyAudience } from '../../domain/casework/familyView.js';
import { readPlanContent, type PlanContent } from '../../domain/casework/planContent.js';
import { familyRelationship } from '../../data/repositories/family.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { appealBy, mediationContactBy, type AppealDeadline } from '../../domain/statutory/appeal.js';
import { caseClock, type RequestContext } from '../cases.js';
import { recordRepresentations } from '../casework/recordRepresentations.js';
import { ConflictError, type CaseworkDeps } from '../casework/types.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import { requirePermission } from '../useCase.js';

/** The draft served on the family, and their response to it, as the draft pages show them. */
export interface FamilyDraft {
  requestId: string;
  /** The child's given name only (the pages greet the family; the full name is on the plan itself). */
  childGivenName: string;
  /** Who is reading: a parent or carer ("your child"), or the young person themselves ("you"). */
  audience: FamilyAudience;
  draft: PlanContent;
  servedOn: LocalDate;
  /** The last day of their 15 days to comment (the clock's draftCommentWindowEnds), when the clock can say. */
  windowEnds: LocalDate | null;
  /** Today is after the 15 days: a response is still taken, and recorded as late. */
  late: boolean;
  response: DraftResponse;
  /** The response's version (0 before anything is saved): each form carries it. */
  responseVersion: number;
  sentAt: Date | null;
  /** They can still change and send it: not sent, and the final plan not yet issued. */
  canRespond: boolean;
  finalIssued: boolean;
}

export interface FamilyFinalPlan {
  requestId: string;
  childName: string;
  /** Who is reading: a parent or carer, or the young person themselves. */
  audience: FamilyAudience;
  plan: PlanContent;
  issuedOn: LocalDate;
  /** reg 33: the last day to contact the mediation adviser. */
  mediationBy: LocalDate;
  /** The Tribunal's deadline (the later of the two periods, moved by its holiday rule). */
  appeal: AppealDeadline;
  /** Whether a mediation certificate is on the case (its month is in the appeal date). */
  certificateOn: LocalDate | null;
  /** Today: a time that has ended is said to have ended. */
  today: LocalDate;
}

export function createFamilyPlanService(deps: CaseworkDeps) {
  const { db } = deps.database;

  /** The family's own child's request, or "not found" with the attempt audited (another child's, another LA's). */
  async function ownRequest(ctx: RequestContext, requestId: string, write: boolean): Promise<CaseRecord> {
    requirePermission(ctx, 'family:contribute');
    const record = isUuid(requestId) ? await getCase(db, ctx.actor.laCode, requestId) : undefined;
    if (!record || !ctx.actor.childIds.includes(record.child.id)) {
      await appendAudit(db, {
        userId: ctx.actor.userId,
        laCode: ctx.actor.laCode,
        action: write ? 'write_denied' : 'read_denied',
        entityType: 'assessment_request',
        entityId: requestId.slice(0, 64),
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      throw new NotFoundError(requestId, true);
    }
    return record;
  }

  /** Whether the person signed in is the young person themselves, or a parent or carer (their link to the child). */
  async function audienceOf(ctx: RequestContext, childId: string): Promise<FamilyAudience> {
    const relationship = await familyRelationship(db, ctx.actor.laCode, ctx.actor.userId, childId);
    return relationship === 'young_person' ? 'young_person' : 'parent';
  }

  /** The draft last served on the family (the version its draft_served event names), if any. */
  async function servedDraft(record: CaseRecord, laCode: string) {
    const served = latestEvent(record.events, 'draft_served');
    const versionNo = (served?.data as { planVersion?: unknown } | null)?.planVersion;
    if (!served || typeof versionNo !== 'number') return undefined;
    const version = await planVersionByNumber(db, laCode, record.request.id, versionNo);
    return version ? { ...version, servedOn: served.occurredOn as LocalDate } : undefined;
  }

  async function draftState(ctx: RequestContext, record: CaseRecord) {
    const draft = await servedDraft(record, ctx.actor.laCode);
    // A draft not yet served is never shown: the same answer as no draft at all.
    if (!draft) throw new NotFoundError('no draft has been served');
    const today = deps.clock.today();
    const windowEnds = caseClock(record, today, deps.calendar.current()).draftCommentWindowEnds as LocalDate | null;
    return { draft, today, windowEnds, late: windowEnds !== null && today > windowEnds };
  }

  async function viewDraft(ctx: RequestContext, requestId: string): Promise<FamilyDraft> {
    const record = await ownRequest(ctx, requestId, false);
    const { draft, windowEnds, late } = await draftState(ctx, record);
    const row = await findDraftResponse(db, ctx.actor.laCode, requestId, draft.id);
    await appendAudit(db, {
      userId: ctx.actor.userId,
      laCode: ctx.actor.laCode,
      action: 'read',
      entityType: 'draft_plan',
      entityId: draft.id,
      childId: record.child.id,
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
    const finalIssued = record.request.finalIssuedDate !== null;
    return {
      requestId,
      childGivenName: record.child.givenName,
      audience: await audienceOf(ctx, record.child.id),
      draft: readPlanContent(draft.content),
      servedOn: draft.servedOn,
      windowEnds,
      late,
      response: row ? readResponse(row.content) : emptyResponse(),
      responseVersion: row?.version ?? 0,
      sentAt: row?.sentAt ?? null,
      canRespond: !row?.sentAt && record.request.stage === 'draft_with_family',
      finalIssued,
    };
  }

  const closed = (sent: boolean) =>
    new RuleError([
      {
        field: '',
        text: sent
          ? 'You have already sent your response to this draft. Contact your caseworker if you want to add something.'
          : 'The council has issued the final plan, so this draft can no longer be changed. Contact your caseworker if you want to add something.',
      },
    ]);

  /** Saves one page of the response (a section's comment, the setting, the meeting) against the version the form had. */
  async function saveResponse(
    ctx: RequestContext,
    requestId: string,
    formVersion: number,
    change: ResponseChange,
  ): Promise<{ version: number }> {
    const record = await ownRequest(ctx, requestId, true);
    const { draft } = await draftState(ctx, record);
    const problems = responseProblems(change);
    if (problems.length) throw new RuleError(problems);
    return db.transaction(async (tx) => {
      const laCode = ctx.actor.laCode;
      // The request's lock orders two first saves from two devices (there is no row to lock yet).
      const request = await lockRequest(tx, laCode, requestId);
      if (!request) throw new NotFoundError(requestId);
      const row = await findDraftResponse(tx, laCode, requestId, draft.id, true);
      if (row?.sentAt) throw closed(true);
      if (request.stage !== 'draft_with_family') throw closed(false);
      const saved = row ? readResponse(row.content) : emptyResponse();
      const current = row?.version ?? 0;
      if (current !== formVersion) {
        throw new StaleFormError({
          changes: responseDifferences(saved, applyChange(saved, change)),
          by: null,
          at: row?.updatedAt ?? null,
          version: current,
        });
      }
      const content = applyChange(saved, change);
      const id = row
        ? (await updateDraftResponse(tx, laCode, row.id, content, ctx.actor.userId), row.id)
        : await insertDraftResponse(tx, {
            laCode,
            childId: record.child.id,
            requestId,
            planVersionId: draft.id,
            content,
            userId: ctx.actor.userId,
          });
      await appendAudit(tx, {
        userId: ctx.actor.userId,
        laCode,
        action: 'write',
        entityType: 'draft_response',
        entityId: id,
        childId: record.child.id,
        ip: ctx.ip,
        requestId: ctx.requestId,
        detail: { part: change.part, ...(change.part === 'comment' ? { section: change.section } : {}) },
      });
      return { version: current + 1 };
    });
  }

  /**
   * Sends the response: the representations recorded on the case today with the family as the actor, and the
   * response marked sent, in one transaction. After the 15 days it is still taken, and recorded as late.
   */
  async function sendResponse(
    ctx: RequestContext,
    requestId: string,
    form: { version: number; submissionKey: string },
  ): Promise<{ sentOn: LocalDate; late: boolean; duplicate: boolean }> {
    const record = await ownRequest(ctx, requestId, true);
    const { draft, today, late } = await draftState(ctx, record);
    const row = await findDraftResponse(db, ctx.actor.laCode, requestId, draft.id);
    const response = row ? readResponse(row.content) : emptyResponse();
    if (!row || !hasContent(response)) {
      throw new RuleError([
        { field: '', text: 'Add a comment, the school or setting you want, or your answer about a meeting first' },
      ]);
    }
    const sections = Object.fromEntries(
      COMMENT_SECTIONS.filter((s) => response.comments[s]).map((s) => [s, response.comments[s]!]),
    );
    const send = (version: number) =>
      recordRepresentations(
        deps,
        ctx,
        requestId,
        { version, submissionKey: form.submissionKey },
        {
          receivedOn: today,
          representations: representationsText(response),
          preferredSetting: response.preferredSetting,
          meetingRequested: response.meetingRequested === true,
        },
        {
          online: {
            sections,
            settingUrn: response.settingUrn || null,
            meetingTopics: response.meetingTopics,
            late,
          },
          alongside: async (tx) => {
            const locked = await findDraftResponse(tx, ctx.actor.laCode, requestId, draft.id, true);
            if (!locked) throw new NotFoundError('no response');
            if (locked.sentAt) throw closed(true);
            if (locked.version !== form.version) {
              const now = readResponse(locked.content);
              throw new StaleFormError({
                changes: responseDifferences(now, response),
                by: null,
                at: locked.updatedAt,
                version: locked.version,
              });
            }
            await markDraftResponseSent(tx, ctx.actor.laCode, locked.id, deps.clock.now());
            return { draftResponse: locked.id, late };
          },
        },
      );
    let result;
    try {
      result = await send(record.request.version);
    } catch (err) {
      // Staff recorded something on the case between reading it and sending: the family's response is their own,
      // so it is sent against the case as it is now (the response's own version still guards against a stale page).
      if (!(err instanceof ConflictError)) throw err;
      result = await send(err.currentVersion);
    }
    return { sentOn: today, late, duplicate: !result.saved };
  }

  /** The final plan issued, with the dates of the family's right to mediation and appeal. */
  async function finalPlan(ctx: RequestContext, requestId: string, format: 'html' | 'pdf' | 'docx') {
    const record = await ownRequest(ctx, requestId, false);
    const final = await latestFinalVersion(db, ctx.actor.laCode, requestId);
    if (!final?.issuedDate) throw new NotFoundError('no final plan has been issued');
    await appendAudit(db, {
      userId: ctx.actor.userId,
      laCode: ctx.actor.laCode,
      action: 'read',
      entityType: 'final_plan',
      entityId: final.id,
      childId: record.child.id,
      ip: ctx.ip,
      requestId: ctx.requestId,
      detail: { format },
    });
    const issuedOn = final.issuedDate as LocalDate;
    const certificate = latestEvent(record.events, 'mediation_certificate_issued');
    const certificateOn = (certificate?.occurredOn as LocalDate | undefined) ?? null;
    const result: FamilyFinalPlan = {
      requestId,
      childName: `${record.child.givenName} ${record.child.familyName}`,
      audience: await audienceOf(ctx, record.child.id),
      plan: readPlanContent(final.content),
      issuedOn,
      mediationBy: mediationContactBy(issuedOn),
      appeal: appealBy(issuedOn, certificateOn, deps.calendar.current()),
      certificateOn,
      today: deps.clock.today(),
    };
    return result;
  }

  return { viewDraft, saveResponse, sendResponse, finalPlan };
}

export type FamilyPlanService = ReturnType<typeof createFamilyPlanService>;
