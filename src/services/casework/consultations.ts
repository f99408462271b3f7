import { listConsultations } from '../../data/repositories/casework.js';
import { consultationResponseDue, consultationStatus } from '../../domain/casework/consultation.js';
import { londonDate, type LocalDate } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { requirePermission } from '../useCase.js';
import type { CaseworkDeps } from './types.js';

/** The settings consulted, with each reply's due date and status (staff; the case read itself is audited). */
export async function consultations(deps: CaseworkDeps, ctx: RequestContext, requestId: string) {
  requirePermission(ctx, 'case:read_any');
  const today = deps.clock.today();
  return (await listConsultations(deps.database.db, ctx.actor.laCode, requestId)).map(({ chasedAt, ...c }) => ({
    ...c,
    /** The day the school was chased for its overdue reply, if it was. */
    chasedOn: chasedAt ? londonDate(new Date(chasedAt)) : null,
    responseDue: consultationResponseDue(c.sentDate as LocalDate),
    status: consultationStatus(c.sentDate as LocalDate, c.respondedDate as LocalDate | null, today),
  }));
}
