import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Db } from '../../server/src/db/create-db.ts';
import { taskEvents } from '../../server/src/db/schema.ts';
import { createEventHorizon, type HorizonAdvance } from '../../server/src/events/event-horizon.ts';
import { pruneTaskEvents } from '../../server/src/events/prune-task-events.ts';
import { loadConfig } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { createSignals } from '../../server/src/signals/signals.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../src/index.ts';

// The event log in process, against a real database. The horizon: event ids that commit out of
// order must not let a stream skip the one still committing (holes are made by inserting explicit
// ids, as two transactions committing in the other order would leave them). Pruning: only events
// older than the retention go.

describeEachDatabase('event log', (kind) => {
  let testDb: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await createDb({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.destroy();
  });

  const insert = (...ids: number[]) =>
    db.db.insert(taskEvents).values(ids.map((id) => ({ id, taskId: id * 10, appId: `app${id % 2}`, kind: 'scheduled', payload: {} })));

  it('stops before a missing id until it fills, and gives it up after the gap timeout', async () => {
    const signals = createSignals(db, () => {});
    const horizon = createEventHorizon({ db, signals, logger: createLogger('silent') }, { gapTimeoutMs: 400 });
    const advances: HorizonAdvance[] = [];
    let onAdvance: (() => void) | undefined;
    const unsubscribe = horizon.subscribe((advance) => {
      advances.push(advance);
      onAdvance?.();
    });

    expect(await horizon.current()).toBe(0);
    await insert(1, 2);
    expect(await horizon.current()).toBe(2);
    expect(advances.at(-1)).toEqual({ from: 0, to: 2, appIds: new Set(['app1', 'app0']), taskIds: new Set([10, 20]), changes: true });

    await insert(4);
    expect(await horizon.current()).toBe(2);
    await insert(3);
    expect(await horizon.current()).toBe(4);
    expect(advances.at(-1)).toMatchObject({ from: 2, to: 4, taskIds: new Set([30, 40]) });

    // 5 never commits (its transaction rolled back): 6 goes out once the gap timed out.
    await insert(6);
    const started = Date.now();
    const gaveUp = new Promise<void>((resolve) => (onAdvance = resolve));
    expect(await horizon.current()).toBe(4);
    await gaveUp;
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(horizon.known()).toBe(6);
    expect(advances.at(-1)).toMatchObject({ from: 4, to: 6, taskIds: new Set([60]) });
    unsubscribe();
  });

  it('starts a new horizon at the settled part of the log and waits at young holes', async () => {
    const signals = createSignals(db, () => {});
    const horizon = createEventHorizon({ db, signals, logger: createLogger('silent') }, { gapTimeoutMs: 60_000 });
    const unsubscribe = horizon.subscribe(() => {});
    await insert(8);
    // Every row is younger than the gap timeout, so 5 (given up by the other horizon) and 7 are
    // holes that may still fill, for this one.
    expect(await horizon.current()).toBe(4);
    await insert(5);
    expect(await horizon.current()).toBe(6);
    await insert(7);
    expect(await horizon.current()).toBe(8);
    unsubscribe();
  });

  it('prunes events older than the retention, and only those', async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    await db.db.insert(taskEvents).values([
      { id: 100, taskId: 1, appId: 'a', kind: 'scheduled', payload: {}, createdAt: hoursAgo(30) },
      { id: 101, taskId: 1, appId: 'a', kind: 'running', payload: {}, createdAt: hoursAgo(25) },
      { id: 102, taskId: 1, appId: 'a', kind: 'successful', payload: {}, createdAt: hoursAgo(23) },
    ]);
    const config = loadConfig({ TASKPROC_EVENT_RETENTION_HOURS: '24' });
    const before = (await db.db.select({ id: taskEvents.id }).from(taskEvents)).map((r) => r.id);
    expect(await pruneTaskEvents({ db, config })).toBe(2);
    const after = (await db.db.select({ id: taskEvents.id }).from(taskEvents)).map((r) => r.id);
    expect(after.sort((x, y) => x - y)).toEqual(before.filter((id) => id !== 100 && id !== 101).sort((x, y) => x - y));
    expect(await pruneTaskEvents({ db, config })).toBe(0);
  });

  it('prunes batch after batch, oldest first, until the events are young, and never a young one', async () => {
    // 5,003 old events (more than one batch) before ids 20,000 on, of which one is young and the
    // ones after it old again: those are pruned too, as they come in the same batch.
    await db.query(`DELETE FROM task_events`);
    await db.query(`INSERT INTO task_events (id, task_id, app_id, kind, payload, created_at)
      SELECT g, 1, 'a', 'scheduled', '{}', now() - interval '30 hours' FROM generate_series(10000, 15002) g`);
    await db.db.insert(taskEvents).values([
      { id: 20_000, taskId: 2, appId: 'a', kind: 'scheduled', payload: {} },
      { id: 20_001, taskId: 2, appId: 'a', kind: 'running', payload: {}, createdAt: new Date(Date.now() - 30 * 3_600_000) },
    ]);
    const config = loadConfig({ TASKPROC_EVENT_RETENTION_HOURS: '24' });
    expect(await pruneTaskEvents({ db, config })).toBe(5_004);
    const left = (await db.db.select({ id: taskEvents.id }).from(taskEvents)).map((r) => r.id);
    expect(left).toEqual([20_000]);
  });

  it('finds old events without an index on created_at, on the primary key', async () => {
    const indexes = await db.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'task_events'`);
    expect(indexes.map((r) => String(r.indexdef)).filter((def) => def.includes('created_at'))).toEqual([]);
  });
});
