/**
 * Disagreements as casework (CFA 2014 s.51; SEND Regulations 2014 regs 32-45): the LA's open ones by their next
 * deadline, one for its page, starting one on a case, and each step. Every read checks the one permission and is
 * audited before anything is returned; every write runs in one transaction (services/useCase.ts): the permission,
 * the row locked, a double post found and ignored, a stale form refused, the domain's refusals, then the record, its
 * next deadline, the timeline event and the audit record written together (nothing half-saved).
 */
import type { FormStamp } from '../casework/types.js';
import type { Database } from '../../data/db.js';
import { pgErrorCode } from '../../data/db.js';
import {
  disagreementColumns,
  disagreementRecord,
  disagreementSubmissionSaved,
  getDisagreement,
  getDisagreementCase,
  insertDisagreement,
  insertDisagreementEvent,
  listCaseDisagreements,
  listOpenDisagreements,
  updateDisagreementAtVersion,
  type DisagreementCase,
  type DisagreementListRow,
  type StoredDisagreement,
} from '../../data/repositories/disagreements.js';
import {
  applyDisagreementStep,
  checkDisagreementStep,
  disagreementClosed,
  disagreementDuties,
  disagreementNextDeadline,
  disagreementNextStep,
  familyDeadlines,
  newDisagreement,
  openDisagreementSteps,
  orderStepsOpen,
  type DisagreementAbout,
  type DisagreementDuty,
  type DisagreementRecord,
  type DisagreementStep,
  type DisagreementStepInput,
} from '../../domain/casework/disagreement.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { WorkingDayCalendar } from '../../domain/dates/workingDays.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { auditAction } from '../auditTrail.js';
import type { CalendarHolder } from '../calendar.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';

export type { StoredDisagreement };
export const DISAGREEMENTS_PAGE_SIZE = 25;

export type { FormStamp } from '../casework/types.js';

/** The timeline event each step writes. */
export const STEP_EVENTS: Record<DisagreementStep, string> = {
  mediation: 'mediation_requested',
  mediated: 'mediation_held',
  certificate: 'mediation_certificate_recorded',
  agreement_done: 'mediation_agreement_done',
  appeal: 'tribunal_appeal',
  outcome: 'tribunal_decision',
  complied: 'tribunal_order_step_done',
  close: 'disagreement_closed',
};

function stepDate(input: DisagreementStepInput): LocalDate {
  switch (input.step) {
    case 'mediation':
      return input.mediationToldDate;
    case 'mediated':
      return input.mediationHeldDate;
    case 'certificate':
      return input.certificateDate;
    case 'agreement_done':
      return input.agreementDoneDate;
    case 'appeal':
      return input.appealDate;
    case 'outcome':
      return input.outcomeDate;
    case 'complied':
      return input.compliedDate;
    case 'close':
      return input.closedDate;
  }
}

/** What the timeline keeps of a step besides its type and date (never the agreement's words: they are on the record). */
export function stepData(input: DisagreementStepInput): Record<string, unknown> {
  switch (input.step) {
    case 'mediated':
      return { agreement: input.agreement };
    case 'outcome':
      return { outcome: input.outcome, order: input.order };
    case 'complied':
      return { orderStep: input.orderStep };
    default:
      return {};
  }
}

export interface DisagreementView {
  case: DisagreementCase;
  row: StoredDisagreement;
  record: DisagreementRecord;
  today: LocalDate;
  duties: DisagreementDuty[];
  family: ReturnType<typeof familyDeadlines>;
  next: ReturnType<typeof disagreementNextStep>;
  steps: DisagreementStep[];
  orderStepsOpen: string[];
  closed: boolean;
}

/** A record's state as of `today`: its duties, the family's dates and the next deadline the list orders by. */
function stateOf(r: DisagreementRecord, today: LocalDate, calendar: WorkingDayCalendar) {
  const duties = disagreementDuties(r, today, calendar);
  const family = familyDeadlines(r, calendar);
  return { duties, family, deadline: disagreementNextDeadline(r, duties, family.appealBy.date) };
}

export function createDisagreementService(database: Database, clock: Clock, calendar: CalendarHolder) {
  const { db } = database;

  async function list(
    ctx: RequestContext,
    options: { page: number },
  ): Promise<{
    items: (DisagreementListRow & { overdue: boolean })[];
    total: number;
    overdue: number;
    page: number;
    pageCount: number;
  }> {
    requirePermission(ctx, 'caseload:view');
    const today = clock.today();
    const page = Math.max(1, options.page);
    const found = await listOpenDisagreements(db, {
      laCode: ctx.actor.laCode,
      today,
      limit: DISAGREEMENTS_PAGE_SIZE,
      offset: (page - 1) * DISAGREEMENTS_PAGE_SIZE,
    });
    await auditAction(db, ctx, 'list', 'disagreements', null, { page, childIds: found.rows.map((r) => r.childId) });
    return {
      items: found.rows.map((r) => ({ ...r, overdue: r.nextDue !== null && r.nextDue < today })),
      total: found.total,
      overdue: found.overdue,
      page,
      pageCount: Math.max(1, Math.ceil(found.total / DISAGREEMENTS_PAGE_SIZE)),
    };
  }

  /** The case's disagreements, for its page and the form that starts one (audited as a read of the case's). */
  async function forCase(ctx: RequestContext, requestId: string) {
    requirePermission(ctx, 'case:read_any');
    const laCode = ctx.actor.laCode;
    const found = isUuid(requestId) ? await getDisagreementCase(db, laCode, requestId) : undefined;
    if (!found) {
      await auditAction(db, ctx, 'read_denied', 'disagreements', requestId.slice(0, 64));
      throw new NotFoundError(requestId, true);
    }
    const rows = await listCaseDisagreements(db, laCode, found.requestId);
    await auditAction(db, ctx, 'read', 'disagreements', found.requestId, {}, found.childId);
    return { case: found, disagreements: rows };
  }

  async function view(ctx: RequestContext, id: string): Promise<DisagreementView> {
    requirePermission(ctx, 'case:read_any');
    const laCode = ctx.actor.laCode;
    const today = clock.today();
    const row = isUuid(id) ? await getDisagreement(db, laCode, id) : undefined;
    const found = row ? await getDisagreementCase(db, laCode, row.requestId) : undefined;
    if (!row || !found) {
      await auditAction(db, ctx, 'read_denied', 'disagreement', id.slice(0, 64));
      throw new NotFoundError(id, true);
    }
    const record = disagreementRecord(row);
    const { duties, family } = stateOf(record, today, calendar.current());
    await auditAction(db, ctx, 'read', 'disagreement', row.id, {}, row.childId);
    return {
      case: found,
      row,
      record,
      today,
      duties,
      family,
      next: disagreementNextStep(record, duties, family.appealBy.date),
      steps: openDisagreementSteps(record),
      orderStepsOpen: orderStepsOpen(record),
      closed: disagreementClosed(record),
    };
  }

  /** Starts a disagreement on a case: what the family disagrees with and the date of that decision's letter. */
  async function start(
    ctx: RequestContext,
    requestId: string,
    submissionKey: string,
    input: { about: DisagreementAbout; decisionDate: LocalDate },
  ): Promise<{ id: string | null }> {
    return guarded(ctx, requestId, submissionKey, 'disagreements', () =>
      runUseCase(database, ctx, 'case:write', async (frame) => {
        const { tx, laCode } = frame;
        const today = clock.today();
        const found = isUuid(requestId) ? await getDisagreementCase(tx, laCode, requestId) : undefined;
        if (!found) throw new NotFoundError(requestId);
        if (await disagreementSubmissionSaved(tx, laCode, submissionKey)) return { id: null };
        if (input.decisionDate > today) {
          throw new RuleError([
            { field: 'decisionDate', text: 'The date of the decision letter must be today or in the past' },
          ]);
        }
        const record = newDisagreement(input.about, input.decisionDate);
        const { deadline } = stateOf(record, today, calendar.current());
        const id = await insertDisagreement(tx, {
          laCode,
          childId: found.childId,
          requestId: found.requestId,
          about: input.about,
          decisionDate: input.decisionDate,
          nextDuty: deadline?.duty ?? null,
          nextDue: deadline?.due ?? null,
        });
        await insertDisagreementEvent(tx, {
          laCode,
          childId: found.childId,
          requestId: found.requestId,
          actorId: ctx.actor.userId,
          type: 'disagreement_started',
          occurredOn: today,
          data: { disagreementId: id, about: input.about, decisionDate: input.decisionDate },
          submissionKey,
        });
        await frame.audit('write', 'disagreement', id, { step: 'start', about: input.about }, found.childId);
        return { id };
      }),
    );
  }

  async function record(
    ctx: RequestContext,
    id: string,
    stamp: FormStamp,
    input: DisagreementStepInput,
  ): Promise<{ saved: boolean }> {
    return guarded(ctx, id, stamp.submissionKey, 'disagreement', () =>
      runUseCase(database, ctx, 'case:write', async (frame) => {
        const { tx, laCode } = frame;
        const today = clock.today();
        const row = isUuid(id) ? await getDisagreement(tx, laCode, id, true) : undefined;
        if (!row) throw new NotFoundError(id);
        if (await disagreementSubmissionSaved(tx, laCode, stamp.submissionKey)) return { saved: false };
        if (row.version !== stamp.version) {
          throw new StaleFormError({ changes: [], by: null, at: null, version: row.version });
        }
        const before = disagreementRecord(row);
        const errors = checkDisagreementStep(before, input, today);
        if (errors.length) throw new RuleError(errors);
        const after = applyDisagreementStep(before, input);
        const closed = disagreementClosed(after);
        const { deadline } = stateOf(after, today, calendar.current());
        const saved = await updateDisagreementAtVersion(tx, laCode, row.id, row.version, {
          ...disagreementColumns(after),
          status: closed ? 'closed' : 'open',
          nextDuty: deadline?.duty ?? null,
          nextDue: deadline?.due ?? null,
        });
        if (!saved) throw new StaleFormError({ changes: [], by: null, at: null, version: null });
        await insertDisagreementEvent(tx, {
          laCode,
          childId: row.childId,
          requestId: row.requestId,
          actorId: ctx.actor.userId,
          type: STEP_EVENTS[input.step],
          occurredOn: stepDate(input),
          data: { ...stepData(input), disagreementId: row.id },
          submissionKey: stamp.submissionKey,
        });
        await frame.audit('write', 'disagreement', row.id, { step: input.step }, row.childId);
        return { saved: true };
      }),
    );
  }

  /**
   * A write's failures as the person should see them: "not found" audited as a denied write; two submissions of
   * one form that raced past the check, the second refused by the unique key, as saved once.
   */
  async function guarded<T>(
    ctx: RequestContext,
    id: string,
    submissionKey: string,
    entity: string,
    write: () => Promise<T>,
  ): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (err instanceof NotFoundError) {
        await auditAction(db, ctx, 'write_denied', entity, id.slice(0, 64));
        err.audited = true;
      }
      if (pgErrorCode(err) === '23505' && (await disagreementSubmissionSaved(db, ctx.actor.laCode, submissionKey))) {
        return (entity === 'disagreements' ? { id: null } : { saved: false }) as T;
      }
      throw err;
    }
  }

  return { list, forCase, view, start, record };
}
