import { ApiError, createGroupCommit, maxResultBatch, type BatchResultItem, type ClaimedTask, type ClaimRequest, type ResultRequest } from '@taskproc/spec';
import type { LazyAbort } from './lazy-abort.ts';
import type { WorkApi } from './work-api.ts';

/**
 * Sends a task's result; settles as `WorkApi.result` would (an ApiError for a refused report).
 * When `lease` aborts first, it rejects with the reason, and a result not yet sent is left out.
 */
export type SendResult = (taskId: number, report: ResultRequest, lease: LazyAbort) => Promise<void>;

export interface ResultBatcherOptions {
  api: WorkApi;
  /**
   * Asked before each request: a claim to send along with the results (the runner offers one
   * when its poll loop is waiting for free slots), with what to do with the tasks it brings.
   */
  claimAlong?: () => { request: ClaimRequest; dispatch: (tasks: ClaimedTask[]) => void } | undefined;
}

interface Pending {
  item: BatchResultItem;
  lease: LazyAbort;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Results of many tasks in few requests: while one `POST /v1/work/results` is in flight, the
 * results that finish meanwhile wait and go together in the next; results finished in the same
 * turn of the event loop share the first. An idle provider adds no delay, a busy one sends one
 * request per batch instead of one per task. Each result settles on its own outcome, so a
 * refused report (lease lost, invalid output) fails only its own task run, and a failed request
 * fails every result in it, which the task runs retry as they would a single report.
 */
export function createResultBatcher(options: ResultBatcherOptions): SendResult {
  const sendSome = async (batch: Pending[]) => {
    const along = options.claimAlong?.();
    try {
      const answer = await options.api.results(
        batch.map((p) => p.item),
        { next: along?.request },
      );
      along?.dispatch(answer.tasks ?? []);
      for (const [i, p] of batch.entries()) {
        const outcome = answer.results[i];
        if (outcome?.taskId !== p.item.taskId) p.reject(new Error(`the coordinator answered results out of order (task ${p.item.taskId})`));
        else if (outcome.status === 200) p.resolve();
        else p.reject(ApiError.generate(outcome.status, outcome.problem, undefined));
      }
    } catch (err) {
      along?.dispatch([]);
      for (const p of batch) p.reject(err);
    }
  };

  // Aborted results are left out; the next macrotask: every task that finished in this turn
  // goes in the first request.
  const submit = createGroupCommit(sendSome, { maxPerBatch: maxResultBatch, keep: (p) => !p.lease.aborted, defer: setImmediate });

  return (taskId, report, lease) =>
    new Promise<void>((resolve, reject) => {
      if (lease.aborted) return reject(lease.reason);
      // Removed once settled: the task run aborts its lease when it ends, and a listener left
      // behind would be called for every task for nothing.
      lease.onAbort(reject);
      submit({
        item: { taskId, ...report },
        lease,
        resolve: () => (lease.offAbort(reject), resolve()),
        reject: (err) => (lease.offAbort(reject), reject(err)),
      });
    });
}
