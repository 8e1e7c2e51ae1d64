/**
 * Thrown by a provider's `process` for a failure that retrying will not fix (bad input for the
 * model, content refused). The task fails with `message` for logs and admins and
 * `userFacingMessage` for the user.
 */
export class ProcessingError extends Error {
  override readonly name: string = 'ProcessingError';
  readonly userFacingMessage: string | undefined;

  constructor(message: string, options: { userFacingMessage?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.userFacingMessage = options.userFacingMessage;
  }
}

/**
 * Thrown by a provider's `process` for a failure worth retrying soon (rate limit, a model server
 * that is restarting). The SDK runs `process` again in the same process while it holds the lease,
 * after `retryAfterMs` when given (else an exponential backoff), up to `retryableAttempts` times
 * in all, then fails the task with the last error.
 *
 * Why not hand the task back to the queue: a release spends no attempt, so a task that keeps
 * hitting the limit would circle forever.
 */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';
  readonly retryAfterMs: number | undefined;
  readonly userFacingMessage: string | undefined;

  constructor(message: string, options: { retryAfterMs?: number; userFacingMessage?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
    this.userFacingMessage = options.userFacingMessage;
  }
}
