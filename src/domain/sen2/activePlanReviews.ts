/**
 * SEN2 module 5 (Active plans), the review and phase-transfer items, from the annual review and phase-transfer
 * casework (issue 28). Item numbers are the 2025 guide's (shared/reference/sen2/README.md section 2; the XSD comments).
 *
 * Which review: the plan's latest annual review whose meeting was held on or before the census date. DfE's statistics
 * count one review meeting for each plan active in January, whether it was held in the calendar year, before it, or
 * between 1 January and the census date (shared/reference/sen2/dfe_ehcp_2025_data-guidance.txt, annual_reviews.csv:
 * review_meeting_24, review_meeting_prior_24, review_meeting_25, no_review_meeting), and that meeting's decision (in
 * the year, before it, "not yet due" or "outstanding"). So a plan reviewed twice (a child under 5, reviewed every 3 to
 * 6 months; or a review in the year and the next one before the census date) reports the later review, and every
 * item of a review is that one review's: a decision is never reported beside a later meeting it did not follow.
 * - 5.4a ReviewMeeting: the day that review's meeting was held. Left out when no meeting was held by the census date.
 * - 5.4c ReviewOutcome: A amend, C cease, M maintain (the decision told to the family). Left out until that decision.
 * - 5.4b LastReview: the day the LA wrote to the family with its decision after the meeting, not the meeting's date
 *   (README section 3; data-to-insight SSD EHCP003A quoting the guide). Left out until that decision. A plan with no
 *   review held here gives the decision date its record holds from before (an imported return's LastReview), if any.
 * - 5.4d ReviewDraft: when the decision is to amend, the day the draft amended plan (the proposed amendments) went to
 *   the family. The product sends the proposals with the decision notice (R (L, M and P) v Devon CC [2022] EWHC 493
 *   (Admin); services/reviews), so it is the decision's date. Left out for other decisions. (Stated assumption: the
 *   guide's wording was not available; "draft" is read as the proposed amended plan, not the final one.)
 *
 * Which phase transfer: the one whose deadline falls in the return's calendar year, i.e. the September move of that
 * year (the return covers the previous calendar year's activity; README section 1), for a child whose plan was
 * maintained on the deadline and is active on the census date. The cohort is the one domain/casework/phaseTransfer.ts
 * and the phase-transfer measure use (year group by date of birth; Year 2 only in an infant school), or a transfer
 * recorded for that year.
 * - 5.6a PhaseTransferDueDate: the transfer's deadline as its last compliant day (SEND Regulations 2014 reg 18(1)(a),
 *   "before 15 February" / "before 31 March": 14 February or 30 March; statutory-timescales.md P10).
 * - 5.6b PhaseTransferFinalDate: the day the amended plan naming the next setting was finalised. Left out until then
 *   (by the census date).
 * (Stated assumption: the guide's wording was not available; the transfer due in the collection year is read as the
 * one the return reports, as its other flow items are the year's.)
 */
import { daysBetween, type LocalDate } from '../dates/localDate.js';
import { REVIEW_DECISION_DAYS } from '../statutory/periods.js';
import {
  isInfantSchool,
  PHASE_TRANSFER_FROM_YEAR,
  PHASE_TRANSFERS,
  phaseTransferDeadline,
  yearGroup,
} from '../casework/phaseTransfer.js';
import type { Sen2ActivePlans } from './model.js';

/** One annual review of a plan as the casework records it (domain/casework/annualReview.ts). */
export interface Sen2ReviewFacts {
  planId: string;
  meetingHeldDate: LocalDate | null;
  decision: 'maintain' | 'amend' | 'cease' | null;
  /** The day the family was told the decision. */
  decisionDate: LocalDate | null;
}

/** A phase transfer recorded as finalised (phase_transfers). */
export interface Sen2TransferFacts {
  planId: string;
  /** The calendar year of the September move. */
  transferYear: number;
  deadline: LocalDate;
  finalisedDate: LocalDate;
}

export type Sen2ReviewItems = Pick<
  Sen2ActivePlans,
  'reviewMeeting' | 'reviewOutcome' | 'reviewDraft' | 'lastReview' | 'phaseTransferDueDate' | 'phaseTransferFinalDate'
>;

const OUTCOME_CODE = { maintain: 'M', amend: 'A', cease: 'C' } as const;

/** The review a plan's return reports: its latest meeting held on or before the census date, or null. */
export function reportedReview<R extends Sen2ReviewFacts>(reviews: readonly R[], census: LocalDate): R | null {
  let latest: R | null = null;
  for (const r of reviews) {
    if (r.meetingHeldDate === null || r.meetingHeldDate > census) continue;
    if (latest === null || r.meetingHeldDate > latest.meetingHeldDate!) latest = r;
  }
  return latest;
}

/** Items 5.4a-d for a plan active on the census date. */
export function reviewItems(
  reviews: readonly Sen2ReviewFacts[],
  planLastReviewDate: LocalDate | null,
  census: LocalDate,
): Sen2ReviewItems {
  const r = reportedReview(reviews, census);
  if (r === null) {
    return planLastReviewDate !== null && planLastReviewDate <= census ? { lastReview: planLastReviewDate } : {};
  }
  const out: Sen2ReviewItems = { reviewMeeting: r.meetingHeldDate! };
  if (r.decision !== null && r.decisionDate !== null && r.decisionDate <= census) {
    out.reviewOutcome = OUTCOME_CODE[r.decision];
    out.lastReview = r.decisionDate;
    if (r.decision === 'amend') out.reviewDraft = r.decisionDate;
  }
  return out;
}

/** Items 5.6a/b for a plan active on the census date: the transfer due in the return's calendar year, if any. */
export function phaseTransferItems(
  plan: { firstIssuedDate: LocalDate; ceasedDate: LocalDate | null },
  child: { dateOfBirth: LocalDate; settingName: string | null },
  recorded: readonly Sen2TransferFacts[],
  year: number,
  census: LocalDate,
): Sen2ReviewItems {
  const maintainedOn = (day: LocalDate) =>
    plan.firstIssuedDate <= day && (plan.ceasedDate === null || plan.ceasedDate > day);
  const row = recorded.find((t) => t.transferYear === year);
  let deadline: LocalDate | null = row?.deadline ?? null;
  if (deadline === null) {
    const group = yearGroup(child.dateOfBirth, year - 1);
    const kind = PHASE_TRANSFERS.find((k) => PHASE_TRANSFER_FROM_YEAR[k] === group);
    if (kind && (kind !== 'infant_to_junior' || isInfantSchool(child.settingName))) {
      deadline = phaseTransferDeadline(kind, year);
    }
  }
  if (deadline === null || !maintainedOn(deadline)) return {};
  const out: Sen2ReviewItems = { phaseTransferDueDate: deadline };
  if (row && row.finalisedDate <= census) out.phaseTransferFinalDate = row.finalisedDate;
  return out;
}

/** Review decisions and how many were told within 4 weeks of the meeting (reg 20(10); DfE number_decsion_4weeks). */
export interface ReviewDecisionCount {
  decisions: number;
  within4Weeks: number;
}

/**
 * The review decisions of the return's calendar year, counted from the return as DfE counts them (annual_reviews.csv:
 * a decision recorded in the year after the meeting, within 4 weeks meaning 28 days or fewer from the meeting): each
 * active plan's reported review whose LastReview falls in the year.
 */
export function reviewDecisionsInReturn(
  activePlans: readonly Sen2ActivePlans[],
  from: LocalDate,
  to: LocalDate,
): ReviewDecisionCount {
  const count: ReviewDecisionCount = { decisions: 0, within4Weeks: 0 };
  for (const a of activePlans) {
    if (!a.reviewMeeting || !a.lastReview || a.lastReview < from || a.lastReview > to) continue;
    count.decisions += 1;
    if (daysBetween(a.reviewMeeting, a.lastReview) <= REVIEW_DECISION_DAYS) count.within4Weeks += 1;
  }
  return count;
}

/**
 * The year's review decisions (after a meeting) that the return does not report, so that the return's count and the
 * dashboard's (every decision told in the year's months) can be set side by side and reconciled: a decision on a plan
 * no longer maintained on the census date (no ActivePlans record), and one followed by a later review meeting held by
 * the census date (the return reports the plan's latest review only).
 */
export function reviewDecisionsLeftOut(
  plans: readonly { id: string; firstIssuedDate: LocalDate; ceasedDate: LocalDate | null }[],
  reviews: readonly Sen2ReviewFacts[],
  window: { from: LocalDate; to: LocalDate; census: LocalDate },
): { planEnded: ReviewDecisionCount; reviewedAgain: ReviewDecisionCount } {
  const { from, to, census } = window;
  const byPlan = new Map<string, Sen2ReviewFacts[]>();
  for (const r of reviews) {
    const list = byPlan.get(r.planId);
    if (list) list.push(r);
    else byPlan.set(r.planId, [r]);
  }
  const planEnded: ReviewDecisionCount = { decisions: 0, within4Weeks: 0 };
  const reviewedAgain: ReviewDecisionCount = { decisions: 0, within4Weeks: 0 };
  for (const p of plans) {
    const own = byPlan.get(p.id);
    if (!own) continue;
    const active = p.firstIssuedDate <= census && (p.ceasedDate === null || p.ceasedDate > census);
    const reported = active ? reportedReview(own, census) : null;
    for (const r of own) {
      if (!r.meetingHeldDate || !r.decisionDate || r.decisionDate < from || r.decisionDate > to) continue;
      if (r === reported) continue;
      const into = active ? reviewedAgain : planEnded;
      into.decisions += 1;
      if (daysBetween(r.meetingHeldDate, r.decisionDate) <= REVIEW_DECISION_DAYS) into.within4Weeks += 1;
    }
  }
  return { planEnded, reviewedAgain };
}
