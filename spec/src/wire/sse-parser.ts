// A server-sent events parser following the WHATWG HTML standard, section 9.2.6 "Interpreting
// an event stream". Written here rather than taken from `eventsource-parser` because the whole
// algorithm is some sixty lines, the client and the SDK then have no dependency beyond zod, and the tests
// below it pin exactly the cases this client relies on (split chunks, CRLF, multi-line data,
// comments, id persistence, retry).

/** One dispatched message. */
export interface SseMessage {
  /** The `event:` field, or "message" when the message had none. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last event ID at dispatch: ids persist across messages until a new `id:` field. */
  lastEventId: string;
}

export interface SseParserHooks {
  /** A `retry:` field: the reconnection delay the server asks for, ms. */
  onRetry?(ms: number): void;
  /** A comment line (heartbeats), without its leading colon. */
  onComment?(text: string): void;
}

export interface SseParser {
  /** Feeds decoded text (chunks may split lines, even a CRLF pair, anywhere); returns the messages it completed. */
  feed(text: string): SseMessage[];
  /**
   * The last event ID as of the last dispatch. Reconnections send this as Last-Event-ID. An
   * `id:` whose message never completed (the stream broke first) does not count.
   */
  readonly lastEventId: string;
}

/** A parser with an empty state, as at the start of a connection. */
export function createSseParser(hooks: SseParserHooks = {}, initialLastEventId = ''): SseParser {
  let pending = '';
  // A chunk that ended in CR may be followed by the LF of the same CRLF in the next chunk.
  let skipLeadingLf = false;
  let data = '';
  let eventType = '';
  let idBuffer = initialLastEventId;
  let lastEventId = initialLastEventId;
  let completed: SseMessage[] = [];

  const dispatch = () => {
    lastEventId = idBuffer;
    if (data === '') {
      eventType = '';
      return;
    }
    const message = { event: eventType || 'message', data: data.endsWith('\n') ? data.slice(0, -1) : data, lastEventId };
    data = '';
    eventType = '';
    completed.push(message);
  };

  const processLine = (line: string) => {
    if (line === '') return dispatch();
    if (line.startsWith(':')) return hooks.onComment?.(line.slice(1));
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventType = value;
    else if (field === 'data') data += `${value}\n`;
    else if (field === 'id') {
      if (!value.includes('\0')) idBuffer = value;
    } else if (field === 'retry') {
      if (/^[0-9]+$/.test(value)) hooks.onRetry?.(Number.parseInt(value, 10));
    }
    // Any other field is ignored, as the standard says.
  };

  return {
    feed(text) {
      if (skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
      skipLeadingLf = false;
      const all = pending + text;
      const lineEnd = /\r\n|\r|\n/g;
      let start = 0;
      for (let match = lineEnd.exec(all); match; match = lineEnd.exec(all)) {
        // A CR as the last character may be half of a CRLF: finish the line, skip the LF later.
        if (match[0] === '\r' && match.index === all.length - 1) skipLeadingLf = true;
        processLine(all.slice(start, match.index));
        start = match.index + match[0].length;
      }
      pending = all.slice(start);
      const messages = completed;
      completed = [];
      return messages;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}

/**
 * The messages of an event stream body, as bytes arrive. `onChunk` runs for every chunk
 * (heartbeats included) so a caller can watch for a silent connection. Whatever follows the last
 * blank line is discarded at the end, as the standard requires. `signal` ends a pending read at
 * once: not every fetch errors the body of an aborted request (msw's does not).
 */
export async function* readSseMessages(
  body: ReadableStream<Uint8Array>,
  parser: SseParser,
  options: { onChunk?: () => void; signal?: AbortSignal } = {},
): AsyncGenerator<SseMessage> {
  // UTF-8 only, per the standard; TextDecoder drops a leading BOM.
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      options.onChunk?.();
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    yield* parser.feed(decoder.decode());
  } finally {
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    // Stops the download when the consumer left early (break, abort, an error downstream). Not
    // awaited: a cancel can wait on the network, and the caller aborts the request anyway.
    reader.cancel().catch(() => undefined);
  }
}
