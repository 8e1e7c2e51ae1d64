// A raw server-sent events reader for the event stream tests: it parses the wire format itself
// (no EventSource), so the tests check exactly what the coordinator writes.

/** One SSE message, or a comment line (`comment` set). */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

export interface EventStreamReader {
  status: number;
  headers: Headers;
  /** The stream's first message (`retry:` and the resume point's `id:`), once it opened. */
  opening?: SseMessage;
  /** The next message that satisfies `accept` (comments and `retry:` are skipped unless accepted). */
  next(accept?: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** The next task event (a message with an id), parsed. */
  nextEvent(timeoutMs?: number): Promise<{ id: number; event: string; data: any }>;
  /** Hangs up. */
  close(): void;
}

const isTaskEvent = (m: SseMessage) => m.id !== undefined && m.data !== undefined;

/**
 * Opens `GET path` on `baseUrl` and resolves once the response headers and the first line
 * (`retry:`) arrived: from then on the stream receives every change.
 */
export async function openEventStream(
  baseUrl: string,
  path: string,
  options: { token: string; headers?: Record<string, string> },
): Promise<EventStreamReader> {
  const abort = new AbortController();
  const res = await fetch(new URL(path, baseUrl), {
    headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream', ...(options.headers ?? {}) },
    signal: abort.signal,
  });
  const queue: SseMessage[] = [];
  let waiter: (() => void) | undefined;
  let ended: Error | undefined;

  const push = (m: SseMessage) => {
    queue.push(m);
    waiter?.();
  };
  const pump = async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let current: SseMessage = {};
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (Object.keys(current).length > 0) push(current);
          current = {};
        } else if (line.startsWith(':')) {
          push({ comment: line.slice(1).trim() });
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
          else if (field === 'id') current.id = value;
          else if (field === 'event') current.event = value;
          else if (field === 'retry') current.retry = Number(value);
        }
      }
    }
  };
  if (res.ok) {
    void pump()
      .catch((err: unknown) => err)
      .then((err) => {
        ended = err instanceof Error ? err : new Error('the event stream ended');
        waiter?.();
      });
  }

  const next = async (accept: (m: SseMessage) => boolean = isTaskEvent, timeoutMs = 10_000): Promise<SseMessage> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = queue.findIndex(accept);
      if (index >= 0) return queue.splice(0, index + 1).pop()!;
      if (ended) throw ended;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching event within ${timeoutMs} ms; queued: ${JSON.stringify(queue)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      waiter = undefined;
    }
  };

  const reader: EventStreamReader = {
    status: res.status,
    headers: res.headers,
    next,
    async nextEvent(timeoutMs) {
      const m = await next(isTaskEvent, timeoutMs);
      return { id: Number(m.id), event: m.event!, data: JSON.parse(m.data!) };
    },
    close: () => abort.abort(),
  };
  if (res.ok) reader.opening = await next((m) => m.retry !== undefined);
  return reader;
}
