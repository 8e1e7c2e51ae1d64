import { AbortError, ApiError, backoffDelay, sleep, withRetries, type AbortKind, type ClaimedTask, type SlotValues } from '@taskproc/spec';
import type { ProviderDefinition } from '../define-provider.ts';
import type { Logger } from '../logger.ts';
import { ProcessingError, RetryableError } from '../processing-errors.ts';
import { LazyAbort } from './lazy-abort.ts';
import { abortReasonFor, createTaskContext, leaseEndOf } from './task-context.ts';
import type { SendResult } from './result-batcher.ts';
import type { StreamBatcher } from './stream-batcher.ts';
import type { WorkApi } from './work-api.ts';

export interface TaskRunOptions {
  claimed: ClaimedTask;
  provider: ProviderDefinition;
  api: WorkApi;
  /** How results go out (batched with other tasks' by the runner). */
  sendResult: SendResult;
  logger: Logger;
  heartbeatIntervalMs: number;
  /** Runs of `process` per claim when it throws RetryableError. */
  retryableAttempts: number;
  /** Where partial output goes (batched with other tasks'). */
  streams: StreamBatcher;
}

/** One claimed task being worked on. */
export interface TaskRun {
  readonly taskId: number;
  readonly leaseId: string;
  /**
   * Settles once `process` is done (or given up): the task needs no slot any more while its
   * result is being reported. Never rejects.
   */
  readonly processed: Promise<void>;
  /** Settles once the task was reported, released or given up. Never rejects. */
  readonly finished: Promise<void>;
  /** For shutdown past the grace time: aborts `ctx.signal`, then releases the lease. */
  abandon(): void;
  /** The coordinator said the lease is over (control stream): stops `process` at once. */
  endLease(kind: AbortKind): void;
  /** Sends one heartbeat now and stops the work if it says the lease is over. Never rejects. */
  checkLease(): Promise<void>;
}

interface TaskErrorReport {
  message: string;
  userFacingMessage?: string;
}
type Outcome = { output: SlotValues } | { error: TaskErrorReport };

// Limits of TaskError in spec/src/work.ts.
const maxMessage = 10_000;
const maxUserFacingMessage = 2_000;
const genericUserFacingMessage = 'The task could not be processed.';
// The reason `lease` aborts with. Only its being aborted is read; one shared error spares every
// task building one (with its stack).
const leaseOver = new AbortError('the task run is over');

/**
 * Works one claimed task: runs `process` with heartbeats keeping the lease, then reports the
 * output or the error. Invariant: each lease ends in exactly one of result, release, or a
 * deliberate silence (cancelled, lease lost), so the coordinator never waits on a task nobody
 * works on for longer than the lease.
 */
export function startTaskRun(options: TaskRunOptions): TaskRun {
  const { claimed, provider, api } = options;
  const { task, leaseId } = claimed;
  // requestId: the app's request that scheduled the task, so one id follows it across processes.
  const logger = options.logger.child({
    taskId: task.id,
    providerId: claimed.providerId,
    attempt: task.attempts,
    ...(claimed.requestId ? { requestId: claimed.requestId } : {}),
  });
  // Their AbortSignals are made only when needed (see lazy-abort.ts): most short tasks need none.
  const work = new LazyAbort(); // ctx.signal
  const lease = new LazyAbort(); // ends heartbeats and report retries
  let phase: 'processing' | 'reporting' | 'done' = 'processing';
  // Stops the work when the lease ended; while the result is being reported, its answer tells.
  const endLease = (kind: AbortKind) => {
    if (phase === 'processing' && !work.aborted) work.abort(abortReasonFor(kind, task.id));
  };
  const output = task.preferStreaming ? options.streams.open(task.id, leaseId, endLease) : undefined;
  const ctx = createTaskContext({ claimed, api, logger, work, output });
  const startedAt = performance.now();

  // Heartbeats run on a timer rather than in a loop awaiting a sleep: a task that ends before its
  // first beat (most do) costs one setTimeout and one clearTimeout, no promise and no abort
  // listener, which showed in the provider's profile of a drain of short tasks.
  let beatTimer: ReturnType<typeof setTimeout> | undefined;
  let beating: Promise<void> | undefined;
  let beatFailures = 0;
  const nextBeat = () => {
    if (lease.aborted || work.aborted) return;
    // After a failed beat, try again sooner than the interval: the lease is running out.
    const wait = beatFailures === 0 ? options.heartbeatIntervalMs : Math.min(options.heartbeatIntervalMs, 500 * 2 ** beatFailures);
    beatTimer = setTimeout(() => (beating = beat()), wait);
  };
  async function beat(): Promise<void> {
    if (lease.aborted || work.aborted) return;
    try {
      await api.progress(task.id, leaseId, undefined, lease.signal);
      beatFailures = 0;
    } catch (err) {
      if (lease.aborted) return;
      const kind = leaseEndOf(err);
      if (kind) return endLease(kind);
      beatFailures++;
      logger.warn({ err, failures: beatFailures }, 'heartbeat failed');
    }
    nextBeat();
  }

  async function processWithRetries(): Promise<Outcome | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        // Through a promise executor, so a handler that throws synchronously rejects instead.
        const running = new Promise<SlotValues>((resolve) => resolve(provider.process(task.input, ctx)));
        const output = await untilAborted(running, work);
        return checkOutput(output);
      } catch (err) {
        // The abort, not the error's type, decides: a provider's own timeout is a failure.
        if (work.aborted) return undefined;
        if (err instanceof RetryableError && attempt < options.retryableAttempts) {
          const delayMs = err.retryAfterMs ?? backoffDelay(attempt, { initialMs: 1_000, maxMs: 30_000 });
          logger.warn({ err, attempt, delayMs }, 'retryable error; running process again');
          await sleep(delayMs, work.signal);
          if (work.aborted) return undefined;
          continue;
        }
        return { error: toTaskError(err, attempt) };
      }
    }
  }

  async function report(outcome: Outcome): Promise<void> {
    phase = 'reporting';
    // Every piece streamed goes before the result: the app sees them all before the final output.
    await output?.drain();
    try {
      // Safe to repeat: the coordinator answers the same report on the same lease the same way.
      await withRetries(() => options.sendResult(task.id, { leaseId, ...outcome }, lease), {
        maxRetries: 9,
        backoff: { initialMs: 250, maxMs: 5_000 },
        // Read only when a report failed and is to be retried: made then, not for every task.
        get signal() {
          return lease.signal;
        },
        onRetry: (err, attempt, delayMs) => logger.warn({ err, attempt, delayMs }, 'could not report the result; retrying'),
      });
      const status = 'output' in outcome ? 'successful' : 'failed';
      logger.info({ status, durationMs: Math.round(performance.now() - startedAt) }, 'task reported');
    } catch (err) {
      if (lease.aborted) return release('abandoned while reporting');
      if (err instanceof ApiError && err.code === 'invalid_output') {
        logger.error({ err, slot: err.slot }, 'the coordinator rejected the output and failed the task');
      } else if (leaseEndOf(err)) {
        logger.warn({ err }, 'result discarded: the task is no longer ours');
      } else {
        logger.error({ err }, 'could not report the result; the task returns to the queue when its lease expires');
      }
    }
  }

  async function release(why: string): Promise<void> {
    try {
      await withRetries(() => api.release(task.id, leaseId), { maxRetries: 2, backoff: { initialMs: 200, maxMs: 1_000 } });
      logger.info({ why }, 'task released');
    } catch (err) {
      if (leaseEndOf(err)) return;
      logger.warn({ err }, 'could not release the task; it returns to the queue when its lease expires');
    }
  }

  async function settleAbort(): Promise<void> {
    const reason = work.reason;
    const kind = reason instanceof AbortError ? reason.kind : undefined;
    if (kind === 'shutdown') return release('shutting down');
    if (kind === 'cancelled') return void logger.info('task cancelled; its work is discarded');
    logger.warn({ reason }, 'lease lost; the work is discarded');
  }

  nextBeat();
  let markProcessed!: () => void;
  const processed = new Promise<void>((resolve) => (markProcessed = resolve));
  const finished = (async () => {
    try {
      logger.debug('task started');
      const outcome = await processWithRetries();
      markProcessed();
      if (outcome === undefined || work.aborted) {
        output?.close();
        await settleAbort();
      } else await report(outcome);
    } catch (err) {
      logger.error({ err }, 'task runner failed');
    } finally {
      markProcessed();
      phase = 'done';
      lease.abort(leaseOver);
      clearTimeout(beatTimer);
      await beating;
    }
  })();

  return {
    taskId: task.id,
    leaseId,
    processed,
    finished,
    abandon() {
      if (phase === 'done') return;
      work.abort(abortReasonFor('shutdown', task.id));
      if (phase === 'reporting') lease.abort(leaseOver);
    },
    endLease,
    async checkLease() {
      if (phase !== 'processing') return;
      try {
        await api.progress(task.id, leaseId, undefined, lease.signal);
      } catch (err) {
        const kind = leaseEndOf(err);
        if (kind) endLease(kind);
      }
    },
  };
}

/**
 * Settles with `work`, or rejects with the abort reason as soon as `abort` aborts: a handler
 * that ignores its signal cannot hold up cancellation or shutdown.
 */
function untilAborted<T>(work: Promise<T>, abort: LazyAbort): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    abort.onAbort(reject);
    work.then(
      (value) => {
        abort.offAbort(reject);
        resolve(value);
      },
      (err: unknown) => {
        abort.offAbort(reject);
        reject(err);
      },
    );
  });
}

function checkOutput(output: unknown): Outcome {
  if (output && typeof output === 'object' && !Array.isArray(output)) return { output: output as SlotValues };
  const got = Array.isArray(output) ? 'an array' : output === null ? 'null' : typeof output;
  return { error: taskError(`process returned ${got} instead of an object of output slot values`, genericUserFacingMessage) };
}

function toTaskError(err: unknown, attempts: number): TaskErrorReport {
  const text = err instanceof Error ? err.message : String(err);
  if (err instanceof ProcessingError) {
    return taskError(text, err.userFacingMessage);
  }
  if (err instanceof RetryableError) {
    return taskError(`${text} (gave up after ${attempts} attempts)`, err.userFacingMessage ?? genericUserFacingMessage);
  }
  const name = err instanceof Error ? `${err.name}: ` : '';
  return taskError(`${name}${text}`, genericUserFacingMessage);
}

function taskError(message: string, userFacingMessage: string | undefined): TaskErrorReport {
  return {
    message: (message || 'Unknown error').slice(0, maxMessage),
    ...(userFacingMessage ? { userFacingMessage: userFacingMessage.slice(0, maxUserFacingMessage) } : {}),
  };
}
