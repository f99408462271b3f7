import { getDocument } from '../../data/repositories/casework.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { runUseCase } from '../useCase.js';
import type { CaseworkDeps } from './types.js';

/** A stored document, for download by staff who may read the case; every download is audited. */
export async function downloadDocument(deps: CaseworkDeps, ctx: RequestContext, documentId: string) {
  return runUseCase(deps.database, ctx, 'case:read_any', async (frame) => {
    const { tx, laCode } = frame;
    const doc = isUuid(documentId) ? await getDocument(tx, laCode, documentId) : undefined;
    if (!doc) throw new NotFoundError(documentId);
    await frame.audit('read', 'document', doc.id, {}, doc.childId);
    return doc;
  });
}
