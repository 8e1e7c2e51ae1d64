import { setTimeout as sleep } from 'node:timers/promises';
import { chaosInput, chaosTaskType } from './chaos-task.ts';
import { classifyFetchError, type HttpRecord } from './http-outcome.ts';

export interface ScheduleLoadOptions {
  /** Coordinator (or balancer) URL. */
  url: string;
  /** An app token. */
  token: string;
  /** Pause after each task is scheduled: the pace of the steady stream. */
  pauseMs: number;
  /**
   * First retry delay after a failed attempt; doubles up to 200 ms, a cap low enough that the
   * time to recover is measured to a fifth of a second.
   */
  retryMs?: number;
  /** Per-attempt timeout: a request the coordinator never answers counts as `timeout`. */
  attemptTimeoutMs?: number;
}

/** A task the coordinator accepted (a 2xx answer), with the input text the app sent. */
export interface ScheduledTask {
  id: number;
  text: string;
}

/** An app scheduling one task after another until stopped, and what each attempt met. */
export interface ScheduleLoad {
  /** Every attempt, failed or not. */
  readonly attempts: readonly HttpRecord[];
  /** Tasks the coordinator accepted. */
  readonly scheduled: readonly ScheduledTask[];
  /**
   * Resolves with the first 2xx answer to an attempt sent at or after `after` (ms, Date.now()),
   * past or future; rejects after `timeoutMs`. Sent after, not merely answered after: an answer
   * already on its way when a replica died says nothing about what the app meets next.
   */
  firstSuccessAfter(after: number, timeoutMs: number): Promise<HttpRecord>;
  /** Stops after the attempt in flight; the task being retried is dropped (never acknowledged). */
  stop(): Promise<void>;
}

/**
 * One loop, one task at a time: schedule, pause, next. A failed attempt (no answer, 5xx, 429) is
 * retried with the same Idempotency-Key, as an app that cannot tell "not done" from "done, answer
 * lost" must; so a task created by a request whose answer was lost is the same task when the retry
 * lands, never a second one.
 */
export function startScheduleLoad(options: ScheduleLoadOptions): ScheduleLoad {
  const attempts: HttpRecord[] = [];
  const scheduled: ScheduledTask[] = [];
  const listeners = new Set<(record: HttpRecord) => void>();
  const stopping = new AbortController();
  const runId = Math.random().toString(36).slice(2, 8);

  const attempt = async (n: number, text: string): Promise<HttpRecord & { id?: number }> => {
    const startedAt = Date.now();
    let outcome: HttpRecord['outcome'];
    let id: number | undefined;
    try {
      const res = await fetch(new URL('/v1/tasks', options.url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          'idempotency-key': `chaos-${runId}-${n}`,
        },
        body: JSON.stringify({ type: chaosTaskType, input: { input: text } }),
        signal: AbortSignal.timeout(options.attemptTimeoutMs ?? 15_000),
      });
      const body = (await res.json().catch(() => undefined)) as { id?: number } | undefined;
      outcome = res.status;
      if (res.ok) id = body?.id;
    } catch (err) {
      outcome = classifyFetchError(err);
    }
    const record = { startedAt, endedAt: Date.now(), outcome, by: 'app', path: '/v1/tasks' };
    attempts.push(record);
    for (const listener of [...listeners]) listener(record);
    return { ...record, id };
  };

  const loop = async () => {
    for (let n = 1; !stopping.signal.aborted; n++) {
      const text = chaosInput(n);
      for (let retry = 0; !stopping.signal.aborted; retry++) {
        const result = await attempt(n, text);
        if (typeof result.outcome === 'number' && result.outcome < 300) {
          if (result.id === undefined) throw new Error(`task ${n}: a ${result.outcome} answer without an id`);
          scheduled.push({ id: result.id, text });
          break;
        }
        // A refusal that would come back the same (4xx but 408/429) is a test failure, counted
        // in the figures; retrying it would only repeat it.
        if (typeof result.outcome === 'number' && result.outcome < 500 && ![408, 429].includes(result.outcome)) break;
        const delayMs = Math.min(200, (options.retryMs ?? 50) * 2 ** retry);
        await sleep(delayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
      await sleep(options.pauseMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  };
  const running = loop();
  // Rethrown by stop(); until then it must not count as an unhandled rejection.
  running.catch(() => {});

  return {
    attempts,
    scheduled,
    firstSuccessAfter(after, timeoutMs) {
      const ok = (r: HttpRecord) => typeof r.outcome === 'number' && r.outcome < 300 && r.startedAt >= after;
      const found = attempts.find(ok);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          const last = attempts.at(-1);
          reject(new Error(`no task scheduled within ${timeoutMs} ms; last attempt: ${JSON.stringify(last)}`));
        }, timeoutMs);
        const listener = (record: HttpRecord) => {
          if (!ok(record)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(record);
        };
        listeners.add(listener);
      });
    },
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
