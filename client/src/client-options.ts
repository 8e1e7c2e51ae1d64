import type {
  BuiltInTaskIO,
  ScheduleTaskRequest,
  ShapeValuesOf,
  SlotTypesLike,
  SlotValues,
  StreamReset,
  Task,
  TaskEvent,
  TaskEventKind,
  TaskStatus,
} from '@taskproc/spec';

/** What `new TaskProcessingClient(...)` takes. */
export interface TaskProcessingClientOptions {
  /** Coordinator base URL, e.g. `http://127.0.0.1:8700`; may carry a path prefix. */
  url: string;
  /** An app token (`tp_...`). */
  token: string;
  /**
   * A fetch to send requests with (proxies, tracing). Default: on Node, the http module on
   * keep-alive connections (a third of the global fetch's CPU per request); elsewhere, the
   * global fetch.
   */
  fetch?: typeof fetch;
  /** Per-request timeout, ms. Default 60 s; long-polls get their wait on top. */
  timeoutMs?: number;
  /** Retries of a failed request (connection errors, 408, 429, 5xx). Default 2. */
  maxRetries?: number;
  /**
   * Waits between retries and reconnections; default a real timer. Tests pass a recording fake
   * so Retry-After and backoff are checked without waiting on the wall clock.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Defaults of {@link TaskProcessingClientOptions}, in one place. */
export const clientDefaults = {
  timeoutMs: 60_000,
  maxRetries: 2,
  /** Longest single long-poll asked of `GET /v1/tasks/{id}`; the server caps it too (default 60). */
  maxWaitSeconds: 60,
} as const;

/** Every call takes a signal: aborting it rejects the call with AbortError. */
export interface RequestOptions {
  signal?: AbortSignal;
}

export interface ScheduleOptions extends RequestOptions {
  /**
   * Makes the call safe to repeat: the same key and body give the same task. Default a fresh
   * UUID per call, which makes the client's own retries safe; pass your own to make your
   * retries (after a crash, say) safe as well.
   */
  idempotencyKey?: string;
  /**
   * Hold the answer until the task is terminal, or this many seconds (server-capped): schedule
   * and wait in one round trip. The task is stored either way; the answer is it as it is then.
   */
  waitSeconds?: number;
}

export interface GetTaskOptions extends RequestOptions {
  /** Long-poll: answer once the task is terminal or after this many seconds (server-capped). */
  waitSeconds?: number;
}

export interface WaitOptions extends RequestOptions {
  /** Give up waiting after this long (TimeoutError carrying the last state); default never. */
  timeoutMs?: number;
}

/** wait()'s options: with `type` (an id or a definition), the task's output is typed by it. */
export interface TypedWaitOptions<R extends TaskTypeRef> extends WaitOptions {
  /** The task's type; a task of another type rejects with TaskprocError instead of lying about its output. */
  type?: R;
}

/** Options of `run()`: scheduling fields, the idempotency key, and how long to wait. */
export interface RunOptions extends Omit<ScheduleOptions, 'waitSeconds'>, WaitOptions, Omit<ScheduleTaskRequest, 'type' | 'input'> {
  /** Cancel the task when `timeoutMs` passes. Default false: the task goes on and can be waited for again. */
  cancelOnTimeout?: boolean;
}

/** Filters of `list()` and `listAll()`. */
export interface ListTasksQuery {
  type?: string;
  customId?: string;
  userId?: string;
  status?: TaskStatus;
  /** Admin tokens only: tasks of this app. */
  appId?: string;
  /** Page size, 1..500; default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface UploadFileOptions extends RequestOptions {
  /** File name; default "upload". */
  name?: string;
  /** Media type; default the Blob's type, else application/octet-stream. */
  mimeType?: string;
}

/** Filters and resume point of `events()`. */
export interface EventsOptions extends RequestOptions {
  /** Only events of this task. */
  taskId?: number;
  /** Only events of tasks with this customId. */
  customId?: string;
  /** Only events of tasks with this userId. */
  userId?: string;
  /** Only these kinds, e.g. `['successful', 'failed', 'cancelled']`. */
  kinds?: TaskEventKind[];
  /** Admin tokens only: events of this app. */
  appId?: string;
  /** Resume after this event id (an earlier `event.id`); default: only events from now on. */
  lastEventId?: number;
  /**
   * Reconnect when nothing, not even a heartbeat (every 15 s), arrived for this long: a
   * connection can die without either end noticing. Default 45 s.
   */
  idleTimeoutMs?: number;
}

/**
 * The stream resumed from a point the coordinator no longer keeps: events were lost, so re-read
 * the state you care about (`list()`). The stream goes on after it.
 */
export type TaskStreamReset = { kind: 'reset' } & StreamReset;

/** What `events()` yields: a task event, or a reset. Switch on `kind`. */
export type TaskStreamEvent = TaskEvent | TaskStreamReset;

/**
 * What `stream()` and `streamTask()` yield, in order. `delta`: text to append to an output
 * slot. `restart`: the task went back to the queue and a new attempt starts over; drop what
 * the deltas so far showed. `progress`: the provider's progress, 0..1. `done`, always last: the
 * final output, validated against the type's output shape. Each part carries the id of its
 * event, to resume with `streamTask(id, { lastEventId })`.
 */
export type OutputStreamPart<O = SlotValues> =
  | { kind: 'delta'; slot: string; text: string; attempt: number; eventId: number }
  | { kind: 'restart'; attempt: number; eventId: number }
  | { kind: 'progress'; progress: number; eventId: number }
  | { kind: 'done'; task: Task; output: O; eventId: number };

/** Options of `stream()`: those of `schedule()`, and the event stream's. */
export interface StreamOptions extends ScheduleOptions, Omit<ScheduleTaskRequest, 'type' | 'input' | 'preferStreaming'> {
  /** Reconnect when the stream was silent this long (it has a heartbeat every 15 s). Default 45 s. */
  idleTimeoutMs?: number;
}

/** Options of `streamTask()`. */
export interface StreamTaskOptions extends RequestOptions {
  /** Resume after this event (a part's `eventId`); default the task's first event. */
  lastEventId?: number;
  idleTimeoutMs?: number;
}

/** A downloaded file. */
export interface DownloadedFile {
  bytes: Uint8Array;
  mimeType: string;
  name: string;
}

/**
 * Input of a task type. Built-in types get their slots typed; every slot is optional here since
 * a provider's defaults may fill some, and the coordinator names any that is missing (422).
 */
export type TaskInputOf<T extends string> = T extends keyof BuiltInTaskIO
  ? Partial<BuiltInTaskIO[T]['input']> & SlotValues
  : SlotValues;

/** Output of a successful task of a type; built-in types get their slots typed. */
export type TaskOutputOf<T extends string> = T extends keyof BuiltInTaskIO ? BuiltInTaskIO[T]['output'] & SlotValues : SlotValues;

/**
 * A custom task type as code declares it (the provider's `customTaskType` literal, `as const` or
 * inline): passed to `run()` or `stream()` instead of its id, its shapes type the input and the
 * output, so `output.count` of a custom type is a number, and a slot it does not have is an error.
 */
export interface TaskTypeDefinition {
  readonly id: string;
  readonly inputShape: SlotTypesLike;
  readonly outputShape: SlotTypesLike;
}

/** A task type as `run()` and `stream()` take it: a type id, or a definition. */
export type TaskTypeRef = string | TaskTypeDefinition;

/** The input `run()` takes for a type id or a definition. */
export type InputOf<R extends TaskTypeRef> = R extends string
  ? TaskInputOf<R>
  : R extends TaskTypeDefinition
    ? ShapeValuesOf<R['inputShape']>
    : never;

/** What `run()` resolves with for a type id or a definition. */
export type OutputOf<R extends TaskTypeRef> = R extends string
  ? TaskOutputOf<R>
  : R extends TaskTypeDefinition
    ? ShapeValuesOf<R['outputShape']>
    : never;

/** A task whose output (when it is successful) is typed by its task type. */
export type TypedTask<O> = Omit<Task, 'output'> & { output: O | null };
