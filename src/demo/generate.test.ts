import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ageInYears, daysBetween, localDate, toDayNumber, type LocalDate } from '../domain/dates/localDate.js';
import { ADVICE_DAYS } from '../domain/statutory/periods.js';
import { OPEN_STAGES } from '../domain/casework/stages.js';
import { isValidUpn } from '../domain/identifiers/upn.js';
import { clockEventsFor, type StoredAdvice, type StoredEvent } from '../domain/casework/clockEvents.js';
import { exceptionFits, type ExceptionReason } from '../domain/statutory/events.js';
import { reviewStatutoryDue } from '../domain/measures/monthly.js';
import { generateDemoCounty } from './generate.js';
import { disagreementRecord, type StoredDisagreement } from '../data/repositories/disagreements.js';
import { orderedSteps } from '../domain/measures/tribunalOrders.js';
import { laName, transferInDates, transferPlanBy } from '../domain/casework/move.js';
import { englandAndWales } from '../domain/dates/workingDays.js';
import { PHASE_TRANSFER_FROM_YEAR, phaseTransferDeadline, yearGroup } from '../domain/casework/phaseTransfer.js';

const asOf = localDate('2026-11-28');
const county = generateDemoCounty({ asOf });

/** DfE 20-week measure (P12: issue date - request date <= 140 days), by calendar year of issue. */
function timelinessByYear() {
  const years = new Map<string, { within: number; all: number }>();
  for (const r of county.requests) {
    if (!r.finalIssuedDate) continue;
    const y = r.finalIssuedDate.slice(0, 4);
    const v = years.get(y) ?? { within: 0, all: 0 };
    v.all += 1;
    if (daysBetween(r.receivedDate as LocalDate, r.finalIssuedDate as LocalDate) <= 140) v.within += 1;
    years.set(y, v);
  }
  return new Map([...years].map(([y, v]) => [y, (100 * v.within) / v.all]));
}

describe('demo county', () => {
  it('is the same for the same seed and date, and different for another seed', () => {
    const digest = (c: object) => createHash('sha256').update(JSON.stringify(c)).digest('hex');
    const again = generateDemoCounty({ asOf, scale: 0.1 });
    expect(digest(generateDemoCounty({ asOf, scale: 0.1 }))).toBe(digest(again));
    expect(digest(generateDemoCounty({ asOf, scale: 0.1, seed: 7 }))).not.toBe(digest(again));
  });

  it('gives every case being drafted a draft plan, drafts with families their consultations, and recent plans wording', () => {
    const drafting = county.requests.filter((r) => r.stage === 'drafting_plan' || r.stage === 'draft_with_family');
    const draftPlans = county.plans.filter((p) => p.status === 'draft');
    expect(drafting.length).toBeGreaterThan(20);
    expect(new Set(draftPlans.map((p) => p.requestId))).toEqual(new Set(drafting.map((r) => r.id)));
    const withFamily = new Set(county.requests.filter((r) => r.stage === 'draft_with_family').map((r) => r.id));
    const consulted = new Set(county.consultations.map((c) => c.requestId));
    expect([...consulted].every((id) => withFamily.has(id))).toBe(true);
    expect(consulted.size).toBeGreaterThan(withFamily.size / 2);
    // A consultation is never sent after today, and a reply never before it was sent.
    for (const c of county.consultations) {
      expect(c.sentDate <= asOf).toBe(true);
      if (c.respondedDate) expect(c.respondedDate >= c.sentDate).toBe(true);
    }
    const worded = county.planVersions.filter((v) => v.kind === 'final' && (v.content as { B?: unknown[] }).B?.length);
    expect(worded.length).toBeGreaterThan(100);
  });

  it('has the scale of a large shire county: about 3,300 requests a year and about 13,000 active plans', () => {
    const fullYears = ['2022', '2023', '2024', '2025'];
    const perYear = fullYears.map((y) => county.requests.filter((r) => r.receivedDate.startsWith(y)).length);
    const mean = perYear.reduce((a, b) => a + b, 0) / perYear.length;
    expect(mean).toBeGreaterThan(3_000);
    expect(mean).toBeLessThan(3_600);
    expect(county.plans.filter((p) => p.status === 'active')).toHaveLength(13_000);
  });

  it('follows the Hertfordshire shape: mid 90s% within 20 weeks, down to the 30s%, back to the mid 50s%', () => {
    const t = timelinessByYear();
    const first = t.get('2022')!;
    const lowest = Math.min(...[...t.values()]);
    const latest = t.get('2026')!;
    expect(first).toBeGreaterThanOrEqual(93);
    expect(lowest).toBeGreaterThanOrEqual(30);
    expect(lowest).toBeLessThan(40);
    expect(latest).toBeGreaterThanOrEqual(50);
    expect(latest).toBeLessThan(60);
  });

  it('has cases open at every stage today, and no event after today', () => {
    const openStages = new Set(county.requests.filter((r) => r.open).map((r) => r.stage));
    for (const stage of OPEN_STAGES) expect(openStages).toContain(stage);
    expect(county.events.every((e) => e.occurredOn <= asOf)).toBe(true);
  });

  it('keeps each case in order: decision after request, advice after it is asked for, plan after the draft', () => {
    for (const r of county.requests) {
      if (r.assessmentDecisionDate) expect(r.assessmentDecisionDate >= r.receivedDate).toBe(true);
      if (r.draftServedDate && r.finalIssuedDate) {
        // The family has at least 15 days to comment (reg 13(1)(a)).
        expect(daysBetween(r.draftServedDate as LocalDate, r.finalIssuedDate as LocalDate)).toBeGreaterThanOrEqual(15);
      }
    }
    for (const a of county.advice) if (a.receivedDate) expect(a.receivedDate >= a.requestedDate).toBe(true);
  });

  it('records exceptions to the decision (reg 5(4)), to advice (reg 8(2)) and to the final plan (reg 10(4)), each on a duty its reason fits', () => {
    const exceptions = county.events.filter((e) => e.type === 'exception');
    const data = exceptions.map((e) => e.data as { duty: string; reason: ExceptionReason; evidence: string });
    const kinds = new Set(data.map((x) => x.reason.replace(/_[a-d]$/, '')));
    expect([...kinds].sort()).toEqual(['reg10_4', 'reg5_4', 'reg8_2']);
    for (const x of data) {
      expect(exceptionFits(x.reason, x.duty)).toBe(true);
      expect(x.evidence).toBeTruthy();
    }
    // Each case's clock reads its exceptions (an advice exception names advice of that request).
    const adviceByRequest = new Map<string, StoredAdvice[]>();
    for (const a of county.advice) {
      const stored = {
        id: a.id,
        adviceType: a.adviceType,
        requestedDate: a.requestedDate,
        receivedDate: a.receivedDate ?? null,
      };
      adviceByRequest.set(a.requestId, [...(adviceByRequest.get(a.requestId) ?? []), stored]);
    }
    // Each request's events gathered in one pass (filtering all of the full-size county's events for each exception
    // took most of this file's time).
    const eventsByRequest = new Map<string | null | undefined, StoredEvent[]>();
    for (const x of county.events) {
      const timeline = eventsByRequest.get(x.requestId) ?? [];
      timeline.push({ type: x.type, occurredOn: x.occurredOn, data: x.data });
      eventsByRequest.set(x.requestId, timeline);
    }
    for (const e of exceptions) {
      const timeline = eventsByRequest.get(e.requestId) ?? [];
      expect(() => clockEventsFor(timeline, adviceByRequest.get(e.requestId!) ?? [])).not.toThrow();
    }
    // Only an exception to the 20-week duty marks the request for the measures and SEN2 (Week20).
    const twentyWeek = new Set(
      exceptions.filter((e, i) => data[i]!.duty === 'issue_final_plan').map((e) => e.requestId),
    );
    for (const r of county.requests) expect(r.exceptionReason !== null).toBe(twentyWeek.has(r.id));
  });

  it('gives children valid unique pupil numbers and only fictional demo e-mail addresses', () => {
    const upns = county.children.flatMap((c) => (c.upn ? [c.upn] : []));
    expect(upns.length).toBeGreaterThan(10_000);
    expect(upns.every(isValidUpn)).toBe(true);
    expect(county.users.every((u) => u.email.endsWith('@demo-county.example'))).toBe(true);
    expect(county.accounts.map((a) => a.role).sort()).toEqual(
      [
        'admin',
        'advice_giver',
        'advice_giver',
        'board_member',
        'caseworker',
        'data_officer',
        'manager',
        'parent',
        'parent',
        'parent',
        'qa_auditor',
        'school',
      ].sort(),
    );
  });

  it('gives the demo parent a request gathering advice with one piece late, and a young person over 16 their own', () => {
    const linked = (email: string) => {
      const user = county.users.find((u) => u.email === email)!;
      const role = county.roleAssignments.find((r) => r.userId === user.id)!;
      const child = county.children.find((c) => c.id === role.childId)!;
      const request = county.requests.find((r) => r.childId === child.id && r.open)!;
      return { role, child, request };
    };
    const parent = linked('parent@demo-county.example');
    expect(parent.role.relationship).toBe('parent');
    expect(parent.request.stage).toBe('gathering_advice');
    // Late: not received 6 weeks after it was asked for (SEND Regulations 2014 reg 8(1)).
    const late = county.advice.filter(
      (a) =>
        a.requestId === parent.request.id &&
        a.receivedDate == null &&
        toDayNumber(a.requestedDate as LocalDate) + ADVICE_DAYS < toDayNumber(county.asOf),
    );
    expect(late.length).toBe(1);
    const young = linked('youngperson@demo-county.example');
    expect(young.role).toMatchObject({ role: 'parent', relationship: 'young_person' });
    expect(ageInYears(young.child.dateOfBirth as LocalDate, county.asOf)).toBeGreaterThanOrEqual(16);
  });

  it('gives the demo carer a child with a draft served within its 15 days and one with a final plan issued', () => {
    const carer = county.users.find((u) => u.email === 'carer@demo-county.example')!;
    const children = county.roleAssignments.filter((r) => r.userId === carer.id).map((r) => r.childId);
    const requests = county.requests.filter((r) => children.includes(r.childId));
    const draft = requests.find((r) => r.stage === 'draft_with_family')!;
    // Served within the last 10 days: still inside the family's 15 days to comment (reg 13(1)(a)).
    expect(toDayNumber(county.asOf) - toDayNumber(draft.draftServedDate as LocalDate)).toBeLessThanOrEqual(10);
    const plan = county.plans.find((p) => p.requestId && requests.some((r) => r.id === p.requestId))!;
    expect(county.planVersions.some((v) => v.planId === plan.id && v.kind === 'final' && v.versionNo === 2)).toBe(true);
  });

  it('gives the professionals online work to do: advice addressed to the EP (one late), a school’s open consultation', () => {
    const ep = county.users.find((u) => u.email === 'advice@demo-county.example')!;
    const open = new Set(county.requests.filter((r) => r.open).map((r) => r.id));
    const hers = county.advice.filter((a) => a.providerUserId === ep.id);
    expect(hers).toHaveLength(3);
    for (const a of hers)
      expect([a.adviceType, a.receivedDate, open.has(a.requestId)]).toEqual(['educational_psychology', null, true]);
    // Late: more than 6 weeks (42 days, reg 8(1)) since it was asked for.
    const late = hers.filter((a) => daysBetween(a.requestedDate as LocalDate, county.asOf) > 42);
    expect(late).toHaveLength(1);
    const dco = county.users.find((u) => u.email === 'dco@demo-county.example')!;
    expect(county.roleAssignments.find((r) => r.userId === dco.id)?.adviceService).toBe('health');
    const school = county.users.find((u) => u.email === 'school@demo-county.example')!;
    const urn = county.roleAssignments.find((r) => r.userId === school.id)!.settingUrn!;
    const consultation = county.consultations.find((c) => c.settingUrn === urn)!;
    expect([consultation.respondedDate, open.has(consultation.requestId)]).toEqual([null, true]);
    expect(county.planVersions.some((v) => v.id === consultation.planVersionId && v.kind === 'draft')).toBe(true);
  });

  it('has a year of advice given online and families commenting on drafts, more each month, none of it impossible', () => {
    const since = toDayNumber(county.asOf) - 365;
    const online = county.advice.filter((a) => a.submittedAt);
    const givers = new Map(county.users.map((u) => [u.id, u.email]));
    for (const a of online) {
      // Given in the last year, by the EP or the DCO, on the day it was received, with what the online form stores.
      expect(toDayNumber(a.receivedDate as LocalDate)).toBeGreaterThanOrEqual(since);
      expect(givers.get(a.submittedBy!)).toBe(
        a.adviceType === 'health' ? 'dco@demo-county.example' : 'advice@demo-county.example',
      );
      expect(a.submittedAt!.toISOString().slice(0, 10)).toBe(a.receivedDate);
      expect((a.content as { B: unknown[] }).B.length).toBeGreaterThan(0);
    }
    const share = (from: number, to: number) => {
      const received = county.advice.filter(
        (a) =>
          (a.adviceType === 'educational_psychology' || a.adviceType === 'health') &&
          a.receivedDate &&
          toDayNumber(a.receivedDate as LocalDate) >= since + from &&
          toDayNumber(a.receivedDate as LocalDate) < since + to,
      );
      return received.filter((a) => a.submittedAt).length / received.length;
    };
    expect(share(0, 90)).toBeLessThan(share(275, 365));

    const comments = county.events.filter((e) => e.type === 'family_representations');
    expect(comments.length).toBeGreaterThan(1000);
    const linked = new Set(county.roleAssignments.map((r) => r.childId).filter(Boolean));
    const byId = new Map(county.requests.map((r) => [r.id, r]));
    // The last draft served on each request (the events are in the order they were made).
    const lastServed = new Map<string, (typeof county.events)[number]>();
    for (const x of county.events) if (x.type === 'draft_served' && x.requestId) lastServed.set(x.requestId, x);
    for (const e of comments) {
      const request = byId.get(e.requestId!)!;
      const served = lastServed.get(e.requestId!)!;
      // After the draft was sent and before the final plan; never on a demo account's child (their pages are theirs).
      expect(e.occurredOn > served.occurredOn && e.occurredOn < request.finalIssuedDate!).toBe(true);
      expect(linked.has(request.childId)).toBe(false);
      if ((e.data as { source?: string }).source === 'family_online') {
        expect(toDayNumber(served.occurredOn as LocalDate)).toBeGreaterThanOrEqual(since);
      }
    }
  });
});

describe('demo annual reviews (issue 28)', () => {
  const plans = new Map(county.plans.map((p) => [p.id, p]));
  const day = (d: string | null | undefined) => (d ? toDayNumber(d as LocalDate) : null);

  it('has five years of reviews for the county’s plans, each step in the order the review forms allow, none after today', () => {
    // About one review a year for each plan active then: the county held about 3,300 plans five years ago (its
    // history starts then) and about 11,000 this year, so about 37,000 reviews.
    const dueIn = (year: string) =>
      county.reviews.filter((r) => reviewStatutoryDue(r.cycleStart as LocalDate).startsWith(year)).length;
    const activeIn = (year: string) =>
      county.plans.filter(
        (p) => p.firstIssuedDate! <= `${year}-01-15` && (!p.ceasedDate || p.ceasedDate > `${year}-01-15`),
      ).length;
    for (const year of ['2023', '2024', '2025']) {
      expect(dueIn(year) / activeIn(year)).toBeGreaterThan(0.85);
      expect(dueIn(year) / activeIn(year)).toBeLessThan(1.15);
    }
    const today = toDayNumber(county.asOf);
    for (const r of county.reviews) {
      const dates = [r.invitationsSentDate, r.adviceRequestedDate, r.meetingHeldDate, r.decisionDate, r.outcomeDate];
      for (const d of dates) if (d) expect(day(d)!).toBeLessThanOrEqual(today);
      const plan = plans.get(r.planId)!;
      expect(day(r.meetingDate ?? plan.firstIssuedDate)!).toBeGreaterThanOrEqual(day(plan.firstIssuedDate)!);
      // Invitations before the meeting (reg 20(3)); report and decision after it; the amended plan after the
      // family's 15 days (reg 22(2)(c)).
      if (r.invitationsSentDate) expect(r.invitationsSentDate < r.meetingDate!).toBe(true);
      if (r.reportSentDate) expect(r.reportSentDate >= r.meetingHeldDate!).toBe(true);
      if (r.decisionDate) expect(r.decisionDate >= r.meetingHeldDate!).toBe(true);
      if (r.outcomeDate) expect(day(r.outcomeDate)! - day(r.decisionDate)!).toBeGreaterThan(15);
      expect(r.status).toBe(
        r.decision === null || (r.decision === 'amend' && r.outcome === null) ? 'open' : 'completed',
      );
    }
  });

  it('leaves each open plan’s current review part-done today, and the plan’s dates follow its reviews', () => {
    const open = county.reviews.filter((r) => r.status === 'open');
    expect(new Set(open.map((r) => r.planId)).size).toBe(open.length);
    // Every stage of a review in progress somewhere in the county.
    expect(open.some((r) => r.meetingHeldDate === null)).toBe(true);
    expect(open.some((r) => r.meetingHeldDate !== null && r.decision === null)).toBe(true);
    expect(open.some((r) => r.decision === 'amend')).toBe(true);
    for (const r of open) expect(plans.get(r.planId)!.status).toBe('active');
    const lastDecision = new Map<string, string>();
    for (const r of county.reviews) {
      if (r.decisionDate && r.decisionDate > (lastDecision.get(r.planId) ?? '')) {
        lastDecision.set(r.planId, r.decisionDate);
      }
    }
    for (const p of county.plans) {
      if (p.status !== 'active') continue;
      if (lastDecision.has(p.id)) expect(p.lastReviewDate).toBe(lastDecision.get(p.id));
      expect(p.reviewNextDue).toBeTruthy();
      expect(p.caseworkerId).toBeTruthy();
    }
  });

  it('follows England’s 2024 shape (Hertfordshire’s is not published): many reviews late, about 44 in 100 decisions within 4 weeks, most amending', () => {
    const lastYear = county.reviews.filter((r) => r.decisionDate && r.decisionDate.slice(0, 4) === '2025');
    // reg 20(10): the decision within 4 weeks (28 days) of the meeting; England 2024: 44.4%.
    const within4 =
      lastYear.filter((r) => day(r.decisionDate)! - day(r.meetingHeldDate)! <= 28).length / lastYear.length;
    expect(within4).toBeGreaterThan(0.35);
    expect(within4).toBeLessThan(0.55);
    // England 2024: 61 in 100 decisions to amend.
    const amend = lastYear.filter((r) => r.decision === 'amend').length / lastYear.length;
    expect(amend).toBeGreaterThan(0.55);
    expect(amend).toBeLessThan(0.67);
    // CFA s.44(1): concluded by the end of the 12 months starting with the cycle's start (P7). Many are not.
    const dueIn2025 = county.reviews.filter((r) => reviewStatutoryDue(r.cycleStart as LocalDate).startsWith('2025'));
    const late = dueIn2025.filter(
      (r) => !r.decisionDate || r.decisionDate > reviewStatutoryDue(r.cycleStart as LocalDate),
    ).length;
    expect(late / dueIn2025.length).toBeGreaterThan(0.3);
    expect(late / dueIn2025.length).toBeLessThan(0.7);
  });

  it('keeps the last 6 months’ reviews in detail: an event for each step, and an amended plan as a new version with its changed section', () => {
    const since = toDayNumber(county.asOf) - 183;
    const recent = county.reviews.filter((r) => r.outcome === 'amended' && day(r.outcomeDate)! >= since);
    expect(recent.length).toBeGreaterThan(500);
    const versions = new Map(county.planVersions.filter((v) => v.id).map((v) => [v.id!, v]));
    const eventsOf = new Map<string, string[]>();
    for (const e of county.events) {
      const id = (e.data as { reviewId?: string }).reviewId;
      if (id) eventsOf.set(id, [...(eventsOf.get(id) ?? []), e.type]);
    }
    for (const r of recent.slice(0, 200)) {
      const amended = versions.get(r.amendedVersionId!)!;
      const proposal = versions.get(r.proposalVersionId!)!;
      expect([proposal.kind, amended.kind, amended.issuedDate]).toEqual(['amendment_proposal', 'final', r.outcomeDate]);
      expect(amended.versionNo).toBe(proposal.versionNo + 1);
      expect(eventsOf.get(r.id)).toEqual(
        expect.arrayContaining(['review_meeting', 'review_decision', 'amended_plan_issued']),
      );
    }
  });

  it('is the same for the same seed', () => {
    const digest = (c: object) => createHash('sha256').update(JSON.stringify(c)).digest('hex');
    const a = generateDemoCounty({ asOf, scale: 0.05 });
    expect(digest(a.reviews)).toBe(digest(generateDemoCounty({ asOf, scale: 0.05 }).reviews));
    expect(digest(a.reviews)).not.toBe(digest(generateDemoCounty({ asOf, scale: 0.05, seed: 11 }).reviews));
  });
});

describe('demo mediations and appeals (issue 28)', () => {
  const year = (d: string | null | undefined) => d?.slice(0, 4);
  const decided = (kind: 'not_assess' | 'not_issue' | 'plan_content') =>
    county.requests.filter((r) =>
      kind === 'not_assess'
        ? r.assessmentDecision === 'not_assess' && year(r.assessmentDecisionDate) === '2025'
        : kind === 'not_issue'
          ? r.issueDecision === 'not_issue' && year(r.issueDecisionDate) === '2025'
          : year(r.finalIssuedDate) === '2025',
    ).length;

  it('follows Hertfordshire’s 2024 shape (SEN2): appeals and mediations for each kind of decision', () => {
    const of2025 = county.disagreements.filter((d) => year(d.decisionDate) === '2025');
    const share = (about: string, field: 'appealDate' | 'mediationToldDate') =>
      of2025.filter((d) => d.about === about && d[field]).length;
    // Refusals to assess: 171 appeals and 39 mediations of 775 (22% and 5%); refusals to issue: 45 and 8 of 89;
    // plans issued: 121 appeals about other matters of 1,894 (6.4%). Drawn at random: within a few points.
    expect(share('not_assess', 'appealDate') / decided('not_assess')).toBeGreaterThan(0.15);
    expect(share('not_assess', 'appealDate') / decided('not_assess')).toBeLessThan(0.3);
    expect(share('not_assess', 'mediationToldDate') / decided('not_assess')).toBeLessThan(0.1);
    expect(share('not_issue', 'appealDate') / decided('not_issue')).toBeGreaterThan(0.3);
    expect(share('plan_content', 'appealDate') / decided('plan_content')).toBeGreaterThan(0.03);
    expect(share('plan_content', 'appealDate') / decided('plan_content')).toBeLessThan(0.1);
  });

  it('has Tribunal orders complied with, mostly by their dates and some late, and appeals still open today', () => {
    const ordered = county.disagreements.filter((d) => d.tribunalOrder && d.tribunalOrder !== 'maintain');
    expect(ordered.length).toBeGreaterThan(500);
    const steps = ordered.flatMap((d) => orderedSteps(disagreementRecord(d as StoredDisagreement), null));
    const due = steps.filter((s) => s.due <= asOf);
    const onTime = due.filter((s) => s.done !== null && s.done <= s.due).length;
    expect(onTime / due.length).toBeGreaterThan(0.6);
    expect(onTime / due.length).toBeLessThan(0.8);
    // Nothing has happened after the demo's date; some appeals wait for the Tribunal, some orders are being complied with.
    for (const s of steps) if (s.done) expect(s.done <= asOf).toBe(true);
    expect(
      county.disagreements.filter((d) => d.status === 'open' && d.appealDate && !d.outcome).length,
    ).toBeGreaterThan(10);
    expect(county.disagreements.filter((d) => d.status === 'open' && d.tribunalOrder).length).toBeGreaterThan(5);
  });

  it('writes each step as the forms do: a timeline event naming the disagreement, and its next deadline', () => {
    const eventsOf = new Map<string, string[]>();
    for (const e of county.events) {
      const id = (e.data as { disagreementId?: string } | undefined)?.disagreementId;
      if (id) eventsOf.set(id, [...(eventsOf.get(id) ?? []), e.type]);
    }
    for (const d of county.disagreements) {
      const types = eventsOf.get(d.id)!;
      expect(types[0]).toBe('disagreement_started');
      if (d.appealDate) expect(types).toContain('tribunal_appeal');
      if (d.outcome) expect(types).toContain('tribunal_decision');
      expect(types.filter((t) => t === 'tribunal_order_step_done').length).toBe(Object.keys(d.complied ?? {}).length);
      // Open, it has a next deadline, unless it waits for the Tribunal's decision (no date to keep).
      if (d.status === 'open' && !(d.appealDate && !d.outcome)) expect(d.nextDue).not.toBeNull();
    }
  });

  it('is the same for the same seed', () => {
    const digest = (c: object) => createHash('sha256').update(JSON.stringify(c)).digest('hex');
    const a = generateDemoCounty({ asOf, scale: 0.05 });
    expect(digest(a.disagreements)).toBe(digest(generateDemoCounty({ asOf, scale: 0.05 }).disagreements));
    expect(digest(a.disagreements)).not.toBe(digest(generateDemoCounty({ asOf, scale: 0.05, seed: 11 }).disagreements));
  });
});

describe('demo identifiers', () => {
  it('are distinct version 4 UUIDs with random bits throughout', () => {
    const ids = [...county.children.map((c) => c.id), ...county.requests.map((r) => r.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(
      true,
    );
    // The last four hex digits vary (a generator with too few random bits would leave them zero).
    expect(new Set(ids.slice(0, 200).map((id) => id.slice(-4))).size).toBeGreaterThan(150);
  });
});

describe('demo county phase transfers (reg 18; demo/phaseTransfers.ts)', () => {
  const transfers = county.phaseTransfers;
  const childOf = new Map(county.children.map((c) => [c.id, c]));
  const planOf = new Map(county.plans.map((p) => [p.id, p]));

  it('transfers the children of each transfer year group, by the deadline reg 18 sets, named settings with a URN', () => {
    // "Today" 28 Nov 2026: the next September move is 2027; five back is 2022.
    expect([...new Set(transfers.map((t) => t.transferYear))].sort()).toEqual([2022, 2023, 2024, 2025, 2026, 2027]);
    for (const t of transfers) {
      const child = childOf.get(t.childId)!;
      expect(yearGroup(child.dateOfBirth as LocalDate, t.transferYear - 1)).toBe(PHASE_TRANSFER_FROM_YEAR[t.kind]);
      expect(t.deadline).toBe(phaseTransferDeadline(t.kind, t.transferYear));
      expect(t.nextSettingUrn).toMatch(/^\d{6}$/);
      expect(t.finalisedDate <= asOf).toBe(true);
      expect(t.finalisedDate >= planOf.get(t.planId)!.firstIssuedDate!).toBe(true);
    }
    // Year 6 and Year 11 are both there, with their two deadlines: 14 February and 30 March (P10).
    const y2026 = transfers.filter((t) => t.transferYear === 2026);
    expect(new Set(y2026.map((t) => t.deadline))).toEqual(new Set(['2026-02-14', '2026-03-30']));
  });

  it('has a rush in January and February, some late, and better years lately (Hertfordshire’s shape)', () => {
    const school = transfers.filter((t) => t.kind === 'primary_to_secondary' && t.transferYear === 2026);
    const onTime = school.filter((t) => t.finalisedDate <= t.deadline);
    const rush = onTime.filter((t) => t.finalisedDate >= '2026-01-01');
    expect(school.length).toBeGreaterThan(300);
    expect(rush.length / onTime.length).toBeGreaterThan(0.8);
    // About 44% on time in the latest years, 18% four years before (the published 12-week amendment figures).
    const share = (year: number) => {
      const ys = transfers.filter((t) => t.transferYear === year);
      return ys.filter((t) => t.finalisedDate <= t.deadline).length / ys.length;
    };
    expect(share(2026)).toBeGreaterThan(0.38);
    expect(share(2026)).toBeLessThan(0.5);
    expect(share(2023)).toBeLessThan(0.24);
    // The next September's transfers: only the few finalised in the autumn, so far.
    const next = transfers.filter((t) => t.transferYear === 2027);
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((t) => t.finalisedDate >= '2026-10-01')).toBe(true);
    expect(next.length).toBeLessThan(school.length / 5);
  });
});

describe('demo county moves between councils (reg 15; demo/moves.ts)', () => {
  const yearAgo = '2025-11-28';
  const held = county.plans.filter(
    (p) => p.firstIssuedDate && p.firstIssuedDate <= yearAgo && (!p.ceasedDate || p.ceasedDate > yearAgo),
  ).length;

  it('moves about Hertfordshire’s 1.6 in 100 plans out a year, and receives about as many (DfE 2024: 211 of 12,920)', () => {
    const outs = county.moves.filter((m) => m.direction === 'out' && m.transferDate && m.transferDate > yearAgo);
    const ins = county.moves.filter((m) => m.direction === 'in' && m.transferDate! > yearAgo);
    for (const n of [outs.length, ins.length]) {
      expect(n / held).toBeGreaterThan(0.008);
      expect(n / held).toBeLessThan(0.03);
    }
  });

  it('ends each plan moved out on the day it was sent, as transferred (reason 5), on time, never as a ceasing', () => {
    const plans = new Map(county.plans.map((p) => [p.id, p]));
    const ceased = new Set(county.ceasings.map((c) => c.planId));
    const outs = county.moves.filter((m) => m.direction === 'out');
    expect(outs.length).toBeGreaterThan(100);
    for (const m of outs) {
      expect(laName(m.otherLaCode)).not.toBeNull();
      expect(m.otherLaCode).not.toBe('999');
      const due = transferPlanBy(m.moveDate!, m.learnedDate!, englandAndWales);
      const plan = plans.get(m.planId)!;
      if (m.transferDate) {
        expect(plan).toMatchObject({ status: 'ceased', ceasedDate: m.transferDate, ceasedReason: '5' });
        expect(m.transferDate >= m.moveDate! && m.transferDate <= due.date).toBe(true);
        expect(ceased.has(m.planId)).toBe(false);
      } else {
        // A move still to come: the plan is held until it is sent.
        expect(plan.status).toBe('active');
        expect(m).toMatchObject({ status: 'open', nextDue: due.date });
      }
      expect(m.learnedDate! <= asOf).toBe(true);
    }
    // Some councils learn late and have the 15 working days beginning with that day.
    expect(outs.some((m) => m.transferDate && m.transferDate > m.moveDate!)).toBe(true);
  });

  it('puts each plan transferred in on the register with the family told or due to be told within 6 weeks', () => {
    const ins = county.moves.filter((m) => m.direction === 'in');
    expect(ins.length).toBeGreaterThan(50);
    for (const m of ins) {
      expect(m.planMadeDate! <= m.transferDate! && m.transferDate! <= asOf).toBe(true);
      const dates = transferInDates(m.transferDate!, m.lastReviewDate ?? m.planMadeDate!);
      if (m.parentInformedDate) expect(m.parentInformedDate <= asOf).toBe(true);
      else expect(m).toMatchObject({ status: 'open', nextDuty: 'inform', nextDue: dates.informParentBy });
    }
  });

  it('is the same for the same seed', () => {
    const digest = (c: object) => createHash('sha256').update(JSON.stringify(c)).digest('hex');
    const again = generateDemoCounty({ asOf, scale: 0.1 });
    expect(digest(again.moves)).toBe(digest(generateDemoCounty({ asOf, scale: 0.1 }).moves));
    expect(again.moves.length).toBeGreaterThan(0);
  });
});
