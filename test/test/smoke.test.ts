import { expect, it } from 'vitest';
import { createHttp, describeEachDatabase, useCoordinator } from '../src/index.ts';

describeEachDatabase('coordinator process', (kind) => {
  const fx = useCoordinator(kind);

  it('answers /healthz on its database', async () => {
    const res = await createHttp(fx.coordinator.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: kind });
  });

  it('serves the interactive API reference at /docs with every asset from itself, without a token', async () => {
    const page = await fetch(`${fx.coordinator.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // The policy forbids anything from elsewhere, so a CDN reference could not load even if one crept in.
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
    const html = await page.text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(references.filter((ref) => /^(https?:)?\/\//.test(ref))).toEqual([]);
    expect(references).toEqual(expect.arrayContaining(['docs/swagger-ui-bundle.js', 'docs/start.js', 'docs/swagger-ui.css']));
    for (const ref of references) {
      const asset = await fetch(new URL(ref, page.url));
      expect(asset.status, ref).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, ref).toBeGreaterThan(0);
    }
    const start = await (await fetch(`${fx.coordinator.url}/docs/start.js`)).text();
    expect(start).toContain("url: 'openapi.json'");
    expect((await createHttp(fx.coordinator.url).get('/openapi.json')).body.openapi).toBe('3.1.0');
    expect((await fetch(`${fx.coordinator.url}/docs/package.json`)).status).toBe(404);
  });
});
