/**
 * The one place where a service's refusal of a form becomes what the form's page shows again, with everything the
 * person typed kept:
 * - a rule broken (services/errors.ts RuleError): 400 and the GOV.UK error summary, each line linked to its field;
 * - a stale form (StaleFormError): 409, a summary line saying nothing was saved, and what someone else saved since
 *   (a table of fields, or the things recorded on a case), with the version to save against now.
 * Anything else (not found, forbidden, a fault) is not the form's to show: it goes on to the error pages
 * (web/middleware/errors.ts), which map NotFoundError to 404 and ForbiddenError to 403.
 */
import { RuleError, StaleFormError, type RecordedChange } from '../services/errors.js';
import { serviceErrors, staleView, type FormError } from './forms.js';

export interface FormFailure {
  status: 400 | 409;
  errors: FormError[];
  /** A stale form's table of fields changed since (partials/forms.njk staleNotice). */
  stale?: ReturnType<typeof staleView>['stale'];
  /** A stale case form: what was recorded on the case since (partials/forms.njk conflictNotice). */
  conflict?: { changes: RecordedChange[] };
  /** The version a stale form saves against now, when the record has one. */
  version?: number | null;
}

export interface FailureWords {
  /** Date fields, whose errors link to their day box. */
  dateFields?: readonly string[];
  /** What the form changes, in the stale summary line ("the target", "this objective"). */
  what?: string;
  /** A remove button's form says "not removed" rather than "not saved". */
  asked?: 'save' | 'remove';
}

/** What the form page shows for `err`, or `err` thrown on when it is not a refusal of the form. */
export function formFailure(err: unknown, words: FailureWords = {}): FormFailure {
  if (err instanceof RuleError) return { status: 400, errors: serviceErrors(err.errors, words.dateFields ?? []) };
  if (err instanceof StaleFormError) {
    const { detail } = err;
    if (detail.recorded)
      return { status: 409, errors: [], conflict: { changes: detail.recorded }, version: detail.version };
    return { status: 409, ...staleView(detail, words.what ?? 'this', words.asked), version: detail.version };
  }
  throw err;
}

/**
 * Runs a service call for a form: its result, or the failure the page shows. A route then has one branch for a
 * refusal instead of an `instanceof` chain:
 *
 *     const outcome = await attempt(() => services.x.save(ctx, input), { what: 'the target' });
 *     if (!outcome.ok) return render(outcome.failure.status, { ...outcome.failure, values });
 */
export async function attempt<T>(
  run: () => Promise<T>,
  words: FailureWords = {},
): Promise<{ ok: true; value: T } | { ok: false; failure: FormFailure }> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    return { ok: false, failure: formFailure(err, words) };
  }
}
