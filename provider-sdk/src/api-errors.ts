import type { ErrorCode, Problem } from '@taskproc/spec';

/** Base of every error the SDK raises about talking to the coordinator. */
export class TaskprocError extends Error {
  override readonly name: string = 'TaskprocError';
}

/**
 * The coordinator answered with an error status. `code` is the stable code of the problem body
 * (spec `errorCatalogue`); branch on it, never on the message. Subclasses by status are chosen in
 * one place, {@link ApiError.generate}.
 */
export class ApiError extends TaskprocError {
  override readonly name: string = 'ApiError';
  readonly status: number;
  /** Stable error code, when the body was a problem document. */
  readonly code: ErrorCode | undefined;
  /** X-Request-Id of the failed request: quote it in bug reports. */
  readonly requestId: string | undefined;
  /** Slot at fault, for slot errors such as invalid_output. */
  readonly slot: string | undefined;
  /** Request field at fault, for invalid_request. */
  readonly field: string | undefined;
  /** How long the coordinator asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, problem: Partial<Problem> | undefined, headers: Headers | undefined) {
    const detail = problem?.detail ?? problem?.title ?? `HTTP ${status}`;
    super(problem?.code ? `${status} ${problem.code}: ${detail}` : `${status}: ${detail}`);
    this.status = status;
    this.code = problem?.code;
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
/** 409: among others `task_cancelled` and `lease_lost`, which end the work on a task. */
export class ConflictError extends ApiError {
  override readonly name: string = 'ConflictError';
}
/** 422: among others `invalid_output` (the coordinator failed the task) and `invalid_provider`. */
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

/** The request got no answer in time. A kind of connection error (retried the same way). */
export class TimeoutError extends ConnectionError {
  override readonly name: string = 'TimeoutError';
}

/** Why a task's work was stopped; see {@link AbortError.kind}. */
export type AbortKind = 'cancelled' | 'lease_lost' | 'shutdown';

/**
 * The caller's signal aborted the request, or (as `ctx.signal.reason`) the task's work was
 * stopped: `kind` says why. Never a failure: an aborted task is not reported as failed.
 */
export class AbortError extends TaskprocError {
  override readonly name: string = 'AbortError';
  readonly kind: AbortKind | undefined;

  constructor(message: string, options: { kind?: AbortKind; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
  }
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
