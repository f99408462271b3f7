/**
 * Moves between councils (SEND Regulations 2014 reg 15) and of health commissioner (reg 16): a plan transferred out to
 * another LA in England, or in from one; the dates the law sets; the refusals; what to do next.
 * (shared/reference/statutory-timescales.md rows 15-18 and worked example F; legislation.gov.uk uksi/2014/1530/
 * regulation/15/made.)
 *
 * - reg 15(2): the old LA transfers the plan to the new LA on the day of the move or, where it did not become aware of
 *   the move at least 15 working days before it, within 15 working days beginning with the day it became aware.
 * - reg 15(3): from the date of the transfer the plan is treated as made by the new LA on the date the old LA made it,
 *   and the new LA must maintain it. Until then it is the old LA's plan (it stays on the old LA's register); SEN2 reports
 *   it on the old LA's return as ended that day (CeaseDate, CeaseReason 5) with the new LA in TransferLA.
 * - reg 15(4): the new LA tells the parent or young person, within 6 weeks of the transfer, that the plan has been
 *   transferred, whether it proposes to assess, and when it proposes to review the plan.
 * - reg 15(5): the new LA reviews the plan before the later of 12 months beginning with the date the plan was made or
 *   last reviewed and 3 months beginning with the transfer.
 * - reg 16 (row 18, marked VERIFY in the reference): where the health commissioner (ICB) changes too, the new one is
 *   told on the day of the move or within 15 working days, and may ask for a review or an assessment within 15 working
 *   days. Worked out here; the pages say only that reg 16 applies and the dates the reference gives, citing it.
 */
import { addDays, formatLongDate, type LocalDate } from '../dates/localDate.js';
import { periodStartingWithEnds } from '../dates/months.js';
import type { WorkingDayCalendar } from '../dates/workingDays.js';
import {
  ANNUAL_REVIEW_MONTHS,
  HEALTH_COMMISSIONER_WORKING_DAYS,
  INFORM_PARENT_AFTER_TRANSFER_DAYS,
  PLAN_TRANSFER_WORKING_DAYS,
  REVIEW_AFTER_TRANSFER_MONTHS,
} from '../statutory/periods.js';
import { ENGLISH_LOCAL_AUTHORITIES } from './englishLocalAuthorities.js';

const long = (d: LocalDate) => formatLongDate(d);

/** SEN2 CeaseReason 5: transferred to another LA in England (shared/reference/sen2/README.md section 3). */
export const SEN2_TRANSFERRED_REASON = '5';

/** The name of an LA in England by its 3-digit code, or null when there is none with that code. */
export function laName(code: string): string | null {
  return Object.hasOwn(ENGLISH_LOCAL_AUTHORITIES, code) ? ENGLISH_LOCAL_AUTHORITIES[code]! : null;
}

/** The nth working day of a period "beginning with" `start` (`start` counts as the first when it is a working day). */
export function nthWorkingDayBeginningWith(start: LocalDate, n: number, calendar: WorkingDayCalendar): LocalDate {
  return calendar.nthWorkingDayAfter(addDays(start, -1), n);
}

export interface TransferDue {
  date: LocalDate;
  /** 'day_of_move': the LA knew at least 15 working days before; 'after_learning': it learned later (reg 15(2)). */
  rule: 'day_of_move' | 'after_learning';
}

/**
 * reg 15(2): the day the old LA must transfer the plan by. The LA was aware "at least 15 working days prior to the
 * move" when the 15 working days beginning with the day it learned end before the day of the move; then it is the
 * day of the move, else the last of those 15 working days (on or after the move).
 */
export function transferPlanBy(moveDate: LocalDate, learnedDate: LocalDate, calendar: WorkingDayCalendar): TransferDue {
  const windowEnd = nthWorkingDayBeginningWith(learnedDate, PLAN_TRANSFER_WORKING_DAYS, calendar);
  return windowEnd < moveDate ? { date: moveDate, rule: 'day_of_move' } : { date: windowEnd, rule: 'after_learning' };
}

/** reg 16 (row 18, VERIFY): the new health commissioner told by the same rule as the plan's transfer. */
export function tellNewHealthCommissionerBy(
  moveDate: LocalDate,
  learnedDate: LocalDate,
  calendar: WorkingDayCalendar,
): TransferDue {
  const windowEnd = nthWorkingDayBeginningWith(learnedDate, HEALTH_COMMISSIONER_WORKING_DAYS, calendar);
  return windowEnd < moveDate ? { date: moveDate, rule: 'day_of_move' } : { date: windowEnd, rule: 'after_learning' };
}

/** reg 16 (row 18, VERIFY): the new health commissioner may ask for a review or an assessment within 15 working days. */
export function healthCommissionerAsksBy(toldDate: LocalDate, calendar: WorkingDayCalendar): LocalDate {
  return nthWorkingDayBeginningWith(toldDate, HEALTH_COMMISSIONER_WORKING_DAYS, calendar);
}

/** The new LA's dates after a transfer in (reg 15(4), 15(5)). */
export interface TransferInDates {
  /** reg 15(4): within 6 weeks of the transfer (P1). */
  informParentBy: LocalDate;
  /** reg 15(5)(a): the last day of the 12 months beginning with the plan's making or last review (P7). */
  byPlan: LocalDate;
  /** reg 15(5)(b): the last day of the 3 months beginning with the transfer (P8). */
  byTransfer: LocalDate;
  /** The later of the two: the review must be concluded by this day. */
  reviewBy: LocalDate;
}

export function transferInDates(transferDate: LocalDate, madeOrLastReviewed: LocalDate): TransferInDates {
  const byPlan = periodStartingWithEnds(madeOrLastReviewed, ANNUAL_REVIEW_MONTHS);
  const byTransfer = periodStartingWithEnds(transferDate, REVIEW_AFTER_TRANSFER_MONTHS);
  return {
    informParentBy: addDays(transferDate, INFORM_PARENT_AFTER_TRANSFER_DAYS),
    byPlan,
    byTransfer,
    reviewBy: byPlan > byTransfer ? byPlan : byTransfer,
  };
}

// A transfer out.

/** What a transfer out has recorded (null until the step is). */
export interface MoveOutRecord {
  newLaCode: string;
  moveDate: LocalDate;
  /** The day this LA became aware of the move. */
  learnedDate: LocalDate;
  /** The move changes the child's health commissioner (ICB) too (reg 16). */
  healthCommissionerChanges: boolean;
  /** The day the plan (and the advice it was made with) went to the new LA: the date of the transfer (reg 15(3)). */
  transferredDate: LocalDate | null;
  /** The day the new health commissioner was told. */
  healthToldDate: LocalDate | null;
}

export const MOVE_OUT_STEPS = ['record', 'transfer', 'health'] as const;
export type MoveOutStep = (typeof MOVE_OUT_STEPS)[number];

export type MoveOutInput =
  | {
      step: 'record';
      newLaCode: string;
      moveDate: LocalDate;
      learnedDate: LocalDate;
      healthCommissionerChanges: boolean;
    }
  | { step: 'transfer'; transferredDate: LocalDate }
  | { step: 'health'; healthToldDate: LocalDate };

export type MoveFieldErrors = { field: string; text: string }[];

/** The plan a move is about, as the refusals need it. */
export interface MovingPlan {
  firstIssuedDate: LocalDate;
  ceasedDate: LocalDate | null;
  /** A ceasing under way (CFA s.45): the plan cannot also move out until it has ended or been kept. */
  ceasingOpen: boolean;
}

/** The steps of a transfer out open now, in order. */
export function openMoveOutSteps(r: MoveOutRecord | null): MoveOutStep[] {
  if (r === null) return ['record'];
  const steps: MoveOutStep[] = [];
  if (r.transferredDate === null) steps.push('transfer');
  if (r.healthCommissionerChanges && r.healthToldDate === null) steps.push('health');
  return steps;
}

/** Whether a transfer out still has something to do. */
export function moveOutOpen(r: MoveOutRecord | null): boolean {
  return r !== null && openMoveOutSteps(r).length > 0;
}

/**
 * The refusals of a step of a transfer out, each against its form field: a plan that has ended or is being ceased, a
 * move already recorded, this LA's own code, a code no LA in England has, a date in the future for what has happened,
 * dates impossible in order (a move before the plan was made, a transfer before the move or before the LA knew).
 */
export function checkMoveOut(
  plan: MovingPlan,
  ownLaCode: string,
  r: MoveOutRecord | null,
  input: MoveOutInput,
  today: LocalDate,
): MoveFieldErrors {
  if (plan.ceasedDate !== null) {
    return [{ field: '', text: `The plan ended on ${long(plan.ceasedDate)}: a plan that has ended cannot move` }];
  }
  if (!openMoveOutSteps(r).includes(input.step)) {
    return [
      { field: '', text: input.step === 'record' ? 'A move of this plan is already recorded' : stepDone(input.step) },
    ];
  }
  const errors: MoveFieldErrors = [];
  const happened = (field: string, what: string, date: LocalDate) => {
    if (date > today) errors.push({ field, text: `${what} must be today or in the past` });
  };
  switch (input.step) {
    case 'record': {
      if (plan.ceasingOpen) {
        return [
          {
            field: '',
            text: 'Ceasing this plan is under way: finish it (or keep the plan) before recording a move',
          },
        ];
      }
      if (input.newLaCode === ownLaCode) {
        errors.push({
          field: 'newLaCode',
          text: `${input.newLaCode} is this council’s own code: enter the code of the council the child is moving to`,
        });
      } else if (laName(input.newLaCode) === null) {
        errors.push({
          field: 'newLaCode',
          text: `No council in England has the code ${input.newLaCode}: enter its 3-digit DfE LA code`,
        });
      }
      if (input.moveDate < plan.firstIssuedDate) {
        errors.push({
          field: 'moveDate',
          text: `The move must be on or after the date the plan was issued (${long(plan.firstIssuedDate)})`,
        });
      }
      happened('learnedDate', 'The date the council learned of the move', input.learnedDate);
      break;
    }
    case 'transfer':
      happened('transferredDate', 'The date the plan was sent', input.transferredDate);
      if (input.transferredDate < r!.moveDate) {
        errors.push({
          field: 'transferredDate',
          text: `The plan is transferred on the day of the move or after it (SEND Regulations 2014 reg 15(2)): the date must be on or after the move (${long(r!.moveDate)})`,
        });
      }
      break;
    case 'health':
      happened('healthToldDate', 'The date the health commissioner was told', input.healthToldDate);
      if (input.healthToldDate < r!.learnedDate) {
        errors.push({
          field: 'healthToldDate',
          text: `The health commissioner cannot have been told before the council learned of the move (${long(r!.learnedDate)})`,
        });
      }
      break;
  }
  return errors;
}

function stepDone(step: MoveOutStep): string {
  if (step === 'transfer') return 'The plan has already been transferred';
  return 'The health commissioner does not change, or has already been told';
}

export function applyMoveOutStep(r: MoveOutRecord | null, input: MoveOutInput): MoveOutRecord {
  switch (input.step) {
    case 'record':
      return {
        newLaCode: input.newLaCode,
        moveDate: input.moveDate,
        learnedDate: input.learnedDate,
        healthCommissionerChanges: input.healthCommissionerChanges,
        transferredDate: null,
        healthToldDate: null,
      };
    case 'transfer':
      return { ...r!, transferredDate: input.transferredDate };
    case 'health':
      return { ...r!, healthToldDate: input.healthToldDate };
  }
}

/** The duties of a transfer out, with their due dates (done or not). */
export function moveOutDuties(r: MoveOutRecord, calendar: WorkingDayCalendar) {
  const duties: { duty: 'transfer_plan' | 'tell_health_commissioner'; due: TransferDue; done: LocalDate | null }[] = [
    { duty: 'transfer_plan', due: transferPlanBy(r.moveDate, r.learnedDate, calendar), done: r.transferredDate },
  ];
  if (r.healthCommissionerChanges) {
    duties.push({
      duty: 'tell_health_commissioner',
      due: tellNewHealthCommissionerBy(r.moveDate, r.learnedDate, calendar),
      done: r.healthToldDate,
    });
  }
  return duties;
}

/** What to do next on a transfer out, and by when (null once all is done). */
export function moveOutNextStep(
  r: MoveOutRecord,
  calendar: WorkingDayCalendar,
): { step: MoveOutStep; text: string; due: LocalDate } | null {
  const open = moveOutDuties(r, calendar)
    .filter((d) => d.done === null)
    .sort((a, b) => (a.due.date < b.due.date ? -1 : a.due.date > b.due.date ? 1 : 0));
  const first = open[0];
  if (!first) return null;
  const name = laName(r.newLaCode) ?? r.newLaCode;
  return first.duty === 'transfer_plan'
    ? { step: 'transfer', text: `Send the plan and the advice it was made with to ${name}`, due: first.due.date }
    : { step: 'health', text: 'Tell the child’s new health commissioner (ICB) of the move', due: first.due.date };
}

/** Which council holds the plan on `today` (reg 15(3): the new LA from the date of the transfer). */
export function planHolder(r: MoveOutRecord, today: LocalDate): 'this_la' | 'new_la' {
  return r.transferredDate !== null && r.transferredDate <= today ? 'new_la' : 'this_la';
}

// A transfer in.

export interface MoveInRecord {
  oldLaCode: string;
  transferDate: LocalDate;
  /** The day the old LA made the plan (reg 15(3)(a): treated as made by this LA that day). */
  planMadeDate: LocalDate;
  lastReviewDate: LocalDate | null;
  /** reg 15(4): the day the parent or young person was told, whether the LA will assess, and the review's date. */
  parentInformedDate: LocalDate | null;
  willAssess: boolean | null;
  proposedReviewDate: LocalDate | null;
}

export type MoveInInput =
  | {
      step: 'record';
      oldLaCode: string;
      transferDate: LocalDate;
      planMadeDate: LocalDate;
      lastReviewDate: LocalDate | null;
    }
  | { step: 'inform'; parentInformedDate: LocalDate; willAssess: boolean; proposedReviewDate: LocalDate };

/** The day the 12 months of reg 15(5)(a) begin: the plan's last review, else its making. */
export function madeOrLastReviewed(r: Pick<MoveInRecord, 'planMadeDate' | 'lastReviewDate'>): LocalDate {
  return r.lastReviewDate ?? r.planMadeDate;
}

/**
 * The refusals of a transfer in: this LA's own code, a code no LA in England has, a transfer in the future, dates
 * impossible in order (a plan made or reviewed after it was transferred, a review before the plan was made); and for
 * telling the parent: a date in the future or before the transfer, and a review proposed after the law's date.
 */
export function checkMoveIn(
  ownLaCode: string,
  r: MoveInRecord | null,
  input: MoveInInput,
  today: LocalDate,
): MoveFieldErrors {
  const errors: MoveFieldErrors = [];
  switch (input.step) {
    case 'record':
      if (input.oldLaCode === ownLaCode) {
        errors.push({
          field: 'oldLaCode',
          text: `${input.oldLaCode} is this council’s own code: enter the code of the council the plan came from`,
        });
      } else if (laName(input.oldLaCode) === null) {
        errors.push({
          field: 'oldLaCode',
          text: `No council in England has the code ${input.oldLaCode}: enter its 3-digit DfE LA code`,
        });
      }
      if (input.transferDate > today) {
        errors.push({ field: 'transferDate', text: 'The date of the transfer must be today or in the past' });
      }
      if (input.planMadeDate > input.transferDate) {
        errors.push({
          field: 'planMadeDate',
          text: 'The plan must have been made on or before the date of the transfer',
        });
      }
      if (input.lastReviewDate !== null) {
        if (input.lastReviewDate < input.planMadeDate) {
          errors.push({
            field: 'lastReviewDate',
            text: 'The last review must be on or after the date the plan was made',
          });
        } else if (input.lastReviewDate > input.transferDate) {
          errors.push({
            field: 'lastReviewDate',
            text: 'The last review must be on or before the date of the transfer (a review after it is this council’s)',
          });
        }
      }
      break;
    case 'inform': {
      if (r === null) return [{ field: '', text: 'Record the transfer first' }];
      if (r.parentInformedDate !== null) return [{ field: '', text: 'The parent has already been told' }];
      if (input.parentInformedDate > today) {
        errors.push({ field: 'parentInformedDate', text: 'The date the family was told must be today or in the past' });
      }
      if (input.parentInformedDate < r.transferDate) {
        errors.push({
          field: 'parentInformedDate',
          text: `The family is told after the transfer: the date must be on or after ${long(r.transferDate)}`,
        });
      }
      const { reviewBy } = transferInDates(r.transferDate, madeOrLastReviewed(r));
      if (input.proposedReviewDate > reviewBy) {
        errors.push({
          field: 'proposedReviewDate',
          text: `The review must be by ${long(reviewBy)} (SEND Regulations 2014 reg 15(5))`,
        });
      } else if (input.proposedReviewDate < input.parentInformedDate) {
        errors.push({
          field: 'proposedReviewDate',
          text: 'The review the family is told of must be on or after the day they are told',
        });
      }
      break;
    }
  }
  return errors;
}

export function applyMoveInStep(r: MoveInRecord | null, input: MoveInInput): MoveInRecord {
  if (input.step === 'record') {
    return {
      oldLaCode: input.oldLaCode,
      transferDate: input.transferDate,
      planMadeDate: input.planMadeDate,
      lastReviewDate: input.lastReviewDate,
      parentInformedDate: null,
      willAssess: null,
      proposedReviewDate: null,
    };
  }
  return {
    ...r!,
    parentInformedDate: input.parentInformedDate,
    willAssess: input.willAssess,
    proposedReviewDate: input.proposedReviewDate,
  };
}

/** What to do next on a transfer in: tell the family (reg 15(4)); then the review (reg 15(5)), run from /reviews. */
export function moveInNextStep(r: MoveInRecord): { step: 'inform' | 'review'; text: string; due: LocalDate } {
  const dates = transferInDates(r.transferDate, madeOrLastReviewed(r));
  if (r.parentInformedDate === null) {
    return {
      step: 'inform',
      text: 'Tell the family the plan has been transferred, whether the council will assess, and when it will review the plan',
      due: dates.informParentBy,
    };
  }
  return { step: 'review', text: 'Review the plan', due: dates.reviewBy };
}
