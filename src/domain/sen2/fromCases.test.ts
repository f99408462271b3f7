import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import { sen2Counts } from './counts.js';
import {
  sen2FromCases,
  type Sen2ChildFacts,
  type Sen2Facts,
  type Sen2PlanFacts,
  type Sen2RequestFacts,
} from './fromCases.js';
import { referencePeriod } from './census.js';
import type { Sen2Header } from './model.js';

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
  dmo: 'Y',
  dco: 'Y',
  dsco: 'N',
};

const child = (id: string, more: Partial<Sen2ChildFacts> = {}): Sen2ChildFacts => ({
  id,
  givenName: `Child ${id}`,
  familyName: 'Test',
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
  ...more,
});

const request = (id: string, received: string, more: Partial<Sen2RequestFacts> = {}): Sen2RequestFacts => ({
  id,
  childId: id,
  receivedDate: d(received),
  requestSource: '1',
  assessmentDecision: null,
  assessmentDecisionDate: null,
  issueDecision: null,
  issueDecisionDate: null,
  finalIssuedDate: null,
  withdrawn: false,
  withdrawnDate: null,
  exception: false,
  ...more,
});

const plan = (id: string, issued: string, more: Partial<Sen2PlanFacts> = {}): Sen2PlanFacts => ({
  id: `plan-${id}`,
  childId: id,
  requestId: id,
  firstIssuedDate: d(issued),
  ceasedDate: null,
  ceasedReason: null,
  lastReviewDate: null,
  named: null,
  ...more,
});

function records(facts: Partial<Sen2Facts>) {
  const ret = sen2FromCases({ children: [], requests: [], plans: [], ...facts }, window, header);
  return new Map(ret.persons.map((p) => [p.forename.replace('Child ', ''), p.requests]));
}

describe('the SEN2 records made from case facts', () => {
  it('gives each request its outcome as it stood on the census date', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const r = records({
      children: ids.map((id) => child(id)),
      requests: [
        // Received in the year, not yet decided.
        request('a', '2025-11-03'),
        // Refused in the year.
        request('b', '2025-03-03', { assessmentDecision: 'not_assess', assessmentDecisionDate: d('2025-04-10') }),
        // Withdrawn before a decision.
        request('c', '2025-05-01', { withdrawn: true, withdrawnDate: d('2025-05-20') }),
        // Decided to assess and the plan issued in the year, late and with an exception.
        request('d', '2025-01-06', {
          assessmentDecision: 'assess',
          assessmentDecisionDate: d('2025-02-10'),
          issueDecision: 'issue',
          finalIssuedDate: d('2025-07-30'),
          exception: true,
        }),
        // Decided before the year, no plan after assessment in the year.
        request('e', '2024-11-04', {
          assessmentDecision: 'assess',
          assessmentDecisionDate: d('2024-12-12'),
          issueDecision: 'not_issue',
          issueDecisionDate: d('2025-03-01'),
        }),
        // Decided to issue, not yet issued on the census date (issued the week after).
        request('f', '2025-09-01', {
          assessmentDecision: 'assess',
          assessmentDecisionDate: d('2025-10-06'),
          issueDecision: 'issue',
          issueDecisionDate: d('2025-12-01'),
          finalIssuedDate: d('2026-01-20'),
        }),
        // A decision after the census date has not happened yet.
        request('g', '2025-12-15', { assessmentDecision: 'assess', assessmentDecisionDate: d('2026-01-22') }),
        // Ended before the year: not in the return.
        request('h', '2024-01-08', { assessmentDecision: 'not_assess', assessmentDecisionDate: d('2024-02-01') }),
      ],
      plans: [plan('d', '2025-07-30', { named: { urn: '990002', ukprn: null, senSetting: null } })],
    });
    expect(r.get('a')).toEqual([{ receivedDate: '2025-11-03', requestSource: '1', requestOutcome: 'A' }]);
    expect(r.get('b')).toEqual([
      { receivedDate: '2025-03-03', requestSource: '1', requestOutcome: 'N', requestOutcomeDate: '2025-04-10' },
    ]);
    expect(r.get('c')![0]!.requestOutcome).toBe('W');
    expect(r.get('d')).toEqual([
      {
        receivedDate: '2025-01-06',
        requestSource: '1',
        requestOutcome: 'Y',
        requestOutcomeDate: '2025-02-10',
        assessment: {
          assessmentOutcome: 'Y',
          assessmentOutcomeDate: '2025-07-30',
          week20: '1',
          // Section I names a different school from the one the child attends.
          namedPlan: { startDate: '2025-07-30', planDetails: [{ urn: '990002', placementRank: '1' }] },
        },
        activePlans: {
          placements: [{ urn: '990001', placementRank: '1' }],
          senNeeds: [{ senType: 'ASD', senTypeRank: '1' }],
        },
      },
    ]);
    expect(r.get('e')![0]).toMatchObject({
      requestOutcome: 'H',
      assessment: { assessmentOutcome: 'N', assessmentOutcomeDate: '2025-03-01' },
    });
    expect(r.get('e')![0]!.receivedDate).toBe('2024-11-04');
    // Agreed but not issued: Y with no date (README section 3), and no plan yet.
    expect(r.get('f')![0]!.assessment).toEqual({ assessmentOutcome: 'Y' });
    expect(r.get('g')![0]!.requestOutcome).toBe('A');
    expect(r.has('h')).toBe(false);
  });

  it('keeps only outcomes and plan for a record wholly before the year, and adds plans with no request', () => {
    const r = records({
      children: [child('old', { secondaryNeed: 'SLCN' }), child('legacy'), child('gone'), child('long-gone')],
      requests: [
        request('old', '2021-01-11', {
          assessmentDecision: 'assess',
          assessmentDecisionDate: d('2021-02-15'),
          issueDecision: 'issue',
          finalIssuedDate: d('2021-05-20'),
        }),
      ],
      plans: [
        plan('old', '2021-05-20', { lastReviewDate: d('2025-05-01') }),
        plan('legacy', '2015-09-01', { requestId: null, lastReviewDate: d('2026-02-01') }),
        plan('gone', '2019-03-01', { requestId: null, ceasedDate: d('2025-08-31'), ceasedReason: '5' }),
        plan('long-gone', '2018-03-01', { requestId: null, ceasedDate: d('2024-08-31'), ceasedReason: '2' }),
      ],
    });
    expect(r.get('old')).toEqual([
      {
        requestOutcome: 'H',
        assessment: {
          assessmentOutcome: 'H',
          namedPlan: { startDate: '2021-05-20', planDetails: [{ urn: '990001', placementRank: '1' }] },
        },
        activePlans: {
          placements: [{ urn: '990001', placementRank: '1' }],
          senNeeds: [
            { senType: 'ASD', senTypeRank: '1' },
            { senType: 'SLCN', senTypeRank: '2' },
          ],
          lastReview: '2025-05-01',
        },
      },
    ]);
    // A review after the census date is not yet known.
    expect(r.get('legacy')![0]!.activePlans!.lastReview).toBeUndefined();
    // Ceased in the year: the named plan with its ending, no active plan.
    expect(r.get('gone')).toEqual([
      {
        requestOutcome: 'H',
        assessment: {
          assessmentOutcome: 'H',
          namedPlan: {
            startDate: '2019-03-01',
            planDetails: [{ urn: '990001', placementRank: '1' }],
            ceaseDate: '2025-08-31',
            ceaseReason: '5',
          },
        },
      },
    ]);
    expect(r.has('long-gone')).toBe(false);
  });

  it('gives a plan transferred out in the year its new LA in TransferLA (item 5.1), ended that day, reason 5', () => {
    // shared/reference/sen2/README.md: CeaseDate is the day the plan transferred out; TransferLA (ActivePlans, 5.1)
    // the new LA's 3-digit code (CBDS N00216). Only in the return of the period it moved in.
    const r = records({
      children: [child('moved'), child('moved-before')],
      plans: [
        plan('moved', '2022-03-01', {
          requestId: null,
          ceasedDate: d('2025-09-08'),
          ceasedReason: '5',
          transferLa: '919',
        }),
        plan('moved-before', '2021-03-01', {
          requestId: null,
          ceasedDate: d('2024-09-08'),
          ceasedReason: '5',
          transferLa: '919',
        }),
      ],
    });
    expect(r.get('moved')).toEqual([
      {
        requestOutcome: 'H',
        assessment: {
          assessmentOutcome: 'H',
          namedPlan: {
            startDate: '2022-03-01',
            planDetails: [{ urn: '990001', placementRank: '1' }],
            ceaseDate: '2025-09-08',
            ceaseReason: '5',
          },
        },
        activePlans: { transferLa: '919', placements: [], senNeeds: [] },
      },
    ]);
    expect(r.has('moved-before')).toBe(false);
    // Not an active plan on the census date: counted among the plans that ended.
    const counts = sen2Counts(
      sen2FromCases(
        {
          children: [child('moved')],
          requests: [],
          plans: [
            plan('moved', '2022-03-01', {
              requestId: null,
              ceasedDate: d('2025-09-08'),
              ceasedReason: '5',
              transferLa: '919',
            }),
          ],
        },
        window,
        header,
      ),
    );
    expect([counts.activePlans, counts.ceasedPlans]).toEqual([0, 1]);
  });

  it('names a setting by URN, else UKPRN, else its SEN2 code, and gives a person’s identifiers', () => {
    const ret = sen2FromCases(
      {
        children: [
          child('college', { setting: { urn: null, ukprn: '10099001', senSetting: null }, uln: '1234567890' }),
          child('home', { setting: { urn: null, ukprn: null, senSetting: 'EHE' }, upn: 'A123', upnUnknown: 'UN2' }),
        ],
        requests: [],
        plans: [plan('college', '2020-01-01', { requestId: null }), plan('home', '2020-01-01', { requestId: null })],
      },
      window,
      header,
    );
    const [college, home] = ret.persons;
    expect(college!.requests[0]!.activePlans!.placements).toEqual([{ ukprn: '10099001', placementRank: '1' }]);
    expect(college!.uln).toBe('1234567890');
    expect(home!.requests[0]!.activePlans!.placements).toEqual([{ senSetting: 'EHE', placementRank: '1' }]);
    // A reason for no UPN is given only when there is none.
    expect(home!.upn).toBe('A123');
    expect(home!.upnUnknown).toBeUndefined();
  });

  it('counts as DfE does: requests and plans in the year, 20 weeks as 140 days, plans at the census', () => {
    const ids = ['on-time', 'day-141', 'exception', 'refused', 'active'];
    const ret = sen2FromCases(
      {
        children: ids.map((id) => child(id)),
        requests: [
          request('on-time', '2025-01-06', {
            assessmentDecision: 'assess',
            assessmentDecisionDate: d('2025-02-03'),
            issueDecision: 'issue',
            // 140 days after the request: within 20 weeks (statutory-timescales.md P12).
            finalIssuedDate: d('2025-05-26'),
          }),
          request('day-141', '2025-01-06', {
            assessmentDecision: 'assess',
            assessmentDecisionDate: d('2025-02-03'),
            issueDecision: 'issue',
            finalIssuedDate: d('2025-05-27'),
          }),
          request('exception', '2025-02-03', {
            assessmentDecision: 'assess',
            assessmentDecisionDate: d('2025-03-03'),
            issueDecision: 'issue',
            finalIssuedDate: d('2025-09-01'),
            exception: true,
          }),
          request('refused', '2025-03-03', {
            assessmentDecision: 'not_assess',
            assessmentDecisionDate: d('2025-04-01'),
          }),
        ],
        plans: [
          plan('on-time', '2025-05-26'),
          plan('day-141', '2025-05-27', { ceasedDate: d('2025-12-01'), ceasedReason: '7' }),
          plan('exception', '2025-09-01'),
          plan('active', '2010-01-01', { requestId: null }),
        ],
      },
      window,
      header,
    );
    expect(sen2Counts(ret)).toEqual({
      persons: 5,
      requestsReceived: 4,
      decisionsToAssess: 3,
      decisionsNotToAssess: 1,
      plansIssued: 3,
      plansWithin20Weeks: 1,
      plansIssuedExcl: 2,
      plansWithin20WeeksExcl: 1,
      notIssued: 0,
      activePlans: 3,
      ceasedPlans: 1,
    });
  });
});
