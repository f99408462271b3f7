/**
 * Scenarios for the board's question "what would it take?" (shared/reference/forecasting.md): the calibrated pipeline
 * with staff changes applied as capacity changes, and the warning when clearing a backlog will first push the
 * completed-cohort measure down.
 *
 * Staff become servers in proportion: a stage with 461 servers (cases in hand at once, calibrate.ts `stageServers`)
 * and 28 educational psychologists has 16.5 servers per psychologist, so 3 more psychologists from a date are 49 more
 * servers from that week. Only the stages the simulation models with capacity take staff changes; the others (health
 * and social care advice, panels) are reported as not modelled rather than quietly ignored.
 */
import { daysBetween, type LocalDate } from '../dates/localDate.js';
import type { CapacityStage } from '../commitments/plan.js';
import { FINAL_PLAN_WEEKS } from '../statutory/periods.js';
import type { PipelineStage, RawScenario } from './calibrate.js';

/** Which simulated stage each kind of staff works at; null where the simulation has no capacity for it. */
export const STAFF_STAGES: Record<CapacityStage, PipelineStage | null> = {
  educational_psychology: 'advice',
  casework: 'drafting',
  health: null,
  social_care: null,
  panel: null,
};

/** The kinds of staff a scenario can change (those with a simulated stage). */
export const MODELLED_STAFF = (Object.keys(STAFF_STAGES) as CapacityStage[]).filter((k) => STAFF_STAGES[k] !== null);

export interface StaffChange {
  staff: CapacityStage;
  /** More (or, negative, fewer) staff, in people (whole-time equivalents). */
  change: number;
  from: LocalDate;
  /** What it is, for the page: an action's title, or "Your scenario". */
  label: string;
}

export interface AppliedChange extends StaffChange {
  stage: PipelineStage;
  atWeek: number;
  /** The stage's servers from then on. */
  servers: number;
}

export interface SkippedChange extends StaffChange {
  reason: string;
}

/**
 * Applies staff changes to a scenario built by `scenarioFromCalibration` (a plain object, before parsing): each
 * becomes a capacity change at its stage from its week (from the start if already in the past), changes adding up in
 * date order. A change is skipped, with the reason, when its staff have no simulated stage, when the number of those
 * staff now is not known, or when the stage has no history to size it.
 */
export function withStaffChanges<T extends Pick<RawScenario, 'stages'>>(
  scenario: T,
  staffNow: Partial<Record<CapacityStage, number>>,
  changes: readonly StaffChange[],
  asOf: LocalDate,
): { scenario: T; applied: AppliedChange[]; skipped: SkippedChange[] } {
  const applied: AppliedChange[] = [];
  const skipped: SkippedChange[] = [];
  const stages = scenario.stages.map((s) => ({ ...s, capacityChanges: [...(s.capacityChanges ?? [])] }));
  const running = new Map<string, number>();
  for (const change of [...changes].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const stageId = STAFF_STAGES[change.staff];
    if (stageId === null) {
      skipped.push({ ...change, reason: 'the forecast does not model this capacity yet' });
      continue;
    }
    const stage = stages.find((s) => s.id === stageId);
    const now = staffNow[change.staff];
    if (!stage || stage.servers === null) {
      skipped.push({ ...change, reason: 'there is no history of this stage to size it from' });
      continue;
    }
    if (now === undefined || !(now > 0)) {
      skipped.push({ ...change, reason: 'the number of these staff now is not known' });
      continue;
    }
    const total = (running.get(stageId) ?? 0) + change.change;
    running.set(stageId, total);
    const atWeek = Math.max(0, daysBetween(asOf, change.from) / 7);
    const servers = Math.max(0, Math.round(stage.servers * (1 + total / now)));
    stage.capacityChanges.push({ atWeek, servers });
    applied.push({ ...change, stage: stageId, atWeek, servers });
  }
  return { scenario: { ...scenario, stages }, applied, skipped };
}

/**
 * The forecast's first period is the rest of the current month: part of that month has happened, and the plans issued
 * in it so far are not in the simulation, so its simulated share is not the month's figure. The pages chart whole
 * months only, from the next one, and the dip warning looks at the same months.
 */
export const FIRST_WHOLE_PERIOD = 1;

/** The whole months of a forecast's per-period figures: those the pages chart and the dip warning names. */
export function wholeMonths<T>(byPeriod: readonly T[]): T[] {
  return byPeriod.slice(FIRST_WHOLE_PERIOD);
}

/** The starting backlog's long waiters: the open requests already over 20 weeks (reg 13(2)). */
export function countLongWaiters(backlog: readonly { ageWeeks: number }[]): number {
  return backlog.filter((b) => b.ageWeeks > FINAL_PLAN_WEEKS).length;
}

/**
 * The warning when clearing a backlog first pushes the completed-cohort measure down: the starting backlog's long
 * waiters (already over 20 weeks) can only count as late, so in the months they finish they pull the share within 20
 * weeks down. `pushDown` is, by period, the median of how far (0-1) they pull it down; the warning names the whole
 * months (`wholeMonths`, those the pages chart) where that is 2 percentage points or more, and the worst of them.
 */
export function backlogDip(
  months: readonly string[],
  pushDown: readonly (number | null)[],
  longWaiters: number,
): { worst: { month: string; points: number }; months: string[]; longWaiters: number } | null {
  if (longWaiters === 0) return null;
  const down = wholeMonths(pushDown);
  const hit = wholeMonths(months)
    .map((m, i) => ({ month: m, down: down[i] ?? 0 }))
    .filter((x) => x.down >= 0.02);
  if (hit.length === 0) return null;
  const worst = hit.reduce((a, b) => (b.down > a.down ? b : a));
  return { worst: { month: worst.month, points: worst.down * 100 }, months: hit.map((h) => h.month), longWaiters };
}

/**
 * Multiplies a stage's capacity by a factor that changes over time (`factors`: from each atWeek on, in order), on top
 * of its capacity changes: at any time its servers are the servers it would have had, times the factor then, rounded
 * (servers are whole). Used for the caseworkers' time that annual reviews take from drafting (./reviewWorkload.ts).
 */
export function withCapacityFactors<T extends Pick<RawScenario, 'stages'>>(
  scenario: T,
  stageId: PipelineStage,
  factors: readonly { atWeek: number; factor: number }[],
): T {
  const stages = scenario.stages.map((stage) => {
    if (stage.id !== stageId || stage.servers === null || factors.length === 0) return stage;
    const changes = [...(stage.capacityChanges ?? [])].sort((a, b) => a.atWeek - b.atWeek);
    const serversAt = (week: number) =>
      changes.reduce((servers, c) => (c.atWeek <= week ? c.servers : servers), stage.servers!);
    const factorAt = (week: number) => factors.reduce((f, x) => (x.atWeek <= week ? x.factor : f), 1);
    const weeks = [...new Set([...changes.map((c) => c.atWeek), ...factors.map((f) => f.atWeek)])]
      .filter((w) => w > 0)
      .sort((a, b) => a - b);
    const at = (week: number) => Math.max(0, Math.round(serversAt(week) * factorAt(week)));
    return { ...stage, servers: at(0), capacityChanges: weeks.map((atWeek) => ({ atWeek, servers: at(atWeek) })) };
  });
  return { ...scenario, stages };
}
