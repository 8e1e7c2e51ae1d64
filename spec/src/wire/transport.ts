// Lives in spec because it is the protocol's error model and retry rules, shared by every client
// of the coordinator (client, provider-sdk): the one place where a failed exchange, a timeout,
// an abort or an error status becomes one of the shared error classes.
import { defaultHttpSend } from '#default-http-send';
import { ApiError, ConnectionError, TaskprocError, TimeoutError, toAbortError } from './errors.ts';
import { fetchHttpSend, isSuccessStatus, type HttpSend, type HttpSendResponse } from './http-send.ts';

export interface TransportOptions {
  /** Coordinator base URL; may carry a path prefix (`https://host/taskproc`). */
  url: string;
  token: string;
  /**
   * A fetch to send requests with (proxies, tracing, tests). Without it, requests go through
   * Node's http module on Node and the global fetch elsewhere.
   */
  fetch?: typeof fetch;
  /** The exchange itself, below auth, timeouts and errors; wins over `fetch`. */
  send?: HttpSend;
  /** Per-request timeout unless the request says otherwise, ms. */
  timeoutMs: number;
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, starting with `/v1/`. */
  path: string;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | undefined>;
  json?: unknown;
  body?: Blob | Uint8Array;
  headers?: Record<string, string>;
  /**
   * The caller's signal. When it aborts with an AbortError (a task's own reason), that very
   * error is thrown, so callers see why the work stopped.
   */
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Answer as soon as the headers are in, leaving the body unread (server-sent events). The
   * timeout then covers only the wait for headers, and the caller's signal stays linked to the
   * body for its whole life: pass a signal that lives no longer than the stream.
   */
  stream?: boolean;
}

/** A 2xx answer, as the exchange gave it: `bytes` read in full, or `body` unread for a `stream` request. */
export type TransportResponse = HttpSendResponse;

/** One HTTP call to the coordinator, with its failures mapped to the shared error classes. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/**
 * The transport: bearer auth, a timeout per request, and the one mapping of failures to errors:
 * caller abort -> AbortError, timeout -> TimeoutError, no answer -> ConnectionError, an error
 * status -> the ApiError subclass for it, carrying the problem's code.
 */
export function createTransport(options: TransportOptions): Transport {
  const base = options.url.replace(/\/+$/, '');
  const send = options.send ?? (options.fetch ? fetchHttpSend(options.fetch) : defaultHttpSend);
  return async (request) => {
    const url = new URL(base + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, ...request.headers };
    let body: string | Uint8Array | Blob | undefined = request.body;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    }

    // One controller per request, linked to the caller's signal by hand: AbortSignal.any would
    // keep every request reachable from a long-lived caller signal (a runner's stop signal) for
    // as long as that signal lives.
    const controller = new AbortController();
    const timeoutMs = request.timeoutMs ?? options.timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let streaming = false;
    try {
      if (request.signal?.aborted) throw request.signal.reason;
      const stream = request.stream ?? false;
      const res = await send({ url, method: request.method, headers, body, signal: controller.signal, stream });
      if (!isSuccessStatus(res.status)) throw ApiError.generate(res.status, parseProblem(res.bytes), res.headers);
      streaming = stream;
      return res;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const what = `${request.method} ${request.path}`;
      if (request.signal?.aborted) throw toAbortError(request.signal.reason, `${what} was aborted`);
      if (timedOut) throw new TimeoutError(`${what} got no answer within ${timeoutMs} ms`, { cause: err });
      throw new ConnectionError(`${what} failed: ${describeCause(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
      if (!streaming) request.signal?.removeEventListener('abort', onCallerAbort);
    }
  };
}

/** The JSON body of a response. */
export function readJson(res: TransportResponse): unknown {
  return JSON.parse(new TextDecoder().decode(res.bytes));
}

function parseProblem(bytes: Uint8Array): Record<string, never> | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, never>) : undefined;
  } catch {
    return undefined;
  }
}

function describeCause(err: unknown): string {
  if (err instanceof TaskprocError) return err.message;
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
