/**
 * Plans ceased (issue 28), in the demo county's history: added after everything else, from a stream of their own,
 * so every other record and figure is as it was.
 *
 * How many and why, from DfE's published counts of plans ceased in calendar year 2024
 * (shared/reference/statistics/dfe-ehcp-2025/ceased_plans.csv): England 44,862 plans ceased, against 638,745 plans
 * maintained in January 2025 (caseload.csv), about 7.0% a year; Hertfordshire 1,309 of 12,920, about 10.1%. The
 * generator ends about 5% of plans a year, a little under England's, and keeps its 13,000 active plans (at scale 1):
 * that rate is left as it is. Each ended plan's reason is drawn with England's 2024 shares (below), among the
 * reasons the law allows at the person's age (a child's plan does not end for work or university, reg 29; leaving
 * education only from 18, reg 30; the maximum age only in the academic year of 25, s.46).
 *
 * Each plan that ended through the council's own decision has its ceasing as casework: the family and the school
 * consulted 2 to 4 weeks before the decision notice, the notice, and the plan ending the day after the family's time
 * to appeal passed (CFA s.45(2); the Tribunal's holiday rules, statutory-timescales.md row 24). Plans the demo's
 * sign-in families hold are left as they are.
 */
import {
  academicYearEnd,
  ceasingAppealDates,
  LEFT_EDUCATION_MIN_AGE,
  MAX_AGE,
  SEN2_CEASE_REASON,
  YOUNG_PERSON_AGE,
  type CeaseReason,
  type CeasingRecord,
} from '../domain/casework/ceasing.js';
import { addDays, ageInYears, type LocalDate } from '../domain/dates/localDate.js';
import { addMonths } from '../domain/dates/months.js';
import { englandAndWales } from '../domain/dates/workingDays.js';
import type { DemoCounty } from './generate.js';
import type { Random } from './random.js';

/** England, calendar year 2024: plans ceased by SEN2 CeaseReason (ceased_plans.csv; 'other' 837 is code 9). */
export const ENGLAND_2024_CEASED: Record<string, number> = {
  '1': 1990,
  '2': 3955,
  '3': 2579,
  '4': 4053,
  '5': 13953,
  '6': 16091,
  '7': 928,
  '8': 475,
  '9': 837,
};

/** How far back the ceasings are casework (the demo's history: five years). */
const HISTORY_MONTHS = 60;

const REASON_OF_CODE: Record<string, CeaseReason | null> = {
  '1': 'max_age',
  '2': 'no_longer_necessary',
  '3': 'higher_education',
  '4': 'paid_employment',
  '5': 'moved_la',
  '6': 'left_education',
  '7': 'moved_outside_england',
  '8': 'deceased',
  '9': null,
};

/** Whether the law allows a code for a person born `born` on `on` (regs 29-30; ss.45-46). */
function allowed(code: string, born: LocalDate, on: LocalDate): boolean {
  const age = ageInYears(born, on);
  switch (code) {
    case '1':
      return ageInYears(born, academicYearEnd(on)) >= MAX_AGE;
    case '3':
    case '4':
      return age >= YOUNG_PERSON_AGE;
    case '6':
      return age >= LEFT_EDUCATION_MIN_AGE;
    default:
      return true;
  }
}

export type DemoCeasing = {
  id: string;
  laCode: string;
  planId: string;
  childId: string;
  status: 'ceased';
  reason: CeaseReason;
  consultedDate: LocalDate;
  schoolConsultedDate: LocalDate;
  decision: 'cease';
  decisionDate: LocalDate;
  ceasedDate: LocalDate;
};

/**
 * Gives every ended plan a reason with England's 2024 shares, and writes the
 * ceasing of each plan the council ended (all but "other") as casework. Returns the ceasings to load.
 */
export function ceasingHistory(out: DemoCounty, asOf: LocalDate, rnd: Random): DemoCeasing[] {
  const born = new Map(out.children.map((c) => [c.id, c.dateOfBirth as LocalDate]));
  const family = new Set(out.roleAssignments.filter((a) => a.role === 'parent').map((a) => a.childId));
  const historyFrom = addMonths(asOf, -HISTORY_MONTHS);
  const ceasings: DemoCeasing[] = [];
  for (const plan of out.plans) {
    if (plan.status === 'draft' || !plan.firstIssuedDate || family.has(plan.childId)) continue;
    if (plan.status === 'active' || !plan.ceasedDate) continue;
    const dob = born.get(plan.childId)!;
    const wanted = plan.ceasedDate as LocalDate;
    const codes = Object.entries(ENGLAND_2024_CEASED).filter(([code]) => allowed(code, dob, wanted));
    const code = rnd.weighted(codes.map(([c, w]) => [c, w] as [string, number]));
    const reason = REASON_OF_CODE[code];
    plan.status = 'ceased';
    plan.ceasedReason = code;
    plan.reviewNextDue = null;
    plan.reviewNextDuty = null;
    if (!reason) continue;
    // The decision about 2 months before the plan ended, consulted 2 to 4 weeks before it; the plan then ends the
    // day after the family's time to appeal (which the holiday rules can move).
    let decisionDate = addMonths(addDays(wanted, -1), -2);
    // Casework for the demo's five years of history (older plans ended before the service: their reason only).
    if (decisionDate <= (plan.firstIssuedDate as LocalDate) || decisionDate < historyFrom) continue;
    let consultedDate = addDays(decisionDate, -rnd.int(14, 28));
    const record: CeasingRecord = {
      reason,
      consultedDate,
      schoolConsultedDate: consultedDate,
      decision: 'cease',
      decisionDate,
      certificateDate: null,
      appealLodgedDate: null,
      tribunalOutcome: null,
      tribunalDate: null,
      ceasedDate: null,
    };
    let ceasedDate = ceasingAppealDates(record, englandAndWales)!.ceasesOn;
    // A holiday rule can move the end past today: the decision was then that much earlier (the plan has ended).
    while (ceasedDate > asOf) {
      decisionDate = addDays(decisionDate, -7);
      record.decisionDate = decisionDate;
      record.consultedDate = addDays(record.consultedDate, -7);
      ceasedDate = ceasingAppealDates(record, englandAndWales)!.ceasesOn;
    }
    if (decisionDate <= (plan.firstIssuedDate as LocalDate)) continue;
    consultedDate = record.consultedDate;
    plan.ceasedDate = ceasedDate;
    plan.ceasedReason = SEN2_CEASE_REASON[reason];
    ceasings.push({
      id: rnd.uuid(),
      laCode: plan.laCode,
      planId: plan.id,
      childId: plan.childId,
      status: 'ceased',
      reason,
      consultedDate,
      schoolConsultedDate: consultedDate,
      decision: 'cease',
      decisionDate,
      ceasedDate,
    });
  }
  return ceasings;
}
