import { createHash } from 'node:crypto';
import { insertDocument, listAdvice, markAdviceReceived } from '../../data/repositories/casework.js';
import { lockAdvice, markAdviceSubmitted } from '../../data/repositories/professionals.js';
import type { AdviceContent } from '../../domain/casework/adviceContent.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkUpload } from '../documents.js';
import { NotFoundError, StaleFormError } from '../errors.js';
import { adviceInScope, scopeOf } from '../professionals/scope.js';
import { requirePermission } from '../useCase.js';
import type { VirusScanner } from '../virusScan.js';
import { CASEWORKER, checkDate, onRequest, stageAfterAdvice, type FieldErrors } from './frame.js';
import {
  CaseRuleError,
  MAX_DOCUMENT_BYTES,
  type CaseworkDeps,
  type FormStamp,
  type StepResult,
  type UploadedFile,
} from './types.js';

/**
 * Advice given online by the professional it was addressed to (or their service): its structured content, checked
 * against the version of the advice request they last saw.
 */
export interface OnlineAdvice {
  content: AdviceContent;
  adviceVersion: number;
}

/**
 * Step 3, continued: advice received, with its document (PDF, DOCX or ODT, checked by content). Recorded by the
 * caseworker, or given online by the professional (`input.online`): then it is received today, the document is the
 * professional's, and the structured advice is kept with it.
 */
export async function recordAdvice(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  adviceId: string,
  stamp: FormStamp,
  input: { receivedOn: LocalDate; document: UploadedFile | null; online?: OnlineAdvice },
): Promise<StepResult> {
  const { online } = input;
  const as = online ? { permission: 'advice:give' as const, checkRequestVersion: false } : CASEWORKER;
  // Refused before the document is read or scanned (the frame checks again).
  requirePermission(ctx, as.permission);
  const document = input.document ? await checkDocument(input.document, 'document', deps.scanner) : null;
  return onRequest(
    deps,
    ctx,
    requestId,
    stamp,
    null,
    async (tx, request, today) => {
      if (online) {
        const locked = await lockAdvice(tx, ctx.actor.laCode, adviceId);
        if (!locked || !adviceInScope(ctx, await scopeOf(tx, ctx), locked)) throw new NotFoundError(adviceId);
        if (locked.version !== online.adviceVersion) {
          throw new StaleFormError({ changes: [], by: null, at: null, version: locked.version });
        }
      }
      const errors: FieldErrors = [];
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
            source: online ? 'professional' : 'council',
          })
        : null;
      await markAdviceReceived(tx, ctx.actor.laCode, adviceId, input.receivedOn, documentId);
      if (online) {
        await markAdviceSubmitted(tx, ctx.actor.laCode, adviceId, {
          content: online.content as unknown as Record<string, unknown>,
          submittedBy: ctx.actor.userId,
          submittedAt: new Date(),
        });
      }
      return {
        events: [
          {
            type: 'advice_received',
            occurredOn: input.receivedOn,
            data: {
              adviceId,
              adviceType: advice.adviceType,
              provider: advice.provider,
              documentId,
              ...(online ? { online: true } : {}),
            },
          },
        ],
        patch: stageAfterAdvice(request, allAdvice, adviceId, input.receivedOn),
        audit:
          documentId || online ? { ...(documentId ? { documentId } : {}), ...(online ? { adviceId } : {}) } : undefined,
      };
    },
    as,
  );
}

/** A document's kind from its content and its size, or the reason it is refused (services/documents.ts). */
export async function checkDocument(
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
