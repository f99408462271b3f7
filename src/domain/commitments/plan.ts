/**
 * The parts of an improvement plan that are rules rather than storage: the stages an action can add capacity to (for
 * the forecast), the states of an action, and reading the months and milestones people type.
 */
import { daysInMonth, MONTH_NAMES, parseLocalDate, type LocalDate } from '../dates/localDate.js';

/** The pipeline stages whose capacity an action can change, as the forecast models them. */
export const CAPACITY_STAGES = {
  casework: 'EHC caseworkers (decisions and drafting)',
  educational_psychology: 'Educational psychologists (advice)',
  health: 'Health advice (designated clinical officer, therapists)',
  social_care: 'Social care advice',
  panel: 'Decision-making panels',
} as const;
export type CapacityStage = keyof typeof CAPACITY_STAGES;

export const ACTION_STATUSES = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
  blocked: 'Blocked',
} as const;
export type ActionStatus = keyof typeof ACTION_STATUSES;

export const REPORTING_FREQUENCIES = { monthly: 'Monthly', quarterly: 'Quarterly' } as const;
export type ReportingFrequency = keyof typeof REPORTING_FREQUENCIES;

/** An action is overdue when its due date has passed and it is not done. */
export function isOverdue(action: { dueDate: string; status: string }, today: LocalDate): boolean {
  return action.status !== 'done' && action.dueDate < today;
}

const MONTH_WORDS = new Map(
  MONTH_NAMES.flatMap((name, i) => [
    [name.toLowerCase(), i + 1],
    [name.slice(0, 3).toLowerCase(), i + 1],
  ]),
);
MONTH_WORDS.set('sept', 9);

/**
 * A month as people write it: "2025-07", "07/2025", "July 2025" or "Jul 2025"; as YYYY-MM, or null if it is not one.
 */
export function parseMonth(input: string): string | null {
  const s = input.trim().toLowerCase();
  let year: number | undefined;
  let month: number | undefined;
  let m = /^(\d{4})-(\d{1,2})$/.exec(s);
  if (m) [year, month] = [Number(m[1]), Number(m[2])];
  m = m ?? /^(\d{1,2})\/(\d{4})$/.exec(s);
  if (m && year === undefined) [month, year] = [Number(m[1]), Number(m[2])];
  const words = /^([a-z]+)\.?\s+(\d{4})$/.exec(s);
  if (words && MONTH_WORDS.has(words[1]!)) [month, year] = [MONTH_WORDS.get(words[1]!)!, Number(words[2])];
  if (year === undefined || month === undefined || month < 1 || month > 12 || year < 1990 || year > 2100) return null;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The last day of a month (YYYY-MM): a milestone "by July 2025" is judged on July's figure. */
export function monthEnd(month: string): LocalDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return parseLocalDate(`${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`)!;
}

export interface Milestone {
  /** The last day of the milestone's month. */
  date: LocalDate;
  value: number;
}

/** The most milestones one commitment may have (a monthly trajectory over five years). */
export const MAX_MILESTONES = 60;

/**
 * Milestones typed one per line, a month and a value: "July 2025 45%", "2025-10: 50". Blank lines are skipped; each
 * line that cannot be read is named in an error. Sorted by month; one value per month.
 */
export function parseMilestones(text: string): { milestones: Milestone[]; errors: string[] } {
  const milestones = new Map<string, number>();
  const errors: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^(.*?)[\s:,=]+(-?\d+(?:\.\d+)?)\s*%?$/.exec(line);
    const month = m ? parseMonth(m[1]!.replace(/[:,=]$/, '')) : null;
    if (!m || !month) {
      errors.push(`Line ${i + 1} (“${line.slice(0, 40)}”) must be a month and a value, like “July 2025 45”`);
      return;
    }
    if (milestones.has(month)) {
      errors.push(`Line ${i + 1} gives a second value for the same month`);
      return;
    }
    milestones.set(month, Number(m[2]));
  });
  if (milestones.size > MAX_MILESTONES) errors.push(`Give at most ${MAX_MILESTONES} milestones`);
  return {
    milestones: [...milestones.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([month, value]) => ({ date: monthEnd(month), value })),
    errors,
  };
}

/** Milestones written back as the lines they are typed in. */
export function formatMilestones(milestones: readonly { date: string; value: number }[]): string {
  return milestones
    .map((m) => `${MONTH_NAMES[Number(m.date.slice(5, 7)) - 1]} ${m.date.slice(0, 4)} ${m.value}`)
    .join('\n');
}
