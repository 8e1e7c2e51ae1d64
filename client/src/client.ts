import {
  ConflictError,
  ConnectionError,
  createTransport,
  fileNameOfContentDisposition,
  fileRoutes,
  headers,
  NotFoundError,
  readRouteJson,
  routeRequest,
  ScheduleTaskRequest,
  sleep,
  taskRoutes,
  taskTypeRoutes,
  terminalStatuses,
  TaskprocError,
  TimeoutError,
  webhookRoutes,
  type AvailableTaskType,
  type FileInfo,
  type SlotValues,
  type Task,
  type TaskList,
  type WebhookDelivery,
  type WebhookSecret,
} from '@taskproc/spec';
import { refuseInvalidRequest } from './internal/refuse-invalid-request.ts';
import {
  clientDefaults,
  type DownloadedFile,
  type EventsOptions,
  type GetTaskOptions,
  type ListTasksQuery,
  type OutputStreamPart,
  type RequestOptions,
  type RunOptions,
  type ScheduleOptions,
  type StreamOptions,
  type StreamTaskOptions,
  type InputOf,
  type OutputOf,
  type TaskTypeRef,
  type TaskProcessingClientOptions,
  type TypedTask,
  type TypedWaitOptions,
  type TaskStreamEvent,
  type UploadFileOptions,
  type WaitOptions,
} from './client-options.ts';
import { callApi, watchFirstAttempt, type CallContext } from './internal/call-api.ts';
import { streamOneTask, streamTaskEvents } from './internal/event-stream.ts';
import { outputStreamOf } from './internal/output-stream.ts';
import { createScheduleBatcher, type Schedule, type ScheduleCall } from './internal/schedule-batcher.ts';
import { outcomeOf, waitForTask } from './internal/wait-for-task.ts';

/**
 * An app's client of the taskproc coordinator: schedule tasks, wait for them or stream their
 * events, cancel and delete them, move files. Safe to share; it holds no connection state.
 *
 * ```ts
 * const client = new TaskProcessingClient({ url: 'http://127.0.0.1:8700', token });
 * const { output } = await client.run('core:text2text:summary', { input: text }, { timeoutMs: 120_000 });
 * ```
 */
export class TaskProcessingClient {
  readonly #ctx: CallContext;
  readonly #timeoutMs: number;
  readonly #scheduleBatched: Schedule;

  constructor(options: TaskProcessingClientOptions) {
    this.#timeoutMs = options.timeoutMs ?? clientDefaults.timeoutMs;
    this.#ctx = {
      transport: createTransport({
        url: options.url,
        token: options.token,
        fetch: options.fetch,
        timeoutMs: this.#timeoutMs,
      }),
      maxRetries: options.maxRetries ?? clientDefaults.maxRetries,
      sleep: options.sleep ?? sleep,
    };
    this.#scheduleBatched = createScheduleBatcher(this.#ctx, (call, onFirstAttempt) => this.#scheduleOne(call, undefined, onFirstAttempt));
  }

  /** Task types the app can schedule; `all` adds known types without a provider. */
  async taskTypes(options: RequestOptions & { all?: boolean } = {}): Promise<AvailableTaskType[]> {
    const route = taskTypeRoutes.list;
    const query = { all: options.all ? 'true' : undefined };
    const res = await callApi(this.#ctx, routeRequest(route, { query, signal: options.signal }), { retry: true });
    return readRouteJson(route, res).types;
  }

  /**
   * Schedules a task. Retried on transient failures under one Idempotency-Key, so a lost answer
   * never schedules the task twice. Calls made while another is in flight go together in one
   * request (POST /v1/tasks/batch), each answered as it would be alone.
   */
  async schedule(request: ScheduleTaskRequest, options: ScheduleOptions = {}): Promise<Task> {
    refuseInvalidRequest(ScheduleTaskRequest, request);
    const call = { request, idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(), signal: options.signal };
    // A schedule that waits holds its answer, so it goes alone; others may share a request.
    if (options.waitSeconds) return this.#scheduleOne(call, Math.ceil(options.waitSeconds));
    return this.#scheduleBatched(call);
  }

  async #scheduleOne(call: ScheduleCall, waitSeconds?: number, onFirstAttempt?: () => void): Promise<Task> {
    const route = taskRoutes.schedule;
    const request = routeRequest(route, {
      json: call.request,
      query: { waitSeconds },
      headers: { [headers.idempotencyKey]: call.idempotencyKey },
      signal: call.signal,
      // As for get(): a held answer is not a slow one.
      timeoutMs: waitSeconds ? Math.max(this.#timeoutMs, waitSeconds * 1000 + 15_000) : undefined,
    });
    const res = await callApi(this.#ctx, request, { retry: true }, (n) => watchFirstAttempt(n, this.#ctx.transport(request), onFirstAttempt));
    return readRouteJson(route, res);
  }

  /** A task; with `waitSeconds`, a long-poll answered as soon as the task is terminal. */
  async get(id: number, options: GetTaskOptions = {}): Promise<Task> {
    const waitSeconds = options.waitSeconds === undefined ? undefined : Math.max(0, Math.ceil(options.waitSeconds));
    const route = taskRoutes.get;
    const res = await callApi(
      this.#ctx,
      routeRequest(route, {
        params: { id },
        query: { waitSeconds },
        signal: options.signal,
        // The coordinator holds a long-poll for up to waitSeconds: that is not a slow answer.
        timeoutMs: waitSeconds ? Math.max(this.#timeoutMs, waitSeconds * 1000 + 15_000) : undefined,
      }),
      { retry: true },
    );
    return readRouteJson(route, res);
  }

  /**
   * Waits until the task is terminal and returns it, whatever its status (check `status`; a
   * successful task has its `output`). Long-polls, so it answers as soon as the result is in. On
   * `timeoutMs` it throws TimeoutError and leaves the task be. Pass `type` (the id of a built-in
   * type, or a custom type's definition) to get `output` typed; a task of another type then
   * rejects with TaskprocError.
   *
   * ```ts
   * const task = await client.wait(id, { type: 'core:text2text:summary' });
   * if (task.status === 'successful') console.log(task.output?.output);
   * ```
   */
  async wait<R extends TaskTypeRef = string>(id: number, options: TypedWaitOptions<R> = {}): Promise<TypedTask<OutputOf<R>>> {
    const { type, ...waitOptions } = options;
    const task = await this.#wait(id, waitOptions);
    if (type !== undefined && task.type !== typeIdOf(type)) {
      throw new TaskprocError(`task ${id} is of type ${task.type}, not ${typeIdOf(type)}`);
    }
    return task as TypedTask<OutputOf<R>>;
  }

  /**
   * Schedules a task and waits for it: resolves with its output, or rejects with
   * TaskFailedError, TaskCancelledError or (after `timeoutMs`) TimeoutError. A timeout leaves
   * the task running unless `cancelOnTimeout` is set; `error.task.id` names it either way.
   */
  async run<R extends TaskTypeRef>(type: R, input: InputOf<R>, options: RunOptions = {}): Promise<OutputOf<R>> {
    const { idempotencyKey, signal, timeoutMs, cancelOnTimeout, ...fields } = options;
    const startedAt = Date.now();
    // The schedule itself waits the first stretch (never past timeoutMs: the answer must come
    // back to name the task), so a task done by then costs one round trip.
    const waitSeconds = Math.min(clientDefaults.maxWaitSeconds, Math.floor((timeoutMs ?? Infinity) / 1000));
    const task = await this.schedule(
      { ...fields, type: typeIdOf(type), input: input as SlotValues },
      { idempotencyKey, signal, waitSeconds },
    );
    let done: Task;
    try {
      const remainingMs = timeoutMs === undefined ? undefined : timeoutMs - (Date.now() - startedAt);
      done = terminalStatuses.has(task.status) ? task : await this.#wait(task.id, { timeoutMs: remainingMs, signal }, task);
    } catch (err) {
      if (!(err instanceof TimeoutError) || !cancelOnTimeout) throw err;
      done = await this.#cancelAfterTimeout(task.id, err, signal);
    }
    return outcomeOf(done) as OutputOf<R>;
  }

  /** One page of the app's tasks, newest first. */
  async list(query: ListTasksQuery = {}, options: RequestOptions = {}): Promise<TaskList> {
    const route = taskRoutes.list;
    const res = await callApi(this.#ctx, routeRequest(route, { query, signal: options.signal }), { retry: true });
    return readRouteJson(route, res);
  }

  /** Every matching task, newest first, fetching pages as the loop asks for more. */
  async *listAll(query: Omit<ListTasksQuery, 'cursor'> = {}, options: RequestOptions = {}): AsyncGenerator<Task> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...query, cursor }, options);
      yield* page.tasks;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** Cancels a scheduled or running task (again: no change). A successful or failed one: ConflictError `task_terminal`. */
  async cancel(id: number, options: RequestOptions = {}): Promise<Task> {
    const route = taskRoutes.cancel;
    const res = await callApi(this.#ctx, routeRequest(route, { params: { id }, signal: options.signal }), { retry: true });
    return readRouteJson(route, res);
  }

  /** Deletes a task and the output files its provider produced. */
  async delete(id: number, options: RequestOptions = {}): Promise<void> {
    const request = routeRequest(taskRoutes.delete, { params: { id }, signal: options.signal });
    await callApi(this.#ctx, request, { retry: true }, async (n, previous) => {
      try {
        return await this.#ctx.transport(request);
      } catch (err) {
        // The attempt before got no answer, so it may have deleted the task: then 404 means done.
        const mayHaveLanded = previous instanceof ConnectionError || previous instanceof TimeoutError;
        if (n > 1 && mayHaveLanded && err instanceof NotFoundError) return { status: 204, headers: new Headers(), bytes: new Uint8Array(), body: null };
        throw err;
      }
    });
  }

  /**
   * Uploads a file for an Image, Audio, Video or File slot; pass the returned `id` in the input.
   * Not retried: a lost answer would leave one stray copy per retry.
   */
  async uploadFile(content: Uint8Array | Blob, options: UploadFileOptions = {}): Promise<FileInfo> {
    const mimeType = options.mimeType || (content instanceof Blob && content.type) || 'application/octet-stream';
    const fileHeaders: Record<string, string> = { 'content-type': mimeType };
    // Header values are ASCII; the coordinator percent-decodes the name.
    if (options.name !== undefined) fileHeaders[headers.fileName] = encodeURIComponent(options.name);
    const route = fileRoutes.upload;
    const res = await callApi(
      this.#ctx,
      routeRequest(route, { body: content, headers: fileHeaders, signal: options.signal }),
      { retry: false },
    );
    return readRouteJson(route, res);
  }

  /** A file's metadata. */
  async fileInfo(id: number, options: RequestOptions = {}): Promise<FileInfo> {
    const route = fileRoutes.info;
    const res = await callApi(this.#ctx, routeRequest(route, { params: { id }, signal: options.signal }), { retry: true });
    return readRouteJson(route, res);
  }

  /** A file's bytes, media type and name (an input the app uploaded, or a provider's output). */
  async downloadFile(id: number, options: RequestOptions = {}): Promise<DownloadedFile> {
    const request = routeRequest(fileRoutes.download, { params: { id }, signal: options.signal });
    const res = await callApi(this.#ctx, request, { retry: true });
    return {
      bytes: res.bytes,
      mimeType: res.headers.get('content-type') ?? 'application/octet-stream',
      name: fileNameOfContentDisposition(res.headers.get('content-disposition')) ?? `file-${id}`,
    };
  }

  /**
   * The app's task events as they happen (scheduled, running, progress, requeued, successful,
   * failed, cancelled, deleted), for as long as you iterate. Reconnects by itself and resumes
   * after the last event seen; pass `lastEventId` to resume a stream of an earlier run.
   *
   * ```ts
   * for await (const event of client.events({ taskId: task.id })) {
   *   if (event.kind === 'successful') break;
   * }
   * ```
   */
  events(options: EventsOptions = {}): AsyncIterable<TaskStreamEvent> {
    return streamTaskEvents({ transport: this.#ctx.transport, sleep: this.#ctx.sleep }, options);
  }

  /**
   * One task's own events (`GET /v1/tasks/{id}/events`) as they happen: every change (running,
   * progress, requeued, the end) and its partial output (`delta`), from its first retained event
   * or after `lastEventId`. Reconnects as `events()` does and ends after the task's final event.
   * `streamTask()` is the same stream read for its answer; this is for following the task itself.
   */
  taskEvents(id: number, options: StreamTaskOptions = {}): AsyncIterable<TaskStreamEvent> {
    return streamOneTask({ transport: this.#ctx.transport, sleep: this.#ctx.sleep }, id, options);
  }

  /**
   * Schedules a task asking for streaming (`preferStreaming`) and yields its answer as it is
   * written, then the validated output; a failed or cancelled task throws TaskFailedError or
   * TaskCancelledError. A provider that cannot stream still works: then only `done` comes.
   * Breaking out of the loop leaves the task running (cancel it if nobody wants the rest).
   *
   * ```ts
   * for await (const part of client.stream('core:text2text:summary', { input: text })) {
   *   if (part.kind === 'delta') process.stdout.write(part.text);
   *   if (part.kind === 'done') console.log('\n', part.output.output);
   * }
   * ```
   */
  async *stream<R extends TaskTypeRef>(type: R, input: InputOf<R>, options: StreamOptions = {}): AsyncGenerator<OutputStreamPart<OutputOf<R>>> {
    const { idempotencyKey, signal, idleTimeoutMs, ...fields } = options;
    const task = await this.schedule({ ...fields, type: typeIdOf(type), input: input as SlotValues, preferStreaming: true }, { idempotencyKey, signal });
    yield* this.streamTask<R>(task.id, { signal, idleTimeoutMs });
  }

  /**
   * One task's answer as `stream()` yields it, from its first event or after `lastEventId`
   * (resume a stream that broke, in this process or another: nothing missed, nothing twice).
   */
  streamTask<R extends TaskTypeRef = string>(id: number, options: StreamTaskOptions = {}): AsyncGenerator<OutputStreamPart<OutputOf<R>>> {
    const events = streamOneTask({ transport: this.#ctx.transport, sleep: this.#ctx.sleep }, id, options);
    const readTask = () => this.get(id, { signal: options.signal });
    return outputStreamOf(events, id, readTask, options.lastEventId) as AsyncGenerator<OutputStreamPart<OutputOf<R>>>;
  }

  /** The app's webhook signing secret, for `verifyWebhook`. */
  async webhookSecret(options: RequestOptions = {}): Promise<WebhookSecret> {
    const route = webhookRoutes.getSecret;
    const res = await callApi(this.#ctx, routeRequest(route, { signal: options.signal }), { retry: true });
    return readRouteJson(route, res);
  }

  /**
   * Replaces the app's webhook signing secret. Every webhook call from then on, retries of
   * earlier deliveries included, is signed with the new one: switch your receiver over at once.
   */
  async rotateWebhookSecret(options: RequestOptions = {}): Promise<WebhookSecret> {
    const route = webhookRoutes.rotateSecret;
    const res = await callApi(this.#ctx, routeRequest(route, { signal: options.signal }), { retry: false });
    return readRouteJson(route, res);
  }

  /** The webhook deliveries of a task, oldest first, with every attempt. */
  async webhookDeliveries(id: number, options: RequestOptions = {}): Promise<WebhookDelivery[]> {
    const route = webhookRoutes.deliveries;
    const res = await callApi(this.#ctx, routeRequest(route, { params: { id }, signal: options.signal }), { retry: true });
    return readRouteJson(route, res).deliveries;
  }

  #wait(id: number, options: WaitOptions, known?: Task): Promise<Task> {
    const deps = {
      get: (taskId: number, o: GetTaskOptions) => this.get(taskId, o),
      sleep: this.#ctx.sleep,
      maxWaitSeconds: clientDefaults.maxWaitSeconds,
    };
    return waitForTask(deps, id, options, known);
  }

  // Cancels a task whose wait timed out. A task that ended meanwhile is returned as it ended:
  // the caller gets its real outcome rather than a timeout for work that did finish.
  async #cancelAfterTimeout(id: number, timeout: TimeoutError, signal?: AbortSignal): Promise<Task> {
    let cancelled: Task;
    try {
      cancelled = await this.cancel(id, { signal });
    } catch (err) {
      if (err instanceof ConflictError && err.code === 'task_terminal') return this.get(id, { signal });
      throw err;
    }
    throw new TimeoutError(`${timeout.message}; it was cancelled`, { task: cancelled, cause: timeout });
  }
}

function typeIdOf(type: TaskTypeRef): string {
  return typeof type === 'string' ? type : type.id;
}
