/**
 * `openehcp deadlines`: the statutory clock for one process instance (contracts/cli.md).
 */
import { londonDate, parseLocalDate } from '../domain/dates/localDate.js';
import { CalendarCoverageError } from '../domain/dates/workingDays.js';
import { computeClock, type ClockResult } from '../domain/statutory/clock.js';
import { EventValidationError, parseEvents } from '../domain/statutory/events.js';
import { UserFacingError } from '../errors.js';
import { readJsonInput } from './input.js';

export async function deadlinesCommand(opts: { input?: string | undefined }): Promise<ClockResult> {
  const doc = await readJsonInput(opts.input);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UserFacingError('input: must be a JSON object with "events" (and optionally "asOf")');
  }
  const { asOf: rawAsOf, events: rawEvents } = doc as { asOf?: unknown; events?: unknown };
  const asOf = rawAsOf === undefined ? londonDate(new Date()) : parseLocalDate(rawAsOf);
  if (!asOf) throw new UserFacingError(`asOf: must be a real date as YYYY-MM-DD, not ${JSON.stringify(rawAsOf)}`);
  try {
    return computeClock(parseEvents(rawEvents), asOf);
  } catch (err) {
    if (err instanceof EventValidationError || err instanceof CalendarCoverageError) {
      throw new UserFacingError(err.message);
    }
    throw err;
  }
}
