// Lives in spec because it is the protocol's error model and retry rules, shared by every client
// of the coordinator (client, provider-sdk): one copy, so both read a problem document, a status
// and a dropped connection the same way. Depends on nothing but the platform's fetch types.
import type { ErrorCode, Problem } from '../errors.ts';
import type { Task } from '../tasks.ts';

/** Base of every error a client of the coordinator (app client, provider SDK) raises. */
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
  /** Slot at fault, for slot errors (missing_slot, invalid_slot_value, invalid_output, ...). */
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
/**
 * 409, never retried: for apps no_provider, task_type_disabled, idempotency_conflict,
 * task_terminal; for providers among others task_cancelled and lease_lost, which end the work
 * on a task.
 */
export class ConflictError extends ApiError {
  override readonly name: string = 'ConflictError';
}
/**
 * 422: an app's input does not fit the task type (`slot` names the slot at fault), or a
 * provider's output was refused (`invalid_output`: the coordinator failed the task).
 */
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
 * Something took longer than allowed: one request (retried like a connection error, but not a
 * kind of one), or the whole of an app's `run()`/`wait()`, which then sets `task` to the last
 * state seen.
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

/** Why a provider's work on a task was stopped; see {@link AbortError.kind}. */
export type AbortKind = 'cancelled' | 'lease_lost' | 'shutdown';

/**
 * The caller's signal aborted the call. Never retried, never turned into a timeout. In the
 * provider SDK it is also `ctx.signal.reason` when a task's work was stopped, and `kind` says
 * why; an aborted task is not reported as failed.
 */
export class AbortError extends TaskprocError {
  override readonly name: string = 'AbortError';
  readonly kind: AbortKind | undefined;

  constructor(message: string, options: { kind?: AbortKind; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
  }
}

/**
 * The error for an aborted signal: its reason when that is already an AbortError (a task's own,
 * saying why its work stopped, passes through), else a new AbortError (cause: the reason).
 */
export function toAbortError(reason: unknown, message: string, cause: unknown = reason): AbortError {
  if (reason instanceof AbortError) return reason;
  return new AbortError(message, { cause });
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms, in milliseconds. */
export function parseRetryAfter(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
