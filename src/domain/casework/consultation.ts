/**
 * Consulting a school or other setting about naming it in section I: the setting should reply within 15 days of
 * being sent the draft plan (SEND Code of Practice 9.83; Children and Families Act 2014 s.39(2)). Counted as rule P2:
 * "within N days of E" is E + N days. It is the setting's deadline, shown so the caseworker can chase it; the
 * council's own deadline is still the final plan at 20 weeks.
 */
import { addDays, type LocalDate } from '../dates/localDate.js';
import { SETTING_CONSULTATION_DAYS } from '../statutory/periods.js';

export const CONSULTATION_BASIS = 'SEND Code of Practice 9.83; Children and Families Act 2014 s.39(2)';

export const CONSULTATION_RESPONSES = {
  can_meet: 'Can meet the child’s needs',
  cannot_meet: 'Says it cannot meet the child’s needs',
  other: 'Other response',
} as const;
export type ConsultationResponse = keyof typeof CONSULTATION_RESPONSES;

export function consultationResponseDue(sent: LocalDate): LocalDate {
  return addDays(sent, SETTING_CONSULTATION_DAYS);
}

export type ConsultationStatus = 'responded' | 'due' | 'overdue';

export function consultationStatus(sent: LocalDate, responded: LocalDate | null, today: LocalDate): ConsultationStatus {
  if (responded) return 'responded';
  return today <= consultationResponseDue(sent) ? 'due' : 'overdue';
}
