/**
 * The facts a casework page states about a request, worked out here from the case record and its clock so that no
 * template decides them: every statutory date a page gives is the clock's date for the duty it names (a `StatedDate`,
 * which the `statutoryDate` macro writes as `<time datetime data-duty>`, so tests can check each one against the
 * clock), the next step with its deadline and status, the other actions, the advice still to come, the family's
 * comments and the timeline's text.
 */
import { ADVICE_TYPE_NAMES } from '../../../domain/casework/stages.js';
import { SECTION_NAMES } from '../../../domain/casework/planContent.js';
import type { CaseAction } from '../../../domain/casework/actions.js';
import { EXCEPTION_NAMES, OUTCOME_NAMES, eventName } from '../../../domain/casework/events.js';
import { CONSULTATION_RESPONSES, type ConsultationStatus } from '../../../domain/casework/consultation.js';
import { CONTACT_PREFERENCE_NAMES, CONTACT_RELATIONSHIP_NAMES } from '../../../domain/casework/codes.js';
import { actionName, whatToDoNext, type DoneSoFar, type Step } from '../../../domain/casework/nextStep.js';
import {
  followUps,
  responseToLatestDraft,
  type FollowUp,
  type SentResponse,
} from '../../../domain/casework/draftResponse.js';
import { DRAFT_COMMENT_DAYS } from '../../../domain/statutory/periods.js';
import { formatLongDate, parseLocalDate } from '../../../domain/dates/localDate.js';
import type { Services } from '../../../services/index.js';

export type CaseView = Awaited<ReturnType<Services['cases']['viewCase']>>;
type ClockDuty = CaseView['clock']['duties'][number];

/** A date a page states as a statutory deadline: the duty it belongs to, and the date as ISO and as words. */
export interface StatedDate {
  duty: string;
  iso: string;
  text: string;
}

/** How each duty status is shown (GOV.UK tag). */
export const STATUS_TAGS: Record<ClockDuty['status'], { text: string; classes: string }> = {
  met: { text: 'Met', classes: 'govuk-tag--green' },
  missed: { text: 'Missed', classes: 'govuk-tag--red' },
  pending: { text: 'Due', classes: 'govuk-tag--blue' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  ended: { text: 'Not needed', classes: 'govuk-tag--grey' },
};

/** How a consultation's status reads (domain/casework/consultation.ts). */
export const CONSULTATION_TAGS: Record<ConsultationStatus, { text: string; classes: string }> = {
  responded: { text: 'Replied', classes: 'govuk-tag--green' },
  due: { text: 'Due', classes: 'govuk-tag--blue' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
};

/** The settings consulted, each with its status's tag. */
export function consultationsView<T extends { status: ConsultationStatus }>(list: readonly T[]) {
  return list.map((c) => ({ ...c, tag: CONSULTATION_TAGS[c.status] }));
}

/** A quality audit's finding on the case: corrected, or still to correct (and so whether it can be marked done). */
export function findingsView<T extends { status: string }>(list: readonly T[]) {
  return list.map((f) => ({
    ...f,
    corrected: f.status === 'closed',
    tag:
      f.status === 'closed'
        ? { text: 'Corrected', classes: 'govuk-tag--green' }
        : { text: 'To correct', classes: 'govuk-tag--orange' },
  }));
}

/** Where each step's form lives, under /cases/:requestId/. */
export const ACTION_PATHS: Record<CaseAction, string> = {
  assessment_decision: 'assessment-decision',
  request_advice: 'advice/new',
  write_draft: 'plan/edit',
  issue_decision: 'issue-decision',
  draft_served: 'draft-served',
  consult_setting: 'consultations/new',
  family_representations: 'representations',
  final_plan_issued: 'final-plan',
  exception: 'exception',
  withdraw: 'withdraw',
};

const longDate = (iso: string) => {
  const d = parseLocalDate(iso);
  return d ? formatLongDate(d) : iso;
};

function stated(duty: ClockDuty | undefined): StatedDate | null {
  return duty ? { duty: duty.id, iso: duty.due, text: longDate(duty.due) } : null;
}

/** The clock's due date for one duty of the case, as a page states it; null when the case has no such duty. */
export function dueOf(record: CaseView, dutyId: string): StatedDate | null {
  return stated(record.clock.duties.find((d) => d.id === dutyId));
}

const lookup = (table: Record<string, string>, value: unknown) =>
  typeof value === 'string' ? (table[value] ?? value) : '';

/** The plain text under an event in the timeline (the timeline component escapes it: it is never HTML). */
export function timelineText(data: unknown): string {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (d.outcome) parts.push(`Outcome: ${lookup(OUTCOME_NAMES, d.outcome)}.`);
  if (d.adviceType) {
    const provider = typeof d.provider === 'string' && d.provider ? ` (${d.provider})` : '';
    parts.push(`${lookup(ADVICE_TYPE_NAMES, d.adviceType)}${provider}.`);
  }
  if (d.reason) parts.push(`${lookup(EXCEPTION_NAMES, d.reason)}.`);
  if (typeof d.settingName === 'string' && d.settingName) {
    const response = d.response ? `: ${lookup(CONSULTATION_RESPONSES, d.response)}` : '';
    parts.push(`${d.settingName}${response}.`);
  }
  if (typeof d.preferredSetting === 'string' && d.preferredSetting) {
    parts.push(`Would like ${d.preferredSetting} named.`);
  }
  if (d.dateNotKnown) parts.push('Brought over from a SEN2 return, which does not give this date.');
  if (d.source === 'sen2_import') parts.push('Brought over from a SEN2 return or import file.');
  return parts.join(' ');
}

export interface CaseFacts {
  /** Each duty's row: name, due date (stated), done, status tag and basis. */
  duties: {
    name: string;
    due: StatedDate;
    completed: string | null;
    tag: { text: string; classes: string };
    basis: string;
    /** An exception is recorded against the duty (its due date does not move: P11). */
    exception: boolean;
  }[];
  /** The statutory dates the step forms state. */
  decisionDue: StatedDate | null;
  notIssueDue: StatedDate | null;
  finalPlanDue: StatedDate | null;
  /** The last day of the family's 15 days to comment on the latest draft (reg 13(1)(a); rules P3, P4). */
  commentWindowEnds: StatedDate | null;
  /** Advice asked for and not yet received, with its due date. */
  outstandingAdvice: { id: string; name: string; provider: string; due: StatedDate | null; overdue: boolean }[];
  /** The family's comments on the draft, oldest first. */
  representations: { text: string; preferredSetting: string | null; receivedOn: string }[];
  timeline: { label: string; text: string; date: string; byline: string | null }[];
  /** Who the council contacts about the request, and how; null when none was recorded (older or imported requests). */
  contact: {
    name: string;
    relationship: string;
    email: string | null;
    phone: string | null;
    /** The postal address's lines, as typed (none when not given). */
    addressLines: string[];
    preference: string;
  } | null;
}

export function caseFacts(record: CaseView): CaseFacts {
  const duties = record.clock.duties;
  const byId = (id: string) => duties.find((d) => d.id === id);
  const outstanding = record.advice.filter((a) => a.receivedDate === null);
  const window = record.clock.draftCommentWindowEnds;
  return {
    duties: duties.map((d) => ({
      name: d.name,
      due: stated(d)!,
      completed: d.completed,
      tag: STATUS_TAGS[d.status],
      basis: d.basis,
      exception: (d.exceptions?.length ?? 0) > 0,
    })),
    decisionDue: stated(byId('decide_whether_to_assess')),
    notIssueDue: stated(byId('notify_decision_not_to_issue')),
    finalPlanDue: stated(byId('issue_final_plan')),
    commentWindowEnds: window ? { duty: 'draft_comment_window', iso: window, text: longDate(window) } : null,
    outstandingAdvice: outstanding.map((a) => {
      const duty = byId(`advice:${a.id}`);
      return {
        id: a.id,
        name: lookup(ADVICE_TYPE_NAMES, a.adviceType),
        provider: a.provider,
        due: stated(duty),
        overdue: duty?.status === 'overdue',
      };
    }),
    representations: record.events.filter((e) => e.type === 'family_representations').map(representationView),
    contact: record.contact?.name
      ? {
          name: record.contact.name,
          relationship: lookup(CONTACT_RELATIONSHIP_NAMES, record.contact.relationship),
          email: record.contact.email,
          phone: record.contact.phone,
          addressLines: (record.contact.address ?? '')
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean),
          preference: lookup(CONTACT_PREFERENCE_NAMES, record.contact.preference),
        }
      : null,
    timeline: record.events.map((e) => ({
      label: eventName(e.type),
      text: timelineText(e.data),
      date: e.occurredOn,
      byline: e.actorName,
    })),
  };
}

/**
 * The family's comments on a draft as the case pages show them: sent online by the family, each section's comment
 * under the section's name (in the plan's order), the setting with its URN, the meeting and what about, and whether
 * it came after the 15 days; recorded by a caseworker, the text they typed.
 */
export function representationView(e: { occurredOn: string; data: unknown; actorName: string | null }) {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const online = data.source === 'family_online';
  const sections = (typeof data.sections === 'object' && data.sections !== null ? data.sections : {}) as Record<
    string,
    unknown
  >;
  return {
    online,
    text: str(data.representations),
    sections: online
      ? (Object.keys(SECTION_NAMES) as (keyof typeof SECTION_NAMES)[])
          .filter((k) => str(sections[k]))
          .map((k) => ({ key: k, heading: SECTION_NAMES[k], text: str(sections[k]) }))
      : [],
    preferredSetting: str(data.preferredSetting) || null,
    settingUrn: str(data.settingUrn) || null,
    meetingRequested: data.meetingRequested === true,
    meetingTopics: str(data.meetingTopics) || null,
    late: data.late === true,
    receivedOn: e.occurredOn,
    by: e.actorName,
  };
}

/**
 * The family's latest comments sent online, by section, for the plan editor to show beside each section. The case's
 * events are newest first: the first online response found is the latest.
 */
export function familyCommentsBySection(
  events: readonly { type: string; occurredOn: string; data: unknown; actorName: string | null }[],
) {
  const latest = events
    .filter((e) => e.type === 'family_representations')
    .map(representationView)
    .find((r) => r.online);
  return Object.fromEntries(
    (latest?.sections ?? []).map((c) => [c.key, { text: c.text, receivedOn: latest!.receivedOn }]),
  );
}

export interface NextStepView {
  text: string;
  href: string;
  /** The deadline the step answers to, its status and the law behind it; null when the clock has none for it. */
  deadline: { name: string; due: StatedDate; tag: { text: string; classes: string }; basis: string } | null;
}

/** The family's response to the latest draft sent online, as the case page's "What to do next" states it. */
export interface FamilyResponseView {
  /** "The family sent their response to the draft online on 1 April 2025." (with "after their 15 days" when late) */
  text: string;
  /** What to do about it: each a sentence, linked where the service has a page for it. */
  followUps: { text: string; href: string | null }[];
}

/** The family's response to the latest draft sent online (the case's events are newest first), or null. */
export function sentResponse(record: Pick<CaseView, 'events'>): SentResponse | null {
  return responseToLatestDraft([...record.events].reverse());
}

const sectionList = (sections: readonly string[]) =>
  sections.length === 1
    ? `section ${sections[0]}`
    : `sections ${sections.slice(0, -1).join(', ')} and ${sections.at(-1)}`;

const settingWithUrn = (name: string, urn: string | null) => (urn ? `${name} (URN ${urn})` : name);

/** What the arrange-the-meeting step needs to say: the meeting's date once recorded, and when the final plan is due. */
interface MeetingFacts {
  meetingOn: string | null;
  finalDue: string | null;
}

function followUpView(
  f: FollowUp,
  base: string,
  meeting: MeetingFacts = { meetingOn: null, finalDue: null },
): { text: string; href: string | null } {
  switch (f.kind) {
    case 'answer_comments':
      return { text: `Read and answer their comments on ${sectionList(f.sections)}`, href: '#family-comments' };
    case 'arrange_meeting':
      // Reg 13(1)(b): the meeting is with an officer of the council, before the plan is finalised.
      return meeting.meetingOn
        ? { text: `Meeting with the family arranged for ${longDate(meeting.meetingOn)}`, href: null }
        : {
            text:
              `Arrange the meeting they asked for${f.topics ? `, to talk about: ${f.topics}` : ''}. ` +
              `Contact them (see Who to contact) and hold it before you issue the final plan` +
              `${meeting.finalDue ? `, due by ${longDate(meeting.finalDue)}` : ''}, then record its date`,
            href: `${base}/meeting`,
          };
    case 'consult_named_setting':
      return {
        text: `Consult ${settingWithUrn(f.name, f.urn)}, the school or setting they named, about section I`,
        href: `${base}/${ACTION_PATHS.consult_setting}`,
      };
  }
}

/** The meeting arranged since the draft was last served (events newest first), and the final plan's due date. */
function meetingFacts(record: CaseView): MeetingFacts {
  const lastServed = record.events.findIndex((e) => e.type === 'draft_served');
  const arranged = record.events
    .slice(0, lastServed < 0 ? record.events.length : lastServed)
    .find((e) => e.type === 'family_meeting_arranged');
  const meetingOn = (arranged?.data as { meetingOn?: unknown } | null)?.meetingOn;
  const final = record.clock.duties.find((d) => d.id === 'issue_final_plan' && d.completed === null);
  return { meetingOn: typeof meetingOn === 'string' ? meetingOn : null, finalDue: final?.due ?? null };
}

/**
 * The case page's "What to do next": the next statutory step with its deadline and status, then the other actions;
 * once the family has sent their response to the draft online, what it asks of the caseworker (the school they named
 * is then the next step until it is consulted). Empty when the request is closed or the user may not record casework.
 */
export function nextStepsView(
  record: CaseView,
  consultations: readonly { settingName: string; settingUrn: string | null }[],
): { next: NextStepView | null; others: { text: string; href: string }[]; familyResponse: FamilyResponseView | null } {
  const response = sentResponse(record);
  const follow = record.request.stage === 'draft_with_family' ? followUps(response, consultations) : [];
  const named = follow.find((f) => f.kind === 'consult_named_setting');
  const done: DoneSoFar = {
    adviceRequested: record.advice.length > 0,
    draftWritten: record.plan !== null,
    draftSent: record.request.draftServedDate !== null,
    settingConsulted: consultations.length > 0,
    familyCommented: record.events.some((e) => e.type === 'family_representations'),
    commentWindowOpen:
      record.clock.draftCommentWindowEnds !== null && record.today <= record.clock.draftCommentWindowEnds,
    namedSettingToConsult: named !== undefined,
  };
  const plan = whatToDoNext(record.request.stage, record.clock.duties, record.advice, done);
  const base = `/cases/${record.request.id}`;
  const link = (step: Step) => {
    if (step.action === 'advice_received') {
      const advice = record.advice.find((a) => a.id === step.adviceId)!;
      return {
        text: `Record ${lookup(ADVICE_TYPE_NAMES, advice.adviceType).toLowerCase()} advice received from ${advice.provider}`,
        href: `${base}/advice/${advice.id}/received`,
      };
    }
    if (step.action === 'consult_setting' && named) {
      return { text: followUpView(named, base).text, href: `${base}/${ACTION_PATHS.consult_setting}` };
    }
    return { text: actionName(step.action, done), href: `${base}/${ACTION_PATHS[step.action]}` };
  };
  let next: NextStepView | null = null;
  if (plan.next) {
    const duty = plan.next.duty ? record.clock.duties.find((d) => d.id === plan.next!.duty!.id) : undefined;
    next = {
      ...link(plan.next.step),
      deadline: duty ? { name: duty.name, due: stated(duty)!, tag: STATUS_TAGS[duty.status], basis: duty.basis } : null,
    };
  }
  const familyResponse =
    response && plan.next && record.request.stage === 'draft_with_family'
      ? {
          text: `The family sent their response to the draft online on ${longDate(response.sentOn)}${
            response.late ? `, after their ${DRAFT_COMMENT_DAYS} days to comment` : ''
          }.`,
          // The school they named is the next step itself; the rest is said here.
          followUps: follow
            .filter((f) => f.kind !== 'consult_named_setting')
            .map((f) => followUpView(f, base, meetingFacts(record))),
        }
      : null;
  return { next, others: plan.others.map(link), familyResponse };
}

/**
 * What the final-plan form says when the family sent their response to the latest draft online: the service knows
 * they have responded (reg 13(1)(a)), so the form does not ask; null when they have not.
 */
export function finalPlanResponse(record: Pick<CaseView, 'events'>): string | null {
  const response = sentResponse(record);
  return response
    ? `The family sent their response to the draft online on ${longDate(response.sentOn)}${
        response.late ? '' : `, so the plan can be issued before their ${DRAFT_COMMENT_DAYS} days to comment end`
      }.`
    : null;
}
