// Lives in spec because it is the protocol's error model and retry rules, shared by every client
// of the coordinator (client, provider-sdk): which failures are worth repeating, how long to back
// off, and how far a Retry-After is honoured, decided once for both.
import { ApiError, ConnectionError, TimeoutError, toAbortError } from './errors.ts';

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
  /** Cap on any delay, ms (a Retry-After may ask for up to a minute more; see {@link retryDelay}). */
  maxMs: number;
  /** Source of jitter; tests pass a constant. */
  random?: () => number;
}

/**
 * Exponential backoff with jitter: retry 1 waits about `initialMs`, each next one twice as long,
 * capped. Jitter takes up to a quarter off so that processes failing together spread out.
 */
export function backoffDelay(retry: number, { initialMs, maxMs, random = Math.random }: BackoffOptions): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, retry - 1));
  return Math.round(base * (1 - random() * 0.25));
}

/**
 * Worth trying again: no answer (refused, reset, timed out), or an answer that says "not now"
 * (408, 429, 5xx). A 409 is a real conflict (idempotency_conflict, task_terminal, lease_lost,
 * ...) that would come back the same, so unlike openai-node it is not retried.
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
  /** Retries after the first attempt (Infinity: until the signal aborts). */
  maxRetries: number;
  backoff: BackoffOptions;
  /** The clock to wait on; the real one by default. */
  sleep?: Sleep;
  /** Stops retrying: an abort during a wait throws an AbortError (see {@link withRetries}). */
  signal?: AbortSignal;
  /** Called before each wait, to log it: the error, the number of the attempt that failed, the wait. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `attempt` until it succeeds, throws a non-transient error, the retries are used up or
 * the signal aborts. Only for calls that are safe to repeat; `attempt` gets its number
 * (1-based) and the previous error, so a repeat can tell "maybe done already" apart.
 *
 * An abort while waiting throws the signal's reason when it is an AbortError (a task's own,
 * saying why), else a new AbortError: the caller gave up, which is not the transient error
 * before it.
 */
export async function withRetries<T>(
  attempt: (n: number, previous: unknown) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const wait = options.sleep ?? sleep;
  let previous: unknown;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n, previous);
    } catch (err) {
      if (!isTransient(err) || n > options.maxRetries) throw err;
      previous = err;
      if (!options.signal?.aborted) {
        const delayMs = retryDelay(err, n, options.backoff);
        options.onRetry?.(err, n, delayMs);
        await wait(delayMs, options.signal);
      }
      if (options.signal?.aborted) throw toAbortError(options.signal.reason, 'Aborted while waiting to retry', err);
    }
  }
}
