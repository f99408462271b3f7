/**
 * A move of the plan to another council as the family reads it, in plain words: the parent reads their child's name,
 * a young person reading their own is spoken to as "you". Every date comes from the domain; these words only say them.
 */
import { laName } from '../../../domain/casework/move.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import type { FamilyMove } from '../../../services/moves/index.js';

export type Block = { kind: 'h2' | 'p'; text: string; id?: string };

const long = (d: LocalDate) => formatLongDate(d);

/** The page's heading and paragraphs, in order. */
export function familyMoveWords(f: FamilyMove): { title: string; blocks: Block[] } {
  const you = f.audience === 'young_person';
  const whose = you ? 'your' : `${f.givenName}’s`;
  const council = laName(f.record.newLaCode) ?? `the council with code ${f.record.newLaCode}`;
  const blocks: Block[] = [];
  const r = f.record;
  if (f.holder === 'new_la' && f.newLa) {
    blocks.push({
      kind: 'p',
      id: 'holder',
      text: `${council} has held ${whose} education, health and care plan since ${long(r.transferredDate!)}. The plan is the same plan: ${council} must keep to it.`,
    });
    blocks.push({ kind: 'h2', text: 'What happens next' });
    blocks.push({
      kind: 'p',
      text: `${council} must write to you within 6 weeks of ${long(r.transferredDate!)}, by ${long(f.newLa.informParentBy)}. It will say whether it will assess ${you ? 'your' : `${f.givenName}’s`} needs again and when it will review the plan (SEND Regulations 2014 regulation 15(4)).`,
    });
    blocks.push({
      kind: 'p',
      text: `It must review the plan by ${long(f.newLa.reviewBy)} (regulation 15(5)).`,
    });
  } else {
    blocks.push({
      kind: 'p',
      id: 'holder',
      text: `${you ? 'You' : f.givenName} ${r.moveDate <= f.today ? 'moved' : you ? 'are moving' : 'is moving'} to ${council} on ${long(r.moveDate)}. We will send ${whose} plan to ${council} by ${long(f.transferBy)}. From then, ${council} holds the plan and must keep to it. Until then, we keep providing what the plan says.`,
    });
    blocks.push({
      kind: 'p',
      text: `You do not need to ask for a new plan. The law says how the plan moves: SEND Regulations 2014 regulation 15.`,
    });
  }
  const moved = f.holder === 'new_la' ? 'has moved' : 'is moving';
  return { title: `${you ? 'Your' : `${f.givenName}’s`} plan ${moved} to ${council}`, blocks };
}
