import { AbortError, ApiError, withRetries, type AbortKind, type ClaimedTask, type RetryOptions } from '@taskproc/spec';
import type { ProviderContext } from '../context.ts';
import type { Logger } from '../logger.ts';
import type { LazyAbort } from './lazy-abort.ts';
import type { TaskStream } from './stream-batcher.ts';
import type { WorkApi } from './work-api.ts';

/**
 * Whether a coordinator error means the task is no longer ours: `task_cancelled`, or any other
 * 409/404 on a lease call (lease_lost, task_not_running, a deleted task). Undefined otherwise.
 */
export function leaseEndOf(err: unknown): AbortKind | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.code === 'task_cancelled') return 'cancelled';
  if (err.status === 409 || err.status === 404) return 'lease_lost';
  return undefined;
}

/** The abort reason for a kind: what `ctx.signal.reason` holds. */
export function abortReasonFor(kind: AbortKind, taskId: number): AbortError {
  const why = {
    cancelled: 'was cancelled',
    lease_lost: 'is no longer leased to this provider',
    shutdown: 'was stopped because the runner is shutting down',
  }[kind];
  return new AbortError(`Task ${taskId} ${why}`, { kind });
}

export interface TaskContextOptions {
  claimed: ClaimedTask;
  api: WorkApi;
  logger: Logger;
  /** The task's work: `ctx.signal` is its signal, made when the handler first reads it. */
  work: LazyAbort;
  /** Where `ctx.stream` sends partial output; absent when the task did not ask for streaming. */
  output?: TaskStream;
}

// File transfers are retried a little: a long task should not fail on one dropped connection.
const fileRetries: RetryOptions = { maxRetries: 3, backoff: { initialMs: 250, maxMs: 4_000 } };

/** The context handed to `process`: every lease call goes through here. */
export function createTaskContext({ claimed, api, logger, work, output }: TaskContextOptions): ProviderContext {
  const { task, leaseId } = claimed;

  // A lease-ending answer to any call aborts the task, then surfaces as the abort reason.
  const onLeaseError = (err: unknown): never => {
    const kind = leaseEndOf(err);
    if (kind) work.abort(abortReasonFor(kind, task.id));
    if (work.aborted) throw work.reason;
    throw err;
  };

  return {
    taskId: task.id,
    attempt: task.attempts,
    appId: task.appId,
    userId: task.userId,
    get signal() {
      return work.signal;
    },
    logger,
    streaming: output !== undefined,
    stream(delta) {
      if (!output || work.aborted) return;
      const slots = typeof delta === 'string' ? { output: delta } : delta;
      for (const [slot, text] of Object.entries(slots)) {
        if (typeof text !== 'string') throw new TypeError(`ctx.stream: the text for slot "${slot}" is ${typeof text}, not a string`);
      }
      output.push(slots);
    },
    async reportProgress(progress) {
      if (!Number.isFinite(progress) || progress < 0 || progress > 1) {
        throw new RangeError(`progress must be a number from 0 to 1, got ${progress}`);
      }
      if (work.aborted) throw work.reason;
      try {
        await api.progress(task.id, leaseId, progress, work.signal);
      } catch (err) {
        if (leaseEndOf(err) || work.aborted) onLeaseError(err);
        // Progress is advisory and the heartbeat keeps the lease: a failed report is not the task's failure.
        logger.warn({ err }, 'could not report progress');
      }
    },
    async readFile(fileId) {
      try {
        const signal = work.signal;
        return await withRetries(() => api.downloadFile(task.id, leaseId, fileId, signal), { ...fileRetries, signal });
      } catch (err) {
        return onLeaseError(err);
      }
    },
    async writeFile(bytes, options) {
      try {
        // A retry after a lost answer may store the file twice; the spare copy is unreferenced and harmless.
        const signal = work.signal;
        const info = await withRetries(() => api.uploadFile(task.id, leaseId, bytes, options, signal), {
          ...fileRetries,
          signal,
        });
        return info.id;
      } catch (err) {
        return onLeaseError(err);
      }
    },
  };
}
