import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TaskChangeEvent, TaskEvent } from '@taskproc/spec';
import { AbortError, AuthenticationError, TaskFailedError, type TaskStreamEvent } from '../src/index.ts';
import { baseUrl, createTestClient, makeTask, problem, rejectionOf } from './fixtures.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const encoder = new TextEncoder();

function taskEvent(id: number, kind: TaskChangeEvent['kind'], taskId = 1): TaskChangeEvent {
  const status = kind === 'progress' ? 'running' : kind === 'requeued' || kind === 'deleted' ? 'scheduled' : kind;
  return { id, kind, taskId, createdAt: '2026-01-01T00:00:00.000Z', task: makeTask(taskId, { status }) };
}

/** An SSE message as the coordinator writes it. */
function message(event: TaskEvent): string {
  return `id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A text/event-stream answer sending `chunks`, then closing (default), failing, or staying open. */
function eventStream(chunks: string[], options: { open?: boolean; fail?: boolean } = {}): Response {
  let next = 0;
  // Pulled chunk by chunk: erroring a stream drops what is still queued, and the chunks before a
  // failure must arrive, as they would on a connection that broke after sending them.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[next++];
        if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
        else if (options.fail) controller.error(new Error('connection reset'));
        else if (!options.open) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
}

/** Resolves when the client hung up on `request`. */
function hangUpOf(request: Request): Promise<void> {
  return new Promise((resolve) => {
    if (request.signal.aborted) resolve();
    request.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Answers GET /v1/events with the next of `answers` and records each request. */
function serveConnections(answers: Array<() => Response>) {
  const requests: Request[] = [];
  server.use(
    http.get(`${baseUrl}/v1/events`, ({ request }) => {
      requests.push(request);
      const answer = answers[requests.length - 1];
      if (!answer) throw new Error(`unexpected connection ${requests.length}`);
      return answer();
    }),
  );
  return requests;
}

async function take(stream: AsyncIterable<TaskStreamEvent>, count: number): Promise<TaskStreamEvent[]> {
  const seen: TaskStreamEvent[] = [];
  if (count === 0) return seen;
  for await (const event of stream) {
    seen.push(event);
    if (seen.length === count) break;
  }
  return seen;
}

describe('events()', () => {
  it('yields parsed task events in order and sends the filters', async () => {
    const events = [taskEvent(1, 'scheduled'), taskEvent(2, 'running'), taskEvent(3, 'progress'), taskEvent(4, 'successful')];
    const requests = serveConnections([() => eventStream(['retry: 2000\n\n', ...events.map(message)], { open: true })]);
    const { client } = createTestClient();
    const seen = await take(client.events({ taskId: 1, kinds: ['running', 'successful'], customId: 'c' }), 4);
    expect(seen).toEqual(events);
    const url = new URL(requests[0]!.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({ taskId: '1', types: 'running,successful', customId: 'c' });
    expect(requests[0]!.headers.get('accept')).toBe('text/event-stream');
    expect(requests[0]!.headers.get('last-event-id')).toBeNull();
    // Leaving the loop hangs up.
    await hangUpOf(requests[0]!);
  });

  it('reconnects after the stream ends or breaks, resuming with Last-Event-ID after the retry delay', async () => {
    const requests = serveConnections([
      () => eventStream(['retry: 100\n\n', message(taskEvent(1, 'scheduled')), message(taskEvent(2, 'running'))]),
      () => eventStream([message(taskEvent(3, 'progress')), 'id: 4\n\n'], { fail: true }),
      () => eventStream([message(taskEvent(5, 'successful'))], { open: true }),
    ]);
    const { client, waits } = createTestClient();
    const seen = await take(client.events({ lastEventId: 0 }), 4);
    expect(seen.map((e) => (e.kind === 'reset' ? 'reset' : e.id))).toEqual([1, 2, 3, 5]);
    expect(requests.map((r) => r.headers.get('last-event-id'))).toEqual(['0', '2', '4']);
    // Each reconnection after a working connection waits about the stream's retry delay.
    expect(waits).toHaveLength(2);
    for (const ms of waits) expect(ms >= 75 && ms <= 100, `${ms}`).toBe(true);
  });

  it('backs off while connecting keeps failing, honouring Retry-After', async () => {
    const requests = serveConnections([
      () => problem(503, 'unavailable'),
      () => HttpResponse.error(),
      () => problem(503, 'unavailable', { headers: { 'retry-after': '7' } }),
      () => eventStream([message(taskEvent(9, 'failed'))], { open: true }),
    ]);
    const { client, waits } = createTestClient();
    expect(await take(client.events(), 1)).toEqual([taskEvent(9, 'failed')]);
    expect(requests).toHaveLength(4);
    expect(waits[0]).toBeGreaterThanOrEqual(1_500);
    expect(waits[0]).toBeLessThanOrEqual(2_000);
    expect(waits[1]).toBeGreaterThanOrEqual(3_000);
    expect(waits[1]).toBeLessThanOrEqual(4_000);
    expect(waits[2]).toBe(7_000);
  });

  it('reconnects a silent connection after idleTimeoutMs', async () => {
    const requests = serveConnections([
      () => eventStream([': heartbeat\n\n'], { open: true }),
      () => eventStream([message(taskEvent(1, 'cancelled'))], { open: true }),
    ]);
    const { client } = createTestClient();
    expect(await take(client.events({ idleTimeoutMs: 50 }), 1)).toEqual([taskEvent(1, 'cancelled')]);
    expect(requests).toHaveLength(2);
    await hangUpOf(requests[0]!);
  });

  it('yields a reset, skips kinds it does not know, and goes on', async () => {
    const reset = { reason: 'events_pruned', lastEventId: 3, detail: 'gone' };
    serveConnections([
      () =>
        eventStream(
          [`event: reset\ndata: ${JSON.stringify(reset)}\n\n`, 'id: 10\nevent: archived\ndata: {}\n\n', message(taskEvent(11, 'deleted'))],
          { open: true },
        ),
    ]);
    const { client } = createTestClient();
    expect(await take(client.events({ lastEventId: 3 }), 2)).toEqual([{ kind: 'reset', ...reset }, taskEvent(11, 'deleted')]);
  });

  it('ends with the error when reconnecting would not help', async () => {
    const requests = serveConnections([() => problem(401, 'unauthorized')]);
    const { client, waits } = createTestClient();
    expect(await rejectionOf(take(client.events(), 1))).toBeInstanceOf(AuthenticationError);
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('ends with the error when an event breaks the protocol', async () => {
    serveConnections([() => eventStream(['id: 1\nevent: running\ndata: {"id":1}\n\n'], { open: true })]);
    const { client } = createTestClient();
    expect(String(await rejectionOf(take(client.events(), 1)))).toMatch(/does not match the protocol/);
  });

  it('ends with AbortError when the caller aborts, while reading or while waiting to reconnect', async () => {
    const requests = serveConnections([() => eventStream([message(taskEvent(1, 'scheduled'))], { open: true })]);
    const controller = new AbortController();
    const { client } = createTestClient();
    const seen: TaskStreamEvent[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const event of client.events({ signal: controller.signal })) {
          seen.push(event);
          controller.abort();
        }
      })(),
    );
    expect(err).toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(1);
    await hangUpOf(requests[0]!);

    server.resetHandlers();
    serveConnections([() => problem(503, 'unavailable')]);
    const waiting = new AbortController();
    const aborting = createTestClient({
      sleep: async () => {
        waiting.abort();
      },
    });
    expect(await rejectionOf(take(aborting.client.events({ signal: waiting.signal }), 1))).toBeInstanceOf(AbortError);
  });
});

describe('taskEvents()', () => {
  it("yields every event of the task's own stream, running and requeued included, and ends when a reconnection is answered 204", async () => {
    const events: TaskEvent[] = [
      taskEvent(1, 'scheduled'),
      taskEvent(2, 'running'),
      { id: 3, kind: 'delta', taskId: 1, createdAt: '2026-01-01T00:00:00.000Z', attempt: 1, delta: { output: 'Hel' } },
      taskEvent(4, 'requeued'),
      taskEvent(5, 'running'),
      taskEvent(6, 'progress'),
      taskEvent(7, 'successful'),
    ];
    const requests: Request[] = [];
    server.use(
      http.get(`${baseUrl}/v1/tasks/1/events`, ({ request }) => {
        requests.push(request);
        // The coordinator closes the stream after the final event and answers a reconnection with 204.
        return requests.length === 1 ? eventStream(events.map(message)) : new HttpResponse(null, { status: 204 });
      }),
    );
    const { client } = createTestClient();
    const seen: TaskStreamEvent[] = [];
    for await (const event of client.taskEvents(1, { lastEventId: 0 })) seen.push(event);
    expect(seen).toEqual(events);
    expect(requests.map((r) => r.headers.get('last-event-id'))).toEqual(['0', '7']);
  });
});

describe('streamTask()', () => {
  it('finishes from the task itself when the stream answers 204 (the final event was pruned, or the resume point is past it)', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tasks/1/events`, () => new HttpResponse(null, { status: 204 })),
      http.get(`${baseUrl}/v1/tasks/1`, () => HttpResponse.json(makeTask(1, { status: 'successful', output: { output: 'Sum.' } }))),
    );
    const { client } = createTestClient();
    const parts = [];
    for await (const part of client.streamTask(1, { lastEventId: 9 })) parts.push(part);
    expect(parts).toEqual([{ kind: 'done', task: expect.objectContaining({ id: 1, status: 'successful' }), output: { output: 'Sum.' }, eventId: 9 }]);
  });

  it('throws the task\'s failure after a 204, and says so when the task has not ended', async () => {
    let status: 'failed' | 'running' = 'failed';
    server.use(
      http.get(`${baseUrl}/v1/tasks/1/events`, () => new HttpResponse(null, { status: 204 })),
      http.get(`${baseUrl}/v1/tasks/1`, () => HttpResponse.json(makeTask(1, { status, errorMessage: 'boom' }))),
    );
    const { client } = createTestClient();
    const drain = async () => {
      for await (const part of client.streamTask(1)) void part;
    };
    expect(await rejectionOf(drain())).toBeInstanceOf(TaskFailedError);
    status = 'running';
    expect(String(await rejectionOf(drain()))).toContain('ended before the task did');
  });
});
