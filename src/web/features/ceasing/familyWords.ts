/**
 * A ceasing of the plan as the family reads it, in plain words: the parent reads their child's name, a young person
 * reading their own is spoken to as "you". Every date comes from the domain (the appeal and mediation dates, the day
 * the plan ends); these words only say them.
 */
import type { CeaseReason } from '../../../domain/casework/ceasing.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import type { FamilyCeasing } from '../../../services/ceasing/index.js';

export type Block = { kind: 'h2' | 'p'; text: string; id?: string };

const long = (d: LocalDate) => formatLongDate(d);

/** The reason, as a family reads it: `has` is "has" for a child, "have" for "you". */
function plainReason(reason: CeaseReason, who: string, you: boolean): string {
  const has = you ? 'have' : 'has';
  switch (reason) {
    case 'no_longer_necessary':
      return `the council thinks the help ${who} ${you ? 'need' : 'needs'} can be given without a plan`;
    case 'outcomes_met':
      return `${who} ${has} achieved the education or training outcomes in the plan`;
    case 'left_education':
      return `${who} ${has} left education or training and ${you ? 'do' : 'does'} not wish to go back`;
    case 'higher_education':
      return `${who} ${has} started higher education, such as university`;
    case 'paid_employment':
      return `${who} ${has} started paid work without training`;
    case 'moved_la':
      return `${who} ${has} moved to another council area in England`;
    case 'moved_outside_england':
      return `${who} ${has} moved outside England`;
    case 'max_age':
      return `${who} ${you ? 'turn' : 'turns'} 25 this academic year, when a plan ends`;
    case 'deceased':
      return `of ${you ? 'a death' : `${who}’s death. We are very sorry for your loss`}`;
  }
}

/** The page's heading and paragraphs, in order. */
export function familyCeasingWords(f: FamilyCeasing): { title: string; blocks: Block[] } {
  const you = f.audience === 'young_person';
  const who = you ? 'you' : f.givenName;
  const whose = you ? 'your' : `${f.givenName}’s`;
  const Whose = you ? 'Your' : `${f.givenName}’s`;
  const r = f.record;
  const reason = plainReason(r.reason, who, you);
  const title = `Ending ${whose} EHC plan`;
  const blocks: Block[] = [];
  const p = (text: string, id?: string) => blocks.push(id ? { kind: 'p', text, id } : { kind: 'p', text });

  if (r.ceasedDate) {
    p(`${Whose} education, health and care (EHC) plan ended on ${long(r.ceasedDate)}.`, 'ceasing-status');
    if (r.tribunalOutcome === 'dismissed') p('The Tribunal agreed with the council’s decision to end it.');
    return { title, blocks };
  }
  if (r.decision === null) {
    p(
      `The council is thinking about ending ${whose} education, health and care (EHC) plan, because ${reason}. It asked for your views on ${long(r.consultedDate)}.`,
      'ceasing-status',
    );
    p('The plan stays in place while the council decides. It will write to you with its decision.');
    return { title, blocks };
  }
  if (r.decision === 'maintain') {
    p(`The council decided on ${long(r.decisionDate!)} to keep ${whose} EHC plan. Nothing changes.`, 'ceasing-status');
    return { title, blocks };
  }
  if (r.tribunalOutcome === 'upheld') {
    p(`The Tribunal decided on ${long(r.tribunalDate!)} that ${whose} EHC plan stays in place.`, 'ceasing-status');
    return { title, blocks };
  }
  const d = f.dates!;
  p(
    `The council has decided to end ${whose} education, health and care (EHC) plan, because ${reason}. Its decision letter is dated ${long(r.decisionDate!)}.`,
    'ceasing-status',
  );
  if (r.appealLodgedDate) {
    p(
      `You appealed to the Tribunal on ${long(r.appealLodgedDate)}. The plan stays in place until the Tribunal decides.`,
    );
    return { title, blocks };
  }
  p(
    `The plan stays in place until ${long(d.maintainedUntil)}, the last day you can appeal. If you do not appeal, it ends on ${long(d.ceasesOn)}.`,
  );
  blocks.push({ kind: 'h2', text: 'If you disagree' });
  p(
    'You can ask for mediation, or appeal to the First-tier Tribunal (Special Educational Needs and Disability). Before you can appeal you must contact a mediation adviser. You do not have to go on to mediation, but the adviser must give you a certificate either way.',
  );
  p(
    f.today > d.mediationBy
      ? `The time to contact the mediation adviser ended on ${long(d.mediationBy)}, 2 months from the decision letter.`
      : `Contact the mediation adviser by ${long(d.mediationBy)}. That is 2 months from the decision letter.`,
  );
  p(
    f.today > d.appeal.date
      ? `The time to appeal ended on ${long(d.appeal.date)}.`
      : r.certificateDate
        ? `Appeal by ${long(d.appeal.date)}. That is the later of 2 months from the decision letter and 1 month from your mediation certificate (${long(r.certificateDate)}).`
        : `Appeal by ${long(d.appeal.date)}. That is 2 months from the decision letter. If your mediation certificate is dated later, you have until 1 month from the date on it, if that is later.`,
  );
  if (d.appeal.movedFrom) {
    p(
      `The time to appeal would end on ${long(d.appeal.movedFrom)}. The Tribunal does not end appeal times ${
        d.appeal.moved === 'august' ? 'in August' : 'between 25 December and 1 January'
      }, so yours ends on ${long(d.appeal.date)}.`,
    );
  }
  p(
    'Your caseworker, or your local SEND information, advice and support service, can help you with mediation or an appeal, and can tell you about other ways to settle a disagreement.',
  );
  return { title, blocks };
}
