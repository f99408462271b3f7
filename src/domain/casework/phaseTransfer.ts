/**
 * Phase transfers (SEND Regulations 2014 reg 18; SEND Code of Practice 9.179; shared/reference/statutory-timescales.md
 * row 12 and rule P10): before a child moves from one phase of education to the next, the plan must be reviewed and
 * amended, naming the next school or setting:
 * - before 15 February of the calendar year of the transfer for a move between schools or from early years to school
 *   (reg 18(1)(a)): the last compliant day is 14 February (P10);
 * - before 31 March of that year for a move from secondary school to a post-16 institution (reg 18(1)(a)): the last
 *   compliant day is 30 March (P10);
 * - at least 5 months before the move, for a young person moving from one post-16 institution to another at any other
 *   time (reg 18(1)(b)).
 *
 * Cohorts come from the date of birth. The English school year runs from 1 September to 31 August (Education Act 1996
 * s.579(1), "school year"), and a child is entitled to a full-time school place in the September following their
 * fourth birthday (School Admissions Code 2021, para 2.17): they start Reception in the school year that begins after
 * they are 4 on 31 August, and move up one national curriculum year group each September. So a child's
 * year group in the school year starting 1 September A is their age on 31 August A minus 4 (0 for Reception, -1 for
 * the year before it in early years). A child born on 31 August is the youngest of the year group, one born on 1
 * September the oldest of the next year group down. (A child educated out of their age group, as the Code allows for
 * summer-born children, is not modelled: the cohort is the chronological one, a stated assumption.)
 */
import { ageInYears, type LocalDate } from '../dates/localDate.js';
import { addMonths, lastDayBefore } from '../dates/months.js';
import { PHASE_TRANSFER_BEFORE } from '../statutory/periods.js';

/** The transfers between phases a cohort makes each September, as reg 18(1)(a) lists them (middle schools are not modelled). */
export const PHASE_TRANSFERS = [
  'early_years_to_school',
  'infant_to_junior',
  'primary_to_secondary',
  'secondary_to_post16',
] as const;
export type PhaseTransferKind = (typeof PHASE_TRANSFERS)[number];

export const PHASE_TRANSFER_NAMES: Record<PhaseTransferKind | 'post16_to_post16', string> = {
  early_years_to_school: 'Early years to school (into Reception)',
  infant_to_junior: 'Infant to junior school (Year 2 to Year 3)',
  primary_to_secondary: 'Primary to secondary school (Year 6 to Year 7)',
  secondary_to_post16: 'Secondary school to post-16 (Year 11 to Year 12)',
  post16_to_post16: 'One post-16 institution to another',
};

/** The year group each transfer leaves (Reception is 0, the early years year before it -1). */
export const PHASE_TRANSFER_FROM_YEAR: Record<PhaseTransferKind, number> = {
  early_years_to_school: -1,
  infant_to_junior: 2,
  primary_to_secondary: 6,
  secondary_to_post16: 11,
};

/** Which of P10's two dates applies: 15 February for a move into or between schools, 31 March into post-16. */
export const PHASE_TRANSFER_ROUTE: Record<PhaseTransferKind, 'school' | 'post16'> = {
  early_years_to_school: 'school',
  infant_to_junior: 'school',
  primary_to_secondary: 'school',
  secondary_to_post16: 'post16',
};

/** reg 18(1)(b): a move between post-16 institutions at any other time, at least 5 months before it. */
export const POST16_TRANSFER_MONTHS_BEFORE = 5;

/** The first calendar year of the school year that `on` falls in (1 September to 31 August; Education Act 1996 s.579(1)). */
export function schoolYearStarting(on: LocalDate): number {
  const year = Number(on.slice(0, 4));
  return Number(on.slice(5, 7)) >= 9 ? year : year - 1;
}

/** The national curriculum year group of a child born `dateOfBirth` in the school year starting 1 September `schoolYear`. */
export function yearGroup(dateOfBirth: LocalDate, schoolYear: number): number {
  return ageInYears(dateOfBirth, `${schoolYear}-08-31` as LocalDate) - 4;
}

/** The calendar year of the next September move, as of `today`: this year until 31 August, then next year. */
export function nextTransferYear(today: LocalDate): number {
  return schoolYearStarting(today) + 1;
}

/** The dates of birth of the children in `group` in the school year starting 1 September `schoolYear` (inclusive). */
export function cohortBirthDates(group: number, schoolYear: number): { from: LocalDate; to: LocalDate } {
  const born = schoolYear - group - 4;
  return { from: `${born - 1}-09-01` as LocalDate, to: `${born}-08-31` as LocalDate };
}

/**
 * Stated assumption: a Year 2 child moves from an infant school to a junior school only when their current setting is
 * an infant school, which its name says (GIAS names them "... Infant School" or "... Infants' School"); a child in a
 * primary school, or an "Infant and Junior" school, stays where they are.
 */
export function isInfantSchool(settingName: string | null): boolean {
  return settingName !== null && /\binfants?['’]?\b/i.test(settingName) && !/\bjunior\b/i.test(settingName);
}

/** The last day the transfer's amended plan may be finalised on (reg 18(1)(a); P10: 14 February or 30 March). */
export function phaseTransferDeadline(kind: PhaseTransferKind, transferYear: number): LocalDate {
  const [month, day] = PHASE_TRANSFER_BEFORE[PHASE_TRANSFER_ROUTE[kind]];
  return lastDayBefore(transferYear, month, day);
}

/**
 * reg 18(1)(b): for a move between post-16 institutions, the last day that is at least 5 months before the move: the
 * same date 5 calendar months earlier (a move on 31 July: 28 February, or 29 in a leap year, since 1 March plus 5
 * months is 1 August, after the move).
 */
export function post16TransferDeadline(moveDate: LocalDate): LocalDate {
  return addMonths(moveDate, -POST16_TRANSFER_MONTHS_BEFORE);
}

export interface PhaseTransferDue {
  kind: PhaseTransferKind;
  /** The calendar year of the September move. */
  transferYear: number;
  fromYearGroup: number;
  /** The day the child moves phase (the school year's first day, taken as 1 September). */
  moveDate: LocalDate;
  deadline: LocalDate;
}

/**
 * The transfer a child faces next September, if any, as of `today`: from their year group this school year (nursery,
 * Year 2 in an infant school, Year 6, Year 11), with its deadline.
 */
export function nextPhaseTransfer(
  child: { dateOfBirth: LocalDate; settingName: string | null },
  today: LocalDate,
): PhaseTransferDue | null {
  const transferYear = nextTransferYear(today);
  const group = yearGroup(child.dateOfBirth, transferYear - 1);
  const kind = PHASE_TRANSFERS.find((k) => PHASE_TRANSFER_FROM_YEAR[k] === group);
  if (!kind) return null;
  if (kind === 'infant_to_junior' && !isInfantSchool(child.settingName)) return null;
  return {
    kind,
    transferYear,
    fromYearGroup: group,
    moveDate: `${transferYear}-09-01` as LocalDate,
    deadline: phaseTransferDeadline(kind, transferYear),
  };
}

export type PhaseTransferProgress = 'on_time' | 'late' | 'not_yet' | 'overdue';

export const PHASE_TRANSFER_PROGRESS_NAMES: Record<PhaseTransferProgress, string> = {
  on_time: 'Finalised on time',
  late: 'Finalised late',
  not_yet: 'Not finalised yet',
  overdue: 'Overdue',
};

/** Where a transfer stands against its deadline as of `today`: finalised on time or late, not yet, or overdue. */
export function phaseTransferProgress(
  deadline: LocalDate,
  finalisedDate: LocalDate | null,
  today: LocalDate,
): PhaseTransferProgress {
  if (finalisedDate !== null) return finalisedDate <= deadline ? 'on_time' : 'late';
  return today > deadline ? 'overdue' : 'not_yet';
}

/** What recording a finalised transfer asks for (the next setting named, and the date the amended plan was finalised). */
export interface PhaseTransferInput {
  nextSettingName: string;
  nextSettingUrn: string;
  finalisedDate: LocalDate;
}

/**
 * The refusals of recording a transfer's amended plan: a ceased plan (it is no longer maintained: nothing to transfer),
 * a finalised date in the future or before the plan was issued, a transfer already recorded. The next setting's name
 * and URN are checked by the form.
 */
export function checkPhaseTransfer(
  plan: { status: string; firstIssuedDate: LocalDate; ceasedDate: LocalDate | null },
  recordedDate: LocalDate | null,
  input: PhaseTransferInput,
  today: LocalDate,
): { field: string; text: string }[] {
  if (plan.ceasedDate !== null || plan.status !== 'active') {
    return [
      { field: '', text: 'The plan has been ceased: a transfer cannot be recorded on a plan no longer maintained' },
    ];
  }
  if (recordedDate !== null) return [{ field: '', text: 'This transfer has already been recorded as finalised' }];
  const errors: { field: string; text: string }[] = [];
  if (input.finalisedDate > today) {
    errors.push({
      field: 'finalisedDate',
      text: 'The date the amended plan was finalised must be today or in the past',
    });
  } else if (input.finalisedDate < plan.firstIssuedDate) {
    errors.push({
      field: 'finalisedDate',
      text: 'The date the amended plan was finalised must be on or after the date the plan was issued',
    });
  }
  return errors;
}
