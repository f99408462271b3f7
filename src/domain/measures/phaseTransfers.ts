/**
 * Phase transfers finalised by their deadline (issue 28; SEND Regulations 2014 reg 18(1); rule P10): for each
 * September move, of the children with a plan maintained on their transfer's deadline (14 February, or 30 March for
 * secondary to post-16), the share whose amended plan naming the next setting was finalised on or before it.
 *
 * Why yearly: every child in a transfer shares one deadline a year, so the measure has one value a year. By month it
 * would be meaningless: the finalisations come in a rush in January and February and the deadline falls in one month.
 *
 * How the SPC method (shared/reference/spc-method.md) applies: it does not, yet. An XmR chart needs a series of
 * comparable points; with one point a year, limits from fewer than 12-13 points are only trial limits, and a shift (7
 * points on one side of the mean) or a trend (7 rising) would take 7 years to show. So the chart shows each year's
 * value with its counts beside it, and no process limits: compare years by their counts, not by a signal. The monthly
 * measures' SPC charts stay the place to see change within a year (decisions within 4 weeks of the review meeting,
 * amended plans within 8 weeks of the notice).
 */

export const PHASE_TRANSFER_MEASURE = {
  id: 'phase_transfers_on_time',
  title: 'Phase transfers finalised by the deadline',
  unit: '%',
  definition:
    'For each September move: of the children with a plan maintained on their transfer’s deadline (14 February; 30 March for secondary school to post-16), the share whose amended plan naming the next school or setting was finalised on or before it (SEND Regulations 2014 reg 18(1)). Yearly, because every transfer of a year shares one deadline; a year is provisional until its deadlines have passed.',
  spc: 'One value a year: Making Data Count’s process limits need 12 or more points and its run rules 7 in a row, so the chart shows each year’s value and counts without limits.',
} as const;

export interface PhaseTransferYearCounts {
  transferYear: number;
  /** Children in the transfer's year group with a plan maintained on its deadline. */
  due: number;
  /** Finalised on or before the deadline. */
  onTime: number;
  /** Finalised after it. */
  late: number;
  /** The last of the year's deadlines (30 March). */
  lastDeadline: string;
}

export interface PhaseTransferYearFigure extends PhaseTransferYearCounts {
  /** Not finalised (yet). */
  notFinalised: number;
  /** onTime / due as a percentage, one decimal; null when none is due. */
  value: number | null;
  /** The year's deadlines have not all passed: more may be finalised on time. */
  provisional: boolean;
}

/** Each transfer year's figure, oldest first. */
export function phaseTransferFigures(
  years: readonly PhaseTransferYearCounts[],
  today: string,
): PhaseTransferYearFigure[] {
  return [...years]
    .sort((a, b) => a.transferYear - b.transferYear)
    .map((y) => ({
      ...y,
      notFinalised: y.due - y.onTime - y.late,
      value: y.due === 0 ? null : Math.round((1000 * y.onTime) / y.due) / 10,
      provisional: today <= y.lastDeadline,
    }));
}
