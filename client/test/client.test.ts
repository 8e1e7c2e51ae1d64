import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '@taskproc/spec';
import { AbortError, BadRequestError, TaskCancelledError, TaskFailedError, TaskprocError, TimeoutError } from '../src/index.ts';
import { baseUrl, createTestClient, makeTask, problem, rejectionOf } from './fixtures.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface FakeTaskRoutes {
  scheduled: Array<{ body: any; key: string | null }>;
  gets: URL[];
  cancels: number;
}

/**
 * Serves task 1: POST /v1/tasks schedules it, GET answers with the next of `answers` (each may
 * wait, as a long-poll does), cancel answers `onCancel`.
 */
function serveTask(answers: Array<Task | (() => Promise<Task | Response>)>, onCancel?: () => Response): FakeTaskRoutes {
  const routes: FakeTaskRoutes = { scheduled: [], gets: [], cancels: 0 };
  server.use(
    http.post(`${baseUrl}/v1/tasks`, async ({ request }) => {
      routes.scheduled.push({ body: await request.json(), key: request.headers.get('idempotency-key') });
      return HttpResponse.json(makeTask(1), { status: 201 });
    }),
    http.get(`${baseUrl}/v1/tasks/1`, async ({ request }) => {
      routes.gets.push(new URL(request.url));
      const answer = answers[routes.gets.length - 1];
      if (!answer) throw new Error('no more answers');
      const value = typeof answer === 'function' ? await answer() : answer;
      return value instanceof Response ? value : HttpResponse.json(value);
    }),
    http.post(`${baseUrl}/v1/tasks/1/cancel`, () => {
      routes.cancels += 1;
      return onCancel ? onCancel() : HttpResponse.json(makeTask(1, { status: 'cancelled' }));
    }),
  );
  return routes;
}

const successful = makeTask(1, { status: 'successful', progress: 1, output: { output: 'short' } });

describe('run()', () => {
  it('schedules, then long-polls once: the answer comes when the task ends, without sleeping', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const routes = serveTask([
      async () => {
        await finished;
        return successful;
      },
    ]);
    const { client, waits } = createTestClient();
    const running = client.run('core:text2text:summary', { input: 'a long text' }, { userId: 'alice', customId: 'c-1', priority: 5 });
    await expect.poll(() => routes.gets.length).toBe(1);
    finish();
    const output = await running;
    expect(output.output).toBe('short');
    expect(routes.scheduled).toEqual([
      {
        body: { type: 'core:text2text:summary', input: { input: 'a long text' }, userId: 'alice', customId: 'c-1', priority: 5 },
        key: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    expect(routes.gets[0]!.searchParams.get('waitSeconds')).toBe('60');
    expect(waits).toEqual([]);
  });

  it('asks again when a long-poll ends with the task unfinished, spacing answers that come back at once', async () => {
    const routes = serveTask([makeTask(1, { status: 'running' }), makeTask(1, { status: 'running', progress: 0.5 }), successful]);
    const { client, waits } = createTestClient();
    expect(await client.run('core:text2text:summary', { input: 'x' })).toEqual({ output: 'short' });
    expect(routes.gets.map((u) => u.searchParams.get('waitSeconds'))).toEqual(['60', '60', '60']);
    // These fake long-polls answered at once; a real coordinator holds them, and then no wait happens.
    expect(waits).toHaveLength(2);
    for (const ms of waits) expect(ms > 900 && ms <= 1_000, `${ms}`).toBe(true);
  });

  it('rejects with TaskFailedError carrying both messages, and TaskCancelledError', async () => {
    const failed = makeTask(1, { status: 'failed', errorMessage: 'model exploded', userFacingErrorMessage: 'Try again later' });
    serveTask([failed]);
    const { client } = createTestClient();
    const err = await rejectionOf(client.run('core:text2text:summary', { input: 'x' }));
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err).toMatchObject({
      name: 'TaskFailedError',
      errorMessage: 'model exploded',
      userFacingErrorMessage: 'Try again later',
      task: { id: 1, status: 'failed' },
    });

    server.resetHandlers();
    serveTask([makeTask(1, { status: 'cancelled' })]);
    const cancelled = await rejectionOf(client.run('core:text2text:summary', { input: 'x' }));
    expect(cancelled).toBeInstanceOf(TaskCancelledError);
    expect(cancelled).toMatchObject({ name: 'TaskCancelledError', task: { id: 1, status: 'cancelled' } });
  });

  const hang = async (): Promise<Task> => {
    await delay('infinite');
    throw new Error('unreachable');
  };

  it('times out with the last state seen and leaves the task alone', async () => {
    const routes = serveTask([makeTask(1, { status: 'running', progress: 0.3 }), hang]);
    const { client } = createTestClient();
    const err = await rejectionOf(client.run('core:text2text:summary', { input: 'x' }, { timeoutMs: 150 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ name: 'TimeoutError', task: { id: 1, status: 'running', progress: 0.3 } });
    expect(routes.gets[0]!.searchParams.get('waitSeconds')).toBe('1');
    expect(routes.cancels).toBe(0);

    // Timed out before any answer: the error still names the task, as scheduled.
    server.resetHandlers();
    serveTask([hang]);
    const early = await rejectionOf(client.run('core:text2text:summary', { input: 'x' }, { timeoutMs: 50 }));
    expect(early).toMatchObject({ name: 'TimeoutError', task: { id: 1, status: 'scheduled' } });
  });

  it('cancels on timeout when asked, or returns the outcome when the task ended meanwhile', async () => {
    const routes = serveTask([hang]);
    const { client } = createTestClient();
    const err = await rejectionOf(client.run('core:text2text:summary', { input: 'x' }, { timeoutMs: 50, cancelOnTimeout: true }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ task: { status: 'cancelled' } });
    expect(routes.cancels).toBe(1);

    server.resetHandlers();
    serveTask([hang, successful], () => problem(409, 'task_terminal'));
    expect(await client.run('core:text2text:summary', { input: 'x' }, { timeoutMs: 50, cancelOnTimeout: true })).toEqual({ output: 'short' });
  });

  it('rejects with AbortError, not a timeout, when the caller aborts the wait', async () => {
    const routes = serveTask([hang]);
    const { client } = createTestClient();
    const controller = new AbortController();
    const running = rejectionOf(client.run('core:text2text:summary', { input: 'x' }, { timeoutMs: 10_000, signal: controller.signal }));
    await expect.poll(() => routes.gets.length).toBe(1);
    controller.abort();
    expect(await running).toBeInstanceOf(AbortError);
  });
});

describe('schedule()', () => {
  it.each([
    ['a NUL in customId', { customId: 'a\u0000b' }, 'json.customId'],
    ['a lone surrogate in userId', { userId: 'x\uD800' }, 'json.userId'],
    ['a priority past int4', { priority: 2 ** 31 }, 'json.priority'],
  ])('refuses %s before sending, as the coordinator would', async (_what, fields, field) => {
    const routes = serveTask([successful]);
    const { client } = createTestClient();
    const err = await rejectionOf(client.schedule({ type: 'core:text2text:summary', input: { input: 'x' }, ...fields }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', field });
    expect(routes.scheduled).toEqual([]);
  });
});

describe('schedule() calls made together', () => {
  const request = (text: string) => ({ type: 'core:text2text:summary', input: { input: text } });
  const scheduled = (id: number, text: string) => makeTask(id, { input: { input: text } });

  it('go in one POST /v1/tasks/batch, each settling as it would alone', async () => {
    const batches: any[] = [];
    server.use(
      http.post(`${baseUrl}/v1/tasks/batch`, async ({ request: req }) => {
        batches.push(await req.json());
        const fake = (status: number, code: string) => ({ status, problem: { type: `urn:taskproc:problem:${code}`, title: code, status, detail: code, code } });
        return HttpResponse.json({
          results: [{ status: 201, task: scheduled(1, 'one') }, fake(422, 'unknown_task_type'), { ...fake(429, 'rate_limited'), retryAfter: 7 }, { status: 200, task: scheduled(4, 'four') }],
        });
      }),
    );
    const { client } = createTestClient();
    const calls = ['one', 'two', 'three', 'four'].map((text, i) => client.schedule(request(text), i === 3 ? { idempotencyKey: 'mine' } : {}));
    const [one, two, three, four] = await Promise.allSettled(calls);
    expect(one).toMatchObject({ status: 'fulfilled', value: { id: 1 } });
    expect(two).toMatchObject({ status: 'rejected', reason: { name: 'UnprocessableEntityError', code: 'unknown_task_type' } });
    expect(three).toMatchObject({ status: 'rejected', reason: { name: 'RateLimitError', code: 'rate_limited', retryAfterMs: 7_000 } });
    expect(four).toMatchObject({ status: 'fulfilled', value: { id: 4 } });
    expect(batches).toHaveLength(1);
    const [{ tasks }] = batches;
    expect(tasks.map((t: any) => t.input.input)).toEqual(['one', 'two', 'three', 'four']);
    // Every task has a key, so the batch is safe to send again; a given one is kept.
    expect(tasks[3].idempotencyKey).toBe('mine');
    expect(new Set(tasks.map((t: any) => t.idempotencyKey)).size).toBe(4);
  });

  it('go on while an earlier request waits to be retried, which is retried on its own', async () => {
    const sent: string[] = [];
    server.use(
      http.post(`${baseUrl}/v1/tasks`, async ({ request: req }) => {
        const body = (await req.json()) as { input: { input: string } };
        sent.push(body.input.input);
        if (sent.length === 1) return problem(503, 'unavailable', { headers: { 'retry-after': '5' } });
        return HttpResponse.json(scheduled(sent.length, body.input.input), { status: 201 });
      }),
    );
    // The first call's retry waits until the second call is answered.
    let endWait!: () => void;
    const retryWait = new Promise<void>((resolve) => (endWait = resolve));
    let waiting = false;
    const { client } = createTestClient({
      sleep: () => {
        waiting = true;
        return retryWait;
      },
    });
    const first = client.schedule(request('first'));
    await expect.poll(() => waiting).toBe(true);
    const second = client.schedule(request('second'));
    await expect.poll(() => sent).toEqual(['first', 'second']);
    expect((await second).input.input).toBe('second');
    endWait();
    expect((await first).input.input).toBe('first');
    expect(sent).toEqual(['first', 'second', 'first']);
  });

  it('go one by one to a coordinator without the batch route, and stay so', async () => {
    let batchTries = 0;
    const singles: string[] = [];
    server.use(
      http.post(`${baseUrl}/v1/tasks/batch`, () => {
        batchTries++;
        return problem(405, 'method_not_allowed');
      }),
      http.post(`${baseUrl}/v1/tasks`, async ({ request: req }) => {
        const body = (await req.json()) as { input: { input: string } };
        singles.push(body.input.input);
        return HttpResponse.json(scheduled(singles.length, body.input.input), { status: 201 });
      }),
    );
    const { client } = createTestClient();
    const first = await Promise.all(['a', 'b', 'c'].map((text) => client.schedule(request(text))));
    const second = await Promise.all(['d', 'e'].map((text) => client.schedule(request(text))));
    expect([...first, ...second].map((t) => t.input.input)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(batchTries).toBe(1);
    expect(singles.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('the other calls', () => {
  it('gives a long-poll its wait on top of the request timeout', async () => {
    serveTask([
      async () => {
        await delay(200);
        return successful;
      },
    ]);
    const { client } = createTestClient({ timeoutMs: 50 });
    expect(await client.get(1, { waitSeconds: 1 })).toEqual(successful);
  });

  it('lists every page, following nextCursor', async () => {
    const cursors: Array<string | null> = [];
    server.use(
      http.get(`${baseUrl}/v1/tasks`, ({ request }) => {
        const url = new URL(request.url);
        cursors.push(url.searchParams.get('cursor'));
        expect(url.searchParams.get('status')).toBe('successful');
        const pages: Record<string, { tasks: Task[]; nextCursor: string | null }> = {
          first: { tasks: [makeTask(5), makeTask(4)], nextCursor: 'c2' },
          c2: { tasks: [makeTask(3)], nextCursor: 'c3' },
          c3: { tasks: [], nextCursor: null },
        };
        return HttpResponse.json(pages[url.searchParams.get('cursor') ?? 'first']);
      }),
    );
    const { client } = createTestClient();
    const ids: number[] = [];
    for await (const task of client.listAll({ status: 'successful', limit: 2 })) ids.push(task.id);
    expect(ids).toEqual([5, 4, 3]);
    expect(cursors).toEqual([null, 'c2', 'c3']);
  });

  it('uploads raw bytes with type and an encoded name, and downloads with the exact name', async () => {
    const uploads: Array<{ type: string | null; name: string | null; bytes: number[] }> = [];
    const info = { id: 9, name: 'Grüße.txt', mimeType: 'text/plain', size: 2, sha256: 'a'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z', taskId: null };
    server.use(
      http.post(`${baseUrl}/v1/files`, async ({ request }) => {
        uploads.push({
          type: request.headers.get('content-type'),
          name: request.headers.get('x-file-name'),
          bytes: [...new Uint8Array(await request.arrayBuffer())],
        });
        return HttpResponse.json(info, { status: 201 });
      }),
      http.get(`${baseUrl}/v1/files/9`, () =>
        new HttpResponse(new Uint8Array([104, 105]), {
          headers: { 'content-type': 'text/plain', 'content-disposition': `attachment; filename="Gr__e.txt"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt` },
        }),
      ),
    );
    const { client } = createTestClient();
    expect(await client.uploadFile(new Uint8Array([104, 105]), { name: 'Grüße.txt', mimeType: 'text/plain' })).toEqual(info);
    await client.uploadFile(new Blob(['hi'], { type: 'image/png' }));
    expect(uploads).toEqual([
      { type: 'text/plain', name: 'Gr%C3%BC%C3%9Fe.txt', bytes: [104, 105] },
      { type: 'image/png', name: null, bytes: [104, 105] },
    ]);
    const file = await client.downloadFile(9);
    expect(file).toEqual({ bytes: new Uint8Array([104, 105]), mimeType: 'text/plain', name: 'Grüße.txt' });
  });

  it('asks for every task type with all', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${baseUrl}/v1/task-types`, ({ request }) => {
        queries.push(new URL(request.url).search);
        return HttpResponse.json({ types: [] });
      }),
    );
    const { client } = createTestClient();
    await client.taskTypes();
    await client.taskTypes({ all: true });
    expect(queries).toEqual(['', '?all=true']);
  });

  it('waits for a task of the type it was told, and refuses one of another type rather than mistype its output', async () => {
    serveTask([successful, successful]);
    const { client } = createTestClient();
    const task = await client.wait(1, { type: 'core:text2text:summary' });
    expect(task.output?.output).toBe('short');
    await expect(client.wait(1, { type: 'core:text2text:headline' })).rejects.toThrow(
      new TaskprocError('task 1 is of type core:text2text:summary, not core:text2text:headline'),
    );
  });
});
