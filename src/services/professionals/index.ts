/**
 * Professionals outside the council taking part in an assessment: advice givers (educational psychologists, health
 * through the designated clinical officer, social care, schools giving education advice) answer the advice requests
 * addressed to them or their service, online; schools and settings answer the consultations about naming them in
 * section I. Each read and write checks the permission and the person's scope (scope.ts) and is audited; a record
 * outside the scope is "not found", audited as a denied read or write. Giving advice and answering a consultation are
 * recorded through the caseworker's own use cases (casework/recordAdvice.ts, recordConsultationReply.ts), so the
 * case, its clock and its timeline change exactly as when the caseworker records them.
 */
import {
  adviceForProfessional,
  adviceGivenOnline,
  adviceGivers,
  adviceWorkCounts,
  adviceWorkList,
  consultationForSetting,
  consultationsForSettings,
  saveAdviceDraft,
} from '../../data/repositories/professionals.js';
import { auditAction } from '../auditTrail.js';
import {
  adviceDue,
  adviceWarnings,
  adviceWorkStatus,
  isEmptyAdvice,
  lateIfRequestedBefore,
  readAdviceContent,
  type AdviceContent,
} from '../../domain/casework/adviceContent.js';
import { consultationResponseDue, consultationStatus } from '../../domain/casework/consultation.js';
import type { ConsultationResponse } from '../../domain/casework/consultation.js';
import { readPlanContent } from '../../domain/casework/planContent.js';
import { londonDate, type LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { recordAdvice } from '../casework/recordAdvice.js';
import { recordConsultationReply } from '../casework/recordConsultationReply.js';
import { CaseRuleError, type CaseworkDeps, type UploadedFile } from '../casework/types.js';
import { NotFoundError, StaleFormError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';
import { adviceInScope, consultationInScope, scopeOf } from './scope.js';

export const ADVICE_FILTERS = ['outstanding', 'given'] as const;
/** Requests on one page of the work list. */
export const WORK_LIST_PAGE_SIZE = 25;
export type AdviceFilter = (typeof ADVICE_FILTERS)[number];

export function createProfessionalService(deps: CaseworkDeps) {
  const { database, clock } = deps;
  const { db } = database;

  /** A denied read or write of a record outside the person's scope: audited, then "not found". */
  async function denied(ctx: RequestContext, write: boolean, entityType: string, id: string): Promise<never> {
    await auditAction(db, ctx, write ? 'write_denied' : 'read_denied', entityType, id.slice(0, 64));
    throw new NotFoundError(id, true);
  }

  /** The advice request if it is the person's to answer (in their LA, to them or their service). */
  async function ownAdvice(ctx: RequestContext, adviceId: string, write: boolean) {
    requirePermission(ctx, 'advice:give');
    const row = await adviceForProfessional(db, ctx.actor.laCode, adviceId);
    if (!row || !adviceInScope(ctx, await scopeOf(db, ctx), row)) return denied(ctx, write, 'advice_request', adviceId);
    return row;
  }

  async function ownConsultation(ctx: RequestContext, consultationId: string, write: boolean) {
    requirePermission(ctx, 'consultation:answer');
    const row = await consultationForSetting(db, ctx.actor.laCode, consultationId);
    if (!row || !consultationInScope(await scopeOf(db, ctx), row)) {
      return denied(ctx, write, 'setting_consultation', consultationId);
    }
    return row;
  }

  const givenOn = (row: { receivedDate: string | null; submittedAt: Date | null }) =>
    (row.receivedDate as LocalDate | null) ?? (row.submittedAt ? londonDate(row.submittedAt) : null);

  return {
    /**
     * One page of the advice requests addressed to the person or their service (WORK_LIST_PAGE_SIZE a page): the
     * outstanding ones late first then by due date, or those given online, latest first; with each tab's count and
     * how many are late. The page is read in the query, never the whole list.
     */
    async workList(ctx: RequestContext, filter: AdviceFilter, page = 1) {
      requirePermission(ctx, 'advice:give');
      const today = clock.today();
      const scope = await scopeOf(db, ctx);
      const { laCode, userId } = ctx.actor;
      const counts = await adviceWorkCounts(db, laCode, userId, scope.adviceServices, lateIfRequestedBefore(today));
      const rows = await adviceWorkList(db, laCode, userId, scope.adviceServices, filter, {
        limit: WORK_LIST_PAGE_SIZE,
        offset: (page - 1) * WORK_LIST_PAGE_SIZE,
      });
      const items = rows.map((r) => {
        const requested = r.requestedDate as LocalDate;
        const given = givenOn(r);
        return {
          id: r.id,
          givenName: r.givenName,
          dateOfBirth: r.dateOfBirth as LocalDate,
          reference: r.requestReference,
          adviceType: r.adviceType,
          requestedDate: requested,
          due: adviceDue(requested),
          status: adviceWorkStatus(requested, given, today),
          givenOn: given,
          addressedToYou: r.providerUserId === ctx.actor.userId,
        };
      });
      await auditAction(db, ctx, 'read', 'advice_work_list', null, { filter, page, shown: items.length });
      return {
        items,
        counts,
        page,
        pageSize: WORK_LIST_PAGE_SIZE,
        total: filter === 'given' ? counts.given : counts.outstanding,
      };
    },

    /** One request for advice: what is asked, about whom, the advice as saved so far, and its writing checks. */
    async viewAdvice(ctx: RequestContext, adviceId: string) {
      const row = await ownAdvice(ctx, adviceId, false);
      await auditAction(db, ctx, 'read', 'advice_request', row.id, {}, row.childId);
      const today = clock.today();
      const requested = row.requestedDate as LocalDate;
      const given = givenOn(row);
      const content = readAdviceContent(row.content);
      return {
        id: row.id,
        requestId: row.requestId,
        reference: row.requestReference,
        adviceType: row.adviceType,
        provider: row.provider,
        requestedDate: requested,
        due: adviceDue(requested),
        status: adviceWorkStatus(requested, given, today),
        givenOn: given,
        given: given !== null,
        /** Given, but recorded by the council from a document, not given online: there is no advice here to read. */
        recordedByCouncil: given !== null && row.submittedAt === null,
        open: row.requestOpen,
        version: row.version,
        child: {
          givenName: row.givenName,
          familyName: row.familyName,
          dateOfBirth: row.dateOfBirth as LocalDate,
          settingName: row.settingName,
        },
        caseworker: { name: row.caseworkerName, email: row.caseworkerEmail },
        familyAgreedDate: row.familyAgreedDate as LocalDate | null,
        content,
        warnings: adviceWarnings(content),
        hasDocument: row.documentId !== null,
      };
    },

    /** Saves the advice as the professional writes it, against the version they opened (a stale save is refused). */
    async saveAdvice(ctx: RequestContext, adviceId: string, version: number, content: AdviceContent) {
      const row = await ownAdvice(ctx, adviceId, true);
      return runUseCase(database, ctx, 'advice:give', async (frame) => {
        if (row.receivedDate) throw new CaseRuleError([{ field: '', text: 'This advice has already been sent' }]);
        const saved = await saveAdviceDraft(
          frame.tx,
          ctx.actor.laCode,
          adviceId,
          version,
          content as unknown as Record<string, unknown>,
        );
        if (saved === undefined) {
          const now = await adviceForProfessional(frame.tx, ctx.actor.laCode, adviceId);
          if (now?.receivedDate) throw new CaseRuleError([{ field: '', text: 'This advice has already been sent' }]);
          throw new StaleFormError({ changes: [], by: null, at: null, version: now?.version ?? null });
        }
        await frame.audit('write', 'advice_request', adviceId, { saved: 'draft', version: saved }, row.childId);
        return { version: saved };
      });
    },

    /**
     * Sends the advice as saved at `version`, with the signed document: recorded as advice received today on the
     * case (casework/recordAdvice.ts), so the clock's advice duty is met and the caseworker sees it.
     */
    async submitAdvice(
      ctx: RequestContext,
      adviceId: string,
      input: { version: number; submissionKey: string; document: UploadedFile | null },
    ) {
      const row = await ownAdvice(ctx, adviceId, true);
      const content = readAdviceContent(row.content);
      const errors: { field: string; text: string }[] = [];
      if (row.version !== input.version && !row.receivedDate) {
        throw new StaleFormError({ changes: [], by: null, at: null, version: row.version });
      }
      if (isEmptyAdvice(content)) errors.push({ field: '', text: 'Write your advice before you send it' });
      if (!input.document) errors.push({ field: 'document', text: 'Select your signed advice document' });
      if (errors.length) throw new CaseRuleError(errors);
      return recordAdvice(
        deps,
        ctx,
        row.requestId,
        adviceId,
        { version: 0, submissionKey: input.submissionKey },
        { receivedOn: clock.today(), document: input.document, online: { content, adviceVersion: input.version } },
      );
    },

    /** The consultations sent to the person's setting, newest first, with each reply's due date and status. */
    async consultations(ctx: RequestContext) {
      requirePermission(ctx, 'consultation:answer');
      const today = clock.today();
      const scope = await scopeOf(db, ctx);
      const rows = await consultationsForSettings(db, ctx.actor.laCode, scope.settingUrns);
      await auditAction(db, ctx, 'read', 'consultation_list', null, { shown: rows.length });
      return rows.map((r) => ({
        id: r.id,
        givenName: r.givenName,
        reference: r.requestReference,
        settingName: r.settingName,
        sentDate: r.sentDate as LocalDate,
        replyDue: consultationResponseDue(r.sentDate as LocalDate),
        status: consultationStatus(r.sentDate as LocalDate, r.respondedDate as LocalDate | null, today),
        respondedDate: r.respondedDate as LocalDate | null,
      }));
    },

    /** One consultation: the child, the draft plan the setting was sent, and its reply when given. */
    async viewConsultation(ctx: RequestContext, consultationId: string) {
      const row = await ownConsultation(ctx, consultationId, false);
      await auditAction(db, ctx, 'read', 'setting_consultation', row.id, {}, row.childId);
      const sent = row.sentDate as LocalDate;
      return {
        id: row.id,
        requestId: row.requestId,
        reference: row.requestReference,
        settingName: row.settingName,
        sentDate: sent,
        replyDue: consultationResponseDue(sent),
        status: consultationStatus(sent, row.respondedDate as LocalDate | null, clock.today()),
        respondedDate: row.respondedDate as LocalDate | null,
        response: row.response,
        responseNote: row.responseNote,
        open: row.requestOpen,
        version: row.version,
        child: { givenName: row.givenName, familyName: row.familyName, dateOfBirth: row.dateOfBirth as LocalDate },
        caseworker: { name: row.caseworkerName, email: row.caseworkerEmail },
        draft: row.planContent ? { versionNo: row.planVersionNo, content: readPlanContent(row.planContent) } : null,
      };
    },

    /** The setting's answer, recorded as its reply on the case today (casework/recordConsultationReply.ts). */
    async answerConsultation(
      ctx: RequestContext,
      consultationId: string,
      input: { version: number; submissionKey: string; response: ConsultationResponse; note: string },
    ) {
      const row = await ownConsultation(ctx, consultationId, true);
      return recordConsultationReply(
        deps,
        ctx,
        row.requestId,
        consultationId,
        { version: 0, submissionKey: input.submissionKey },
        { respondedOn: clock.today(), response: input.response, note: input.note },
        { consultationVersion: input.version },
      );
    },

    /** For the caseworker: the advice given online on a request, structured (the case page, the plan editor). */
    async adviceOnline(ctx: RequestContext, requestId: string) {
      requirePermission(ctx, 'case:read_any');
      const rows = await adviceGivenOnline(db, ctx.actor.laCode, requestId);
      return rows.map((r) => {
        const content = readAdviceContent(r.content);
        // The same writing checks the professional was shown, for the caseworker to weigh.
        return { ...r, receivedDate: r.receivedDate as LocalDate, content, warnings: adviceWarnings(content) };
      });
    },

    /** For the caseworker: the LA's advice givers, to address a request to one by name. */
    async adviceGivers(ctx: RequestContext) {
      requirePermission(ctx, 'case:write');
      return adviceGivers(db, ctx.actor.laCode);
    },
  };
}

export type ProfessionalService = ReturnType<typeof createProfessionalService>;
