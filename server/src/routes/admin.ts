import { createRoute, z } from '@hono/zod-openapi';
import { CreatedToken, CreateTokenRequest, TaskTypeId, TaskTypeSettings, TokenList, rowIdParam } from '@taskproc/spec';
import { adminOnly } from '../auth/require-auth.ts';
import { createToken, listTokens, revokeToken } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { announceProvidersChanged, announceTokenRevoked } from '../signals/cache-invalidation.ts';
import { createRouter } from '../http/create-router.ts';
import { authErrors, jsonContent, problemContent, security } from '../http/responses.ts';
import { loadTaskTypeSettings, saveTaskTypeSettings } from '../providers/task-type-settings.ts';

const TokenParams = z.object({
  id: rowIdParam().openapi({ param: { name: 'id', in: 'path' }, example: 3 }),
});
const TaskTypeParams = z.object({ typeId: TaskTypeId });

/** Operator endpoints: tokens and per-type settings. Admin tokens only (no role is listed besides admin). */
export function createAdminRoutes(deps: Deps) {
  const app = createRouter();
  const { db, now } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/tokens',
      tags: ['admin'],
      summary: 'Create a token',
      description: 'The secret is in this answer only; the coordinator keeps a hash of it.',
      security,
      middleware: [adminOnly] as const,
      request: { body: { content: { 'application/json': { schema: CreateTokenRequest } }, required: true } },
      responses: {
        201: jsonContent(CreatedToken, 'Created; `token` is the secret, shown once'),
        400: problemContent('invalid_request (e.g. an app token without appId) or invalid_json'),
        ...authErrors,
        413: problemContent('payload_too_large'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await createToken(db.db, body), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/tokens',
      tags: ['admin'],
      summary: 'List tokens',
      description: 'Every token, newest first, revoked ones included. Secrets and hashes are never shown.',
      security,
      middleware: [adminOnly] as const,
      responses: { 200: jsonContent(TokenList, 'Tokens, newest first'), ...authErrors },
    }),
    async (c) => c.json({ tokens: await listTokens(db.db) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/admin/tokens/{id}',
      tags: ['admin'],
      summary: 'Revoke a token',
      description: 'The token stops working at once. 404 when no live token has this id (unknown or already revoked).',
      security,
      middleware: [adminOnly] as const,
      request: { params: TokenParams },
      responses: {
        204: { description: 'Revoked' },
        400: problemContent('invalid_request'),
        ...authErrors,
        404: problemContent('not_found'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await revokeToken(db.db, id, now()))) throw notFound(`live token ${id}`);
      // Refused here at once; replicas drop it when the notification, sent before we answer, arrives.
      deps.principals.clear();
      await announceTokenRevoked(db, id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/task-types/{typeId}',
      tags: ['admin'],
      summary: 'Read the settings of a task type',
      security,
      middleware: [adminOnly] as const,
      request: { params: TaskTypeParams },
      responses: {
        200: jsonContent(TaskTypeSettings, 'The settings (defaults when never set)'),
        400: problemContent('invalid_request'),
        ...authErrors,
        422: problemContent('unknown_task_type'),
      },
    }),
    async (c) => c.json(await loadTaskTypeSettings(db.db, c.req.valid('param').typeId), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/admin/task-types/{typeId}',
      tags: ['admin'],
      summary: 'Enable or disable a task type and order its providers',
      description:
        'Replaces the settings. Disabled types cannot be scheduled. preferredProviders lists providers of ' +
        'this type in the order tasks go to them; unlisted providers follow in registration order.',
      security,
      middleware: [adminOnly] as const,
      request: {
        params: TaskTypeParams,
        body: { content: { 'application/json': { schema: TaskTypeSettings } }, required: true },
      },
      responses: {
        200: jsonContent(TaskTypeSettings, 'The stored settings'),
        400: problemContent('invalid_request (e.g. a provider listed twice) or invalid_json'),
        ...authErrors,
        413: problemContent('payload_too_large'),
        422: problemContent('unknown_task_type, or unknown_provider naming the preferredProviders entry'),
      },
    }),
    async (c) => {
      const { typeId } = c.req.valid('param');
      const saved = await saveTaskTypeSettings(db.db, typeId, c.req.valid('json'), now());
      await announceProvidersChanged(db, deps, `settings ${typeId}`);
      return c.json(saved, 200);
    },
  );

  return app;
}
