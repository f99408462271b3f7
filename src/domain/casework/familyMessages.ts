/**
 * The messages a family is sent as their child's request moves on (an email, and a text message as well when they
 * chose it): what changed, what they can do, and the link to their page. A message never holds the child's full
 * name: the given name only (and the request's reference), or nothing of the name in a text message's preview
 * beyond it. Plain English, no regulation numbers.
 */
import { formatLongDate, type LocalDate } from '../dates/localDate.js';
import type { FamilyAudience } from './familyView.js';
import { ADVICE_TYPE_NAMES } from './stages.js';

/** What happened that the family is told about. */
export type FamilyNews =
  | { kind: 'assessment_decision'; outcome: 'assess' | 'not_assess' }
  | { kind: 'advice_in' }
  | { kind: 'draft_served'; commentBy: LocalDate | null }
  | { kind: 'final_plan' }
  | { kind: 'caseworker'; caseworkerId: string; name: string }
  | { kind: 'late'; duty: string; due: LocalDate };

export interface FamilyMessage {
  subject: string;
  body: string;
  /** The text message: short, the same news, the link. */
  sms: string;
}

/** The change, after a casework step, that a family is told about: from the step's events and new stage. */
export function familyNewsOf(
  events: readonly { type: string; data?: Record<string, unknown> }[],
  newStage: string | undefined,
  commentBy: LocalDate | null,
): FamilyNews[] {
  const news: FamilyNews[] = [];
  for (const e of events) {
    const data = e.data ?? {};
    if (e.type === 'assessment_decision') {
      news.push({ kind: 'assessment_decision', outcome: data.outcome === 'not_assess' ? 'not_assess' : 'assess' });
    } else if (e.type === 'draft_served') {
      news.push({ kind: 'draft_served', commentBy });
    } else if (e.type === 'final_plan_issued') {
      news.push({ kind: 'final_plan' });
    } else if (
      e.type === 'caseworker_assigned' &&
      typeof data.caseworkerId === 'string' &&
      typeof data.caseworkerName === 'string' &&
      data.caseworkerName
    ) {
      news.push({ kind: 'caseworker', caseworkerId: data.caseworkerId, name: data.caseworkerName });
    }
  }
  // All the advice is in: the stage machine moves the case on to deciding whether to issue a plan.
  if (newStage === 'deciding_whether_to_issue' && events.some((e) => e.type === 'advice_received')) {
    news.push({ kind: 'advice_in' });
  }
  return news;
}

/** The late step, in the family's words (the duty the caseload stores: `advice:<type>` for advice). */
function lateStep(duty: string, whose: string): string {
  if (duty.startsWith('advice:')) {
    const type = duty.slice('advice:'.length);
    const name = type in ADVICE_TYPE_NAMES ? ADVICE_TYPE_NAMES[type as keyof typeof ADVICE_TYPE_NAMES] : null;
    return name ? `The ${name.toLowerCase()} advice` : 'Some advice';
  }
  if (duty === 'decide_whether_to_assess') return `The decision whether to assess ${whose} needs`;
  if (duty === 'notify_decision_not_to_issue') return 'The decision whether to issue an EHC plan';
  if (duty === 'issue_final_plan') return 'The final EHC plan';
  return 'A step in the request';
}

/**
 * The message for one piece of news. `givenName` is the child's given name (never the family name); `link` the
 * family's page for the request.
 */
export function familyMessage(
  news: FamilyNews,
  to: { audience: FamilyAudience; givenName: string; reference: string; link: string },
): FamilyMessage {
  const young = to.audience === 'young_person';
  const whose = young ? 'your' : `${to.givenName}’s`;
  const about = young ? 'your request' : `${to.givenName}’s request`;
  const see = `See what happens next: ${to.link}`;
  const ref = `(request ${to.reference})`;
  const make = (subject: string, lines: string[], sms: string): FamilyMessage => ({
    subject,
    body: [...lines, see].join('\n\n'),
    sms: `${sms} ${to.link}`,
  });
  switch (news.kind) {
    case 'assessment_decision':
      return news.outcome === 'assess'
        ? make(
            `The council will assess ${whose} needs`,
            [
              `The council has decided to assess ${whose} needs ${ref}.`,
              'It will now ask professionals for advice. You can give your views, and send reports or letters you have, on the service.',
            ],
            `The council will assess ${whose} needs. Give your views and see what happens next:`,
          )
        : make(
            `The council has decided not to assess ${whose} needs`,
            [
              `The council has decided not to assess ${whose} needs ${ref}. It will write to you with its reasons.`,
              'If you disagree, you can ask for mediation and appeal to the SEND Tribunal. The letter says how and by when.',
            ],
            `The council has decided not to assess ${whose} needs. See more:`,
          );
    case 'advice_in':
      return make(
        `All the advice for ${about} is in`,
        [
          `All the advice the council asked for about ${young ? 'you' : to.givenName} is in ${ref}.`,
          'The council will now decide whether to issue an EHC plan.',
        ],
        `All the advice for ${about} is in. The council will now decide whether to issue a plan:`,
      );
    case 'draft_served': {
      const by = news.commentBy ? formatLongDate(news.commentBy) : null;
      return make(
        `The draft plan for ${about} is ready to read`,
        [
          `The council has sent you the draft EHC plan ${ref}.`,
          by
            ? `You have until ${by} to comment on it, to ask for a meeting, and to say which school or setting you want named in it.`
            : 'You have 15 days to comment on it, to ask for a meeting, and to say which school or setting you want named in it.',
        ],
        by ? `The draft plan is ready. Comment by ${by}:` : 'The draft plan is ready. You have 15 days to comment:',
      );
    }
    case 'final_plan':
      return make(
        `The final plan for ${about} has been issued`,
        [
          `The council has issued the final EHC plan ${ref}.`,
          'You can read it and download it on the service. If you disagree with it, the plan’s page explains mediation and your right of appeal.',
        ],
        'The final plan has been issued. Read it and download it:',
      );
    case 'caseworker':
      return make(
        `${news.name} is the caseworker for ${about}`,
        [`${news.name} is now the caseworker for ${about} ${ref}. Their contact details are on the service.`],
        `${news.name} is now the caseworker for ${about}. Contact details:`,
      );
    case 'late': {
      const step = lateStep(news.duty, whose);
      const due = formatLongDate(news.due);
      return make(
        `A step in ${about} is late`,
        [
          `${step} was due by ${due} and is late ${ref}.`,
          'You can ask your caseworker why, and when it will be done. If you are not happy with the answer, you can complain to the council.',
        ],
        `${step} was due by ${due} and is late. See more:`,
      );
    }
  }
}

/** The dedupe key of one piece of news for one person on one channel: each is sent once. */
export function familyMessageKey(
  news: FamilyNews,
  requestId: string,
  userId: string,
  channel: 'email' | 'sms',
  on: LocalDate,
): string {
  const what =
    news.kind === 'caseworker'
      ? `caseworker:${news.caseworkerId}`
      : news.kind === 'late'
        ? `late:${news.duty}:${news.due}`
        : news.kind === 'draft_served'
          ? `draft_served:${on}`
          : news.kind;
  return `family:${requestId}:${what}:${userId}:${channel}`;
}
