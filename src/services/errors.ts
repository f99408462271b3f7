/** The thing asked for does not exist for this user (also used when it exists in another LA: never reveal that). */
export class NotFoundError extends Error {}
/** The user is signed in but their role does not allow this. */
export class ForbiddenError extends Error {}
/** What cannot be saved, each problem named against the form field at fault (the web layer links them). */
export class RuleError extends Error {
  constructor(readonly errors: { field: string; text: string }[]) {
    super(errors.map((e) => e.text).join('; '));
  }
}
/** Someone else saved the same thing after the form was opened: nothing is overwritten. */
export class StaleFormError extends Error {
  constructor() {
    super('it has changed since the form was opened');
  }
}
