import { createRoute, z } from '@hono/zod-openapi';
import { Health } from '@taskproc/spec';
import type { MiddlewareHandler } from 'hono';
import { adminOnly } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { createRouter } from '../http/create-router.ts';
import type { AppEnv } from '../http/env.ts';
import { authErrors, jsonContent, problemContent, security } from '../http/responses.ts';

/** What operators and their tools call: the health check and the Prometheus metrics. */
export function createServiceRoutes(deps: Deps, authenticated: MiddlewareHandler<AppEnv>) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['service'],
      summary: 'Health check (no token)',
      description: 'Answers 200 when the coordinator runs and reaches its database; 503 database_unavailable (with Retry-After) when it does not, and 503 unavailable while it stops.',
      responses: {
        200: jsonContent(Health, 'The coordinator and its database answer'),
        503: problemContent('database_unavailable or unavailable'),
      },
    }),
    async (c) => {
      await deps.db.db.execute('select 1');
      return c.json({ status: 'ok' as const, database: deps.db.kind }, 200);
    },
  );

  // Prometheus scrapes with the admin token (`authorization` in its scrape config).
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      tags: ['service'],
      summary: 'Prometheus metrics (admin token)',
      security,
      middleware: [authenticated, adminOnly] as const,
      responses: {
        200: { description: 'The Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
        ...authErrors,
      },
    }),
    async (c) => c.text(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }),
  );

  return app;
}
