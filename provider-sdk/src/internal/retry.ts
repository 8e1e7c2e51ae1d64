import { ApiError, ConnectionError } from '../api-errors.ts';

/**
 * Waits `ms`, or less when `signal` aborts. Resolves either way (never rejects): loops look at
 * their own signal after waking, which keeps every sleep abortable without try/catch noise.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
}

export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  initialMs: number;
  /** Cap on any delay, ms. */
  maxMs: number;
}

/**
 * Exponential backoff with jitter: attempt 1 waits about `initialMs`, each next one twice as long,
 * capped. Jitter takes up to a quarter off so that processes failing together spread out.
 */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - random() * 0.25));
}

/**
 * Worth trying again: no answer (connection refused, reset, timeout), or an answer that says
 * "not now" (408, 429, 5xx). Everything else would fail the same way again.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof ConnectionError) return true;
  if (err instanceof ApiError) return err.status === 408 || err.status === 429 || err.status >= 500;
  return false;
}

/** The delay a transient error asks for: the coordinator's Retry-After when it sent one. */
export function retryDelay(err: unknown, attempt: number, backoff: BackoffOptions): number {
  const asked = err instanceof ApiError ? err.retryAfterMs : undefined;
  // A Retry-After is honoured, but a confused one must not park the process for hours.
  if (asked !== undefined) return Math.min(asked, 60_000);
  return backoffDelay(attempt, backoff);
}

export interface RetryOptions extends BackoffOptions {
  /** Give up after this many attempts in all (Infinity: until the signal aborts). */
  maxAttempts: number;
  /** Stops retrying (the last error is thrown); the running attempt sees it through `fn`. */
  signal?: AbortSignal;
  /** Called before each wait, to log it. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `fn` until it succeeds, a non-transient error occurs, the attempts are used up or the
 * signal aborts. Only for calls that are safe to repeat (idempotent on the coordinator).
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || attempt >= options.maxAttempts || options.signal?.aborted) throw err;
      const delayMs = retryDelay(err, attempt, options);
      options.onRetry?.(err, attempt, delayMs);
      await sleep(delayMs, options.signal);
      if (options.signal?.aborted) throw err;
    }
  }
}
