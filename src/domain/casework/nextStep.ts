/**
 * "What to do next" on a request: the next statutory step first, with the duty whose deadline it answers to, then the
 * other things the caseworker may do at this stage (see `actionName`), named for what they are now (a step already done and open to be
 * done again says so: "Request more advice", not "Request advice").
 *
 * The step follows the order of the assessment (SEND Regulations 2014): decide whether to assess (reg 5(1), 6 weeks);
 * gather advice, each due 6 weeks after it was asked for (reg 8(1)); decide whether to issue a plan (a decision not to
 * must reach the family within 16 weeks, reg 10(1)); draft, send the draft, and issue the final plan within 20 weeks
 * (reg 13(2)).
 */
import type { DutyStatus } from '../statutory/clock.js';
import { CASE_ACTIONS, actionsAt, type CaseAction } from './actions.js';

/** A duty as the case's clock gives it (an advice duty is `advice:<advice request id>`). */
export interface StepDuty {
  id: string;
  due: string;
  completed: string | null;
  status: DutyStatus | 'ended';
}

export interface StepAdvice {
  id: string;
  receivedDate: string | null;
}

/** Something the caseworker can do: one of the stage's actions, or recording one piece of advice as received. */
export type Step = { action: CaseAction } | { action: 'advice_received'; adviceId: string };

export interface NextStep {
  step: Step;
  /** The statutory duty the step answers to, when the clock has one for it (undone: pending or overdue). */
  duty: StepDuty | null;
}

export interface WhatToDoNext {
  next: NextStep | null;
  /** The stage's other actions, and recording any other advice still to come, in the order a case needs them. */
  others: Step[];
}

/** What has been done already on the request, which decides how a repeatable action is named. */
export interface DoneSoFar {
  adviceRequested: boolean;
  draftWritten: boolean;
  draftSent: boolean;
  settingConsulted: boolean;
  familyCommented: boolean;
  /**
   * The family's 15 days to comment on the draft have not ended (reg 13(1)(a)): the final plan waits for their
   * comments, or for the window to close.
   */
  commentWindowOpen: boolean;
  /**
   * The family named a school or setting in their response to the draft and it has not been consulted yet: the
   * council must consult it before naming a school in the final plan (CFA 2014 s.39(2)).
   */
  namedSettingToConsult?: boolean;
}

/** Names of actions that may be done again, once they have been done. */
const AGAIN: Partial<Record<CaseAction, { when: keyof DoneSoFar; name: string }>> = {
  request_advice: { when: 'adviceRequested', name: 'Request more advice' },
  write_draft: { when: 'draftWritten', name: 'Change the draft plan' },
  draft_served: { when: 'draftSent', name: 'Record sending a revised draft plan to the family' },
  consult_setting: { when: 'settingConsulted', name: 'Consult another school or setting about section I' },
  family_representations: { when: 'familyCommented', name: 'Record more comments from the family' },
};

/** An action's name as the case stands: "Request advice", or "Request more advice" once some has been asked for. */
export function actionName(action: CaseAction, done: DoneSoFar): string {
  const again = AGAIN[action];
  return again && done[again.when] ? again.name : CASE_ACTIONS[action].name;
}

const undone = (d: StepDuty | undefined): StepDuty | null =>
  d && d.completed === null && (d.status === 'pending' || d.status === 'overdue') ? d : null;

/**
 * The next statutory step on an open request at `stage`, and the other actions open there. `duties` are the case's
 * duties from the clock; `advice` its advice requests. A closed stage has nothing to do.
 */
export function whatToDoNext(
  stage: string,
  duties: readonly StepDuty[],
  advice: readonly StepAdvice[],
  done: DoneSoFar,
): WhatToDoNext {
  const actions = actionsAt(stage);
  if (actions.length === 0) return { next: null, others: [] };
  const duty = (id: string) => undone(duties.find((d) => d.id === id));
  // Advice still to come, the soonest due first (the clock's due dates; ties by the order it was asked for).
  const outstanding = advice
    .filter((a) => a.receivedDate === null)
    .map((a, i) => ({ a, i, duty: duty(`advice:${a.id}`) }))
    .sort((x, y) => (x.duty?.due ?? '9999').localeCompare(y.duty?.due ?? '9999') || x.i - y.i);
  const adviceSteps: Step[] = outstanding.map((o) => ({ action: 'advice_received', adviceId: o.a.id }));

  let next: NextStep;
  switch (stage) {
    case 'deciding_whether_to_assess':
      next = { step: { action: 'assessment_decision' }, duty: duty('decide_whether_to_assess') };
      break;
    case 'gathering_advice':
      next =
        outstanding.length > 0
          ? { step: adviceSteps[0]!, duty: outstanding[0]!.duty }
          : advice.length === 0
            ? { step: { action: 'request_advice' }, duty: duty('issue_final_plan') }
            : { step: { action: 'issue_decision' }, duty: duty('notify_decision_not_to_issue') };
      break;
    case 'deciding_whether_to_issue':
      next = { step: { action: 'issue_decision' }, duty: duty('notify_decision_not_to_issue') };
      break;
    case 'drafting_plan':
      // The draft is written before it is sent.
      next = { step: { action: done.draftWritten ? 'draft_served' : 'write_draft' }, duty: duty('issue_final_plan') };
      break;
    default:
      // draft_with_family: while the family may still comment and has not, their comments come first; the school
      // they named is consulted before the final plan names one.
      next = {
        step: {
          action:
            done.commentWindowOpen && !done.familyCommented
              ? 'family_representations'
              : done.namedSettingToConsult
                ? 'consult_setting'
                : 'final_plan_issued',
        },
        duty: duty('issue_final_plan'),
      };
  }

  const same = (a: Step, b: Step) =>
    a.action === b.action &&
    (a.action !== 'advice_received' || (b.action === 'advice_received' && a.adviceId === b.adviceId));
  const others: Step[] = [];
  for (const action of actions) {
    others.push({ action });
    // Advice to record sits after requesting it.
    if (action === 'request_advice') others.push(...adviceSteps);
  }
  if (!actions.includes('request_advice')) others.unshift(...adviceSteps);
  return { next, others: others.filter((s) => !same(s, next.step)) };
}
