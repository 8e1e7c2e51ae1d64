import type { z } from 'zod';
import {
  AbortError,
  ApiError,
  backoffDelay,
  ConnectionError,
  headers,
  isTransient,
  StreamReset,
  streamEventNames,
  streamRetryMs,
  TaskEvent,
  taskEventKinds,
  TaskprocError,
  TimeoutError,
  createSseParser,
  eventRoutes,
  routeRequest,
  readSseMessages,
  type SseMessage,
  type SseParser,
  type Sleep,
  type Transport,
  type TransportRequest,
} from '@taskproc/spec';
import type { EventsOptions, TaskStreamEvent } from '../client-options.ts';

export interface EventStreamDeps {
  transport: Transport;
  sleep: Sleep;
  random?: () => number;
}

/** Three missed heartbeats (the coordinator sends one every 15 s). */
const defaultIdleTimeoutMs = 45_000;
/** Cap on the wait between reconnection attempts that keep failing. */
const maxReconnectDelayMs = 30_000;
const knownKinds: ReadonlySet<string> = new Set(taskEventKinds);

/**
 * The app's task events from `GET /v1/events`, for as long as the caller iterates. Like
 * EventSource, it reconnects when the connection drops, the coordinator restarts or it falls
 * silent, sending Last-Event-ID so nothing is missed or repeated; consecutive failures back off
 * from the stream's `retry:` delay up to 30 s. Errors that a reconnection would only repeat
 * (401, 403, 4xx) end the iteration with the error; the caller's signal ends it with AbortError.
 */
export function streamTaskEvents(deps: EventStreamDeps, options: EventsOptions = {}): AsyncGenerator<TaskStreamEvent> {
  return streamEvents(deps, { ...options, request: routeRequest(eventRoutes.stream, { query: streamQuery(options) }) });
}

/**
 * One task's events (`GET /v1/tasks/{id}/events`), partial output included, from its first event
 * or after `lastEventId`. Ends after the task's final event: the coordinator closes the stream
 * and answers a reconnection with 204.
 */
export function streamOneTask(deps: EventStreamDeps, taskId: number, options: Pick<EventsOptions, 'lastEventId' | 'idleTimeoutMs' | 'signal'> = {}): AsyncGenerator<TaskStreamEvent> {
  return streamEvents(deps, { ...options, request: routeRequest(eventRoutes.taskStream, { params: { id: taskId } }) });
}

async function* streamEvents(
  deps: EventStreamDeps,
  options: Pick<EventsOptions, 'lastEventId' | 'idleTimeoutMs' | 'signal'> & { request: TransportRequest },
): AsyncGenerator<TaskStreamEvent> {
  const { signal } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? defaultIdleTimeoutMs;
  let lastEventId = options.lastEventId?.toString() ?? '';
  let retryMs: number = streamRetryMs;
  let failures = 0;
  for (;;) {
    if (signal?.aborted) throw new AbortError('The event stream was aborted', { cause: signal.reason });
    // One controller per connection: the caller's abort and the idle timer both close it.
    const connection = new AbortController();
    const onCallerAbort = () => connection.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let idle = false;
    const rearmIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idle = true;
        connection.abort();
      }, idleTimeoutMs);
    };
    let parser: SseParser | undefined;
    let failure: unknown;
    try {
      const res = await deps.transport({
        ...options.request,
        headers: { accept: 'text/event-stream', ...(lastEventId ? { [headers.lastEventId]: lastEventId } : {}) },
        signal: connection.signal,
        stream: true,
      });
      // 204 is the standard's way of telling a subscriber to stop reconnecting.
      if (res.status === 204 || !res.body) return;
      const contentType = res.headers.get('content-type') ?? '';
      if (!contentType.startsWith('text/event-stream')) {
        throw new TaskprocError(`GET ${options.request.path} answered ${contentType || 'no content type'}, not text/event-stream`);
      }
      failures = 0;
      parser = createSseParser({ onRetry: (ms) => (retryMs = ms) }, lastEventId);
      rearmIdleTimer();
      for await (const message of readSseMessages(res.body, parser, { onChunk: rearmIdleTimer, signal: connection.signal })) {
        lastEventId = message.lastEventId;
        const event = toStreamEvent(message);
        if (event) yield event;
      }
      // The coordinator closed the stream (restart, proxy limit): reconnect, as EventSource does.
    } catch (err) {
      if (signal?.aborted) throw new AbortError('The event stream was aborted', { cause: err });
      failure = classify(err, idle, idleTimeoutMs);
      if (!isTransient(failure)) throw failure;
    } finally {
      clearTimeout(idleTimer);
      signal?.removeEventListener('abort', onCallerAbort);
      connection.abort();
    }
    // An id-only message moves the resume point without yielding anything.
    if (parser) lastEventId = parser.lastEventId;
    failures += 1;
    const asked = failure instanceof ApiError ? failure.retryAfterMs : undefined;
    const delayMs =
      asked ?? backoffDelay(failures, { initialMs: retryMs, maxMs: Math.max(retryMs, maxReconnectDelayMs), random: deps.random });
    await deps.sleep(Math.min(delayMs, maxReconnectDelayMs * 2), signal);
  }
}

function streamQuery(options: EventsOptions) {
  return {
    taskId: options.taskId,
    customId: options.customId,
    userId: options.userId,
    types: options.kinds?.length ? options.kinds.join(',') : undefined,
    appId: options.appId,
  };
}

// Errors from reading the body come raw from fetch (a reset connection is a TypeError): they are
// connection errors too. Errors the client raised itself (a malformed event) are not retried.
function classify(err: unknown, idle: boolean, idleTimeoutMs: number): unknown {
  if (idle) return new TimeoutError(`The event stream was silent for ${idleTimeoutMs} ms`, { cause: err });
  if (err instanceof TaskprocError) return err;
  return new ConnectionError(`The event stream broke: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

function toStreamEvent(message: SseMessage): TaskStreamEvent | undefined {
  if (message.event === streamEventNames.reset) return { kind: 'reset', ...parseData(message, StreamReset) };
  // Kinds a newer coordinator may add are skipped, not fatal.
  if (!knownKinds.has(message.event)) return undefined;
  return parseData(message, TaskEvent);
}

function parseData<S extends z.ZodType>(message: SseMessage, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch (err) {
    throw new TaskprocError(`Event ${message.lastEventId || '(no id)'} (${message.event}) has data that is not JSON`, { cause: err });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new TaskprocError(`Event ${message.lastEventId || '(no id)'} (${message.event}) does not match the protocol`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
