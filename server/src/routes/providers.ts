import { createRoute, z } from '@hono/zod-openapi';
import { Provider, ProviderDescriptor, ProviderId, ProviderList } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import type { Principal } from '../auth/tokens.ts';
import { ApiError, notFound } from '../errors.ts';
import { createRouter } from '../http/create-router.ts';
import { authErrors, jsonContent, problemContent, security } from '../http/responses.ts';
import { deleteProvider } from '../providers/delete-provider.ts';
import { listProviders } from '../providers/list-providers.ts';
import { toProviderJson } from '../providers/provider-rows.ts';
import { registerProvider } from '../providers/register-provider.ts';
import { announceProvidersChanged, announceTaskTypeChanged } from '../signals/cache-invalidation.ts';

const ProviderParams = z.object({ providerId: ProviderId });

/** The app whose providers a token manages; null (every app) for admin tokens. */
function appScope(principal: Principal): string | null {
  if (principal.role === 'admin') return null;
  // Tokens are created with an app id for every role but admin; refuse rather than widen the scope.
  if (principal.appId === null) throw new ApiError('forbidden', 'this token is bound to no app');
  return principal.appId;
}

/**
 * Provider registration. Provider tokens register, replace and delete the providers of their own
 * app; admin tokens may do so for any provider. Listing is also open to app tokens: apps already
 * see provider ids and preference in GET /v1/task-types, and liveness helps them tell "slow" from
 * "nobody is serving this type". Descriptors hold nothing secret.
 */
export function createProvidersRoutes(deps: Deps) {
  const app = createRouter();
  const { db, now } = deps;
  const livenessMs = deps.config.TASKPROC_PROVIDER_LIVENESS_MS;
  const providersOnly = requireRole(['provider']);
  const anyRole = requireRole(['provider', 'app']);

  app.openapi(
    createRoute({
      method: 'put',
      path: '/providers/{providerId}',
      tags: ['providers'],
      summary: 'Register or replace a provider',
      description:
        'Idempotent: provider processes call it on every start. The provider belongs to the app of the ' +
        'token; an id registered by another app answers 409 provider_conflict. A provider may bring a ' +
        'custom task type (customTaskType, whose id equals taskType). Defaults, enum values and optional ' +
        'slots must fit the task type (422 invalid_provider, naming the slot).',
      security,
      middleware: [providersOnly] as const,
      request: {
        params: ProviderParams,
        body: { content: { 'application/json': { schema: ProviderDescriptor } }, required: true },
      },
      responses: {
        200: jsonContent(Provider, 'The registration was replaced'),
        201: jsonContent(Provider, 'The provider was registered'),
        400: problemContent('invalid_request or invalid_json'),
        ...authErrors,
        409: problemContent('provider_conflict: another app owns the id; task_type_conflict: customTaskType clashes'),
        413: problemContent('payload_too_large'),
        422: problemContent('unknown_task_type or invalid_provider (with slot and field)'),
      },
    }),
    async (c) => {
      const descriptor = c.req.valid('json');
      const { row, created, taskTypeChanged } = await registerProvider(db.db, {
        id: c.req.valid('param').providerId,
        appId: appScope(c.get('principal')),
        descriptor,
        now: now(),
      });
      if (taskTypeChanged) {
        deps.taskTypes.clear();
        await announceTaskTypeChanged(db, descriptor.taskType);
      }
      await announceProvidersChanged(db, deps, row.id);
      return c.json(toProviderJson(row, now(), livenessMs), created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/providers/{providerId}',
      tags: ['providers'],
      summary: 'Delete a provider',
      description:
        "Provider tokens delete their own app's providers; another app's provider answers 404 like a missing one. " +
        'Tasks already scheduled stay queued for the remaining providers of the type.',
      security,
      middleware: [providersOnly] as const,
      request: { params: ProviderParams },
      responses: {
        204: { description: 'Deleted' },
        400: problemContent('invalid_request'),
        ...authErrors,
        404: problemContent('not_found'),
      },
    }),
    async (c) => {
      const { providerId } = c.req.valid('param');
      const deleted = await deleteProvider(db.db, providerId, appScope(c.get('principal')));
      if (!deleted) throw notFound(`provider "${providerId}"`);
      await announceProvidersChanged(db, deps, providerId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/providers',
      tags: ['providers'],
      summary: 'List providers',
      description:
        "Provider tokens see their own app's providers; app and admin tokens see every provider, with liveness.",
      security,
      middleware: [anyRole] as const,
      responses: {
        200: jsonContent(ProviderList, 'Providers, grouped by task type in registration order'),
        ...authErrors,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      // Sightings are written once a second: write this process's now, so the listing is current.
      await deps.providers.flushSeen(db);
      const rows = await listProviders(db.db, principal.role === 'provider' ? appScope(principal) : null);
      const at = now();
      return c.json({ providers: rows.map((row) => toProviderJson(row, at, livenessMs)) }, 200);
    },
  );

  return app;
}
