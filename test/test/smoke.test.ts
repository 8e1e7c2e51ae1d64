import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttp, createTestDatabase, describeEachDatabase, startCoordinator, type RunningCoordinator, type TestDatabase } from '../src/index.ts';

describeEachDatabase('coordinator process', (kind) => {
  let db: TestDatabase;
  let coordinator: RunningCoordinator;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    coordinator = await startCoordinator(db);
  });
  afterAll(async () => {
    await coordinator?.stop();
    await db?.destroy();
  });

  it('answers /healthz on its database', async () => {
    const res = await createHttp(coordinator.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: kind });
  });
});
