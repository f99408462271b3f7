import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { reviewDecisionsInReturn, reviewDecisionsLeftOut, type Sen2ReviewFacts } from './activePlanReviews.js';
import { referencePeriod } from './census.js';
import { sen2FromCases, type Sen2ChildFacts, type Sen2Facts, type Sen2PlanFacts } from './fromCases.js';
import type { Sen2ActivePlans, Sen2Header } from './model.js';
import { writeSen2 } from './writer.js';

const d = (s: string) => s as LocalDate;
// Return 2026: calendar year 2025, census Thursday 15 January 2026 (shared/reference/sen2/README.md section 1).
const window = referencePeriod(2026);
const header: Sen2Header = {
  year: 2026,
  referenceDate: window.census,
  lea: '999',
  softwareCode: 'OpenEHCP',
  release: 'test',
  serialNo: '001',
  dateTime: '2026-02-01T09:00:00',
};

const child = (id: string, more: Partial<Sen2ChildFacts> = {}): Sen2ChildFacts => ({
  id,
  givenName: `Child ${id}`,
  familyName: 'Test',
  // Year 5 in 2024/25 and Year 6 in 2025/26: no phase transfer due in 2025.
  dateOfBirth: d('2015-05-05'),
  sex: 'F',
  ethnicity: 'WBRI',
  postcode: null,
  upn: null,
  uln: null,
  upnUnknown: 'UN8',
  primaryNeed: 'ASD',
  secondaryNeed: null,
  setting: { urn: '990001', ukprn: null, senSetting: null },
  settingName: 'Test Primary School',
  ...more,
});

// A plan brought over from an earlier system (no request): its record is historical, with its ActivePlans.
const plan = (id: string, issued: string, more: Partial<Sen2PlanFacts> = {}): Sen2PlanFacts => ({
  id: `plan-${id}`,
  childId: id,
  requestId: null,
  firstIssuedDate: d(issued),
  ceasedDate: null,
  ceasedReason: null,
  lastReviewDate: null,
  named: null,
  ...more,
});

const review = (
  id: string,
  held: string | null,
  decision: Sen2ReviewFacts['decision'] = null,
  decided: string | null = null,
): Sen2ReviewFacts => ({
  planId: `plan-${id}`,
  meetingHeldDate: held === null ? null : d(held),
  decision,
  decisionDate: decided === null ? null : d(decided),
});

function activePlans(facts: Partial<Sen2Facts> & Pick<Sen2Facts, 'plans'>): Map<string, Sen2ActivePlans | undefined> {
  const ids = facts.plans.map((p) => p.childId);
  const ret = sen2FromCases(
    { children: facts.children ?? ids.map((id) => child(id)), requests: [], ...facts },
    window,
    header,
  );
  return new Map(ret.persons.map((p) => [p.forename.replace('Child ', ''), p.requests[0]!.activePlans]));
}

const reviewFields = (a: Sen2ActivePlans | undefined) => {
  const { placements: _p, senNeeds: _n, ...rest } = a ?? { placements: [], senNeeds: [] };
  return rest;
};

describe('SEN2 items 5.4a-d: the annual review an active plan reports', () => {
  it('reports the latest review whose meeting was held by the census date, with that review’s own decision', () => {
    const r = activePlans({
      plans: [
        ...['amend', 'maintain', 'cease', 'twice', 'after', 'none'].map((id) => plan(id, '2020-03-02')),
        // No review held here: the last decision an imported plan brought with it.
        plan('imported', '2019-09-02', { lastReviewDate: d('2025-05-06') }),
      ],
      reviews: [
        // Amend: the proposed amendments went with the notice (Devon), so the draft is dated with the decision.
        review('amend', '2025-03-03', 'amend', '2025-03-28'),
        review('maintain', '2025-06-02', 'maintain', '2025-07-14'),
        review('cease', '2025-10-06', 'cease', '2025-10-20'),
        // Reviewed in the year, then met again before the census date with no decision yet: the later meeting is
        // reported with no outcome; the earlier decision is not put beside a meeting it did not follow.
        review('twice', '2025-01-13', 'maintain', '2025-02-03'),
        review('twice', '2026-01-12'),
        // A meeting after the census date has not happened yet: the review before it is reported.
        review('after', '2024-12-02', 'maintain', '2024-12-20'),
        review('after', '2026-01-19', 'amend', '2026-01-26'),
        // Not yet met: nothing held to report.
        review('none', null),
      ],
    });
    expect(reviewFields(r.get('amend'))).toEqual({
      reviewMeeting: '2025-03-03',
      reviewOutcome: 'A',
      lastReview: '2025-03-28',
      reviewDraft: '2025-03-28',
    });
    expect(reviewFields(r.get('maintain'))).toEqual({
      reviewMeeting: '2025-06-02',
      reviewOutcome: 'M',
      lastReview: '2025-07-14',
    });
    expect(reviewFields(r.get('cease'))).toEqual({
      reviewMeeting: '2025-10-06',
      reviewOutcome: 'C',
      lastReview: '2025-10-20',
    });
    expect(reviewFields(r.get('twice'))).toEqual({ reviewMeeting: '2026-01-12' });
    expect(reviewFields(r.get('after'))).toEqual({
      reviewMeeting: '2024-12-02',
      reviewOutcome: 'M',
      lastReview: '2024-12-20',
    });
    expect(reviewFields(r.get('none'))).toEqual({});
    expect(reviewFields(r.get('imported'))).toEqual({ lastReview: '2025-05-06' });
  });

  it('writes the items in each year’s schema order (2025: LastReview after ReviewMeeting; 2026: last)', () => {
    const ret = sen2FromCases(
      {
        children: [child('amend')],
        requests: [],
        plans: [plan('amend', '2020-03-02')],
        reviews: [review('amend', '2025-03-03', 'amend', '2025-03-28')],
      },
      window,
      header,
    );
    const order = (xml: string) =>
      [...xml.matchAll(/<(ReviewMeeting|LastReview|ReviewOutcome|ReviewDraft)>/g)].map((m) => m[1]);
    expect(order(writeSen2(ret, 2026))).toEqual(['ReviewMeeting', 'ReviewOutcome', 'ReviewDraft', 'LastReview']);
    expect(order(writeSen2({ ...ret, header: { ...header, year: 2025 } }, 2025))).toEqual([
      'ReviewMeeting',
      'LastReview',
      'ReviewOutcome',
      'ReviewDraft',
    ]);
  });
});

describe('SEN2 items 5.6a/b: the phase transfer due in the return’s year', () => {
  // 2024/25: Year 6 was born 1 September 2013 to 31 August 2014, Year 11 born 1 September 2008 to 31 August 2009, and
  // Year 2 born 1 September 2017 to 31 August 2018, the nursery year (moving into Reception) born 1 September 2020 to
  // 31 August 2021 (Education Act 1996 s.579(1);
  // domain/casework/phaseTransfer.ts). Their moves in September 2025 are due before 15 February 2025 (last day 14
  // February), or before 31 March 2025 for Year 11 to post-16 (last day 30 March): reg 18(1)(a), P10.
  it('gives the deadline, and the day the amended plan was finalised once it was', () => {
    const r = activePlans({
      children: [
        child('y6', { dateOfBirth: d('2014-08-31') }),
        child('y11', { dateOfBirth: d('2008-09-01') }),
        child('nursery', { dateOfBirth: d('2021-01-10') }),
        child('y6late', { dateOfBirth: d('2013-09-01') }),
        child('y6new', { dateOfBirth: d('2014-02-02') }),
        child('y2primary', { dateOfBirth: d('2018-05-05'), settingName: 'Oak Primary School' }),
        child('y2infant', { dateOfBirth: d('2018-05-05'), settingName: 'Oak Infant School' }),
        child('y5'),
      ],
      plans: [
        plan('y6', '2019-06-03'),
        plan('y11', '2019-06-03'),
        plan('nursery', '2024-06-03'),
        plan('y6late', '2019-06-03'),
        // Issued after the deadline: no transfer was due of this plan.
        plan('y6new', '2025-02-17'),
        plan('y2primary', '2023-06-05'),
        plan('y2infant', '2023-06-05'),
        plan('y5', '2019-06-03'),
      ],
      phaseTransfers: [
        { planId: 'plan-y6', transferYear: 2025, deadline: d('2025-02-14'), finalisedDate: d('2025-02-10') },
        { planId: 'plan-y6late', transferYear: 2025, deadline: d('2025-02-14'), finalisedDate: d('2025-04-01') },
        // The next year's transfer of the same child is not this return's.
        { planId: 'plan-y6late', transferYear: 2026, deadline: d('2026-02-14'), finalisedDate: d('2026-01-05') },
      ],
    });
    expect(reviewFields(r.get('y6'))).toEqual({
      phaseTransferDueDate: '2025-02-14',
      phaseTransferFinalDate: '2025-02-10',
    });
    expect(reviewFields(r.get('y6late'))).toEqual({
      phaseTransferDueDate: '2025-02-14',
      phaseTransferFinalDate: '2025-04-01',
    });
    // Not recorded as finalised: the due date alone.
    expect(reviewFields(r.get('y11'))).toEqual({ phaseTransferDueDate: '2025-03-30' });
    expect(reviewFields(r.get('nursery'))).toEqual({ phaseTransferDueDate: '2025-02-14' });
    expect(reviewFields(r.get('y6new'))).toEqual({});
    // Year 2 moves only from an infant school.
    expect(reviewFields(r.get('y2primary'))).toEqual({});
    expect(reviewFields(r.get('y2infant'))).toEqual({ phaseTransferDueDate: '2025-02-14' });
    expect(reviewFields(r.get('y5'))).toEqual({});
  });

  it('leaves out a finalised date after the census date', () => {
    const r = activePlans({
      children: [child('y11', { dateOfBirth: d('2009-08-31') })],
      plans: [plan('y11', '2019-06-03')],
      phaseTransfers: [
        { planId: 'plan-y11', transferYear: 2025, deadline: d('2025-03-30'), finalisedDate: d('2026-01-20') },
      ],
    });
    expect(reviewFields(r.get('y11'))).toEqual({ phaseTransferDueDate: '2025-03-30' });
  });
});

describe('the year’s review decisions, in the return and left out of it', () => {
  it('counts each active plan’s reported decision in the year, and sets aside the rest so the sums reconcile', () => {
    const plans = [
      plan('a', '2020-03-02'),
      plan('b', '2020-03-02'),
      plan('c', '2020-03-02', { ceasedDate: d('2025-12-01') }),
      plan('d', '2020-03-02'),
    ];
    const reviews = [
      // Within 4 weeks: 28 days from the meeting (reg 20(10); DfE's "within 4 weeks").
      review('a', '2025-03-03', 'maintain', '2025-03-31'),
      // 29 days: after 4 weeks.
      review('b', '2025-03-03', 'amend', '2025-04-01'),
      // The plan ended before the census date: not in the return.
      review('c', '2025-05-05', 'cease', '2025-05-12'),
      // Decided in the year, then reviewed again before the census date: only the later review is reported.
      review('d', '2025-01-06', 'maintain', '2025-01-20'),
      review('d', '2025-12-01', 'maintain', '2025-12-15'),
    ];
    const ret = sen2FromCases(
      { children: ['a', 'b', 'c', 'd'].map((id) => child(id)), requests: [], plans, reviews },
      window,
      header,
    );
    const active = ret.persons.flatMap((p) => p.requests.flatMap((r) => (r.activePlans ? [r.activePlans] : [])));
    expect(reviewDecisionsInReturn(active, window.from, window.to)).toEqual({ decisions: 3, within4Weeks: 2 });
    expect(reviewDecisionsLeftOut(plans, reviews, window)).toEqual({
      planEnded: { decisions: 1, within4Weeks: 1 },
      reviewedAgain: { decisions: 1, within4Weeks: 1 },
    });
  });
});
