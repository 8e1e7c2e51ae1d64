import { describe, expect, it } from 'vitest';
import { useInProcessCoordinator } from '../src/index.ts';

// How the coordinator serves the console's build (server/src/routes/console.ts), without a
// browser: the page, its policy and its assets. What the page does is console.test.ts.
// The serving does not depend on the database, so PGlite alone.
describe('web console assets', () => {
  const fx = useInProcessCoordinator('pglite');
  const get = (path: string) => fx.coordinator.app.request(path);

  it('serves the page without a token, under a CSP that allows nothing but this origin', async () => {
    const res = await get('/ui');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' blob:",
      "media-src 'self' blob:",
      "connect-src 'self'",
      "font-src 'self'",
      "manifest-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
      "require-trusted-types-for 'script'",
      'trusted-types taskproc-markdown',
    ]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    // No inline script or style (the CSP would refuse them), nothing from elsewhere.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('redirects /ui/ to the page, relative to where it is, keeping the query', async () => {
    const res = await get('/ui/?from=bookmark');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('../ui?from=bookmark');
    expect(new URL(res.headers.get('location')!, 'http://host/prefix/ui/').href).toBe('http://host/prefix/ui?from=bookmark');
  });

  it('serves every asset the page names from its build, typed, the hashed ones cached for good', async () => {
    const html = await (await get('/ui')).text();
    const names = [...html.matchAll(/(?:src|href)="ui\/([^"]+)"/g)].map((m) => m[1]!);
    expect(names.some((n) => n.endsWith('.js'))).toBe(true);
    expect(names.some((n) => n.endsWith('.css'))).toBe(true);
    for (const name of names) {
      const res = await get(`/ui/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toMatch(/^(text\/javascript|text\/css|image\/svg\+xml)/);
      // The bundle's names carry Vite's hash; the icon from public/ keeps its name across builds.
      const cache = name === 'favicon.svg' ? 'no-cache' : 'public, max-age=31536000, immutable';
      expect(res.headers.get('cache-control'), name).toBe(cache);
      expect((await res.arrayBuffer()).byteLength, name).toBeGreaterThan(0);
    }
    expect(names).toContain('favicon.svg');
  });

  it('answers problem+json for anything the build did not write', async () => {
    for (const path of ['/ui/nope.js', '/ui/index.html', '/ui/..', '/ui/.vite']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('application/problem+json');
    }
    // A name with a slash in it is not an asset name at all.
    const climb = await get('/ui/%2e%2e%2fpackage.json');
    expect(climb.status).toBe(400);
    expect(await climb.json()).toMatchObject({ code: 'invalid_request', field: 'param.asset' });
  });
});
