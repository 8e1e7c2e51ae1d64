import { createServer, type Server } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttp,
  createTestDatabase,
  describeEachDatabase,
  registerProvider,
  spawnTsProcess,
  startCoordinator,
  tokenClient,
  waitForParkedClaims,
  type RunningCoordinator,
  type TestDatabase,
} from '../src/index.ts';

// The coordinator process at its edges: starting (a busy port, a data directory in use), what
// Node's HTTP parser refuses, and stopping on SIGTERM.

/** Starts the coordinator entry point as an operator would: no seeded admin token. */
const startBare = (db: TestDatabase, env: Record<string, string>) =>
  spawnTsProcess('server/src/main.ts', { HOST: '127.0.0.1', DATA_DIR: db.dataDir, LOG_LEVEL: 'warn', ...env });

describe('start failures [pglite]', () => {
  let db: TestDatabase;
  let blocker: Server;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker?.close(resolve));
    await db?.destroy();
  });

  it('a busy port: one line, exit 1, and no admin token made until a start succeeds', async () => {
    const port = (blocker.address() as { port: number }).port;
    const busy = startBare(db, { PORT: String(port) });
    const { code } = await busy.exited;
    expect(code).toBe(1);
    expect(busy.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(busy.output()).not.toContain('First start');
    expect(busy.output()).not.toMatch(/\n\s+at /); // no stack trace
    // The lock went with it, and the token was never made: the next start makes and prints it.
    const next = startBare(db, { PORT: '0' });
    await next.waitForLine(/taskproc listening on/);
    expect(next.output()).toContain('First start: created an admin token');
    await next.stop();
  });

  it('a data directory in use: the second coordinator names the first and leaves its lock alone', async () => {
    const first = await startCoordinator(db);
    try {
      const second = startBare(db, { PORT: '0' });
      expect((await second.exited).code).toBe(1);
      expect(second.output()).toContain(`in use by another coordinator (pid ${first.process.child.pid}`);
      // The first still holds it: a third is refused the same way, and the first still serves.
      const third = startBare(db, { PORT: '0' });
      expect((await third.exited).code).toBe(1);
      expect(third.output()).toContain(`pid ${first.process.child.pid}`);
      expect((await createHttp(first.url, first.adminToken).get('/healthz')).status).toBe(200);
    } finally {
      await first.process.stop('SIGKILL');
    }
    // Killed without a chance to release: its lock is stale, and the next start takes it over.
    const after = await startCoordinator(db);
    expect((await createHttp(after.url, after.adminToken).get('/healthz')).status).toBe(200);
    await after.stop();
  });
});

describeEachDatabase('the HTTP edge and SIGTERM', (kind) => {
  let db: TestDatabase;
  let coordinator: RunningCoordinator;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    coordinator = await startCoordinator(db, { TASKPROC_MAX_WAIT_MS: '60000' });
  });
  afterAll(async () => {
    await coordinator?.stop();
    await db?.destroy();
  });

  /** Sends raw bytes and reads the whole answer (the coordinator closes the connection after it). */
  const raw = (bytes: string) =>
    new Promise<{ status: number; contentType: string | undefined; body: any }>((resolve, reject) => {
      const { hostname, port } = new URL(coordinator.url);
      const socket = connect(Number(port), hostname);
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', reject);
      socket.on('end', () => {
        const [head = '', body = ''] = answer.split('\r\n\r\n');
        resolve({
          status: Number(head.split(' ')[1]),
          contentType: head.match(/^content-type: (.*)$/im)?.[1],
          body: body ? JSON.parse(body) : undefined,
        });
      });
      socket.write(bytes);
    });

  it.each([
    ['a bad request line', 'NOT HTTP AT ALL\r\n\r\n', 400, 'invalid_request'],
    ['an HTTP/2 preface on the HTTP/1 port', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, 'invalid_request'],
    ['headers over the limit', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
  ])('answers %s with problem+json', async (_what, bytes, status, code) => {
    const answer = await raw(bytes);
    expect(answer.status).toBe(status);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status, code });
  });

  it('SIGTERM answers a parked claim empty, then exits 0', async () => {
    const admin = createHttp(coordinator.url, coordinator.adminToken);
    const provider = await tokenClient(admin, 'provider', 'llm');
    await registerProvider(provider, 'llm:summary', { name: 'LLM', taskType: 'core:text2text:summary' });
    // Park, then stop once the coordinator counts it parked.
    const parked = provider.post('/v1/work/next', { providerIds: ['llm:summary'], waitMs: 60_000 });
    await waitForParkedClaims(admin, (n) => n === 1);
    const exited = coordinator.process.stop('SIGTERM');
    const answer = await parked;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ tasks: [] });
    expect((await exited).code).toBe(0);
  });
});
