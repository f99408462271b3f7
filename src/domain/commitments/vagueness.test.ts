/**
 * Each vagueness rule with a commitment that triggers it and one that does not (SMART; the government's FABRIC
 * properties of performance information), for commitments entered in the product and for statements read from a
 * pasted plan. Examples are modelled on what Hertfordshire's improvement plan was criticised for.
 */
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../dates/localDate.js';
import {
  candidatesFromText,
  checkCommitment,
  checkStatement,
  MAX_PASTED_CHARACTERS,
  summarisePlan,
  vagueVerbsIn,
  type Commitment,
} from './vagueness.js';

const today = '2026-01-15' as LocalDate;

/** A commitment that passes every rule: 60% of new plans within 20 weeks by July 2026, with a milestone. */
const measurable: Commitment = {
  statement: '60% of new EHC plans issued within 20 weeks by July 2026',
  measureId: 'plans_within_20_weeks_excl',
  manualSeries: null,
  polarity: 'increase',
  baseline: { value: 32.6, period: '2022', n: 1585 },
  target: { value: 60, date: '2026-07-31' as LocalDate },
  trajectory: [{ date: '2026-04-30' as LocalDate, value: 50 }],
  owner: { role: 'Director of SEND', organisation: 'Hertfordshire County Council' },
};
const rules = (c: Partial<Commitment>) => checkCommitment({ ...measurable, ...c }, today).map((f) => f.rule);

describe('a commitment entered in the product', () => {
  it('passes when it has a number, a date, an owner, a baseline, a definition and milestones', () => {
    expect(checkCommitment(measurable, today)).toEqual([]);
  });

  it('no number: a target with no value', () => {
    expect(rules({ target: { value: null, date: '2026-07-31' as LocalDate } })).toContain('no_number');
  });

  it('no date: a target with no date', () => {
    expect(rules({ target: { value: 60, date: null } })).toEqual(['no_date']);
  });

  it('no owner: a role without an organisation, or nothing', () => {
    expect(rules({ owner: { role: 'Director of SEND', organisation: ' ' } })).toEqual(['no_owner']);
    expect(rules({ owner: null })).toEqual(['no_owner']);
  });

  it('no baseline: a value without its period, or nothing', () => {
    expect(rules({ baseline: { value: 32.6, period: null, n: null } })).toEqual(['no_baseline']);
    expect(rules({ baseline: null })).toEqual(['no_baseline']);
  });

  it('no definition: no live measure and a manual series missing its source or parts', () => {
    const manual = {
      name: 'Parents who feel listened to',
      source: 'Annual parent survey',
      numerator: 'Yes',
      denominator: 'All answers',
    };
    expect(rules({ measureId: null, manualSeries: manual })).toEqual([]);
    expect(rules({ measureId: null, manualSeries: { ...manual, source: '' } })).toEqual(['no_definition']);
    expect(rules({ measureId: null, manualSeries: null })).toEqual(['no_definition']);
  });

  it('vague verb: "improve" with no measure and target behind it; the same verb with them is fine', () => {
    const vague = rules({ statement: 'Improve the timeliness of EHC plans', measureId: null, target: null });
    expect(vague).toContain('vague_verb');
    expect(rules({ statement: 'Improve timeliness to 60% of plans within 20 weeks by July 2026' })).toEqual([]);
    const flag = checkCommitment(
      { ...measurable, statement: 'We will strengthen and enhance our offer', measureId: null },
      today,
    );
    expect(flag.find((f) => f.rule === 'vague_verb')?.message).toContain('“strengthen”, “enhance”');
  });

  it('no trajectory: a target more than 6 months off with no milestone before it; a near target needs none', () => {
    expect(rules({ trajectory: [] })).toEqual(['no_trajectory']);
    expect(rules({ trajectory: [], target: { value: 60, date: '2026-06-30' as LocalDate } })).toEqual([]);
    // A milestone already past, or on the target date itself, does not count.
    expect(rules({ trajectory: [{ date: '2025-12-31' as LocalDate, value: 40 }] })).toEqual(['no_trajectory']);
  });
});

describe('the plan as a whole', () => {
  it('counts measurable and flagged commitments and the rules that fire', () => {
    const vague: Commitment = {
      ...measurable,
      statement: 'Ensure families are listened to',
      measureId: null,
      target: null,
    };
    const s = summarisePlan([measurable, vague], [{ horizon: '2029-03-31' as LocalDate }], today);
    expect([s.commitments, s.measurable, s.flagged]).toEqual([2, 1, 1]);
    expect(s.byRule.vague_verb).toBe(1);
    expect(s.byRule.no_date).toBe(1);
    expect(s.noLongTermObjective).toBe(false);
  });

  it('flags a plan with nothing beyond the next 12 months', () => {
    expect(summarisePlan([measurable], [{ horizon: '2026-12-31' as LocalDate }], today).noLongTermObjective).toBe(true);
    expect(summarisePlan([measurable], [{ horizon: '2027-01-16' as LocalDate }], today).noLongTermObjective).toBe(
      false,
    );
    expect(summarisePlan([measurable], [], today).noLongTermObjective).toBe(true);
  });
});

describe('statements read from a pasted plan', () => {
  it('a measurable statement raises no flag', () => {
    const { flags, signals } = checkStatement(
      'Led by the Director of SEND: 60% of new EHCPs issued within 20 weeks (measured by the SEN2 return) by July 2026, up from 32.6% in 2022, with a milestone of 50% by April 2026.',
    );
    expect(signals).toEqual({
      number: true,
      date: true,
      owner: true,
      baseline: true,
      definition: true,
      trajectory: true,
    });
    expect(flags).toEqual([]);
  });

  it('the criticised kind of statement raises every flag', () => {
    const rulesOf = (t: string) => checkStatement(t).flags.map((f) => f.rule);
    expect(rulesOf('We will work towards improving the timeliness of plans.')).toEqual([
      'no_number',
      'no_date',
      'no_owner',
      'no_baseline',
      'no_definition',
      'vague_verb',
    ]);
  });

  it('"within 20 weeks" is a timescale, not a target; a year is a date, not a number', () => {
    expect(checkStatement('Plans are issued within 20 weeks in 2025').signals.number).toBe(false);
    expect(checkStatement('Plans are issued within 20 weeks in 2025').signals.date).toBe(true);
    expect(checkStatement('1,000 new SEND school places by 2025/26').signals).toMatchObject({
      number: true,
      date: true,
    });
    expect(checkStatement('Recruit +3 educational psychologists by June 2026').signals.number).toBe(true);
  });

  it('a target and a date with no milestone on the way: no trajectory', () => {
    const r = checkStatement(
      'The ICB lead will reach 60% of referrals within 18 weeks by March 2027 (from 41% now, per the dashboard).',
    );
    expect(r.flags.map((f) => f.rule)).toEqual(['no_trajectory']);
  });

  it('finds the vague verbs as written', () => {
    expect(vagueVerbsIn('We are Exploring options and will continue to   embed practice')).toEqual([
      'exploring',
      'continue to',
      'embed',
    ]);
    expect(vagueVerbsIn('Issue 60% of plans on time')).toEqual([]);
  });
});

describe('reading a pasted plan', () => {
  it('takes list items and sentences as candidates, with the heading they sit under', () => {
    const text = [
      '# Priority 1: timeliness',
      '',
      '- Improve the timeliness of EHC plans.',
      '- 60% of new EHCPs within 20 weeks by July 2026 (SEN2), owner: Director of SEND, up from 32.6% in 2022; milestone 50% by April 2026.',
      '',
      'Communication with families:',
      'We will ensure families are kept informed. We will explore a new portal.',
      '1) Ok.',
    ].join('\r\n');
    const { candidates, truncated } = candidatesFromText(`\uFEFF${text}`);
    expect(truncated).toBe(false);
    expect(candidates.map((c) => [c.section, c.text.slice(0, 20), c.flags.length === 0])).toEqual([
      ['Priority 1: timeliness', 'Improve the timeline', false],
      ['Priority 1: timeliness', '60% of new EHCPs wit', true],
      ['Communication with families', 'We will ensure famil', false],
      ['Communication with families', 'We will explore a ne', false],
    ]);
  });

  it('never fails on odd input: control characters, binary, huge text (read up to a limit, and says so)', () => {
    expect(() => candidatesFromText('\u0000\u0001\u0002 some text \uFFFD\uD800 with odd bytes in it')).not.toThrow();
    const huge = 'We will improve outcomes for children. '.repeat(10_000);
    const { candidates, truncated } = candidatesFromText(huge);
    expect(truncated).toBe(true);
    expect(candidates.length).toBeLessThanOrEqual(MAX_PASTED_CHARACTERS / 30);
    expect(candidatesFromText('').candidates).toEqual([]);
  });
});
