import { describe, expect, it } from 'vitest';
import { sampleReturn } from '../../../test/sen2.js';
import type { LocalDate } from '../dates/localDate.js';
import { planImport, type Existing } from './importPlan.js';
import type { Sen2Return } from './model.js';

const d = (s: string) => s as LocalDate;
const nothing: Existing = { childByKey: new Map(), requestKeys: new Set(), planKeys: new Set() };
const ids = () => {
  let n = 0;
  return () => `id-${++n}`;
};

describe('planning an import', () => {
  it('makes children, requests with their story, and plans; nothing twice', () => {
    const ret = sampleReturn(2026);
    const plan = planImport(ret, nothing, ids(), d('2026-11-28'));
    const r = plan.records;
    expect(r.children.map((c) => [c.familyName, c.primaryNeed, c.secondaryNeed, c.settingUrn, c.settingName])).toEqual([
      ['O’Brien & Sons <test>', 'SPLD', 'SLCN', '117000', 'Setting with URN 117000'],
      ['Refused', null, null, null, null],
    ]);
    // The decision to issue has no date in SEN2: dated the final plan, and marked so.
    expect(r.events.find((e) => e.type === 'issue_decision')).toMatchObject({
      occurredOn: '2025-06-20',
      data: { outcome: 'issue', dateNotKnown: true },
    });
    expect(r.requests.map((q) => [q.stage, q.open, q.finalIssuedDate, q.closedDate])).toEqual([
      ['final_plan_issued', false, '2025-06-20', '2025-06-20'],
      ['not_assessed', false, null, '2025-05-10'],
    ]);
    expect(r.events.map((e) => e.type)).toEqual([
      'request_received',
      'assessment_decision',
      'issue_decision',
      'final_plan_issued',
      'request_received',
      'assessment_decision',
    ]);
    expect(r.plans).toEqual([
      {
        id: r.plans[0]!.id,
        childId: r.children[0]!.id,
        requestId: r.requests[0]!.id,
        status: 'active',
        firstIssuedDate: '2025-06-20',
        ceasedDate: null,
        ceasedReason: null,
        lastReviewDate: '2025-12-10',
        named: { settingUrn: '117000', settingUkprn: null, senSetting: null },
      },
    ]);
    // The items the product does not hold are listed, not silently dropped.
    expect(plan.notKept.map((n) => n.item)).toEqual(
      expect.arrayContaining(['RYA', 'ReviewMeeting', 'ReviewOutcome', 'EntryDate']),
    );

    // Against what is already there: the same file again creates nothing.
    const existing: Existing = {
      childByKey: new Map(
        r.children.map((c) => [
          `name:${c.familyName.toLowerCase()}|${c.givenName.toLowerCase()}|${c.dateOfBirth}`,
          { id: c.id, upn: c.upn, uln: c.uln },
        ]),
      ),
      requestKeys: new Set(r.requests.map((q) => `${q.childId}|${q.receivedDate}`)),
      planKeys: new Set(r.plans.map((p) => `${p.childId}|${p.firstIssuedDate}`)),
    };
    const again = planImport(ret, existing, ids(), d('2026-11-28'));
    expect(again.records).toEqual({ children: [], requests: [], plans: [], events: [] });
    expect(again.persons.map((p) => [p.child, p.requestsExisting, p.plansExisting])).toEqual([
      ['existing', 1, 1],
      ['existing', 1, 0],
    ]);
  });

  it('dates a withdrawal it is not told the date of, and makes a plan alone of a record wholly before the year', () => {
    const ret: Sen2Return = sampleReturn(2026);
    ret.persons[1]!.requests = [
      { receivedDate: d('2024-12-02'), requestSource: '1', requestOutcome: 'W' },
      { receivedDate: d('2025-04-01'), requestSource: '1', requestOutcome: 'W' },
    ];
    ret.persons[0]!.requests[0] = {
      requestOutcome: 'H',
      assessment: { assessmentOutcome: 'H', namedPlan: { startDate: d('2019-09-01'), planDetails: [] } },
    };
    const r = planImport(ret, nothing, ids(), d('2026-11-28')).records;
    // Live in 2025 (it is in the 2026 return), so withdrawn no earlier than 1 January 2025.
    expect(r.requests.map((q) => [q.stage, q.closedDate])).toEqual([
      ['withdrawn', '2025-01-01'],
      ['withdrawn', '2025-04-01'],
    ]);
    expect(r.plans.map((p) => [p.requestId, p.firstIssuedDate, p.named])).toEqual([[null, '2019-09-01', null]]);
  });

  it('keeps two children apart who share a UPN but not a date of birth, and joins one child given twice', () => {
    const ret = sampleReturn(2026);
    const twin = structuredClone(ret.persons[0]!);
    twin.personBirthDate = d('2016-05-05');
    twin.forename = 'Sasha';
    const same = structuredClone(ret.persons[0]!);
    same.requests = [{ receivedDate: d('2025-10-01'), requestSource: '2', requestOutcome: 'A' }];
    ret.persons.push(twin, same);
    // And two children of the same name and birthday with different UPNs are two children.
    const namesake = structuredClone(ret.persons[0]!);
    namesake.upn = 'A999999999999';
    ret.persons.push(namesake);
    const plan = planImport(ret, nothing, ids(), d('2026-11-28'));
    expect(plan.records.children).toHaveLength(4);
    expect(plan.persons.map((p) => p.child)).toEqual(['new', 'new', 'new', 'existing', 'new']);
  });
});
