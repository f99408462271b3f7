/**
 * A reassessment in the family's words (issue 28): the request, the decision and its date, and what happens next,
 * with the appeal and mediation dates after a refusal. Every sentence and date here comes from the domain's record
 * and dates; the template only lays the blocks out.
 */
import { REFUSAL_GROUNDS, type RefusalGround } from '../../../domain/casework/reassessment.js';
import { formatLongDate, type LocalDate } from '../../../domain/dates/localDate.js';
import type { FamilyReassessment } from '../../../services/reassessments/index.js';

const long = (d: LocalDate) => formatLongDate(d);

const GROUND_WORDS: Record<RefusalGround, string> = {
  within_six_months: 'it is less than 6 months since the last assessment',
  not_necessary: 'it thinks a new assessment is not needed',
};

export interface FamilyBlock {
  kind: 'h2' | 'p';
  text: string;
  id?: string;
}

export function familyReassessmentWords(f: FamilyReassessment): { title: string; blocks: FamilyBlock[] } {
  const r = f.record;
  const you = f.audience === 'young_person';
  const whose = you ? 'your' : `${f.givenName}’s`;
  const plan = `${whose} education, health and care (EHC) plan`;
  const needs = you ? 'your needs' : `${f.givenName}’s needs`;
  const blocks: FamilyBlock[] = [];
  const p = (text: string, id?: string) => blocks.push({ kind: 'p', text, ...(id ? { id } : {}) });
  const h2 = (text: string) => blocks.push({ kind: 'h2', text });

  h2('The request');
  if (r.requestedBy === 'council') {
    p(`On ${long(r.receivedDate)} the council decided to look at ${needs} again (a reassessment) and update ${plan}.`);
  } else {
    const by =
      r.requestedBy === 'parent' || r.requestedBy === 'young_person'
        ? 'your request'
        : r.requestedBy === 'school'
          ? 'a request from the school or college'
          : 'a request from the health service';
    p(`The council received ${by} for a new assessment of ${needs} (a reassessment) on ${long(r.receivedDate)}.`);
  }

  h2('The decision');
  const decide = f.duties.find((d) => d.id === 'decide_reassessment');
  if (r.decision === null) {
    p(
      `The council has not decided yet. It must tell you whether it will reassess by ${long(decide!.due)}: that is 15 days from the request.`,
      'decision',
    );
  } else if (r.decision === 'not_reassess') {
    const ground = r.refusalGround && (REFUSAL_GROUNDS as readonly string[]).includes(r.refusalGround);
    p(
      `On ${long(r.decisionDate!)} the council told you it will not reassess${ground ? `, because ${GROUND_WORDS[r.refusalGround!]}` : ''}. ${plan.charAt(0).toUpperCase() + plan.slice(1)} stays as it is.`,
      'decision',
    );
    if (f.refusalReason) p(`The council’s reasons: ${f.refusalReason}`);
    h2('If you disagree');
    p(
      `You can ask for mediation: contact the mediation adviser by ${long(f.appeal!.mediationBy)}. That is 2 months from the decision letter.`,
      'mediation',
    );
    p(
      `You can appeal to the SEND Tribunal by ${long(f.appeal!.appeal.date)}.${f.appeal!.appeal.moved === 'august' ? ' The 2 months end in August, so the Tribunal gives you until the first working day in September.' : f.appeal!.appeal.moved === 'christmas' ? ' The 2 months end over Christmas, so the Tribunal gives you until the next working day in January.' : ' That is 2 months from the decision letter.'} Before you appeal you must contact a mediation adviser and get a certificate from them, whether or not you go on to mediation (Children and Families Act 2014 s.55).`,
      'appeal',
    );
  } else {
    if (r.requestedBy !== 'council')
      p(`On ${long(r.decisionDate!)} the council told you it will reassess.`, 'decision');
  }

  if (r.decision === 'reassess') {
    h2('What happens next');
    const plan14 = f.duties.find((d) => d.id === 'issue_reassessed_plan')!;
    if (r.finalIssuedDate) {
      p(`The council sent the updated plan on ${long(r.finalIssuedDate)}.`, 'next');
    } else if (r.draftServedDate) {
      p(
        `The council sent you a draft of the updated plan on ${long(r.draftServedDate)}. You have until ${long(f.commentsEnd!)} to tell it what you think and which school or college you would like named.`,
        'next',
      );
    } else {
      p(
        `The council will ask the people who know ${you ? 'you' : f.givenName} (the school, health, an educational psychologist and others) for advice, then send you a draft of the updated plan.`,
        'next',
      );
    }
    if (!r.finalIssuedDate) {
      p(
        `The council must send the final plan by ${long(plan14.due)}: that is 14 weeks from the decision to reassess.${plan14.exceptions?.length ? ' The council has recorded a reason it may not be able to meet this date; it must still send the plan as soon as it can.' : ''}`,
        'final-by',
      );
    }
  }
  return { title: 'Reassessment of the plan', blocks };
}
