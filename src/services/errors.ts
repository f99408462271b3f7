/** The thing asked for does not exist for this user (also used when it exists in another LA: never reveal that). */
export class NotFoundError extends Error {}
/** The user is signed in but their role does not allow this. */
export class ForbiddenError extends Error {}
