/**
 * The retention schedule: how long a closed case's records are kept before they are deleted, by the kind of case.
 *
 * A child's case is closed when none of their requests is open (each ended with a final plan, a decision not to
 * assess or not to issue a plan, or a withdrawal) and none of their plans is maintained (each has ceased). It closed on
 * the last of those dates. Nothing is due before the family's time to appeal the last decision to the Tribunal has run
 * (2 months from the decision letter: shared/reference/statutory-timescales.md part 0, #24), whatever the rule says.
 *
 * The default keeps every closed case until 25 years from the child's date of birth, the period many councils'
 * retention schedules give for SEN case files (the IRMS toolkit's "date of birth of the pupil + 25 years").
 */
import { addMonths } from '../dates/months.js';
import type { LocalDate } from '../dates/localDate.js';

/** The kinds of record the schedule has a rule for. */
export const RECORD_KINDS = ['case_with_plan', 'case_without_plan'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const RECORD_KIND_NAMES: Record<RecordKind, string> = {
  case_with_plan: 'a closed case whose EHC plan has ceased',
  case_without_plan: 'a closed case that ended without a plan (withdrawn, not assessed or not issued)',
};

/** What a rule counts its years from. */
export const RETENTION_FROM = ['date_of_birth', 'closed'] as const;
export type RetentionFrom = (typeof RETENTION_FROM)[number];

export interface RetentionRule {
  from: RetentionFrom;
  years: number;
}

export type RetentionSchedule = Record<RecordKind, RetentionRule>;

export const DEFAULT_RETENTION_SCHEDULE: RetentionSchedule = {
  case_with_plan: { from: 'date_of_birth', years: 25 },
  case_without_plan: { from: 'date_of_birth', years: 25 },
};

/** The time to appeal a decision to the First-tier Tribunal (SEND): 2 months from the decision letter (#24). */
export const APPEAL_WINDOW_MONTHS = 2;

/** The longest a rule may keep records: beyond it, a typing slip rather than a schedule. */
export const MAX_RETENTION_YEARS = 120;

/**
 * The schedule from its JSON form, e.g. `{"case_without_plan": {"from": "closed", "years": 6}}`; a kind left out
 * keeps its default rule. An error names the field at fault.
 */
export function parseRetentionSchedule(
  text: string,
): { schedule: RetentionSchedule; error?: undefined } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: 'is not JSON' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { error: 'must be a JSON object of rules by kind' };
  const schedule: RetentionSchedule = { ...DEFAULT_RETENTION_SCHEDULE };
  for (const [kind, value] of Object.entries(raw)) {
    if (!(RECORD_KINDS as readonly string[]).includes(kind)) {
      return { error: `${kind}: not a kind of record (${RECORD_KINDS.join(', ')})` };
    }
    const rule = value as Partial<Record<keyof RetentionRule, unknown>> | null;
    if (!rule || typeof rule !== 'object') return { error: `${kind}: must be {"from": ..., "years": ...}` };
    if (!(RETENTION_FROM as readonly unknown[]).includes(rule.from)) {
      return { error: `${kind}.from: must be ${RETENTION_FROM.join(' or ')}` };
    }
    if (typeof rule.years !== 'number' || !Number.isInteger(rule.years) || rule.years < 1) {
      return { error: `${kind}.years: must be a whole number of years, at least 1` };
    }
    if (rule.years > MAX_RETENTION_YEARS) return { error: `${kind}.years: at most ${MAX_RETENTION_YEARS}` };
    schedule[kind as RecordKind] = { from: rule.from as RetentionFrom, years: rule.years };
  }
  return { schedule };
}

/** The rule in words, as the report and the audit record give it. */
export function describeRule(kind: RecordKind, rule: RetentionRule): string {
  return `${kind}: ${ruleInWords(rule)}`;
}

/** A rule in words, as the report and the administrator's page say it ("25 years from the child's date of birth"). */
export function ruleInWords(rule: RetentionRule): string {
  return `${rule.years} years from ${rule.from === 'date_of_birth' ? "the child's date of birth" : 'the case closed'}`;
}

/** A closed case as the schedule needs it. */
export interface ClosedCase {
  dateOfBirth: LocalDate;
  /** The last request closed or plan ceased. */
  closedOn: LocalDate;
  hadPlan: boolean;
}

/** Which rule applies to a closed case, and the first day its records may be deleted. */
export function retentionDue(
  closed: ClosedCase,
  schedule: RetentionSchedule,
): { kind: RecordKind; rule: RetentionRule; dueOn: LocalDate } {
  const kind: RecordKind = closed.hadPlan ? 'case_with_plan' : 'case_without_plan';
  const rule = schedule[kind];
  const anchor = rule.from === 'date_of_birth' ? closed.dateOfBirth : closed.closedOn;
  const byRule = addMonths(anchor, rule.years * 12);
  const appealOver = addMonths(closed.closedOn, APPEAL_WINDOW_MONTHS);
  return { kind, rule, dueOn: byRule > appealOver ? byRule : appealOver };
}
