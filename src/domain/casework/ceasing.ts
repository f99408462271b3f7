/**
 * Ceasing to maintain an EHC plan (Children and Families Act 2014 ss.45-46; SEND Regulations 2014 regs 29-31; Code of
 * Practice 9.199-9.210; shared/reference/statutory-timescales.md row 19): the reasons the law allows, the steps
 * (consultation, then the decision notice with the right of appeal and mediation), the refusals, and the day the plan
 * actually ends.
 *
 * - s.45(1): the LA may cease only if it is no longer responsible for the child or young person (a move to another
 *   LA; a young person who has started higher education or paid employment without training, Code of Practice 9.201;
 *   the end of the academic year in which they turn 25, s.46), or it decides the plan is no longer necessary
 *   (s.45(1)(b), (3)): the special educational provision is no longer needed. For a young person over 18 it must
 *   have regard to whether the plan's education or training outcomes are achieved (s.45(4)).
 * - reg 29: a child or young person under 18 keeps the plan unless it is no longer necessary; one not in education
 *   or training has the plan reviewed and amended so they are (reg 29(2)).
 * - reg 30: a young person of 18 or over who has left education or training keeps the plan unless it was reviewed
 *   and they do not wish to return, or returning would not be appropriate.
 * - reg 31: before deciding, the LA tells the parent or young person, consults them and the head of the named school
 *   or college; the decision notice states the right of appeal, its time limits, mediation (reg 32) and where to get
 *   advice.
 * - s.45(2): the plan is maintained until the time for appealing has passed or an appeal is decided: only then does
 *   it end (SEN2 CeaseDate is that day, not the decision's).
 */
import { addDays, ageInYears, formatLongDate, type LocalDate } from '../dates/localDate.js';
import type { WorkingDayCalendar } from '../dates/workingDays.js';
import { appealBy, mediationContactBy, type AppealDeadline } from '../statutory/appeal.js';

export const CEASE_REASONS = [
  'no_longer_necessary',
  'outcomes_met',
  'left_education',
  'higher_education',
  'paid_employment',
  'moved_la',
  'moved_outside_england',
  'max_age',
  'deceased',
] as const;
export type CeaseReason = (typeof CEASE_REASONS)[number];

/** Each reason as a caseworker chooses it, with the law that allows it. */
export const CEASE_REASON_NAMES: Record<CeaseReason, { text: string; basis: string }> = {
  no_longer_necessary: {
    text: 'The plan is no longer necessary: the special educational provision can be made without it',
    basis: 'Children and Families Act 2014 s.45(1)(b), (3); SEND Regulations 2014 reg 29(1)',
  },
  outcomes_met: {
    text: 'The young person is 19 or over and has achieved the education or training outcomes in the plan',
    basis: 'Children and Families Act 2014 s.45(1)(b), (4)',
  },
  left_education: {
    text: 'The young person (18 or over) has left education or training and, after a review, does not wish to return or returning would not be appropriate',
    basis: 'SEND Regulations 2014 reg 30',
  },
  higher_education: {
    text: 'The young person has started higher education',
    basis: 'Children and Families Act 2014 s.45(1)(a); Code of Practice 9.201',
  },
  paid_employment: {
    text: 'The young person has started paid employment without training (not an apprenticeship)',
    basis: 'Children and Families Act 2014 s.45(1)(a); Code of Practice 9.201',
  },
  moved_la: {
    text: 'The child or young person has moved to another council in England',
    basis: 'Children and Families Act 2014 s.45(1)(a); SEND Regulations 2014 reg 15',
  },
  moved_outside_england: {
    text: 'The child or young person has moved outside England',
    basis: 'Children and Families Act 2014 s.45(1)(a)',
  },
  max_age: {
    text: 'The young person reaches 25 in this academic year',
    basis: 'Children and Families Act 2014 s.46',
  },
  deceased: {
    text: 'The child or young person has died',
    basis: 'Children and Families Act 2014 s.45(1)(a)',
  },
};

/** SEN2 CeaseReason (item 4.6; shared/reference/sen2/README.md section 3) for each reason. */
export const SEN2_CEASE_REASON: Record<CeaseReason, string> = {
  max_age: '1',
  no_longer_necessary: '2',
  outcomes_met: '2',
  higher_education: '3',
  paid_employment: '4',
  moved_la: '5',
  left_education: '6',
  moved_outside_england: '7',
  deceased: '8',
};

/** reg 30: the age from which a plan may cease because the young person has left education or training. */
export const LEFT_EDUCATION_MIN_AGE = 18;
/** s.45(4) (Explanatory Notes para 246: "aged 19 or over"): outcomes achieved. */
export const OUTCOMES_MET_MIN_AGE = 19;
/** s.46: a plan may be maintained to the end of the academic year in which the young person turns 25. */
export const MAX_AGE = 25;
/** s.83(2): a young person is over compulsory school age (the end of the school year in which they turn 16). */
export const YOUNG_PERSON_AGE = 16;

export const CEASING_STEPS = ['consult', 'decision', 'certificate', 'appeal', 'tribunal', 'cease'] as const;
export type CeasingStep = (typeof CEASING_STEPS)[number];

/** What a ceasing has recorded (null until the step is). */
export interface CeasingRecord {
  reason: CeaseReason;
  /** The day the parent or young person was told the LA is considering ceasing, and consulted (reg 31(1)(a), (b)). */
  consultedDate: LocalDate;
  /** The day the head of the named school or college was consulted (reg 31(1)(c)). */
  schoolConsultedDate: LocalDate;
  decision: 'cease' | 'maintain' | null;
  /** The day the decision notice was sent (reg 31(2), (3)). */
  decisionDate: LocalDate | null;
  /** The day a mediation certificate was issued, which can give the family longer to appeal. */
  certificateDate: LocalDate | null;
  appealLodgedDate: LocalDate | null;
  /** The Tribunal's decision: 'dismissed' (the plan ceases), 'upheld' (it is kept). */
  tribunalOutcome: 'dismissed' | 'upheld' | null;
  tribunalDate: LocalDate | null;
  ceasedDate: LocalDate | null;
}

/** The step's input, as its form gives it (dates parsed). */
export type CeasingStepInput =
  | {
      step: 'consult';
      reason: CeaseReason;
      consultedDate: LocalDate;
      schoolConsultedDate: LocalDate;
      /** reg 30(1): the plan was reviewed and the young person does not wish to return (or it is not appropriate). */
      reviewedNoReturn: boolean;
    }
  | { step: 'decision'; decision: 'cease' | 'maintain'; decisionDate: LocalDate }
  | { step: 'certificate'; certificateDate: LocalDate }
  | { step: 'appeal'; appealLodgedDate: LocalDate }
  | { step: 'tribunal'; tribunalOutcome: 'dismissed' | 'upheld'; tribunalDate: LocalDate }
  | { step: 'cease' };

export type CeasingFieldErrors = { field: string; text: string }[];

/** The plan and person a ceasing is about, as the refusals need them. */
export interface CeasedPlan {
  firstIssuedDate: LocalDate;
  ceasedDate: LocalDate | null;
  dateOfBirth: LocalDate;
}

const long = (d: LocalDate) => formatLongDate(d);

/** The last day of the academic year (31 August) that `date` falls in. */
export function academicYearEnd(date: LocalDate): LocalDate {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return `${month >= 9 ? year + 1 : year}-08-31` as LocalDate;
}

/** Whether a ceasing is still open (not yet ended in a ceased plan, or in the plan kept). */
export function ceasingOpen(r: CeasingRecord | null): boolean {
  if (r === null) return false;
  if (r.decision === 'maintain') return false;
  if (r.tribunalOutcome === 'upheld') return false;
  return r.ceasedDate === null;
}

/** The family's dates once the decision to cease is sent: appeal (Tribunal rules), mediation (reg 33). */
export function ceasingAppealDates(
  r: CeasingRecord,
  calendar: WorkingDayCalendar,
): { appeal: AppealDeadline; mediationBy: LocalDate; maintainedUntil: LocalDate; ceasesOn: LocalDate } | null {
  if (r.decision !== 'cease' || r.decisionDate === null) return null;
  const appeal = appealBy(r.decisionDate, r.certificateDate, calendar);
  return {
    appeal,
    mediationBy: mediationContactBy(r.decisionDate),
    // s.45(2): maintained until the time for appealing has passed; it ends the day after.
    maintainedUntil: appeal.date,
    ceasesOn: addDays(appeal.date, 1),
  };
}

/** The steps open now, in order (none once the ceasing has ended). */
export function openCeasingSteps(r: CeasingRecord | null, calendar: WorkingDayCalendar, today: LocalDate) {
  if (r === null) return ['consult'] as CeasingStep[];
  if (!ceasingOpen(r)) return [] as CeasingStep[];
  if (r.decision === null) return ['decision'] as CeasingStep[];
  if (r.appealLodgedDate !== null) return ['tribunal'] as CeasingStep[];
  const steps: CeasingStep[] = ['certificate', 'appeal'];
  const dates = ceasingAppealDates(r, calendar);
  if (dates && dates.ceasesOn <= today) steps.push('cease');
  return steps;
}

/**
 * The refusals of a step, each against its form field in words a caseworker can act on: a ceasing on a plan already
 * ceased (or one already under way), a reason the law does not allow for the person's age, a date in the future for
 * what has happened, a notice before the consultation, ending the plan before the family's time to appeal has passed.
 */
export function checkCeasingStep(
  plan: CeasedPlan,
  r: CeasingRecord | null,
  input: CeasingStepInput,
  today: LocalDate,
  calendar: WorkingDayCalendar,
): CeasingFieldErrors {
  const errors: CeasingFieldErrors = [];
  if (plan.ceasedDate !== null) {
    return [{ field: '', text: `The plan was ceased on ${long(plan.ceasedDate)}: it cannot be ceased again` }];
  }
  if (!openCeasingSteps(r, calendar, today).includes(input.step)) {
    return [{ field: '', text: stepClosed(r, input.step, calendar) }];
  }
  const happened = (field: string, what: string, date: LocalDate) => {
    if (date > today) errors.push({ field, text: `${what} must be today or in the past` });
  };
  const notBefore = (field: string, what: string, date: LocalDate, earliest: LocalDate, earliestIs: string) => {
    if (date < earliest) errors.push({ field, text: `${what} must be on or after ${earliestIs} (${long(earliest)})` });
  };
  switch (input.step) {
    case 'consult': {
      happened('consultedDate', 'The date the family was consulted', input.consultedDate);
      notBefore(
        'consultedDate',
        'The date the family was consulted',
        input.consultedDate,
        plan.firstIssuedDate,
        'the date the plan was issued',
      );
      happened('schoolConsultedDate', 'The date the school or college was consulted', input.schoolConsultedDate);
      notBefore(
        'schoolConsultedDate',
        'The date the school or college was consulted',
        input.schoolConsultedDate,
        plan.firstIssuedDate,
        'the date the plan was issued',
      );
      errors.push(...reasonRefusals(plan.dateOfBirth, input, today));
      break;
    }
    case 'decision': {
      happened('decisionDate', 'The date of the decision notice', input.decisionDate);
      const consulted = r!.consultedDate > r!.schoolConsultedDate ? r!.consultedDate : r!.schoolConsultedDate;
      notBefore(
        'decisionDate',
        'The decision notice',
        input.decisionDate,
        consulted,
        'the consultation with the family and the school (reg 31)',
      );
      break;
    }
    case 'certificate':
      happened('certificateDate', 'The date of the mediation certificate', input.certificateDate);
      notBefore(
        'certificateDate',
        'The date of the mediation certificate',
        input.certificateDate,
        r!.decisionDate!,
        'the decision notice',
      );
      break;
    case 'appeal':
      happened('appealLodgedDate', 'The date of the appeal', input.appealLodgedDate);
      notBefore(
        'appealLodgedDate',
        'The date of the appeal',
        input.appealLodgedDate,
        r!.decisionDate!,
        'the decision notice',
      );
      break;
    case 'tribunal':
      happened('tribunalDate', 'The date of the Tribunal’s decision', input.tribunalDate);
      notBefore(
        'tribunalDate',
        'The date of the Tribunal’s decision',
        input.tribunalDate,
        r!.appealLodgedDate!,
        'the appeal',
      );
      break;
    case 'cease':
      break;
  }
  return errors;
}

/** The reasons the law does not allow for this person at the time of the consultation (regs 29-30; ss.45-46). */
function reasonRefusals(
  dateOfBirth: LocalDate,
  input: Extract<CeasingStepInput, { step: 'consult' }>,
  today: LocalDate,
): CeasingFieldErrors {
  const on = input.consultedDate <= today ? input.consultedDate : today;
  const age = ageInYears(dateOfBirth, on);
  const refuse = (text: string) => [{ field: 'reason', text }];
  switch (input.reason) {
    case 'left_education':
      if (age < LEFT_EDUCATION_MIN_AGE) {
        return refuse(
          `A plan cannot be ceased because a child under ${LEFT_EDUCATION_MIN_AGE} has left education or training: review it and amend it so they receive education or training (SEND Regulations 2014 reg 29(2))`,
        );
      }
      if (!input.reviewedNoReturn) {
        return [
          {
            field: 'reviewedNoReturn',
            text: 'Confirm the plan was reviewed and the young person does not wish to return to education or training, or returning would not be appropriate (reg 30(1))',
          },
        ];
      }
      return [];
    case 'outcomes_met':
      return age < OUTCOMES_MET_MIN_AGE
        ? refuse(
            `Achieved outcomes are a reason to cease only for a young person of ${OUTCOMES_MET_MIN_AGE} or over (Children and Families Act 2014 s.45(4)); for a younger child choose "no longer necessary" if the provision can be made without a plan`,
          )
        : [];
    case 'higher_education':
    case 'paid_employment':
      return age < YOUNG_PERSON_AGE
        ? refuse(
            'Higher education and paid employment are reasons to cease only for a young person over compulsory school age',
          )
        : [];
    case 'max_age': {
      const yearEnd = academicYearEnd(on);
      return ageInYears(dateOfBirth, yearEnd) < MAX_AGE
        ? refuse(
            `The young person is not ${MAX_AGE} by the end of this academic year (${long(yearEnd)}): a plan may be kept until then (Children and Families Act 2014 s.46)`,
          )
        : [];
    }
    default:
      return [];
  }
}

function stepClosed(r: CeasingRecord | null, step: CeasingStep, calendar: WorkingDayCalendar): string {
  if (step === 'consult') return 'Ceasing this plan is already under way: continue it from its page';
  if (r === null) return 'Consult the family and the school before the decision notice (reg 31)';
  if (!ceasingOpen(r)) return 'This ceasing has ended';
  if (step === 'cease') {
    const dates = ceasingAppealDates(r, calendar);
    if (r.appealLodgedDate) return 'An appeal was made: the plan ends only if the Tribunal dismisses it';
    if (dates) {
      return `The family can appeal until ${long(dates.appeal.date)}: the plan is maintained until then and ends on ${long(dates.ceasesOn)} (Children and Families Act 2014 s.45(2))`;
    }
  }
  if (step === 'tribunal') return 'Record the appeal before the Tribunal’s decision';
  return 'Record the decision notice first';
}

/** What the ceasing looks like after a step (the domain decides the day the plan ends). */
export function applyCeasingStep(
  r: CeasingRecord | null,
  input: CeasingStepInput,
  calendar: WorkingDayCalendar,
): CeasingRecord {
  switch (input.step) {
    case 'consult':
      return {
        reason: input.reason,
        consultedDate: input.consultedDate,
        schoolConsultedDate: input.schoolConsultedDate,
        decision: null,
        decisionDate: null,
        certificateDate: null,
        appealLodgedDate: null,
        tribunalOutcome: null,
        tribunalDate: null,
        ceasedDate: null,
      };
    case 'decision':
      return { ...r!, decision: input.decision, decisionDate: input.decisionDate };
    case 'certificate':
      return { ...r!, certificateDate: input.certificateDate };
    case 'appeal':
      return { ...r!, appealLodgedDate: input.appealLodgedDate };
    case 'tribunal':
      // Statutory timescales row 25: an appeal against ceasing dismissed, the plan ceases at once.
      return {
        ...r!,
        tribunalOutcome: input.tribunalOutcome,
        tribunalDate: input.tribunalDate,
        ceasedDate: input.tribunalOutcome === 'dismissed' ? input.tribunalDate : null,
      };
    case 'cease':
      return { ...r!, ceasedDate: ceasingAppealDates(r!, calendar)!.ceasesOn };
  }
}

/** What to do next on a ceasing, and from when (null once it has ended). */
export function ceasingNextStep(
  r: CeasingRecord | null,
  calendar: WorkingDayCalendar,
): { step: CeasingStep; text: string; from: LocalDate | null } | null {
  if (r === null) {
    return {
      step: 'consult',
      text: 'Tell the family the council is considering ceasing the plan, and consult them and the school or college',
      from: null,
    };
  }
  if (!ceasingOpen(r)) return null;
  if (r.decision === null) {
    return {
      step: 'decision',
      text: 'Decide, and send the decision notice with the right of appeal and mediation',
      from: null,
    };
  }
  if (r.appealLodgedDate !== null) {
    return { step: 'tribunal', text: 'Record the Tribunal’s decision when it comes', from: null };
  }
  const dates = ceasingAppealDates(r, calendar)!;
  return {
    step: 'cease',
    text: 'Keep maintaining the plan until the time for appealing has passed, then record that it has ended',
    from: dates.ceasesOn,
  };
}
