import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Db } from '../../server/src/db/create-db.ts';
import { taskEvents } from '../../server/src/db/schema.ts';
import { createEventHorizon, type HorizonAdvance } from '../../server/src/events/event-horizon.ts';
import { createLogger } from '../../server/src/logger.ts';
import { createSignals } from '../../server/src/signals/signals.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../src/index.ts';

// The event horizon in process, against a real database: event ids that commit out of order must
// not let a stream skip the one still committing. Holes are made by inserting explicit ids, as
// two transactions committing in the other order would leave them.

describeEachDatabase('event horizon', (kind) => {
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
    expect(advances.at(-1)).toEqual({ from: 0, to: 2, appIds: new Set(['app1', 'app0']), taskIds: new Set([10, 20]) });

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
});
