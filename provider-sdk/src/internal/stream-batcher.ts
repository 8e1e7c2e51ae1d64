import { ApiError, backoffDelay, isTransient, maxStreamBatch, toStorableText, type AbortKind, type OutputDelta, type StreamItem } from '@taskproc/spec';
import type { Logger } from '../logger.ts';
import { leaseEndOf } from './task-context.ts';
import type { WorkApi } from './work-api.ts';

/** One task's partial output on its way to the coordinator. */
export interface TaskStream {
  /** Appends text to output slots; returns at once (the text goes out with the next request). */
  push(delta: OutputDelta): void;
  /** Settles once everything pushed so far was stored (or given up on). Never rejects. */
  drain(): Promise<void>;
  /** Drops what was not sent yet: the task's work was stopped. */
  close(): void;
}

export interface StreamBatcherOptions {
  api: WorkApi;
  logger: Logger;
  /** Least time between the starts of two requests, ms: the coalescing window. */
  intervalMs: number;
}

interface TaskState {
  taskId: number;
  leaseId: string;
  onLeaseEnd: (kind: AbortKind) => void;
  /** A sealed delta with its seq, sent (or retried) until stored; at most one per task. */
  sealed?: StreamItem;
  /** Text pushed since the last seal. */
  open: Record<string, string>;
  seq: number;
  failures: number;
  closed: boolean;
  drained: Array<() => void>;
}

/** Requests a failing delta is retried for before its text is given up on (the final output carries it all anyway). */
const maxFailures = 5;
/** Text per delta and per request, characters: well inside the coordinator's body limit (1 MiB by default). */
const maxItemChars = 65_536;
const maxBatchChars = 524_288;

/**
 * Takes up to `budget` characters of `open` (in slot order) as a delta; what is left stays open.
 * Never cuts a surrogate pair, and makes the text storable (the coordinator refuses NUL and lone
 * surrogates, which would fail the whole request): partial output must not fail on a stray byte.
 */
function seal(open: Record<string, string>, budget: number): { delta: Record<string, string>; rest: Record<string, string> } {
  const delta: Record<string, string> = {};
  const rest: Record<string, string> = {};
  let size = 0;
  for (const [slot, text] of Object.entries(open)) {
    let cut = Math.min(text.length, Math.max(0, budget - size));
    if (cut > 0 && cut < text.length && /[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut--;
    const take = toStorableText(text.slice(0, cut));
    if (take) delta[slot] = take;
    size += cut;
    if (cut < text.length) rest[slot] = text.slice(cut);
  }
  return { delta, rest };
}

/**
 * Partial output of every task of a runner in few requests: one `POST /v1/work/stream` at a time,
 * at most one per `intervalMs`, carrying all that was pushed meanwhile, merged per task (a
 * token is not a request, let alone a transaction). The first text after a quiet spell goes out
 * at once, so the first words reach the app without waiting for the window.
 *
 * Each task's deltas are numbered: a batch whose answer is lost is sent again with the same
 * numbers, and the coordinator stores each number once. A delta refused because the lease ended
 * stops the task's work through `onLeaseEnd`, as a refused heartbeat would.
 */
export function createStreamBatcher(options: StreamBatcherOptions) {
  const tasks = new Map<number, TaskState>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let lastSentAt = -Infinity;

  const hasWork = (t: TaskState) => !t.closed && (t.sealed !== undefined || Object.keys(t.open).length > 0);
  const settleIfDrained = (t: TaskState) => {
    if (hasWork(t)) return;
    for (const resolve of t.drained.splice(0)) resolve();
  };

  const schedule = () => {
    if (sending || timer) return;
    const waitMs = Math.max(0, lastSentAt + options.intervalMs - performance.now());
    // setImmediate at least: what is pushed in this turn of the event loop goes in the same request.
    timer = setTimeout(() => {
      timer = undefined;
      void send();
    }, waitMs);
  };

  const send = async () => {
    const batch: TaskState[] = [];
    let chars = 0;
    for (const t of tasks.values()) {
      if (batch.length === maxStreamBatch || chars >= maxBatchChars) break;
      if (!hasWork(t)) continue;
      if (!t.sealed) {
        const { delta, rest } = seal(t.open, maxItemChars);
        t.open = rest;
        if (Object.keys(delta).length === 0) continue;
        t.sealed = { taskId: t.taskId, leaseId: t.leaseId, seq: ++t.seq, delta };
      }
      chars += Object.values(t.sealed.delta).reduce((n, text) => n + text.length, 0);
      batch.push(t);
    }
    if (batch.length === 0) {
      for (const t of tasks.values()) settleIfDrained(t);
      return;
    }
    sending = true;
    lastSentAt = performance.now();
    let delayMs = 0;
    try {
      const answer = await options.api.stream(batch.map((t) => t.sealed!));
      for (const [i, t] of batch.entries()) {
        const outcome = answer.results[i];
        if (outcome?.status === 200) {
          t.sealed = undefined;
          t.failures = 0;
        } else {
          const kind = outcome ? leaseEndOf(ApiError.generate(outcome.status, outcome.problem, undefined)) : undefined;
          if (kind) {
            t.onLeaseEnd(kind);
            t.closed = true;
          } else giveUpLater(t, outcome?.problem?.detail ?? 'no outcome for the task');
        }
      }
    } catch (err) {
      for (const t of batch) giveUpLater(t, err instanceof Error ? err.message : String(err));
      if (isTransient(err)) delayMs = backoffDelay(Math.max(...batch.map((t) => t.failures)), { initialMs: 100, maxMs: 2_000 });
    } finally {
      sending = false;
      for (const t of tasks.values()) settleIfDrained(t);
      if ([...tasks.values()].some(hasWork)) {
        lastSentAt = Math.max(lastSentAt, performance.now() + delayMs - options.intervalMs);
        schedule();
      }
    }
  };

  /** A delta that keeps failing is dropped: partial output is advisory, the result is not. */
  const giveUpLater = (t: TaskState, why: string) => {
    t.failures++;
    if (t.failures < maxFailures) return;
    options.logger.warn({ taskId: t.taskId, failures: t.failures, why }, 'partial output could not be stored; dropped');
    t.sealed = undefined;
    t.failures = 0;
  };

  return {
    /** Starts a task's stream; `onLeaseEnd` hears when the coordinator says the lease is over. */
    open(taskId: number, leaseId: string, onLeaseEnd: (kind: AbortKind) => void): TaskStream {
      const state: TaskState = { taskId, leaseId, onLeaseEnd, open: {}, seq: 0, failures: 0, closed: false, drained: [] };
      tasks.set(taskId, state);
      const forget = () => {
        if (tasks.get(taskId) === state) tasks.delete(taskId);
      };
      return {
        push(delta) {
          if (state.closed) return;
          for (const [slot, text] of Object.entries(delta)) {
            if (text) state.open[slot] = (state.open[slot] ?? '') + text;
          }
          schedule();
        },
        drain() {
          if (!hasWork(state)) {
            forget();
            return Promise.resolve();
          }
          return new Promise<void>((resolve) => state.drained.push(resolve)).then(forget);
        },
        close() {
          state.closed = true;
          settleIfDrained(state);
          forget();
        },
      };
    },
  };
}

export type StreamBatcher = ReturnType<typeof createStreamBatcher>;
