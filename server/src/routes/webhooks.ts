import { createRoute, z } from '@hono/zod-openapi';
import { WebhookDeliveryList, WebhookSecret, WebhookSecretQuery, rowIdParam } from '@taskproc/spec';
import type { Principal } from '../auth/tokens.ts';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { createRouter } from '../http/create-router.ts';
import { authErrors, jsonContent, problemContent, security } from '../http/responses.ts';
import { actingAppIdOf, appScopeOf } from '../tasks/app-scope.ts';
import { findTask } from '../tasks/find-task.ts';
import { getWebhookSecret, rotateWebhookSecret } from '../webhooks/app-secrets.ts';
import { listWebhookDeliveries } from '../webhooks/list-deliveries.ts';

const TaskParams = z.object({ id: rowIdParam() });

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
    createRoute({
      method: 'get',
      path: '/webhook-secret',
      tags: ['webhooks'],
      summary: 'Get the app\'s webhook signing secret',
      description:
        'Webhook calls carry X-Taskproc-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. ' +
        'The secret is created on first use.',
      security,
      middleware: [auth] as const,
      request: { query: WebhookSecretQuery },
      responses: {
        200: jsonContent(WebhookSecret, 'The secret'),
        400: problemContent('invalid_request'),
        ...authErrors,
      },
    }),
    async (c) => {
      const appId = secretAppIdOf(c.get('principal'), c.req.valid('query').appId);
      return c.json({ appId, secret: await getWebhookSecret(deps.db.db, appId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhook-secret/rotate',
      tags: ['webhooks'],
      summary: 'Replace the app\'s webhook signing secret',
      description: 'Every webhook call from now on, retries of earlier deliveries included, is signed with the new secret.',
      security,
      middleware: [auth] as const,
      request: { query: WebhookSecretQuery },
      responses: {
        200: jsonContent(WebhookSecret, 'The new secret'),
        400: problemContent('invalid_request'),
        ...authErrors,
      },
    }),
    async (c) => {
      const appId = secretAppIdOf(c.get('principal'), c.req.valid('query').appId);
      return c.json({ appId, secret: await rotateWebhookSecret(deps.db.db, appId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tasks/{id}/webhook-deliveries',
      tags: ['webhooks'],
      summary: 'Webhook deliveries of a task, with every attempt',
      security,
      middleware: [auth] as const,
      request: { params: TaskParams },
      responses: {
        200: jsonContent(WebhookDeliveryList, 'Deliveries, oldest first; empty when the task has no webhook or has not ended'),
        400: problemContent('invalid_request'),
        ...authErrors,
        404: problemContent('not_found: no such task, or it belongs to another app'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const task = await findTask(deps.db.db, id, appScopeOf(c.get('principal')));
      if (!task) throw notFound(`task ${id}`);
      return c.json({ deliveries: await listWebhookDeliveries(deps.db.db, id) }, 200);
    },
  );

  return app;
}
