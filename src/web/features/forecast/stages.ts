/** The forecast's stages in plain words, and its load warnings worded from the simulation's figures. */
import type { LoadWarning } from '../../../domain/forecast/simulate.js';
import { formatValue } from '../../charts/spcChart.js';

export const STAGE_NAMES: Record<string, string> = {
  decision: 'Request to decision whether to assess',
  advice: 'Decision to the last advice received',
  drafting: 'Last advice to decision whether to issue',
  final: 'Decision to issue to the final plan',
};

/**
 * A stage whose demand is at or above its capacity, in words a board member reads: the stage by name, demand as a
 * share of capacity, and what that means. (Forecasts stored before warnings were structured hold them as text.)
 */
export function loadWarningText(warning: LoadWarning | string): string {
  if (typeof warning === 'string') return warning;
  const name = STAGE_NAMES[warning.stage] ?? warning.stage;
  return warning.load === null
    ? `${name}: this stage has no capacity in the forecast, so requests reaching it wait there and its queue grows.`
    : `${name}: requests reach this stage faster than it has ever dealt with them (demand is ${formatValue(Math.round(warning.load * 100), '%')} of what it has shown it can do), so its queue grows.`;
}
