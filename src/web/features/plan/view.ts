/**
 * How the improvement plan's pages show a commitment: its target in words, its status, its chart with the trajectory,
 * its milestones and its history. Shared by the signed-in pages, the board report and the public plan.
 */
import type { CommitmentStatus, MilestoneStatus } from '../../../domain/commitments/assurance.js';
import { CAPACITY_STAGES, monthEnd, type CapacityStage } from '../../../domain/commitments/plan.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import type { VaguenessRule } from '../../../domain/commitments/vagueness.js';
import { MEASURE_BY_ID } from '../../../domain/measures/monthly.js';
import { FORECAST_MEASURES } from '../../../services/forecasts.js';
import type { CommitmentView, HistoryRow } from '../../../services/improvementPlan/index.js';
import { formatValue, monthLabel, spcChartModel } from '../../charts/spcChart.js';

export const RULE_NAMES: Record<VaguenessRule, string> = {
  no_number: 'No number',
  no_date: 'No date',
  no_owner: 'No owner',
  no_baseline: 'No baseline',
  no_definition: 'No data definition',
  vague_verb: 'Vague verb',
  no_trajectory: 'No trajectory',
};

/**
 * Status words and tag colours (never red, amber and green: Making Data Count's colours are used instead). The status
 * is the domain's one judgement of the latest month against the trajectory and the process against the target
 * (domain/commitments/assurance.ts).
 */
export const STATUS: Record<CommitmentStatus | 'draft', { text: string; tag: string }> = {
  draft: { text: 'Draft: not measurable yet', tag: 'govuk-tag--grey' },
  no_data: { text: 'No figures yet', tag: 'govuk-tag--grey' },
  not_yet_judged: { text: 'Trajectory not started', tag: 'govuk-tag--grey' },
  on_track: { text: 'On track', tag: 'govuk-tag--blue' },
  on_trajectory_process_fails: {
    text: 'On trajectory this month, but the process as it runs will not reach the target',
    tag: 'govuk-tag--orange',
  },
  off_track: { text: 'Behind trajectory', tag: 'govuk-tag--orange' },
  target_met: { text: 'Target met', tag: 'govuk-tag--blue' },
  target_missed: { text: 'Target missed', tag: 'govuk-tag--orange' },
};

const MILESTONE_STATUS: Record<MilestoneStatus, string> = {
  met: 'Met',
  missed: 'Missed',
  not_due: 'Not due yet',
  no_data: 'No figure for that month',
};

/** A figure the disclosure rule hides, in words: "c" as in the open data, said in full. */
export const HIDDEN_TEXT = 'c (hidden to protect children’s privacy)';

export function value(n: number | null, unit: string): string {
  if (n === null) return '';
  const text = formatValue(n, unit);
  return unit === '%' || unit === '' ? text : `${text} ${unit}`;
}

/** "60% by July 2025". */
export function targetText(row: CommitmentView['row'], unit: string): string {
  if (row.targetValue === null && !row.targetDate) return 'No target';
  const v = row.targetValue === null ? 'No value' : value(row.targetValue, unit);
  return `${v} by ${row.targetDate ? monthLabel(row.targetDate.slice(0, 7)) : 'no date'}`;
}

export function measureName(row: CommitmentView['row']): string {
  if (row.measureId) return MEASURE_BY_ID.get(row.measureId)?.title ?? row.measureId;
  return row.seriesName ?? 'No measure chosen';
}

/** A commitment as a row of the plan, the board report or the public page. */
export function summaryView(c: CommitmentView) {
  const a = c.assurance;
  const status = c.row.status === 'draft' ? STATUS.draft : STATUS[a?.status ?? 'no_data'];
  return {
    id: c.row.id,
    reference: c.reference,
    statement: c.row.statement,
    draft: c.row.status === 'draft',
    measure: measureName(c.row),
    owner: [c.row.ownerRole, c.row.ownerOrganisation].filter(Boolean).join(', ') || 'No owner',
    target: targetText(c.row, c.unit),
    latest: a?.latest ? `${value(a.latest.value, c.unit)} (${monthLabel(a.latest.month)})` : 'No figures yet',
    expected: a?.latest?.expected != null ? value(a.latest.expected, c.unit) : '',
    /** The latest month against the trajectory, in words: "63.6% (November 2026): meets the trajectory of 61.7%". */
    latestAgainstTrajectory: !a?.latest
      ? 'No figures yet'
      : `${value(a.latest.value, c.unit)} (${monthLabel(a.latest.month)}): ${
          a.latest.expected === null || a.latest.onTrack === null
            ? 'the trajectory has not started'
            : `${a.latest.onTrack ? 'meets' : 'short of'} the ${a.latest.pastTarget ? 'target' : 'trajectory'} of ${value(a.latest.expected, c.unit)}`
        }`,
    variationIcon: a?.variationIcon ?? null,
    assurance: a?.assurance ?? null,
    statusText: status.text,
    statusTag: status.tag,
    forecastProbability: c.forecastProbability,
    forecast:
      c.forecastProbability !== null
        ? `${Math.round(c.forecastProbability * 100)}% (forecast of ${formatLongDate(c.forecastAsOf! as LocalDate)})`
        : c.row.measureId && FORECAST_MEASURES.has(c.row.measureId)
          ? null
          : 'Not forecast for this measure',
    flags: c.flags,
    ruleNames: c.flags.map((f) => RULE_NAMES[f.rule]),
  };
}

/** The commitment's chart (its series, the SPC limits, the target and the trajectory) and its figures. */
export function chartView(c: CommitmentView, publicView: boolean) {
  const a = c.assurance;
  if (!a) return null;
  const points = a.months.map((month, i) => ({ month, value: a.values[i] ?? null }));
  const chart = spcChartModel(points, a.spc, { unit: c.unit, target: c.row.targetValue, trajectory: a.trajectory });
  return {
    chart,
    trial: a.spc ? a.spc.groups[a.spc.groups.length - 1]!.trial : false,
    rows: a.months
      .map((month, i) => {
        const v = a.values[i] ?? null;
        const n = c.valuesN.get(month) ?? null;
        return {
          month: monthLabel(month),
          value:
            publicView && c.hidden.has(month)
              ? 'c'
              : v === null
                ? i < c.valuesN.size
                  ? 'No value'
                  : ''
                : value(v, c.unit),
          n: n === null ? '' : String(n),
          expected: a.trajectory[i] == null ? '' : value(a.trajectory[i], c.unit),
        };
      })
      .reverse(),
    milestones: a.milestones.map((m) => ({
      month: monthLabel(m.month),
      date: monthEnd(m.month),
      value: value(m.value, c.unit),
      actual: m.actual === null ? '' : value(m.actual, c.unit),
      status: MILESTONE_STATUS[m.status],
      missed: m.status === 'missed',
      isTarget: m.isTarget,
    })),
  };
}

/** "+3 Educational psychologists (advice) from 1 June 2026"; '' for an action that changes no capacity. */
export function capacityText(a: {
  capacityStage: string | null;
  capacityChange: number | null;
  capacityFrom: string | null;
}): string {
  if (!a.capacityStage || a.capacityChange === null || !a.capacityFrom) return '';
  const stage = CAPACITY_STAGES[a.capacityStage as CapacityStage] ?? a.capacityStage;
  return `${a.capacityChange > 0 ? '+' : ''}${a.capacityChange} ${stage} from ${formatLongDate(a.capacityFrom as LocalDate)}`;
}

/** Who made a change, as the public page says it: their role, not their name ("an improvement board member"). */
function publicRole(roles: string[]): string | null {
  if (roles.includes('board_member')) return 'an improvement board member';
  if (roles.includes('manager')) return 'a SEND manager';
  return roles.length ? 'a member of staff' : null;
}

/** "Target changed from 60% by December 2024 to 60% by April 2025". */
export function historyView(history: HistoryRow[], withNames: boolean) {
  return history.map((h) => ({
    at: h.at,
    by: withNames ? h.changedByName : publicRole(h.changedByRoles),
    reason: h.reason,
    changes: h.changes.map((c) =>
      c.from === null
        ? `${c.field}: ${c.to}`
        : c.to === null
          ? `${c.field} removed (was ${c.from})`
          : `${c.field} changed from ${c.from} to ${c.to}`,
    ),
  }));
}

/**
 * A series entered by hand beside the live measure declared to measure the same thing: the months, both figures and
 * their difference, and the warning when any month is further apart than the tolerance.
 */
export function liveComparisonView(c: CommitmentView) {
  if (!c.live) return null;
  const { comparison, measureId } = c.live;
  const name = MEASURE_BY_ID.get(measureId)?.title ?? measureId;
  const percent = c.unit === '%';
  const tolerance = percent
    ? `${formatValue(comparison.tolerance, '')} percentage ${comparison.tolerance === 1 ? 'point' : 'points'}`
    : value(comparison.tolerance, c.unit);
  const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${formatValue(Math.abs(n), '')}`;
  const worst = comparison.worst;
  return {
    measureId,
    name,
    differenceUnit: percent ? 'percentage points' : c.unit || 'difference',
    warning: worst
      ? `The figures entered by hand differ from the live measure (${name}) by more than ${tolerance} in ${comparison.beyond} of the ${comparison.compared} months that have both, most in ${monthLabel(worst.month)}: ${value(worst.manual, c.unit)} entered by hand, ${value(worst.live, c.unit)} live. They are declared to measure the same thing, so at least one of them is wrong.`
      : null,
    agreement:
      comparison.compared === 0
        ? 'No month has both figures yet.'
        : worst
          ? null
          : `The two agree within ${tolerance} in all ${comparison.compared} months that have both.`,
    rows: comparison.months
      .map((m) => ({
        month: monthLabel(m.month),
        manual: m.manual === null ? 'No figure' : value(m.manual, c.unit),
        live: m.live === null ? 'No figure' : value(m.live, c.unit),
        difference: m.difference === null ? '' : signed(m.difference),
        beyond: m.beyond,
      }))
      .reverse(),
  };
}
