/**
 * An error the person running the service or command can fix (a bad setting, bad input): shown as one clear line,
 * never a stack trace. The command exits with code 2 for these.
 */
export class UserFacingError extends Error {}
