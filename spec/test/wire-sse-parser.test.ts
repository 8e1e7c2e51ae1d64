import { describe, expect, it } from 'vitest';
import { createSseParser, readSseMessages, type SseMessage } from '../src/wire/sse-parser.ts';

/** Feeds `chunks` one by one and returns every message, plus the retry values seen. */
function parse(chunks: string[], initialLastEventId = '') {
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = createSseParser({ onRetry: (ms) => retries.push(ms), onComment: (c) => comments.push(c) }, initialLastEventId);
  const messages = chunks.flatMap((chunk) => parser.feed(chunk));
  return { messages, retries, comments, lastEventId: parser.lastEventId };
}

/** Every way of cutting `text` into two chunks. */
function everySplit(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('the SSE parser', () => {
  const stream = 'id: 1\nevent: running\ndata: {"a":1}\n\n: heartbeat\n\nid: 2\nevent: successful\ndata: {"a":2}\n\n';
  const expected: SseMessage[] = [
    { event: 'running', data: '{"a":1}', lastEventId: '1' },
    { event: 'successful', data: '{"a":2}', lastEventId: '2' },
  ];

  it('reads messages whole or cut anywhere, even inside a field name or value', () => {
    expect(parse([stream]).messages).toEqual(expected);
    for (const chunks of everySplit(stream)) expect(parse(chunks).messages).toEqual(expected);
    expect(parse([...stream]).messages).toEqual(expected);
  });

  it('treats CRLF, CR and LF alike, also a CRLF cut between chunks', () => {
    for (const eol of ['\r\n', '\r', '\n']) {
      const text = stream.replaceAll('\n', eol);
      expect(parse([text]).messages).toEqual(expected);
      for (const chunks of everySplit(text)) expect(parse(chunks).messages, JSON.stringify(chunks)).toEqual(expected);
    }
  });

  it('joins multi-line data with LF and keeps empty data lines', () => {
    const { messages } = parse(['data: first\ndata:second\ndata\ndata:  indented\n\n']);
    expect(messages).toEqual([{ event: 'message', data: 'first\nsecond\n\n indented', lastEventId: '' }]);
  });

  it('skips comments, unknown fields, and blocks without data', () => {
    const { messages, comments } = parse([': hello\nfoo: bar\n\nevent: lonely\n\nid: 3\n\ndata: x\n\n']);
    expect(comments).toEqual([' hello']);
    // The id-only block moves the last event id; the event name of the data-less block is dropped.
    expect(messages).toEqual([{ event: 'message', data: 'x', lastEventId: '3' }]);
  });

  it('keeps the last event id across messages until a new id, and ignores ids with NUL', () => {
    const { messages } = parse(['id: 5\ndata: a\n\ndata: b\n\nid: 6\u0000\ndata: c\n\nid\ndata: d\n\n']);
    expect(messages.map((m) => m.lastEventId)).toEqual(['5', '5', '5', '']);
  });

  it('starts from the resume point it was given', () => {
    expect(parse(['data: a\n\n'], '41').messages[0]?.lastEventId).toBe('41');
  });

  it('reports retry only when it is all digits', () => {
    expect(parse(['retry: 2500\n\nretry: 1e3\nretry: -1\nretry: 7\n\n']).retries).toEqual([2500, 7]);
  });

  it('does not dispatch or commit an id before its blank line', () => {
    const { messages, lastEventId } = parse(['id: 9\ndata: cut off']);
    expect(messages).toEqual([]);
    expect(lastEventId).toBe('');
  });

  it('takes the field value after one optional space only, and a line without colon as a field', () => {
    const { messages } = parse(['event:x\ndata:   spaced\n\n']);
    expect(messages).toEqual([{ event: 'x', data: '  spaced', lastEventId: '' }]);
  });
});

describe('reading a body', () => {
  const body = (chunks: Uint8Array[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });

  it('decodes UTF-8 cut inside a character, drops a BOM, discards an unfinished message', async () => {
    const bytes = new TextEncoder().encode('\uFEFFdata: grüße 👋\n\ndata: unfinished');
    // Cut inside the two-byte ü and the four-byte emoji.
    const cuts = [9, 13, 20];
    const chunks = [0, ...cuts].map((start, i) => bytes.slice(start, cuts[i] ?? bytes.length));
    let chunkCount = 0;
    const messages: SseMessage[] = [];
    for await (const m of readSseMessages(body(chunks), createSseParser(), { onChunk: () => chunkCount++ })) messages.push(m);
    expect(messages).toEqual([{ event: 'message', data: 'grüße 👋', lastEventId: '' }]);
    expect(chunkCount).toBe(4);
  });
});
