/**
 * Moves between councils (issue 28; SEND Regulations 2014 reg 15) in the demo county's history, added after everything
 * else from a stream of their own, so every other record and figure is as it was.
 *
 * How many: DfE's published counts of plans ceased in calendar year 2024 (shared/reference/statistics/dfe-ehcp-2025/
 * ceased_plans.csv) give England 13,953 plans transferred to another LA (2.2% of the 638,745 held in January 2025,
 * caseload.csv) and Hertfordshire 211 (1.6% of 12,920). The demo's ceasings (demo/ceasings.ts) already end about as
 * many plans a year for that reason (SEN2 CeaseReason 5): each of those becomes a transfer out here instead of a
 * ceasing (a move is not a ceasing: no consultation, no appeal), the plan ending on the same day, so every figure that
 * counts ended plans is unchanged.
 *
 * Assumptions, where nothing is published:
 * - Transfers in: DfE publishes no count of plans received. Every transfer counted above went to another English LA,
 *   so across England as many plans arrive as leave; the demo county receives about as many as it sends, 1.6 in 100
 *   of its plans a year (Hertfordshire's rate), over the last 12 months only. They are plans the demo holds with no
 *   request on record (brought from elsewhere), given a transfer date after they were made.
 * - The council learns of a move 3 to 8 weeks before it and sends the plan on the day; 1 in 5 learns late (1 to 14
 *   days before, or up to a week after) and sends it on the last of its 15 working days.
 * - The health commissioner (ICB) changes in 4 moves of 5 (a move between councils usually crosses an ICB boundary).
 * - Moves still to come: those learned of in the last 4 weeks, at the same yearly rate, for plans still held.
 * - The family is told of a transfer in 1 to 8 weeks after it (some late, as the reviews are); 1 in 10 is assessed.
 */
import {
  laName,
  moveOutNextStep,
  SEN2_TRANSFERRED_REASON,
  transferInDates,
  transferPlanBy,
  type MoveInRecord,
  type MoveOutRecord,
} from '../domain/casework/move.js';
import { ENGLISH_LOCAL_AUTHORITIES } from '../domain/casework/englishLocalAuthorities.js';
import { addDays, type LocalDate } from '../domain/dates/localDate.js';
import { englandAndWales } from '../domain/dates/workingDays.js';
import type { DemoCounty } from './generate.js';
import type { Random } from './random.js';

/** Hertfordshire, 2024: 211 plans transferred out of 12,920 held (ceased_plans.csv, caseload.csv). */
export const TRANSFER_RATE = 211 / 12_920;
const LATE_LEARNED = 0.2;
const ICB_CHANGES = 0.8;
const ASSESS_AFTER_TRANSFER = 0.1;
const UPCOMING_DAYS = 28;

export type DemoMove = {
  id: string;
  laCode: string;
  planId: string;
  childId: string;
  direction: 'out' | 'in';
  otherLaCode: string;
  moveDate: LocalDate | null;
  learnedDate: LocalDate | null;
  healthCommissionerChanges: boolean;
  healthToldDate: LocalDate | null;
  transferDate: LocalDate | null;
  planMadeDate: LocalDate | null;
  lastReviewDate: LocalDate | null;
  parentInformedDate: LocalDate | null;
  willAssess: boolean | null;
  proposedReviewDate: LocalDate | null;
  status: 'open' | 'done';
  nextDuty: string | null;
  nextDue: LocalDate | null;
};

/** Turns the demo's transfers (CeaseReason 5) into moves out, and adds moves to come and plans transferred in. */
export function moveHistory(out: DemoCounty, asOf: LocalDate, rnd: Random): DemoMove[] {
  const codes = Object.keys(ENGLISH_LOCAL_AUTHORITIES).filter((c) => laName(c) !== null);
  const otherLa = () => codes[rnd.int(0, codes.length - 1)]!;
  const family = new Set(out.roleAssignments.filter((a) => a.role === 'parent').map((a) => a.childId));
  const plans = new Map(out.plans.map((p) => [p.id, p]));
  const moves: DemoMove[] = [];
  const base = (laCode: string, planId: string, childId: string) => ({ id: rnd.uuid(), laCode, planId, childId });

  const outMove = (r: MoveOutRecord, key: { laCode: string; planId: string; childId: string }): DemoMove => {
    const next = moveOutNextStep(r, englandAndWales);
    return {
      ...base(key.laCode, key.planId, key.childId),
      direction: 'out',
      otherLaCode: r.newLaCode,
      moveDate: r.moveDate,
      learnedDate: r.learnedDate,
      healthCommissionerChanges: r.healthCommissionerChanges,
      healthToldDate: r.healthToldDate,
      transferDate: r.transferredDate,
      planMadeDate: null,
      lastReviewDate: null,
      parentInformedDate: null,
      willAssess: null,
      proposedReviewDate: null,
      status: next ? 'open' : 'done',
      nextDuty: next?.step ?? null,
      nextDue: next?.due ?? null,
    };
  };

  // Transfers out that happened: the ceasings for a move to another council become moves.
  const kept = [];
  for (const c of out.ceasings) {
    const plan = plans.get(c.planId);
    if (c.reason !== 'moved_la' || !plan || plan.ceasedReason !== SEN2_TRANSFERRED_REASON) {
      kept.push(c);
      continue;
    }
    const transferDate = c.ceasedDate;
    let moveDate = transferDate;
    let learnedDate = addDays(moveDate, -rnd.int(21, 56));
    if (rnd.chance(LATE_LEARNED)) {
      // Learned late: the plan goes on the last of the 15 working days beginning with that day.
      for (let tries = 0; tries < 20; tries++) {
        const m = addDays(transferDate, -rnd.int(0, 21));
        const l = addDays(m, rnd.int(-14, 7));
        if (transferPlanBy(m, l, englandAndWales).date === transferDate && m > (plan.firstIssuedDate as string)) {
          [moveDate, learnedDate] = [m, l];
          break;
        }
      }
    }
    const icb = rnd.chance(ICB_CHANGES);
    const r: MoveOutRecord = {
      newLaCode: otherLa(),
      moveDate,
      learnedDate,
      healthCommissionerChanges: icb,
      transferredDate: transferDate,
      healthToldDate: icb ? transferDate : null,
    };
    moves.push(outMove(r, c));
  }
  out.ceasings = kept;

  const active = out.plans.filter(
    (p) => p.status === 'active' && p.firstIssuedDate && !p.ceasedDate && !family.has(p.childId),
  );
  // Moves to come: learned of in the last 4 weeks, the move up to 8 weeks on; the plan is still held.
  for (const p of active) {
    if (!rnd.chance((TRANSFER_RATE * UPCOMING_DAYS) / 365)) continue;
    const learnedDate = addDays(asOf, -rnd.int(0, UPCOMING_DAYS - 1));
    const moveDate = addDays(learnedDate, rnd.int(7, 56));
    if (learnedDate <= (p.firstIssuedDate as LocalDate)) continue;
    const r: MoveOutRecord = {
      newLaCode: otherLa(),
      moveDate,
      learnedDate,
      healthCommissionerChanges: rnd.chance(ICB_CHANGES),
      transferredDate: null,
      healthToldDate: null,
    };
    moves.push(outMove(r, { laCode: p.laCode, planId: p.id, childId: p.childId }));
  }

  // Transfers in over the last 12 months: plans held with no request on record, brought from another council.
  const brought = active.filter((p) => !p.requestId);
  const share = brought.length ? Math.min(1, (TRANSFER_RATE * active.length) / brought.length) : 0;
  for (const p of brought) {
    if (!rnd.chance(share)) continue;
    const transferDate = addDays(asOf, -rnd.int(1, 365));
    const made = p.firstIssuedDate as LocalDate;
    if (made > transferDate) continue;
    const last = p.lastReviewDate && p.lastReviewDate <= transferDate ? (p.lastReviewDate as LocalDate) : null;
    const r: MoveInRecord = {
      oldLaCode: otherLa(),
      transferDate,
      planMadeDate: made,
      lastReviewDate: last,
      parentInformedDate: null,
      willAssess: null,
      proposedReviewDate: null,
    };
    const dates = transferInDates(transferDate, last ?? made);
    const told = addDays(transferDate, rnd.int(7, 56));
    if (told <= asOf) {
      r.parentInformedDate = told;
      r.willAssess = rnd.chance(ASSESS_AFTER_TRANSFER);
      r.proposedReviewDate = dates.reviewBy;
    }
    moves.push({
      ...base(p.laCode, p.id, p.childId),
      direction: 'in',
      otherLaCode: r.oldLaCode,
      moveDate: null,
      learnedDate: null,
      healthCommissionerChanges: false,
      healthToldDate: null,
      transferDate,
      planMadeDate: made,
      lastReviewDate: last,
      parentInformedDate: r.parentInformedDate,
      willAssess: r.willAssess,
      proposedReviewDate: r.proposedReviewDate,
      status: r.parentInformedDate ? 'done' : 'open',
      nextDuty: r.parentInformedDate ? null : 'inform',
      nextDue: r.parentInformedDate ? null : dates.informParentBy,
    });
  }
  return moves;
}
