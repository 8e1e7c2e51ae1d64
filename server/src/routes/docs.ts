import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRoute } from '@hono/zod-openapi';
import { serviceRoutes } from '@taskproc/spec';
import { notFound } from '../errors.ts';
import { createRouter } from '../http/create-router.ts';

// Swagger UI from the installed swagger-ui-dist package: /docs must work on a machine that
// reaches nothing but the coordinator, so no asset comes from a CDN.
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The assets the page loads, by the name it loads them under. Nothing else is served. */
const assets: Record<string, { file?: string; text?: string; type: string }> = {
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
  // The start script is a file, not inline, so the page's CSP can forbid inline scripts.
  'start.js': {
    type: 'text/javascript; charset=utf-8',
    text: `window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  tryItOutEnabled: false,
});
`,
  },
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>taskproc API</title>
  <link rel="icon" type="image/png" href="docs/favicon-32x32.png">
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <noscript>The API reference needs JavaScript; the document itself is at <a href="openapi.json">openapi.json</a>.</noscript>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/start.js"></script>
</body>
</html>
`;

// Swagger UI sets style attributes, hence 'unsafe-inline' for styles; scripts only from here.
const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The interactive API reference at /docs, served from installed packages. */
export function createDocsRoutes() {
  const app = createRouter();
  const loaded = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  const load = (file: string) => {
    let bytes = loaded.get(file);
    if (!bytes) {
      bytes = readFile(join(swaggerDir, file)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as Uint8Array<ArrayBuffer>);
      loaded.set(file, bytes);
    }
    return bytes;
  };

  app.openapi(createRoute(serviceRoutes.docs), (c) =>
    c.body(page, 200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy }),
  );

  app.openapi(createRoute(serviceRoutes.docsAsset), async (c) => {
    const name = c.req.valid('param').asset;
    const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (!asset) throw notFound(`asset ${name}`);
    const body = asset.text ?? (await load(asset.file!));
    return c.body(body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
  });

  return app;
}
