import { ApiError, createGroupCommit, readRouteJson, routeRequest, taskRoutes, type ScheduleTaskRequest, type Task } from '@taskproc/spec';
import { callApi, watchFirstAttempt, type CallContext } from './call-api.ts';

/** One schedule() call, its request checked, its Idempotency-Key chosen. */
export interface ScheduleCall {
  request: ScheduleTaskRequest;
  idempotencyKey: string;
  signal?: AbortSignal;
}

/**
 * Sends one schedule: alone on `POST /v1/tasks`, or with others on `POST /v1/tasks/batch`.
 * `onFirstAttempt` hears when the first attempt was answered (or failed), retries aside.
 */
export type Schedule = (call: ScheduleCall, onFirstAttempt?: () => void) => Promise<Task>;

interface Pending extends ScheduleCall {
  resolve: (task: Task) => void;
  reject: (err: unknown) => void;
}

/** Tasks in one batch request at most (the route's own limit). */
const maxPerRequest = 100;

/**
 * Schedules of one client, merged: while a request is in flight, the calls made meanwhile wait
 * and go together in the next, as one `POST /v1/tasks/batch` (an app scheduling a mail batch or
 * an import gets one request per round trip, not one per task). A call alone goes out at once on
 * `POST /v1/tasks`, as it always did. Each call settles as the single route would have answered
 * it (the task, or the same error class), and a failed batch request is retried as a single one
 * is: every task carries its key. A call aborted while it waits is left out; once sent, an abort
 * only drops its answer (the task may be stored, as with a single request cut off). A
 * coordinator without the batch route (older than the client) gets single requests from then on.
 */
export function createScheduleBatcher(ctx: CallContext, single: Schedule): Schedule {
  let batchRoute = true;

  const sendSingly = async (batch: Pending[], onFirstAttempts: () => void = () => {}) => {
    let left = batch.length;
    const oneAnswered = () => --left === 0 && onFirstAttempts();
    await Promise.all(batch.map((p) => single(p, oneAnswered).then(p.resolve, p.reject)));
  };

  const sendBatch = async (batch: Pending[], onFirstAttempt: () => void) => {
    const route = taskRoutes.scheduleBatch;
    const tasks = batch.map((p) => ({ ...p.request, idempotencyKey: p.idempotencyKey }));
    const request = routeRequest(route, { json: { tasks } });
    try {
      const res = await callApi(ctx, request, { retry: true }, (n) => watchFirstAttempt(n, ctx.transport(request), onFirstAttempt));
      const { results } = readRouteJson(route, res);
      batch.forEach((p, i) => {
        const outcome = results[i];
        if (!outcome) p.reject(new Error(`the coordinator answered ${results.length} outcomes for ${batch.length} tasks`));
        else if (outcome.task && (outcome.status === 201 || outcome.status === 200)) p.resolve(outcome.task);
        else {
          const headers = outcome.retryAfter === undefined ? undefined : new Headers({ 'retry-after': String(outcome.retryAfter) });
          p.reject(ApiError.generate(outcome.status, outcome.problem, headers));
        }
      });
    } catch (err) {
      // A coordinator without the route looked at no task: it answers 405 (the path reads as
      // /v1/tasks/{id} there) or 404. Neither is an answer the route itself gives.
      if (err instanceof ApiError && (err.code === 'method_not_allowed' || err.code === 'not_found')) {
        batchRoute = false;
        await sendSingly(batch);
        return;
      }
      // Refused whole for what one task brought (the body too large together, a key out of
      // bounds): alone, each gets its own answer. Nothing was stored.
      if (err instanceof ApiError && (err.status === 400 || err.status === 413)) {
        await sendSingly(batch);
        return;
      }
      for (const p of batch) p.reject(err);
    }
  };

  // A request holds the way for the calls made meanwhile only until its first attempt is
  // answered: one that then waits to be retried (a coordinator restarting, a 503 with
  // Retry-After) is retried on its own, and the calls behind it go on in the next request.
  const send = (batch: Pending[]) =>
    new Promise<void>((released) => {
      const sending = batch.length > 1 && batchRoute ? sendBatch(batch, released) : sendSingly(batch, released);
      void sending.then(released);
    });
  const submit = createGroupCommit<Pending>(send, { maxPerBatch: maxPerRequest, keep: (p) => !p.signal?.aborted });

  return (call) =>
    new Promise<Task>((resolve, reject) => {
      const { signal } = call;
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal!.reason);
      // Removed once settled, so a long-lived signal does not collect a listener per call.
      const settled = () => signal?.removeEventListener('abort', onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      // The calls of one turn share the first request.
      submit({ ...call, resolve: (task) => (settled(), resolve(task)), reject: (err) => (settled(), reject(err)) });
    });
}
