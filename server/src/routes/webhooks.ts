import { createRoute } from '@hono/zod-openapi';
import { webhookRoutes } from '@taskproc/spec';
import type { Principal } from '../auth/tokens.ts';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { createRouter } from '../http/create-router.ts';
import { actingAppIdOf, appScopeOf } from '../tasks/app-scope.ts';
import { findTask } from '../tasks/find-task.ts';
import { getWebhookSecret, rotateWebhookSecret } from '../webhooks/app-secrets.ts';
import { listWebhookDeliveries } from '../webhooks/list-deliveries.ts';

/** Whose secret a request is about: an app token's own app; for admin tokens ?appId= (default "admin"). */
function secretAppIdOf(principal: Principal, appId: string | undefined): string {
  const own = appScopeOf(principal);
  if (own !== null && appId !== undefined && appId !== own) {
    throw new ApiError('forbidden', 'query.appId: app tokens see only their own app\'s secret', { field: 'query.appId' });
  }
  return appId ?? actingAppIdOf(principal);
}

/** Webhook signing secrets and the delivery log of a task. */
export function createWebhooksRoutes(deps: Deps) {
  const app = createRouter();
  const auth = requireRole(['app']);

  app.openapi(
    createRoute({ ...webhookRoutes.getSecret, middleware: [auth] as const }),
    async (c) => {
      const appId = secretAppIdOf(c.get('principal'), c.req.valid('query').appId);
      return c.json({ appId, secret: await getWebhookSecret(deps.db.db, appId) }, 200);
    },
  );

  app.openapi(
    createRoute({ ...webhookRoutes.rotateSecret, middleware: [auth] as const }),
    async (c) => {
      const appId = secretAppIdOf(c.get('principal'), c.req.valid('query').appId);
      return c.json({ appId, secret: await rotateWebhookSecret(deps.db.db, appId) }, 200);
    },
  );

  app.openapi(
    createRoute({ ...webhookRoutes.deliveries, middleware: [auth] as const }),
    async (c) => {
      const { id } = c.req.valid('param');
      const task = await findTask(deps.db, id, appScopeOf(c.get('principal')));
      if (!task) throw notFound(`task ${id}`);
      return c.json({ deliveries: await listWebhookDeliveries(deps.db.db, id) }, 200);
    },
  );

  return app;
}
