/**
 * The vagueness check for an improvement plan: what makes a commitment measurable (SMART: specific, measurable,
 * achievable, relevant, time-bound; and the government's FABRIC properties of performance information: focused,
 * appropriate, balanced, robust, integrated, cost-effective). A commitment is flagged, with the reason, when it has no
 * number, no date, no owner, no baseline or no data definition; when it leans on a vague verb with no measure behind
 * it; when its target has no trajectory; and a plan is flagged when nothing in it looks beyond the next 12 months.
 *
 * Two inputs: commitments as entered in the product (structured), and the text of an existing plan pasted in, from
 * which candidate commitments are read (`candidatesFromText`), so a board can see what in its plan is not measurable.
 */
import type { LocalDate } from '../dates/localDate.js';
import { addMonths } from '../dates/months.js';

export type VaguenessRule =
  'no_number' | 'no_date' | 'no_owner' | 'no_baseline' | 'no_definition' | 'vague_verb' | 'no_trajectory';

export interface VaguenessFlag {
  rule: VaguenessRule;
  message: string;
}

/** Verbs that promise effort rather than a result: vague unless a measure and a target stand behind them. */
export const VAGUE_VERBS = [
  'improve',
  'enhance',
  'strengthen',
  'work towards',
  'explore',
  'ensure',
  'develop',
  'support',
  'promote',
  'embed',
  'continue to',
  'seek to',
  'aim to',
  'review',
  'consider',
  'prioritise',
  'focus on',
  'raise awareness',
  'build on',
] as const;

/** A verb in any of its forms: improve, improves, improved, improving; embed, embeds, embedded, embedding. */
function verbForms(verb: string): string {
  if (verb.endsWith('e')) return `${verb.slice(0, -1)}(e|es|ed|ing)`;
  const doubled =
    /[aeiou][bdgmnpt]$/.test(verb) && !/[aeiou]{2}[bdgmnpt]$/.test(verb)
      ? `|${verb.slice(-1)}ed|${verb.slice(-1)}ing`
      : '';
  return `${verb}(s|ed|ing${doubled})?`;
}

const VAGUE_VERB_PATTERN = new RegExp(
  `\\b(${VAGUE_VERBS.map((phrase) => {
    const [first, ...rest] = phrase.split(' ');
    return [verbForms(first!), ...rest].join('\\s+');
  }).join('|')})\\b`,
  'i',
);

/** The vague verbs in a text, as written. */
export function vagueVerbsIn(text: string): string[] {
  const found: string[] = [];
  const re = new RegExp(VAGUE_VERB_PATTERN.source, 'gi');
  for (const m of text.matchAll(re)) found.push(m[0].toLowerCase().replace(/\s+/g, ' '));
  return [...new Set(found)];
}

export interface Commitment {
  /** What the commitment says, in words. */
  statement: string;
  /** A live measure of the product, or a manually entered monthly series. */
  measureId: string | null;
  manualSeries: { name: string; source: string; numerator: string; denominator: string } | null;
  polarity: 'increase' | 'decrease' | null;
  baseline: { value: number | null; period: string | null; n: number | null } | null;
  target: { value: number | null; date: LocalDate | null } | null;
  /** Milestones on the way to the target (or a monthly trajectory). */
  trajectory: { date: LocalDate; value: number }[];
  owner: { role: string | null; organisation: string | null } | null;
}

const MESSAGES: Record<VaguenessRule, string> = {
  no_number: 'No target number: say what value will be reached',
  no_date: 'No date: say when the target will be reached',
  no_owner: 'No owner: name the role and the organisation accountable',
  no_baseline: 'No baseline: say where things stand now (value and period) so progress can be judged',
  no_definition: 'No data definition: choose a live measure, or give the series, its source, numerator and denominator',
  vague_verb: 'A vague verb with no measure behind it',
  no_trajectory: 'A target with no trajectory: add milestones on the way, so a late plan shows early',
};

/** Targets further away than this need milestones on the way. */
export const TRAJECTORY_NEEDED_AFTER_MONTHS = 6;

/** The flags on one structured commitment. `today` decides whether a target is far enough off to need milestones. */
export function checkCommitment(c: Commitment, today: LocalDate): VaguenessFlag[] {
  const flags: VaguenessFlag[] = [];
  const flag = (rule: VaguenessRule, detail?: string) =>
    flags.push({ rule, message: detail ? `${MESSAGES[rule]}: ${detail}` : MESSAGES[rule] });
  const hasDefinition =
    c.measureId !== null ||
    (c.manualSeries !== null &&
      [c.manualSeries.name, c.manualSeries.source, c.manualSeries.numerator, c.manualSeries.denominator].every(
        (s) => s.trim() !== '',
      ));
  const hasTarget = c.target?.value !== null && c.target?.value !== undefined;
  if (!hasTarget) flag('no_number');
  if (!c.target?.date) flag('no_date');
  if (!c.owner?.role?.trim() || !c.owner.organisation?.trim()) flag('no_owner');
  if (c.baseline?.value === null || c.baseline?.value === undefined || !c.baseline.period?.trim()) flag('no_baseline');
  if (!hasDefinition) flag('no_definition');
  const verbs = vagueVerbsIn(c.statement);
  if (verbs.length > 0 && !(hasDefinition && hasTarget)) flag('vague_verb', `“${verbs.join('”, “')}”`);
  if (
    hasTarget &&
    c.target?.date &&
    c.target.date > addMonths(today, TRAJECTORY_NEEDED_AFTER_MONTHS) &&
    c.trajectory.filter((m) => m.date > today && m.date < c.target!.date!).length === 0
  ) {
    flag('no_trajectory');
  }
  return flags;
}

export interface PlanSummary {
  commitments: number;
  measurable: number;
  flagged: number;
  byRule: Record<VaguenessRule, number>;
  /** True when no objective or commitment looks beyond the next 12 months. */
  noLongTermObjective: boolean;
}

/** The plan-level summary: how many commitments are measurable, which rules fire most, and the long view. */
export function summarisePlan(
  commitments: readonly Commitment[],
  objectives: readonly { horizon: LocalDate | null }[],
  today: LocalDate,
): PlanSummary {
  const byRule = Object.fromEntries(Object.keys(MESSAGES).map((r) => [r, 0])) as Record<VaguenessRule, number>;
  let flagged = 0;
  for (const c of commitments) {
    const flags = checkCommitment(c, today);
    if (flags.length > 0) flagged++;
    for (const f of flags) byRule[f.rule]++;
  }
  const yearOn = addMonths(today, 12);
  const horizons = [...objectives.map((o) => o.horizon), ...commitments.map((c) => c.target?.date ?? null)];
  return {
    commitments: commitments.length,
    measurable: commitments.length - flagged,
    flagged,
    byRule,
    noLongTermObjective: !horizons.some((h) => h !== null && h > yearOn),
  };
}

/** The most text read from a pasted plan. */
export const MAX_PASTED_CHARACTERS = 200_000;

export interface TextSignals {
  number: boolean;
  date: boolean;
  owner: boolean;
  baseline: boolean;
  definition: boolean;
  trajectory: boolean;
}

export interface Candidate {
  /** The statement as written (tidied of list markers). */
  text: string;
  /** The heading it sits under, if any. */
  section: string | null;
  signals: TextSignals;
  flags: VaguenessFlag[];
}

const MONTH =
  '(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)';
const YEAR = '(19|20)\\d\\d';
const DATE = new RegExp(
  `\\b(${MONTH}\\s+${YEAR}|${YEAR}\\s*[/-]\\s*\\d\\d\\b|q[1-4]\\s*${YEAR}|(spring|summer|autumn|winter)\\s+(term\\s+)?${YEAR}|(by|in|during|from|until|before|end of)\\s+(the\\s+end\\s+of\\s+)?(${MONTH}\\s+)?${YEAR}|\\d{1,2}[/.]\\d{1,2}[/.]${YEAR}|${YEAR}-\\d\\d-\\d\\d|by\\s+${MONTH}\\b)`,
  'i',
);
/** A target value: a percentage, money, or a count of something (a number not followed by a unit of time). */
const NUMBER = new RegExp(
  `(\\d+(\\.\\d+)?\\s*(%|per\\s*cent|percent)|£\\s?\\d|[+]\\s?\\d+|\\b(?!${YEAR}\\b)\\d[\\d,]*(\\.\\d+)?\\b(?!\\s*(weeks?|days?|months?|years?|hours?)\\b)(?![/-]\\d))`,
  'i',
);
const OWNER =
  /\b(owner|owned by|lead(s|ing)?|led by|responsible|accountable|director|head of|manager|officer|chair|ICB|designated clinical officer|DCO|commissioner|principal|SENCOs?)\b/i;
const BASELINE =
  /\b(baseline|currently|at present|compared with|(19|20)\d\d figure)\b|\b(up |down )?from \d|\bwas \d|\d\s*(%|per cent) (now|today|in (19|20)\d\d|at (19|20)\d\d)/i;
const DEFINITION =
  /(\bmeasured (by|as|through|using)\b|\bdata (source|from)\b|\bsource:|\bnumerator\b|\bdenominator\b|\bSEN2\b|\bDfE (statistics|data|return)\b|\bsurvey\b|\bdashboard\b|\d+(\.\d+)?\s*(%|per\s*cent)\s+of\s+\w+)/i;
const TRAJECTORY =
  /\b(milestones?|trajectory|interim|quarterly|each quarter|every quarter|stepping|rising to|then\b.*\bby\b)/i;

/** Reads the signals of measurability in a statement. */
export function textSignals(text: string): TextSignals {
  const dates = text.match(new RegExp(DATE.source, 'gi')) ?? [];
  return {
    number: NUMBER.test(text.replace(new RegExp(DATE.source, 'gi'), ' ')),
    date: dates.length > 0,
    owner: OWNER.test(text),
    baseline: BASELINE.test(text),
    definition: DEFINITION.test(text),
    trajectory: TRAJECTORY.test(text) || new Set(dates.map((d) => d.toLowerCase())).size > 1,
  };
}

/** The flags a statement read from text earns. */
export function checkStatement(text: string): { signals: TextSignals; flags: VaguenessFlag[] } {
  const signals = textSignals(text);
  const flags: VaguenessFlag[] = [];
  const flag = (rule: VaguenessRule, detail?: string) =>
    flags.push({ rule, message: detail ? `${MESSAGES[rule]}: ${detail}` : MESSAGES[rule] });
  if (!signals.number) flag('no_number');
  if (!signals.date) flag('no_date');
  if (!signals.owner) flag('no_owner');
  if (!signals.baseline) flag('no_baseline');
  if (!signals.definition) flag('no_definition');
  const verbs = vagueVerbsIn(text);
  if (verbs.length > 0 && !signals.number) flag('vague_verb', `“${verbs.join('”, “')}”`);
  if (signals.number && signals.date && !signals.trajectory) flag('no_trajectory');
  return { signals, flags };
}

/**
 * Candidate commitments in a pasted plan (plain text or Markdown): list items, and the sentences of paragraphs, of
 * four words or more; headings name the section. Any text is accepted: a byte-order mark, control characters and
 * Windows line ends are tidied away, and at most MAX_PASTED_CHARACTERS are read (`truncated` says so).
 */
export function candidatesFromText(input: string): { candidates: Candidate[]; truncated: boolean } {
  const truncated = input.length > MAX_PASTED_CHARACTERS;
  const text = input
    .slice(0, MAX_PASTED_CHARACTERS)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
  const candidates: Candidate[] = [];
  let section: string | null = null;
  let paragraph: string[] = [];
  const add = (statement: string) => {
    const clean = statement.replace(/\s+/g, ' ').trim();
    if (clean.split(' ').length < 4) return;
    candidates.push({ text: clean, section, ...checkStatement(clean) });
  };
  const flushParagraph = () => {
    // Sentences: a full stop, question or exclamation mark followed by a space and a capital letter or a digit.
    for (const sentence of paragraph.join(' ').split(/(?<=[.!?])\s+(?=[A-Z0-9"“])/)) add(sentence);
    paragraph = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // A Markdown heading, or a short line ending in a colon ("Priority 1:"), names the section.
    const markdownHeading = /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    const labelHeading = line.endsWith(':') && line.split(/\s+/).length <= 8 ? line.slice(0, -1) : undefined;
    if (markdownHeading !== undefined || labelHeading !== undefined) {
      flushParagraph();
      section = (markdownHeading ?? labelHeading)!.trim() || section;
      continue;
    }
    const item = /^(?:[-*•+]|\d{1,3}[.)]|[a-z][.)]|\(\w{1,3}\))\s+(.*)$/i.exec(line);
    if (item) {
      flushParagraph();
      add(item[1]!);
      continue;
    }
    if (line === '') flushParagraph();
    else paragraph.push(line);
  }
  flushParagraph();
  return { candidates, truncated };
}
