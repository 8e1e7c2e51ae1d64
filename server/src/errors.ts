import { errorCatalogue, type ErrorCode } from '@taskproc/spec';

/**
 * The one error the coordinator throws on purpose. `app.onError` renders it as problem+json with
 * the catalogue's status and title; anything else is an internal error and leaks nothing.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { slot?: string; field?: string; headers?: Record<string, string> } = {},
  ) {
    super(`${code}: ${detail}`);
    this.status = errorCatalogue[code].status;
  }
}

/** 404 that does not tell "exists but not yours" apart from "does not exist", so ids cannot be probed. */
export function notFound(what: string): ApiError {
  return new ApiError('not_found', `${what} not found`);
}
