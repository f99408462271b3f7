/**
 * What the improvement plan's use cases share: what they are given, how they refuse (a rule broken, a stale form, a
 * record gone), the plan they work on, its parts in plan order, and who may report an action's progress.
 */
import type { Database } from '../../data/db.js';
import {
  findPlan,
  listCommitments,
  listObjectives,
  listPriorities,
  type ActionRow,
  type CommitmentRow,
} from '../../data/repositories/improvementPlans.js';
import { can } from '../../domain/access/roles.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { Polarity } from '../../domain/commitments/assurance.js';
import type { ActionStatus, CapacityStage, Milestone, ReportingFrequency } from '../../domain/commitments/plan.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import type { ForecastService } from '../forecasts.js';
import { staleDetail } from '../staleForm.js';
import { requirePermission } from '../useCase.js';

/** What every use case of the plan is given. */
export interface PlanDeps {
  database: Database;
  clock: Clock;
  forecasts: ForecastService;
}

/** What cannot be saved in the plan, named against the form fields at fault. */
export class PlanRuleError extends RuleError {}

/** Someone else saved the same part of the plan after the form was opened. */
export class PlanConflictError extends StaleFormError {}

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

/**
 * The refusal of a form saved (or a record removed) against an older version: what is saved now beside what the
 * form had, who saved it and when (services/staleForm.ts). Thrown by the caller: `throw await conflict(...)`.
 */
export async function conflict(
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
export async function goneOrStale<T extends { version: number }>(
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

/** The LA's plan, or not found (there is none yet). */
export async function requirePlan(tx: Database['db'], laCode: string) {
  const plan = await findPlan(tx, laCode);
  if (!plan) throw new NotFoundError('improvement plan');
  return plan;
}

/** Commitments in plan order (by priority, then as written), numbered C1, C2 ... */
function ordered(rows: CommitmentRow[], priorityOrder: string[]) {
  const rank = (id: string | null) => (id === null ? Infinity : priorityOrder.indexOf(id));
  return [...rows]
    .sort((a, b) => rank(a.priorityId) - rank(b.priorityId) || a.createdAt.getTime() - b.createdAt.getTime())
    .map((row, i) => ({ row, reference: `C${i + 1}` }));
}

/** A plan's objectives, priority areas and commitments (in plan order, numbered). */
export async function parts(db: Database['db'], laCode: string, planId: string) {
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

/** An action's owner may report its progress without plan:edit; anyone else needs plan:edit. */
export function mayEditAction(ctx: RequestContext, action: Pick<ActionRow, 'ownerId'>): boolean {
  return action.ownerId === ctx.actor.userId || can(ctx.actor.roles, 'plan:edit');
}

/** Refuses (403, as the permission check does) anyone who may not report this action's progress. */
export function requireActionEditor(ctx: RequestContext, action: Pick<ActionRow, 'ownerId'>): void {
  if (!mayEditAction(ctx, action)) requirePermission(ctx, 'plan:edit');
}
