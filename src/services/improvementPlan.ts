/**
 * The improvement plan: its details, objectives and priorities; commitments that cannot be saved as measurable unless
 * they are (domain/commitments/vagueness.ts) and whose targets cannot move without a reason kept for good; actions with
 * their effect on capacity; assurance per commitment from its live measure or a series entered by hand; the board
 * report; and the public plan. Every read and write is authorised and audited.
 */
import type { Database } from '../data/db.js';
import {
  appendCommitmentHistory,
  commitmentHistoryFor,
  deleteObjective,
  findAction,
  findCommitment,
  findObjective,
  findPlan,
  findPriority,
  insertAction,
  insertCommitment,
  insertObjective,
  insertPlan,
  insertPriority,
  listActions,
  listCommitments,
  listCommitmentValues,
  listObjectives,
  listPriorities,
  lockPlan,
  putCommitmentValue,
  findCommitmentValue,
  priorityInUse,
  deletePriority,
  updateAction,
  updateCommitment,
  updateObjective,
  updatePriority,
  updatePlan,
  type ActionRow,
  type CommitmentFields,
  type CommitmentRow,
  type HistoryChange,
  type HistoryRow,
} from '../data/repositories/improvementPlans.js';
import { localAuthorityName } from '../data/repositories/localAuthorities.js';
import { listUsersInLa } from '../data/repositories/users.js';
import { can, isRole, type Permission } from '../domain/access/roles.js';
import {
  assess,
  monthAt,
  monthIndex,
  type CommitmentAssurance,
  type Polarity,
} from '../domain/commitments/assurance.js';
import {
  ACTION_STATUSES,
  formatMilestones,
  isOverdue,
  type ActionStatus,
  type CapacityStage,
  type Milestone,
  type ReportingFrequency,
} from '../domain/commitments/plan.js';
import {
  checkCommitment,
  summarisePlan,
  type Commitment,
  type VaguenessFlag,
  type VaguenessRule,
} from '../domain/commitments/vagueness.js';
import { disclosureOf } from '../domain/disclosure/figures.js';
import { formatLongDate, formatMonth, type LocalDate } from '../domain/dates/localDate.js';
import { compareWithLive, type LiveComparison } from '../domain/commitments/liveComparison.js';
import { MEASURE_BY_ID } from '../domain/measures/monthly.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { auditAction } from './auditTrail.js';
import { ForbiddenError, NotFoundError, RuleError, StaleFormError } from './errors.js';
import { staleDetail } from './staleForm.js';
import { chanceOfShare, FORECAST_MEASURES, type ForecastService, type StoredForecast } from './forecasts.js';
import { wholeLaSeries } from './measures.js';

/** What cannot be saved in the plan, named against the form fields at fault. */
export class PlanRuleError extends RuleError {}

/** Someone else saved the same part of the plan after the form was opened. */
export class PlanConflictError extends StaleFormError {}

/** An objective as its form shows it, for a stale form's comparison. */
const objectiveWords = (o: { text: string; horizon: string | null }) => ({
  Objective: o.text,
  'To be met by': o.horizon ? formatLongDate(o.horizon as LocalDate) : '',
});

/** A priority area as its form shows it. */
const priorityWords = (p: { title: string; description: string }) => ({
  'Priority area': p.title,
  Description: p.description,
});

/** What a remove button asked for, beside each field saved now: the record gone. */
const REMOVED = (fields: Record<string, string | null>) =>
  Object.fromEntries(Object.keys(fields).map((field) => [field, 'Removed']));

export interface PlanDetails {
  title: string;
  partners: string[];
  periodStart: LocalDate;
  periodEnd: LocalDate;
  chair: string;
  published: boolean;
}

export interface CommitmentInput {
  statement: string;
  priorityId: string | null;
  /** A live measure; null for a series entered by hand. */
  measureId: string | null;
  series: { name: string; source: string; numerator: string; denominator: string; unit: '%' | '' } | null;
  /** For a series entered by hand: the live measure it measures the same thing as, if any. */
  liveMeasureId: string | null;
  polarity: Polarity | null;
  baselineValue: number | null;
  /** YYYY-MM. */
  baselinePeriod: string | null;
  baselineN: number | null;
  targetValue: number | null;
  targetDate: LocalDate | null;
  milestones: Milestone[];
  ownerRole: string;
  ownerOrganisation: string;
  frequency: ReportingFrequency;
  lagMonths: number;
}

export interface ActionInput {
  title: string;
  ownerId: string;
  dueDate: LocalDate;
  status: ActionStatus;
  evidence: string;
  capacity: { stage: CapacityStage; change: number; from: LocalDate } | null;
}

/** Where each vagueness rule points on the commitment form. */
export const RULE_FIELDS: Record<VaguenessRule, string> = {
  no_number: 'targetValue',
  no_date: 'targetDate',
  no_owner: 'ownerRole',
  no_baseline: 'baselineValue',
  no_definition: 'measureId',
  vague_verb: 'statement',
  no_trajectory: 'milestones',
};

function toChecked(c: CommitmentInput | CommitmentRow): Commitment {
  const series =
    'series' in c
      ? c.series
      : c.seriesName !== null
        ? {
            name: c.seriesName,
            source: c.seriesSource ?? '',
            numerator: c.seriesNumerator ?? '',
            denominator: c.seriesDenominator ?? '',
          }
        : null;
  return {
    statement: c.statement,
    measureId: c.measureId,
    manualSeries: c.measureId ? null : series,
    polarity: (c.polarity as Polarity | null) ?? null,
    baseline: { value: c.baselineValue, period: c.baselinePeriod, n: c.baselineN },
    target: { value: c.targetValue, date: c.targetDate as LocalDate | null },
    trajectory: (c.milestones as Milestone[]).map((m) => ({ date: m.date, value: m.value })),
    owner: { role: c.ownerRole, organisation: c.ownerOrganisation },
  };
}

/** The unit a commitment's figures read in: its measure's, or its series'. */
export function unitOf(c: Pick<CommitmentRow, 'measureId' | 'seriesUnit'>): string {
  if (c.measureId) return MEASURE_BY_ID.get(c.measureId)?.unit ?? '';
  return c.seriesUnit ?? '';
}

function fmt(value: number, unit: string): string {
  const v = String(Math.round(value * 10) / 10);
  return unit === '%' ? `${v}%` : unit ? `${v} ${unit}` : v;
}

/** The parts of a commitment whose every change is kept, as words ("60% by July 2025"). */
export function trackedFields(c: CommitmentInput | CommitmentRow): Record<string, string | null> {
  const row = 'series' in c ? null : c;
  const unit =
    'series' in c ? (c.measureId ? (MEASURE_BY_ID.get(c.measureId)?.unit ?? '') : (c.series?.unit ?? '')) : unitOf(c);
  const series = 'series' in c ? c.series : row!.seriesName ? { name: row!.seriesName } : null;
  const definition =
    'series' in c
      ? c.series && `${c.series.source}; ${c.series.numerator} / ${c.series.denominator}`
      : row!.seriesName && `${row!.seriesSource}; ${row!.seriesNumerator} / ${row!.seriesDenominator}`;
  return {
    Measure: c.measureId ? (MEASURE_BY_ID.get(c.measureId)?.title ?? c.measureId) : (series?.name ?? null),
    'Data definition': c.measureId ? 'As the measure’s published definition' : (definition ?? null),
    'Same as the live measure':
      !c.measureId && c.liveMeasureId ? (MEASURE_BY_ID.get(c.liveMeasureId)?.title ?? c.liveMeasureId) : null,
    'Better when': c.polarity === 'increase' ? 'Higher' : c.polarity === 'decrease' ? 'Lower' : null,
    Baseline:
      c.baselineValue === null
        ? null
        : `${fmt(c.baselineValue, unit)}${c.baselinePeriod ? ` in ${formatMonth(c.baselinePeriod)}` : ''}${c.baselineN !== null ? ` (n = ${c.baselineN})` : ''}`,
    Target:
      c.targetValue === null && !c.targetDate
        ? null
        : `${c.targetValue === null ? 'no value' : fmt(c.targetValue, unit)} by ${c.targetDate ? formatMonth(c.targetDate.slice(0, 7)) : 'no date'}`,
    Milestones: c.milestones.length ? formatMilestones(c.milestones as Milestone[]).replaceAll('\n', '; ') : null,
  };
}

function diff(before: Record<string, string | null>, after: Record<string, string | null>): HistoryChange[] {
  return Object.keys(after)
    .filter((k) => before[k] !== after[k])
    .map((k) => ({ field: k, from: before[k] ?? null, to: after[k] ?? null }));
}

export interface CommitmentView {
  row: CommitmentRow;
  reference: string;
  unit: string;
  flags: VaguenessFlag[];
  assurance: CommitmentAssurance | null;
  /**
   * The chance of meeting the target in its month, from the latest forecast (commitments on the 20-week measure whose
   * target month the forecast reaches; otherwise null).
   */
  forecastProbability: number | null;
  forecastAsOf: string | null;
  valuesN: Map<string, number | null>;
  /** Months whose figure the disclosure rule hides (published views only). */
  hidden: ReadonlySet<string>;
  /** The baseline figure is hidden by the disclosure rule (published views only). */
  baselineHidden: boolean;
  /**
   * For a series entered by hand declared to measure the same thing as a live measure: that measure, and the two set
   * side by side month by month.
   */
  live: { measureId: string; comparison: LiveComparison } | null;
}

/**
 * A series entered by hand as the public sees it, under the disclosure rule (domain/disclosure): a percentage of n
 * children is a rate (its numerator is the percentage of n), any other figure one about its n children. Each month
 * stands alone (no breakdowns, no totals).
 */
function publishedManualSeries(
  series: { month: string; value: number | null; n: number | null; hidden: boolean }[],
  unit: string,
) {
  const rows = series.map((s) => ({
    measure: 'entered',
    kind: unit === '%' ? ('rate' as const) : ('median' as const),
    month: s.month,
    dimension: 'all',
    category: 'all',
    numerator: unit === '%' && s.value !== null && s.n !== null ? Math.round((s.value * s.n) / 100) : null,
    denominator: s.n,
  }));
  const disclosure = disclosureOf(rows.filter((r) => r.denominator !== null));
  let k = 0;
  return series.map((s, i) => {
    if (rows[i]!.denominator === null) return s;
    const d = disclosure[k++]!;
    return {
      ...s,
      value: d.value ? null : s.value,
      n: d.denominator ? null : s.n,
      hidden: d.value !== null,
    };
  });
}

/** The plan's details as its page states them, for a stale form to be shown what changed. */
function detailsWords(d: Omit<PlanDetails, 'periodStart' | 'periodEnd'> & { periodStart: string; periodEnd: string }) {
  return {
    Title: d.title,
    Partners: d.partners.join(', '),
    'Start date': formatLongDate(d.periodStart as LocalDate),
    'End date': formatLongDate(d.periodEnd as LocalDate),
    'Independent chair': d.chair,
    Published: d.published ? 'Yes' : 'No',
  };
}

/** A commitment in words: its statement, what is tracked in its history, and its owner. */
function commitmentWords(c: CommitmentInput | CommitmentRow): Record<string, string | null> {
  return {
    Commitment: c.statement,
    ...trackedFields(c),
    Owner: [c.ownerRole, c.ownerOrganisation].filter(Boolean).join(', '),
  };
}

export function createImprovementPlanService(database: Database, clock: Clock, forecasts: ForecastService) {
  const { db } = database;

  function require(ctx: RequestContext, permission: Permission) {
    if (!can(ctx.actor.roles, permission)) throw new ForbiddenError(permission);
  }

  /** Commitments in plan order (by priority, then as written), numbered C1, C2 ... */
  function ordered(rows: CommitmentRow[], priorityOrder: string[]) {
    const rank = (id: string | null) => (id === null ? Infinity : priorityOrder.indexOf(id));
    return [...rows]
      .sort((a, b) => rank(a.priorityId) - rank(b.priorityId) || a.createdAt.getTime() - b.createdAt.getTime())
      .map((row, i) => ({ row, reference: `C${i + 1}` }));
  }

  /** A plan's objectives, priority areas and commitments (in plan order, numbered). */
  async function parts(laCode: string, planId: string) {
    const [objectives, priorities, rows] = await Promise.all([
      listObjectives(db, laCode, planId),
      listPriorities(db, laCode, planId),
      listCommitments(db, laCode, planId),
    ]);
    const list = ordered(
      rows,
      priorities.map((p) => p.id),
    );
    return { objectives, priorities, rows, list };
  }

  /** Each commitment's monthly series (live or entered by hand) and its assurance. */
  async function withAssurance(
    laCode: string,
    list: { row: CommitmentRow; reference: string }[],
    published: boolean,
  ): Promise<{ views: CommitmentView[]; forecast: StoredForecast | null }> {
    const live = await wholeLaSeries(
      db,
      laCode,
      [...new Set(list.flatMap((c) => [c.row.measureId, c.row.liveMeasureId]).filter((m): m is string => m !== null))],
      published,
    );
    const manual = await listCommitmentValues(
      db,
      laCode,
      list.filter((c) => !c.row.measureId).map((c) => c.row.id),
    );
    const today = clock.today();
    const forecast = list.some((c) => c.row.measureId && FORECAST_MEASURES.has(c.row.measureId))
      ? await forecasts.latest(laCode)
      : null;
    const views = list.map(({ row, reference }) => {
      let series: { month: string; value: number | null; n: number | null; hidden: boolean }[];
      if (row.measureId) series = live.get(row.measureId) ?? [];
      else {
        const own = manual.filter((v) => v.commitmentId === row.id);
        series = [];
        if (own.length) {
          const byMonth = new Map(own.map((v) => [v.month, v]));
          for (let i = monthIndex(own[0]!.month); i <= monthIndex(own[own.length - 1]!.month); i++) {
            const v = byMonth.get(monthAt(i));
            series.push({ month: monthAt(i), value: v?.value ?? null, n: v?.n ?? null, hidden: false });
          }
          if (published) series = publishedManualSeries(series, unitOf(row));
        }
      }
      // A baseline is a figure too: hidden where its month's figure is, or where its own n would give it away; then
      // the public trajectory starts at the first milestone (a line from the baseline would show it).
      const baselineHidden =
        published &&
        row.baselineValue !== null &&
        (series.some((p) => p.month === row.baselinePeriod && p.hidden) ||
          publishedManualSeries(
            [{ month: row.baselinePeriod ?? '', value: row.baselineValue, n: row.baselineN, hidden: false }],
            unitOf(row),
          )[0]!.hidden);
      const assurance =
        row.targetValue !== null && row.targetDate && row.polarity
          ? assess({
              polarity: row.polarity as Polarity,
              baseline:
                row.baselineValue !== null && !baselineHidden
                  ? { month: row.baselinePeriod, value: row.baselineValue }
                  : null,
              milestones: row.milestones.map((m) => ({ month: m.date.slice(0, 7), value: m.value })),
              target: { month: row.targetDate.slice(0, 7), value: row.targetValue },
              series,
            })
          : null;
      return {
        row,
        reference,
        unit: unitOf(row),
        flags: checkCommitment(toChecked(row), today),
        assurance,
        forecastProbability:
          forecast &&
          row.measureId &&
          FORECAST_MEASURES.has(row.measureId) &&
          row.targetValue !== null &&
          row.targetDate
            ? chanceOfShare(forecast, row.targetDate.slice(0, 7), row.targetValue)
            : null,
        forecastAsOf: forecast?.asOf ?? null,
        valuesN: new Map(series.map((s) => [s.month, s.n])),
        hidden: new Set(series.filter((s) => s.hidden).map((s) => s.month)),
        baselineHidden,
        // Staff pages only: the public plan does not set the two side by side.
        live:
          !published && !row.measureId && row.liveMeasureId
            ? {
                measureId: row.liveMeasureId,
                comparison: compareWithLive(series, live.get(row.liveMeasureId) ?? []),
              }
            : null,
      };
    });
    return { views, forecast };
  }

  /** The plan as its editors and readers see it: details, objectives, priorities, commitments with their flags. */
  async function overview(ctx: RequestContext) {
    require(ctx, 'plan:view');
    const laCode = ctx.actor.laCode;
    const plan = await findPlan(db, laCode);
    await auditAction(db, ctx, 'read', 'improvement_plan', plan?.id ?? null, { view: 'overview' });
    if (!plan) return null;
    const { objectives, priorities, rows, list } = await parts(laCode, plan.id);
    const today = clock.today();
    const commitments = list.map(({ row, reference }) => ({
      row,
      reference,
      flags: checkCommitment(toChecked(row), today),
    }));
    const summary = summarisePlan(
      rows.map(toChecked),
      objectives.map((o) => ({ horizon: o.horizon as LocalDate | null })),
      today,
    );
    return { plan, objectives, priorities, commitments, summary };
  }

  async function savePlan(ctx: RequestContext, details: PlanDetails, version: number) {
    require(ctx, 'plan:edit');
    if (details.periodEnd <= details.periodStart) {
      throw new PlanRuleError([{ field: 'periodEnd', text: 'The plan must end after it starts' }]);
    }
    await db.transaction(async (tx) => {
      const current = await lockPlan(tx, ctx.actor.laCode);
      if ((current?.version ?? 0) !== version) {
        if (!current) throw new PlanConflictError();
        throw await conflict(
          tx,
          ctx,
          { type: 'improvement_plan', id: current.id, version: current.version },
          detailsWords(current),
          detailsWords(details),
        );
      }
      if (current) await updatePlan(tx, ctx.actor.laCode, { ...details, version: version + 1 });
      else await insertPlan(tx, { laCode: ctx.actor.laCode, ...details });
      await auditAction(tx, ctx, current ? 'update' : 'create', 'improvement_plan', current?.id ?? null, {
        title: details.title,
        published: details.published,
      });
    });
  }

  /**
   * The refusal of a form saved (or a record removed) against an older version: what is saved now beside what the
   * form had, who saved it and when (services/staleForm.ts). Thrown by the caller: `throw await conflict(...)`.
   */
  async function conflict(
    tx: Database['db'],
    ctx: RequestContext,
    entity: { type: string; id: string; version: number },
    saved: Record<string, string | null>,
    yours: Record<string, string | null>,
  ): Promise<PlanConflictError> {
    return new PlanConflictError(await staleDetail(tx, ctx.actor.laCode, entity, saved, yours));
  }

  /**
   * The refusal of a write that found the record gone or at another version: not found, or stale with what is saved
   * now beside what the form had (`yours`, given the saved words: a removal shows each field as removed).
   */
  async function goneOrStale<T extends { version: number }>(
    tx: Database['db'],
    ctx: RequestContext,
    type: string,
    id: string,
    current: T | null | undefined,
    words: (row: T) => Record<string, string | null>,
    yours: (saved: Record<string, string | null>) => Record<string, string | null>,
  ): Promise<never> {
    if (!current) throw new NotFoundError(id);
    const saved = words(current);
    throw await conflict(tx, ctx, { type, id, version: current.version }, saved, yours(saved));
  }

  async function requirePlan(tx: Database['db'], laCode: string) {
    const plan = await findPlan(tx, laCode);
    if (!plan) throw new NotFoundError('improvement plan');
    return plan;
  }

  async function addObjective(ctx: RequestContext, text: string, horizon: LocalDate | null) {
    require(ctx, 'plan:edit');
    await db.transaction(async (tx) => {
      const plan = await requirePlan(tx, ctx.actor.laCode);
      await insertObjective(tx, { laCode: ctx.actor.laCode, planId: plan.id, text, horizon });
      await auditAction(tx, ctx, 'create', 'plan_objective', null, { text, horizon });
    });
  }

  /** Removes an objective as the form opened at `version` saw it; refused if someone else changed it since. */
  async function removeObjective(ctx: RequestContext, id: string, version: number) {
    require(ctx, 'plan:edit');
    await db.transaction(async (tx) => {
      if (!(await deleteObjective(tx, ctx.actor.laCode, id, version))) {
        const current = await findObjective(tx, ctx.actor.laCode, id);
        await goneOrStale(tx, ctx, 'plan_objective', id, current, objectiveWords, REMOVED);
      }
      await auditAction(tx, ctx, 'delete', 'plan_objective', id);
    });
  }

  /** Changes an objective as the form opened at `version` has it; refused if someone else changed it since. */
  async function changeObjective(
    ctx: RequestContext,
    id: string,
    text: string,
    horizon: LocalDate | null,
    version: number,
  ) {
    require(ctx, 'plan:edit');
    await db.transaction(async (tx) => {
      if (!(await updateObjective(tx, ctx.actor.laCode, id, version, { text, horizon }))) {
        const current = await findObjective(tx, ctx.actor.laCode, id);
        await goneOrStale(tx, ctx, 'plan_objective', id, current, objectiveWords, () =>
          objectiveWords({ text, horizon }),
        );
      }
      await auditAction(tx, ctx, 'update', 'plan_objective', id, { text, horizon });
    });
  }

  /** Changes a priority area as the form opened at `version` has it; refused if someone else changed it since. */
  async function changePriority(ctx: RequestContext, id: string, title: string, description: string, version: number) {
    require(ctx, 'plan:edit');
    await db.transaction(async (tx) => {
      if (!(await updatePriority(tx, ctx.actor.laCode, id, version, { title, description }))) {
        const current = await findPriority(tx, ctx.actor.laCode, id);
        await goneOrStale(tx, ctx, 'plan_priority', id, current, priorityWords, () =>
          priorityWords({ title, description }),
        );
      }
      await auditAction(tx, ctx, 'update', 'plan_priority', id, { title });
    });
  }

  /**
   * Removes a priority area as the form opened at `version` saw it (refused if someone else changed it since); one
   * with commitments under it stays (move them first).
   */
  async function removePriority(ctx: RequestContext, id: string, version: number) {
    require(ctx, 'plan:edit');
    await db.transaction(async (tx) => {
      const current = await findPriority(tx, ctx.actor.laCode, id);
      if (current?.version !== version)
        await goneOrStale(tx, ctx, 'plan_priority', id, current, priorityWords, REMOVED);
      if (await priorityInUse(tx, ctx.actor.laCode, id)) {
        throw new PlanRuleError([
          { field: 'title', text: 'This priority area has commitments under it: move them to another area first' },
        ]);
      }
      if (!(await deletePriority(tx, ctx.actor.laCode, id, version))) {
        // Changed between the read and the delete: refused as stale, as above.
        const now = await findPriority(tx, ctx.actor.laCode, id);
        await goneOrStale(tx, ctx, 'plan_priority', id, now, priorityWords, REMOVED);
      }
      await auditAction(tx, ctx, 'delete', 'plan_priority', id);
    });
  }

  async function addPriority(ctx: RequestContext, title: string, description: string) {
    require(ctx, 'plan:edit');
    await db.transaction(async (tx) => {
      const plan = await requirePlan(tx, ctx.actor.laCode);
      const existing = await listPriorities(tx, ctx.actor.laCode, plan.id);
      await insertPriority(tx, {
        laCode: ctx.actor.laCode,
        planId: plan.id,
        title,
        description,
        position: existing.length + 1,
      });
      await auditAction(tx, ctx, 'create', 'plan_priority', null, { title });
    });
  }

  /** The form's choices: priorities, and the staff who can own an action. */
  async function formChoices(ctx: RequestContext) {
    require(ctx, 'plan:view');
    const plan = await findPlan(db, ctx.actor.laCode);
    if (!plan) throw new NotFoundError('improvement plan');
    const [priorities, people] = await Promise.all([
      listPriorities(db, ctx.actor.laCode, plan.id),
      listUsersInLa(db, ctx.actor.laCode),
    ]);
    const owners = people
      .filter((u) => !u.disabled && u.roles.some((r) => isRole(r) && can([r], 'plan:view')))
      .map((u) => ({ id: u.id, name: u.displayName }));
    await auditAction(db, ctx, 'read', 'improvement_plan', plan.id, { view: 'form' });
    return { plan, priorities, owners };
  }

  function fieldsOf(input: CommitmentInput, status: 'draft' | 'measurable'): CommitmentFields {
    return {
      status,
      statement: input.statement,
      priorityId: input.priorityId,
      measureId: input.measureId,
      seriesName: input.measureId ? null : (input.series?.name ?? null),
      seriesSource: input.measureId ? null : (input.series?.source ?? null),
      seriesNumerator: input.measureId ? null : (input.series?.numerator ?? null),
      seriesDenominator: input.measureId ? null : (input.series?.denominator ?? null),
      seriesUnit: input.measureId ? null : (input.series?.unit ?? null),
      liveMeasureId: input.measureId ? null : input.liveMeasureId,
      polarity: input.polarity,
      baselineValue: input.baselineValue,
      baselinePeriod: input.baselinePeriod,
      baselineN: input.baselineN,
      targetValue: input.targetValue,
      targetDate: input.targetDate,
      milestones: input.milestones,
      ownerRole: input.ownerRole,
      ownerOrganisation: input.ownerOrganisation,
      frequency: input.frequency,
      lagMonths: input.lagMonths,
    };
  }

  /** The rules a measurable commitment meets beyond the vagueness check: values that make sense together. */
  function consistencyErrors(input: CommitmentInput): { field: string; text: string }[] {
    const errors: { field: string; text: string }[] = [];
    const unit = input.measureId ? MEASURE_BY_ID.get(input.measureId)?.unit : input.series?.unit;
    const percent = unit === '%';
    const check = (field: string, value: number | null, label: string) => {
      if (value === null) return;
      if (value < 0) errors.push({ field, text: `${label} must be 0 or more` });
      else if (percent && value > 100) errors.push({ field, text: `${label} must be a percentage from 0 to 100` });
    };
    check('baselineValue', input.baselineValue, 'Baseline');
    check('targetValue', input.targetValue, 'Target');
    if (input.milestones.some((m) => m.value < 0 || (percent && m.value > 100))) {
      errors.push({
        field: 'milestones',
        text: `Milestones must be ${percent ? 'percentages from 0 to 100' : '0 or more'}`,
      });
    }
    if (input.targetDate && input.milestones.some((m) => m.date > input.targetDate!)) {
      errors.push({ field: 'milestones', text: 'Milestones must come before the target date' });
    }
    if (input.baselinePeriod && input.targetDate && input.baselinePeriod >= input.targetDate.slice(0, 7)) {
      errors.push({ field: 'baselinePeriod', text: 'The baseline must come before the target date' });
    }
    if (input.measureId && !MEASURE_BY_ID.has(input.measureId)) {
      errors.push({ field: 'measureId', text: 'Choose a measure from the list' });
    }
    if (!input.measureId && input.liveMeasureId) {
      const live = MEASURE_BY_ID.get(input.liveMeasureId);
      if (!live) errors.push({ field: 'liveMeasureId', text: 'Choose a live measure from the list, or none' });
      else if ((live.unit === '%') !== (input.series?.unit === '%')) {
        errors.push({
          field: 'liveMeasureId',
          text: `${live.title} is ${live.unit === '%' ? 'a percentage' : 'not a percentage'}: a series that measures the same thing must be ${live.unit === '%' ? 'percentages' : 'counts or other numbers'} too`,
        });
      }
    }
    return errors;
  }

  /**
   * Saves a commitment (new with id null). As a draft it may lack anything; as measurable it must pass every vagueness
   * rule. Once measurable it stays published: a change to its target, date, milestones, baseline or definition needs
   * a reason, and is kept for good in its public history.
   */
  async function saveCommitment(
    ctx: RequestContext,
    id: string | null,
    input: CommitmentInput,
    options: { draft: boolean; version: number; reason: string },
  ): Promise<string> {
    require(ctx, 'plan:edit');
    const today = clock.today();
    const errors = consistencyErrors(input);
    if (!options.draft) {
      for (const flag of checkCommitment(toChecked(input), today)) {
        errors.push({ field: RULE_FIELDS[flag.rule], text: flag.message });
      }
    }
    if (input.priorityId === null && !options.draft) {
      errors.push({ field: 'priorityId', text: 'Choose the priority area the commitment belongs to' });
    }
    return db.transaction(async (tx) => {
      const plan = await requirePlan(tx, ctx.actor.laCode);
      if (input.priorityId) {
        const priorities = await listPriorities(tx, ctx.actor.laCode, plan.id);
        if (!priorities.some((p) => p.id === input.priorityId)) {
          errors.push({ field: 'priorityId', text: 'Choose a priority area from the list' });
        }
      }
      const current = id ? await findCommitment(tx, ctx.actor.laCode, id, true) : null;
      if (id && !current) throw new NotFoundError(id);
      if (current && current.version !== options.version) {
        throw await conflict(
          tx,
          ctx,
          { type: 'commitment', id: current.id, version: current.version },
          commitmentWords(current),
          commitmentWords(input),
        );
      }
      if (current?.status === 'measurable' && options.draft) {
        errors.push({
          field: 'statement',
          text: 'A measurable commitment is published and cannot go back to draft: change it, giving a reason',
        });
      }
      const changes = diff(
        current && current.status === 'measurable' ? trackedFields(current) : {},
        trackedFields(input),
      );
      const becomesMeasurable = !options.draft && current?.status !== 'measurable';
      const movesGoalposts = current?.status === 'measurable' && changes.length > 0;
      if (movesGoalposts && options.reason.trim() === '') {
        errors.push({
          field: 'reason',
          text: `Give a reason for changing the ${changes.map((c) => c.field.toLowerCase()).join(', ')}`,
        });
      }
      if (errors.length) throw new PlanRuleError(errors);

      const now = clock.now();
      const fields = fieldsOf(input, options.draft ? 'draft' : 'measurable');
      let savedId: string;
      if (current) {
        await updateCommitment(tx, ctx.actor.laCode, current.id, {
          ...fields,
          version: current.version + 1,
          updatedAt: now,
        });
        savedId = current.id;
      } else {
        savedId = await insertCommitment(tx, { ...fields, laCode: ctx.actor.laCode, planId: plan.id });
      }
      if (becomesMeasurable || movesGoalposts) {
        await appendCommitmentHistory(tx, {
          laCode: ctx.actor.laCode,
          commitmentId: savedId,
          at: now,
          changedBy: ctx.actor.userId,
          changes,
          reason: options.reason.trim() || 'Commitment made measurable and published',
        });
      }
      await auditAction(tx, ctx, current ? 'update' : 'create', 'commitment', savedId, {
        status: fields.status,
        changes,
        reason: options.reason.trim(),
      });
      return savedId;
    });
  }

  /** One commitment with its technical note, flags, assurance, history and actions. */
  async function commitment(ctx: RequestContext, id: string) {
    require(ctx, 'plan:view');
    const laCode = ctx.actor.laCode;
    const plan = await findPlan(db, laCode);
    const row = plan ? await findCommitment(db, laCode, id) : null;
    if (!plan || !row) throw new NotFoundError(id);
    const [{ priorities, list }, history, actions] = await Promise.all([
      parts(laCode, plan.id),
      commitmentHistoryFor(db, laCode, [id]),
      listActions(db, laCode, [id]),
    ]);
    const reference = list.find((c) => c.row.id === id)!.reference;
    const {
      views: [view],
      forecast,
    } = await withAssurance(laCode, [{ row, reference }], false);
    await auditAction(db, ctx, 'read', 'commitment', id);
    return {
      plan,
      ...view!,
      priority: priorities.find((p) => p.id === row.priorityId) ?? null,
      history,
      actions: actions.map((a) => ({ ...a, overdue: isOverdue(a, clock.today()) })),
      canEdit: can(ctx.actor.roles, 'plan:edit'),
      /** The forecast of its measure, for a commitment on the 20-week measure (its fan chart). */
      forecast,
    };
  }

  /**
   * Enters (or corrects) a month's figure of a series entered by hand, as the form opened at `valuesVersion` saw the
   * figures: a figure someone else entered for the same month since then is not overwritten.
   */
  async function enterValue(
    ctx: RequestContext,
    id: string,
    month: string,
    value: number,
    n: number | null,
    valuesVersion: number,
  ) {
    require(ctx, 'plan:edit');
    await db.transaction(async (tx) => {
      const row = await findCommitment(tx, ctx.actor.laCode, id, true);
      if (!row) throw new NotFoundError(id);
      if (row.measureId) {
        throw new PlanRuleError([{ field: 'month', text: 'This commitment’s figures come from its live measure' }]);
      }
      if (month > clock.today().slice(0, 7)) {
        throw new PlanRuleError([{ field: 'month', text: 'The month must not be in the future' }]);
      }
      if (value < 0 || (row.seriesUnit === '%' && value > 100)) {
        throw new PlanRuleError([
          {
            field: 'value',
            text: row.seriesUnit === '%' ? 'Value must be a percentage from 0 to 100' : 'Value must be 0 or more',
          },
        ]);
      }
      const saved = await findCommitmentValue(tx, ctx.actor.laCode, id, month);
      if (saved && saved.valuesVersion > valuesVersion) {
        const words = (figure: { value: number; n: number | null }) => ({
          [`Figure for ${formatMonth(month)}`]: `${figure.value}${row.seriesUnit === '%' ? '%' : ''}`,
          'Number it is worked out from': figure.n === null ? '' : String(figure.n),
        });
        throw await conflict(
          tx,
          ctx,
          { type: 'commitment_value', id, version: row.valuesVersion },
          words(saved),
          words({ value, n }),
        );
      }
      await putCommitmentValue(tx, {
        laCode: ctx.actor.laCode,
        commitmentId: id,
        month,
        value,
        n,
        enteredBy: ctx.actor.userId,
        enteredAt: clock.now(),
      });
      await auditAction(tx, ctx, 'update', 'commitment_value', id, { month, value, n });
    });
  }

  async function addAction(ctx: RequestContext, commitmentId: string, input: ActionInput) {
    require(ctx, 'plan:edit');
    return db.transaction(async (tx) => {
      const row = await findCommitment(tx, ctx.actor.laCode, commitmentId);
      if (!row) throw new NotFoundError(commitmentId);
      const owners = (await listUsersInLa(tx, ctx.actor.laCode)).filter((u) => !u.disabled);
      if (!owners.some((u) => u.id === input.ownerId)) {
        throw new PlanRuleError([{ field: 'ownerId', text: 'Choose the action’s owner from the list' }]);
      }
      const id = await insertAction(tx, {
        laCode: ctx.actor.laCode,
        commitmentId,
        title: input.title,
        ownerId: input.ownerId,
        dueDate: input.dueDate,
        status: input.status,
        evidence: input.evidence,
        capacityStage: input.capacity?.stage ?? null,
        capacityChange: input.capacity?.change ?? null,
        capacityFrom: input.capacity?.from ?? null,
      });
      await auditAction(tx, ctx, 'create', 'commitment_action', id, { commitmentId, title: input.title });
      return id;
    });
  }

  async function action(ctx: RequestContext, id: string) {
    require(ctx, 'plan:view');
    const row = await findAction(db, ctx.actor.laCode, id);
    if (!row) throw new NotFoundError(id);
    await auditAction(db, ctx, 'read', 'commitment_action', id);
    const mayEdit = can(ctx.actor.roles, 'plan:edit') || row.ownerId === ctx.actor.userId;
    return { action: row, mayEdit, overdue: isOverdue(row, clock.today()) };
  }

  /** The action's owner (or an editor) reports its progress: status and evidence. */
  async function updateProgress(
    ctx: RequestContext,
    id: string,
    progress: { status: ActionStatus; evidence: string },
    version: number,
  ) {
    require(ctx, 'plan:view');
    await db.transaction(async (tx) => {
      const row = await findAction(tx, ctx.actor.laCode, id, true);
      if (!row) throw new NotFoundError(id);
      if (!can(ctx.actor.roles, 'plan:edit') && row.ownerId !== ctx.actor.userId) {
        throw new ForbiddenError('plan:edit');
      }
      if (row.version !== version) {
        const words = (p: { status: string; evidence: string }) => ({
          Status: ACTION_STATUSES[p.status as ActionStatus] ?? p.status,
          Evidence: p.evidence,
        });
        throw await conflict(
          tx,
          ctx,
          { type: 'commitment_action', id, version: row.version },
          words(row),
          words(progress),
        );
      }
      await updateAction(tx, ctx.actor.laCode, id, { ...progress, version: version + 1, updatedAt: clock.now() });
      await auditAction(tx, ctx, 'update', 'commitment_action', id, {
        from: row.status,
        to: progress.status,
        evidence: progress.evidence,
      });
    });
    return (await findAction(db, ctx.actor.laCode, id))!.commitmentId;
  }

  /** Everything the board report and the public plan read: commitments with assurance, by priority. */
  async function assembled(
    laCode: string,
    plan: NonNullable<Awaited<ReturnType<typeof findPlan>>>,
    published: boolean,
  ) {
    const { objectives, priorities, list } = await parts(laCode, plan.id);
    const { views } = await withAssurance(
      laCode,
      list.filter((c) => !published || c.row.status === 'measurable'),
      published,
    );
    const [history, actions] = await Promise.all([
      commitmentHistoryFor(
        db,
        laCode,
        views.map((v) => v.row.id),
      ),
      published
        ? Promise.resolve([] as ActionRow[])
        : listActions(
            db,
            laCode,
            views.map((v) => v.row.id),
          ),
    ]);
    const groups = [...priorities, null].map((p) => ({
      priority: p,
      commitments: views
        .filter((v) => v.row.priorityId === (p?.id ?? null))
        .map((v) => ({
          ...v,
          history: history.filter((h) => h.commitmentId === v.row.id),
          actions: actions.filter((a) => a.commitmentId === v.row.id),
        })),
    }));
    return { objectives, groups: groups.filter((g) => g.priority !== null || g.commitments.length > 0) };
  }

  /** The board report: every commitment's icons by priority, and the exceptions that need the board's attention. */
  async function boardReport(ctx: RequestContext) {
    require(ctx, 'plan:view');
    const laCode = ctx.actor.laCode;
    const plan = await requirePlan(db, laCode);
    const { objectives, groups } = await assembled(laCode, plan, false);
    await auditAction(db, ctx, 'read', 'improvement_plan', plan.id, { view: 'board_report' });
    const today = clock.today();
    const exceptions: {
      reference: string;
      commitmentId: string;
      kind: 'concern' | 'off_track' | 'process_fails' | 'milestone_missed' | 'action_overdue' | 'draft';
      text: string;
    }[] = [];
    for (const g of groups) {
      for (const c of g.commitments) {
        if (c.row.status === 'draft') {
          exceptions.push({
            reference: c.reference,
            commitmentId: c.row.id,
            kind: 'draft',
            text: `Not yet measurable: ${c.flags.length} ${c.flags.length === 1 ? 'problem' : 'problems'}`,
          });
        }
        if (c.assurance?.concern) {
          exceptions.push({
            reference: c.reference,
            commitmentId: c.row.id,
            kind: 'concern',
            text: 'The latest month is a special cause of concern',
          });
        }
        const latest = c.assurance?.latest;
        if (latest && c.assurance?.status === 'off_track') {
          exceptions.push({
            reference: c.reference,
            commitmentId: c.row.id,
            kind: 'off_track',
            text: `Behind trajectory in ${formatMonth(latest.month)}: ${fmt(latest.value, c.unit)} against ${fmt(latest.expected!, c.unit)} expected`,
          });
        }
        if (latest && c.assurance?.status === 'on_trajectory_process_fails') {
          exceptions.push({
            reference: c.reference,
            commitmentId: c.row.id,
            kind: 'process_fails',
            text: `On trajectory in ${formatMonth(latest.month)}, but the process fails the target consistently: as it runs, it will not reach the target`,
          });
        }
        for (const m of c.assurance?.milestones ?? []) {
          if (m.status === 'missed') {
            exceptions.push({
              reference: c.reference,
              commitmentId: c.row.id,
              kind: 'milestone_missed',
              text: `${m.isTarget ? 'Target' : 'Milestone'} for ${formatMonth(m.month)} missed: ${fmt(m.actual!, c.unit)} against ${fmt(m.value, c.unit)}`,
            });
          }
        }
        for (const a of c.actions) {
          if (isOverdue(a, today)) {
            exceptions.push({
              reference: c.reference,
              commitmentId: c.row.id,
              kind: 'action_overdue',
              text: `Action overdue since ${formatLongDate(a.dueDate as LocalDate)}: ${a.title} (${a.ownerName})`,
            });
          }
        }
      }
    }
    const name = await localAuthorityName(db, laCode);
    return { plan, laName: name ?? laCode, objectives, groups, exceptions, today };
  }

  /** The published plan, for anyone: no drafts, no actions' owners' names, small numbers hidden. */
  async function publicPlan(laCode: string) {
    const name = await localAuthorityName(db, laCode);
    const plan = name ? await findPlan(db, laCode) : null;
    if (!name || !plan || !plan.published) throw new NotFoundError(laCode);
    const { objectives, groups } = await assembled(laCode, plan, true);
    return { laCode, laName: name, plan, objectives, groups };
  }

  return {
    overview,
    savePlan,
    addObjective,
    removeObjective,
    changeObjective,
    addPriority,
    changePriority,
    removePriority,
    formChoices,
    saveCommitment,
    commitment,
    enterValue,
    addAction,
    action,
    updateProgress,
    boardReport,
    publicPlan,
  };
}

export type ImprovementPlanService = ReturnType<typeof createImprovementPlanService>;
export type { HistoryRow };
