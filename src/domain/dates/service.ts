/**
 * Deemed service of a draft plan or notice (rule P4) and the comment window that follows (rule P3).
 */
import { addDays, type LocalDate } from './localDate.js';
import type { WorkingDayCalendar } from './workingDays.js';
import {
  DRAFT_COMMENT_DAYS,
  FIRST_CLASS_POST_WORKING_DAYS,
  SECOND_CLASS_POST_WORKING_DAYS,
} from '../statutory/periods.js';

export const SERVICE_METHODS = ['email', 'hand', 'first_class_post', 'second_class_post'] as const;
export type ServiceMethod = (typeof SERVICE_METHODS)[number];

/**
 * When a document sent on `sent` by `method` is deemed served: email or by hand, the day sent; first class post, the
 * 2nd working day after posting; second class post, the 4th (Interpretation Act 1978 s.7; 1985 Practice Direction).
 */
export function deemedServed(sent: LocalDate, method: ServiceMethod, calendar: WorkingDayCalendar): LocalDate {
  switch (method) {
    case 'email':
    case 'hand':
      return sent;
    case 'first_class_post':
      return calendar.nthWorkingDayAfter(sent, FIRST_CLASS_POST_WORKING_DAYS);
    case 'second_class_post':
      return calendar.nthWorkingDayAfter(sent, SECOND_CLASS_POST_WORKING_DAYS);
  }
}

/**
 * The last day of "at least 15 days beginning with the day served" (reg 13(1)(a); rule P3): served + 14. The plan
 * may be finalised from the day after.
 */
export function commentWindowEnds(served: LocalDate): LocalDate {
  return addDays(served, DRAFT_COMMENT_DAYS - 1);
}
