/**
 * A family's view of their child's request, in the words a parent (or a young person, for themselves) uses: where it
 * is, what happens next and by when, what is late, and what has happened so far. Every date comes from the statutory
 * clock's duties (shared/reference/statutory-timescales.md part 0); nothing here promises what the record does not
 * hold. No regulation numbers: the family's page says what the law means for them, not where it is written.
 */
import { formatLongDate, type LocalDate } from '../dates/localDate.js';
import type { DutyStatus } from '../statutory/clock.js';
import { ADVICE_TYPE_NAMES, isStage, type Stage } from './stages.js';

/** Who the page speaks to: a parent or carer about their child, or a young person about themselves. */
export type FamilyAudience = 'parent' | 'young_person';

/** The words that change with who reads the page. */
interface Words {
  /** "your child's" or "your" */
  whose: string;
  /** "your child" or "you" */
  who: string;
}

function words(audience: FamilyAudience): Words {
  return audience === 'young_person' ? { whose: 'your', who: 'you' } : { whose: 'your child’s', who: 'your child' };
}

/** A date a sentence states, as the page's statutoryDate macro writes it (`<time datetime data-duty>`). */
export interface StatedDate {
  iso: LocalDate;
  /** The clock's duty the date is the due date of. */
  duty: string;
  text: string;
}

/** A sentence with one statutory date in it: `before` date `after`. */
export interface DatedSentence {
  before: string;
  date: StatedDate;
  after: string;
}

export interface FamilyDutyInput {
  id: string;
  due: LocalDate;
  completed: LocalDate | null;
  status: DutyStatus | 'ended';
}

export interface FamilyViewInput {
  audience: FamilyAudience;
  givenName: string;
  reference: string;
  stage: string;
  open: boolean;
  /** The clock's duties for the request (services/cases.ts caseClock); empty when they could not be worked out. */
  duties: readonly FamilyDutyInput[];
  /** The last day of the family's 15 days to comment on the draft plan (clock's draftCommentWindowEnds). */
  draftCommentWindowEnds: LocalDate | null;
  /** The advice requests' types by id (the clock names advice duties `advice:<id>`). */
  adviceTypes: Readonly<Record<string, string>>;
  caseworker: { name: string; email: string | null } | null;
  /** The timeline, newest first, as stored. */
  events: readonly { id: number; type: string; occurredOn: string; data: unknown }[];
  /** A draft plan has been sent to the family; a final plan has been issued. */
  draftServed: boolean;
  finalIssued: boolean;
  /** The day the family last saved their views (section A), or null when they have given none. */
  viewsGivenOn?: LocalDate | null;
}

/** The request page's part about the family's views (section A): what they gave, and what they can do now. */
export interface ViewsPart {
  /** "You gave your views on 1 April 2025." or that they have not. */
  said: string;
  /** The link to the views page: to give or change them, or to read them once they cannot be changed. */
  link: { text: string } | null;
  /**
   * Once views can no longer be given here: why, plainly, and what they can do instead (comment on the draft while
   * it is with them; contact the caseworker by name and email, or the council's SEND team without one).
   */
  closed: {
    reason: string;
    /** Offer the draft plan page to comment on (it is with them now). */
    commentOnDraft: boolean;
    /** "Contact your caseworker, Cas Worker" or the council's SEND team; the email to write to, when there is one. */
    contact: { text: string; email: string | null } | null;
  } | null;
}

export interface FamilyView {
  audience: FamilyAudience;
  /** "Ada’s request" or "Your request". */
  title: string;
  reference: string;
  /** Where the request is now, in a sentence. */
  now: string;
  /** What the council must do next, each with its due date: not yet due. */
  next: DatedSentence[];
  /** Steps not done by their due date: said plainly. */
  late: DatedSentence[];
  /** The warning over them: "A step is late." or "2 steps are late." */
  lateWarning: string | null;
  /** The family's own deadline to comment on the draft, while it is open and they have not yet sent their comments. */
  commentBy: DatedSentence | null;
  /** That they have sent their comments on the latest draft, and when. */
  commentsSent: string | null;
  /**
   * That the final plan will be late: its 20 weeks end before the family's 15 days to comment on the draft do, and
   * the council cannot issue it before those 15 days are over (reg 13(1)(a) before reg 13(2)).
   */
  finalWillBeLate: string | null;
  caseworker: { name: string; email: string | null } | null;
  /** What has happened so far, newest first, in plain words. */
  timeline: { date: string; text: string }[];
  /** Links to the draft and the final plan pages, once there is one to show. */
  draftServed: boolean;
  finalIssued: boolean;
  /** The family can give or change their views and documents (until the draft plan is sent). */
  canContribute: boolean;
  /** Why they no longer can, when they cannot. */
  contributeClosedReason: string | null;
  /** Their views (section A) on the request page. */
  views: ViewsPart;
}

/** The views part of the request page (see ViewsPart). */
function viewsPart(input: FamilyViewInput, canContribute: boolean): ViewsPart {
  const given = input.viewsGivenOn ?? null;
  const said = given ? `You gave your views on ${formatLongDate(given)}.` : 'You have not given your views yet.';
  if (canContribute) return { said, link: { text: given ? 'Change your views' : 'Give your views' }, closed: null };
  const link = given ? { text: 'Read your views' } : null;
  if (!input.draftServed) {
    return {
      said,
      link,
      closed: {
        reason: 'This request is closed, so views can no longer be given.',
        commentOnDraft: false,
        contact: null,
      },
    };
  }
  const cw = input.caseworker;
  const commentOnDraft = input.open && input.stage === 'draft_with_family' && !input.finalIssued;
  return {
    said: given ? said : 'You did not give your views here before the draft plan was sent.',
    link,
    closed: {
      reason: `${given ? 'Your views can no longer be changed' : 'Views can no longer be added'} here, because ${
        input.finalIssued ? 'the final plan has been issued' : 'the draft plan has been sent to you'
      }. You can still say what you think:`,
      commentOnDraft,
      contact: cw
        ? { text: `Contact your caseworker, ${cw.name}`, email: cw.email }
        : { text: 'Contact the council’s SEND team (no caseworker has been given to this request yet)', email: null },
    },
  };
}

const NOW: Record<Stage, (w: Words) => string> = {
  deciding_whether_to_assess: (w) => `The council is deciding whether to assess ${w.whose} needs.`,
  gathering_advice: (w) =>
    `The council is assessing ${w.whose} needs: it is asking professionals for advice about ${w.who}.`,
  deciding_whether_to_issue: (w) =>
    `The council has the advice and is deciding whether ${w.who} ${w.who === 'you' ? 'need' : 'needs'} an education, health and care (EHC) plan.`,
  drafting_plan: () => 'The council is writing a draft education, health and care (EHC) plan.',
  draft_with_family: () => 'The council has sent you the draft plan to read and comment on.',
  final_plan_issued: () => 'The final education, health and care (EHC) plan has been issued.',
  not_assessed: (w) => `The council decided not to assess ${w.whose} needs.`,
  not_issued: () => 'The council decided not to issue an education, health and care (EHC) plan.',
  withdrawn: () => 'The request was withdrawn.',
};

function adviceName(dutyId: string, adviceTypes: Readonly<Record<string, string>>): string {
  const type = adviceTypes[dutyId.slice('advice:'.length)];
  const name = type && type in ADVICE_TYPE_NAMES ? ADVICE_TYPE_NAMES[type as keyof typeof ADVICE_TYPE_NAMES] : null;
  return name ? `${name.toLowerCase()} advice` : 'advice';
}

/** A duty's due date and what it means, as a sentence: still to come, or late. Null for a duty a family is not told. */
function dutySentence(
  duty: FamilyDutyInput,
  late: boolean,
  w: Words,
  adviceTypes: Readonly<Record<string, string>>,
): DatedSentence | null {
  const date: StatedDate = { iso: duty.due, duty: duty.id, text: formatLongDate(duty.due) };
  if (duty.id.startsWith('advice:')) {
    const name = adviceName(duty.id, adviceTypes);
    return late
      ? { before: `This is late: the ${name} about ${w.who} was due by`, date, after: '.' }
      : { before: `The ${name} about ${w.who} is due by`, date, after: '.' };
  }
  switch (duty.id) {
    case 'decide_whether_to_assess':
      return late
        ? {
            before: 'This is late: the council should have told you by',
            date,
            after: ` whether it will assess ${w.whose} needs.`,
          }
        : { before: 'The council must tell you by', date, after: ` whether it will assess ${w.whose} needs.` };
    case 'notify_decision_not_to_issue':
      return late
        ? {
            before: 'This is late: the council should have told you by',
            date,
            after: ' whether it will issue an EHC plan.',
          }
        : { before: 'If the council decides not to issue an EHC plan, it must tell you by', date, after: '.' };
    case 'issue_final_plan':
      return late
        ? { before: 'This is late: the final plan should have been issued by', date, after: '.' }
        : { before: 'The final plan must be issued by', date, after: '.' };
    default:
      return null;
  }
}

/** A timeline event in a family's words; null for what a family is not shown (internal steps, exceptions). */
function eventText(type: string, data: unknown, w: Words): string | null {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const adviceType = typeof d.adviceType === 'string' && d.adviceType in ADVICE_TYPE_NAMES ? d.adviceType : null;
  const advice = adviceType
    ? `${ADVICE_TYPE_NAMES[adviceType as keyof typeof ADVICE_TYPE_NAMES].toLowerCase()} advice`
    : 'advice';
  switch (type) {
    case 'request_received':
      return 'The council received the request for an assessment.';
    case 'assessment_decision':
      return d.outcome === 'not_assess'
        ? `The council decided not to assess ${w.whose} needs.`
        : `The council decided to assess ${w.whose} needs.`;
    case 'advice_requested':
      return `The council asked for ${advice}.`;
    case 'advice_received':
      return `The council received the ${advice}.`;
    case 'issue_decision':
      return d.outcome === 'not_issue'
        ? 'The council decided not to issue an EHC plan.'
        : 'The council decided to issue an EHC plan and started writing the draft.';
    case 'draft_served':
      return 'The council sent you the draft plan.';
    case 'setting_consulted':
      return 'The council asked a school or setting whether it can meet the needs in the plan.';
    case 'consultation_reply':
      return 'A school or setting replied to the council.';
    case 'family_representations':
      return 'Your comments on the draft plan were recorded.';
    case 'final_plan_issued':
      return 'The final plan was issued.';
    case 'request_withdrawn':
      return 'The request was withdrawn.';
    case 'caseworker_assigned':
      return typeof d.caseworkerName === 'string' && d.caseworkerName
        ? `${d.caseworkerName} became the caseworker.`
        : 'The caseworker changed.';
    case 'family_views':
      return d.changed === true ? 'You changed your views.' : 'You gave your views.';
    case 'family_document':
      return 'You sent a document.';
    default:
      return null;
  }
}

/** The family's page for one request, from the clock and the timeline. */
export function familyView(input: FamilyViewInput, today: LocalDate): FamilyView {
  const w = words(input.audience);
  const stage = isStage(input.stage) ? input.stage : null;
  const next: DatedSentence[] = [];
  const late: DatedSentence[] = [];
  if (input.open) {
    for (const d of input.duties) {
      if (d.completed !== null || d.status === 'ended') continue;
      const isLate = d.status === 'overdue';
      const sentence = dutySentence(d, isLate, w, input.adviceTypes);
      if (sentence) (isLate ? late : next).push(sentence);
    }
  }
  const windowEnds = input.draftCommentWindowEnds;
  // The family's comments on the latest draft served (the timeline is newest first).
  const lastServed = input.events.findIndex((e) => e.type === 'draft_served');
  const sent =
    lastServed >= 0 ? input.events.slice(0, lastServed).find((e) => e.type === 'family_representations') : undefined;
  const finalDue = input.duties.find(
    (d) => d.id === 'issue_final_plan' && d.completed === null && d.status !== 'ended',
  );
  const finalWillBeLate =
    input.open && stage === 'draft_with_family' && windowEnds && finalDue && finalDue.due <= windowEnds
      ? `Your 15 days to comment end on ${formatLongDate(windowEnds)}, and the council cannot issue the final plan before then, so it will be issued after the date it was due.`
      : null;
  const commentBy =
    !sent && input.open && stage === 'draft_with_family' && windowEnds && windowEnds >= today
      ? {
          before: 'You have until',
          date: { iso: windowEnds, duty: 'draft_comments', text: formatLongDate(windowEnds) },
          after: ' to comment on the draft plan and to say which school or setting you want named in it.',
        }
      : null;
  const canContribute = input.open && !input.draftServed;
  return {
    audience: input.audience,
    title: input.audience === 'young_person' ? 'Your request' : `${input.givenName}’s request`,
    reference: input.reference,
    now: stage ? NOW[stage](w) : 'The council is working on the request.',
    next,
    late,
    lateWarning: late.length === 0 ? null : late.length === 1 ? 'A step is late.' : `${late.length} steps are late.`,
    commentBy,
    commentsSent: sent
      ? `You sent your comments on the draft plan on ${formatLongDate(sent.occurredOn as LocalDate)}.`
      : null,
    finalWillBeLate,
    caseworker: input.caseworker,
    timeline: input.events.flatMap((e) => {
      const text = eventText(e.type, e.data, w);
      return text ? [{ date: formatLongDate(e.occurredOn as LocalDate), text }] : [];
    }),
    draftServed: input.draftServed,
    finalIssued: input.finalIssued,
    canContribute,
    contributeClosedReason: canContribute
      ? null
      : input.draftServed
        ? 'The draft plan has been sent to you, so these views can no longer be changed here. To say what you think now, comment on the draft plan.'
        : 'The request is closed.',
    views: viewsPart(input, canContribute),
  };
}

/**
 * Section A of the plan: the views, interests and aspirations of the child and their parents, or of the young person
 * (SEND Regulations 2014 reg 12(1)(a)), as the family gives them, each part at most `maxLength` characters.
 */
export const VIEWS_FIELDS = [
  { name: 'about', parent: 'About your child', youngPerson: 'About you' },
  { name: 'strengths', parent: 'What they like and are good at', youngPerson: 'What you like and are good at' },
  { name: 'matters', parent: 'What matters to them', youngPerson: 'What matters to you' },
  { name: 'hopes', parent: 'Their hopes for the future', youngPerson: 'Your hopes for the future' },
  { name: 'support', parent: 'How they like to be supported', youngPerson: 'How you like to be supported' },
  { name: 'ownWords', parent: 'In your child’s own words', youngPerson: 'Anything else, in your own words' },
] as const;
export type ViewsField = (typeof VIEWS_FIELDS)[number]['name'];
export type ViewsContent = Partial<Record<ViewsField, string>>;
export const VIEWS_MAX_LENGTH = 3000;

/** The family's views from what was typed: each part trimmed, over-long parts named. */
export function readViews(
  input: Readonly<Record<string, unknown>>,
  audience: FamilyAudience,
): { content: ViewsContent; errors: { field: string; text: string }[] } {
  const content: ViewsContent = {};
  const errors: { field: string; text: string }[] = [];
  for (const f of VIEWS_FIELDS) {
    const raw = input[f.name];
    const value = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n').trim() : '';
    if (value.length > VIEWS_MAX_LENGTH) {
      const label = audience === 'young_person' ? f.youngPerson : f.parent;
      errors.push({ field: f.name, text: `${label} must be ${VIEWS_MAX_LENGTH} characters or fewer` });
    }
    if (value) content[f.name] = value;
  }
  if (errors.length === 0 && Object.keys(content).length === 0) {
    errors.push({ field: VIEWS_FIELDS[0].name, text: 'Write something in at least one of the boxes' });
  }
  return { content, errors };
}
