/**
 * Quality checks while an EHC plan is written, and as a summary before it is issued. They are warnings, not blocks:
 * the caseworker decides. Inspectors found plans imprecise ("access to", "regular support"), without the child's
 * voice, and with errors parents had pointed out left uncorrected; these checks catch what can be caught by reading.
 *
 * - The golden thread (casework/planContent.ts `planWarnings`): every need in B has an outcome in E and provision in
 *   F; every outcome and every provision item is linked to a need; outcomes have a timeframe; provision says who,
 *   how often and for how long.
 * - Vague wording in provision and outcomes, with the phrase marked where it stands.
 * - A section left empty although the advice in K covers its area (health advice but no health needs, say).
 * - The family's comments on the draft not answered: no version of the plan saved since they were received.
 */
import { planWarnings, type PlanContent, type PlanWarning } from '../casework/planContent.js';
import { formatLongDate, type LocalDate } from '../dates/localDate.js';

/**
 * Words that let provision or outcomes promise nothing measurable. Matched as whole words, in any case. Longer
 * phrases first, so that "support as needed" is reported as itself rather than as "as needed".
 */
export const VAGUE_PHRASES = [
  'support as needed',
  'opportunities to',
  'opportunity to',
  'as appropriate',
  'when appropriate',
  'if appropriate',
  'where appropriate',
  'where possible',
  'as required',
  'as needed',
  'when needed',
  'access to',
  'may benefit',
  'would benefit',
  'regularly',
  'regular',
  'up to',
] as const;

export interface VagueMatch {
  phrase: string;
  start: number;
  end: number;
}

/** A piece of text to show, marked where it is vague. */
export interface Segment {
  text: string;
  vague: boolean;
}

export interface QualityWarning extends PlanWarning {
  /** For vague wording: the words of the field, the vague phrases marked. */
  segments?: Segment[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const VAGUE = new RegExp(`(?<![\\p{L}\\p{N}])(${VAGUE_PHRASES.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');

/** The vague phrases in a text, in order, none overlapping. */
export function findVague(text: string): VagueMatch[] {
  const found: VagueMatch[] = [];
  for (const m of text.matchAll(VAGUE)) {
    found.push({ phrase: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/** The text cut into plain and vague pieces, for marking on a page. */
export function segments(text: string, matches: readonly VagueMatch[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of matches) {
    if (m.start > at) out.push({ text: text.slice(at, m.start), vague: false });
    out.push({ text: text.slice(m.start, m.end), vague: true });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), vague: false });
  return out;
}

/** Sections the advice of each kind speaks to: a plan with that advice and all of these empty is flagged. */
const ADVICE_AREAS: Record<string, { sections: (keyof PlanContent)[]; area: string }> = {
  health: { sections: ['C', 'G'], area: 'health needs and health provision (sections C and G)' },
  social_care: { sections: ['D', 'H1', 'H2'], area: 'social care needs and provision (sections D, H1 and H2)' },
};

export interface CheckContext {
  /** Dates the family's comments on the draft were received. */
  representationsReceived: readonly LocalDate[];
  /** The date the latest version of the plan was saved (null: never saved). */
  lastSavedOn: LocalDate | null;
}

/** The context of the checks from a case's timeline: the family's comments and the draft's saves. */
export function checkContextOf(events: readonly { type: string; occurredOn: string }[]): CheckContext {
  const saves = events.filter((e) => e.type === 'draft_plan_saved').map((e) => e.occurredOn as LocalDate);
  return {
    representationsReceived: events
      .filter((e) => e.type === 'family_representations')
      .map((e) => e.occurredOn as LocalDate),
    lastSavedOn: saves.length ? saves.reduce((a, b) => (a > b ? a : b)) : null,
  };
}

const isEmpty = (plan: PlanContent, section: keyof PlanContent) => {
  const value = plan[section];
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'string') return value.trim() === '';
  return value === null;
};

/** Every quality check on a plan, golden thread first, in section order within each kind. */
export function qualityChecks(plan: PlanContent, context: CheckContext): QualityWarning[] {
  const warnings: QualityWarning[] = planWarnings(plan);

  const vague = (section: keyof PlanContent, label: string, text: string) => {
    const matches = findVague(text);
    if (matches.length === 0) return;
    const phrases = [...new Set(matches.map((m) => `“${m.phrase}”`))].join(', ');
    warnings.push({
      section,
      text: `${label} uses vague wording (${phrases}): say exactly what, how much and how often`,
      segments: segments(text, matches),
    });
  };
  plan.E.forEach((o, i) => vague('E', `Outcome ${i + 1}`, o.text));
  plan.F.forEach((p, i) => {
    for (const [field, name] of [
      ['what', 'what'],
      ['who', 'who'],
      ['frequency', 'how often'],
      ['duration', 'for how long'],
    ] as const) {
      vague('F', `Provision ${i + 1} (${name})`, p[field]);
    }
  });
  for (const section of ['G', 'H1', 'H2'] as const) vague(section, `Section ${section}`, plan[section]);

  const adviceTypes = new Set(plan.K.filter((k) => k.receivedDate !== null).map((k) => k.adviceType));
  for (const [type, { sections, area }] of Object.entries(ADVICE_AREAS)) {
    if (adviceTypes.has(type) && sections.every((s) => isEmpty(plan, s))) {
      warnings.push({
        section: sections[0]!,
        text: `The ${type.replace('_', ' ')} advice in section K is not reflected: ${area} are empty`,
      });
    }
  }

  const unanswered = context.representationsReceived.filter(
    (d) => context.lastSavedOn === null || d > context.lastSavedOn,
  );
  if (unanswered.length > 0) {
    const latest = unanswered.reduce((a, b) => (a > b ? a : b));
    warnings.push({
      section: 'A',
      text: `The family’s comments on the draft (received ${formatLongDate(latest)}) are not answered yet: the plan has not been changed since`,
    });
  }
  return warnings;
}
