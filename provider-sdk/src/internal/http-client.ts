import { AbortError, ApiError, ConnectionError, TaskprocError, TimeoutError } from '../api-errors.ts';

export interface HttpClientOptions {
  /** Coordinator base URL; may carry a path prefix (`https://host/taskproc`). */
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
  /** Per-request timeout unless the request says otherwise, ms. */
  timeoutMs: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, starting with `/v1/`. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  body?: Uint8Array;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** One HTTP call to the coordinator, with errors mapped to the SDK's error classes. */
export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * The transport: bearer auth, a timeout per request, and one mapping of failures to errors:
 * caller abort -> AbortError, timeout -> TimeoutError, no answer -> ConnectionError,
 * an error status -> ApiError subclass carrying the problem's code.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  return async (request) => {
    const url = new URL(base + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, ...request.headers };
    let body: RequestInit['body'] = request.body;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    }

    // One controller per request, linked to the caller's signal by hand: AbortSignal.any would
    // tie every request to a long-lived stop signal for as long as that signal lives.
    const controller = new AbortController();
    const timeoutMs = request.timeoutMs ?? options.timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      if (request.signal?.aborted) throw request.signal.reason;
      const res = await options.fetch(url, { method: request.method, headers, body, signal: controller.signal });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (!res.ok) throw ApiError.generate(res.status, parseProblem(bytes), res.headers);
      return { status: res.status, headers: res.headers, body: bytes };
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (request.signal?.aborted) throw toAbortError(request.signal.reason);
      const what = `${request.method} ${request.path}`;
      if (timedOut) throw new TimeoutError(`${what} got no answer within ${timeoutMs} ms`, { cause: err });
      throw new ConnectionError(`${what} failed: ${describeCause(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  };
}

/** The JSON body of a response. */
export function readJson(res: HttpResponse): unknown {
  return JSON.parse(new TextDecoder().decode(res.body));
}

function parseProblem(bytes: Uint8Array): Record<string, never> | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, never>) : undefined;
  } catch {
    return undefined;
  }
}

// The task's own AbortError (with its kind) passes through, so callers see why work stopped.
function toAbortError(reason: unknown): AbortError {
  if (reason instanceof AbortError) return reason;
  return new AbortError('The request was aborted', { cause: reason });
}

function describeCause(err: unknown): string {
  if (err instanceof TaskprocError) return err.message;
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
