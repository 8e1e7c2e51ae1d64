import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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
  type Transport,
} from '../src/index.ts';

function problem(res: ServerResponse, status: number, code: string, init: { headers?: Record<string, string>; slot?: string } = {}) {
  const body = { type: `urn:taskproc:problem:${code}`, title: code, status, detail: `fake ${code}`, code, slot: init.slot, requestId: 'req-1' };
  res.writeHead(status, { 'content-type': 'application/problem+json', 'x-request-id': 'req-1', ...init.headers });
  res.end(JSON.stringify(body));
}

function json(res: ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

// A real HTTP server on loopback, so both of the transport's layers (Node's http module, the
// default on Node, and a fetch) are tested on the same wire.
const sockets = new Set<Socket>();
const socketRequests = new WeakMap<Socket, number>();
let resetNextReuse = false;
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const route = url.pathname.replace(/^\/prefix/, '');
  if (resetNextReuse && (socketRequests.get(req.socket) ?? 0) > 0) {
    // The keep-alive race: the server drops a pooled connection as the client reuses it.
    resetNextReuse = false;
    req.socket.resetAndDestroy();
    return;
  }
  socketRequests.set(req.socket, (socketRequests.get(req.socket) ?? 0) + 1);
  switch (`${req.method} ${route}`) {
    case 'GET /v1/ok':
      return json(res, { auth: req.headers.authorization, query: url.search, socket: req.socket.remotePort });
    case 'GET /v1/conflict':
      return problem(res, 409, 'task_cancelled');
    case 'GET /v1/invalid':
      return problem(res, 422, 'invalid_output', { slot: 'output' });
    case 'GET /v1/limited':
      return problem(res, 429, 'unavailable', { headers: { 'retry-after': '2' } });
    case 'GET /v1/events-refused':
      return problem(res, 409, 'task_cancelled');
    case 'PUT /v1/echo':
    case 'POST /v1/echo':
      return json(res, {
        method: req.method,
        type: req.headers['content-type'],
        length: req.headers['content-length'],
        body: await readBody(req),
      });
    case 'GET /v1/events':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      if (url.searchParams.has('open')) return; // keeps streaming until the client leaves
      return res.end();
    case 'GET /v1/broken':
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<html>oops</html>');
    case 'GET /v1/dropped':
      return req.socket.destroy();
    case 'GET /v1/hang':
      return; // never answers
    default:
      res.writeHead(404);
      res.end();
  }
});
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const layers: Array<[string, typeof fetch | undefined]> = [
  ['Node http module (the default on Node)', undefined],
  ['a fetch passed in', (input, init) => fetch(input, init)],
];

describe.each(layers)('the shared transport over %s', (_name, fetchImpl) => {
  let client: Transport;
  beforeAll(() => {
    client = createTransport({ url: `${base}/`, token: 'secret', fetch: fetchImpl, timeoutMs: 2_000 });
  });
  const failureOf = (path: string, signal?: AbortSignal, timeoutMs?: number) =>
    client({ method: 'GET', path, signal, timeoutMs }).then(
      () => expect.unreachable(),
      (err: unknown) => err,
    );

  it('keeps the base path, sends the token and the query', async () => {
    const res = await client({ method: 'GET', path: '/v1/ok', query: { leaseId: 'abc', cursor: undefined } });
    expect(readJson(res)).toMatchObject({ auth: 'Bearer secret', query: '?leaseId=abc' });
    expect(res.body).toBeNull();
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('sends PUT with a JSON body, with its length', async () => {
    const res = await client({ method: 'PUT', path: '/v1/echo', json: { a: 'ü' } });
    expect(readJson(res)).toEqual({ method: 'PUT', type: 'application/json', length: '10', body: '{"a":"ü"}' });
  });

  it("sends bytes and a Blob with their length, a Blob's type unless one was set", async () => {
    const bytes = await client({ method: 'POST', path: '/v1/echo', body: new TextEncoder().encode('abc'), headers: { 'content-type': 'text/plain' } });
    expect(readJson(bytes)).toEqual({ method: 'POST', type: 'text/plain', length: '3', body: 'abc' });
    const blob = await client({ method: 'POST', path: '/v1/echo', body: new Blob(['hello'], { type: 'text/markdown' }) });
    expect(readJson(blob)).toEqual({ method: 'POST', type: 'text/markdown', length: '5', body: 'hello' });
  });

  it('answers with a plain Uint8Array of its own (callers hand the bytes on)', async () => {
    const res = await client({ method: 'GET', path: '/v1/ok' });
    expect(Object.getPrototypeOf(res.bytes)).toBe(Uint8Array.prototype);
    expect(res.bytes.byteOffset).toBe(0);
    expect(res.bytes.buffer.byteLength).toBe(res.bytes.byteLength);
  });

  it('answers a stream request at its headers, leaving the body unread', async () => {
    const res = await client({ method: 'GET', path: '/v1/events', stream: true });
    expect(res.bytes).toHaveLength(0);
    expect(await new Response(res.body).text()).toBe('data: 1\n\n');
  });

  it('ends a stream with the abort when the caller aborts while it is being read', async () => {
    const controller = new AbortController();
    const res = await client({ method: 'GET', path: '/v1/events', query: { open: '1' }, stream: true, signal: controller.signal });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads the problem of a stream request that was refused', async () => {
    const refused = await client({ method: 'GET', path: '/v1/events-refused', stream: true }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: 'task_cancelled' });
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
    const dropped = await failureOf('/v1/dropped');
    expect(dropped).toBeInstanceOf(ConnectionError);
    expect(dropped).not.toBeInstanceOf(ApiError);
    expect(isTransient(dropped)).toBe(true);

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

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = createTransport({ url: `http://127.0.0.1:${port}`, token: 't', fetch: fetchImpl, timeoutMs: 2_000 });
    const refused = await nowhere({ method: 'GET', path: '/v1/ok' }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as Error).message).toMatch(/^GET \/v1\/ok failed: .*ECONNREFUSED/);
  });

  it("passes the task's own abort reason through", async () => {
    const controller = new AbortController();
    const reason = new AbortError('Task 1 was cancelled', { kind: 'cancelled' });
    const pending = failureOf('/v1/hang', controller.signal);
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });
});

describe('the Node http layer', () => {
  const client = () => createTransport({ url: base, token: 'secret', timeoutMs: 2_000 });

  it('keeps the connection for the next request', async () => {
    const transport = client();
    const first = readJson(await transport({ method: 'GET', path: '/v1/ok' })) as { socket: number };
    const second = readJson(await transport({ method: 'GET', path: '/v1/ok' })) as { socket: number };
    expect(second.socket).toBe(first.socket);
  });

  it('sends a request again on a new connection when the pooled one was dropped as it was reused', async () => {
    const transport = client();
    const first = readJson(await transport({ method: 'GET', path: '/v1/ok' })) as { socket: number };
    resetNextReuse = true;
    const second = readJson(await transport({ method: 'GET', path: '/v1/ok' })) as { socket: number };
    expect(resetNextReuse).toBe(false); // the reset happened
    expect(second.socket).not.toBe(first.socket);
  });
});
