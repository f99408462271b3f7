import { describe, expect, it } from 'vitest';
import { emptyPlan, type PlanContent } from '../casework/planContent.js';
import type { LocalDate } from '../dates/localDate.js';
import { findVague, qualityChecks, segments } from './writingChecks.js';

const none = { representationsReceived: [], lastSavedOn: '2026-03-01' as LocalDate };

/** A plan whose golden thread is whole: one need, its outcome, its provision, all specified. */
function sound(): PlanContent {
  return {
    ...emptyPlan(),
    A: 'Sam says: "I like maths and want to be a vet."',
    B: [{ id: 'n1', text: 'Reads two years below age; decoding is the difficulty' }],
    E: [
      {
        id: 'o1',
        text: 'Sam reads a book banded for age 9 aloud with 95% accuracy',
        needIds: ['n1'],
        timeframe: 'By July 2027',
      },
    ],
    F: [
      {
        id: 'f1',
        what: 'Structured phonics programme (one to one)',
        who: 'Teaching assistant trained by the specialist teacher',
        frequency: '3 sessions of 30 minutes a week',
        duration: 'Until the annual review in March 2027',
        needId: 'n1',
        outcomeId: 'o1',
      },
    ],
  };
}

describe('vague wording', () => {
  it('finds the phrases inspectors call out, as whole words, in any case', () => {
    expect(findVague('Access to a quiet space as appropriate, and regular check-ins').map((m) => m.phrase)).toEqual([
      'access to',
      'as appropriate',
      'regular',
    ]);
    // "Support as needed" is one phrase, not "as needed" inside it; "up to" only as words.
    expect(findVague('Support as needed; up to 3 hours').map((m) => m.phrase)).toEqual(['support as needed', 'up to']);
    expect(findVague('Irregular verbs; a setup to test; accessible toilets')).toEqual([]);
  });

  it('marks the phrase where it stands', () => {
    const text = 'Weekly sessions with access to a mentor';
    expect(segments(text, findVague(text))).toEqual([
      { text: 'Weekly sessions with ', vague: false },
      { text: 'access to', vague: true },
      { text: ' a mentor', vague: false },
    ]);
  });
});

describe('quality checks on a plan', () => {
  it('finds nothing in a sound plan', () => {
    expect(qualityChecks(sound(), none)).toEqual([]);
  });

  it('flags each break in the golden thread', () => {
    const plan = sound();
    plan.B.push({ id: 'n2', text: 'Anxiety in unstructured times' });
    plan.E.push({ id: 'o2', text: 'Sam joins a lunchtime club', needIds: [], timeframe: '' });
    plan.F.push({ id: 'f2', what: 'Mentoring', who: '', frequency: '', duration: '', needId: '', outcomeId: '' });
    expect(qualityChecks(plan, none).map((w) => w.text)).toEqual([
      'Need 2 has no outcome in section E',
      'Need 2 has no provision in section F',
      'Outcome 2 is not linked to a need',
      'Outcome 2 has no timeframe',
      'Provision 2 does not say who, how often, for how long',
      'Provision 2 is not linked to a need',
    ]);
  });

  it('flags vague provision and outcomes with the phrase marked, not specified ones', () => {
    const plan = sound();
    plan.F[0]!.frequency = 'Regular sessions as appropriate';
    plan.E[0]!.text = 'Sam will have opportunities to read aloud';
    const warnings = qualityChecks(plan, none);
    expect(warnings.map((w) => w.text)).toEqual([
      'Outcome 1 uses vague wording (“opportunities to”): say exactly what, how much and how often',
      'Provision 1 (how often) uses vague wording (“regular”, “as appropriate”): say exactly what, how much and how often',
    ]);
    expect(warnings[1]!.segments!.filter((s) => s.vague).map((s) => s.text)).toEqual(['Regular', 'as appropriate']);
  });

  it('flags health or social care advice that the plan does not reflect', () => {
    const plan = sound();
    plan.K = [
      { adviceType: 'health', provider: 'NHS', receivedDate: '2026-02-01' },
      { adviceType: 'social_care', provider: 'Children’s services', receivedDate: '2026-02-03' },
      { adviceType: 'educational_psychology', provider: 'EPS', receivedDate: '2026-02-02' },
    ];
    plan.D = 'Short breaks assessed in 2025';
    expect(qualityChecks(plan, none).map((w) => w.text)).toEqual([
      'The health advice in section K is not reflected: health needs and health provision (sections C and G) are empty',
    ]);
    // Advice asked for but not received is not yet something to reflect.
    plan.K[0]!.receivedDate = null;
    expect(qualityChecks(plan, none)).toEqual([]);
  });

  it('flags the family’s comments on the draft when no version has been saved since', () => {
    const received = ['2026-03-05' as LocalDate];
    expect(
      qualityChecks(sound(), { representationsReceived: received, lastSavedOn: '2026-03-01' as LocalDate }),
    ).toEqual([
      {
        section: 'A',
        text: 'The family’s comments on the draft (received 5 March 2026) are not answered yet: the plan has not been changed since',
      },
    ]);
    expect(
      qualityChecks(sound(), { representationsReceived: received, lastSavedOn: '2026-03-09' as LocalDate }),
    ).toEqual([]);
  });
});
