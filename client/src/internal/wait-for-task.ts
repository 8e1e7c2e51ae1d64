import { AbortError, terminalStatuses, TimeoutError, type Sleep, type Task } from '@taskproc/spec';
import type { GetTaskOptions, WaitOptions } from '../client-options.ts';
import { TaskCancelledError, TaskFailedError } from '../errors.ts';

export interface WaitDeps {
  get(id: number, options: GetTaskOptions): Promise<Task>;
  sleep: Sleep;
  maxWaitSeconds: number;
  now?: () => number;
}

/**
 * A coordinator that answers a long-poll at once (an old version without waitSeconds, or a wait
 * cap of 0) would turn the loop into a hot loop; polls are spaced at least this far apart.
 */
const minPollIntervalMs = 1_000;

/**
 * Long-polls `GET /v1/tasks/{id}?waitSeconds=N` until the task is terminal. Each round is one
 * request that the coordinator holds until the task ends or N passes, so there is no polling
 * delay; when `timeoutMs` passes, the request in flight is aborted and a TimeoutError carries
 * the task as last seen (or `known`, when no answer came yet). The task itself is left alone.
 */
export async function waitForTask(deps: WaitDeps, id: number, options: WaitOptions = {}, known?: Task): Promise<Task> {
  const now = deps.now ?? Date.now;
  const deadline = options.timeoutMs === undefined ? Infinity : now() + options.timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(deadline)
    ? setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, options.timeoutMs)
    : undefined;
  const onCallerAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  // A timeout before the first answer still names the task, by the state the caller knew.
  let last: Task | undefined = known;
  const timeout = (cause?: unknown) =>
    new TimeoutError(`Task ${id} did not finish within ${options.timeoutMs} ms${last ? ` (it is ${last.status})` : ''}`, {
      task: last,
      cause,
    });
  try {
    for (;;) {
      if (options.signal?.aborted) throw new AbortError(`Waiting for task ${id} was aborted`, { cause: options.signal.reason });
      const remainingMs = deadline - now();
      if (timedOut || remainingMs <= 0) throw timeout();
      const waitSeconds = Math.max(1, Math.min(deps.maxWaitSeconds, Math.ceil(remainingMs / 1000)));
      const startedAt = now();
      try {
        last = await deps.get(id, { waitSeconds, signal: controller.signal });
      } catch (err) {
        // Our own deadline aborted the request: a timeout, not the caller's abort.
        if (timedOut && !options.signal?.aborted) throw timeout(err);
        throw err;
      }
      if (terminalStatuses.has(last.status)) return last;
      const elapsedMs = now() - startedAt;
      if (elapsedMs < minPollIntervalMs) await deps.sleep(minPollIntervalMs - elapsedMs, controller.signal);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** A terminal task's outcome: its output, or the error that says why there is none. */
export function outcomeOf(task: Task): Record<string, unknown> {
  if (task.status === 'failed') throw new TaskFailedError(task);
  if (task.status === 'cancelled') throw new TaskCancelledError(task);
  // A successful task always has an output (the coordinator validated it against the shape).
  return task.output ?? {};
}
