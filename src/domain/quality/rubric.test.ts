import { describe, expect, it } from 'vitest';
import {
  changesGrades,
  DEFAULT_RUBRIC,
  gradeAudit,
  rubricProblems,
  unanswered,
  type Answer,
  type Rubric,
} from './rubric.js';

/** One section of 20 criteria: each met criterion is 5 points. */
const twenty: Rubric = {
  boundaries: { outstanding: 90, good: 75, requiresImprovement: 50 },
  sections: [
    {
      key: 'F',
      name: 'Provision',
      weight: 1,
      limiting: false,
      criteria: Array.from({ length: 20 }, (_, i) => ({ id: `F${i}`, text: `Criterion ${i}` })),
    },
  ],
};
const met = (n: number, of = 20, prefix = 'F') =>
  Object.fromEntries(Array.from({ length: of }, (_, i) => [`${prefix}${i}`, (i < n ? 'met' : 'not_met') as Answer]));

describe('the grade, computed from the criteria met', () => {
  it('gives each grade from its boundary: 90 Outstanding, 75 Good, 50 Requires improvement, under 50 Inadequate', () => {
    const grade = (n: number) => gradeAudit(twenty, met(n));
    expect([20, 18].map((n) => grade(n).grade)).toEqual(['outstanding', 'outstanding']);
    expect(grade(18).score).toBe(90);
    expect([17, 15].map((n) => grade(n).grade)).toEqual(['good', 'good']);
    expect(grade(15).score).toBe(75);
    expect([14, 10].map((n) => grade(n).grade)).toEqual(['requires_improvement', 'requires_improvement']);
    expect([9, 0].map((n) => grade(n).grade)).toEqual(['inadequate', 'inadequate']);
    expect(grade(9).score).toBe(45);
  });

  it('scores to a thousandth of a point, so a boundary typed to three places holds (weights 0.1 and 0.2)', () => {
    const rubric: Rubric = {
      boundaries: twenty.boundaries,
      sections: [
        {
          key: 'A',
          name: 'A',
          weight: 0.1,
          limiting: false,
          criteria: [
            { id: 'a1', text: 'x' },
            { id: 'a2', text: 'y' },
          ],
        },
        {
          key: 'B',
          name: 'B',
          weight: 0.2,
          limiting: false,
          criteria: [
            { id: 'b1', text: 'x' },
            { id: 'b2', text: 'y' },
            { id: 'b3', text: 'z' },
            { id: 'b4', text: 'w' },
          ],
        },
      ],
    };
    // (0.1 x 0.5 + 0.2 x 1) / 0.3 = 83.333...; with 3 of 4 in B, (0.05 + 0.15) / 0.3 = 66.666...: 66.667.
    const r = gradeAudit(rubric, { a1: 'met', a2: 'not_met', b1: 'met', b2: 'met', b3: 'met', b4: 'met' });
    expect(r.score).toBe(83.333);
    const exact = gradeAudit(rubric, { a1: 'met', a2: 'not_met', b1: 'met', b2: 'met', b3: 'met', b4: 'not_met' });
    expect(exact.score).toBe(66.667);
    const onBoundary = gradeAudit(
      { ...rubric, boundaries: { ...rubric.boundaries, good: 66.667 } },
      {
        a1: 'met',
        a2: 'not_met',
        b1: 'met',
        b2: 'met',
        b3: 'met',
        b4: 'not_met',
      },
    );
    expect(onBoundary.grade).toBe('good');
  });

  it('weights sections and leaves out a section with nothing applicable', () => {
    const rubric: Rubric = {
      boundaries: twenty.boundaries,
      sections: [
        { key: 'F', name: 'F', weight: 3, limiting: false, criteria: [{ id: 'f', text: 'x' }] },
        { key: 'A', name: 'A', weight: 1, limiting: false, criteria: [{ id: 'a', text: 'x' }] },
        { key: 'D', name: 'D', weight: 1, limiting: false, criteria: [{ id: 'd', text: 'x' }] },
      ],
    };
    // F met (3), A not met (0), D not applicable: 3 / 4 = 75.
    const r = gradeAudit(rubric, { f: 'met', a: 'not_met', d: 'not_applicable' });
    expect(r.score).toBe(75);
    expect(r.grade).toBe('good');
    expect(r.sections).toEqual([
      { key: 'F', score: 1 },
      { key: 'A', score: 0 },
      { key: 'D', score: null },
    ]);
  });

  it('caps the grade at Requires improvement when a limiting section (the child’s voice) is under half met', () => {
    const answers: Record<string, Answer> = Object.fromEntries(
      DEFAULT_RUBRIC.sections.flatMap((s) => s.criteria.map((c) => [c.id, 'met'])),
    );
    expect(gradeAudit(DEFAULT_RUBRIC, answers).grade).toBe('outstanding');
    // Three of four A criteria not met: A (weight 2 of 15) scores 0.25, under half, though the plan scores
    // (15 - 2 x 0.75) / 15 = 90 overall.
    const noVoice = { ...answers, A1: 'not_met' as Answer, A2: 'not_met' as Answer, A3: 'not_met' as Answer };
    const r = gradeAudit(DEFAULT_RUBRIC, noVoice);
    expect(r.score).toBe(90);
    expect(r.limited).toBe(true);
    expect(r.grade).toBe('requires_improvement');
    // Exactly half is not under half.
    expect(gradeAudit(DEFAULT_RUBRIC, { ...answers, A1: 'not_met', A2: 'not_met' }).limited).toBe(false);
  });

  it('lists the criteria still to answer', () => {
    expect(unanswered(twenty, { ...met(20), F3: undefined }).map((c) => c.id)).toEqual(['F3']);
  });
});

describe('editing the rubric', () => {
  it('names each problem against its place', () => {
    const bad: Rubric = {
      boundaries: { outstanding: 80, good: 85, requiresImprovement: 50 },
      sections: [
        { key: 'A', name: '', weight: 11, limiting: false, criteria: [{ id: 'x', text: '' }] },
        { key: 'A', name: 'Again', weight: 0, limiting: false, criteria: [{ id: 'x', text: 'Twice' }] },
      ],
    };
    expect(rubricProblems(bad)).toEqual([
      { field: 'section-0-name', text: 'Enter a name for section 1' },
      { field: 'section-0-weight', text: 'The weight of section 1 must be between 0 and 10' },
      { field: 'section-0-criterion-0', text: 'Enter criterion 1 of section 1' },
      { field: 'section-1-key', text: 'Section 2 needs its own short key' },
      { field: 'section-1-criterion-0', text: 'Criterion x is used twice' },
      {
        field: 'boundaries',
        text: 'Grade boundaries must go down from Outstanding to Requires improvement, between 0 and 100',
      },
    ]);
    expect(rubricProblems(DEFAULT_RUBRIC)).toEqual([]);
  });

  it('knows when a change would move a completed audit’s grade (so it must be a new version)', () => {
    const completed = [{ answers: met(15) }, { answers: met(19) }];
    // Rewording a criterion moves nothing.
    const reworded = { ...twenty, sections: [{ ...twenty.sections[0]!, name: 'Special educational provision' }] };
    expect(changesGrades(twenty, reworded, completed)).toBe(false);
    // Raising the Good boundary to 80 moves the audit at 75 from Good to Requires improvement.
    expect(changesGrades(twenty, { ...twenty, boundaries: { ...twenty.boundaries, good: 80 } }, completed)).toBe(true);
  });
});
