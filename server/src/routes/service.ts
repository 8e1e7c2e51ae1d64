import { createRoute } from '@hono/zod-openapi';
import { serviceRoutes } from '@taskproc/spec';
import type { MiddlewareHandler } from 'hono';
import { adminOnly } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { createRouter } from '../http/create-router.ts';
import type { AppEnv } from '../http/env.ts';

/** What operators and their tools call: the health check and the Prometheus metrics. */
export function createServiceRoutes(deps: Deps, authenticated: MiddlewareHandler<AppEnv>) {
  const app = createRouter();

  app.openapi(
    createRoute(serviceRoutes.health),
    async (c) => {
      await deps.db.db.execute('select 1');
      return c.json({ status: 'ok' as const, database: deps.db.kind }, 200);
    },
  );

  app.openapi(
    createRoute({ ...serviceRoutes.metrics, middleware: [authenticated, adminOnly] as const }),
    async (c) => c.text(await deps.metrics.scrape(), 200, { 'content-type': deps.metrics.registry.contentType }),
  );

  return app;
}
