/**
 * Phase transfers as casework (SEND Regulations 2014 reg 18; CoP 9.179): every child with an active plan moving phase
 * next September, by transfer, with their review, the setting named and progress against the 15 February and 31 March
 * deadlines; and recording a transfer's amended plan naming the next setting. Reads check the one permission and are
 * audited; the write runs in one transaction (services/useCase.ts): the plan locked, a double post found and ignored,
 * the domain's refusals, then the amended plan's version, the transfer, the timeline event and the audit record
 * written together (nothing half-saved).
 */
import type { Database } from '../../data/db.js';
import { pgErrorCode } from '../../data/db.js';
import {
  countCohort,
  countTransferYear,
  getPhaseTransfer,
  insertPhaseTransfer,
  listCohort,
  type CohortQuery,
  type CohortRow,
} from '../../data/repositories/phaseTransfers.js';
import {
  appendPlanVersion,
  getReviewPlan,
  insertReviewEvent,
  listPlanVersions,
  reviewSubmissionSaved,
  type ReviewPlanRow,
} from '../../data/repositories/reviews.js';
import { listCaseworkers } from '../../data/repositories/cases.js';
import {
  PHASE_TRANSFERS,
  PHASE_TRANSFER_FROM_YEAR,
  checkPhaseTransfer,
  cohortBirthDates,
  nextPhaseTransfer,
  nextTransferYear,
  phaseTransferDeadline,
  phaseTransferProgress,
  type PhaseTransferDue,
  type PhaseTransferInput,
  type PhaseTransferKind,
  type PhaseTransferProgress,
} from '../../domain/casework/phaseTransfer.js';
import { readPlanContent, type PlanContent } from '../../domain/casework/planContent.js';
import { phaseTransferFigures, type PhaseTransferYearCounts } from '../../domain/measures/phaseTransfers.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { auditAction } from '../auditTrail.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';

export const PHASE_TRANSFERS_PAGE_SIZE = 25;
/** How many September moves the measure shows (the next one and four before it). */
export const PHASE_TRANSFER_MEASURE_YEARS = 5;

/** The kinds of setting a transfer may name, as section I records them. */
export const NEXT_SETTING_TYPES = {
  mainstream: 'Mainstream school',
  special: 'Special school',
  post16: 'Post-16 institution (a college or sixth form)',
} as const;
export type NextSettingType = keyof typeof NEXT_SETTING_TYPES;

export interface PhaseTransferListOptions {
  transfer: PhaseTransferKind;
  caseworker?: string | undefined;
  page: number;
}

/** One transfer's counts against its deadline (each child counted once). */
export interface TransferProgress {
  kind: PhaseTransferKind;
  deadline: LocalDate;
  total: number;
  counts: Record<PhaseTransferProgress, number>;
}

export interface PhaseTransferItem extends CohortRow {
  progress: PhaseTransferProgress;
}

export interface PhaseTransferForm extends PhaseTransferInput {
  nextSettingType: NextSettingType;
}

export interface PhaseTransferPlanView {
  plan: ReviewPlanRow;
  today: LocalDate;
  due: PhaseTransferDue;
  recorded: { nextSettingName: string; nextSettingUrn: string; finalisedDate: string } | null;
  currentSetting: PlanContent['I'];
}

export function createPhaseTransferService(database: Database, clock: Clock) {
  const { db } = database;

  function cohortQuery(laCode: string, kind: PhaseTransferKind, transferYear: number, caseworker?: string) {
    const born = cohortBirthDates(PHASE_TRANSFER_FROM_YEAR[kind], transferYear - 1);
    return {
      laCode,
      transferYear,
      bornFrom: born.from,
      bornTo: born.to,
      infantSchoolOnly: kind === 'infant_to_junior',
      caseworkerId: caseworker,
    } satisfies CohortQuery;
  }

  async function list(ctx: RequestContext, options: PhaseTransferListOptions) {
    requirePermission(ctx, 'caseload:view');
    const laCode = ctx.actor.laCode;
    const today = clock.today();
    const transferYear = nextTransferYear(today);
    const page = Math.max(1, options.page);
    const progress: TransferProgress[] = [];
    for (const kind of PHASE_TRANSFERS) {
      const deadline = phaseTransferDeadline(kind, transferYear);
      const c = await countCohort(db, { ...cohortQuery(laCode, kind, transferYear, options.caseworker), deadline });
      // Every child not yet finalised is on the same side of the one deadline.
      const open = phaseTransferProgress(deadline, null, today);
      progress.push({
        kind,
        deadline,
        total: c.total,
        counts: {
          on_time: c.onTime,
          late: c.late,
          not_yet: open === 'not_yet' ? c.notFinalised : 0,
          overdue: open === 'overdue' ? c.notFinalised : 0,
        },
      });
    }
    const selected = progress.find((p) => p.kind === options.transfer)!;
    const [rows, caseworkers] = await Promise.all([
      listCohort(db, {
        ...cohortQuery(laCode, options.transfer, transferYear, options.caseworker),
        limit: PHASE_TRANSFERS_PAGE_SIZE,
        offset: (page - 1) * PHASE_TRANSFERS_PAGE_SIZE,
      }),
      listCaseworkers(db, laCode),
    ]);
    await auditAction(db, ctx, 'list', 'phase_transfers', null, {
      ...options,
      childIds: rows.map((r) => r.childId),
    });
    return {
      today,
      transferYear,
      progress,
      selected,
      items: rows.map((r): PhaseTransferItem => ({
        ...r,
        progress: phaseTransferProgress(selected.deadline, r.finalisedDate as LocalDate | null, today),
      })),
      page,
      pageSize: PHASE_TRANSFERS_PAGE_SIZE,
      pageCount: Math.max(1, Math.ceil(selected.total / PHASE_TRANSFERS_PAGE_SIZE)),
      total: selected.total,
      caseworkers: caseworkers.map((c) => ({ id: c.userId, name: c.displayName })),
    };
  }

  /** The plan's transfer next September, as the form to record it needs (404 for a plan not moving phase). */
  async function view(ctx: RequestContext, planId: string): Promise<PhaseTransferPlanView> {
    requirePermission(ctx, 'case:read_any');
    const laCode = ctx.actor.laCode;
    const today = clock.today();
    const plan = isUuid(planId) ? await getReviewPlan(db, laCode, planId) : undefined;
    const due = plan
      ? nextPhaseTransfer({ dateOfBirth: plan.dateOfBirth as LocalDate, settingName: plan.settingName }, today)
      : null;
    if (!plan || plan.firstIssuedDate === null || !due) {
      await auditAction(db, ctx, 'read_denied', 'phase_transfer', planId.slice(0, 64));
      throw new NotFoundError(planId, true);
    }
    const [recorded, versions] = await Promise.all([
      getPhaseTransfer(db, laCode, plan.id, due.transferYear),
      listPlanVersions(db, laCode, plan.id),
    ]);
    await auditAction(db, ctx, 'read', 'phase_transfer', plan.id, {}, plan.childId);
    return {
      plan,
      today,
      due,
      recorded: recorded ?? null,
      // The setting the child attends until the move: the plan's before the transfer's amended plan named the next one.
      currentSetting: readPlanContent(
        versions.find((v) => v.kind === 'final' && v.id !== recorded?.amendedVersionId)?.content ?? {},
      ).I,
    };
  }

  /**
   * Records the transfer's amended plan, finalised on `input.finalisedDate`, naming the next setting: a new final
   * version of the plan with section I naming it, the transfer, the timeline event and the audit record, together.
   */
  async function record(
    ctx: RequestContext,
    planId: string,
    submissionKey: string,
    input: PhaseTransferForm,
  ): Promise<{ saved: boolean }> {
    try {
      return await runUseCase(database, ctx, 'case:write', async (frame) => {
        const { tx, laCode } = frame;
        const today = clock.today();
        const plan = isUuid(planId) ? await getReviewPlan(tx, laCode, planId, true) : undefined;
        if (!plan || plan.firstIssuedDate === null) throw new NotFoundError(planId);
        if (await reviewSubmissionSaved(tx, laCode, submissionKey)) return { saved: false };
        const due = nextPhaseTransfer(
          { dateOfBirth: plan.dateOfBirth as LocalDate, settingName: plan.settingName },
          today,
        );
        if (!due) throw new NotFoundError(planId);
        const recorded = await getPhaseTransfer(tx, laCode, plan.id, due.transferYear);
        const errors = checkPhaseTransfer(
          {
            status: plan.status,
            firstIssuedDate: plan.firstIssuedDate as LocalDate,
            ceasedDate: plan.ceasedDate as LocalDate | null,
          },
          (recorded?.finalisedDate as LocalDate | undefined) ?? null,
          input,
          today,
        );
        if (errors.length) throw new RuleError(errors);
        const versions = await listPlanVersions(tx, laCode, plan.id);
        const current = readPlanContent(versions.find((v) => v.kind === 'final')?.content ?? {});
        const amended: PlanContent = {
          ...current,
          I: {
            settingName: input.nextSettingName,
            settingType: input.nextSettingType,
            settingUrn: input.nextSettingUrn,
          },
        };
        const amendedVersionId = await appendPlanVersion(tx, {
          laCode,
          planId: plan.id,
          kind: 'final',
          issuedDate: input.finalisedDate,
          content: amended as unknown as Record<string, unknown>,
          createdBy: ctx.actor.userId,
        });
        await insertPhaseTransfer(tx, {
          laCode,
          planId: plan.id,
          childId: plan.childId,
          transferYear: due.transferYear,
          kind: due.kind,
          deadline: due.deadline,
          nextSettingName: input.nextSettingName,
          nextSettingUrn: input.nextSettingUrn,
          finalisedDate: input.finalisedDate,
          amendedVersionId,
        });
        await insertReviewEvent(tx, {
          laCode,
          childId: plan.childId,
          actorId: ctx.actor.userId,
          type: 'phase_transfer_plan_finalised',
          occurredOn: input.finalisedDate,
          data: { planId: plan.id, transferYear: due.transferYear, kind: due.kind, deadline: due.deadline },
          submissionKey,
        });
        await frame.audit(
          'write',
          'phase_transfer',
          plan.id,
          { transferYear: due.transferYear, kind: due.kind },
          plan.childId,
        );
        return { saved: true };
      });
    } catch (err) {
      if (err instanceof NotFoundError) {
        await auditAction(db, ctx, 'write_denied', 'phase_transfer', planId.slice(0, 64));
        err.audited = true;
      }
      // Two submissions raced past the checks: a unique key refused the second. It was saved once.
      if (pgErrorCode(err) === '23505' && (await reviewSubmissionSaved(db, ctx.actor.laCode, submissionKey))) {
        return { saved: false };
      }
      throw err;
    }
  }

  /** The measure: each transfer year's children due, finalised on time and late (domain/measures/phaseTransfers.ts). */
  async function measure(ctx: RequestContext) {
    requirePermission(ctx, 'measures:view');
    const laCode = ctx.actor.laCode;
    const today = clock.today();
    const next = nextTransferYear(today);
    const years: PhaseTransferYearCounts[] = [];
    for (let year = next - PHASE_TRANSFER_MEASURE_YEARS + 1; year <= next; year++) {
      const counts: PhaseTransferYearCounts = { transferYear: year, due: 0, onTime: 0, late: 0, lastDeadline: '' };
      for (const kind of PHASE_TRANSFERS) {
        const deadline = phaseTransferDeadline(kind, year);
        const c = await countTransferYear(db, { ...cohortQuery(laCode, kind, year), deadline });
        counts.due += c.due;
        counts.onTime += c.onTime;
        counts.late += c.late;
        if (deadline > counts.lastDeadline) counts.lastDeadline = deadline;
      }
      years.push(counts);
    }
    return phaseTransferFigures(years, today);
  }

  return { list, view, record, measure };
}
