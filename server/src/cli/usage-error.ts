/** A mistake in how the CLI was called (bad or missing flag, no token): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command that ran but could not do what was asked (database in use, a bulk run with failures): exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}
