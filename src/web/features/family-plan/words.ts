/**
 * What the family's draft and final plan pages say, worked out once from the service's facts: each section of the plan
 * in plain words (headings, paragraphs, items), their rights on the draft, and the right of appeal and mediation with
 * its dates. The HTML page, the tagged PDF and the Word copy all write these same words (pdf.ts, docx.ts), so the
 * three formats cannot drift apart. No regulation numbers: the family reads these.
 */
import { familySectionNames, settingRightWords, type DraftResponse } from '../../../domain/casework/draftResponse.js';
import type { FamilyAudience } from '../../../domain/casework/familyView.js';
import type { PlanContent } from '../../../domain/casework/planContent.js';
import { ADVICE_TYPE_NAMES } from '../../../domain/casework/stages.js';
import { addDays, formatLongDate, londonDate, type LocalDate } from '../../../domain/dates/localDate.js';
import type { FamilyDraft, FamilyFinalPlan } from '../../../services/familyPlan/index.js';

export interface SectionWords {
  key: keyof PlanContent;
  /** The anchor on the page: "section-a". */
  id: string;
  heading: string;
  paragraphs: string[];
  items: { heading: string; lines: string[] }[];
}

const PLAN_ORDER: (keyof PlanContent)[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H1', 'H2', 'I', 'J', 'K'];
const NOTHING = 'Nothing is written in this section.';

const paragraphsOf = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/**
 * Each section of a plan in plain words, in the plan's order, headed for whoever reads it. `final` says whether
 * section I is filled in.
 */
export function planSections(plan: PlanContent, final: boolean, audience: FamilyAudience): SectionWords[] {
  const names = familySectionNames(audience);
  const needNo = new Map(plan.B.map((n, i) => [n.id, `need ${i + 1}`]));
  const outcomeNo = new Map(plan.E.map((o, i) => [o.id, `outcome ${i + 1}`]));
  return PLAN_ORDER.map((key) => {
    const words: SectionWords = {
      key,
      id: `section-${key.toLowerCase()}`,
      heading: names[key],
      paragraphs: [],
      items: [],
    };
    switch (key) {
      case 'B':
        words.items = plan.B.map((n, i) => ({ heading: `Need ${i + 1}`, lines: [n.text] }));
        break;
      case 'E':
        words.items = plan.E.map((o, i) => ({
          heading: `Outcome ${i + 1}`,
          lines: [
            o.text,
            ...(o.timeframe ? [`By when: ${o.timeframe}`] : []),
            ...(o.needIds.length ? [`Linked to: ${o.needIds.map((id) => needNo.get(id) ?? 'a need').join(', ')}`] : []),
          ],
        }));
        break;
      case 'F':
        words.items = plan.F.map((p, i) => ({
          heading: `Help ${i + 1}`,
          lines: [
            p.what,
            `Who gives it: ${p.who || 'not yet said'}`,
            `How often: ${p.frequency || 'not yet said'}`,
            `For how long: ${p.duration || 'not yet said'}`,
            ...(needNo.has(p.needId) || outcomeNo.has(p.outcomeId)
              ? [
                  `For ${[needNo.get(p.needId), outcomeNo.get(p.outcomeId) && `towards ${outcomeNo.get(p.outcomeId)}`]
                    .filter(Boolean)
                    .join(', ')}`,
                ]
              : []),
          ],
        }));
        break;
      case 'I':
        words.paragraphs =
          final && plan.I
            ? [
                plan.I.settingName,
                `Type: ${plan.I.settingType}`,
                ...(plan.I.settingUrn ? [`Unique reference number (URN): ${plan.I.settingUrn}`] : []),
              ]
            : [
                'This section is left blank in the draft. The council names the school or setting in the final plan. You can tell the council which one you want.',
              ];
        break;
      case 'K':
        words.items = plan.K.map((k) => ({
          heading: `${ADVICE_TYPE_NAMES[k.adviceType as keyof typeof ADVICE_TYPE_NAMES] ?? 'Advice'} from ${k.provider}`,
          lines: [k.receivedDate ? `Received ${formatLongDate(k.receivedDate as LocalDate)}` : 'Not yet received'],
        }));
        break;
      default:
        words.paragraphs = paragraphsOf(plan[key]);
    }
    if (words.paragraphs.length === 0 && words.items.length === 0) words.paragraphs = [NOTHING];
    return words;
  });
}

/** The draft page's facts in words: the deadline, what happens if they do not reply, their rights. */
export function draftWords(d: FamilyDraft) {
  const ends = d.windowEnds ? formatLongDate(d.windowEnds) : null;
  const finalFrom = d.windowEnds ? formatLongDate(addDays(d.windowEnds, 1)) : null;
  return {
    /** The pages' caption and the draft page's heading: "Your draft plan" to a young person. */
    planFor: d.audience === 'young_person' ? 'Your draft plan' : `Draft plan for ${d.childGivenName}`,
    settingRight: settingRightWords(d.audience),
    servedOn: formatLongDate(d.servedOn),
    deadline: ends
      ? d.late
        ? `The time to comment ended on ${ends}. You can still send your comments: the council will record them as late, and your caseworker will tell you whether they can still change the plan.`
        : `Send your comments by ${ends}.`
      : 'Send your comments within 15 days of getting the draft.',
    ifNot: finalFrom
      ? `If you do not send comments by then, the council can finish the plan without them. It can issue the final plan from ${finalFrom}.`
      : 'If you do not send comments in time, the council can finish the plan without them.',
    sentOn: d.sentAt ? formatLongDate(londonDate(d.sentAt)) : null,
  };
}

/** The family's response as a summary of answers (check your answers, and after sending). */
export function responseRows(r: DraftResponse, sections: SectionWords[]) {
  return {
    comments: sections
      .filter((s) => s.key !== 'I' && r.comments[s.key])
      .map((s) => ({ key: s.key, heading: s.heading, text: r.comments[s.key as keyof DraftResponse['comments']]! })),
    setting: r.preferredSetting
      ? `${r.preferredSetting}${r.settingUrn ? ` (URN ${r.settingUrn})` : ''}`
      : 'You have not named one',
    meeting: r.meetingRequested === null ? 'Not answered' : r.meetingRequested ? 'Yes' : 'No',
    meetingTopics: r.meetingTopics,
  };
}

/** A block of the final plan's words, in the order all three formats write them. */
export type Block = { kind: 'h1' | 'h2' | 'h3' | 'p'; text: string };

/** The right of appeal and mediation, in plain words with the dates worked out in the domain. */
export function rightsBlocks(p: FamilyFinalPlan): Block[] {
  const issued = formatLongDate(p.issuedOn);
  const appeal = formatLongDate(p.appeal.date);
  const moved = p.appeal.movedFrom
    ? [
        {
          kind: 'p' as const,
          text: `The time to appeal would end on ${formatLongDate(p.appeal.movedFrom)}. The Tribunal does not end appeal times ${
            p.appeal.moved === 'august' ? 'in August' : 'between 25 December and 1 January'
          }, so yours ends on ${appeal}.`,
        },
      ]
    : [];
  return [
    { kind: 'h2', text: 'If you disagree with the plan' },
    {
      kind: 'p',
      text: 'You can ask for mediation, or appeal to the First-tier Tribunal (Special Educational Needs and Disability), if you disagree with the special educational needs in section B, the help in section F, or the school or setting named in section I (or that none is named).',
    },
    { kind: 'h3', text: 'Mediation' },
    {
      kind: 'p',
      text: 'Mediation is a free meeting with an independent mediator to try to settle the disagreement with the council. Before you can appeal you must contact a mediation adviser, unless your appeal is only about the school or setting in section I. You do not have to go on to mediation, but the adviser must give you a certificate either way.',
    },
    {
      kind: 'p',
      text:
        p.today > p.mediationBy
          ? `The time to contact the mediation adviser ended on ${formatLongDate(p.mediationBy)}, 2 months from the date of this plan, ${issued}.`
          : `Contact the mediation adviser by ${formatLongDate(p.mediationBy)}. That is 2 months from the date of this plan, ${issued}.`,
    },
    { kind: 'h3', text: 'Appeal to the Tribunal' },
    {
      kind: 'p',
      text:
        p.today > p.appeal.date
          ? `The time to appeal ended on ${appeal}. The Tribunal can sometimes accept an appeal made late: your local SEND information, advice and support service can tell you more.`
          : p.certificateOn
            ? `Appeal by ${appeal}. That is the later of 2 months from the date of this plan (${issued}) and 1 month from the date of your mediation certificate (${formatLongDate(p.certificateOn)}).`
            : `Appeal by ${appeal}. That is 2 months from the date of this plan, ${issued}. If your mediation certificate is dated later, you have until 1 month from the date on the certificate, if that is later.`,
    },
    ...moved,
    {
      kind: 'p',
      text: 'Your caseworker, or your local SEND information, advice and support service, can help you with mediation or an appeal.',
    },
  ];
}

/** The final plan as blocks: its title, when it was issued, each section, then the right of appeal. */
export function finalPlanBlocks(p: FamilyFinalPlan): { title: string; blocks: Block[] } {
  const title = `Education, health and care plan for ${p.childName}`;
  const blocks: Block[] = [
    { kind: 'h1', text: title },
    { kind: 'p', text: `Issued on ${formatLongDate(p.issuedOn)}.` },
  ];
  for (const s of planSections(p.plan, true, p.audience)) {
    blocks.push({ kind: 'h2', text: s.heading });
    for (const para of s.paragraphs) blocks.push({ kind: 'p', text: para });
    for (const item of s.items) {
      blocks.push({ kind: 'h3', text: item.heading });
      for (const line of item.lines) blocks.push({ kind: 'p', text: line });
    }
  }
  blocks.push(...rightsBlocks(p));
  return { title, blocks };
}
