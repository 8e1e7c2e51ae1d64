import type { ErrorCode, Problem, Task } from '@taskproc/spec';

/** Base of every error the client raises. */
export class TaskprocError extends Error {
  override readonly name: string = 'TaskprocError';
}

/**
 * The coordinator answered with an error status. `code` is the stable code of the problem body
 * (spec `errorCatalogue`); branch on it, never on the message. The subclass is chosen by status
 * in one place, {@link ApiError.generate}.
 */
export class ApiError extends TaskprocError {
  override readonly name: string = 'ApiError';
  readonly status: number;
  /** Stable error code, when the body was a problem document (a proxy's HTML error has none). */
  readonly code: ErrorCode | undefined;
  /** What went wrong in this instance, in English. */
  readonly detail: string | undefined;
  /** X-Request-Id of the failed request: quote it in bug reports. */
  readonly requestId: string | undefined;
  /** Input slot at fault, for slot errors (missing_slot, invalid_slot_value, ...). */
  readonly slot: string | undefined;
  /** Request field at fault, for invalid_request. */
  readonly field: string | undefined;
  /** How long the coordinator asked callers to wait (Retry-After), ms, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, problem: Partial<Problem> | undefined, headers: Headers | undefined) {
    const detail = problem?.detail ?? problem?.title;
    const text = detail ?? `HTTP ${status}`;
    super(problem?.code ? `${status} ${problem.code}: ${text}` : `${status}: ${text}`);
    this.status = status;
    this.code = problem?.code;
    this.detail = detail;
    this.requestId = problem?.requestId ?? headers?.get('x-request-id') ?? undefined;
    this.slot = problem?.slot;
    this.field = problem?.field;
    this.retryAfterMs = headers ? parseRetryAfter(headers) : undefined;
  }

  /** The subclass for a status: the one place that maps statuses to classes. */
  static generate(status: number, problem: Partial<Problem> | undefined, headers: Headers | undefined): ApiError {
    if (status === 400) return new BadRequestError(status, problem, headers);
    if (status === 401) return new AuthenticationError(status, problem, headers);
    if (status === 403) return new PermissionDeniedError(status, problem, headers);
    if (status === 404) return new NotFoundError(status, problem, headers);
    if (status === 409) return new ConflictError(status, problem, headers);
    if (status === 422) return new UnprocessableEntityError(status, problem, headers);
    if (status === 429) return new RateLimitError(status, problem, headers);
    if (status >= 500) return new InternalServerError(status, problem, headers);
    return new ApiError(status, problem, headers);
  }
}

export class BadRequestError extends ApiError {
  override readonly name: string = 'BadRequestError';
}
export class AuthenticationError extends ApiError {
  override readonly name: string = 'AuthenticationError';
}
export class PermissionDeniedError extends ApiError {
  override readonly name: string = 'PermissionDeniedError';
}
export class NotFoundError extends ApiError {
  override readonly name: string = 'NotFoundError';
}
/** 409: no_provider, task_type_disabled, idempotency_conflict, task_terminal. Never retried. */
export class ConflictError extends ApiError {
  override readonly name: string = 'ConflictError';
}
/** 422: the input does not fit the task type; `slot` names the slot at fault. */
export class UnprocessableEntityError extends ApiError {
  override readonly name: string = 'UnprocessableEntityError';
}
export class RateLimitError extends ApiError {
  override readonly name: string = 'RateLimitError';
}
export class InternalServerError extends ApiError {
  override readonly name: string = 'InternalServerError';
}

/** The request never got an answer: refused, reset, DNS, TLS. The cause holds the fetch error. */
export class ConnectionError extends TaskprocError {
  override readonly name: string = 'ConnectionError';
}

/**
 * Something took longer than allowed: one request (retried like a connection error), or the
 * whole of `run()`/`wait()`, which then sets `task` to the last state seen. A `run()` timeout
 * leaves the task running unless `cancelOnTimeout` was set.
 */
export class TimeoutError extends TaskprocError {
  override readonly name: string = 'TimeoutError';
  /** The task as last seen, when a wait for it timed out. */
  readonly task: Task | undefined;

  constructor(message: string, options: { task?: Task; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.task = options.task;
  }
}

/** The caller's signal aborted the call. Never retried, never turned into a timeout. */
export class AbortError extends TaskprocError {
  override readonly name: string = 'AbortError';
}

/** `run()` or `wait()`: the task ended as failed. */
export class TaskFailedError extends TaskprocError {
  override readonly name: string = 'TaskFailedError';
  readonly task: Task;
  /** Why it failed, in English, for logs. */
  readonly errorMessage: string | null;
  /** Why it failed, in words fit to show the user (null when the provider gave none). */
  readonly userFacingErrorMessage: string | null;

  constructor(task: Task) {
    super(`Task ${task.id} (${task.type}) failed: ${task.errorMessage ?? 'no reason given'}`);
    this.task = task;
    this.errorMessage = task.errorMessage;
    this.userFacingErrorMessage = task.userFacingErrorMessage;
  }
}

/** `run()` or `wait()`: the task was cancelled (by this app, another client, or an admin). */
export class TaskCancelledError extends TaskprocError {
  override readonly name: string = 'TaskCancelledError';
  readonly task: Task;

  constructor(task: Task) {
    super(`Task ${task.id} (${task.type}) was cancelled`);
    this.task = task;
  }
}

/** A webhook request is not provably from the coordinator, or is too old: answer it 4xx. */
export class WebhookVerificationError extends TaskprocError {
  override readonly name: string = 'WebhookVerificationError';
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms, in milliseconds. */
function parseRetryAfter(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
