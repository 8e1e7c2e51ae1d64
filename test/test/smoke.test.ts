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

  it('serves the interactive API reference at /docs from /openapi.json, without a token', async () => {
    const http = createHttp(coordinator.url);
    const docs = await http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.body).toContain('/openapi.json');
    expect((await http.get('/openapi.json')).body.openapi).toBe('3.1.0');
  });
});
