import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  ConflictError,
  ConnectionError,
  createTransport,
  InternalServerError,
  isTransient,
  RateLimitError,
  readJson,
  TimeoutError,
  UnprocessableEntityError,
} from '../src/index.ts';

function problem(status: number, code: string, init: { headers?: Record<string, string>; slot?: string } = {}) {
  return HttpResponse.json(
    { type: `urn:taskproc:problem:${code}`, title: code, status, detail: `fake ${code}`, code, slot: init.slot, requestId: 'req-1' },
    { status, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-1', ...init.headers } },
  );
}

const base = 'http://wire.test/prefix';
const server = setupServer(
  http.get(`${base}/v1/ok`, ({ request }) =>
    HttpResponse.json({ auth: request.headers.get('authorization'), query: new URL(request.url).search }),
  ),
  http.get(`${base}/v1/conflict`, () => problem(409, 'task_cancelled')),
  http.get(`${base}/v1/invalid`, () => problem(422, 'invalid_output', { slot: 'output' })),
  http.get(`${base}/v1/limited`, () => problem(429, 'unavailable', { headers: { 'retry-after': '2' } })),
  http.put(`${base}/v1/echo`, async ({ request }) =>
    HttpResponse.json({ method: request.method, type: request.headers.get('content-type'), body: await request.text() }),
  ),
  http.get(`${base}/v1/events`, () => new HttpResponse('data: 1\n\n', { headers: { 'content-type': 'text/event-stream' } })),
  http.get(`${base}/v1/broken`, () => new HttpResponse('<html>oops</html>', { status: 502 })),
  http.get(`${base}/v1/refused`, () => HttpResponse.error()),
  http.get(`${base}/v1/hang`, async () => {
    await delay('infinite');
    return HttpResponse.json({});
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const client = createTransport({ url: `${base}/`, token: 'secret', fetch: (input, init) => fetch(input, init), timeoutMs: 2_000 });
const failureOf = (path: string, signal?: AbortSignal, timeoutMs?: number) =>
  client({ method: 'GET', path, signal, timeoutMs }).then(
    () => expect.unreachable(),
    (err: unknown) => err,
  );

describe('the shared transport', () => {
  it('keeps the base path, sends the token and the query', async () => {
    const res = await client({ method: 'GET', path: '/v1/ok', query: { leaseId: 'abc', cursor: undefined } });
    expect(readJson(res)).toEqual({ auth: 'Bearer secret', query: '?leaseId=abc' });
    expect(res.body).toBeNull();
  });

  it('sends PUT with a JSON body', async () => {
    const res = await client({ method: 'PUT', path: '/v1/echo', json: { a: 1 } });
    expect(readJson(res)).toEqual({ method: 'PUT', type: 'application/json', body: '{"a":1}' });
  });

  it('answers a stream request at its headers, leaving the body unread', async () => {
    const res = await client({ method: 'GET', path: '/v1/events', stream: true });
    expect(res.bytes).toHaveLength(0);
    expect(await new Response(res.body).text()).toBe('data: 1\n\n');
  });

  it('maps statuses to ApiError subclasses carrying code, slot, requestId and Retry-After', async () => {
    const conflict = await failureOf('/v1/conflict');
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ name: 'ConflictError', status: 409, code: 'task_cancelled', requestId: 'req-1' });
    const invalid = await failureOf('/v1/invalid');
    expect(invalid).toBeInstanceOf(UnprocessableEntityError);
    expect(invalid).toMatchObject({ code: 'invalid_output', slot: 'output' });
    const limited = await failureOf('/v1/limited');
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ retryAfterMs: 2_000 });
    const broken = await failureOf('/v1/broken');
    expect(broken).toBeInstanceOf(InternalServerError);
    expect(broken).toMatchObject({ status: 502, code: undefined });
    expect([conflict, invalid, limited, broken].map(isTransient)).toEqual([false, false, true, true]);
  });

  it('tells a dropped connection, a timeout and a caller abort apart', async () => {
    const refused = await failureOf('/v1/refused');
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(refused).not.toBeInstanceOf(ApiError);
    expect(isTransient(refused)).toBe(true);

    const timedOut = await failureOf('/v1/hang', undefined, 50);
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect(timedOut).toMatchObject({ name: 'TimeoutError' });
    expect(timedOut).not.toBeInstanceOf(ConnectionError);
    expect(isTransient(timedOut)).toBe(true);

    const controller = new AbortController();
    const pending = failureOf('/v1/hang', controller.signal);
    controller.abort();
    const aborted = await pending;
    expect(aborted).toBeInstanceOf(AbortError);
    expect(aborted).not.toBeInstanceOf(ConnectionError);
    expect(isTransient(aborted)).toBe(false);
  });

  it('passes the task\'s own abort reason through', async () => {
    const controller = new AbortController();
    const reason = new AbortError('Task 1 was cancelled', { kind: 'cancelled' });
    const pending = failureOf('/v1/hang', controller.signal);
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });
});
