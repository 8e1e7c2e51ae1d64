import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  backoffDelay,
  ConflictError,
  ConnectionError,
  InternalServerError,
  isTransient,
  RateLimitError,
  retryDelay,
  TimeoutError,
  withRetries,
  type Sleep,
} from '../src/index.ts';

const backoff = { initialMs: 100, maxMs: 1_000, random: () => 0 };

/** A sleep that returns at once and remembers what it was asked to wait. */
function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** An attempt that throws `errors` in turn, then answers 'done'; it records what it was called with. */
function scripted(...errors: unknown[]) {
  const calls: Array<{ n: number; previous: unknown }> = [];
  const attempt = async (n: number, previous: unknown) => {
    calls.push({ n, previous });
    if (calls.length <= errors.length) throw errors[calls.length - 1];
    return 'done';
  };
  return { attempt, calls };
}

const unavailable = (headers?: Record<string, string>) =>
  ApiError.generate(503, { code: 'unavailable' }, headers ? new Headers(headers) : undefined);

describe('transient errors', () => {
  it('are no answer, a timeout, 408, 429 and 5xx; a timeout is not a kind of connection error', () => {
    const timeout = new TimeoutError('slow');
    expect(timeout).not.toBeInstanceOf(ConnectionError);
    expect(isTransient(timeout)).toBe(true);
    expect(isTransient(new ConnectionError('refused'))).toBe(true);
    expect([408, 429, 500, 503].map((status) => isTransient(ApiError.generate(status, undefined, undefined)))).toEqual([true, true, true, true]);
    expect([400, 404, 409, 422].map((status) => isTransient(ApiError.generate(status, undefined, undefined)))).toEqual([false, false, false, false]);
    expect(isTransient(new AbortError('stopped'))).toBe(false);
    expect(isTransient(new Error('bug'))).toBe(false);
  });
});

describe('retry delays', () => {
  it('double from initialMs up to maxMs, with up to a quarter of jitter taken off', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, backoff))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelay(1, { ...backoff, random: () => 1 })).toBe(75);
  });

  it('honour Retry-After, capped at the larger of maxMs and a minute', () => {
    expect(retryDelay(unavailable({ 'retry-after': '3' }), 1, backoff)).toBe(3_000);
    expect(retryDelay(unavailable({ 'retry-after': '86400' }), 1, backoff)).toBe(60_000);
    expect(retryDelay(unavailable({ 'retry-after': '86400' }), 1, { ...backoff, maxMs: 120_000 })).toBe(120_000);
    expect(retryDelay(unavailable(), 2, backoff)).toBe(200);
  });
});

describe('withRetries', () => {
  it('repeats transient failures, telling each attempt its number and the previous error', async () => {
    const refused = new ConnectionError('refused');
    const limited = ApiError.generate(429, undefined, new Headers({ 'retry-after-ms': '250' }));
    const { attempt, calls } = scripted(refused, limited);
    const { sleep, waits } = recordingSleep();
    const retries: Array<[unknown, number, number]> = [];
    const result = await withRetries(attempt, {
      maxRetries: 5,
      backoff,
      sleep,
      onRetry: (err, n, delayMs) => retries.push([err, n, delayMs]),
    });
    expect(result).toBe('done');
    expect(calls).toEqual([
      { n: 1, previous: undefined },
      { n: 2, previous: refused },
      { n: 3, previous: limited },
    ]);
    expect(waits).toEqual([100, 250]);
    expect(retries).toEqual([
      [refused, 1, 100],
      [limited, 2, 250],
    ]);
  });

  it('gives up after maxRetries with the last error, and never repeats a non-transient one', async () => {
    const broken = scripted(unavailable(), unavailable(), unavailable());
    const err = await withRetries(broken.attempt, { maxRetries: 2, backoff, sleep: recordingSleep().sleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(broken.calls).toHaveLength(3);

    const conflict = scripted(ApiError.generate(409, { code: 'task_terminal' }, undefined));
    expect(await withRetries(conflict.attempt, { maxRetries: 5, backoff }).catch((e: unknown) => e)).toBeInstanceOf(ConflictError);
    expect(conflict.calls).toHaveLength(1);
  });

  it('retries without end when maxRetries is Infinity', async () => {
    const failures = Array.from({ length: 20 }, () => new RateLimitError(429, undefined, undefined));
    const { attempt, calls } = scripted(...failures);
    expect(await withRetries(attempt, { maxRetries: Infinity, backoff, sleep: recordingSleep().sleep })).toBe('done');
    expect(calls).toHaveLength(21);
  });

  it('throws an AbortError, not the transient error, when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const failure = unavailable();
    const { attempt, calls } = scripted(failure, failure);
    const sleep: Sleep = async () => controller.abort();
    const err = await withRetries(attempt, { maxRetries: 5, backoff, sleep, signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as AbortError).cause).toBe(failure);
    expect(calls).toHaveLength(1);
  });

  it('passes a task\'s own AbortError reason through, so the caller sees why work stopped', async () => {
    const controller = new AbortController();
    const reason = new AbortError('Task 1 was cancelled', { kind: 'cancelled' });
    const { attempt } = scripted(unavailable());
    const sleep: Sleep = async () => controller.abort(reason);
    expect(await withRetries(attempt, { maxRetries: 5, backoff, sleep, signal: controller.signal }).catch((e: unknown) => e)).toBe(reason);
  });

  it('neither waits nor reports a retry once the signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { attempt, calls } = scripted(unavailable());
    const { sleep, waits } = recordingSleep();
    const retried: number[] = [];
    const err = await withRetries(attempt, {
      maxRetries: 5,
      backoff,
      sleep,
      signal: controller.signal,
      onRetry: (_err, n) => retried.push(n),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(retried).toEqual([]);
  });
});
