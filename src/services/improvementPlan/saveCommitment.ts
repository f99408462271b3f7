import {
  appendCommitmentHistory,
  findCommitment,
  insertCommitment,
  listPriorities,
  updateCommitment,
  type CommitmentFields,
} from '../../data/repositories/improvementPlans.js';
import { checkCommitment } from '../../domain/commitments/vagueness.js';
import { MEASURE_BY_ID } from '../../domain/measures/monthly.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { runUseCase } from '../useCase.js';
import { goneOrStale, PlanRuleError, requirePlan, type CommitmentInput, type PlanDeps } from './shared.js';
import { commitmentWords, diff, RULE_FIELDS, toChecked, trackedFields } from './words.js';

/** The stored fields of a commitment as typed (a commitment on a live measure keeps no series of its own). */
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
export async function saveCommitment(
  { database, clock }: PlanDeps,
  ctx: RequestContext,
  id: string | null,
  input: CommitmentInput,
  options: { draft: boolean; version: number; reason: string },
): Promise<string> {
  return runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    const errors = consistencyErrors(input);
    if (!options.draft) {
      for (const flag of checkCommitment(toChecked(input), clock.today())) {
        errors.push({ field: RULE_FIELDS[flag.rule], text: flag.message });
      }
    }
    if (input.priorityId === null && !options.draft) {
      errors.push({ field: 'priorityId', text: 'Choose the priority area the commitment belongs to' });
    }
    const plan = await requirePlan(tx, laCode);
    if (input.priorityId) {
      const priorities = await listPriorities(tx, laCode, plan.id);
      if (!priorities.some((p) => p.id === input.priorityId)) {
        errors.push({ field: 'priorityId', text: 'Choose a priority area from the list' });
      }
    }
    const current = id ? await findCommitment(tx, laCode, id, true) : null;
    if (id && !current) throw new NotFoundError(id);
    if (current && current.version !== options.version) {
      await goneOrStale(tx, ctx, 'commitment', current.id, current, commitmentWords, () => commitmentWords(input));
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
      await updateCommitment(tx, laCode, current.id, {
        ...fields,
        version: current.version + 1,
        updatedAt: now,
      });
      savedId = current.id;
    } else {
      savedId = await insertCommitment(tx, { ...fields, laCode, planId: plan.id });
    }
    if (becomesMeasurable || movesGoalposts) {
      await appendCommitmentHistory(tx, {
        laCode,
        commitmentId: savedId,
        at: now,
        changedBy: ctx.actor.userId,
        changes,
        reason: options.reason.trim() || 'Commitment made measurable and published',
      });
    }
    await frame.audit(current ? 'update' : 'create', 'commitment', savedId, {
      status: fields.status,
      changes,
      reason: options.reason.trim(),
    });
    return savedId;
  });
}
