import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
} from '../src/index.ts';
import { baseUrl, createTestClient, makeTask, problem, rejectionOf } from './fixtures.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Answers GET /v1/tasks/1 with `respond` and counts the calls. */
function answerTask(respond: () => Response | Promise<Response>) {
  const calls = { count: 0 };
  server.use(
    http.get(`${baseUrl}/v1/tasks/1`, () => {
      calls.count += 1;
      return respond();
    }),
  );
  return calls;
}

describe('error mapping', () => {
  const cases = [
    [400, 'invalid_request', BadRequestError],
    [401, 'unauthorized', AuthenticationError],
    [403, 'forbidden', PermissionDeniedError],
    [404, 'not_found', NotFoundError],
    [409, 'task_terminal', ConflictError],
    [422, 'missing_slot', UnprocessableEntityError],
    [429, 'unavailable', RateLimitError],
    [500, 'internal_error', InternalServerError],
    [503, 'unavailable', InternalServerError],
  ] as const;

  it.each(cases)('maps %i to its subclass with code, detail and requestId', async (status, code, errorClass) => {
    answerTask(() => problem(status, code, { slot: 'input', field: 'json.input' }));
    const { client } = createTestClient({ maxRetries: 0 });
    const err = await rejectionOf(client.get(1));
    expect(err).toBeInstanceOf(errorClass);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      name: errorClass.name,
      status,
      code,
      detail: `fake ${code}`,
      requestId: 'req-1',
      slot: 'input',
      field: 'json.input',
    });
  });

  it('keeps other statuses as a plain ApiError and survives a body that is not a problem', async () => {
    answerTask(() => new HttpResponse('<html>teapot</html>', { status: 418, headers: { 'x-request-id': 'req-9' } }));
    const { client } = createTestClient();
    const err = await rejectionOf(client.get(1));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ name: 'ApiError', status: 418, code: undefined, requestId: 'req-9' });
  });

  it('tells a refused connection, a timeout and a caller abort apart', async () => {
    answerTask(() => HttpResponse.error());
    const { client } = createTestClient({ maxRetries: 0, timeoutMs: 50 });
    const refused = await rejectionOf(client.get(1));
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(refused).toMatchObject({ name: 'ConnectionError' });

    answerTask(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const timedOut = await rejectionOf(client.get(1));
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect(timedOut).not.toBeInstanceOf(ConnectionError);

    const controller = new AbortController();
    const pending = rejectionOf(createTestClient({ timeoutMs: 10_000 }).client.get(1, { signal: controller.signal }));
    controller.abort();
    const aborted = await pending;
    expect(aborted).toBeInstanceOf(AbortError);
    expect(aborted).toMatchObject({ name: 'AbortError' });
  });

  it('refuses an answer that does not match the protocol', async () => {
    answerTask(() => HttpResponse.json({ id: 1, status: 'exploded' }));
    const { client } = createTestClient();
    const err = await rejectionOf(client.get(1));
    expect(String(err)).toMatch(/unexpected answer from the coordinator/);
  });
});

describe('retries', () => {
  it('retries 429 and 5xx, waiting what Retry-After asks, then succeeds', async () => {
    const answers = [
      () => problem(429, 'unavailable', { headers: { 'retry-after': '3' } }),
      () => problem(503, 'unavailable', { headers: { 'retry-after-ms': '250' } }),
      () => HttpResponse.json({ types: [] }),
    ];
    let calls = 0;
    server.use(http.get(`${baseUrl}/v1/task-types`, () => answers[calls++]!()));
    const { client, waits } = createTestClient();
    expect(await client.taskTypes()).toEqual([]);
    expect(calls).toBe(3);
    expect(waits).toEqual([3_000, 250]);
  });

  it('backs off exponentially with jitter and gives up after maxRetries', async () => {
    const calls = answerTask(() => problem(502, 'internal_error'));
    const { client, waits } = createTestClient({ maxRetries: 3 });
    expect(await rejectionOf(client.get(1))).toBeInstanceOf(InternalServerError);
    expect(calls.count).toBe(4);
    expect(waits).toHaveLength(3);
    // About 0.5 s, 1 s, 2 s, each with up to a quarter taken off.
    [500, 1_000, 2_000].forEach((base, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(base * 0.75);
      expect(waits[i]).toBeLessThanOrEqual(base);
    });
  });

  it('caps an absurd Retry-After', async () => {
    answerTask(() => problem(429, 'unavailable', { headers: { 'retry-after': '86400' } }));
    const { client, waits } = createTestClient({ maxRetries: 1 });
    await rejectionOf(client.get(1));
    expect(waits).toEqual([60_000]);
  });

  it('retries connection errors but not conflicts or bad requests', async () => {
    const refused = answerTask(() => HttpResponse.error());
    const { client } = createTestClient();
    expect(await rejectionOf(client.get(1))).toBeInstanceOf(ConnectionError);
    expect(refused.count).toBe(3);

    const conflict = answerTask(() => problem(409, 'task_terminal'));
    expect(await rejectionOf(client.get(1))).toBeInstanceOf(ConflictError);
    expect(conflict.count).toBe(1);

    const invalid = answerTask(() => problem(400, 'invalid_request'));
    expect(await rejectionOf(client.get(1))).toBeInstanceOf(BadRequestError);
    expect(invalid.count).toBe(1);
  });

  it('stops retrying when the caller aborts during the wait', async () => {
    answerTask(() => problem(503, 'unavailable'));
    const controller = new AbortController();
    const { client } = createTestClient({
      sleep: async () => {
        controller.abort();
      },
    });
    const err = await rejectionOf(client.get(1, { signal: controller.signal }));
    expect(err).toBeInstanceOf(AbortError);
  });

  it('retries schedule under one Idempotency-Key, a fresh one per call', async () => {
    const keys: Array<string | null> = [];
    server.use(
      http.post(`${baseUrl}/v1/tasks`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        return keys.length === 1 ? HttpResponse.error() : HttpResponse.json(makeTask(7), { status: 201 });
      }),
    );
    const { client } = createTestClient();
    await client.schedule({ type: 'core:text2text:summary', input: { input: 'x' } });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);

    await client.schedule({ type: 'core:text2text:summary', input: { input: 'x' } }, { idempotencyKey: 'mine' });
    expect(keys[2]).toBe('mine');
    await client.schedule({ type: 'core:text2text:summary', input: { input: 'x' } });
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('never retries an upload', async () => {
    let calls = 0;
    server.use(
      http.post(`${baseUrl}/v1/files`, () => {
        calls += 1;
        return problem(503, 'unavailable');
      }),
    );
    const { client } = createTestClient();
    expect(await rejectionOf(client.uploadFile(new Uint8Array([1]), { name: 'a.bin' }))).toBeInstanceOf(InternalServerError);
    expect(calls).toBe(1);
  });

  it('takes a 404 after a lost delete as done, but not a 404 on the first try', async () => {
    let calls = 0;
    server.use(
      http.delete(`${baseUrl}/v1/tasks/5`, () => {
        calls += 1;
        return calls === 1 ? HttpResponse.error() : problem(404, 'not_found');
      }),
      http.delete(`${baseUrl}/v1/tasks/6`, () => problem(404, 'not_found')),
    );
    const { client } = createTestClient();
    await expect(client.delete(5)).resolves.toBeUndefined();
    expect(calls).toBe(2);
    expect(await rejectionOf(client.delete(6))).toBeInstanceOf(NotFoundError);
  });
});
