/**
 * Reassessments (issue 28; CFA s.44(2), (3); SEND Regulations 2014 regs 24-27) in the demo county's history: added
 * after everything else, from a stream of their own, so every other record and figure is as it was.
 *
 * How many: no published count was found. DfE's SEN2 return and its statistics (shared/reference/statistics) count
 * requests for a first assessment, reviews and ceased plans, not reassessments, and the Tribunal's statistics count
 * appeals against a refusal to reassess only within all appeals. So this is an assumption, stated here: about 1
 * request a year for every 100 plans maintained (at scale 1, some 130 a year against the county's 13,000 plans; a
 * plan is far more often changed through its annual review, England 2024: an amendment after most reviews). A tenth
 * are the council's own decision (s.44(3)); the rest come from parents (most), schools, young people and health.
 * Within 6 months of the last assessment most requests are refused on that ground (reg 24(2)(a)); after it, about a
 * third are refused as not necessary (reg 24(2)(b)). Most decisions come within the 15 days (reg 25); the plan after a
 * reassessment within 14 weeks about half the time, as new plans within 20 weeks have in recent years.
 *
 * Each reassessment is casework: its row with the dates of the steps known by the demo's date, a case event for each
 * step, and, once the plan after it is issued, a new plan version and the plan's next review counted from it
 * (domain/casework/annualReview.ts reviewDue). Plans the demo's sign-in families hold are left as they are, and so
 * is a plan whose review under way began before the plan after a reassessment would have been issued.
 */
import {
  applyReassessmentStep,
  reassessmentDuties,
  reassessmentNextDeadline,
  reassessmentOpen,
  withinSixMonths,
  type ReassessedPlan,
  type ReassessmentAdvice,
  type ReassessmentRecord,
  type ReassessmentRequester,
  type ReassessmentStepInput,
} from '../domain/casework/reassessment.js';
import { reviewDue } from '../domain/casework/annualReview.js';
import { addDays, daysBetween, type LocalDate } from '../domain/dates/localDate.js';
import { addMonths } from '../domain/dates/months.js';
import type { DemoCounty } from './generate.js';
import type { Random } from './random.js';

/** The assumption above: requests (and the council's own decisions) a year for each plan maintained. */
export const REASSESSMENTS_PER_PLAN_YEAR = 0.01;

/** How far back the reassessments go (the demo's history: five years). */
const HISTORY_MONTHS = 60;

const REQUESTERS: [ReassessmentRequester, number][] = [
  ['parent', 60],
  ['school', 20],
  ['council', 10],
  ['young_person', 5],
  ['health', 5],
];

export type DemoReassessment = Omit<ReassessmentRecord, 'exceptions'> & {
  id: string;
  laCode: string;
  planId: string;
  childId: string;
  status: 'open' | 'refused' | 'completed';
  refusalReason: string | null;
  exceptions: [];
  finalVersionId: string | null;
  nextDuty: string | null;
  nextDue: string | null;
};

const REFUSAL_REASONS = {
  within_six_months:
    'The assessment finished less than 6 months ago and its advice is current; the council will look at the new concerns at the next review.',
  not_necessary:
    'The plan can be amended through an early review; the evidence sent does not show needs the last assessment did not consider.',
} as const;

/** The whole reassessment as it would go, its steps in order (some may lie after the demo's date). */
function simulate(received: LocalDate, requestedBy: ReassessmentRequester, plan: ReassessedPlan, rnd: Random) {
  const steps: ReassessmentStepInput[] = [{ step: 'request', requestedBy, receivedDate: received }];
  let decided = received;
  if (requestedBy !== 'council') {
    decided = addDays(received, rnd.chance(0.8) ? rnd.int(3, 15) : rnd.int(16, 40));
    const probe = applyReassessmentStep(null, steps[0]!, plan);
    const within = withinSixMonths(probe);
    if (within ? rnd.chance(0.7) : rnd.chance(0.35)) {
      const ground = within && rnd.chance(0.85) ? 'within_six_months' : 'not_necessary';
      steps.push({
        step: 'decision',
        decision: 'not_reassess',
        decisionDate: decided,
        refusalGround: ground,
        refusalReason: REFUSAL_REASONS[ground],
      });
      return steps;
    }
    steps.push({
      step: 'decision',
      decision: 'reassess',
      decisionDate: decided,
      refusalGround: null,
      refusalReason: '',
    });
  }
  const asked = addDays(decided, rnd.int(2, 10));
  const advice: ReassessmentAdvice[] = ['family', 'education', 'psychology'];
  if (rnd.chance(0.5)) advice.push('health');
  if (rnd.chance(0.3)) advice.push('social_care');
  steps.push({ step: 'advice', adviceRequestedDate: asked, adviceRequested: advice, adviceReceived: [] });
  steps.push({
    step: 'advice',
    adviceRequestedDate: asked,
    adviceRequested: advice,
    adviceReceived: advice,
  });
  const draft = addDays(decided, rnd.chance(0.5) ? rnd.int(50, 78) : rnd.int(79, 120));
  steps.push({ step: 'draft', draftServedDate: draft });
  steps.push({ step: 'final', finalIssuedDate: addDays(draft, rnd.int(16, 30)), familyResponded: false });
  return steps;
}

/** The date a step is recorded on (the second advice step: when the last advice came in). */
function stepDay(s: ReassessmentStepInput, rnd: Random): LocalDate {
  switch (s.step) {
    case 'request':
      return s.receivedDate;
    case 'decision':
      return s.decisionDate;
    case 'advice':
      return s.adviceReceived.length ? addDays(s.adviceRequestedDate, rnd.int(28, 40)) : s.adviceRequestedDate;
    case 'draft':
      return s.draftServedDate;
    case 'final':
      return s.finalIssuedDate;
    case 'exception':
      return s.from;
  }
}

const EVENT_OF: Record<ReassessmentStepInput['step'], string> = {
  request: 'reassessment_requested',
  decision: 'reassessment_decision',
  advice: 'reassessment_advice',
  draft: 'reassessment_draft_served',
  final: 'reassessed_plan_issued',
  exception: 'reassessment_exception',
};

/** Adds the county's reassessments (their rows, events, plan versions and plans' dates); returns the rows to load. */
export function reassessmentHistory(out: DemoCounty, asOf: LocalDate, rnd: Random): DemoReassessment[] {
  const family = new Set(out.roleAssignments.filter((a) => a.role === 'parent').map((a) => a.childId));
  // A review under way: its 12 months began on its cycle start, which a later reassessed plan would change.
  const reviewing = new Map(out.reviews.filter((r) => r.status === 'open').map((r) => [r.planId, r.cycleStart]));
  const born = new Map(out.children.map((c) => [c.id, c.dateOfBirth as LocalDate]));
  const historyFrom = addMonths(asOf, -HISTORY_MONTHS);
  const versions = new Map<string, { max: number; content: unknown }>();
  for (const v of out.planVersions) {
    const seen = versions.get(v.planId);
    if (!seen || v.versionNo > seen.max) {
      versions.set(v.planId, {
        max: v.versionNo,
        content: v.kind === 'final' ? v.content : (seen?.content ?? v.content),
      });
    }
  }
  const found: DemoReassessment[] = [];
  for (const plan of out.plans) {
    if (plan.status === 'draft' || !plan.firstIssuedDate || family.has(plan.childId)) continue;
    const issued = plan.firstIssuedDate as LocalDate;
    const start = addDays(issued > historyFrom ? issued : historyFrom, 1);
    const ceased = (plan.ceasedDate ?? null) as LocalDate | null;
    const end = ceased !== null && ceased <= asOf ? addDays(ceased, -1) : asOf;
    const span = daysBetween(start, end);
    if (span <= 0 || !rnd.chance((span / 365.25) * REASSESSMENTS_PER_PLAN_YEAR)) continue;
    const facts: ReassessedPlan = { firstIssuedDate: issued, ceasedDate: null, lastReassessedDate: null };
    const steps = simulate(addDays(start, rnd.int(0, span)), rnd.weighted(REQUESTERS), facts, rnd);
    // What had happened by the demo's date (or the plan's end).
    let r: ReassessmentRecord | null = null;
    const events: { type: string; on: LocalDate; data: Record<string, unknown> }[] = [];
    for (const s of steps) {
      const on = stepDay(s, rnd);
      if (on > end) break;
      r = applyReassessmentStep(r, s, facts);
      events.push({ type: EVENT_OF[s.step], on, data: s.step === 'request' ? { requestedBy: s.requestedBy } : {} });
    }
    // A plan that ended keeps only a reassessment that was over before it did.
    if (r === null || (ceased !== null && reassessmentOpen(r))) continue;
    // Nor is a plan issued after the start of a review under way (the demo's reviews were drawn first).
    const openReview = reviewing.get(plan.id);
    if (r.finalIssuedDate && openReview !== undefined && r.finalIssuedDate >= openReview) continue;
    const id = rnd.uuid();
    let finalVersionId: string | null = null;
    if (r.finalIssuedDate) {
      const v = versions.get(plan.id) ?? { max: 0, content: {} };
      finalVersionId = rnd.uuid();
      out.planVersions.push({
        id: finalVersionId,
        laCode: plan.laCode,
        planId: plan.id,
        versionNo: v.max + 1,
        kind: 'final',
        issuedDate: r.finalIssuedDate,
        content: v.content,
      });
      versions.set(plan.id, { max: v.max + 1, content: v.content });
      plan.lastReassessedDate = r.finalIssuedDate;
      if (plan.status === 'active') {
        // The plan after the reassessment starts the 12 months to its next review.
        const due = reviewDue(
          {
            firstIssuedDate: issued,
            lastReviewDate: (plan.lastReviewDate ?? null) as LocalDate | null,
            lastReassessedDate: r.finalIssuedDate,
          },
          born.get(plan.childId)!,
        );
        plan.reviewDueDate = due.due;
        plan.reviewDueRule = due.rule;
        plan.reviewNextDuty = 'complete_annual_review';
        plan.reviewNextDue = due.due;
      }
    }
    const status = r.finalIssuedDate ? 'completed' : r.decision === 'not_reassess' ? 'refused' : 'open';
    const next = status === 'open' ? reassessmentNextDeadline(reassessmentDuties(r, asOf)) : null;
    const refusal = steps.find((s) => s.step === 'decision' && s.decision === 'not_reassess');
    found.push({
      ...r,
      exceptions: [],
      id,
      laCode: plan.laCode,
      planId: plan.id,
      childId: plan.childId,
      status,
      refusalReason: r.decision === 'not_reassess' && refusal?.step === 'decision' ? refusal.refusalReason : null,
      finalVersionId,
      nextDuty: next?.duty ?? null,
      nextDue: next?.due ?? null,
    });
    for (const e of events) {
      out.events.push({
        laCode: plan.laCode,
        childId: plan.childId,
        requestId: null,
        type: e.type,
        occurredOn: e.on,
        data: { ...e.data, planId: plan.id, reassessmentId: id },
      });
    }
  }
  return found;
}
