/**
 * `openehcp forecast`: the pipeline simulation (contracts/cli.md, shared/reference/forecasting.md). Reads a scenario,
 * prints the simulated statistics. Beyond the contract: cases that left, the mean number in the pipeline, each
 * stage's cases, completions by period (fan-chart percentiles), Monte Carlo standard errors and load warnings.
 */
import { parseScenario, ScenarioError } from '../domain/forecast/scenario.js';
import { simulate } from '../domain/forecast/simulate.js';
import { UserFacingError } from '../errors.js';
import { readJsonInput } from './input.js';

export async function forecastCommand(opts: { input?: string | undefined }) {
  const doc = await readJsonInput(opts.input);
  let scenario;
  try {
    scenario = parseScenario(doc);
  } catch (err) {
    if (err instanceof ScenarioError) throw new UserFacingError(err.message);
    throw err;
  }
  return simulate(scenario);
}
