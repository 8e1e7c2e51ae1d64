import { AbortError, ApiError, ConnectionError, TimeoutError } from '../errors.ts';

/** Waits `ms`; resolves early (never rejects) when `signal` aborts. Callers check the signal after. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock's sleep: a timer that an abort clears at once. */
export const sleep: Sleep = (ms, signal) => {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
};

export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  initialMs: number;
  /** Cap on any delay, ms (also on a Retry-After the coordinator asks for). */
  maxMs: number;
  /** Source of jitter; tests pass a constant. */
  random?: () => number;
}

/** openai-node's numbers: 0.5 s, 1 s, 2 s, ... up to 8 s. */
export const requestBackoff: BackoffOptions = { initialMs: 500, maxMs: 8_000 };

/**
 * Exponential backoff with jitter: retry 1 waits about `initialMs`, each next one twice as long,
 * capped. Jitter takes up to a quarter off so that clients failing together spread out.
 */
export function backoffDelay(retry: number, { initialMs, maxMs, random = Math.random }: BackoffOptions): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, retry - 1));
  return Math.round(base * (1 - random() * 0.25));
}

/**
 * Worth trying again: no answer (refused, reset, timed out), or an answer that says "not now"
 * (408, 429, 5xx). A 409 is a real conflict (idempotency_conflict, task_terminal, no_provider)
 * that would come back the same, so unlike openai-node it is not retried.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof ConnectionError || err instanceof TimeoutError) return true;
  if (err instanceof ApiError) return err.status === 408 || err.status === 429 || err.status >= 500;
  return false;
}

/** The delay before retry number `retry`: the coordinator's Retry-After when it sent one. */
export function retryDelay(err: unknown, retry: number, backoff: BackoffOptions): number {
  const asked = err instanceof ApiError ? err.retryAfterMs : undefined;
  // Honoured, but a confused Retry-After must not park the caller for hours.
  if (asked !== undefined) return Math.min(asked, Math.max(backoff.maxMs, 60_000));
  return backoffDelay(retry, backoff);
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  backoff: BackoffOptions;
  sleep: Sleep;
  /** Stops retrying: the last error is thrown. */
  signal?: AbortSignal;
}

/**
 * Runs `attempt` until it succeeds, throws a non-transient error, the retries are used up or
 * the signal aborts (AbortError). Only for calls that are safe to repeat; `attempt` gets its number (1-based)
 * and the previous error, so a repeat can tell "maybe done already" apart.
 */
export async function withRetries<T>(
  attempt: (n: number, previous: unknown) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  let previous: unknown;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n, previous);
    } catch (err) {
      if (!isTransient(err) || n > options.maxRetries) throw err;
      previous = err;
      await options.sleep(retryDelay(err, n, options.backoff), options.signal);
      // The caller gave up while we waited: that is an abort, not the transient error before it.
      if (options.signal?.aborted) throw new AbortError('Aborted while waiting to retry', { cause: err });
    }
  }
}
