/**
 * The audit rubric for EHC plans, section by section (A to K), and the grade it gives. The grade is computed from
 * the criteria met, never chosen by the auditor:
 *
 * - each criterion is met, not met, or not applicable (a plan with no social care needs, say);
 * - a section's score is the share of its applicable criteria met; a section with none applicable is left out;
 * - the overall score is the sections' scores weighted by their weights, as a percentage;
 * - the grade follows the boundaries (Outstanding from 90, Good from 75, Requires improvement from 50, else
 *   Inadequate, by default), except that a plan scoring under half in a limiting section (the child's voice in A,
 *   provision in F) is at best Requires improvement: a plan cannot be good without them.
 *
 * The rubric is data an LA can edit; a change that would move the grade of a completed audit makes a new version
 * (audits keep the version they were done with), so grades never change behind anyone's back.
 */

export const GRADES = ['outstanding', 'good', 'requires_improvement', 'inadequate'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_NAMES: Record<Grade, string> = {
  outstanding: 'Outstanding',
  good: 'Good',
  requires_improvement: 'Requires improvement',
  inadequate: 'Inadequate',
};

export type Answer = 'met' | 'not_met' | 'not_applicable';
export const ANSWERS: readonly Answer[] = ['met', 'not_met', 'not_applicable'];

export interface Criterion {
  id: string;
  text: string;
}

export interface RubricSection {
  key: string;
  name: string;
  weight: number;
  /** Under half met here caps the grade at Requires improvement. */
  limiting: boolean;
  criteria: Criterion[];
}

export interface Rubric {
  sections: RubricSection[];
  /** The lowest overall score (0-100) for each of the top three grades. */
  boundaries: { outstanding: number; good: number; requiresImprovement: number };
}

/** The rubric an LA starts with: good practice for each section, drawn from the SEND Code of Practice (9.61-9.69). */
export const DEFAULT_RUBRIC: Rubric = {
  boundaries: { outstanding: 90, good: 75, requiresImprovement: 50 },
  sections: [
    {
      key: 'A',
      name: 'Section A: views, interests and aspirations',
      weight: 2,
      limiting: true,
      criteria: [
        { id: 'A1', text: 'The child’s or young person’s own views are recorded, in their words where possible' },
        { id: 'A2', text: 'The family’s views are recorded' },
        { id: 'A3', text: 'Aspirations for the future are described (from year 9, preparing for adulthood)' },
        { id: 'A4', text: 'It says how the child communicates and what helps them take part' },
      ],
    },
    {
      key: 'B',
      name: 'Section B: special educational needs',
      weight: 2,
      limiting: false,
      criteria: [
        { id: 'B1', text: 'Every need is specific and detailed (what the child finds hard, not a diagnosis alone)' },
        { id: 'B2', text: 'Needs come from the advice gathered and agree with it' },
        { id: 'B3', text: 'Strengths are described as well as needs' },
      ],
    },
    {
      key: 'C',
      name: 'Section C: health needs',
      weight: 1,
      limiting: false,
      criteria: [{ id: 'C1', text: 'Health needs related to the SEN agree with the health advice' }],
    },
    {
      key: 'D',
      name: 'Section D: social care needs',
      weight: 1,
      limiting: false,
      criteria: [
        { id: 'D1', text: 'Social care needs related to the SEN or disability agree with the social care advice' },
      ],
    },
    {
      key: 'E',
      name: 'Section E: outcomes',
      weight: 2,
      limiting: false,
      criteria: [
        { id: 'E1', text: 'Each outcome is specific, measurable and time-bound' },
        { id: 'E2', text: 'Each outcome follows from needs in section B' },
        { id: 'E3', text: 'Outcomes are about what the child will be able to do, not about the provision' },
      ],
    },
    {
      key: 'F',
      name: 'Section F: special educational provision',
      weight: 3,
      limiting: true,
      criteria: [
        { id: 'F1', text: 'Provision is specified and quantified: what, how much and how often' },
        { id: 'F2', text: 'It says who delivers each item and with what training' },
        { id: 'F3', text: 'Each need in section B is met by provision' },
        { id: 'F4', text: 'No vague wording (“access to”, “regular”, “as appropriate”, “up to”)' },
      ],
    },
    {
      key: 'G',
      name: 'Section G: health provision',
      weight: 1,
      limiting: false,
      criteria: [{ id: 'G1', text: 'Health provision is specified and agrees with the health advice in section K' }],
    },
    {
      key: 'H',
      name: 'Sections H1 and H2: social care provision',
      weight: 1,
      limiting: false,
      criteria: [
        { id: 'H1', text: 'Social care provision is specified and agrees with the social care advice in section K' },
      ],
    },
    {
      key: 'I',
      name: 'Section I: placement',
      weight: 1,
      limiting: false,
      criteria: [{ id: 'I1', text: 'The school or setting is named, with its type' }],
    },
    {
      key: 'J',
      name: 'Section J: personal budget',
      weight: 0.5,
      limiting: false,
      criteria: [{ id: 'J1', text: 'A personal budget is described where the family asked for one' }],
    },
    {
      key: 'K',
      name: 'Section K: advice and information',
      weight: 0.5,
      limiting: false,
      criteria: [
        { id: 'K1', text: 'All the advice gathered is listed, and the family’s corrections to the draft were made' },
      ],
    },
  ],
};

export interface GradeResult {
  grade: Grade;
  /** Overall score, 0-100. */
  score: number;
  /** Each section's share of applicable criteria met (0-1), or null with none applicable. */
  sections: { key: string; score: number | null }[];
  /** True when a limiting section capped the grade. */
  limited: boolean;
}

/** The criteria of a rubric not yet answered (an audit with any cannot be submitted). */
export function unanswered(rubric: Rubric, answers: Readonly<Record<string, Answer | undefined>>): Criterion[] {
  return rubric.sections.flatMap((s) => s.criteria.filter((c) => !answers[c.id]));
}

/** The grade a complete set of answers gives under a rubric. */
export function gradeAudit(rubric: Rubric, answers: Readonly<Record<string, Answer | undefined>>): GradeResult {
  const sections = rubric.sections.map((s) => {
    const applicable = s.criteria.filter((c) => answers[c.id] === 'met' || answers[c.id] === 'not_met');
    const met = applicable.filter((c) => answers[c.id] === 'met').length;
    return {
      key: s.key,
      weight: s.weight,
      limiting: s.limiting,
      score: applicable.length ? met / applicable.length : null,
    };
  });
  const counted = sections.filter((s) => s.score !== null && s.weight > 0);
  const weight = counted.reduce((a, s) => a + s.weight, 0);
  // Rounded to a thousandth of a point, so that a score exactly on a boundary is not lost to floating point.
  const score =
    weight > 0 ? Math.round((counted.reduce((a, s) => a + s.weight * s.score!, 0) / weight) * 100_000) / 1000 : 0;
  const { outstanding, good, requiresImprovement } = rubric.boundaries;
  let grade: Grade =
    score >= outstanding
      ? 'outstanding'
      : score >= good
        ? 'good'
        : score >= requiresImprovement
          ? 'requires_improvement'
          : 'inadequate';
  const limited = sections.some((s) => s.limiting && s.score !== null && s.score < 0.5);
  if (limited && (grade === 'outstanding' || grade === 'good')) grade = 'requires_improvement';
  return { grade, score, sections: sections.map(({ key, score: s }) => ({ key, score: s })), limited };
}

/** Problems with a rubric as an LA edits it, each named against its place. */
export function rubricProblems(rubric: Rubric): { field: string; text: string }[] {
  const problems: { field: string; text: string }[] = [];
  const ids = new Set<string>();
  const keys = new Set<string>();
  if (rubric.sections.length === 0) problems.push({ field: 'sections', text: 'The rubric needs at least one section' });
  rubric.sections.forEach((s, i) => {
    if (!s.key.trim() || keys.has(s.key))
      problems.push({ field: `section-${i}-key`, text: `Section ${i + 1} needs its own short key` });
    keys.add(s.key);
    if (!s.name.trim()) problems.push({ field: `section-${i}-name`, text: `Enter a name for section ${i + 1}` });
    if (!(s.weight >= 0 && s.weight <= 10)) {
      problems.push({ field: `section-${i}-weight`, text: `The weight of section ${i + 1} must be between 0 and 10` });
    }
    if (s.criteria.length === 0) {
      problems.push({ field: `section-${i}-criteria`, text: `Section ${i + 1} needs at least one criterion` });
    }
    s.criteria.forEach((c, k) => {
      if (!c.text.trim())
        problems.push({ field: `section-${i}-criterion-${k}`, text: `Enter criterion ${k + 1} of section ${i + 1}` });
      if (ids.has(c.id))
        problems.push({ field: `section-${i}-criterion-${k}`, text: `Criterion ${c.id} is used twice` });
      ids.add(c.id);
    });
  });
  if (rubric.sections.every((s) => s.weight === 0)) {
    problems.push({ field: 'section-0-weight', text: 'At least one section must have a weight above 0' });
  }
  const b = rubric.boundaries;
  if (!(
    b.outstanding <= 100 &&
    b.outstanding > b.good &&
    b.good > b.requiresImprovement &&
    b.requiresImprovement > 0
  )) {
    problems.push({
      field: 'boundaries',
      text: 'Grade boundaries must go down from Outstanding to Requires improvement, between 0 and 100',
    });
  }
  return problems;
}

/**
 * Whether changing a rubric would move the grade of any of these completed audits (their answers regraded under the
 * new rubric; criteria removed are dropped, criteria added count as not applicable). If so, the change must be a new
 * version.
 */
export function changesGrades(
  from: Rubric,
  to: Rubric,
  completed: readonly { answers: Readonly<Record<string, Answer | undefined>> }[],
): boolean {
  return completed.some((a) => gradeAudit(from, a.answers).grade !== gradeAudit(to, a.answers).grade);
}
