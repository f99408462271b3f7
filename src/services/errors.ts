/**
 * The thing asked for does not exist for this user (also used when it exists in another LA: never reveal that).
 * `audited` once the attempt is in the audit log (a denied read or write); the web layer audits the others that name
 * a record by its id (web/middleware/params.ts).
 */
export class NotFoundError extends Error {
  constructor(
    message?: string,
    public audited = false,
  ) {
    super(message);
  }
}
/** The user is signed in but their role does not allow this. */
export class ForbiddenError extends Error {}
/** What cannot be saved, each problem named against the form field at fault (the web layer links them). */
export class RuleError extends Error {
  constructor(readonly errors: { field: string; text: string }[]) {
    super(errors.map((e) => e.text).join('; '));
  }
}
/** One field of a record that someone else changed: what is saved now beside what the stale form had. */
export interface StaleChange {
  field: string;
  saved: string;
  yours: string;
}

/** What a stale form is shown: the fields that differ, who saved last and when, and the version to save against. */
export interface StaleDetail {
  changes: StaleChange[];
  by: string | null;
  at: Date | null;
  /** The record's version now, for the form shown again (null where the form reads it afresh). */
  version: number | null;
  /**
   * For a record that keeps a history rather than fields (a case's timeline): what was recorded on it since the form
   * was opened, shown instead of a table of fields.
   */
  recorded?: RecordedChange[];
}

/** One thing recorded on a record after a form was opened (a case's timeline event). */
export interface RecordedChange {
  type: string;
  occurredOn: string;
  actorName: string | null;
  recordedAt: Date;
  data: unknown;
}

/** Someone else saved the same thing after the form was opened: nothing is overwritten. */
export class StaleFormError extends Error {
  constructor(readonly detail: StaleDetail = { changes: [], by: null, at: null, version: null }) {
    super('it has changed since the form was opened');
  }
}
