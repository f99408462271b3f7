/**
 * The stage machine of a request for an EHC needs assessment: which move takes a case from which stage to which, in
 * one table. A move not listed from a stage is refused there. Where a move leads to more than one stage, the table
 * names what decides it: the outcome of the decision recorded (assess or not, reg 5(1); issue or not, reg 10(1)), or,
 * for advice coming in, whether any other advice is still awaited (reg 8(1)).
 *
 * A request starts at `INITIAL_STAGE` and ends at one of the closed stages, from which nothing moves. The moves are
 * the caseworker's actions (actions.ts gives their names) and advice received; steps that never change the stage and
 * are open at every open stage (a setting's reply to a consultation, reassigning the case) are not moves.
 */
import { CLOSED_STAGES, OPEN_STAGES, type OpenStage, type Stage } from './stages.js';

/** Where a move leads from one stage: a stage, or a stage for each outcome that decides it. */
type Target = Stage | { readonly [outcome: string]: Stage };

/** Every open stage to itself: a move that can be made at any open stage and leaves the case where it is. */
const STAYS = {
  deciding_whether_to_assess: 'deciding_whether_to_assess',
  gathering_advice: 'gathering_advice',
  deciding_whether_to_issue: 'deciding_whether_to_issue',
  drafting_plan: 'drafting_plan',
  draft_with_family: 'draft_with_family',
} as const satisfies Record<OpenStage, OpenStage>;

/** Every open stage to `to`. */
const fromEveryOpenStage = <S extends Stage>(to: S) =>
  Object.fromEntries(OPEN_STAGES.map((s) => [s, to])) as Record<OpenStage, S>;

/** Advice coming in while advice is gathered: the case moves on once none is still awaited. */
const ADVICE_IN = { advice_awaited: 'gathering_advice', all_advice_in: 'deciding_whether_to_issue' } as const;

export const STAGE_MACHINE = {
  /** reg 5(1): assess, and gather advice; or not, which closes the request. */
  assessment_decision: {
    deciding_whether_to_assess: { assess: 'gathering_advice', not_assess: 'not_assessed' },
  },
  /** Asking for (more) advice sends the case back to gathering it. */
  request_advice: {
    gathering_advice: 'gathering_advice',
    deciding_whether_to_issue: 'gathering_advice',
  },
  /** Advice received (or reused with the family's agreement) at any open stage. */
  advice_received: { ...STAYS, gathering_advice: ADVICE_IN },
  /** reg 10: issue a plan, and draft it; or not, which closes the request. */
  issue_decision: {
    gathering_advice: { issue: 'drafting_plan', not_issue: 'not_issued' },
    deciding_whether_to_issue: { issue: 'drafting_plan', not_issue: 'not_issued' },
  },
  write_draft: { drafting_plan: 'drafting_plan', draft_with_family: 'draft_with_family' },
  /** reg 13(1): the draft sent to the family, who then have 15 days to comment. */
  draft_served: { drafting_plan: 'draft_with_family', draft_with_family: 'draft_with_family' },
  consult_setting: { drafting_plan: 'drafting_plan', draft_with_family: 'draft_with_family' },
  family_representations: { draft_with_family: 'draft_with_family' },
  /** reg 13(2): the final plan closes the request. */
  final_plan_issued: { draft_with_family: 'final_plan_issued' },
  /** From the request: reg 5(4) is an exception to the 6-week decision whether to assess. */
  exception: STAYS,
  withdraw: fromEveryOpenStage('withdrawn'),
} as const satisfies Record<string, Partial<Record<OpenStage, Target>>>;

export type Move = keyof typeof STAGE_MACHINE;

/** The outcomes that decide where a move leads, where it can lead to more than one stage. */
export type MoveOutcome<M extends Move> = {
  [S in keyof (typeof STAGE_MACHINE)[M]]: (typeof STAGE_MACHINE)[M][S] extends infer T
    ? T extends Stage
      ? never
      : keyof T
    : never;
}[keyof (typeof STAGE_MACHINE)[M]];

/** Every request begins here: the council decides whether to assess. */
export const INITIAL_STAGE: OpenStage = 'deciding_whether_to_assess';

export function isOpenStage(stage: string): stage is OpenStage {
  return (OPEN_STAGES as readonly string[]).includes(stage);
}

export function isClosedStage(stage: string): boolean {
  return (CLOSED_STAGES as readonly string[]).includes(stage);
}

/** A move asked for at a stage the table does not allow it from, or without the outcome that decides it. */
export class StageMoveError extends Error {
  constructor(
    readonly stage: string,
    readonly move: Move,
    reason: string,
  ) {
    super(`${move} at ${stage}: ${reason}`);
  }
}

function targetOf(stage: string, move: Move): Target | undefined {
  return (STAGE_MACHINE[move] as Partial<Record<string, Target>>)[stage];
}

/** Whether `move` can be made at `stage`. */
export function canMove(stage: string, move: Move): boolean {
  return targetOf(stage, move) !== undefined;
}

/**
 * The stage `move` takes a case at `stage` to. `outcome` says where a move that can lead to more than one stage goes
 * (it is not needed, and not read, where the move has one destination from that stage). Throws StageMoveError when
 * the table does not allow the move from the stage, or the outcome that decides it is missing or unknown.
 */
export function nextStage<M extends Move>(stage: string, move: M, outcome?: MoveOutcome<M>): Stage {
  const target = targetOf(stage, move);
  if (target === undefined) throw new StageMoveError(stage, move, 'not allowed from this stage');
  if (typeof target === 'string') return target;
  const to = outcome === undefined ? undefined : target[outcome as string];
  if (to === undefined) {
    throw new StageMoveError(stage, move, `needs one of ${Object.keys(target).join(', ')}, not ${String(outcome)}`);
  }
  return to;
}
