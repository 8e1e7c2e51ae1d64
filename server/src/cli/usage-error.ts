/** A mistake in how the CLI was called (bad or missing flag): exit code 2, with usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command that ran but could not do what was asked (unknown token id, database in use): exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}
