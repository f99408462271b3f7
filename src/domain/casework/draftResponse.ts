/**
 * A family's response to a draft EHC plan, as they write it online: a comment on any section, the school or setting
 * they want named (their right under section 38 of the Children and Families Act 2014), and whether they want a
 * meeting and what about. Kept as they write it (a family_contributions row of kind 'draft_response'), then sent as
 * the representations on the case. The names here are the ones a family reads: plain words, no regulation numbers.
 */
import { isValidUrn } from './codes.js';
import type { FamilyAudience } from './familyView.js';
import type { PlanContent } from './planContent.js';

/** The sections a family comments on, in the plan's order. I is blank in a draft: they name a setting on its own. */
export const COMMENT_SECTIONS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H1', 'H2', 'J', 'K'] as const;
export type CommentSection = (typeof COMMENT_SECTIONS)[number];

/** Each section of the plan as a family reads its heading. */
export const FAMILY_SECTION_NAMES: Record<keyof PlanContent, string> = {
  A: 'Section A: your child’s views, interests and hopes',
  B: 'Section B: special educational needs',
  C: 'Section C: health needs',
  D: 'Section D: social care needs',
  E: 'Section E: outcomes (what your child should achieve)',
  F: 'Section F: special educational help',
  G: 'Section G: health care help',
  H1: 'Section H1: social care help for disabled children',
  H2: 'Section H2: other social care help',
  I: 'Section I: school or setting',
  J: 'Section J: personal budget',
  K: 'Section K: advice and information',
};

/** The sections' headings as a young person reads them about their own plan: "your views", "what you should achieve". */
const YOUNG_PERSON_SECTION_NAMES: Record<keyof PlanContent, string> = {
  ...FAMILY_SECTION_NAMES,
  A: 'Section A: your views, interests and hopes',
  E: 'Section E: outcomes (what you should achieve)',
};

/** The sections' headings for whoever reads them: a parent or carer ("your child’s"), or the young person ("your"). */
export function familySectionNames(audience: FamilyAudience): Record<keyof PlanContent, string> {
  return audience === 'young_person' ? YOUNG_PERSON_SECTION_NAMES : FAMILY_SECTION_NAMES;
}

/**
 * What the law lets them ask for in section I (section 38 and 39 of the Children and Families Act 2014), in their
 * words: about "your child" for a parent or carer, about "you" for a young person.
 */
export function settingRightWords(audience: FamilyAudience): { summary: string; page: string } {
  const young = audience === 'young_person';
  const [whose, who] = young ? ['your', 'you'] : ['your child’s', 'your child'];
  const being = young ? 'you being there' : 'your child being there';
  return {
    summary: `You can say which school, college or other setting you want named in section I. The council must name it unless it is not suitable for ${whose} age, ability or special educational needs, or ${being} would get in the way of other children’s education or the efficient use of resources. This is your right under section 38 of the Children and Families Act 2014.`,
    page: `You can ask for a particular school, college or other setting to be named in section I of the final plan. The council must name it unless it is not suitable for ${who}, or ${being} would get in the way of other children’s education or the efficient use of resources.`,
  };
}

export function isCommentSection(value: unknown): value is CommentSection {
  return typeof value === 'string' && (COMMENT_SECTIONS as readonly string[]).includes(value);
}

export interface DraftResponse {
  comments: Partial<Record<CommentSection, string>>;
  preferredSetting: string;
  settingUrn: string;
  /** null until they answer. */
  meetingRequested: boolean | null;
  meetingTopics: string;
}

export const COMMENT_MAX = 10_000;
export const SETTING_MAX = 200;
export const TOPICS_MAX = 2_000;

export function emptyResponse(): DraftResponse {
  return { comments: {}, preferredSetting: '', settingUrn: '', meetingRequested: null, meetingTopics: '' };
}

/** Reads a stored response into the full shape (anything unknown is dropped). */
export function readResponse(stored: unknown): DraftResponse {
  const s = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const comments: DraftResponse['comments'] = {};
  const c = typeof s.comments === 'object' && s.comments !== null ? (s.comments as Record<string, unknown>) : {};
  for (const section of COMMENT_SECTIONS) if (str(c[section])) comments[section] = str(c[section]);
  return {
    comments,
    preferredSetting: str(s.preferredSetting),
    settingUrn: str(s.settingUrn),
    meetingRequested: typeof s.meetingRequested === 'boolean' ? s.meetingRequested : null,
    meetingTopics: str(s.meetingTopics),
  };
}

/** A change a family makes on one page of the response. */
export type ResponseChange =
  | { part: 'comment'; section: CommentSection; text: string }
  | { part: 'setting'; preferredSetting: string; settingUrn: string }
  | { part: 'meeting'; meetingRequested: boolean | null; meetingTopics: string };

export type ResponseProblem = { field: string; text: string };

/** What is wrong with a change, in a family's words, against the field at fault. */
export function responseProblems(change: ResponseChange): ResponseProblem[] {
  const problems: ResponseProblem[] = [];
  if (change.part === 'comment' && change.text.length > COMMENT_MAX) {
    problems.push({
      field: 'comment',
      text: `Your comment must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`,
    });
  }
  if (change.part === 'setting') {
    if (change.preferredSetting.length > SETTING_MAX) {
      problems.push({ field: 'preferredSetting', text: `The name must be ${SETTING_MAX} characters or fewer` });
    }
    if (change.settingUrn && !isValidUrn(change.settingUrn)) {
      problems.push({ field: 'settingUrn', text: 'Enter the URN as 6 numbers, like 117000, or leave it blank' });
    }
    if (change.settingUrn && !change.preferredSetting) {
      problems.push({ field: 'preferredSetting', text: 'Enter the name of the school or setting as well as its URN' });
    }
  }
  if (change.part === 'meeting') {
    if (change.meetingRequested === null) {
      problems.push({ field: 'meetingRequested', text: 'Select yes if you would like a meeting about the draft plan' });
    } else if (change.meetingRequested && !change.meetingTopics) {
      problems.push({ field: 'meetingTopics', text: 'Tell us what you would like to talk about at the meeting' });
    } else if (change.meetingTopics.length > TOPICS_MAX) {
      problems.push({
        field: 'meetingTopics',
        text: `What you would like to talk about must be ${TOPICS_MAX} characters or fewer`,
      });
    }
  }
  return problems;
}

/** The response with a change made. */
export function applyChange(response: DraftResponse, change: ResponseChange): DraftResponse {
  switch (change.part) {
    case 'comment': {
      const comments = { ...response.comments };
      if (change.text) comments[change.section] = change.text;
      else delete comments[change.section];
      return { ...response, comments };
    }
    case 'setting':
      return { ...response, preferredSetting: change.preferredSetting, settingUrn: change.settingUrn };
    case 'meeting':
      return {
        ...response,
        meetingRequested: change.meetingRequested,
        meetingTopics: change.meetingRequested ? change.meetingTopics : '',
      };
  }
}

/** Whether there is anything to send: a comment, a setting, or an answer about a meeting. */
export function hasContent(response: DraftResponse): boolean {
  return (
    Object.keys(response.comments).length > 0 || response.preferredSetting !== '' || response.meetingRequested !== null
  );
}

/** The fields of a response that differ between two versions, named as the family reads them (a stale form). */
export function responseDifferences(saved: DraftResponse, yours: DraftResponse) {
  const rows: { field: string; saved: string; yours: string }[] = [];
  for (const section of COMMENT_SECTIONS) {
    const a = saved.comments[section] ?? '';
    const b = yours.comments[section] ?? '';
    if (a !== b) rows.push({ field: `Your comment on ${FAMILY_SECTION_NAMES[section]}`, saved: a, yours: b });
  }
  if (saved.preferredSetting !== yours.preferredSetting)
    rows.push({ field: 'School or setting', saved: saved.preferredSetting, yours: yours.preferredSetting });
  if (saved.settingUrn !== yours.settingUrn)
    rows.push({ field: 'URN', saved: saved.settingUrn, yours: yours.settingUrn });
  const yesNo = (v: boolean | null) => (v === null ? '' : v ? 'Yes' : 'No');
  if (saved.meetingRequested !== yours.meetingRequested)
    rows.push({ field: 'Meeting', saved: yesNo(saved.meetingRequested), yours: yesNo(yours.meetingRequested) });
  if (saved.meetingTopics !== yours.meetingTopics)
    rows.push({ field: 'What to talk about', saved: saved.meetingTopics, yours: yours.meetingTopics });
  return rows;
}

/**
 * The representations as one text, for the places that read the case's comments as a whole (the quality checks,
 * older events): each section's comment under its heading.
 */
export function representationsText(response: DraftResponse): string {
  return COMMENT_SECTIONS.filter((s) => response.comments[s])
    .map((s) => `${FAMILY_SECTION_NAMES[s]}\n${response.comments[s]}`)
    .join('\n\n');
}

/** The family's response to the latest draft as they sent it online (a family_representations event from them). */
export interface SentResponse {
  sentOn: string;
  /** The letters of the sections they commented on, in the plan's order. */
  sections: CommentSection[];
  preferredSetting: string | null;
  settingUrn: string | null;
  meetingRequested: boolean;
  meetingTopics: string | null;
  /** Sent after their 15 days ended (still their response). */
  late: boolean;
}

/**
 * The response the family sent online to the draft served last, or null when they have not sent one since it was
 * served (a response to an earlier draft is not a response to the revised one). `events` are the case's timeline in
 * the clock's order (oldest first). What a caseworker typed in for them is not here: only what the family sent.
 */
export function responseToLatestDraft(
  events: readonly { type: string; occurredOn: string; data: unknown }[],
): SentResponse | null {
  const served = events.findLastIndex((e) => e.type === 'draft_served');
  if (served < 0) return null;
  const sent = events
    .slice(served + 1)
    .findLast(
      (e) =>
        e.type === 'family_representations' &&
        typeof e.data === 'object' &&
        e.data !== null &&
        (e.data as Record<string, unknown>).source === 'family_online',
    );
  if (!sent) return null;
  const d = sent.data as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const sections = typeof d.sections === 'object' && d.sections !== null ? (d.sections as Record<string, unknown>) : {};
  return {
    sentOn: sent.occurredOn,
    sections: COMMENT_SECTIONS.filter((s) => str(sections[s])),
    preferredSetting: str(d.preferredSetting),
    settingUrn: str(d.settingUrn),
    meetingRequested: d.meetingRequested === true,
    meetingTopics: str(d.meetingTopics),
    late: d.late === true,
  };
}

/** What the caseworker does about a family's response (SEND Regulations 2014 reg 13(1); CFA 2014 s.38-39). */
export type FollowUp =
  /** Read their comments and answer them (the draft may change: reg 13(1)(a) representations). */
  | { kind: 'answer_comments'; sections: CommentSection[] }
  /** They asked to meet an officer of the council about the draft (reg 13(1)(b)). */
  | { kind: 'arrange_meeting'; topics: string | null }
  /** The school they asked to be named, not yet consulted: the council must consult it (CFA 2014 s.39(2)). */
  | { kind: 'consult_named_setting'; name: string; urn: string | null };

const sameName = (a: string, b: string) =>
  a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The follow-up a response sent online needs, in the order to do it: answer the comments, arrange the meeting they
 * asked for, consult the school they named unless it has been consulted already (the same URN, or the same name
 * where either has no URN).
 */
export function followUps(
  response: SentResponse | null,
  consulted: readonly { settingName: string; settingUrn: string | null }[],
): FollowUp[] {
  if (!response) return [];
  const out: FollowUp[] = [];
  if (response.sections.length > 0) out.push({ kind: 'answer_comments', sections: response.sections });
  if (response.meetingRequested) out.push({ kind: 'arrange_meeting', topics: response.meetingTopics });
  const named = response.preferredSetting;
  if (named) {
    const urn = response.settingUrn;
    const already = consulted.some((c) =>
      urn && c.settingUrn ? c.settingUrn === urn : sameName(c.settingName, named),
    );
    if (!already) out.push({ kind: 'consult_named_setting', name: named, urn });
  }
  return out;
}
