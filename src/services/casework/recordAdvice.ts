import { createHash } from 'node:crypto';
import { insertDocument, listAdvice, markAdviceReceived } from '../../data/repositories/casework.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { checkUpload } from '../documents.js';
import { NotFoundError } from '../errors.js';
import { requirePermission } from '../useCase.js';
import type { VirusScanner } from '../virusScan.js';
import { checkDate, onRequest, stageAfterAdvice, type FieldErrors } from './frame.js';
import {
  CaseRuleError,
  MAX_DOCUMENT_BYTES,
  type CaseworkDeps,
  type FormStamp,
  type StepResult,
  type UploadedFile,
} from './types.js';

/** Step 3, continued: advice received, with its document (PDF, DOCX or ODT, checked by content). */
export async function recordAdvice(
  deps: CaseworkDeps,
  ctx: RequestContext,
  requestId: string,
  adviceId: string,
  stamp: FormStamp,
  input: { receivedOn: LocalDate; document: UploadedFile | null },
): Promise<StepResult> {
  // Refused before the document is read or scanned (the frame checks again).
  requirePermission(ctx, 'case:write');
  const document = input.document ? await checkDocument(input.document, 'document', deps.scanner) : null;
  return onRequest(deps, ctx, requestId, stamp, null, async (tx, request, today) => {
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
