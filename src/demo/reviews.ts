/**
 * Annual reviews in the demo county's history (issue 28): five years of reviews of its plans, added after everything
 * else from a stream of their own, so every other record and figure is as it was.
 *
 * Hertfordshire's own review figures are suppressed in DfE's release ("x": shared/reference/statistics/dfe-ehcp-2025/
 * annual_reviews.csv, 2024, LA 919), so the shape is England's for 2024 from the same file (DfE, Education, health and
 * care plans, 2025 release, OGL v3), with a slow improvement over the five years:
 * - a meeting held for about 86 in 100 reviews expected (453,761 of 524,654); the rest meet after the 12 months end;
 * - decisions told within 4 weeks of the meeting for 44.4 in 100 (154,924 of 348,759): here from about 35 in 100
 *   five years ago to about 50 now;
 * - of decisions, about 61 in 100 to amend (219,538), 38 to keep the plan as it is (135,264); the 1 in 100 to cease
 *   is left to the ceasing casework (another part of issue 28), so the demo's reviews amend or maintain;
 * - amended plans: most within 8 weeks of the notice (reg 22(3)), a third later; about 1 in 20 ends with a notice of
 *   not amending (reg 22(4)).
 * So many reviews are late: about half are not concluded within the 12 months (CFA s.44(1)).
 *
 * Each review is a plan_reviews row with its steps' dates; the plan's lastReviewDate is its last decision, and its
 * review dates (due, next duty) are the domain's, as the review service writes them. The current cycle of each open
 * plan is part-done as of the demo's date: the steps whose dates have come are recorded, the rest are not. The
 * timeline events (one for each step, as the review forms write them) and the amended plan's versions (the proposal
 * sent with the notice, Devon; the amended plan with its changed section) are kept for the reviews concluded in the
 * last 6 months and the open ones: those are the reviews a caseworker opens; older reviews keep their dates on the
 * row. That keeps the demo's load time close to what it was (the events are most of the cost: a year of them added
 * about a fifth to the full county's load).
 */
import { addDays, daysBetween, type LocalDate } from '../domain/dates/localDate.js';
import {
  emptyReview,
  planReviewDeadline,
  reviewCompleted,
  reviewDue,
  type ReviewAdviceFrom,
  type ReviewRecord,
} from '../domain/casework/annualReview.js';
import type { WorkingDayCalendar } from '../domain/dates/workingDays.js';
import type { DemoCounty } from './generate.js';
import type { Random } from './random.js';

/** How far back the reviews are recorded (days): the demo's five years of history. */
const HISTORY_DAYS = 5 * 365;
/** How far back the reviews keep their timeline events and plan versions (days). */
const DETAIL_DAYS = 183;

/** What a changed section says after a review (the sections a review most often amends: needs, provision, setting). */
const AMENDMENTS: readonly [string, string][] = [
  ['A', 'Since the review: now says what has helped most this year, and what they want to do next.'],
  ['C', 'Since the review: health needs brought up to date with the community paediatrician’s letter.'],
  ['D', 'Since the review: social care needs updated after the family’s early help assessment ended.'],
  ['G', 'Since the review: the occupational therapy the health service provides, with how often.'],
  ['J', 'Since the review: the personal budget for transport, agreed with the family.'],
];

export function reviewHistory(out: DemoCounty, asOf: LocalDate, rnd: Random, calendar?: WorkingDayCalendar): void {
  const historyFrom = addDays(asOf, -HISTORY_DAYS);
  const detailFrom = addDays(asOf, -DETAIL_DAYS);
  const childById = new Map(out.children.map((c) => [c.id, c]));
  const caseworkerOf = new Map(out.requests.map((r) => [r.id, r.caseworkerId ?? null]));
  const caseworkers = out.roleAssignments.filter((a) => a.role === 'caseworker').map((a) => a.userId);
  const versionsOf = new Map<string, DemoCounty['planVersions']>();
  for (const v of out.planVersions) {
    const list = versionsOf.get(v.planId);
    if (list) list.push(v);
    else versionsOf.set(v.planId, [v]);
  }
  /** 0 five years ago to 1 today. */
  const progress = (day: LocalDate) => Math.max(0, Math.min(1, daysBetween(historyFrom, day) / HISTORY_DAYS));

  for (const plan of out.plans) {
    if (!plan.firstIssuedDate || plan.status === 'draft') continue;
    const child = childById.get(plan.childId);
    if (!child) continue;
    const dob = child.dateOfBirth as LocalDate;
    const issued = plan.firstIssuedDate as LocalDate;
    const ceased = (plan.ceasedDate ?? null) as LocalDate | null;
    // The plan's reviews are held by the caseworker of the request it came from, or one of the county's caseworkers.
    const caseworkerId = plan.caseworkerId ?? (plan.requestId ? caseworkerOf.get(plan.requestId) : null) ?? null;
    plan.caseworkerId = caseworkerId ?? (caseworkers.length ? rnd.pick(caseworkers) : null);
    let lastReviewDate: LocalDate | null = null;
    let open: ReviewRecord | null = null;
    for (;;) {
      const due = reviewDue({ firstIssuedDate: issued, lastReviewDate }, dob);
      if (due.cycleStart > asOf || (ceased !== null && due.cycleStart >= ceased)) break;
      if (due.statutoryDue < historyFrom) {
        // Before the five years: concluded a few weeks before it was due, with nothing recorded.
        lastReviewDate = addDays(due.due, -21);
        continue;
      }
      const r = simulateReview(due.cycleStart, due.due, rnd, progress(due.due));
      // What had happened by the demo's date (or by the plan's ceasing): later steps are not recorded.
      const until = ceased !== null && ceased < asOf ? addDays(ceased, -1) : asOf;
      const known = knownBy(r, until);
      const started = known.invitationsSentDate !== null || known.adviceRequestedDate !== null;
      if (!started) break;
      const completed = reviewCompleted(known);
      if (!completed && ceased !== null) break;
      const id = rnd.uuid();
      const detailed = !completed || (known.outcomeDate ?? known.decisionDate)! >= detailFrom;
      const adviceFrom: ReviewAdviceFrom[] = [
        'school',
        ...(rnd.chance(0.5) ? (['educational_psychology'] as const) : []),
      ];
      if (rnd.chance(0.3)) adviceFrom.push('health');
      const review: DemoCounty['reviews'][number] = {
        id,
        laCode: plan.laCode,
        planId: plan.id,
        childId: plan.childId,
        cycleStart: known.cycleStart,
        status: completed ? 'completed' : 'open',
        meetingDate: known.meetingDate,
        invitationsSentDate: known.invitationsSentDate,
        adviceRequestedDate: known.adviceRequestedDate,
        adviceFrom: known.adviceRequestedDate ? adviceFrom : [],
        adviceCirculatedDate: known.adviceCirculatedDate,
        meetingHeldDate: known.meetingHeldDate,
        reportSentDate: known.reportSentDate,
        decision: known.decision,
        decisionDate: known.decisionDate,
        outcome: known.outcome,
        outcomeDate: known.outcomeDate,
        completedDate: completed ? (known.outcomeDate ?? known.decisionDate) : null,
      };
      out.reviews.push(review);
      if (detailed) {
        const amended = known.decision === 'amend' ? amend(out, versionsOf, plan.id, plan.laCode, known, rnd) : null;
        if (amended) {
          review.proposalVersionId = amended.proposalId;
          review.amendedVersionId = amended.amendedId;
        }
        addEvents(out, plan, id, review.adviceFrom as ReviewAdviceFrom[], known, amended?.sections ?? [], rnd);
      }
      if (!completed) {
        open = known;
        // A decision concludes the review (CFA s.44(1)) even while the amended plan is awaited.
        if (known.decisionDate) lastReviewDate = known.decisionDate;
        break;
      }
      lastReviewDate = known.decisionDate;
    }
    plan.lastReviewDate = lastReviewDate;
    if (plan.status !== 'active') continue;
    // The plan's review dates, as the review service keeps them: the rule's due date, and the next duty not done.
    const due = reviewDue({ firstIssuedDate: issued, lastReviewDate }, dob);
    const deadline = planReviewDeadline(due, open ?? emptyReview(due.cycleStart), asOf, calendar);
    plan.reviewDueDate = due.due;
    plan.reviewDueRule = due.rule;
    plan.reviewNextDuty = open ? deadline.duty : 'complete_annual_review';
    plan.reviewNextDue = open ? deadline.due : due.due;
  }
}

/** A whole review cycle as it will go, drawn from England's 2024 shape (see the top of this file). */
function simulateReview(cycleStart: LocalDate, due: LocalDate, rnd: Random, progress: number): ReviewRecord {
  // The meeting: weeks before the review is due for most; after it for about 1 in 7 (England 2024: 13.5% no meeting).
  const meeting = rnd.chance(0.135) ? addDays(due, rnd.int(1, 120)) : addDays(due, -rnd.int(7, 70));
  const safeMeeting = meeting <= cycleStart ? addDays(cycleStart, 30) : meeting;
  const invitations = addDays(safeMeeting, -(rnd.chance(0.9) ? rnd.int(14, 28) : rnd.int(7, 13)));
  const adviceRequested = addDays(safeMeeting, -rnd.int(35, 56));
  const adviceCirculated = rnd.chance(0.85) ? addDays(safeMeeting, -rnd.int(7, 21)) : null;
  const report = addDays(safeMeeting, rnd.chance(0.7) ? rnd.int(3, 14) : rnd.int(15, 35));
  // The decision: within 4 weeks of the meeting for 35 in 100 five years ago, 50 now (England 2024: 44.4).
  const decisionDay = rnd.chance(0.35 + 0.15 * progress) ? rnd.int(5, 28) : 29 + Math.round(rnd.exponential(35));
  const decisionDate = addDays(safeMeeting, Math.max(decisionDay, daysBetween(safeMeeting, report)));
  const decision = rnd.chance(0.61) ? 'amend' : 'maintain';
  let outcome: ReviewRecord['outcome'] = null;
  let outcomeDate: LocalDate | null = null;
  if (decision === 'amend') {
    outcome = rnd.chance(0.05) ? 'not_amended' : 'amended';
    // After the family's 15 days (reg 22(2)(c)); within the 8 weeks (56 days, reg 22(3)) for about 2 in 3.
    outcomeDate = addDays(decisionDate, rnd.chance(0.67) ? rnd.int(16, 56) : rnd.int(57, 130));
  }
  return {
    cycleStart,
    meetingDate: safeMeeting,
    invitationsSentDate: invitations,
    adviceRequestedDate: adviceRequested < cycleStart ? cycleStart : adviceRequested,
    adviceCirculatedDate: adviceCirculated,
    meetingHeldDate: safeMeeting,
    reportSentDate: report,
    decision,
    decisionDate,
    outcome,
    outcomeDate,
  };
}

/** The review as recorded by `day`: each step only once its date has come, in the order the forms allow. */
function knownBy(r: ReviewRecord, day: LocalDate): ReviewRecord {
  const by = (d: LocalDate | null) => (d !== null && d <= day ? d : null);
  const known = emptyReview(r.cycleStart);
  if (by(r.invitationsSentDate)) {
    known.invitationsSentDate = r.invitationsSentDate;
    known.meetingDate = r.meetingDate;
  }
  if (by(r.adviceRequestedDate)) {
    known.adviceRequestedDate = r.adviceRequestedDate;
    known.adviceCirculatedDate = by(r.adviceCirculatedDate);
  }
  if (!known.meetingDate || !by(r.meetingHeldDate)) return known;
  known.meetingHeldDate = r.meetingHeldDate;
  known.reportSentDate = by(r.reportSentDate);
  if (!by(r.decisionDate)) return known;
  known.decision = r.decision;
  known.decisionDate = r.decisionDate;
  if (by(r.outcomeDate)) {
    known.outcome = r.outcome;
    known.outcomeDate = r.outcomeDate;
  }
  return known;
}

/** The proposal sent with the notice (Devon) and, once issued, the amended plan: versions with a changed section. */
function amend(
  out: DemoCounty,
  versionsOf: Map<string, DemoCounty['planVersions']>,
  planId: string,
  laCode: string,
  r: ReviewRecord,
  rnd: Random,
): { proposalId: string; amendedId: string | null; sections: string[] } {
  const versions = versionsOf.get(planId) ?? [];
  if (!versionsOf.has(planId)) versionsOf.set(planId, versions);
  const current = versions.findLast((v) => v.kind === 'final')?.content ?? {};
  const [section, text] = rnd.pick(AMENDMENTS);
  const content = { ...(current as Record<string, unknown>), [section]: text };
  const add = (kind: 'amendment_proposal' | 'final', issuedDate: LocalDate) => {
    const id = rnd.uuid();
    const v = { id, laCode, planId, versionNo: versions.length + 1, kind, issuedDate, content };
    versions.push(v);
    out.planVersions.push(v);
    return id;
  };
  const proposalId = add('amendment_proposal', r.decisionDate!);
  const amendedId = r.outcome === 'amended' && r.outcomeDate ? add('final', r.outcomeDate) : null;
  return { proposalId, amendedId, sections: [section] };
}

/** The review's timeline: an event for each step recorded, as the review forms write them. */
function addEvents(
  out: DemoCounty,
  plan: DemoCounty['plans'][number],
  reviewId: string,
  adviceFrom: ReviewAdviceFrom[],
  r: ReviewRecord,
  amendedSections: string[],
  rnd: Random,
): void {
  const push = (type: string, occurredOn: LocalDate, data: Record<string, unknown>) =>
    out.events.push({
      laCode: plan.laCode,
      childId: plan.childId,
      requestId: null,
      type,
      occurredOn,
      actorId: plan.caseworkerId ?? null,
      data: { ...data, planId: plan.id, reviewId },
    });
  if (r.invitationsSentDate) push('review_invitations_sent', r.invitationsSentDate, { meetingDate: r.meetingDate });
  if (r.adviceRequestedDate) {
    push('review_advice_requested', r.adviceRequestedDate, { adviceFrom, circulatedDate: r.adviceCirculatedDate });
  }
  if (r.meetingHeldDate) push('review_meeting', r.meetingHeldDate, {});
  if (r.reportSentDate) push('review_report_sent', r.reportSentDate, {});
  if (r.decision && r.decisionDate) {
    push('review_decision', r.decisionDate, {
      outcome: r.decision,
      ...(r.decision === 'amend' ? { amendedSections } : {}),
    });
  }
  if (r.outcome && r.outcomeDate) {
    push(r.outcome === 'amended' ? 'amended_plan_issued' : 'notice_of_not_amending', r.outcomeDate, {
      familyResponded: rnd.chance(0.4),
    });
  }
}
