/**
 * Plan content for the demo county: plausible sections A to K, written from phrase banks by primary need, so the
 * plan editor, the printable plan and the draft-to-final comparison have something real-looking to show. Some
 * provision is left unquantified on purpose, as real plans often are, so the quality warnings have work to do.
 */
import type { PlanContent } from '../domain/casework/planContent.js';
import type { Random } from './random.js';

const NEEDS: Record<string, string[]> = {
  ASD: [
    'Finds changes to routine very hard and becomes distressed without warning of them',
    'Has difficulty understanding other people’s intentions and joining in with play',
    'Is very sensitive to noise, and busy rooms make it hard to learn',
  ],
  SEMH: [
    'Becomes anxious in unstructured times such as break and lunch',
    'Finds it hard to manage strong feelings and can leave the classroom',
    'Has low confidence as a learner and avoids new tasks',
  ],
  SLCN: [
    'Has a limited vocabulary for a child of this age',
    'Finds it hard to follow instructions with more than two parts',
    'Speech is not always understood by unfamiliar adults',
  ],
  MLD: [
    'Is working well below age-related expectations in reading and number',
    'Needs new learning broken into small steps and repeated',
    'Finds it hard to remember information from one day to the next',
  ],
  SPLD: [
    'Has persistent difficulty with reading accuracy and spelling',
    'Writes slowly and with effort, which limits written work',
    'Finds it hard to organise belongings and written work',
  ],
  SLD: [
    'Has significant difficulties with learning across the curriculum',
    'Needs support with personal care and daily living skills',
    'Communicates with single words, signs and symbols',
  ],
  PD: [
    'Has limited fine motor control, making handwriting and cutting difficult',
    'Needs support to move safely around the school site',
    'Tires quickly and needs rest breaks during the day',
  ],
};

const OUTCOMES = [
  'will follow a visual timetable and move between activities with no more than one adult prompt',
  'will take part in a small group activity for 15 minutes',
  'will read a book at their level aloud with 90% accuracy',
  'will use strategies from their plan to calm down and return to learning within 10 minutes',
  'will follow a three-part instruction in class',
  'will write a paragraph of five sentences independently',
];

const TIMEFRAMES = [
  'by the end of this school year',
  'by the next annual review',
  'by the end of Key Stage 2',
  'within 12 months',
];

const PROVISION: [string, string, string, string][] = [
  [
    'Small group social communication sessions',
    'Trained teaching assistant',
    '2 sessions of 30 minutes a week',
    'for 12 months',
  ],
  [
    'Individual phonics and reading intervention',
    'Teaching assistant trained by the SENCo',
    '4 sessions of 20 minutes a week',
    'until the annual review',
  ],
  [
    'Speech and language therapy programme',
    'Speech and language therapist, delivered by a teaching assistant',
    '3 sessions of 15 minutes a week',
    'for 12 months',
  ],
  ['Access to a quiet space', 'Class teacher', 'as needed', ''],
  ['Regular check-ins with a trusted adult', 'Pastoral lead', '', ''],
  [
    'Occupational therapy advice built into the school day',
    'Class teacher with occupational therapist',
    'daily',
    'for 6 months, then reviewed',
  ],
];

const VIEWS = [
  '{name} likes animals, drawing and being outside. {name} says school is best when it is calm and when the adults explain what is happening next. {name}’s family hope {name} will make friends and feel confident.',
  '{name} enjoys football and building things. {name} would like help with reading "so I can read the football news". The family want {name} to be happy at school and to stay in a local school with friends.',
  '{name} loves music and games on the tablet. {name} finds the playground too loud. The family would like {name} to learn to travel independently and one day work with animals.',
];

/** A plan for a child, numbered ids from the given prefix (stable for a seed). */
export function demoPlanContent(r: Random, given: string, need: string, idPrefix: string): PlanContent {
  const bank = NEEDS[need] ?? NEEDS.MLD!;
  const needs = bank.slice(0, r.int(2, 3)).map((text, i) => ({ id: `${idPrefix}-n${i + 1}`, text }));
  const outcomes = needs.slice(0, 2).map((n, i) => ({
    id: `${idPrefix}-o${i + 1}`,
    text: `${given} ${r.pick(OUTCOMES)}`,
    needIds: [n.id],
    timeframe: r.chance(0.85) ? r.pick(TIMEFRAMES) : '',
  }));
  const provision = needs.map((n, i) => {
    const [what, who, frequency, duration] = r.pick(PROVISION);
    return {
      id: `${idPrefix}-p${i + 1}`,
      what,
      who,
      frequency,
      duration,
      needId: n.id,
      outcomeId: outcomes[i]?.id ?? '',
    };
  });
  return {
    A: r.pick(VIEWS).replaceAll('{name}', given),
    B: needs,
    C: r.chance(0.5)
      ? 'No health needs related to the special educational needs were identified in the health advice.'
      : `${given} is under the community paediatrician, who reviews sleep and medication each year.`,
    D: r.chance(0.7)
      ? 'No social care needs were identified.'
      : `The family receive short breaks support from the children with disabilities team.`,
    E: outcomes,
    F: provision,
    G: r.chance(0.5) ? 'None required.' : 'Annual review by the community paediatrician.',
    H1: 'None.',
    H2: 'None.',
    I: null,
    J: 'The family have not asked for a personal budget.',
    K: [],
  };
}
