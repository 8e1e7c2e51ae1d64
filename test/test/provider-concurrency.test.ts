import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createProviderFixture,
  describeEachDatabase,
  event,
  queryTestDatabase,
  reported,
  type ProviderFixture,
  type TestProvider,
  waitForTotal,
} from '../src/index.ts';

// Many provider processes racing for many tasks: every task must end successful exactly once,
// and no task may be claimed twice. Checked three ways: what the providers reported, what the
// API lists, and the coordinator's own event log in the database.

const taskCount = 2_000;
const processes = 4;
const concurrency = 8;
const type = 'test:load';

describeEachDatabase('provider concurrency', (kind) => {
  let fx: ProviderFixture;
  const ids: number[] = [];
  let providers: TestProvider[] = [];

  beforeAll(async () => {
    fx = await createProviderFixture(kind);
    await fx.register('load:p', type);
  });
  afterAll(() => fx?.close());

  it(`${processes} SDK processes x concurrency ${concurrency} finish ${taskCount} tasks, each exactly once`, { timeout: 240_000 }, async () => {
    providers = Array.from({ length: processes }, () => fx.startProvider({ providerId: 'load:p', taskType: type, concurrency }));
    await Promise.all(providers.map((p) => p.waitFor(event('ready'))));

    // Scheduled while the providers already run, 16 requests at a time.
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < taskCount) {
          const n = next++;
          ids.push((await fx.schedule(type, { input: `task ${n}` })).id);
        }
      }),
    );
    expect(new Set(ids).size).toBe(taskCount);

    await waitForTotal(providers, reported(), taskCount, 200_000);

    const all = providers.flatMap((p) => p.reportedTaskIds());
    expect(all).toHaveLength(taskCount);
    expect(new Set(all)).toEqual(new Set(ids));
    // Each process did a share of the work.
    for (const p of providers) expect(p.reportedTaskIds().length).toBeGreaterThan(0);
  });

  it('the API lists every task successful on its first attempt', async () => {
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await fx.app.get(`/v1/tasks?type=${type}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.tasks);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(taskCount);
    const unexpected = seen.filter((t) => t.status !== 'successful' || t.attempts !== 1 || t.output?.output !== String(t.input.input).toUpperCase());
    expect(unexpected).toEqual([]);
  });

  it('the event log shows one claim and one success per task', async () => {
    await fx.stopProviders();
    await fx.coordinator.stop();
    const rows = await queryTestDatabase<{ task_id: number; running: number; successful: number; other: number }>(
      fx.db,
      `SELECT e.task_id,
              count(*) FILTER (WHERE e.kind = 'running')::int AS running,
              count(*) FILTER (WHERE e.kind = 'successful')::int AS successful,
              count(*) FILTER (WHERE e.kind IN ('requeued', 'failed', 'cancelled'))::int AS other
         FROM task_events e JOIN tasks t ON t.id = e.task_id
        WHERE t.type = '${type}'
        GROUP BY e.task_id`,
    );
    expect(rows).toHaveLength(taskCount);
    expect(rows.filter((r) => r.running !== 1 || r.successful !== 1 || r.other !== 0)).toEqual([]);
  });
});
