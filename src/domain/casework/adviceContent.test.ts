import { describe, expect, it } from 'vitest';
import { localDate } from '../dates/localDate.js';
import { computeClock } from '../statutory/clock.js';
import { emptyPlan } from './planContent.js';
import {
  addAdviceToPlan,
  adviceDue,
  adviceSource,
  adviceWarnings,
  adviceWorkStatus,
  lateIfRequestedBefore,
  readAdviceContent,
  type AdviceContent,
} from './adviceContent.js';

const advice: AdviceContent = {
  B: [{ id: 'a-n1', text: 'Needs help with reading', area: 'cognition_learning' }],
  E: [{ id: 'a-o1', text: 'Reads books at age level', timeframe: 'July 2027', needIds: ['a-n1'] }],
  F: [
    {
      id: 'a-p1',
      what: 'Phonics programme',
      who: 'Specialist teacher',
      frequency: '3 times a week',
      duration: 'A year',
      needId: 'a-n1',
      outcomeId: 'a-o1',
    },
  ],
};

describe('the advice duty on the work list (SEND Regulations 2014 reg 8(1): 6 weeks)', () => {
  it('falls due 42 days after the request, as the statutory clock counts it', () => {
    expect(adviceDue(localDate('2027-01-20'))).toBe('2027-03-03');
    // The same date as the clock's own advice duty for the same request.
    const clock = computeClock(
      [
        { type: 'request_received', date: localDate('2027-01-04') },
        { type: 'assessment_decision', date: localDate('2027-01-18'), outcome: 'assess' },
        { type: 'advice_requested', date: localDate('2027-01-20'), adviceId: 'ep' },
      ],
      localDate('2027-02-01'),
    );
    expect(clock.deadlines.find((d) => d.id === 'advice:ep')?.due).toBe(adviceDue(localDate('2027-01-20')));
  });

  it('counts as late exactly the requests asked for before today less 6 weeks (the query’s cut-off)', () => {
    const today = localDate('2027-03-04');
    // Asked for on 20 January: due 3 March, late on 4 March. Asked for on 21 January: due 4 March, still in time.
    expect(lateIfRequestedBefore(today)).toBe('2027-01-21');
    expect(adviceWorkStatus(localDate('2027-01-20'), null, today)).toBe('late');
    expect(adviceWorkStatus(localDate('2027-01-21'), null, today)).not.toBe('late');
  });

  it('is due, due soon within a week of the date, late after it, given once given', () => {
    const asked = localDate('2027-01-20');
    expect(adviceWorkStatus(asked, null, localDate('2027-02-23'))).toBe('due');
    expect(adviceWorkStatus(asked, null, localDate('2027-02-24'))).toBe('due_soon');
    expect(adviceWorkStatus(asked, null, localDate('2027-03-03'))).toBe('due_soon');
    expect(adviceWorkStatus(asked, null, localDate('2027-03-04'))).toBe('late');
    expect(adviceWorkStatus(asked, localDate('2027-03-10'), localDate('2027-03-20'))).toBe('given');
  });
});

describe('advice written online', () => {
  it('has the plan’s writing checks on its sections B, E and F only', () => {
    const warnings = adviceWarnings({ ...advice, F: [{ ...advice.F[0]!, frequency: '', what: 'Regular phonics' }] });
    expect(warnings.map((w) => w.text)).toEqual([
      'Provision 1 does not say how often',
      'Provision 1 (what) uses vague wording (“regular”): say exactly what, how much and how often',
    ]);
    // Not section A's "no views": the family's views are not the professional's to write.
    expect(adviceWarnings(advice)).toEqual([]);
  });

  it('says nothing about a form with nothing written yet, but warns once something is saved', () => {
    // An untouched form is not told "Section B lists no needs": there is nothing to check yet.
    expect(adviceWarnings({ B: [], E: [], F: [] })).toEqual([]);
    // Outcomes written but no needs: now the missing needs are worth saying.
    expect(adviceWarnings({ ...advice, B: [] }).map((w) => w.text)).toContain('Section B lists no needs');
  });

  it('warns of a need saved without its area of need (the four broad areas, Code of Practice 6.28)', () => {
    const warnings = adviceWarnings({ ...advice, B: [advice.B[0]!, { id: 'a-n2', text: 'Tires easily', area: '' }] });
    expect(warnings.map((w) => w.text)).toContain('Need 2 does not say its area of need');
    expect(warnings.map((w) => w.text)).not.toContain('Need 1 does not say its area of need');
  });

  it('reads stored advice with its areas of need, and nothing saved as empty', () => {
    expect(readAdviceContent(null)).toEqual({ B: [], E: [], F: [] });
    expect(readAdviceContent(JSON.parse(JSON.stringify(advice)))).toEqual(advice);
    expect(readAdviceContent({ B: [{ id: 'x', text: 't', area: 'made up' }] }).B[0]!.area).toBe('');
  });
});

describe('taking advice into the draft plan', () => {
  const source = adviceSource('educational_psychology', localDate('2027-03-03'));
  let n = 0;
  const newId = () => `new-${++n}`;

  it('names the source as the caseworker reads it', () => {
    expect(source).toBe('From educational psychology advice, given 3 March 2027');
  });

  it('adds after what the plan has, links what was taken, and never adds an item twice', () => {
    const plan = { ...emptyPlan(), B: [{ id: 'p1', text: 'Existing need' }] };
    const withNeeds = addAdviceToPlan(plan, advice, 'B', source, newId);
    expect(withNeeds.added).toBe(1);
    expect(withNeeds.plan.B.map((b) => b.text)).toEqual([
      'Existing need',
      'Needs help with reading (From educational psychology advice, given 3 March 2027)',
    ]);
    expect(plan.B).toHaveLength(1); // the plan given is not changed
    const withOutcomes = addAdviceToPlan(withNeeds.plan, advice, 'E', source, newId);
    expect(withOutcomes.plan.E[0]!.needIds).toEqual([withNeeds.plan.B[1]!.id]);
    const withProvision = addAdviceToPlan(withOutcomes.plan, advice, 'F', source, newId);
    expect(withProvision.plan.F[0]).toMatchObject({
      needId: withNeeds.plan.B[1]!.id,
      outcomeId: withOutcomes.plan.E[0]!.id,
      who: 'Specialist teacher',
    });
    expect(addAdviceToPlan(withProvision.plan, advice, 'B', source, newId).added).toBe(0);
    expect(addAdviceToPlan(withProvision.plan, advice, 'F', source, newId).added).toBe(0);
  });

  it('leaves links empty where the advice’s need is not in the plan', () => {
    const { plan } = addAdviceToPlan(emptyPlan(), advice, 'F', source, newId);
    expect(plan.F[0]).toMatchObject({ needId: '', outcomeId: '' });
  });
});
