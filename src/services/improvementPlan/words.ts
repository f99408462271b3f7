/**
 * The plan's records in words, as their forms and pages state them: for a stale form's comparison (what is saved now
 * beside what the form had) and for a commitment's history, whose every change is kept for good.
 */
import type { CommitmentRow, HistoryChange } from '../../data/repositories/improvementPlans.js';
import type { Polarity } from '../../domain/commitments/assurance.js';
import { formatMilestones, type Milestone } from '../../domain/commitments/plan.js';
import type { Commitment, VaguenessRule } from '../../domain/commitments/vagueness.js';
import { formatLongDate, formatMonth, type LocalDate } from '../../domain/dates/localDate.js';
import { MEASURE_BY_ID } from '../../domain/measures/monthly.js';
import type { CommitmentInput, PlanDetails } from './shared.js';

/** An objective as its form shows it, for a stale form's comparison. */
export const objectiveWords = (o: { text: string; horizon: string | null }) => ({
  Objective: o.text,
  'To be met by': o.horizon ? formatLongDate(o.horizon as LocalDate) : '',
});

/** A priority area as its form shows it. */
export const priorityWords = (p: { title: string; description: string }) => ({
  'Priority area': p.title,
  Description: p.description,
});

/** What a remove button asked for, beside each field saved now: the record gone. */
export const REMOVED = (fields: Record<string, string | null>) =>
  Object.fromEntries(Object.keys(fields).map((field) => [field, 'Removed']));

/** The plan's details as its page states them, for a stale form to be shown what changed. */
export function detailsWords(
  d: Omit<PlanDetails, 'periodStart' | 'periodEnd'> & { periodStart: string; periodEnd: string },
) {
  return {
    Title: d.title,
    Partners: d.partners.join(', '),
    'Start date': formatLongDate(d.periodStart as LocalDate),
    'End date': formatLongDate(d.periodEnd as LocalDate),
    'Independent chair': d.chair,
    Published: d.published ? 'Yes' : 'No',
  };
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

/** A commitment (as typed or as stored) as the vagueness check reads it. */
export function toChecked(c: CommitmentInput | CommitmentRow): Commitment {
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

/** A figure in its unit ("60%", "12 weeks"), to one decimal place. */
export function fmt(value: number, unit: string): string {
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

/** The tracked fields that changed, each from what it was to what it is. */
export function diff(before: Record<string, string | null>, after: Record<string, string | null>): HistoryChange[] {
  return Object.keys(after)
    .filter((k) => before[k] !== after[k])
    .map((k) => ({ field: k, from: before[k] ?? null, to: after[k] ?? null }));
}

/** A commitment in words: its statement, what is tracked in its history, and its owner. */
export function commitmentWords(c: CommitmentInput | CommitmentRow): Record<string, string | null> {
  return {
    Commitment: c.statement,
    ...trackedFields(c),
    Owner: [c.ownerRole, c.ownerOrganisation].filter(Boolean).join(', '),
  };
}
