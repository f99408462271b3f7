import { describe, expect, it } from 'vitest';
import { actionsAt } from './actions.js';
import {
  INITIAL_STAGE,
  STAGE_MACHINE,
  StageMoveError,
  canMove,
  isClosedStage,
  isOpenStage,
  nextStage,
  type Move,
} from './stageMachine.js';
import { CLOSED_STAGES, OPEN_STAGES, type Stage } from './stages.js';

const STAGES: readonly Stage[] = [...OPEN_STAGES, ...CLOSED_STAGES];
const MOVES = Object.keys(STAGE_MACHINE) as Move[];

/**
 * The journey of an EHC needs assessment (SEND Regulations 2014), written out in full: for each move, the stages it
 * is allowed from and where it leads (by outcome where a decision or the advice still awaited decides it). Every
 * pair not listed must be refused.
 */
const JOURNEY: Record<Move, Partial<Record<Stage, Stage | Record<string, Stage>>>> = {
  // reg 5(1): decide whether to assess; "not to assess" closes the request.
  assessment_decision: {
    deciding_whether_to_assess: { assess: 'gathering_advice', not_assess: 'not_assessed' },
  },
  // reg 6-8: asking for (more) advice, before the decision whether to issue.
  request_advice: {
    gathering_advice: 'gathering_advice',
    deciding_whether_to_issue: 'gathering_advice',
  },
  // Advice may come in at any open stage; only while it is gathered does the last of it move the case on.
  advice_received: {
    deciding_whether_to_assess: 'deciding_whether_to_assess',
    gathering_advice: { advice_awaited: 'gathering_advice', all_advice_in: 'deciding_whether_to_issue' },
    deciding_whether_to_issue: 'deciding_whether_to_issue',
    drafting_plan: 'drafting_plan',
    draft_with_family: 'draft_with_family',
  },
  // reg 10: issue a plan or not (possibly with advice still outstanding); "not to issue" closes the request.
  issue_decision: {
    gathering_advice: { issue: 'drafting_plan', not_issue: 'not_issued' },
    deciding_whether_to_issue: { issue: 'drafting_plan', not_issue: 'not_issued' },
  },
  write_draft: { drafting_plan: 'drafting_plan', draft_with_family: 'draft_with_family' },
  // reg 13(1): the family has the draft (a revised draft may be sent again).
  draft_served: { drafting_plan: 'draft_with_family', draft_with_family: 'draft_with_family' },
  consult_setting: { drafting_plan: 'drafting_plan', draft_with_family: 'draft_with_family' },
  family_representations: { draft_with_family: 'draft_with_family' },
  // reg 13(2): only once the family has had the draft.
  final_plan_issued: { draft_with_family: 'final_plan_issued' },
  // reg 5(4), 8(2), 10(4): an exception can be recorded at any open stage and moves nothing (rule P11).
  exception: {
    deciding_whether_to_assess: 'deciding_whether_to_assess',
    gathering_advice: 'gathering_advice',
    deciding_whether_to_issue: 'deciding_whether_to_issue',
    drafting_plan: 'drafting_plan',
    draft_with_family: 'draft_with_family',
  },
  withdraw: {
    deciding_whether_to_assess: 'withdrawn',
    gathering_advice: 'withdrawn',
    deciding_whether_to_issue: 'withdrawn',
    drafting_plan: 'withdrawn',
    draft_with_family: 'withdrawn',
  },
};

describe('the case stage machine', () => {
  it('allows or refuses every move from every stage, and leads where the journey says', () => {
    let checked = 0;
    for (const move of MOVES) {
      for (const stage of STAGES) {
        const expected = JOURNEY[move][stage];
        checked += 1;
        if (expected === undefined) {
          expect(canMove(stage, move), `${move} from ${stage}`).toBe(false);
          expect(() => nextStage(stage, move), `${move} from ${stage}`).toThrow(StageMoveError);
        } else if (typeof expected === 'string') {
          expect(canMove(stage, move), `${move} from ${stage}`).toBe(true);
          expect(nextStage(stage, move), `${move} from ${stage}`).toBe(expected);
        } else {
          expect(canMove(stage, move), `${move} from ${stage}`).toBe(true);
          for (const [outcome, to] of Object.entries(expected)) {
            expect(nextStage(stage, move, outcome as never), `${move} (${outcome}) from ${stage}`).toBe(to);
          }
          // Where a decision decides, it must be given.
          expect(() => nextStage(stage, move), `${move} from ${stage} with no outcome`).toThrow(StageMoveError);
          expect(() => nextStage(stage, move, 'maybe' as never)).toThrow(StageMoveError);
        }
      }
    }
    expect(MOVES.sort()).toEqual(Object.keys(JOURNEY).sort());
    expect(checked).toBe(11 * 9);
  });

  it('refuses everything at a closed stage, and at a stage it does not know', () => {
    for (const stage of [...CLOSED_STAGES, 'no_such_stage']) {
      expect(MOVES.filter((m) => canMove(stage, m))).toEqual([]);
    }
    expect(CLOSED_STAGES.every(isClosedStage)).toBe(true);
    expect(OPEN_STAGES.every(isOpenStage)).toBe(true);
    expect(OPEN_STAGES.some(isClosedStage) || CLOSED_STAGES.some(isOpenStage)).toBe(false);
  });

  it('reaches every stage from the request, and every open stage can still end', () => {
    expect(INITIAL_STAGE).toBe('deciding_whether_to_assess');
    const reached = new Set<string>([INITIAL_STAGE]);
    for (let grew = true; grew;) {
      grew = false;
      for (const stage of [...reached]) {
        for (const move of MOVES) {
          const target = (STAGE_MACHINE[move] as Record<string, Stage | Record<string, Stage>>)[stage];
          if (target === undefined) continue;
          for (const to of typeof target === 'string' ? [target] : Object.values(target)) {
            if (reached.has(to)) continue;
            reached.add(to);
            grew = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...STAGES].sort());
    for (const stage of OPEN_STAGES) expect(canMove(stage, 'withdraw')).toBe(true);
  });

  it('offers on the case page exactly the actions each stage allows, in the order a case needs them', () => {
    expect(Object.fromEntries(STAGES.map((s) => [s, actionsAt(s)]))).toEqual({
      deciding_whether_to_assess: ['assessment_decision', 'exception', 'withdraw'],
      gathering_advice: ['request_advice', 'issue_decision', 'exception', 'withdraw'],
      deciding_whether_to_issue: ['request_advice', 'issue_decision', 'exception', 'withdraw'],
      drafting_plan: ['write_draft', 'draft_served', 'consult_setting', 'exception', 'withdraw'],
      draft_with_family: [
        'write_draft',
        'draft_served',
        'consult_setting',
        'family_representations',
        'final_plan_issued',
        'exception',
        'withdraw',
      ],
      final_plan_issued: [],
      not_assessed: [],
      not_issued: [],
      withdrawn: [],
    });
  });
});
