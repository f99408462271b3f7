/**
 * Tribunal orders complied with on time (issue 28): the steps a First-tier Tribunal (SEND) order sets the council
 * (SEND Regulations 2014 reg 44(2)), or an appeal it did not oppose (reg 45, the same periods), each with the date it
 * was due and the date it was done, as the measure counts them (domain/measures/monthly.ts, tribunal_orders_on_time).
 *
 * A step is one thing to do by one date, from the day of the order (or of telling the Tribunal the appeal is not
 * opposed): name the setting in section I within 2 weeks; amend sections B and F within 5 weeks; make and maintain a
 * plan: the draft within 5 weeks and the final plan within 11 (two steps); assess: tell the family within 2 weeks,
 * then either tell them no plan will be issued within 10 weeks or issue the final plan within 14 (one step, whichever
 * applies; while neither is done the plan's 14 weeks are the step, as a plan may still lawfully be issued then). The
 * dates are the statutory clock's (domain/statutory/clock.ts, statutory-timescales.md rows 24-26). An order to keep
 * maintaining a plan takes effect at once and sets no step.
 */
import type { LocalDate } from '../dates/localDate.js';
import { disagreementDuties, type DisagreementRecord } from '../casework/disagreement.js';

export interface OrderedStep {
  /** The step's id (domain/casework/disagreement.ts ORDER_STEPS). */
  step: string;
  due: LocalDate;
  /** The day it was done, or null. */
  done: LocalDate | null;
  primaryNeed: string | null;
}

/** The steps of a disagreement's order (none without an order or an appeal not opposed). */
export function orderedSteps(r: DisagreementRecord, primaryNeed: string | null): OrderedStep[] {
  if ((r.outcome !== 'order' && r.outcome !== 'unopposed') || r.order === null || r.outcomeDate === null) return [];
  // Statuses depend on "today"; the due and done dates the measure reads do not.
  const duties = disagreementDuties(r, r.outcomeDate).filter((d) => d.id.startsWith('tribunal:'));
  const decided = r.complied.assess_no_plan !== undefined || r.complied.assess_final !== undefined;
  return duties
    .map((d) => ({ step: d.id.slice('tribunal:'.length), due: d.due, done: d.completed, primaryNeed }))
    .filter((s) => !(s.step === 'assess_no_plan' && !decided));
}
