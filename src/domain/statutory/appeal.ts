/**
 * The dates a family's right of appeal and mediation run to once a final plan is issued
 * (shared/reference/statutory-timescales.md rows 20 and 24, example E):
 * - reg 33: contact the mediation adviser within 2 months of the decision notice (calendar months, Interpretation
 *   Act 1978 Sch 1: the same day 2 months on, or that month's last day where it is shorter);
 * - Tribunal rules: appeal by the later of 2 months from the decision letter and 1 month from the mediation
 *   certificate. A deadline falling 25 December to 1 January moves to the next working day in January; one in August
 *   to the first working day in September. This is the only rule that moves a SEND deadline (timescales R3).
 */
import type { LocalDate } from '../dates/localDate.js';
import { addMonths } from '../dates/months.js';
import type { WorkingDayCalendar } from '../dates/workingDays.js';
import { APPEAL_AFTER_CERTIFICATE_MONTHS, APPEAL_AFTER_DECISION_MONTHS, MEDIATION_CONTACT_MONTHS } from './periods.js';

/** reg 33: the last day to contact the mediation adviser, from the date of the decision (the final plan's letter). */
export function mediationContactBy(decision: LocalDate): LocalDate {
  return addMonths(decision, MEDIATION_CONTACT_MONTHS);
}

/** Why the Tribunal's rule moved an appeal deadline, if it did. */
export type AppealMove = 'christmas' | 'august';

export interface AppealDeadline {
  /** The last day to appeal, after the Tribunal's holiday rule. */
  date: LocalDate;
  /** The date before the holiday rule moved it, when it did. */
  movedFrom: LocalDate | null;
  moved: AppealMove | null;
  /** Which period gave the later date: the decision letter's 2 months, or the certificate's 1 month. */
  from: 'decision' | 'certificate';
}

function firstWorkingDayFrom(date: LocalDate, calendar: WorkingDayCalendar): LocalDate {
  return calendar.isWorkingDay(date) ? date : calendar.nthWorkingDayAfter(date, 1);
}

/**
 * The Tribunal's holiday rule: a deadline from 25 December to 1 January moves to the next working day in January
 * (after 1 January, itself a bank holiday); one in August to the first working day in September.
 */
export function tribunalHolidayRule(
  date: LocalDate,
  calendar: WorkingDayCalendar,
): { date: LocalDate; moved: AppealMove | null } {
  const month = date.slice(5, 7);
  const day = Number(date.slice(8, 10));
  if ((month === '12' && day >= 25) || (month === '01' && day === 1)) {
    const firstOfJanuary = (month === '12' ? `${Number(date.slice(0, 4)) + 1}-01-01` : date) as LocalDate;
    return { date: calendar.nthWorkingDayAfter(firstOfJanuary, 1), moved: 'christmas' };
  }
  if (month === '08') {
    const firstOfSeptember = `${date.slice(0, 4)}-09-01` as LocalDate;
    return { date: firstWorkingDayFrom(firstOfSeptember, calendar), moved: 'august' };
  }
  return { date, moved: null };
}

/**
 * The last day to appeal to the Tribunal: the later of 2 months from the decision letter and 1 month from the
 * mediation certificate (when there is one), moved by the holiday rule.
 */
export function appealBy(
  decision: LocalDate,
  certificate: LocalDate | null,
  calendar: WorkingDayCalendar,
): AppealDeadline {
  const afterDecision = addMonths(decision, APPEAL_AFTER_DECISION_MONTHS);
  const afterCertificate = certificate ? addMonths(certificate, APPEAL_AFTER_CERTIFICATE_MONTHS) : null;
  const fromCertificate = afterCertificate !== null && afterCertificate > afterDecision;
  const raw = fromCertificate ? afterCertificate : afterDecision;
  const ruled = tribunalHolidayRule(raw, calendar);
  return {
    date: ruled.date,
    movedFrom: ruled.moved ? raw : null,
    moved: ruled.moved,
    from: fromCertificate ? 'certificate' : 'decision',
  };
}
