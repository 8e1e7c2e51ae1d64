import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import {
  createHttp,
  expectProblem,
  registerProvider,
  startCoordinator,
  tokenClient,
  waitForParkedClaims,
  type Http,
  type RunningCoordinator,
  type TestDatabase,
} from '../src/index.ts';
import { startPrivateCluster, type PrivateCluster } from '../src/chaos/private-postgres.ts';

// PostgreSQL going away under two coordinators, on a cluster of this suite's own (the shared one
// on 5432 serves other suites meanwhile): what each request answers during the outage, and that
// everything that waits on notifications works again afterwards without a restart.

const summary = 'core:text2text:summary';

describe('database outage [postgres]', () => {
  let cluster: PrivateCluster;
  let db: TestDatabase;
  let a: RunningCoordinator;
  let b: RunningCoordinator;
  let app: { a: Http; b: Http };
  let provider: { a: Http; b: Http };

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    db = await createTestDatabase();
    // No safety sweep within the test: a claim parked on B can only hear of a task scheduled on
    // A over LISTEN, so after the restart it proves that LISTEN came back.
    const env = { TASKPROC_SWEEP_MS: '60000', TASKPROC_MAX_WAIT_MS: '60000' };
    [a, b] = await Promise.all([startCoordinator(db, env), startCoordinator(db, env)]);
    const adminA = createHttp(a.url, a.adminToken);
    const appA = await tokenClient(adminA, 'app', 'mail');
    const providerA = await tokenClient(adminA, 'provider', 'llm');
    app = { a: appA, b: appA.withBase(b.url) };
    provider = { a: providerA, b: providerA.withBase(b.url) };
    await registerProvider(providerA, 'llm:summary', { name: 'LLM', taskType: summary });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
    await cluster?.destroy();
  });

  async function createTestDatabase(): Promise<TestDatabase> {
    return cluster.createDatabase('outage');
  }
  const claimOnB = (waitMs: number) => provider.b.post('/v1/work/next', { providerIds: ['llm:summary'], waitMs });
  const untilParkedOnB = () => waitForParkedClaims(createHttp(b.url, b.adminToken), (n) => n === 1);

  it('answers 503 database_unavailable while the database is away, and serves again when it is back', async () => {
    const parked = claimOnB(60_000);
    await untilParkedOnB();
    // A token nobody used yet: its lookup must fail as "unavailable", not as "unknown token".
    const fresh = await tokenClient(createHttp(a.url, a.adminToken), 'app', 'chat');
    await cluster.stop();

    // The parked claim is answered, empty: the provider polls again and hears 503.
    expect(await parked).toMatchObject({ status: 200, body: { tasks: [] } });
    for (const res of [
      await app.a.post('/v1/tasks', { type: summary, input: { input: 'during' } }),
      await fresh.get('/v1/tasks/1'),
      await provider.b.post('/v1/work/next', { providerIds: ['llm:summary'], waitMs: 0 }),
      await createHttp(a.url).get('/healthz'),
    ]) {
      expectProblem(res, 503, 'database_unavailable');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Both coordinators are still there to answer.
    expect(a.process.child.exitCode).toBeNull();
    expect(b.process.child.exitCode).toBeNull();

    await cluster.start();
    // Back within seconds, without a restart: polled, bounded.
    const deadline = Date.now() + 10_000;
    let scheduled = await app.a.post('/v1/tasks', { type: summary, input: { input: 'after' } });
    while (scheduled.status !== 201 && Date.now() < deadline) {
      expect(scheduled.status).toBe(503);
      scheduled = await app.a.post('/v1/tasks', { type: summary, input: { input: 'after' } });
    }
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    expect((await fresh.get(`/v1/tasks/${scheduled.body.id}`)).status).toBe(404); // chat's view of mail's task
    const claimed = await claimOnB(0);
    expect(claimed.body.tasks.map((t: { task: { id: number } }) => t.task.id)).toEqual([scheduled.body.id]);
  });

  it('after the restart, a claim parked on one replica hears of work scheduled on the other', async () => {
    // LISTEN on B reconnects on its own; until it has, B may miss a notification, so rounds are
    // repeated until one reaches B through it. A claim answers at its deadline with whatever is
    // queued then, so only an answer well before the deadline counts as heard (the sweep is
    // off: nothing else can tell B).
    const waitMs = 2_000;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const started = Date.now();
      const parked = claimOnB(waitMs);
      await untilParkedOnB();
      const scheduled = await app.a.post('/v1/tasks', { type: summary, input: { input: 'wake B' } });
      expect(scheduled.status).toBe(201);
      const answer = await parked;
      expect(answer.status).toBe(200);
      if (answer.body.tasks.length === 1 && Date.now() - started < waitMs - 500) {
        expect(answer.body.tasks[0].task.id).toBe(scheduled.body.id);
        break;
      }
      // Not heard in time: cancel it so the next round's claim cannot take this one instead.
      await app.a.post(`/v1/tasks/${scheduled.body.id}/cancel`);
      if (Date.now() > deadline) throw new Error('replica B never heard of work scheduled on A after the restart');
    }
  });
});
