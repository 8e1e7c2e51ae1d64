import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRoute } from '@hono/zod-openapi';
import { serviceRoutes } from '@taskproc/spec';
import { ApiError, notFound } from '../errors.ts';
import { createRouter } from '../http/create-router.ts';

// The console is built by Vite (server/console, `npm run build`) into server/dist/console. This
// file sits two levels below server/ both as src/routes/console.ts (tsx, tests) and as
// dist/routes/console.js (`npm start`), so one relative URL finds the build from either.
const consoleDir = fileURLToPath(new URL('../../dist/console/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// Nothing but this origin: scripts and styles are files of the build (no inline code), the API is
// same-origin, and images and media are either the console's own or blob: URLs made from bytes
// it fetched with the token (previews of uploads, task outputs). Trusted Types make the one
// place that writes HTML (the sanitised markdown of outputs) the only one that can.
export const consoleContentSecurityPolicy = [
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
].join('; ');

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': consoleContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The page names its hashed assets: always ask whether a rebuild changed it.
  'cache-control': 'no-cache',
};

// Vite names what it bundles `<name>-<8 character hash>.<ext>` (vite.config.ts): such a name
// never changes content, so it may be cached for good. Files of public/ (favicon.svg) keep
// their names across builds and must be asked about again.
const hashedName = /-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;
const cacheControlOf = (name: string) => (hashedName.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache');

/** The build's files, read from disk on each request, so a rebuild is served without a restart. */
async function builtFile(name: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  let names: string[];
  try {
    names = await readdir(consoleDir);
  } catch {
    return undefined;
  }
  // Only names the build wrote: the parameter's pattern already keeps out '/', this keeps out '..'.
  if (!names.includes(name)) return undefined;
  const bytes = await readFile(join(consoleDir, name));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>;
}

/** The web console at /ui (also reached from /ui/) and its assets at /ui/{asset}, served from the Vite build. */
export function createConsoleRoutes() {
  const app = createRouter();

  // `/ui/` is the page's address with a slash typed after it; the page must be at `/ui` for the
  // names of its assets (`ui/<name>`) to resolve. A middleware, not a route: it is the same page,
  // and the only contract it has is GET /ui's. Relative, so it also works behind a path prefix.
  app.use('/ui/', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const query = new URL(c.req.url).search;
    return c.redirect(`../ui${query}`, 308);
  });

  app.openapi(createRoute(serviceRoutes.console), async (c) => {
    const page = await builtFile('index.html');
    if (!page) throw new ApiError('not_found', 'the console was not built: run `npm run build`');
    return c.body(page, 200, pageHeaders);
  });

  app.openapi(createRoute(serviceRoutes.consoleAsset), async (c) => {
    const name = c.req.valid('param').asset;
    const type = contentTypes[extname(name)];
    const bytes = type ? await builtFile(name) : undefined;
    if (!type || !bytes) throw notFound(`asset ${name}`);
    return c.body(bytes, 200, {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': cacheControlOf(name),
    });
  });

  return app;
}
