import { expect, it } from 'vitest';
import { createHttp, describeEachDatabase, useCoordinator } from '../src/index.ts';

describeEachDatabase('coordinator process', (kind) => {
  const fx = useCoordinator(kind);

  it('answers /healthz on its database', async () => {
    const res = await createHttp(fx.coordinator.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: kind });
  });

  it('serves the interactive API reference at /docs from /openapi.json, without a token', async () => {
    const http = createHttp(fx.coordinator.url);
    const docs = await http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.body).toContain('/openapi.json');
    expect((await http.get('/openapi.json')).body.openapi).toBe('3.1.0');
  });
});
