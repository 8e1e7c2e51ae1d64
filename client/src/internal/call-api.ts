import {
  withRetries,
  type BackoffOptions,
  type Sleep,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '@taskproc/spec';

/** openai-node's numbers: 0.5 s, 1 s, 2 s, ... up to 8 s. */
export const requestBackoff: BackoffOptions = { initialMs: 500, maxMs: 8_000 };

export interface CallContext {
  transport: Transport;
  maxRetries: number;
  sleep: Sleep;
  backoff?: BackoffOptions;
}

export interface CallOptions {
  /**
   * Whether repeating the request is harmless: GET, DELETE, cancel, and schedule with its
   * Idempotency-Key. An upload is not: a lost answer would leave a stray copy per retry.
   */
  retry: boolean;
}

/**
 * One API call, repeated on transient failures when it is safe to repeat. A custom `attempt`
 * sees its number and the previous error: a repeat may meet the effect of an attempt whose
 * answer was lost, and only the call knows what that looks like.
 */
export function callApi(
  ctx: CallContext,
  request: TransportRequest,
  options: CallOptions,
  attempt: (n: number, previous: unknown) => Promise<TransportResponse> = () => ctx.transport(request),
): Promise<TransportResponse> {
  if (!options.retry) return ctx.transport(request);
  return withRetries(attempt, {
    maxRetries: ctx.maxRetries,
    backoff: ctx.backoff ?? requestBackoff,
    sleep: ctx.sleep,
    signal: request.signal,
  });
}

/** Attempt `n` of a call, as it is; the first one also tells `onSettled` once it is answered or failed. */
export function watchFirstAttempt(n: number, attempt: Promise<TransportResponse>, onSettled: (() => void) | undefined): Promise<TransportResponse> {
  if (n === 1 && onSettled) attempt.then(onSettled, onSettled);
  return attempt;
}
