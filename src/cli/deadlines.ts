/**
 * `openehcp deadlines`: the statutory clock for one process instance (contracts/cli.md).
 */
import { londonDate, parseLocalDate } from '../domain/dates/localDate.js';
import { CalendarCoverageError } from '../domain/dates/workingDays.js';
import { computeClock, type ClockResult } from '../domain/statutory/clock.js';
import { EventValidationError, parseEvents } from '../domain/statutory/events.js';
import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { checkInput, describeValue, readJsonInput } from './input.js';

/**
 * The document's outline: an object with the day to judge on (today when left out); its events are checked one by
 * one by the domain (statutory/events.ts), which knows each type's fields.
 */
const deadlinesInput = z.object(
  {
    asOf: z
      .unknown()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return londonDate(new Date());
        const date = parseLocalDate(value);
        if (date) return date;
        ctx.addIssue({ code: 'custom', message: `must be a real date as YYYY-MM-DD, not ${describeValue(value)}` });
        return z.NEVER;
      }),
    events: z.unknown().optional(),
  },
  { error: 'must be a JSON object with "events" (and optionally "asOf")' },
);

export async function deadlinesCommand(opts: { input?: string | undefined }): Promise<ClockResult> {
  const { asOf, events: rawEvents } = checkInput(deadlinesInput, await readJsonInput(opts.input));
  try {
    return computeClock(parseEvents(rawEvents), asOf);
  } catch (err) {
    if (err instanceof EventValidationError || err instanceof CalendarCoverageError) {
      throw new UserFacingError(err.message);
    }
    throw err;
  }
}
